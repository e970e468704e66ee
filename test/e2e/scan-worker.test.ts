import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, DEMO, leadshift, listTree, makeTempDir, removeTempDirs, show } from './helpers.js';

beforeAll(assertBuilt);
afterAll(removeTempDirs);

/** The second thread starts from a file size; setting it to 1 byte sends the demo export through it. */
const WORKER = { LEADSHIFT_SCAN_WORKER_FROM_BYTES: '1' };
const INLINE = { LEADSHIFT_SCAN_WORKER_FROM_BYTES: '1000000000000' };

async function demo(): Promise<string> {
  const cwd = await makeTempDir();
  for (const file of ['leads.csv', 'users.csv', 'queues.csv', 'departed.csv', 'job.yml'])
    await copyFile(join(DEMO, file), join(cwd, file));
  return cwd;
}

describe.concurrent('scanning a large export on a second thread', () => {
  it('plans exactly what the single thread plans', async () => {
    const cwd = await demo();
    const inline = await leadshift(
      cwd,
      ['plan', '--job', 'job.yml', '--home', 'h1', '--out', 'inline'],
      INLINE,
    );
    const worker = await leadshift(
      cwd,
      ['plan', '--job', 'job.yml', '--home', 'h2', '--out', 'worker'],
      WORKER,
    );
    expect(inline.code, show(inline)).toBe(0);
    expect(worker.code, show(worker)).toBe(0);
    for (const file of ['plan.csv', 'unassigned.csv']) {
      expect(await readFile(join(cwd, 'worker', file), 'utf8')).toBe(
        await readFile(join(cwd, 'inline', file), 'utf8'),
      );
    }
    const receivers = (dir: string) =>
      readFile(join(cwd, dir, 'run.json'), 'utf8').then((t) => JSON.parse(t).summary.receivers);
    expect(await receivers('worker')).toEqual(await receivers('inline'));
  });

  it('reports a bad row with its line, and writes nothing', async () => {
    const cwd = await demo();
    const lines = (await readFile(join(cwd, 'leads.csv'), 'utf8')).split('\n');
    lines[2500] = lines[2500]?.replace(/^"00Q[^"]*"/, '"not-an-id"') ?? '';
    await writeFile(join(cwd, 'leads.csv'), lines.join('\n'));
    const before = await listTree(cwd);
    const result = await leadshift(cwd, ['plan', '--job', 'job.yml', '--home', 'home'], WORKER);
    expect(result.code, show(result)).toBe(2);
    expect(result.stderr).toMatch(/leads\.csv, line 2501, column Id: "not-an-id" is not a Salesforce Id/);
    expect(await listTree(cwd)).toEqual(before);
  });
});
