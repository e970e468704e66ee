import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CsvFileWriter } from '../csv/write.js';
import { Directory } from '../directory/directory.js';
import { InputError } from '../errors.js';
import { readPlanFile } from '../journal/plan-file.js';
import { RUN_FILES, runFile } from '../journal/run-files.js';
import { newRunId, pathExists, runsDir, StagedDir } from '../journal/run-home.js';
import { plannedManifest, type RunManifest, readManifest, writeManifest } from '../journal/run-manifest.js';
import { displayPath } from '../paths.js';
import { UNASSIGNED_COLUMNS } from '../plan/plan-rows.js';
import { SummaryBuilder } from '../plan/summary.js';
import type { Ports } from '../ports.js';
import { type ApplyResult, applyRun } from './apply.js';
import { confirmWrite } from './confirm.js';
import { withRunLock } from './with-lock.js';

/**
 * Makes the run directory that reverses an applied run: its plan is the run's undo.csv, so applying it
 * puts old owners back only where the owner is still the one the run set.
 */
export async function planUndo(
  runDir: string,
  home: string,
  command: string,
  ports: Ports,
): Promise<{ runDir: string; manifest: RunManifest }> {
  const original = await readManifest(runDir);
  const label = displayPath(runDir, ports.cwd);
  if (!original)
    throw new InputError({
      file: label,
      message: `is not a run directory (no ${RUN_FILES.manifest})`,
      hint: 'Pass a folder written by leadshift run or apply',
    });
  const undoPath = runFile(runDir, 'undo');
  if (!(await pathExists(undoPath))) {
    throw new InputError({
      file: label,
      message: `has no ${RUN_FILES.undo}: the run was never applied (status ${original.status})`,
      hint: 'Only an applied run can be undone',
    });
  }
  const now = ports.clock();
  const runId = newRunId(now);
  const staged = await StagedDir.create(join(runsDir(home), runId));
  try {
    await copyFile(undoPath, runFile(staged.path, 'plan'));
    await (await CsvFileWriter.create(runFile(staged.path, 'unassigned'), UNASSIGNED_COLUMNS)).close();
    const summary = await summarise(staged.path, displayPath(undoPath, ports.cwd), original.object);
    const manifest = plannedManifest(
      {
        runId,
        kind: 'undo',
        undoOf: original.runId,
        object: original.object,
        source: original.source,
        target: original.target,
        instance: original.instance,
        job: { ...original.job, limits: {} },
        command,
        counts: { selected: summary.changes, changes: summary.changes, unassigned: 0, kept: 0 },
        summary,
      },
      { startedAt: now, plannedAt: now },
    );
    await writeManifest(staged.path, manifest);
    return { runDir: await staged.commit(), manifest };
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

export interface UndoRequest {
  runDir: string;
  home: string;
  yes: boolean;
  /** CSV runs: a current export to check owners against. */
  freshFrom?: string;
  signal?: AbortSignal;
  /** Shows the undo plan before the question. */
  showPlan: (undo: { runDir: string; manifest: RunManifest }) => Promise<void>;
}

/** `undo`: plans the reversal of an applied run, asks, and applies it, under the run home's lock. */
export async function undoJob(request: UndoRequest, ports: Ports): Promise<ApplyResult> {
  return withRunLock(request.home, 'undo', async () => {
    const undo = await planUndo(request.runDir, request.home, 'undo', ports);
    await request.showPlan(undo);
    if (undo.manifest.counts.changes > 0) await confirmWrite(undo.manifest, undo.runDir, request.yes, ports);
    return applyRun(
      {
        runDir: undo.runDir,
        home: request.home,
        command: 'undo',
        freshFrom: request.freshFrom,
        signal: request.signal,
      },
      ports,
    );
  });
}
