/**
 * A job of several objects against the test org, by the built binary: the offboarding of
 * fixtures/examples/offboarding seeded into the org (seven objects), written over REST; a kill mid-apply
 * resumed across objects; the undo of every object. What must move is worked out from the seeded exports.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { show } from '../e2e/helpers.js';
import { EXAMPLES_CLOCK as CLOCK, EXAMPLES_NOW as NOW } from '../examples/clock.js';
import { TestOrg } from '../org/index.js';
import { seedFromCsv } from '../org/seed.js';
import { startCli } from '../support/cli.js';
import { readCsv, removeTempDirs, tempDir } from '../support/files.js';
import { assertBuilt } from './helpers.js';

const EXAMPLE = join(import.meta.dirname, '../../fixtures/examples/offboarding');
const OBJECTS = ['Account', 'Lead', 'Contact', 'Opportunity', 'Case', 'Task', 'Event'];

type Row = Record<string, string>;

beforeAll(assertBuilt);
// The org evaluates dates in this process: it sees the same now as the CLI.
beforeAll(() => void vi.setSystemTime(NOW));
afterAll(() => void vi.useRealTimers());
afterAll(removeTempDirs);

let org: TestOrg | undefined;
afterEach(async () => {
  await org?.close();
  org = undefined;
});

async function seeded(): Promise<{ org: TestOrg; dir: string }> {
  org = await TestOrg.start({ apiVersion: '62.0', bulkDelayMs: 10 });
  org.defineFields('Lead', ['Account__c:reference::Account', 'Exclude_From_Reassignment__c:boolean']);
  seedFromCsv(org, EXAMPLE);
  const dir = await tempDir();
  await writeFile(join(dir, 'job.yml'), await readFile(join(EXAMPLE, 'job.yml'), 'utf8'));
  return { org, dir };
}

function cli(o: TestOrg, dir: string, args: string[]) {
  const env = {
    ...CLOCK,
    SF_INSTANCE_URL: o.url,
    SF_ACCESS_TOKEN: o.issueAccessToken(),
    SF_API_VERSION: '62.0',
  };
  return startCli(dir, [...args, '--from', 'salesforce', '--home', 'home'], env);
}

function ownersNow(o: TestOrg): Map<string, Map<string, string>> {
  return new Map(
    OBJECTS.map((object) => [
      object,
      new Map(o.records(object).map((r) => [String(r.Id), String(r.OwnerId)])),
    ]),
  );
}

function userId(o: TestOrg, username: string): string {
  return String(o.records('User').find((u) => u.Username === username)?.Id);
}

function isOpen(object: string, row: Row): boolean {
  if (object === 'Lead') return row.IsConverted === 'false';
  if (['Opportunity', 'Case', 'Task'].includes(object)) return row.IsClosed === 'false';
  if (object === 'Event') return Date.parse(row.EndDateTime as string) >= Date.parse(NOW);
  return true;
}

/** The owners every record must have after offboarding `from`, read from the seeded exports. */
async function expectedOwners(
  before: Map<string, Map<string, string>>,
  from: string,
  accountsTo: string,
  restTo: string,
): Promise<Map<string, Map<string, string>>> {
  const exports = new Map<string, Row[]>();
  for (const object of OBJECTS) exports.set(object, await readCsv(join(EXAMPLE, 'export', `${object}.csv`)));
  const moved = new Set((exports.get('Account') ?? []).filter((a) => a.OwnerId === from).map((a) => a.Id));
  const after = new Map([...before].map(([object, owners]) => [object, new Map(owners)]));
  for (const [object, rows] of exports)
    for (const row of rows) {
      if (row.OwnerId !== from || !isOpen(object, row)) continue;
      const withAccount =
        object === 'Account' ||
        (['Contact', 'Opportunity'].includes(object) && moved.has(row.AccountId as string));
      after.get(object)?.set(row.Id as string, withAccount ? accountsTo : restTo);
    }
  return after;
}

describe('a job of several objects against the test org', { timeout: 180_000 }, () => {
  it('offboards across seven objects in one run: every open record moves, nothing else changes', async () => {
    const { org: o, dir } = await seeded();
    const before = ownersNow(o);
    const dan = userId(o, 'dan@acme.com');
    const expected = await expectedOwners(
      before,
      dan,
      userId(o, 'carla@acme.com'),
      userId(o, 'ben@acme.com'),
    );
    const requests = o.requests.length;
    const result = await cli(o, dir, ['run', '--job', 'job.yml', '--yes', '--out', 'r']).result;
    expect(result.code, show(result)).toBe(0);
    expect(ownersNow(o)).toEqual(expected);
    const changed = OBJECTS.map((object) =>
      [...(expected.get(object) ?? [])].filter(([id, owner]) => before.get(object)?.get(id) !== owner),
    );
    expect(changed.every((rows) => rows.length > 0)).toBe(true);
    const results = await readCsv(join(dir, 'r', 'results.csv'));
    expect(results).toHaveLength(changed.flat().length);
    expect(results.every((r) => r.Status === 'updated')).toBe(true);
    expect(new Set(results.map((r) => r.Object))).toEqual(new Set(OBJECTS));
    // Accounts are written before their contacts and opportunities, activities last.
    const written = o.requests
      .slice(requests)
      .filter((r) => r.method === 'PATCH' && r.path.endsWith('/composite/sobjects'))
      .flatMap((r) => (JSON.parse(r.body) as { records: { attributes: { type: string } }[] }).records)
      .map((r) => r.attributes.type);
    expect(written.indexOf('Account')).toBe(0);
    expect(written.lastIndexOf('Account')).toBeLessThan(written.indexOf('Contact'));
    expect(Math.max(written.lastIndexOf('Lead'), written.lastIndexOf('Case'))).toBeLessThan(
      written.indexOf('Task'),
    );
  });

  it('offboard <person> --to X moves every open record of the seven objects, reading each object once', async () => {
    const { org: o, dir } = await seeded();
    const before = ownersNow(o);
    const ben = userId(o, 'ben@acme.com');
    const expected = await expectedOwners(before, userId(o, 'dan@acme.com'), ben, ben);
    const requests = o.requests.length;
    const result = await cli(o, dir, [
      'offboard',
      'dan@acme.com',
      '--to',
      'ben@acme.com',
      '--yes',
      '--out',
      'r',
    ]).result;
    expect(result.code, show(result)).toBe(0);
    expect(ownersNow(o)).toEqual(expected);
    const manifest = JSON.parse(await readFile(join(dir, 'r', 'run.json'), 'utf8'));
    expect(manifest.command).toBe('offboard');
    // What stays, and why, as the org counts it: the same numbers as the exports it was seeded from.
    const REASON: Record<string, string> = {
      Lead: 'converted',
      Opportunity: 'closed',
      Case: 'closed',
      Task: 'closed',
      Event: 'ended',
    };
    const dan = userId(o, 'dan@acme.com');
    for (const part of manifest.summary.objects as Array<{
      object: string;
      leftAlone?: { count: number; reason: string };
    }>) {
      const rows = await readCsv(join(EXAMPLE, 'export', `${part.object}.csv`));
      const history = rows.filter((r) => r.OwnerId === dan && !isOpen(part.object, r)).length;
      const reason = REASON[part.object];
      expect(part.leftAlone, part.object).toEqual(reason ? { count: history, reason } : undefined);
    }
    expect(result.stdout).toMatch(/Lead: \d+ selected.*; \d+ converted stay as they are/);
    expect(manifest.counts.updated).toBe(manifest.counts.changes);
    // One selection per object (the account's contacts and opportunities read once more, by account).
    const selections = o.requests
      .slice(requests)
      .filter(
        (r) =>
          r.kind === 'query' &&
          /^SELECT Id, OwnerId/.test(r.query.q ?? '') &&
          /OwnerId IN/.test(r.query.q ?? ''),
      );
    const objects = selections.map((r) => /FROM (\w+)/.exec(r.query.q ?? '')?.[1]);
    for (const object of OBJECTS) expect(objects, object).toContain(object);
  });

  it('accounts move and the leads and contacts on them follow the owner the plan gives the account', async () => {
    const { org: o, dir } = await seeded();
    await writeFile(join(dir, 'accounts.yml'), await readFile(join(EXAMPLE, 'accounts.yml'), 'utf8'));
    const before = ownersNow(o);
    const dan = userId(o, 'dan@acme.com');
    const carla = userId(o, 'carla@acme.com');
    const result = await cli(o, dir, ['run', '--job', 'accounts.yml', '--yes', '--out', 'r']).result;
    expect(result.code, show(result)).toBe(0);
    // Worked out from the seeded exports: Dan's accounts go to Carla; his open leads and contacts on an
    // account follow the owner the account has after the plan, where that is someone else.
    const accounts = await readCsv(join(EXAMPLE, 'export', 'Account.csv'));
    const ownerAfter = new Map(accounts.map((a) => [a.Id, a.OwnerId === dan ? carla : a.OwnerId]));
    const expected = new Map([...before].map(([object, owners]) => [object, new Map(owners)]));
    for (const a of accounts) if (a.OwnerId === dan) expected.get('Account')?.set(a.Id as string, carla);
    for (const [object, lookup] of [
      ['Lead', 'Account__c'],
      ['Contact', 'AccountId'],
    ] as const)
      for (const row of await readCsv(join(EXAMPLE, 'export', `${object}.csv`))) {
        const owner = ownerAfter.get(row[lookup] as string);
        if (row.OwnerId === dan && isOpen(object, row) && owner && owner !== dan)
          expected.get(object)?.set(row.Id as string, owner);
      }
    expect(ownersNow(o)).toEqual(expected);
    const followedToCarla = [...(expected.get('Lead') ?? [])].filter(
      ([id, owner]) => owner === carla && before.get('Lead')?.get(id) === dan,
    );
    expect(followedToCarla.length).toBeGreaterThan(5);
  });

  it('a kill mid-apply resumes across objects, and one undo restores every object', async () => {
    const { org: o, dir } = await seeded();
    // An active owner's records, so that undo can give them back.
    const job = (await readFile(join(dir, 'job.yml'), 'utf8'))
      .replace('dan@acme.com', 'eve@acme.com')
      .replace('carla@acme.com', 'frank@acme.com')
      .replace('ben@acme.com', 'grace@acme.com');
    await writeFile(join(dir, 'job.yml'), job);
    const before = ownersNow(o);
    const eve = userId(o, 'eve@acme.com');
    const expected = await expectedOwners(
      before,
      eve,
      userId(o, 'frank@acme.com'),
      userId(o, 'grace@acme.com'),
    );
    const plan = await cli(o, dir, ['plan', '--job', 'job.yml', '--api', 'rest', '--out', 'p']).result;
    expect(plan.code, show(plan)).toBe(0);
    const planned = (await readCsv(join(dir, 'p', 'plan.csv'))).length;

    let writes = 0;
    const running = cli(o, dir, ['apply', 'p']);
    o.faults.onBeforeWrite(() => {
      if (++writes === Math.floor(planned / 2)) running.child.kill('SIGKILL');
    });
    const killed = await running.result;
    expect(killed.signal, show(killed)).toBe('SIGKILL');
    const resumed = await cli(o, dir, ['apply', 'p']).result;
    expect(resumed.code, show(resumed)).toBe(0);
    expect(ownersNow(o)).toEqual(expected);
    const results = await readCsv(join(dir, 'p', 'results.csv'));
    expect(new Set(results.map((r) => r.Id)).size).toBe(results.length);
    expect(results).toHaveLength(planned);

    const undone = await cli(o, dir, ['undo', 'p', '--yes']).result;
    expect(undone.code, show(undone)).toBe(0);
    expect(ownersNow(o)).toEqual(before);
    const again = await cli(o, dir, ['undo', 'p', '--yes']).result;
    expect(again.code, show(again)).toBe(0);
    expect(ownersNow(o)).toEqual(before);
  });
});
