import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, InterruptedError, RefusedError } from '../errors.js';
import { writeAfterApplyFiles } from '../journal/after-apply.js';
import { readPlanFile, stampColumnsOf } from '../journal/plan-file.js';
import { countResults, journalResults, openResultsJournal, readResults } from '../journal/results.js';
import { readJson, writeFileAtomic } from '../journal/run-home.js';
import { type ApplyCounts, type RunRecord, readRunRecord, writeRunRecord } from '../journal/run-record.js';
import type { ChangeResult } from '../model.js';
import { PLAN_FILE } from '../plan/write-plan.js';
import { CsvTarget } from '../sinks/csv-target.js';
import type { ApplyTarget, PlannedChange } from '../sinks/target.js';
import { displayPath } from './paths.js';
import { PLANNED_TURNS_FILE } from './plan.js';
import type { Ports } from './ports.js';
import { turnsFile } from './prepare.js';

export interface ApplyRequest {
  runDir: string;
  home: string;
  command: string;
  /** CSV target: a current export to check owners against (default: the plan's own source export). */
  freshFrom?: string;
  /** Aborted on Ctrl-C or SIGTERM: the window in flight finishes, the journal is flushed, then we stop. */
  signal?: AbortSignal;
  /** Opens the Salesforce target; injected so the CSV path never loads jsforce. */
  openSalesforceTarget?: (record: RunRecord, ports: Ports) => Promise<ApplyTarget>;
}

export interface ApplyResult {
  runDir: string;
  record: RunRecord;
  counts: ApplyCounts;
}

/** Applies a saved plan exactly: only its records, only where the owner is still the planned old owner. */
export async function applyRun(request: ApplyRequest, ports: Ports): Promise<ApplyResult> {
  const { runDir } = request;
  const record = await readRunRecord(runDir);
  if (!record) {
    throw new InputError({
      file: displayPath(runDir, ports.cwd),
      message: 'is not a run directory (no run.json)',
      hint: 'Pass a folder written by leadshift plan or run',
    });
  }
  const planLabel = displayPath(join(runDir, PLAN_FILE), ports.cwd);
  checkLimits(record);
  const done = await readResults(runDir);
  const target = await openTarget(request, record, ports, planLabel);
  try {
    record.status = 'applying';
    await writeRunRecord(runDir, record);
    const journal = await openResultsJournal(runDir);
    const progress = ports.reporter.progress('Applying', record.counts.changes);
    progress.tick(done.size);
    const report = async (results: ChangeResult[]) => {
      await journalResults(journal, results);
      for (const result of results) done.set(result.id, result.status);
      progress.tick(results.length);
    };
    try {
      let window: PlannedChange[] = [];
      for await (const change of readPlanFile(runDir, planLabel, record.object)) {
        if (done.has(change.id)) continue;
        window.push(change);
        if (window.length < target.windowSize) continue;
        await target.applyWindow(window, report);
        window = [];
        if (request.signal?.aborted)
          throw new InterruptedError('interrupted: the batch in flight was finished and journalled', runDir);
      }
      if (window.length > 0) {
        await target.applyWindow(window, report);
      }
    } finally {
      progress.done();
      await journal.close();
    }
  } catch (error) {
    await finishRecord(
      record,
      runDir,
      done,
      target,
      error instanceof InterruptedError ? 'interrupted' : 'failed',
      ports,
      error,
    );
    throw asResumable(error, runDir);
  } finally {
    await target.close();
  }
  const counts = await finishRecord(record, runDir, done, target, undefined, ports);
  await writeAfterApplyFiles(runDir, planLabel, record, done);
  await commitTurns(runDir, request.home);
  return { runDir, record, counts };
}

/** Salesforce stopping us (daily limit spent, session gone) is a refusal the user can resume from. */
function asResumable(error: unknown, runDir: string): unknown {
  if (!(error instanceof Error) || !['ApiLimitError', 'SessionExpiredError'].includes(error.name))
    return error;
  return new RefusedError(
    error.message,
    `results.csv is true for every record written so far; resume with: leadshift apply ${runDir}`,
  );
}

/** Refuses a plan larger than `limits.maxChanges`; `run` calls it before asking, so a yes is never refused. */
export function checkLimits(record: RunRecord): void {
  const max = record.job.limits.maxChanges;
  if (max !== undefined && record.counts.changes > max) {
    throw new RefusedError(
      `the plan has ${record.counts.changes} changes, ${record.counts.changes - max} more than limits.maxChanges (${max})`,
      'Narrow the selection, or raise limits.maxChanges if this is intended',
    );
  }
}

async function openTarget(
  request: ApplyRequest,
  record: RunRecord,
  ports: Ports,
  planLabel: string,
): Promise<ApplyTarget> {
  if (record.target === 'salesforce') {
    if (!request.openSalesforceTarget) throw new Error('no Salesforce target available');
    return request.openSalesforceTarget(record, ports);
  }
  const stampColumns = await stampColumnsOf(request.runDir, PLAN_FILE);
  // An undo must not be checked against the original export: it holds the owners from before the run.
  const ownExport =
    record.kind === 'plan' && record.job.source.kind === 'csv' ? record.job.source.path : undefined;
  const exportPath = request.freshFrom ?? ownExport;
  const usable =
    exportPath &&
    (await access(exportPath).then(
      () => true,
      () => false,
    ));
  if (request.freshFrom && !usable) {
    throw new InputError({
      key: '--from',
      message: `${request.freshFrom} does not exist`,
      hint: 'Give the path of a current export',
    });
  }
  const freshness = usable
    ? {
        path: exportPath,
        label: displayPath(exportPath, ports.cwd),
        ids: await planIds(request.runDir, planLabel, record.object),
      }
    : undefined;
  if (!freshness)
    ports.reporter.warn(
      'No current export to check owners against: every planned record is written to update.csv',
    );
  return CsvTarget.open(request.runDir, record.object, stampColumns, freshness);
}

async function finishRecord(
  record: RunRecord,
  runDir: string,
  done: Map<string, ChangeResult['status']>,
  target: ApplyTarget,
  failure: 'interrupted' | 'failed' | undefined,
  ports: Ports,
  error?: unknown,
): Promise<ApplyCounts> {
  const counts = countResults(done.values());
  const complete = done.size >= record.counts.changes;
  record.status = failure ?? (counts.failed > 0 ? 'partial' : complete ? 'applied' : 'partial');
  record.counts = { ...record.counts, ...counts };
  record.appliedAt = ports.clock().toISOString();
  record.endedAt = record.appliedAt;
  record.apiCalls = target.apiCalls();
  if (error instanceof Error && failure === 'failed') record.error = error.message;
  await writeRunRecord(runDir, record);
  return counts;
}

/** The round-robin turns a plan used become the home's turns once that plan is applied. */
async function commitTurns(runDir: string, home: string): Promise<void> {
  type Turns = Record<string, number[]>;
  const planned = await readJson<{ start: Turns; end: Turns }>(join(runDir, PLANNED_TURNS_FILE));
  if (!planned || Object.keys(planned.end).length === 0) return;
  const current = (await readJson<Turns>(turnsFile(home))) ?? {};
  // Credits are sums of picks, so a plan's moves add onto whatever other runs applied meanwhile: two
  // plans made from the same turns and applied one after the other both count.
  for (const [key, end] of Object.entries(planned.end)) {
    const start = planned.start[key] ?? end.map(() => 0);
    const base = current[key] ?? start;
    current[key] = end.map((value, i) => (base[i] ?? 0) + value - (start[i] ?? 0));
  }
  await writeFileAtomic(turnsFile(home), `${JSON.stringify(current, null, 2)}\n`);
}

/** The Ids a plan touches: the records whose owners a current export is read for. */
async function planIds(runDir: string, planLabel: string, object: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for await (const change of readPlanFile(runDir, planLabel, object)) ids.add(change.id);
  return ids;
}
