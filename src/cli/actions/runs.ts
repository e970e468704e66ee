import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { runsDir } from '../../journal/run-home.js';
import { type RunRecord, readRunRecord } from '../../journal/run-record.js';
import { count, table } from '../../ui/style.js';
import type { CommandContext } from '../context.js';
import { runsJson } from '../json.js';

export async function runsCommand(options: { limit: number }, context: CommandContext): Promise<number> {
  const dir = runsDir(context.home);
  const names = (await readdir(dir).catch(() => [] as string[]))
    .filter((name) => !name.startsWith('.'))
    .sort()
    .reverse();
  const runs: Array<{ dir: string; record: RunRecord }> = [];
  for (const [index, name] of names.entries()) {
    // Names sort by the second a run started; runs started in the same second are all read, then ordered
    // by their start time, so the limit never cuts a second in half.
    if (runs.length >= options.limit && secondOf(name) !== secondOf(names[index - 1] ?? '')) break;
    const record = await readRunRecord(join(dir, name)).catch(() => undefined);
    if (record) runs.push({ dir: join(dir, name), record });
  }
  runs.sort((a, b) => b.record.startedAt.localeCompare(a.record.startedAt) || b.dir.localeCompare(a.dir));
  runs.splice(options.limit);
  if (context.json) {
    context.printJson(runsJson(runs));
    return 0;
  }
  if (runs.length === 0) {
    context.print(`No runs in ${dir}.\n`);
    return 0;
  }
  const { style } = context;
  const rows = runs.map(({ dir: runDir, record }) => [
    record.startedAt.replace('T', ' ').slice(0, 16),
    record.ranBy,
    record.kind === 'undo' ? `undo ${record.object}` : record.object,
    record.status,
    count(record.counts.changes),
    count(record.counts.updated ?? 0),
    count(record.counts.failed ?? 0),
    runDir,
  ]);
  const header = ['When (UTC)', 'Who', 'Object', 'Status', 'Planned', 'Updated', 'Failed', 'Directory'].map(
    (h) => style.dim(h),
  );
  context.print(`${table([header, ...rows], new Set([4, 5, 6]), '').join('\n')}\n`);
  return 0;
}

/** `20261124T233512Z-3f9a1c` → `20261124T233512Z`. */
function secondOf(name: string): string {
  return name.split('-')[0] ?? name;
}
