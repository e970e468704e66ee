/**
 * The journal tells the truth, a resume never writes twice, and Salesforce stopping an apply is a stop,
 * not a bug: the built binary against the test org, one test per class of failure.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { recordError } from '../org/errors.js';
import type { RecordedRequest } from '../org/index.js';
import {
  assertBuilt,
  readCsv,
  rowsSent,
  show,
  soqlOf,
  type World,
  type WorldOptions,
  worldsOfThisFile,
} from './helpers.js';

beforeAll(assertBuilt);

const world = worldsOfThisFile();

async function planned(api: 'rest' | 'bulk', options: WorldOptions = {}): Promise<World> {
  const w = await world({ leads: 10, ownerOf: (_, p) => p.ben, ...options });
  const plan = await w.run([
    'plan',
    ...['--from', 'salesforce', '--owner', 'ben@acme.com', '--to', 'carla@acme.com'],
    ...['--api', api, '--out', 'p'],
  ]);
  expect(plan.code, show(plan)).toBe(0);
  return w;
}

/** Calls `fn` once, for the first request the org sees that matches. */
function once(w: World, match: (r: RecordedRequest) => boolean, fn: () => void): void {
  let fired = false;
  w.org.onRequest((r) => {
    if (fired || !match(r)) return;
    fired = true;
    fn();
  });
}

const closesJob = (r: RecordedRequest) =>
  r.kind === 'bulkIngest' && r.method === 'PATCH' && r.body.includes('UploadComplete');
const ingestCreates = (w: World) =>
  w.requests().filter((r) => r.kind === 'bulkIngest' && r.method === 'POST');

/** Owner changes the running user made to a lead, from the org's own history. */
function writesOf(w: World, id: string): number {
  return w.org
    .ownerHistory('Lead', id)
    .filter((h) => h.DataType === 'EntityId' && h.CreatedById === w.org.userId).length;
}

function byId(rows: Record<string, string>[]): Map<string, Record<string, string>> {
  expect(new Set(rows.map((r) => r.Id)).size, 'one results row per Id').toBe(rows.length);
  return new Map(rows.map((r) => [r.Id ?? '', r]));
}

describe.concurrent('an apply that tells the truth', { timeout: 180_000 }, () => {
  test('Bulk: killed while its job ran, the resume attaches to that job, writes nothing twice, and reports the record someone changed meanwhile as conflict', async () => {
    const w = await planned('bulk', { leads: 40 });
    const { eve } = w.people;
    w.org.faults.slowIngestJobs(2, 60_000);
    const running = w.start(['apply', 'p']);
    once(w, closesJob, () => running.child.kill('SIGKILL'));
    const killed = await running.result;
    expect(killed.signal, show(killed)).toBe('SIGKILL');
    const journal = readFileSync(w.path('p/writes.jsonl'), 'utf8');
    const [job] = w.org.ingestJobs();
    expect(journal).toContain(String(job?.id));
    // Someone moves a lead after the kill, while the orphaned job still waits to run.
    const moved = w.leads[5] ?? '';
    w.org.editAs(eve, 'Lead', moved, { OwnerId: eve });

    const resumed = await w.run(['apply', 'p']);
    expect(resumed.code, show(resumed)).toBe(0);
    expect(ingestCreates(w)).toHaveLength(1);
    for (const id of w.leads) expect(writesOf(w, id), id).toBe(1);
    const results = byId(await w.results(w.path('p')));
    expect(results.size).toBe(40);
    expect(results.get(moved)).toMatchObject({ Status: 'conflict', Error: expect.stringContaining(eve) });
    const others = [...results.values()].filter((r) => r.Id !== moved);
    expect(others.every((r) => r.Status === 'updated')).toBe(true);
  });

  test('undo of an apply killed while its Bulk job ran waits for that job, journals it, and restores every record it wrote', async () => {
    const w = await planned('bulk', { leads: 40 });
    const { ben } = w.people;
    w.org.faults.slowIngestJobs(2, 60_000);
    const running = w.start(['apply', 'p']);
    once(w, closesJob, () => running.child.kill('SIGKILL'));
    expect((await running.result).signal).toBe('SIGKILL');
    expect(w.leads.every((id) => w.org.record('Lead', id)?.OwnerId === ben)).toBe(true);

    const undone = await w.run(['undo', 'p', '--yes']);
    expect(undone.code, show(undone)).toBe(0);
    expect(ingestCreates(w)).toHaveLength(2);
    const results = byId(await w.results(w.path('p')));
    expect(results.size).toBe(40);
    expect([...results.values()].every((r) => r.Status === 'updated')).toBe(true);
    for (const id of w.leads) {
      expect(w.org.record('Lead', id)?.OwnerId, id).toBe(ben);
      expect(writesOf(w, id), id).toBe(2);
    }
  });

  test('undo of a REST apply killed after Salesforce took a request but before its journal line restores those records too', async () => {
    const w = await planned('rest');
    const { ben, carla } = w.people;
    const running = w.start(['apply', 'p']);
    once(
      w,
      (r) => r.method === 'PATCH' && r.path.includes('/composite/sobjects'),
      () => running.child.kill('SIGKILL'),
    );
    expect((await running.result).signal).toBe('SIGKILL');
    expect(w.leads.every((id) => w.org.record('Lead', id)?.OwnerId === carla)).toBe(true);
    expect(await w.results(w.path('p'))).toHaveLength(0);

    const undone = await w.run(['undo', 'p', '--yes']);
    expect(undone.code, show(undone)).toBe(0);
    expect((await w.results(w.path('p'))).map((r) => r.Status)).toEqual(Array(10).fill('updated'));
    for (const id of w.leads) expect(w.org.record('Lead', id)?.OwnerId, id).toBe(ben);
  });

  test('undo of an apply killed before it wrote anything has nothing to undo, and writes nothing', async () => {
    const w = await planned('rest');
    const running = w.start(['apply', 'p']);
    once(
      w,
      (r) => r.path.includes('/query'),
      () => running.child.kill('SIGKILL'),
    );
    expect((await running.result).signal).toBe('SIGKILL');
    const before = w.requests().length;
    const undone = await w.run(['undo', 'p', '--yes']);
    expect(undone.code, show(undone)).toBe(0);
    expect(undone.stdout).toMatch(/0 to change/);
    expect(w.requests().filter((r) => r.method === 'PATCH').length).toBe(0);
    expect(w.requests().length - before).toBeLessThanOrEqual(3);
  });

  test('Bulk: a change made while the job runs is reported conflict, saying who changed it and to whom', async () => {
    const w = await planned('bulk', { leads: 30 });
    const { eve } = w.people;
    const moved = w.leads[3] ?? '';
    w.org.faults.slowIngestJobs(2, 60_000);
    once(w, closesJob, () => setImmediate(() => w.org.editAs(eve, 'Lead', moved, { OwnerId: eve })));
    const applied = await w.run(['apply', 'p']);
    expect(applied.code, show(applied)).toBe(0);
    expect(applied.stdout).toMatch(/1 conflict/);
    const row = byId(await w.results(w.path('p'))).get(moved);
    expect(row?.Status).toBe('conflict');
    expect(row?.Error).toMatch(new RegExp(`to ${eve} by user ${eve}.*while the Bulk job ran`));
  });

  test('Bulk: killed before its upload completed, a record someone moved to the planned new owner meanwhile is skipped on resume, not counted as a write of the aborted job', async () => {
    const w = await planned('bulk', { leads: 40 });
    const { carla, eve } = w.people;
    const running = w.start(['apply', 'p']);
    // The job is journalled and created, its data not yet sent: it never runs.
    once(
      w,
      (r) => r.kind === 'bulkIngest' && r.method === 'PUT',
      () => running.child.kill('SIGKILL'),
    );
    expect((await running.result).signal).toBe('SIGKILL');
    expect(readFileSync(w.path('p/writes.jsonl'), 'utf8')).toContain(String(w.org.ingestJobs()[0]?.id));
    const taken = w.leads[3] ?? '';
    w.org.editAs(eve, 'Lead', taken, { OwnerId: carla });

    const resumed = await w.run(['apply', 'p']);
    expect(resumed.code, show(resumed)).toBe(0);
    const results = byId(await w.results(w.path('p')));
    expect(results.get(taken)).toMatchObject({ Status: 'skipped', Error: expect.stringMatching(/already/) });
    expect(writesOf(w, taken)).toBe(0);
    expect((await readCsv(w.path('p/undo.csv'))).map((r) => r.Id)).not.toContain(taken);
    const others = [...results.values()].filter((r) => r.Id !== taken);
    expect(others.every((r) => r.Status === 'updated')).toBe(true);
  });

  test('a record someone else already moved to the planned new owner is skipped on a first apply, and not in undo.csv', async () => {
    const w = await planned('rest');
    const { carla, eve } = w.people;
    const taken = w.leads[2] ?? '';
    w.org.editAs(eve, 'Lead', taken, { OwnerId: carla });
    const applied = await w.run(['apply', 'p']);
    expect(applied.code, show(applied)).toBe(0);
    const results = byId(await w.results(w.path('p')));
    expect(results.get(taken)).toMatchObject({ Status: 'skipped', Error: expect.stringMatching(/already/) });
    expect(writesOf(w, taken)).toBe(0);
    const undo = (await readCsv(w.path('p/undo.csv'))).map((r) => r.Id);
    expect(undo).toHaveLength(9);
    expect(undo).not.toContain(taken);
  });

  test('salesforceRules rows written by a killed request come back updated after the resume, with the owner the rules chose, and are in undo.csv', async () => {
    const w = await world({ leads: 850, ownerOf: (_, p) => p.ben });
    const { eve } = w.people;
    await w.write(
      'job.yml',
      'object: Lead\nfrom: salesforce\nselect:\n  owners: [ben@acme.com]\nrules:\n  - assign: { salesforceRules: true }\nwrite:\n  api: rest\n',
    );
    w.org.setLeadAssignmentRule({ assign: () => eve });
    expect((await w.run(['plan', '--job', 'job.yml', '--out', 'p'])).code).toBe(0);
    let patches = 0;
    const running = w.start(['apply', 'p']);
    w.org.onRequest((r) => {
      // Composite calls carry two PATCHes of 200: the third is in the second write call, which the org
      // finishes whole while its reply is lost.
      if (r.path.endsWith('/composite/sobjects') && ++patches === 3) running.child.kill('SIGKILL');
    });
    expect((await running.result).signal).toBe('SIGKILL');
    expect(await w.results(w.path('p'))).toHaveLength(400);

    const from = w.requests().length;
    const resumed = await w.run(['apply', 'p']);
    expect(resumed.code, show(resumed)).toBe(0);
    expect(rowsSent(w.requests(from))).toHaveLength(50);
    const results = byId(await w.results(w.path('p')));
    expect(results.size).toBe(850);
    for (const row of results.values()) expect(row).toMatchObject({ Status: 'updated', NewOwnerId: eve });
    expect(await readCsv(w.path('p/undo.csv'))).toHaveLength(850);
  });

  test('apply again retries the records that failed for a reason that can pass, replacing their rows; a third apply changes and counts nothing', async () => {
    const w = await planned('rest');
    const refused = new Set([w.leads[1], w.leads[4]]);
    let validating = true;
    w.org.faults.onBeforeWrite((_, id) => {
      if (validating && refused.has(id))
        throw recordError('FIELD_CUSTOM_VALIDATION_EXCEPTION', 'Region is required', ['Region__c']);
    });
    const first = await w.run(['apply', 'p']);
    expect(first.code, show(first)).toBe(3);
    const failed = [...byId(await w.results(w.path('p'))).values()].filter((r) => r.Status === 'failed');
    expect(failed.map((r) => r.Id).sort()).toEqual([...refused].sort());

    validating = false;
    const from = w.requests().length;
    const second = await w.run(['apply', 'p', '--json']);
    expect(second.code, show(second)).toBe(0);
    expect(
      rowsSent(w.requests(from))
        .map((r) => r.id)
        .sort(),
    ).toEqual([...refused].sort());
    const results = byId(await w.results(w.path('p')));
    expect(results.size).toBe(10);
    expect([...results.values()].every((r) => r.Status === 'updated')).toBe(true);

    const again = w.requests().length;
    const third = await w.run(['apply', 'p', '--json']);
    expect(third.code, show(third)).toBe(0);
    expect(rowsSent(w.requests(again))).toHaveLength(0);
    expect(JSON.parse(third.stdout).result.counts).toMatchObject({ updated: 10, failed: 0 });
    expect(byId(await w.results(w.path('p'))).size).toBe(10);
  });

  test('an applied round-robin plan applied again moves no turns and counts nothing twice', async () => {
    const w = await world({ leads: 6, ownerOf: (_, p) => p.ben });
    await w.write(
      'job.yml',
      'object: Lead\nfrom: salesforce\nselect:\n  owners: [ben@acme.com]\nrules:\n  - assign: { roundRobin: [carla@acme.com, eve@acme.com] }\n',
    );
    expect((await w.run(['plan', '--job', 'job.yml', '--out', 'p'])).code).toBe(0);
    const first = await w.run(['apply', 'p', '--json']);
    expect(first.code, show(first)).toBe(0);
    const turns = readFileSync(join(w.home, 'turns.json'), 'utf8');
    const again = await w.run(['apply', 'p', '--json']);
    expect(again.code, show(again)).toBe(0);
    expect(readFileSync(join(w.home, 'turns.json'), 'utf8')).toBe(turns);
    expect(JSON.parse(again.stdout).result.counts).toEqual(JSON.parse(first.stdout).result.counts);
  });

  test.each(['rest', 'bulk'] as const)(
    '%s: a lead converted or a record deleted since the plan is skipped with the reason, not failed',
    async (api) => {
      const w = await planned(api);
      const [converted = '', deleted = '', convertedLate = '', deletedLate = ''] = w.leads;
      w.org.convertLead(converted);
      w.org.delete('Lead', deleted);
      // And two more between the owner read and the write itself.
      w.org.faults.onBeforeWrite((_, id) => {
        const lead = w.org.record('Lead', id);
        if (id === convertedLate && lead?.IsConverted !== true) w.org.convertLead(id);
        if (id === deletedLate && lead?.IsDeleted !== true) w.org.delete('Lead', id);
      });
      const applied = await w.run(['apply', 'p']);
      expect(applied.code, show(applied)).toBe(0);
      const results = byId(await w.results(w.path('p')));
      expect(results.get(converted)).toMatchObject({
        Status: 'skipped',
        Error: expect.stringMatching(/convert/),
      });
      expect(results.get(convertedLate)).toMatchObject({
        Status: 'skipped',
        Error: expect.stringMatching(/convert/),
      });
      expect(results.get(deleted)?.Status).toBe('skipped');
      expect(results.get(deletedLate)).toMatchObject({
        Status: 'skipped',
        Error: expect.stringMatching(/deleted/),
      });
      expect([...results.values()].filter((r) => r.Status === 'updated')).toHaveLength(6);
    },
  );
});

describe.concurrent('Salesforce stopping an apply', { timeout: 180_000 }, () => {
  const stopped = (stderr: string, dir: string) => {
    expect(stderr).not.toMatch(/This is a bug/);
    expect(stderr).toContain(`leadshift apply ${dir}`);
  };

  test('a persistent 503 on the limits read before apply: exit 4 with the resume command, nothing written', async () => {
    const w = await planned('rest');
    w.org.faults.failRequests({ pathIncludes: '/limits' }, 503, Infinity);
    const applied = await w.run(['apply', 'p']);
    expect(applied.code, show(applied)).toBe(4);
    stopped(applied.stderr, w.path('p'));
    expect(rowsSent(w.requests())).toHaveLength(0);
    w.org.faults.clear();
    expect((await w.run(['apply', 'p'])).code).toBe(0);
  });

  test('a dropped network on every write: exit 4, results.csv true, and the resume finishes', async () => {
    const w = await planned('rest');
    w.org.faults.dropConnections({ method: 'PATCH' }, Infinity);
    const applied = await w.run(['apply', 'p']);
    expect(applied.code, show(applied)).toBe(4);
    stopped(applied.stderr, w.path('p'));
    w.org.faults.clear();
    const resumed = await w.run(['apply', 'p']);
    expect(resumed.code, show(resumed)).toBe(0);
    const results = byId(await w.results(w.path('p')));
    expect([...results.values()].every((r) => r.Status === 'updated')).toBe(true);
  });

  test('a request refused as a whole (HTTP 400): exit 4, says what Salesforce said, resumable', async () => {
    const w = await planned('rest');
    w.org.faults.failRequests({ method: 'PATCH', errorCode: 'JSON_PARSER_ERROR' }, 400, Infinity);
    const applied = await w.run(['apply', 'p']);
    expect(applied.code, show(applied)).toBe(4);
    stopped(applied.stderr, w.path('p'));
    expect(applied.stderr).toMatch(/JSON_PARSER_ERROR.*refused the request as a whole/s);
  });
});

describe('Bulk checks by the org clock', { timeout: 240_000 }, () => {
  test('a skewed org clock and a resume whose job is gone: owners read by clause (old or new owner, since the job began), never by Id lists', async () => {
    const w = await planned('bulk', { leads: 2500 });
    w.org.faults.skewClock(-40);
    const running = w.start(['apply', 'p']);
    once(w, closesJob, () => running.child.kill('SIGKILL'));
    expect((await running.result).signal).toBe('SIGKILL');
    w.org.settleIngestJobs();
    const [job] = w.org.ingestJobs();
    // Deleted in Setup: the resume cannot read its results and must tell its writes by their owners.
    const gone = await fetch(`${w.org.url}/services/data/v62.0/jobs/ingest/${job?.id}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${w.org.issueAccessToken()}` },
    });
    expect(gone.status).toBe(204);

    const from = w.requests().length;
    const resumed = await w.run(['apply', 'p']);
    expect(resumed.code, show(resumed)).toBe(0);
    const soql = soqlOf(w.requests(from));
    expect(soql.filter((q) => /\bId IN \(/.test(q))).toEqual([]);
    expect(soql.some((q) => q.includes(w.people.ben) && q.includes(w.people.carla))).toBe(true);
    expect(ingestCreates(w)).toHaveLength(1);
    const results = byId(await w.results(w.path('p')));
    expect(results.size).toBe(2500);
    expect([...results.values()].every((r) => r.Status === 'updated')).toBe(true);
  });

  test('a first Bulk apply with the org clock 40 minutes behind checks owners after the job by the job date, not by Id', async () => {
    const w = await planned('bulk', { leads: 2500 });
    w.org.faults.skewClock(-40);
    const from = w.requests().length;
    const applied = await w.run(['apply', 'p']);
    expect(applied.code, show(applied)).toBe(0);
    const soql = soqlOf(w.requests(from));
    expect(soql.filter((q) => /\bId IN \(/.test(q))).toEqual([]);
    expect(soql.some((q) => /SystemModstamp >= /.test(q))).toBe(true);
    const results = await w.results(w.path('p'));
    expect(results.every((r) => r.Status === 'updated')).toBe(true);
  });
});
