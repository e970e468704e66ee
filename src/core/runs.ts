import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { runsDir } from '../journal/run-home.js';
import { type RunManifest, readManifest } from '../journal/run-manifest.js';

export interface PastRun {
  dir: string;
  manifest: RunManifest;
}

/** The run home's runs, newest first, at most `limit` of them. */
export async function listRuns(home: string, limit: number): Promise<{ dir: string; runs: PastRun[] }> {
  const dir = runsDir(home);
  const names = (await readdir(dir).catch(() => [] as string[]))
    .filter((name) => !name.startsWith('.'))
    .sort()
    .reverse();
  const runs: PastRun[] = [];
  for (const [index, name] of names.entries()) {
    // Names sort by the second a run started; runs started in the same second are all read, then ordered
    // by their start time, so the limit never cuts a second in half.
    if (runs.length >= limit && secondOf(name) !== secondOf(names[index - 1] ?? '')) break;
    const manifest = await readManifest(join(dir, name)).catch(() => undefined);
    if (manifest) runs.push({ dir: join(dir, name), manifest });
  }
  runs.sort((a, b) => b.manifest.startedAt.localeCompare(a.manifest.startedAt) || b.dir.localeCompare(a.dir));
  runs.splice(limit);
  return { dir, runs };
}

/** `20261124T233512Z-3f9a1c` → `20261124T233512Z`. */
function secondOf(name: string): string {
  return name.split('-')[0] ?? name;
}
