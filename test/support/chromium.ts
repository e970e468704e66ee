/** Headless Chromium for tests that look at plan.html as a browser shows it. */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const NAMES = ['chromium', 'chromium-browser', 'google-chrome'];

/** The Chromium on PATH, or undefined (Debian: `apt-get install -y chromium`). */
export function findChromium(): string | undefined {
  for (const folder of (process.env.PATH ?? '').split(delimiter))
    for (const name of NAMES) {
      const path = join(folder, name);
      try {
        accessSync(path, constants.X_OK);
        return path;
      } catch {
        // not in this folder
      }
    }
  return undefined;
}

/** Each call gets its own profile folder, so that parallel tests do not share a browser. */
async function withProfile<T>(work: (flags: string[]) => Promise<T>): Promise<T> {
  const profile = await mkdtemp(join(tmpdir(), 'leadshift-chromium-'));
  try {
    return await work([
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--no-first-run',
      '--hide-scrollbars',
      `--user-data-dir=${profile}`,
      // Scripts run before the DOM is dumped or the picture taken.
      '--virtual-time-budget=10000',
    ]);
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

/** The page's DOM after its scripts ran. */
export function dumpDom(chromium: string, file: string): Promise<string> {
  return withProfile(async (flags) => {
    const { stdout } = await run(chromium, [...flags, '--dump-dom', pathToFileURL(file).href], {
      maxBuffer: 256 * 1024 * 1024,
      timeout: 120_000,
    });
    return stdout;
  });
}

export function screenshot(chromium: string, file: string, png: string, size = '1280,1800'): Promise<void> {
  return withProfile(async (flags) => {
    await run(
      chromium,
      [...flags, `--screenshot=${png}`, `--window-size=${size}`, pathToFileURL(file).href],
      {
        timeout: 120_000,
      },
    );
  });
}
