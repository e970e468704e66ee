/**
 * A job of several objects (`objects:`) on a Data Export folder, by the built binary: the offboarding of
 * fixtures/examples/offboarding (seven objects), its upload files, a resume across objects, its undo,
 * and the account-and-followers job whose leads and contacts follow the account's planned new owner.
 * What must move is worked out here from the exports themselves, independently of leadshift.
 */
import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLES_CLOCK as CLOCK, EXAMPLES_NOW as NOW } from '../examples/clock.js';
import { assertBuilt, leadshift, makeTempDir, ROOT, readCsvFile, removeTempDirs, show } from './helpers.js';

const EXAMPLE = join(ROOT, 'fixtures/examples/offboarding');
const OBJECTS = ['Account', 'Lead', 'Contact', 'Opportunity', 'Case', 'Task', 'Event'];

beforeAll(assertBuilt);
afterAll(removeTempDirs);

type Row = Record<string, string>;

async function exportOf(dir: string, object: string): Promise<Row[]> {
  return (await readCsvFile(join(dir, 'export', `${object}.csv`))).rows;
}

async function userIds(dir: string, ...usernames: string[]): Promise<string[]> {
  return Promise.all(usernames.map((username) => userId(dir, username)));
}

async function userId(dir: string, username: string): Promise<string> {
  const user = (await exportOf(dir, 'User')).find((u) => u.Username === username);
  if (!user) throw new Error(`no ${username}`);
  return user.Id as string;
}

/** Whether the export shows the record open, read from the columns Salesforce documents. */
function isOpen(object: string, row: Row): boolean {
  if (object === 'Lead') return row.IsConverted === 'false';
  if (['Opportunity', 'Case', 'Task'].includes(object)) return row.IsClosed === 'false';
  if (object === 'Event') return Date.parse(row.EndDateTime as string) >= Date.parse(NOW);
  return true;
}

/** Every record each update file holds: object → Id → OwnerId. */
async function uploads(runDir: string): Promise<Map<string, Map<string, string>>> {
  const out = new Map<string, Map<string, string>>();
  for (const name of (await readdir(runDir)).filter((n) => /^update-.+\.csv$/.test(n))) {
    const object = name.slice('update-'.length, -'.csv'.length);
    const { header, rows } = await readCsvFile(join(runDir, name));
    expect(header.slice(0, 2), name).toEqual(['Id', 'OwnerId']);
    expect(new Set(rows.map((r) => r.Id)).size, `${name}: each Id once`).toBe(rows.length);
    out.set(object, new Map(rows.map((r) => [r.Id as string, r.OwnerId as string])));
  }
  return out;
}

/** What an offboarding of `from` must write: accounts and their cascade to `accountsTo`, the rest to `restTo`. */
async function expectedOffboarding(
  dir: string,
  from: string,
  accountsTo: string,
  restTo: string,
): Promise<Map<string, Map<string, string>>> {
  const expected = new Map<string, Map<string, string>>(OBJECTS.map((o) => [o, new Map()]));
  const accounts = (await exportOf(dir, 'Account')).filter((a) => a.OwnerId === from);
  const moved = new Set(accounts.map((a) => a.Id));
  for (const account of accounts) expected.get('Account')?.set(account.Id as string, accountsTo);
  for (const object of OBJECTS.slice(1))
    for (const row of await exportOf(dir, object)) {
      if (row.OwnerId !== from || !isOpen(object, row)) continue;
      const withAccount = ['Contact', 'Opportunity'].includes(object) && moved.has(row.AccountId as string);
      expected.get(object)?.set(row.Id as string, withAccount ? accountsTo : restTo);
    }
  for (const [object, rows] of expected) if (rows.size === 0) expected.delete(object);
  return expected;
}

async function workspace(): Promise<string> {
  const dir = await makeTempDir();
  await cp(EXAMPLE, dir, { recursive: true });
  return dir;
}

const run = (dir: string, args: string[]) => leadshift(dir, [...args, '--home', 'home'], CLOCK);

describe('a job of several objects on a Data Export folder', { timeout: 120_000 }, () => {
  it('offboards a departed rep across all seven objects: one plan, the exact upload files, one results.csv', async () => {
    const dir = await workspace();
    const [dan, ben, carla] = (await userIds(dir, 'dan@acme.com', 'ben@acme.com', 'carla@acme.com')) as [
      string,
      string,
      string,
    ];
    const result = await run(dir, ['run', '--job', 'job.yml', '--yes', '--out', 'r']);
    expect(result.code, show(result)).toBe(0);
    expect(result.stdout).toContain('Account, Lead, Contact, Opportunity, Case, Task, Event from csv:');
    for (const object of OBJECTS) expect(result.stdout).toMatch(new RegExp(`\\n  ${object}: \\d+ selected`));

    const expected = await expectedOffboarding(dir, dan, carla, ben);
    expect([...expected.keys()].sort()).toEqual([...OBJECTS].sort());
    const written = await uploads(join(dir, 'r'));
    expect(written).toEqual(expected);
    // No file for people: update.csv is a one-object plan's.
    expect(await readdir(join(dir, 'r'))).not.toContain('update.csv');

    const plan = (await readCsvFile(join(dir, 'r', 'plan.csv'))).rows;
    const results = await readCsvFile(join(dir, 'r', 'results.csv'));
    expect(results.header).toEqual(['Id', 'OldOwnerId', 'NewOwnerId', 'Status', 'Error', 'Object']);
    const total = [...expected.values()].reduce((sum, rows) => sum + rows.size, 0);
    expect(plan).toHaveLength(total);
    expect(results.rows).toHaveLength(total);
    for (const row of results.rows) {
      expect(row.Status).toBe('updated');
      expect(expected.get(row.Object as string)?.get(row.Id as string), row.Id).toBe(row.NewOwnerId);
    }
    const manifest = JSON.parse(await readFile(join(dir, 'r', 'run.json'), 'utf8'));
    expect(manifest.counts.updated).toBe(total);
    expect(manifest.summary.objects.map((o: { object: string }) => o.object)).toEqual(OBJECTS);
    expect(manifest.source).toMatch(/^csv:.*export\/$/);
  });

  it('a resume after a kill mid-apply finishes every object without a second row, and undo restores all of them', async () => {
    const dir = await workspace();
    const [eve, frank, grace] = (await userIds(dir, 'eve@acme.com', 'frank@acme.com', 'grace@acme.com')) as [
      string,
      string,
      string,
    ];
    // An active owner's records, so that undo can give them back.
    const job = (await readFile(join(dir, 'job.yml'), 'utf8'))
      .replace('dan@acme.com', 'eve@acme.com')
      .replace('carla@acme.com', 'frank@acme.com')
      .replace('ben@acme.com', 'grace@acme.com');
    await writeFile(join(dir, 'eve.yml'), job);
    const plan = await run(dir, ['plan', '--job', 'eve.yml', '--out', 'p']);
    expect(plan.code, show(plan)).toBe(0);
    const applied = await run(dir, ['apply', 'p']);
    expect(applied.code, show(applied)).toBe(0);
    const expected = await expectedOffboarding(dir, eve, frank, grace);
    expect(expected.size).toBeGreaterThan(3);
    // What a kill -9 leaves when the update files were flushed and the journal was not: results.csv
    // holds the first objects only.
    const results = await readFile(join(dir, 'p', 'results.csv'), 'utf8');
    const lines = results.trim().split('\n');
    const kept = Math.floor(lines.length / 3);
    await writeFile(join(dir, 'p', 'results.csv'), `${lines.slice(0, kept).join('\n')}\n`);
    const resumed = await run(dir, ['apply', 'p']);
    expect(resumed.code, show(resumed)).toBe(0);
    expect(await uploads(join(dir, 'p'))).toEqual(expected);
    const after = (await readCsvFile(join(dir, 'p', 'results.csv'))).rows;
    expect(new Set(after.map((r) => r.Id)).size).toBe(after.length);
    expect(after.length).toBe([...expected.values()].reduce((sum, rows) => sum + rows.size, 0));

    const undone = await run(dir, ['undo', 'p', '--yes', '--users', 'export/User.csv']);
    expect(undone.code, show(undone)).toBe(0);
    const runs = (await readdir(join(dir, 'home', 'runs'))).filter((n) => !n.startsWith('.'));
    const undoDir = join(dir, 'home', 'runs', runs.sort().at(-1) as string);
    const restored = await uploads(undoDir);
    const back = new Map(
      [...expected].map(([object, rows]) => [object, new Map([...rows.keys()].map((id) => [id, eve]))]),
    );
    expect(restored).toEqual(back);
    const undoResults = (await readCsvFile(join(undoDir, 'results.csv'))).rows;
    expect(undoResults.every((r) => r.Status === 'updated' && r.Object !== '')).toBe(true);
  });

  it('offboard <person> builds that job from flags: every object the folder exports, each said when left out', async () => {
    const dir = await workspace();
    const [dan, ben] = (await userIds(dir, 'dan@acme.com', 'ben@acme.com')) as [string, string];
    const result = await run(dir, [
      'offboard',
      'dan@acme.com',
      '--from',
      'csv:export/',
      '--to',
      'ben@acme.com',
      '--yes',
      '--out',
      'r',
      '--json',
    ]);
    expect(result.code, show(result)).toBe(0);
    const envelope = JSON.parse(result.stdout);
    expect(envelope.result.command).toBe('offboard');
    expect(envelope.result.objects.map((o: { object: string }) => o.object)).toEqual(OBJECTS);
    // What stays, and why: the person's converted, closed and ended records, per object.
    const REASON: Record<string, string> = {
      Lead: 'converted',
      Opportunity: 'closed',
      Case: 'closed',
      Task: 'closed',
      Event: 'ended',
    };
    for (const part of envelope.result.objects as Array<{
      object: string;
      leftAlone?: { count: number; reason: string };
    }>) {
      const rows = await exportOf(dir, part.object);
      const history = rows.filter((r) => r.OwnerId === dan && !isOpen(part.object, r)).length;
      const reason = REASON[part.object];
      expect(part.leftAlone, part.object).toEqual(reason ? { count: history, reason } : undefined);
      if (reason) expect(history, part.object).toBeGreaterThan(0);
    }
    expect(await uploads(join(dir, 'r'))).toEqual(await expectedOffboarding(dir, dan, ben, ben));

    // A folder of leads and accounts only: the others are left out, each named; accounts go alone.
    await Promise.all(
      ['Contact', 'Opportunity', 'Case', 'Task', 'Event'].map((o) => rm(join(dir, 'export', `${o}.csv`))),
    );
    const part = await run(dir, [
      'offboard',
      'dan@acme.com',
      '--from',
      'csv:export/',
      '--to',
      'ben@acme.com',
      '--dry-run',
    ]);
    expect(part.code, show(part)).toBe(0);
    for (const object of ['Contact', 'Opportunity', 'Case', 'Task', 'Event'])
      expect(part.stderr).toContain(`has no ${object}.csv: ${object} records are not offboarded`);
    expect(part.stdout).toContain('Plan ');
    expect(part.stdout).toContain(': Account, Lead from csv:');
  });

  it('accounts move and the leads and contacts on them follow the owner the plan gives the account', async () => {
    const dir = await workspace();
    const [dan, carla] = (await userIds(dir, 'dan@acme.com', 'carla@acme.com')) as [string, string, string];
    const result = await run(dir, ['run', '--job', 'accounts.yml', '--yes', '--out', 'r']);
    expect(result.code, show(result)).toBe(0);
    const accounts = await exportOf(dir, 'Account');
    const ownerAfter = new Map(
      accounts.map((a) => [a.Id as string, a.OwnerId === dan ? carla : (a.OwnerId as string)]),
    );
    const followers = async (object: string, lookup: string) => {
      const rows = new Map<string, string>();
      for (const row of await exportOf(dir, object)) {
        const owner = ownerAfter.get(row[lookup] as string);
        if (row.OwnerId === dan && isOpen(object, row) && owner && owner !== dan)
          rows.set(row.Id as string, owner);
      }
      return rows;
    };
    const expected = new Map([
      ['Account', new Map(accounts.filter((a) => a.OwnerId === dan).map((a) => [a.Id as string, carla]))],
      ['Lead', await followers('Lead', 'Account__c')],
      ['Contact', await followers('Contact', 'AccountId')],
    ]);
    // Most followers move with one of Dan's own accounts: the account's planned owner, not its owner now.
    expect([...(expected.get('Lead')?.values() ?? [])].filter((o) => o === carla).length).toBeGreaterThan(5);
    expect(await uploads(join(dir, 'r'))).toEqual(expected);
  });
});
