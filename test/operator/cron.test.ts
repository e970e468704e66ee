/**
 * Cron: `leadshift run --job <job> --yes`, no terminal anywhere, twice in a row. The exit code and the run
 * directory must tell what happened; the second run must find nothing left to do.
 */

import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestOrg } from '../org/index.js';
import { seedFromCsv } from '../org/seed.js';
import {
  assertBuilt,
  cli,
  DEMO,
  demoCopy,
  readCsv,
  readJson,
  removeTempDirs,
  runDirs,
  show,
  tempDir,
  tokenEnv,
} from './helpers.js';

beforeAll(assertBuilt);
const orgs: TestOrg[] = [];
afterAll(async () => {
  await Promise.all(orgs.splice(0).map((o) => o.close()));
  await removeTempDirs();
});

const RUN_FILES = [
  'plan.csv',
  'unassigned.csv',
  'run.json',
  'results.csv',
  'undo.csv',
  'digest.csv',
  'plan.html',
] as const;

interface RunJson {
  status: string;
  counts: { changes: number; updated?: number; failed?: number };
}

async function checkAppliedRun(runDir: string, expectUpdateCsv: boolean): Promise<RunJson> {
  for (const file of RUN_FILES) expect(existsSync(join(runDir, file)), file).toBe(true);
  expect(existsSync(join(runDir, 'update.csv')), 'update.csv').toBe(expectUpdateCsv);
  const record = await readJson<RunJson>(join(runDir, 'run.json'));
  expect(record.status).toBe('applied');
  expect(record.counts.changes).toBeGreaterThan(0);
  expect(record.counts.updated).toBe(record.counts.changes);
  const plan = await readCsv(join(runDir, 'plan.csv'));
  const results = await readCsv(join(runDir, 'results.csv'));
  const undo = await readCsv(join(runDir, 'undo.csv'));
  expect(plan).toHaveLength(record.counts.changes);
  expect(results).toHaveLength(record.counts.changes);
  expect(results.every((r) => r.Status === 'updated')).toBe(true);
  expect(undo).toHaveLength(record.counts.changes);
  const digest = await readCsv(join(runDir, 'digest.csv'));
  expect(digest.reduce((sum, row) => sum + Number(row.Records), 0)).toBe(record.counts.updated);
  return record;
}

describe.concurrent('crontab-style runs, twice in a row', () => {
  it('on the demo CSV exports: applied, then (after loading update.csv) nothing to change', async () => {
    const dir = await demoCopy();
    const first = await cli(dir, ['run', '--job', 'job.yml', '--yes', '--home', 'h']);
    expect(first.code, show(first)).toBe(0);
    expect(first.stdout).toMatch(/Applied .*737 updated/);
    expect(first.stdout).toMatch(/Undo with: leadshift undo /);
    const [runDir = ''] = await runDirs(join(dir, 'h'));
    await checkAppliedRun(runDir, true);
    const update = await readCsv(join(runDir, 'update.csv'));
    expect(update).toHaveLength(737);

    // Data Loader loads update.csv: the next export carries the new owners.
    const newOwner = new Map(update.map((row) => [row.Id, row.OwnerId]));
    const leads = await readCsv(join(dir, 'leads.csv'));
    for (const row of leads) row.OwnerId = newOwner.get(row.Id ?? '') ?? row.OwnerId ?? '';
    await writeFile(join(dir, 'leads.csv'), stringify(leads, { header: true }));

    const second = await cli(dir, ['run', '--job', 'job.yml', '--yes', '--home', 'h']);
    expect(second.code, show(second)).toBe(0);
    expect(second.stdout).toMatch(/Nothing to change/);
    const dirs = await runDirs(join(dir, 'h'));
    expect(dirs).toHaveLength(2);
    const last = dirs[1] ?? '';
    const record = await readJson<RunJson>(join(last, 'run.json'));
    expect(record.counts.changes).toBe(0);
    expect(await readCsv(join(last, 'plan.csv'))).toHaveLength(0);
    expect(existsSync(join(last, 'update.csv'))).toBe(false);
    expect(existsSync(join(last, 'results.csv'))).toBe(false);
  });

  it('a csv run without --yes and without a terminal refuses (exit 4), as cron without --yes would', async () => {
    const dir = await demoCopy();
    const result = await cli(dir, ['run', '--job', 'job.yml', '--home', 'h']);
    expect(result.code, show(result)).toBe(4);
    expect(result.stderr).toMatch(/no terminal to ask .*--yes/);
    const [runDir = ''] = await runDirs(join(dir, 'h'));
    expect(existsSync(join(runDir, 'update.csv'))).toBe(false);
  });

  it('on the test org seeded with the demo data: applied, then nothing to change', async () => {
    const org = await TestOrg.start({ apiVersion: '62.0', bulkDelayMs: 10 });
    orgs.push(org);
    org.defineFields('Lead', ['Exclude_From_Reassignment__c:boolean', 'Reassignment_Reason__c:string']);
    seedFromCsv(org, DEMO);
    const dir = await tempDir();
    const job = (await readFile(join(DEMO, 'job.yml'), 'utf8'))
      .replace('from: csv:leads.csv', 'from: salesforce')
      .replace(/^(users|queues): .*\n/gm, '')
      .replace('departed.csv', join(DEMO, 'departed.csv'));
    expect(job).toMatch(/from: salesforce/);
    await writeFile(join(dir, 'job.yml'), job);
    const before = new Map(org.records('Lead').map((r) => [String(r.Id), String(r.OwnerId)]));

    const first = await cli(dir, ['run', '--job', 'job.yml', '--yes', '--home', 'h'], tokenEnv(org));
    expect(first.code, show(first)).toBe(0);
    const [runDir = ''] = await runDirs(join(dir, 'h'));
    const record = await checkAppliedRun(runDir, false);
    expect(record.counts.changes).toBe(737);
    for (const row of await readCsv(join(runDir, 'results.csv'))) {
      expect(before.get(row.Id ?? '')).toBe(row.OldOwnerId);
      expect(String(org.record('Lead', row.Id ?? '')?.OwnerId)).toBe(row.NewOwnerId);
    }
    const patches = org.requests.filter((r) => r.method === 'PATCH').length;

    const second = await cli(dir, ['run', '--job', 'job.yml', '--yes', '--home', 'h'], tokenEnv(org));
    expect(second.code, show(second)).toBe(0);
    expect(second.stdout).toMatch(/Nothing to change/);
    expect(org.requests.filter((r) => r.method === 'PATCH').length).toBe(patches);
    const dirs = await runDirs(join(dir, 'h'));
    expect(dirs).toHaveLength(2);
    expect((await readJson<RunJson>(join(dirs[1] ?? '', 'run.json'))).counts.changes).toBe(0);
  });
});
