import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, leadshift, makeTempDir, parseCsv, ROOT, removeTempDirs, show } from '../e2e/helpers.js';
import { TestOrg } from '../org/index.js';
import { seedFromCsv } from '../org/seed.js';

const EXAMPLES = join(ROOT, 'fixtures/examples');
const CSV_JOBS = [
  'departed-rep/job.yml',
  'account-owner-changed/leads.yml',
  'account-owner-changed/contacts.yml',
  'stale-to-manager/job.yml',
  'territory-round-robin/job.yml',
];

beforeAll(assertBuilt);
afterAll(removeTempDirs);

async function planRows(home: string): Promise<Record<string, string>[]> {
  const runs = join(home, 'runs');
  const [dir] = (await readdir(runs)).filter((name) => !name.startsWith('.')).sort();
  const [header, ...rows] = parseCsv(await readFile(join(runs, dir as string, 'plan.csv'), 'utf8'));
  return rows.map((row) => Object.fromEntries((header ?? []).map((name, i) => [name, row[i] ?? ''])));
}

describe.concurrent('example jobs on their CSV exports', () => {
  for (const job of CSV_JOBS) {
    it(`${job} plans and applies`, async () => {
      const cwd = await makeTempDir();
      const result = await leadshift(cwd, ['run', '--job', join(EXAMPLES, job), '--yes', '--home', 'home']);
      expect(result.code, show(result)).toBe(0);
      expect(result.stdout).toMatch(/Applied .*: [1-9][\d,]* updated/);
      const rows = await planRows(join(cwd, 'home'));
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(row.NewOwnerId).not.toBe(row.OldOwnerId);
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

  const env = (o: TestOrg) => ({
    SF_INSTANCE_URL: o.url,
    SF_ACCESS_TOKEN: o.issueAccessToken(),
    SF_API_VERSION: '62.0',
  });

  for (const job of CSV_JOBS) {
    it(`${job} runs against the org: every planned record ends with its planned owner`, async () => {
      const [folder = '', file = ''] = job.split('/');
      const o = await orgFor(folder);
      const cwd = await makeTempDir();
      const result = await leadshift(
        cwd,
        ['run', '--job', join(EXAMPLES, folder, file), '--from', 'salesforce', '--yes', '--home', 'home'],
        env(o),
      );
      expect(result.code, show(result)).toBe(0);
      const rows = await planRows(join(cwd, 'home'));
      expect(rows.length).toBeGreaterThan(0);
      const object = file === 'contacts.yml' ? 'Contact' : 'Lead';
      for (const row of rows) expect(o.record(object, row.Id as string)?.OwnerId).toBe(row.NewOwnerId);
    });
  }

  it("re-runs leads through the org's active assignment rule", async () => {
    const o = await orgFor('salesforce-assignment-rules');
    const target = o.records('User').find((u) => u.Username === 'grace@acme.com')?.Id as string;
    o.setLeadAssignmentRule({ assign: () => target });
    const cwd = await makeTempDir();
    const job = join(EXAMPLES, 'salesforce-assignment-rules/job.yml');
    const result = await leadshift(cwd, ['run', '--job', job, '--yes', '--home', 'home'], env(o));
    expect(result.code, show(result)).toBe(0);
    const rows = await planRows(join(cwd, 'home'));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.NewOwner).toBe('by Salesforce assignment rules');
      expect(o.record('Lead', row.Id as string)?.OwnerId).toBe(target);
    }
    const patches = o.requests.filter((r) => r.method === 'PATCH' && r.path.includes('/composite/sobjects'));
    expect(patches.length).toBeGreaterThan(0);
    for (const patch of patches)
      expect(String(patch.headers['sforce-auto-assign']).toUpperCase()).toBe('TRUE');
  });
});
