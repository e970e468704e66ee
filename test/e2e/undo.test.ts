/**
 * Undo is complete and predicted, and an interrupted run stops before writing: the built binary against
 * the in-process test org (and CSV exports), one test per class.
 */

import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  assertBuilt,
  collectionPatches,
  readCsv,
  rowsSent,
  show,
  type World,
  worldsOfThisFile,
} from '../sf-flow/helpers.js';
import { csvArgs, Workspace } from './helpers.js';

beforeAll(assertBuilt);
const world = worldsOfThisFile();

interface Json {
  runDir: string;
  runId: string;
  status: string;
  counts: Record<string, number>;
  unassigned: Array<{ reason: string; count: number }>;
  receivers: Array<{ owner: string; before: number; after: number }>;
}

const json = (stdout: string) => (JSON.parse(stdout) as { result: Json }).result;

/** The departed reps' leads (ana and dan, inactive) to carla, applied. */
async function transferred(w: World): Promise<string[]> {
  const planned = await w.run([
    'plan',
    '--from',
    'salesforce',
    '--inactive-owners',
    '--to',
    'carla@acme.com',
    '--out',
    'p',
  ]);
  expect(planned.code, show(planned)).toBe(0);
  const applied = await w.run(['apply', 'p']);
  expect(applied.code, show(applied)).toBe(0);
  return (await w.plan(w.path('p'))).map((r) => r.Id ?? '');
}

describe.concurrent('undo against the test org', { timeout: 180_000 }, () => {
  test('owners to restore that are inactive: predicted in the diff, skipped unsent; --to gives them to someone else; twice writes nothing', async () => {
    const w = await world({ leads: 12 });
    const moved = await transferred(w);
    expect(moved).toHaveLength(6);
    const from = w.requests().length;
    const first = await w.run(['undo', 'p', '--yes']);
    expect(first.code, show(first)).toBe(0);
    expect(first.stdout).toMatch(/ana@acme\.com is an inactive user/);
    expect(first.stdout).toMatch(/dan@acme\.com is an inactive user/);
    expect(first.stdout).toMatch(/undo --to/);
    // Nothing was written, so there is nothing to undo either.
    expect(first.stdout).not.toMatch(/Undo with:/);
    expect(collectionPatches(w.requests(from))).toHaveLength(0);
    for (const id of moved) expect(w.owner(id)).toBe(w.people.carla);
    // The permission was asked for in one query on PermissionSetAssignment.
    const soql = w.requests(from).flatMap((r) => (r.kind === 'query' ? [r.query.q ?? ''] : []));
    expect(soql.filter((q) => /FROM PermissionSetAssignment/.test(q))).toHaveLength(1);

    const badTo = await w.run(['undo', 'p', '--yes', '--to', 'dan@acme.com']);
    expect(badTo.code, show(badTo)).toBe(2);
    expect(badTo.stderr).toMatch(/--to.*dan@acme\.com.*inactive/);

    const benBefore = w.org.records('Lead').filter((r) => r.OwnerId === w.people.ben).length;
    const to = await w.run(['--json', 'undo', 'p', '--yes', '--to', 'ben@acme.com']);
    expect(to.code, show(to)).toBe(0);
    const redirected = json(to.stdout);
    expect(redirected.counts).toMatchObject({ updated: 6, skipped: 0 });
    expect(redirected.receivers).toEqual([
      expect.objectContaining({ owner: 'ben@acme.com', before: benBefore, after: benBefore + 6 }),
    ]);
    for (const id of moved) expect(w.owner(id)).toBe(w.people.ben);

    const again = w.requests().length;
    const third = await w.run(['--json', 'undo', 'p', '--yes', '--to', 'ben@acme.com']);
    expect(third.code, show(third)).toBe(0);
    expect(json(third.stdout).counts).toMatchObject({ changes: 0, updated: 0, skipped: 6 });
    expect(collectionPatches(w.requests(again))).toHaveLength(0);
  });

  test('with "Update Records with Inactive Owners" the records go back to the inactive reps', async () => {
    const w = await world({ leads: 8 });
    const moved = await transferred(w);
    const owners = new Map((await w.plan(w.path('p'))).map((r) => [r.Id ?? '', r.OldOwnerId ?? '']));
    w.org.grantPermission('PermissionsUpdateWithInactiveOwner');
    const undone = await w.run(['--json', 'undo', 'p', '--yes']);
    expect(undone.code, show(undone)).toBe(0);
    expect(json(undone.stdout).counts).toMatchObject({ updated: moved.length, failed: 0, skipped: 0 });
    for (const id of moved) expect(w.owner(id)).toBe(owners.get(id));
  });

  test('a run stopped part-way (daily limit) is undone as far as it got; overridden records are left alone', async () => {
    const w = await world({ leads: 450, ownerOf: (_, p) => p.ben });
    // In the first window, a trigger moves every fifth record the run gives carla on to eve: those come
    // back overridden. The daily allowance runs out with the second window's write.
    let writes = 0;
    w.org.addTrigger('Lead', (lead) => {
      if (lead.OwnerId === w.people.carla && ++writes <= 200 && writes % 5 === 0) lead.OwnerId = w.people.eve;
    });
    const planned = await w.run([
      'plan',
      '--from',
      'salesforce',
      '--owner',
      'ben@acme.com',
      '--to',
      'carla@acme.com',
      '--out',
      'p',
    ]);
    expect(planned.code, show(planned)).toBe(0);
    let patches = 0;
    w.org.onRequest((request) => {
      if (request.method === 'PATCH' && ++patches === 2) w.org.faults.setApiUsage(1_000_000, 1_000_000);
    });
    const stopped = await w.run(['apply', 'p']);
    expect(stopped.code, show(stopped)).toBe(4);
    const results = await w.results(w.path('p'));
    const updated = results.filter((r) => r.Status === 'updated').map((r) => r.Id ?? '');
    const overridden = results.filter((r) => r.Status === 'overridden').map((r) => r.Id ?? '');
    expect(updated.length).toBeGreaterThan(0);
    expect(overridden.length).toBeGreaterThan(0);
    expect(updated.length + overridden.length).toBeLessThan(450);
    w.org.faults.clear();
    const from = w.requests().length;
    const undone = await w.run(['--json', 'undo', 'p', '--yes']);
    expect(undone.code, show(undone)).toBe(0);
    expect(json(undone.stdout).counts).toMatchObject({ updated: updated.length, skipped: overridden.length });
    const sent = new Set(rowsSent(w.requests(from)).map((r) => r.id));
    for (const id of overridden) {
      expect(sent.has(id)).toBe(false);
      expect(w.owner(id)).toBe(w.people.eve);
    }
    for (const owner of w.owners().values()) expect([w.people.ben, w.people.eve]).toContain(owner);
    const undoResults = await readCsv(join(json(undone.stdout).runDir, 'results.csv'));
    expect(undoResults.find((r) => r.Id === overridden[0])).toMatchObject({
      Status: 'skipped',
      Error: expect.stringMatching(/overridden/),
    });
  });

  test('SIGTERM while run --yes is still planning: the plan is kept, nothing is written, exit 130', async () => {
    const w = await world({ leads: 30 });
    const running = w.start([
      'run',
      '--from',
      'salesforce',
      '--inactive-owners',
      '--to',
      'carla@acme.com',
      '--yes',
      '--out',
      'p',
    ]);
    let signalled = false;
    w.org.onRequest((request) => {
      if (!signalled && request.kind === 'query' && /FROM Lead/.test(request.query.q ?? '')) {
        signalled = true;
        running.child.kill('SIGTERM');
      }
    });
    const result = await running.result;
    expect(signalled).toBe(true);
    expect(result.code, show(result)).toBe(130);
    expect(result.stderr).not.toMatch(/This is a bug/);
    expect(result.stderr).toContain(`Resume with: leadshift apply ${w.path('p')}`);
    expect(collectionPatches(w.requests())).toHaveLength(0);
    expect(existsSync(join(w.path('p'), 'plan.csv'))).toBe(true);
    expect(existsSync(join(w.path('p'), 'results.csv'))).toBe(false);
    const resumed = await w.run(['apply', 'p']);
    expect(resumed.code, show(resumed)).toBe(0);
    for (const row of await w.plan(w.path('p'))) expect(w.owner(row.Id ?? '')).toBe(w.people.carla);
  });
});

/** Six of ben's leads planned to carla and applied to update.csv, in run directory `r`. */
async function appliedSixLeads(): Promise<Workspace> {
  const ws = await Workspace.create();
  await ws.standard(Array.from({ length: 6 }, () => ({ ownerId: ws.people.ben })));
  const run = await ws.run([
    'run',
    ...csvArgs(['--owner', 'ben@acme.com', '--to', 'carla@acme.com', '--out', 'r']),
    '--yes',
  ]);
  expect(run.code, show(run)).toBe(0);
  return ws;
}

/** Cuts a file to its first lines, as a kill after them leaves it; returns the lines it had. */
async function keepFirstLines(path: string, count: number): Promise<string[]> {
  const lines = (await readFile(path, 'utf8')).split('\n');
  await writeFile(path, `${lines.slice(0, count).join('\n')}\n`);
  return lines;
}

/** run.json as a killed apply leaves it. */
async function markApplying(path: string): Promise<void> {
  const manifest = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  await writeFile(path, JSON.stringify({ ...manifest, status: 'applying' }));
}

describe.concurrent('undo and re-apply on CSV', { timeout: 120_000 }, () => {
  test('rows a killed apply put in update.csv before journalling them are undone too: the file may have been uploaded', async () => {
    const ws = await appliedSixLeads();
    const { ben } = ws.people;
    // The kill came between update.csv's flush and results.csv's: two rows are only in the upload file.
    await keepFirstLines(ws.path('r/results.csv'), 5);
    await markApplying(ws.path('r/run.json'));
    const undone = await ws.run(['undo', 'r', '--yes', '--home', 'home', '--json']);
    expect(undone.code, show(undone)).toBe(0);
    const journalled = await readCsv(ws.path('r/results.csv'));
    expect(journalled.map((r) => r.Status)).toEqual(Array(6).fill('updated'));
    const restore = await readCsv(join(json(undone.stdout).runDir, 'update.csv'));
    expect(restore).toHaveLength(6);
    expect(new Set(restore.map((r) => r.OwnerId))).toEqual(new Set([ben]));
  });

  test('a run stopped part-way is undone from results.csv: only what it wrote', async () => {
    const ws = await appliedSixLeads();
    const { ben } = ws.people;
    // A kill after the first four rows were written and journalled: results.csv and update.csv hold
    // those, run.json says applying.
    const results = await keepFirstLines(ws.path('r/results.csv'), 5);
    await keepFirstLines(ws.path('r/update.csv'), 5);
    await markApplying(ws.path('r/run.json'));
    await writeFile(ws.path('r/undo.csv'), '');
    const undone = await ws.run(['undo', 'r', '--yes', '--home', 'home', '--json']);
    expect(undone.code, show(undone)).toBe(0);
    const restore = await readCsv(join(json(undone.stdout).runDir, 'update.csv'));
    const written = results.slice(1, 5).map((line) => line.split(',')[0]);
    expect(restore.map((r) => r.Id)).toEqual(written);
    expect(new Set(restore.map((r) => r.OwnerId))).toEqual(new Set([ben]));
  });

  test('applying an applied plan again moves the round-robin turns once and counts nothing twice', async () => {
    const ws = await Workspace.create();
    await ws.standard(Array.from({ length: 5 }, () => ({ ownerId: ws.people.ana })));
    await ws.write(
      'job.yml',
      [
        'object: Lead',
        'from: csv:leads.csv',
        'users: users.csv',
        'select: { inactiveOwners: true }',
        'rules:',
        '  - assign: { roundRobin: [ben@acme.com, carla@acme.com] }',
        '',
      ].join('\n'),
    );
    const run = await ws.run(['run', '--job', 'job.yml', '--home', 'home', '--out', 'r', '--yes', '--json']);
    expect(run.code, show(run)).toBe(0);
    const turns = await readFile(ws.path('home/turns.json'), 'utf8');
    const counts = json(run.stdout).counts;
    for (let i = 0; i < 2; i++) {
      const again = await ws.run(['apply', 'r', '--home', 'home', '--json']);
      expect(again.code, show(again)).toBe(0);
      expect(json(again.stdout).counts).toEqual(counts);
      expect(await readFile(ws.path('home/turns.json'), 'utf8')).toBe(turns);
    }
    const manifest = JSON.parse(await readFile(ws.path('r/run.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest.turnsCommitted).toBe(true);
  });
});
