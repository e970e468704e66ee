/**
 * The committed fixtures are what the scripts make: a change to bench/data.ts or a script that is not
 * followed by re-running the script fails here instead of leaving fixtures nobody can reproduce.
 */
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { childEnv, ROOT } from '../support/cli.js';
import { listTree, removeTempDirs, tempDir } from '../support/files.js';

const run = promisify(execFile);
afterAll(removeTempDirs);

/** Files of a fixture folder that no script writes. */
const HAND_WRITTEN: Record<string, (path: string) => boolean> = {
  demo: (path) => path === 'job.yml',
  examples: (path) => path.split('/').includes('expected'),
};

async function files(dir: string): Promise<string[]> {
  return (await listTree(dir)).filter((path) => statSync(join(dir, path)).isFile());
}

describe.concurrent('fixtures are current', () => {
  for (const [script, folder] of [
    ['make-demo.ts', 'demo'],
    ['make-examples.ts', 'examples'],
  ] as const) {
    it(`scripts/${script} reproduces fixtures/${folder} byte for byte`, async () => {
      const out = await tempDir('leadshift-fixtures-');
      await run(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', script), out], {
        cwd: ROOT,
        env: childEnv(),
      });
      const committed = join(ROOT, 'fixtures', folder);
      const made = await files(out);
      const expected = (await files(committed)).filter((path) => !HAND_WRITTEN[folder]?.(path));
      expect(made, `files written by scripts/${script}`).toEqual(expected);
      for (const path of made) {
        const [now, then] = await Promise.all([readFile(join(out, path)), readFile(join(committed, path))]);
        expect(
          now.equals(then),
          `fixtures/${folder}/${path} differs from what scripts/${script} writes now: run it`,
        ).toBe(true);
      }
    });
  }
});
