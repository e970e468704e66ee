/** A CSV target tells nobody: `--notify` is answered with a warning, and digest.csv is written instead. */
import { existsSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { assertBuilt, DEMO, runCli, show } from '../support/cli.js';
import { resultOf } from '../support/envelope.js';
import { removeTempDirs, tempDir } from '../support/files.js';

beforeAll(assertBuilt);
afterAll(removeTempDirs);

test('run --notify email on CSV exports: applied, nobody told, a warning says why', async () => {
  const dir = await tempDir('leadshift-notify-csv-');
  for (const file of ['leads.csv', 'users.csv', 'queues.csv', 'departed.csv', 'job.yml'])
    await copyFile(join(DEMO, file), join(dir, file));
  const result = await runCli(dir, [
    '--home',
    'h',
    'run',
    '--job',
    'job.yml',
    '--yes',
    '--notify',
    'email',
    '--out',
    'r',
    '--json',
  ]);
  expect(result.code, show(result)).toBe(0);
  const doc = JSON.parse(result.stdout) as { warnings: string[] };
  expect(doc.warnings).toContain(
    'Nobody is told on a CSV target (--notify email is for Salesforce): digest.csv lists what each new owner received',
  );
  const json = resultOf<{ notify?: unknown; page: string }>(result.stdout);
  expect(json.notify).toBeUndefined();
  expect(json.page).toBe(join(dir, 'r', 'plan.html'));
  expect(existsSync(join(dir, 'r', 'notify.jsonl'))).toBe(false);
  expect(existsSync(join(dir, 'r', 'digest.csv'))).toBe(true);

  const resend = await runCli(dir, ['--home', 'h', 'notify', 'r']);
  expect(resend.code, show(resend)).toBe(2);
  expect(resend.stderr).toContain(
    'wrote to a CSV file, not to Salesforce: nobody can be told through the org',
  );
});
