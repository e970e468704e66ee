/**
 * Plan, apply, kill mid-apply, resume, undo: the built binary against the in-process test org with 5,000
 * leads written over REST (a window, journalled as a whole, per request of 200).
 *
 * What the design guarantees after a kill (src/core/apply.ts, src/sinks/salesforce-target.ts): a window's
 * results are journalled (and flushed) after its writes and the owner read-back, before the next window
 * starts. So every line of results.csv is true, and the records written but not yet journalled are at most
 * the window in flight. A resumed apply re-reads owners first: records already owned by their planned new
 * owner are journalled as updated without being written again.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { REST_WINDOW } from '../../src/sinks/write-api.js';
import { assertBuilt, readCsv, rowsSent, show, type World, worldsOfThisFile } from './helpers.js';

beforeAll(assertBuilt);

const world = worldsOfThisFile();

const LEADS = 5000;
/** Records per REST composite call (two PATCHes of 200): the most written but not yet journalled. */
const CALL = 400;

async function planned(leads = LEADS): Promise<{ w: World; dir: string }> {
  const w = await world({ leads, ownerOf: (_, p) => p.ben });
  const plan = await w.run([
    'plan',
    '--from',
    'salesforce',
    '--owner',
    'ben@acme.com',
    '--to',
    'carla@acme.com',
    '--api',
    'rest',
    '--out',
    'p',
  ]);
  expect(plan.code, show(plan)).toBe(0);
  expect(await w.plan(w.path('p'))).toHaveLength(leads);
  return { w, dir: w.path('p') };
}

function journalLines(dir: string): number {
  try {
    return readFileSync(join(dir, 'results.csv'), 'utf8').trim().split('\n').length - 1;
  } catch {
    return 0;
  }
}

function ownedBy(w: World, owner: string): Set<string> {
  return new Set([...w.owners()].filter(([, o]) => o === owner).map(([id]) => id));
}

describe.concurrent('interrupting an apply against the test org', { timeout: 120_000 }, () => {
  test('SIGKILL mid-apply: results.csv stays true, apply resumes with what is left, undo puts it all back', async () => {
    const { w, dir } = await planned();
    const { ben, carla } = w.people;
    // Kill the process in the middle of the second window, once results.csv has the first one.
    let writes = 0;
    let journalledAtKill = -1;
    const running = w.start(['apply', 'p']);
    w.org.faults.onBeforeWrite(() => {
      if (++writes === CALL + 601) {
        journalledAtKill = journalLines(dir);
        running.child.kill('SIGKILL');
      }
    });
    const killed = await running.result;
    expect(killed.signal, show(killed)).toBe('SIGKILL');
    expect(journalledAtKill).toBeGreaterThan(0);

    const results = await w.results(dir);
    const written = ownedBy(w, carla);
    expect(results.length).toBeGreaterThan(0);
    expect(results.length).toBeLessThan(LEADS);
    // Every line is true.
    for (const row of results) {
      expect(row.Status).toBe('updated');
      expect(written.has(row.Id ?? '')).toBe(true);
    }
    // Written but not journalled: at most the call in flight.
    const journalled = new Set(results.map((r) => r.Id));
    const missing = [...written].filter((id) => !journalled.has(id));
    expect(missing.length).toBeLessThanOrEqual(CALL);
    expect(written.size).toBeLessThan(LEADS);

    // Resume: only what is left is written.
    const from = w.requests().length;
    const resumed = await w.run(['apply', 'p']);
    expect(resumed.code, show(resumed)).toBe(0);
    const sent = rowsSent(w.requests(from));
    expect(sent).toHaveLength(LEADS - written.size);
    for (const row of sent) expect(written.has(row.id)).toBe(false);
    expect(ownedBy(w, carla).size).toBe(LEADS);
    const final = await w.results(dir);
    expect(final).toHaveLength(LEADS);
    expect(new Set(final.map((r) => r.Id)).size).toBe(LEADS);
    expect(final.every((r) => r.Status === 'updated' && r.NewOwnerId === carla)).toBe(true);
    const undoPlan = await readCsv(join(dir, 'undo.csv'));
    expect(undoPlan).toHaveLength(LEADS);

    // Undo: every lead back to ben (active, so Salesforce accepts him as owner again).
    const undone = await w.run(['undo', 'p', '--yes']);
    expect(undone.code, show(undone)).toBe(0);
    expect(ownedBy(w, ben).size).toBe(LEADS);
    expect(w.leads.every((id) => w.owner(id) === ben)).toBe(true);
  });

  test('Ctrl-C mid-apply: the window in flight finishes, results.csv is flushed, exit 130 with the resume command', async () => {
    const { w, dir } = await planned();
    const { carla } = w.people;
    let writes = 0;
    const running = w.start(['apply', 'p']);
    w.org.faults.onBeforeWrite(() => {
      if (++writes === CALL + 601) running.child.kill('SIGINT');
    });
    const stopped = await running.result;
    expect(stopped.code, show(stopped)).toBe(130);
    expect(stopped.stderr).toContain(`leadshift apply ${dir}`);
    // The window in flight was finished and journalled: results.csv says exactly what was written.
    const finished = Math.ceil((CALL + 601) / REST_WINDOW) * REST_WINDOW;
    const results = await w.results(dir);
    const written = ownedBy(w, carla);
    expect(written.size).toBe(finished);
    expect(results.map((r) => r.Id).sort()).toEqual([...written].sort());
    expect(results.every((r) => r.Status === 'updated')).toBe(true);
    const record = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { status: string };
    expect(record.status).toBe('interrupted');

    const from = w.requests().length;
    const resumed = await w.run(['apply', 'p']);
    expect(resumed.code, show(resumed)).toBe(0);
    expect(rowsSent(w.requests(from))).toHaveLength(LEADS - finished);
    expect(ownedBy(w, carla).size).toBe(LEADS);
    expect(await w.results(dir)).toHaveLength(LEADS);
  });

  test('SIGKILL inside a request: the org finished it but the journal never heard; resume counts it, writes the rest', async () => {
    const leads = 2500;
    const { w, dir } = await planned(leads);
    let writes = 0;
    const running = w.start(['apply', 'p']);
    w.org.faults.onBeforeWrite(() => {
      if (++writes === 601) running.child.kill('SIGKILL');
    });
    const killed = await running.result;
    expect(killed.signal, show(killed)).toBe('SIGKILL');
    // One write call was journalled; the second reached the org whole, and its results were lost.
    expect(await w.results(dir)).toHaveLength(CALL);
    const written = ownedBy(w, w.people.carla);
    expect(written.size).toBe(2 * CALL);

    const from = w.requests().length;
    const resumed = await w.run(['apply', 'p']);
    expect(resumed.code, show(resumed)).toBe(0);
    expect(rowsSent(w.requests(from))).toHaveLength(leads - written.size);
    expect(ownedBy(w, w.people.carla).size).toBe(leads);
    const final = await w.results(dir);
    expect(final).toHaveLength(leads);
    expect(final.every((r) => r.Status === 'updated')).toBe(true);
  });
});
