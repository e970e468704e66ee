import { listRuns } from '../../core/runs.js';
import { count, table } from '../../ui/style.js';
import type { CommandContext } from '../context.js';
import { runsJson } from '../json.js';
import type { Outcome } from '../run-action.js';

export async function runsCommand(options: { limit: number }, context: CommandContext): Promise<Outcome> {
  const { dir, runs } = await listRuns(context.home, options.limit);
  if (context.json) {
    context.printJson(runsJson(runs));
    return 'done';
  }
  if (runs.length === 0) {
    context.print(`No runs in ${dir}.\n`);
    return 'done';
  }
  const { style } = context;
  const rows = runs.map(({ dir: runDir, manifest }) => [
    manifest.startedAt.replace('T', ' ').slice(0, 16),
    manifest.ranBy,
    manifest.kind === 'undo' ? `undo ${manifest.object}` : manifest.object,
    manifest.status,
    count(manifest.counts.changes),
    count(manifest.counts.updated ?? 0),
    count(manifest.counts.failed ?? 0),
    runDir,
  ]);
  const header = ['When (UTC)', 'Who', 'Object', 'Status', 'Planned', 'Updated', 'Failed', 'Directory'].map(
    (h) => style.dim(h),
  );
  context.print(`${table([header, ...rows], new Set([4, 5, 6]), '').join('\n')}\n`);
  return 'done';
}
