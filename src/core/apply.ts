import type { NotifyChannel } from '../config/job.js';
import { InputError, InterruptedError, StoppedError } from '../errors.js';
import { writeAfterApplyFiles } from '../journal/after-apply.js';
import { planNamesObjects, planStamps, readPlanFile } from '../journal/plan-file.js';
import { writePlanPage } from '../journal/plan-page/index.js';
import type { ResultStatuses } from '../journal/result-statuses.js';
import { countResults, journalResults, openResultsJournal, resumeResults } from '../journal/results.js';
import { RUN_FILES, runFile } from '../journal/run-files.js';
import { type ApplyCounts, type RunManifest, readManifest, writeManifest } from '../journal/run-manifest.js';
import { commitTurns } from '../journal/turns.js';
import type { ChangeResult } from '../model.js';
import { displayPath } from '../paths.js';
import type { Ports } from '../ports.js';
import { SessionExpiredError } from '../salesforce/errors.js';
import { openSink } from '../sinks/open-sink.js';
import type { PlannedChange, Sink } from '../sinks/sink.js';
import { checkApiShare, checkMaxChanges } from './limits.js';
import { type NotifyReport, notifyAfterApply } from './notify.js';
import { withRunLock } from './with-lock.js';

export interface ApplyRequest {
  runDir: string;
  home: string;
  command: string;
  /** CSV sink: a current export to check owners against (default: the plan's own source export). */
  freshFrom?: string;
  /** Aborted on Ctrl-C or SIGTERM: the window in flight finishes, the journal is flushed, then we stop. */
  signal?: AbortSignal;
  /** A sink `run` opened (and checked the limits on) before asking; otherwise apply opens its own. */
  sink?: Sink;
  /** `--notify`: tell the new owners this way (default: as the run's job says). */
  notify?: NotifyChannel;
}

export interface ApplyResult {
  runDir: string;
  manifest: RunManifest;
  counts: ApplyCounts;
  /** plan.html, rewritten with the results. */
  page: string;
  /** How telling the new owners went, when the run tells them. */
  notify?: NotifyReport;
}

/** Applies a saved plan exactly: only its records, only where the owner is still the planned old owner. */
export async function applyRun(request: ApplyRequest, ports: Ports): Promise<ApplyResult> {
  const { runDir } = request;
  const manifest = await readRunDir(runDir, ports.cwd);
  const planLabel = displayPath(runFile(runDir, 'plan'), ports.cwd);
  checkMaxChanges(manifest);
  const done = await resumeResults(runDir, manifest.counts.changes);
  // An applied plan applied again sends nothing, asks Salesforce for nothing and counts nothing twice.
  if (!(await hasPending(runDir, planLabel, manifest, done))) {
    await request.sink?.close();
    return finishApply(manifest, request, ports, { done, planLabel, sink: undefined });
  }
  stopIfAborted(request);
  const sink =
    request.sink ?? (await openCheckedSink(manifest, request, ports).catch(rethrowResumable(runDir)));
  try {
    stopIfAborted(request);
    manifest.status = 'applying';
    await writeManifest(runDir, manifest);
    await applyWindows(manifest, request, ports, { sink, done, planLabel });
  } catch (error) {
    const failure = error instanceof InterruptedError ? 'interrupted' : 'failed';
    await finishManifest(manifest, runDir, done, sink, failure, ports, error);
    // undo.csv and digest.csv for what was written so far; the error that stopped us is what counts.
    await writeAfterApplyFiles(runDir, planLabel, manifest).catch(() => undefined);
    await writePlanPage(runDir, manifest).catch(() => undefined);
    throw asResumable(error, runDir);
  } finally {
    await sink.close();
  }
  return finishApply(manifest, request, ports, { done, planLabel, sink });
}

async function finishApply(
  manifest: RunManifest,
  request: ApplyRequest,
  ports: Ports,
  state: { done: ResultStatuses; planLabel: string; sink: Sink | undefined },
): Promise<ApplyResult> {
  const { runDir } = request;
  const counts = await finishManifest(manifest, runDir, state.done, state.sink, undefined, ports);
  await writeAfterApplyFiles(runDir, state.planLabel, manifest);
  // Turns move once per plan: applying it again (to resume or retry) must not add its picks again.
  if (!manifest.turnsCommitted) {
    await commitTurns(runDir, request.home);
    manifest.turnsCommitted = true;
    await writeManifest(runDir, manifest);
  }
  const page = await writePlanPage(runDir, manifest);
  const notify = await notifyAfterApply(runDir, manifest, request.notify ?? manifest.job.notify, ports);
  return { runDir, manifest, counts, page, ...(notify ? { notify } : {}) };
}

/** Whether plan.csv has a record results.csv does not settle yet. */
async function hasPending(
  runDir: string,
  planLabel: string,
  manifest: RunManifest,
  done: ResultStatuses,
): Promise<boolean> {
  if (done.size === 0) return manifest.counts.changes > 0;
  for await (const change of readPlanFile(runDir, planLabel, manifest.object, planStamps(manifest.job)))
    if (!done.has(change.id)) return true;
  return false;
}

/** Ctrl-C or SIGTERM before a write goes out: stop with nothing of this window sent. */
function stopIfAborted(request: Pick<ApplyRequest, 'signal' | 'runDir'>): void {
  if (request.signal?.aborted)
    throw new InterruptedError(
      'interrupted: stopped before the next write; results.csv holds everything written',
      request.runDir,
    );
}

export async function readRunDir(runDir: string, cwd: string): Promise<RunManifest> {
  const manifest = await readManifest(runDir);
  if (!manifest) {
    throw new InputError({
      file: displayPath(runDir, cwd),
      message: `is not a run directory (no ${RUN_FILES.manifest})`,
      hint: 'Pass a folder written by leadshift plan or run',
    });
  }
  return manifest;
}

/** Opens the plan's sink and refuses, before anything is written, a write over `limits.maxApiShare`. */
export async function openCheckedSink(
  manifest: RunManifest,
  request: Pick<ApplyRequest, 'runDir' | 'freshFrom'>,
  ports: Ports,
): Promise<Sink> {
  const sink = await openSink(manifest, {
    runDir: request.runDir,
    freshFrom: request.freshFrom,
    env: ports.env,
    label: (path) => displayPath(path, ports.cwd),
    warn: (message) => ports.reporter.warn(message),
  });
  try {
    await checkApiShare(manifest, sink);
  } catch (error) {
    await sink.close();
    throw error;
  }
  return sink;
}

/**
 * Before undoing an apply that stopped part-way: journals what it wrote that results.csv does not say yet
 * (a kill between a write and its journal line; a Bulk job still running, waited for), writing nothing.
 * Without it, undo would miss those records, and a job finishing later would move them after the undo.
 */
export async function settleStoppedApply(runDir: string, ports: Ports): Promise<void> {
  const manifest = await readRunDir(runDir, ports.cwd);
  if (!STOPPED.has(manifest.status)) return;
  const planLabel = displayPath(runFile(runDir, 'plan'), ports.cwd);
  const done = await resumeResults(runDir, manifest.counts.changes);
  const sink = await openSink(manifest, {
    runDir,
    env: ports.env,
    label: (path) => displayPath(path, ports.cwd),
    warn: (message) => ports.reporter.warn(message),
  }).catch(rethrowResumable(runDir));
  try {
    await applyWindows(manifest, { runDir, home: '', command: 'undo' }, ports, {
      sink,
      done,
      planLabel,
      mode: 'settle',
    });
  } finally {
    await sink.close();
  }
  manifest.counts = { ...manifest.counts, ...countResults(done.values()) };
  await writeManifest(runDir, manifest);
}

/** An apply that ended without going through every window: killed, interrupted, or stopped by an error. */
const STOPPED = new Set<RunManifest['status']>(['applying', 'interrupted', 'failed']);

/**
 * The apply loop: windows of the plan not yet journalled, each written and journalled before the next.
 * `settle` visits only records an earlier attempt may have written, and sends nothing.
 */
async function applyWindows(
  manifest: RunManifest,
  request: ApplyRequest,
  ports: Ports,
  state: { sink: Sink; done: ResultStatuses; planLabel: string; mode?: 'write' | 'settle' },
): Promise<void> {
  const { sink, done, planLabel } = state;
  const settle = state.mode === 'settle';
  const journal = await openResultsJournal(request.runDir, await planNamesObjects(request.runDir, planLabel));
  const progress = ports.reporter.progress(
    settle ? 'Reading what the stopped apply wrote' : 'Applying',
    manifest.counts.changes,
  );
  progress.tick(Math.min(done.size, manifest.counts.changes));
  // Sinks answer by Id; the journal names each record's object from the window it came in.
  let objects = new Map<string, string>();
  const report = async (results: ChangeResult[]) => {
    if (journal.withObject) for (const result of results) result.object = objects.get(result.id) ?? '';
    await journalResults(journal, results);
    for (const result of results) done.set(result.id, result.status);
    progress.tick(results.length);
  };
  const send = (window: PlannedChange[]) => {
    if (journal.withObject) objects = new Map(window.map((change) => [change.id, change.object]));
    return settle ? sink.settleWindow(window, report) : sink.applyWindow(window, report);
  };
  try {
    let window: PlannedChange[] = [];
    for await (const change of readPlanFile(
      request.runDir,
      planLabel,
      manifest.object,
      planStamps(manifest.job),
    )) {
      if (done.has(change.id) || (settle && !sink.mayHaveWritten(change.id))) continue;
      window.push(change);
      if (window.length < sink.windowSize) continue;
      stopIfAborted(request);
      await send(window);
      window = [];
    }
    if (window.length > 0) {
      stopIfAborted(request);
      await send(window);
    }
  } finally {
    progress.done();
    await journal.close();
  }
}

/**
 * Salesforce stopping us (outage, network, daily limit, session gone, a refused request) is a stop the
 * user resumes from this run directory. A session that expires once writing began is such a stop too.
 */
function asResumable(error: unknown, runDir: string): unknown {
  if (error instanceof SessionExpiredError) return new StoppedError(error.message, { runDir });
  if (error instanceof StoppedError) error.runDir ??= runDir;
  return error;
}

/** Opening the sink: a session refused before anything is written stays a credential problem (exit 2). */
export function rethrowResumable(runDir: string): (error: unknown) => never {
  return (error) => {
    if (error instanceof StoppedError) error.runDir ??= runDir;
    throw error;
  };
}

async function finishManifest(
  manifest: RunManifest,
  runDir: string,
  done: ResultStatuses,
  sink: Sink | undefined,
  failure: 'interrupted' | 'failed' | undefined,
  ports: Ports,
  error?: unknown,
): Promise<ApplyCounts> {
  const counts = countResults(done.values());
  const complete = done.size >= manifest.counts.changes;
  manifest.status = failure ?? (counts.failed > 0 ? 'partial' : complete ? 'applied' : 'partial');
  manifest.counts = { ...manifest.counts, ...counts };
  manifest.appliedAt = ports.clock().toISOString();
  manifest.endedAt = manifest.appliedAt;
  if (sink) manifest.apiCalls = sink.apiCalls();
  if (error instanceof Error && failure === 'failed') manifest.error = error.message;
  await writeManifest(runDir, manifest);
  return counts;
}

/** `apply`: a saved plan, under the run home's lock. */
export async function applyJob(request: Omit<ApplyRequest, 'sink'>, ports: Ports): Promise<ApplyResult> {
  return withRunLock(request.home, request.command, () => applyRun(request, ports));
}
