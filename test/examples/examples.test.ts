/**
 * Every example job, run by the built binary on its CSV exports and against the test org, gives exactly
 * the plan, the unassigned list, the counts and the final owners in its expected/ folder.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { assertBuilt, csvText, leadshift, makeTempDir, ROOT, removeTempDirs, show } from '../e2e/helpers.js';
import { TestOrg } from '../org/index.js';
import { seedFromCsv } from '../org/seed.js';
import { EXAMPLES_CLOCK as CLOCK, EXAMPLES_NOW as NOW } from './clock.js';
import { matchGoldenFolder, normalise } from './golden.js';

const EXAMPLES = join(ROOT, 'fixtures/examples');

interface Example {
  folder: string;
  job: string;
  object: 'Lead' | 'Contact';
}

const CSV_JOBS: Example[] = [
  { folder: 'departed-rep', job: 'job', object: 'Lead' },
  { folder: 'account-owner-changed', job: 'leads', object: 'Lead' },
  { folder: 'account-owner-changed', job: 'contacts', object: 'Contact' },
  { folder: 'stale-to-manager', job: 'job', object: 'Lead' },
  { folder: 'territory-round-robin', job: 'job', object: 'Lead' },
  { folder: 'territory-realignment', job: 'job', object: 'Lead' },
  { folder: 'territory-realignment', job: 'inbound', object: 'Lead' },
];
const PLAN_COLUMNS = ['Id', 'OldOwnerId', 'NewOwnerId', 'Rule', 'OldOwner', 'NewOwner'];

const jobFile = (e: Example) => join(EXAMPLES, e.folder, `${e.job}.yml`);
const goldenFolder = (e: Example, target: 'csv' | 'salesforce') =>
  join(EXAMPLES, e.folder, 'expected', e.job, target);

beforeAll(assertBuilt);
afterAll(removeTempDirs);

async function onlyRun(home: string): Promise<string> {
  const names = (await readdir(join(home, 'runs'))).filter((name) => !name.startsWith('.'));
  expect(names, 'run directories').toHaveLength(1);
  return join(home, 'runs', names[0] as string);
}

/** The run's plan, unassigned list, counts and the given extra files, normalised for comparison. */
async function runOutputs(cwd: string, extra: string[] = []): Promise<Record<string, string>> {
  const run = await onlyRun(join(cwd, 'home'));
  const folders = { cwd, repo: ROOT };
  const files: Record<string, string> = {};
  for (const name of ['plan.csv', 'unassigned.csv', ...extra])
    files[name] = normalise(await readFile(join(run, name), 'utf8'), folders);
  const { counts } = JSON.parse(await readFile(join(run, 'run.json'), 'utf8')) as { counts: unknown };
  files['counts.json'] = `${JSON.stringify(counts, null, 2)}\n`;
  return files;
}

describe.concurrent('example jobs on their CSV exports', () => {
  for (const example of CSV_JOBS) {
    it(`${example.folder}/${example.job}.yml plans and applies as its golden files say`, async () => {
      const cwd = await makeTempDir();
      const result = await leadshift(
        cwd,
        ['run', '--job', jobFile(example), '--yes', '--home', 'home'],
        CLOCK,
      );
      expect(result.code, show(result)).toBe(0);
      const run = await onlyRun(join(cwd, 'home'));
      const updates = (await readdir(run)).filter((name) => /^update.*\.csv$/.test(name)).sort();
      await matchGoldenFolder(goldenFolder(example, 'csv'), await runOutputs(cwd, updates));
    });
  }

  it("refuses Salesforce's assignment rules when the target is a CSV file", async () => {
    const cwd = await makeTempDir();
    const dir = join(EXAMPLES, 'salesforce-assignment-rules');
    const result = await leadshift(cwd, [
      'plan',
      '--job',
      join(dir, 'job.yml'),
      '--from',
      `csv:${join(dir, 'leads.csv')}`,
      '--users',
      join(dir, 'users.csv'),
      '--home',
      'home',
    ]);
    expect(result.code, show(result)).toBe(2);
    expect(result.stderr).toMatch(/assignment rules only run when writing to Salesforce/);
  });
});

describe('example jobs against the test org', () => {
  let org: TestOrg | undefined;
  // The org evaluates LAST_N_DAYS in this process: it sees the same now as the CLI.
  beforeAll(() => void vi.setSystemTime(NOW));
  afterAll(() => void vi.useRealTimers());
  afterEach(async () => {
    await org?.close();
    org = undefined;
  });

  async function orgFor(folder: string): Promise<TestOrg> {
    org = await TestOrg.start();
    org.defineFields('Lead', [
      'Account__c:reference::Account',
      'Exclude_From_Reassignment__c:boolean',
      'Reassignment_Reason__c:string',
    ]);
    seedFromCsv(org, join(EXAMPLES, folder));
    return org;
  }

  async function runOnOrg(o: TestOrg, example: Example, args: string[] = []): Promise<string> {
    const cwd = await makeTempDir();
    const env = {
      ...CLOCK,
      SF_INSTANCE_URL: o.url,
      SF_ACCESS_TOKEN: o.issueAccessToken(),
      SF_API_VERSION: '62.0',
    };
    const result = await leadshift(
      cwd,
      ['run', '--job', jobFile(example), ...args, '--yes', '--home', 'home'],
      env,
    );
    expect(result.code, show(result)).toBe(0);
    return cwd;
  }

  /** Every record of the object in the org: its owner and the fields the plan stamps, by Id. */
  async function finalOwners(o: TestOrg, object: string, cwd: string): Promise<string> {
    const plan = await readFile(join(await onlyRun(join(cwd, 'home')), 'plan.csv'), 'utf8');
    const stamped = (plan.split('\n')[0] ?? '').split(',').filter((name) => !PLAN_COLUMNS.includes(name));
    const columns = ['Id', 'OwnerId', ...stamped];
    const byId = (a: Record<string, unknown>, b: Record<string, unknown>) =>
      String(a.Id) < String(b.Id) ? -1 : 1;
    const records = o.records(object).sort(byId);
    return csvText(
      columns,
      records.map((record) => columns.map((name) => String(record[name] ?? ''))),
    );
  }

  for (const example of CSV_JOBS) {
    it(`${example.folder}/${example.job}.yml runs against the org as its golden files say`, async () => {
      const o = await orgFor(example.folder);
      const cwd = await runOnOrg(o, example, ['--from', 'salesforce']);
      const files = await runOutputs(cwd);
      files['owners.csv'] = await finalOwners(o, example.object, cwd);
      await matchGoldenFolder(goldenFolder(example, 'salesforce'), files);
    });
  }

  it("re-runs leads through the org's active assignment rule as its golden files say", async () => {
    const example: Example = { folder: 'salesforce-assignment-rules', job: 'job', object: 'Lead' };
    const o = await orgFor(example.folder);
    const target = o.records('User').find((u) => u.Username === 'grace@acme.com')?.Id as string;
    o.setLeadAssignmentRule({ assign: () => target });
    const cwd = await runOnOrg(o, example);
    const files = await runOutputs(cwd);
    files['owners.csv'] = await finalOwners(o, 'Lead', cwd);
    await matchGoldenFolder(goldenFolder(example, 'salesforce'), files);
    const patches = o.requests.filter((r) => r.method === 'PATCH' && r.path.includes('/composite/sobjects'));
    expect(patches.length).toBeGreaterThan(0);
    for (const patch of patches)
      expect(String(patch.headers['sforce-auto-assign']).toUpperCase()).toBe('TRUE');
  });
});
