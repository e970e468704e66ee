/**
 * The Salesforce path end to end: the built binary (real jsforce) against the in-process test org. Every
 * test owns its org and folder, so they run concurrently; assertions look at the requests the org saw
 * and at its final state.
 */

import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { resultOf } from '../support/envelope.js';
import {
  assertBuilt,
  collectionPatches,
  readCsv,
  rowsSent,
  show,
  soqlOf,
  type World,
  worldsOfThisFile,
} from './helpers.js';

beforeAll(assertBuilt);

const world = worldsOfThisFile();

/** Inactive owners: ana's leads go to carla (mapping), dan's to the Hopper queue. */
async function planInactive(w: World, out = 'p', extra: string[] = []) {
  await w.write('m.csv', 'from,to\nana@acme.com,carla@acme.com\n');
  const result = await w.run([
    'plan',
    '--from',
    'salesforce',
    '--inactive-owners',
    '--map',
    'm.csv',
    '--to',
    'queue:Hopper',
    '--out',
    out,
    ...extra,
  ]);
  expect(result.code, show(result)).toBe(0);
  return { dir: w.path(out), result };
}

/** All leads owned by one person: a plan of `--owner X --to Y`. */
async function planOwner(w: World, from: string, to: string, out = 'p', extra: string[] = []) {
  const result = await w.run([
    'plan',
    '--from',
    'salesforce',
    '--owner',
    from,
    '--to',
    to,
    '--out',
    out,
    ...extra,
  ]);
  expect(result.code, show(result)).toBe(0);
  return w.path(out);
}

function statusCounts(rows: Record<string, string>[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const row of rows) counts[row.Status ?? ''] = (counts[row.Status ?? ''] ?? 0) + 1;
  return counts;
}

describe.concurrent('leadshift against the Salesforce test org', () => {
  test('plan: rows from one pushed-down SOQL selection; the org is not written', async () => {
    const w = await world({ leads: 20 });
    const { dir } = await planInactive(w);
    const { ana, dan, carla } = w.people;
    const plan = await w.plan(dir);
    const expected = w.org
      .records('Lead')
      .filter((r) => r.OwnerId === ana || r.OwnerId === dan)
      .map((r) => ({
        Id: String(r.Id),
        OldOwnerId: String(r.OwnerId),
        NewOwnerId: r.OwnerId === ana ? carla : w.queue,
      }));
    expect(plan.map(({ Id, OldOwnerId, NewOwnerId }) => ({ Id, OldOwnerId, NewOwnerId }))).toEqual(
      expect.arrayContaining(expected),
    );
    expect(plan).toHaveLength(10);
    const rules = new Set(plan.map((r) => r.Rule));
    expect(rules.size).toBe(2);
    expect(rules.has('map m.csv')).toBe(true);
    // One selection query, with the selectors in its WHERE clause (COUNT() sizes it first).
    const selections = soqlOf(w.requests()).filter((q) => /\bFROM Lead\b/.test(q) && !/COUNT\(/.test(q));
    expect(selections).toEqual([
      "SELECT Id, OwnerId FROM Lead WHERE IsConverted = false AND Owner.IsActive = false AND Owner.Type = 'User'",
    ]);
    expect(w.requests().filter((r) => r.method !== 'GET' && r.kind !== 'token')).toEqual([]);
    expect(w.owners().get(w.leads[0] ?? '')).toBe(ana);
  });

  test('user input in SOQL is escaped: quotes in --where and --owner round-trip', async () => {
    const w = await world({ leads: 8 });
    // Lead 0 is O'Brien, owned by ana.
    const where = "LastName = 'O\\'Brien'";
    const dir = await planOwner(w, 'ana@acme.com', 'carla@acme.com', 'p', ['--where', where]);
    expect((await w.plan(dir)).map((r) => r.Id)).toEqual([w.leads[0]]);
    const selection = soqlOf(w.requests()).find((q) => / FROM Lead WHERE /.test(q) && !q.includes('COUNT('));
    expect(selection).toContain("LastName = 'O\\'Brien'");

    // A string literal that would break out of its quotes if pasted unescaped selects nothing.
    const before = w.requests().length;
    const sneaky = "LastName = 'x\\' OR LastName != \\'y'";
    const none = await w.run([
      'plan',
      '--from',
      'salesforce',
      '--where',
      sneaky,
      '--to',
      'carla@acme.com',
      '--out',
      'p2',
    ]);
    expect(none.code, show(none)).toBe(0);
    expect(await w.plan(w.path('p2'))).toEqual([]);
    expect(soqlOf(w.requests(before)).some((q) => q.includes("LastName = 'x\\' OR LastName != \\'y'"))).toBe(
      true,
    );

    // A person named with a quote is looked up as a literal, and is unknown: exit 2.
    const from = w.requests().length;
    const odd = await w.run([
      'plan',
      '--from',
      'salesforce',
      '--owner',
      "o'neil@acme.com",
      '--to',
      'carla@acme.com',
    ]);
    expect(odd.code, show(odd)).toBe(2);
    const lookups = soqlOf(w.requests(from)).filter((q) => q.includes('neil'));
    expect(lookups.length).toBeGreaterThan(0);
    for (const q of lookups) expect(q).toContain("'o\\'neil@acme.com'");
  });

  test('apply over REST: owners as planned, Sforce-Auto-Assign FALSE, an active assignment rule changes nothing', async () => {
    const w = await world({ leads: 20 });
    const { dir } = await planInactive(w);
    const plan = await w.plan(dir);
    const before = w.owners();
    // Every lead would go to the admin if the rule ran.
    w.org.setLeadAssignmentRule({ assign: () => w.org.userId });
    const from = w.requests().length;
    const applied = await w.run(['apply', 'p']);
    expect(applied.code, show(applied)).toBe(0);
    for (const row of plan) expect(w.owner(row.Id ?? '')).toBe(row.NewOwnerId);
    for (const [id, owner] of w.owners())
      if (!plan.some((p) => p.Id === id)) expect(owner).toBe(before.get(id));
    const patches = collectionPatches(w.requests(from));
    expect(patches.length).toBe(1);
    for (const p of patches) expect(p.headers['sforce-auto-assign']).toBe('FALSE');
    expect(
      rowsSent(w.requests(from))
        .map((r) => r.id)
        .sort(),
    ).toEqual(plan.map((r) => r.Id).sort());
    const results = await w.results(dir);
    expect(statusCounts(results)).toEqual({ updated: plan.length });
    expect(results.map(({ Id, NewOwnerId }) => ({ Id, NewOwnerId }))).toEqual(
      expect.arrayContaining(plan.map(({ Id, NewOwnerId }) => ({ Id, NewOwnerId }))),
    );
    // Writes came after a fresh owner read, and a read after them (verification), all inside composite
    // calls: the read alone, then the write with its read in one call.
    const kinds = w.requests(from).map((r) => r.kind);
    expect(kinds.indexOf('composite:query')).toBeLessThan(kinds.indexOf('composite:collections'));
    expect(kinds.lastIndexOf('composite:query')).toBeGreaterThan(kinds.indexOf('composite:collections'));
    expect(w.requests(from).filter((r) => r.kind === 'composite')).toHaveLength(2);
  });

  test('apply --api bulk: one ingest job with a non-empty upload, never deleted', async () => {
    const w = await world({ leads: 30 });
    const { dir } = await planInactive(w, 'p', ['--api', 'bulk']);
    const plan = await w.plan(dir);
    const from = w.requests().length;
    const applied = await w.run(['apply', 'p']);
    expect(applied.code, show(applied)).toBe(0);
    const reqs = w.requests(from);
    const creates = reqs.filter((r) => r.method === 'POST' && /\/jobs\/ingest\/?$/.test(r.path));
    expect(creates).toHaveLength(1);
    expect(JSON.parse(creates[0]?.body ?? '{}')).toMatchObject({ object: 'Lead', operation: 'update' });
    const uploads = reqs.filter((r) => r.method === 'PUT' && r.path.endsWith('/batches'));
    expect(uploads).toHaveLength(1);
    expect(uploads[0]?.body.trim().split(/\r?\n/)).toHaveLength(plan.length + 1);
    expect(reqs.filter((r) => r.method === 'DELETE')).toEqual([]);
    expect(collectionPatches(reqs)).toEqual([]);
    for (const row of plan) expect(w.owner(row.Id ?? '')).toBe(row.NewOwnerId);
    expect(statusCounts(await w.results(dir))).toEqual({ updated: plan.length });
  });

  test('drift between plan and apply: that record is skipped and left alone', async () => {
    const w = await world({ leads: 12 });
    const { dir } = await planInactive(w);
    const plan = await w.plan(dir);
    const moved = plan[0]?.Id ?? '';
    w.org.setField('Lead', moved, 'OwnerId', w.people.ben);
    const from = w.requests().length;
    const applied = await w.run(['apply', 'p']);
    expect(applied.code, show(applied)).toBe(0);
    expect(w.owner(moved)).toBe(w.people.ben);
    expect(rowsSent(w.requests(from)).map((r) => r.id)).not.toContain(moved);
    const results = await w.results(dir);
    expect(results.find((r) => r.Id === moved)).toMatchObject({ Status: 'skipped' });
    expect(results.find((r) => r.Id === moved)?.Error).toContain(w.people.ben);
    expect(statusCounts(results)).toEqual({ updated: plan.length - 1, skipped: 1 });
  });

  test('a trigger that moves the owner after the write: overridden', async () => {
    const w = await world({ leads: 12 });
    const { dir } = await planInactive(w);
    const plan = await w.plan(dir);
    const target = plan[1]?.Id ?? '';
    w.org.addTrigger('Lead', (rec) => {
      if (rec.Id === target) rec.OwnerId = w.people.eve;
    });
    const applied = await w.run(['apply', 'p']);
    expect(applied.code, show(applied)).toBe(0);
    const results = await w.results(dir);
    expect(results.find((r) => r.Id === target)).toMatchObject({ Status: 'overridden' });
    expect(statusCounts(results)).toEqual({ updated: plan.length - 1, overridden: 1 });
    expect(w.owner(target)).toBe(w.people.eve);
  });

  test('locked rows are retried on their own; a lock that never clears fails the record (exit 3)', async () => {
    const w = await world({ leads: 12 });
    const { dir } = await planInactive(w);
    const plan = await w.plan(dir);
    const [a = '', b = '', c = ''] = plan.map((r) => r.Id ?? '');
    w.org.faults.lockRecords([a, b], 2);
    w.org.faults.lockRecords([c], 1000);
    const from = w.requests().length;
    const applied = await w.run(['apply', 'p']);
    expect(applied.code, show(applied)).toBe(3);
    const patches = collectionPatches(w.requests(from));
    const sent = patches.map((p) =>
      (JSON.parse(p.body) as { records: { id: string }[] }).records.map((r) => r.id),
    );
    expect(sent[0]).toHaveLength(plan.length);
    // Retries carry only the locked rows.
    expect(sent.slice(1, 3).map((ids) => ids.sort())).toEqual([[a, b, c].sort(), [a, b, c].sort()]);
    for (const ids of sent.slice(3)) expect(ids).toEqual([c]);
    const results = await w.results(dir);
    expect(results.find((r) => r.Id === c)).toMatchObject({ Status: 'failed' });
    expect(results.find((r) => r.Id === c)?.Error).toContain('UNABLE_TO_LOCK_ROW');
    expect(statusCounts(results)).toEqual({ updated: plan.length - 1, failed: 1 });
    for (const row of plan)
      expect(w.owner(row.Id ?? '')).toBe(row.Id === c ? row.OldOwnerId : row.NewOwnerId);
  });

  test('HTTP 503 on a PATCH is retried', async () => {
    const w = await world({ leads: 12 });
    const { dir } = await planInactive(w);
    const plan = await w.plan(dir);
    w.org.faults.failRequests({ method: 'PATCH', pathIncludes: '/composite/sobjects' }, 503, 1);
    const from = w.requests().length;
    const applied = await w.run(['apply', 'p']);
    expect(applied.code, show(applied)).toBe(0);
    // The owner read, the write refused whole, an owner read before sending again, the write again.
    const composites = w.requests(from).filter((r) => r.method === 'POST' && r.path.endsWith('/composite'));
    expect(composites.map((r) => r.status)).toEqual([200, 503, 200, 200]);
    expect(collectionPatches(w.requests(from)).map((r) => r.status)).toEqual([200]);
    for (const row of plan) expect(w.owner(row.Id ?? '')).toBe(row.NewOwnerId);
    expect(statusCounts(await w.results(dir))).toEqual({ updated: plan.length });
  });

  test('daily API limit hit mid-apply: exit 4 with the resume command, results true; apply again finishes', async () => {
    const w = await world({ leads: 450, ownerOf: (_, p) => p.ana });
    const dir = await planOwner(w, 'ana@acme.com', 'carla@acme.com', 'p', ['--api', 'rest']);
    // Someone else spends the org's allowance while the second request of records is being written.
    let writes = 0;
    w.org.faults.onBeforeWrite(() => {
      if (++writes === 201) w.org.faults.setApiUsage(w.org.apiUsage.limit);
    });
    const from = w.requests().length;
    const stopped = await w.run(['apply', 'p']);
    expect(stopped.code, show(stopped)).toBe(4);
    expect(stopped.stderr).toContain(`leadshift apply ${dir}`);
    expect(w.requests(from).some((r) => r.status === 403)).toBe(true);
    const written = [...w.owners()].filter(([, owner]) => owner === w.people.carla).map(([id]) => id);
    expect(written).toHaveLength(400);
    const results = await w.results(dir);
    // True for what was written: every written record is there as updated, nothing else is.
    expect(
      results
        .filter((r) => r.Status === 'updated')
        .map((r) => r.Id)
        .sort(),
    ).toEqual(written.sort());
    expect(results).toHaveLength(400);

    w.org.faults.setApiUsage(0);
    const resumeFrom = w.requests().length;
    const resumed = await w.run(['apply', 'p']);
    expect(resumed.code, show(resumed)).toBe(0);
    expect(rowsSent(w.requests(resumeFrom))).toHaveLength(50);
    expect([...w.owners().values()].every((o) => o === w.people.carla)).toBe(true);
    const final = await w.results(dir);
    expect(new Set(final.map((r) => r.Id)).size).toBe(450);
    expect(statusCounts(final)).toEqual({ updated: 450 });
  });

  test('limits.maxApiShare too small: exit 4 before any write', async () => {
    const w = await world({ leads: 12 });
    await w.write(
      'job.yml',
      [
        'object: Lead',
        'from: salesforce',
        'select:',
        '  inactiveOwners: true',
        'rules:',
        '  - assign: { user: carla@acme.com }',
        'limits:',
        '  maxApiShare: 0.00001',
        '',
      ].join('\n'),
    );
    w.org.faults.setApiUsage(99_990);
    const planned = await w.run(['plan', '--job', 'job.yml', '--out', 'p']);
    expect(planned.code, show(planned)).toBe(0);
    const from = w.requests().length;
    const applied = await w.run(['apply', 'p']);
    expect(applied.code, show(applied)).toBe(4);
    expect(applied.stderr).toMatch(/maxApiShare/);
    expect(w.requests(from).filter((r) => r.method !== 'GET' && r.kind !== 'token')).toEqual([]);
    expect(w.org.records('Lead').some((r) => r.OwnerId === w.people.carla)).toBe(false);
  });

  test('run --yes checks limits.maxApiShare against the usage the org reported while planning, with no /limits call', async () => {
    const w = await world({ leads: 12 });
    const job = (share: number) =>
      [
        'object: Lead',
        'from: salesforce',
        'select:',
        '  inactiveOwners: true',
        'rules:',
        '  - assign: { user: carla@acme.com }',
        'limits:',
        `  maxApiShare: ${share}`,
        '',
      ].join('\n');
    await w.write('tight.yml', job(0.00001));
    w.org.faults.setApiUsage(99_990);
    const from = w.requests().length;
    const refused = await w.run(['run', '--job', 'tight.yml', '--yes', '--out', 'r1']);
    expect(refused.code, show(refused)).toBe(4);
    expect(refused.stderr).toMatch(/maxApiShare/);
    expect(w.requests(from).filter((r) => r.method !== 'GET' && r.kind !== 'token')).toEqual([]);
    expect(w.callsByKind(from).limits ?? 0).toBe(0);
    expect(w.org.records('Lead').some((r) => r.OwnerId === w.people.carla)).toBe(false);

    await w.write('roomy.yml', job(0.5));
    w.org.faults.setApiUsage(10);
    const next = w.requests().length;
    const ran = await w.run(['run', '--job', 'roomy.yml', '--yes', '--out', 'r2']);
    expect(ran.code, show(ran)).toBe(0);
    expect(w.callsByKind(next).limits ?? 0).toBe(0);
    const planned = await w.plan(w.path('r2'));
    expect(planned.length).toBeGreaterThan(0);
    expect(statusCounts(await w.results(w.path('r2')))).toEqual({ updated: planned.length });
  });

  test('an expired session mid-run is renewed (username-password) and the apply completes', async () => {
    const w = await world({ leads: 12 });
    const { dir } = await planInactive(w, 'p');
    const plan = await w.plan(dir);
    // The session expires right after the owner read, so the composite call carrying the write is refused.
    let expired = false;
    w.org.onRequest((r) => {
      if (!expired && r.kind === 'composite:query') {
        expired = true;
        w.org.faults.expireSessions();
      }
    });
    const from = w.requests().length;
    const applied = await w.run(['apply', 'p'], { auth: 'password' });
    expect(applied.code, show(applied)).toBe(0);
    const reqs = w.requests(from);
    expect(reqs.some((r) => r.status === 401)).toBe(true);
    expect(reqs.filter((r) => r.kind === 'token' && r.status === 200).length).toBeGreaterThanOrEqual(2);
    for (const row of plan) expect(w.owner(row.Id ?? '')).toBe(row.NewOwnerId);
    expect(statusCounts(await w.results(dir))).toEqual({ updated: plan.length });
  });

  test('a refused login: exit 2, and no secret anywhere in the output or the run home', async () => {
    const w = await world({ leads: 12 });
    const planned = await w.run(
      ['plan', '--from', 'salesforce', '--inactive-owners', '--to', 'carla@acme.com', '--out', 'p'],
      {
        auth: 'password',
      },
    );
    expect(planned.code, show(planned)).toBe(0);
    w.org.faults.rejectLogins();
    const outputs = [
      await w.run(['apply', 'p'], { auth: 'password' }),
      await w.run(['plan', '--from', 'salesforce', '--inactive-owners', '--to', 'carla@acme.com'], {
        auth: 'password',
      }),
      await w.run(['--json', 'apply', 'p'], { auth: 'password' }),
    ];
    for (const out of outputs) expect(out.code, show(out)).toBe(2);
    expect(w.org.records('Lead').some((r) => r.OwnerId === w.people.carla)).toBe(false);
    const c = w.org.credentials;
    const secrets = [c.password, c.securityToken, c.clientSecret];
    const texts = [
      ...outputs.flatMap((o) => [o.stdout, o.stderr]),
      ...(await w.allFiles()).map((f) => f.text),
    ];
    for (const text of texts) for (const secret of secrets) expect(text).not.toContain(secret);
  });

  test('undo --yes restores owners the run still holds, and skips a record changed since', async () => {
    const w = await world({ leads: 12 });
    const dir = await planOwner(w, 'ben@acme.com', 'carla@acme.com');
    const plan = await w.plan(dir);
    expect(plan).toHaveLength(3);
    const applied = await w.run(['apply', 'p']);
    expect(applied.code, show(applied)).toBe(0);
    const changed = plan[0]?.Id ?? '';
    w.org.setField('Lead', changed, 'OwnerId', w.people.eve);
    const from = w.requests().length;
    const undone = await w.run(['--json', 'undo', 'p', '--yes']);
    expect(undone.code, show(undone)).toBe(0);
    for (const row of plan)
      expect(w.owner(row.Id ?? '')).toBe(row.Id === changed ? w.people.eve : w.people.ben);
    for (const p of collectionPatches(w.requests(from)))
      expect(p.headers['sforce-auto-assign']).toBe('FALSE');
    const [undoDir] = await w.runDirs();
    expect(undoDir).toBeDefined();
    const results = await readCsv(join(undoDir ?? '', 'results.csv'));
    expect(results.find((r) => r.Id === changed)).toMatchObject({ Status: 'skipped' });
    expect(statusCounts(results)).toEqual({ updated: 2, skipped: 1 });
  });

  test('a salesforceRules rule writes with Sforce-Auto-Assign TRUE and the org rule decides', async () => {
    const w = await world({ leads: 12 });
    await w.write(
      'job.yml',
      [
        'object: Lead',
        'from: salesforce',
        'select:',
        '  owners: [ana@acme.com]',
        'rules:',
        '  - assign: { salesforceRules: true }',
        'write:',
        '  api: rest',
        '',
      ].join('\n'),
    );
    w.org.setLeadAssignmentRule({ assign: (lead) => (lead.Country === 'DE' ? w.people.eve : w.people.ben) });
    const planned = await w.run(['plan', '--job', 'job.yml', '--out', 'p']);
    expect(planned.code, show(planned)).toBe(0);
    expect(planned.stdout).toContain('by Salesforce assignment rules');
    const plan = await w.plan(w.path('p'));
    expect(plan).toHaveLength(3);
    const from = w.requests().length;
    const applied = await w.run(['apply', 'p']);
    expect(applied.code, show(applied)).toBe(0);
    const patches = collectionPatches(w.requests(from));
    expect(patches.length).toBeGreaterThan(0);
    for (const p of patches) expect(p.headers['sforce-auto-assign']).toBe('TRUE');
    const results = await w.results(w.path('p'));
    for (const row of plan) {
      const lead = w.org.record('Lead', row.Id ?? '');
      const expected = lead?.Country === 'DE' ? w.people.eve : w.people.ben;
      expect(lead?.OwnerId).toBe(expected);
      expect(results.find((r) => r.Id === row.Id)).toMatchObject({ Status: 'updated', NewOwnerId: expected });
    }
  });

  test('salesforceRules: true with write.api auto and 2,000+ records writes over REST (Bulk cannot run the active rule)', async () => {
    const w = await world({ leads: 2100, ownerOf: (_, p) => p.ana });
    await w.write(
      'job.yml',
      [
        'object: Lead',
        'from: salesforce',
        'select:',
        '  inactiveOwners: true',
        'rules:',
        '  - assign: { salesforceRules: true }',
        '',
      ].join('\n'),
    );
    w.org.setLeadAssignmentRule({ assign: () => w.people.eve });
    const planned = await w.run(['plan', '--job', 'job.yml', '--out', 'p']);
    expect(planned.code, show(planned)).toBe(0);
    const from = w.requests().length;
    const applied = await w.run(['apply', 'p']);
    expect(applied.code, show(applied)).toBe(0);
    const patches = collectionPatches(w.requests(from));
    expect(patches).toHaveLength(11);
    for (const p of patches) expect(p.headers['sforce-auto-assign']).toBe('TRUE');
    expect([...w.owners().values()].every((o) => o === w.people.eve)).toBe(true);
    expect(statusCounts(await w.results(w.path('p')))).toEqual({ updated: 2100 });
  });

  test('runs --json lists the runs of the run home, newest first', async () => {
    const w = await world({ leads: 12 });
    const first = await w.run([
      'plan',
      '--from',
      'salesforce',
      '--owner',
      'ben@acme.com',
      '--to',
      'carla@acme.com',
    ]);
    expect(first.code, show(first)).toBe(0);
    const [planDir = ''] = await w.runDirs();
    const applied = await w.run(['apply', planDir]);
    expect(applied.code, show(applied)).toBe(0);
    const undone = await w.run(['undo', planDir, '--yes']);
    expect(undone.code, show(undone)).toBe(0);
    const listed = await w.run(['--json', 'runs']);
    expect(listed.code, show(listed)).toBe(0);
    const runs = resultOf<{ runs: unknown[] }>(listed.stdout).runs;
    const text = JSON.stringify(runs);
    const dirs = await w.runDirs();
    expect(dirs).toHaveLength(2);
    for (const d of dirs) expect(text).toContain(d.split('/').pop());
    expect(text).toMatch(/applied/);
  });
});
