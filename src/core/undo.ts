import { join } from 'node:path';
import { scanNamedColumns } from '../csv/scan.js';
import { CsvFileWriter } from '../csv/write.js';
import { InputError, InterruptedError } from '../errors.js';
import { openReversals, type Reversal, reversalCells } from '../journal/after-apply.js';
import { IdTable } from '../journal/id-table.js';
import { writePlanPage } from '../journal/plan-page/index.js';
import { hasRows, resultColumns } from '../journal/results.js';
import { RUN_FILES, runFile } from '../journal/run-files.js';
import { newRunId, pathExists, runsDir, StagedDir } from '../journal/run-home.js';
import { plannedManifest, type RunManifest, readManifest, writeManifest } from '../journal/run-manifest.js';
import { displayPath } from '../paths.js';
import { OBJECT_COLUMN, UNASSIGNED_COLUMNS } from '../plan/plan-rows.js';
import { SummaryBuilder } from '../plan/summary.js';
import type { Ports } from '../ports.js';
import type { PlannedChange } from '../sinks/sink.js';
import { type ApplyResult, applyRun, settleStoppedApply } from './apply.js';
import { confirmWrite } from './confirm.js';
import { listRuns } from './runs.js';
import { type RestoreOptions, type RestoreOwners, readRestoreOwners } from './undo-owners.js';
import { withRunLock } from './with-lock.js';

/** How far back `undo` looks for earlier undos of the same run. */
const EARLIER_UNDOS_SCANNED = 10_000;

/** One reversal, decided: written, or left alone with the reason. */
type Verdict = { kind: 'write'; change: PlannedChange } | { kind: 'leave'; reason: string };

/**
 * Makes the run directory that reverses a run, from its results.csv: every record it set (also when it
 * stopped part-way), per object, back to the owner before it, where the owner is still the one it set.
 * Left alone, journalled `skipped` before anything is sent: records the org moved after the run wrote
 * them, records an earlier undo already restored, and records whose owner to restore is inactive
 * (unless the running user may assign inactive owners, or `--to` names someone else).
 */
export async function planUndo(
  runDir: string,
  home: string,
  options: RestoreOptions & { command: string },
  ports: Ports,
): Promise<{ runDir: string; manifest: RunManifest }> {
  const original = await readOriginal(runDir, ports.cwd);
  const planLabel = displayPath(runFile(runDir, 'plan'), ports.cwd);
  const reversals = await openReversals(runDir, planLabel, original.object);
  const { ownerIds, objects, names } = await restoredOwners(reversals.batches());
  const owners = await readRestoreOwners(original.job, ownerIds, objects, options, ports);
  try {
    if (original.target === 'csv' && !options.users && !original.job.users)
      ports.reporter.warn(
        'No User export to check the owners undo restores against: give one with --users users.csv',
      );
    const restored = await restoredBefore(home, original.runId);
    const now = ports.clock();
    const runId = newRunId(now);
    const staged = await StagedDir.create(join(runsDir(home), runId));
    try {
      const input = { columns: reversals.columns, object: original.object, reversals: reversals.batches() };
      const written = await writeUndoFiles(staged.path, input, (reversal) =>
        decide(reversal, owners, restored, original.runId),
      );
      nameUnknownOwners(owners, names);
      const fromRunExport = original.target === 'csv' && !options.freshFrom;
      const summary = written.builder.finish(
        owners.directory,
        await openBefore(written, owners, fromRunExport),
      );
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
          command: options.command,
          counts: {
            selected: summary.selected,
            changes: summary.changes,
            unassigned: summary.unassigned,
            kept: 0,
          },
          summary,
        },
        { startedAt: now, plannedAt: now },
      );
      await writeManifest(staged.path, manifest);
      await writePlanPage(staged.path, manifest);
      return { runDir: await staged.commit(), manifest };
    } catch (error) {
      await staged.discard();
      throw error;
    }
  } finally {
    await owners.close();
  }
}

async function readOriginal(runDir: string, cwd: string): Promise<RunManifest> {
  const original = await readManifest(runDir);
  const label = displayPath(runDir, cwd);
  if (!original)
    throw new InputError({
      file: label,
      message: `is not a run directory (no ${RUN_FILES.manifest})`,
      hint: 'Pass a folder written by leadshift run or apply',
    });
  // An apply killed before its first journal line leaves results.csv empty: it wrote nothing.
  if (!(await hasRows(runFile(runDir, 'results')))) {
    throw new InputError({
      file: label,
      message: `has no ${RUN_FILES.results}: the run was never applied (status ${original.status}), so there is nothing to undo`,
      hint: 'Only a run that wrote something can be undone',
    });
  }
  return original;
}

/** The owners undo would give records back to, and the objects it writes. */
async function restoredOwners(reversals: AsyncIterable<Reversal[]>) {
  const ids = new Set<string>();
  const objects = new Set<string>();
  const names = new Map<string, string>();
  for await (const batch of reversals)
    for (const { change } of batch) {
      ids.add(change.newOwnerId);
      objects.add(change.object);
      names.set(change.newOwnerId, change.newOwner);
      names.set(change.oldOwnerId, change.oldOwner);
    }
  return { ownerIds: [...ids], objects: [...objects], names };
}

/** Records earlier undos of this run already put back: undoing twice changes nothing the second time. */
async function restoredBefore(home: string, runId: string): Promise<RestoredBefore> {
  const restored = new RestoredBefore();
  const { runs } = await listRuns(home, EARLIER_UNDOS_SCANNED);
  const required = { required: ['Id', 'Status'] };
  for (const run of runs) {
    if (run.manifest.kind !== 'undo' || run.manifest.undoOf !== runId) continue;
    const path = runFile(run.dir, 'results');
    if (!(await pathExists(path))) continue;
    for await (const batch of scanNamedColumns(path, RUN_FILES.results, ['Id', 'Status'], required))
      for (const [id, status] of batch.map((row) => row.cells as [string, string]))
        if (status.trim() === 'updated') restored.set(id.trim(), run.manifest.runId);
  }
  return restored;
}

/** Which undo put each record back: a packed Id and the number of that undo's run a record. */
class RestoredBefore {
  private readonly table = new IdTable(0, 32);
  private readonly runIds: string[] = [];

  set(id: string, runId: string): void {
    if (this.runIds.at(-1) !== runId) this.runIds.push(runId);
    this.table.set(id, this.runIds.length - 1);
  }

  get(id: string): string | undefined {
    const number = this.table.get(id);
    return number === undefined ? undefined : this.runIds[number];
  }
}

function decide(
  { change, status }: Reversal,
  owners: RestoreOwners,
  restored: RestoredBefore,
  runId: string,
): Verdict {
  const earlier = restored.get(change.id);
  if (earlier) return { kind: 'leave', reason: `already put back by undo ${earlier}` };
  if (status === 'overridden')
    return {
      kind: 'leave',
      reason: 'the org moved it after the run wrote it (overridden): undo leaves that owner alone',
    };
  const rule = `undo ${runId}`;
  const user = owners.directory.user(change.newOwnerId);
  if (!user || user.isActive || owners.mayAssignInactive)
    return { kind: 'write', change: { ...change, rule } };
  const name = user.username ?? user.name ?? user.id;
  if (!owners.to)
    return {
      kind: 'leave',
      reason: `${name} is an inactive user, and the running user may not assign records to inactive owners; undo --to USER gives them to someone else`,
    };
  const to = owners.to.kind === 'user' ? owners.to.user.id : owners.to.queue.id;
  return {
    kind: 'write',
    change: {
      ...change,
      newOwnerId: to,
      newOwner: owners.directory.label(to),
      rule: `${rule} (--to: ${name} is inactive)`,
    },
  };
}

/**
 * Writes plan.csv (what the undo sends), unassigned.csv and results.csv (what it leaves alone, already
 * settled as `skipped`), counting both in the summary. `moved` is what the run did to each owner's open
 * records of its object: how an export read before the run differs from the org now.
 */
async function writeUndoFiles(
  dir: string,
  input: { columns: string[]; object: string; reversals: AsyncIterable<Reversal[]> },
  verdictOf: (reversal: Reversal) => Verdict,
): Promise<{ builder: SummaryBuilder; moved: Map<string, number> }> {
  const { columns, object } = input;
  const builder = new SummaryBuilder();
  const moved = new Map<string, number>();
  const move = (id: string, by: number) => moved.set(id, (moved.get(id) ?? 0) + by);
  const plan = await CsvFileWriter.create(runFile(dir, 'plan'), columns);
  const several = columns.includes(OBJECT_COLUMN);
  const objectCell = (change: { object: string }) => (several ? [change.object] : []);
  const left = await CsvFileWriter.create(runFile(dir, 'unassigned'), [
    ...UNASSIGNED_COLUMNS,
    ...(several ? [OBJECT_COLUMN] : []),
  ]);
  const results = await CsvFileWriter.create(runFile(dir, 'results'), resultColumns(several));
  async function writeOne(reversal: Reversal): Promise<void> {
    builder.selected++;
    const { change } = reversal;
    const main = change.object === object;
    if (main) {
      move(change.oldOwnerId, 1);
      move(change.newOwnerId, -1);
    }
    const verdict = verdictOf(reversal);
    if (verdict.kind === 'write') {
      await plan.write(reversalCells(verdict.change, columns));
      builder.addChange(change.oldOwnerId, verdict.change.newOwnerId, verdict.change.rule, main);
    } else {
      await left.write([change.id, change.oldOwnerId, verdict.reason, ...objectCell(change)]);
      await results.write([
        change.id,
        change.oldOwnerId,
        change.newOwnerId,
        'skipped',
        verdict.reason,
        ...objectCell(change),
      ]);
      builder.addUnassigned(verdict.reason);
    }
  }
  for await (const batch of input.reversals) for (const reversal of batch) await writeOne(reversal);
  await Promise.all([plan.close(), left.close(), results.close()]);
  return { builder, moved };
}

/**
 * Each receiving owner's open records now: read from the org, or from a current export; from the run's
 * own export (read before the run) with the run's moves added.
 */
async function openBefore(
  written: { builder: SummaryBuilder; moved: Map<string, number> },
  owners: RestoreOwners,
  fromRunExport: boolean,
): Promise<Map<string, number>> {
  const counts = (await owners.openCounts(written.builder.receiverIds())) ?? new Map<string, number>();
  if (!fromRunExport) return counts;
  const now = new Map<string, number>();
  for (const [id, count] of counts) now.set(id, Math.max(0, count + (written.moved.get(id) ?? 0)));
  return now;
}

/** Names for owners the directory does not hold (a user since deleted), from the run's plan. */
function nameUnknownOwners(owners: RestoreOwners, names: Map<string, string>): void {
  for (const [id, name] of names)
    if (!owners.directory.owner(id)) owners.directory.addUser({ id, isActive: true, username: name || id });
}

export interface UndoRequest extends RestoreOptions {
  runDir: string;
  home: string;
  yes: boolean;
  signal?: AbortSignal;
  /** Shows the undo plan before the question. */
  showPlan: (undo: { runDir: string; manifest: RunManifest }) => Promise<void>;
}

/** `undo`: plans the reversal of a run, asks, and applies it, under the run home's lock. */
export async function undoJob(request: UndoRequest, ports: Ports): Promise<ApplyResult> {
  return withRunLock(request.home, 'undo', async () => {
    await settleStoppedApply(request.runDir, ports);
    const undo = await planUndo(request.runDir, request.home, { ...request, command: 'undo' }, ports);
    await request.showPlan(undo);
    if (request.signal?.aborted)
      throw new InterruptedError('interrupted before the undo wrote anything', undo.runDir);
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
