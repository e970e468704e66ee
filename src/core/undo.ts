import { access, copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CsvFileWriter } from '../csv/write.js';
import { Directory } from '../directory/directory.js';
import { InputError } from '../errors.js';
import { UNDO_FILE } from '../journal/after-apply.js';
import { readPlanFile } from '../journal/plan-file.js';
import { newRunId, runsDir, StagedDir } from '../journal/run-home.js';
import { type RunRecord, readRunRecord, toolVersion, whoRan, writeRunRecord } from '../journal/run-record.js';
import { SummaryBuilder } from '../plan/summary.js';
import { PLAN_FILE, UNASSIGNED_COLUMNS, UNASSIGNED_FILE } from '../plan/write-plan.js';
import { displayPath } from './paths.js';
import type { Ports } from './ports.js';

/**
 * Makes the run directory that reverses an applied run: its plan is the run's undo.csv, so applying it
 * puts old owners back only where the owner is still the one the run set.
 */
export async function planUndo(
  runDir: string,
  home: string,
  command: string,
  ports: Ports,
): Promise<{ runDir: string; record: RunRecord }> {
  const original = await readRunRecord(runDir);
  const label = displayPath(runDir, ports.cwd);
  if (!original)
    throw new InputError({
      file: label,
      message: 'is not a run directory (no run.json)',
      hint: 'Pass a folder written by leadshift run or apply',
    });
  const undoPath = join(runDir, UNDO_FILE);
  if (
    !(await access(undoPath).then(
      () => true,
      () => false,
    ))
  ) {
    throw new InputError({
      file: label,
      message: `has no ${UNDO_FILE}: the run was never applied (status ${original.status})`,
      hint: 'Only an applied run can be undone',
    });
  }
  const now = ports.clock();
  const runId = newRunId(now);
  const staged = await StagedDir.create(join(runsDir(home), runId));
  try {
    await copyFile(undoPath, join(staged.path, PLAN_FILE));
    await (await CsvFileWriter.create(join(staged.path, UNASSIGNED_FILE), UNASSIGNED_COLUMNS)).close();
    const summary = await summarise(staged.path, displayPath(undoPath, ports.cwd), original.object);
    const record: RunRecord = {
      tool: { name: 'leadshift', version: toolVersion() },
      runId,
      kind: 'undo',
      undoOf: original.runId,
      status: 'planned',
      object: original.object,
      source: original.source,
      target: original.target,
      instance: original.instance,
      job: { ...original.job, limits: {} },
      ranBy: whoRan(),
      command,
      startedAt: now.toISOString(),
      plannedAt: now.toISOString(),
      counts: { selected: summary.changes, changes: summary.changes, unassigned: 0, kept: 0 },
      summary,
    };
    await writeRunRecord(staged.path, record);
    return { runDir: await staged.commit(), record };
  } catch (error) {
    await staged.discard();
    throw error;
  }
}

async function summarise(dir: string, label: string, object: string) {
  const builder = new SummaryBuilder();
  const directory = new Directory();
  const names = new Map<string, string>();
  for await (const change of readPlanFile(dir, label, object)) {
    builder.selected++;
    builder.addChange(change.oldOwnerId, change.newOwnerId, change.rule);
    names.set(change.oldOwnerId, change.oldOwner);
    names.set(change.newOwnerId, change.newOwner);
  }
  for (const [id, name] of names) directory.addUser({ id, isActive: true, username: name || undefined });
  return builder.finish(directory, new Map());
}
