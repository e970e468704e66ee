import { readdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { JobSpec } from '../config/job.js';
import { InputError } from '../errors.js';
import { writePlanPage } from '../journal/plan-page/index.js';
import { RUN_FILES } from '../journal/run-files.js';
import { newRunId, runsDir, StagedDir } from '../journal/run-home.js';
import { plannedManifest, type RunManifest, writeManifest } from '../journal/run-manifest.js';
import { writePlannedTurns } from '../journal/turns.js';
import { displayPath } from '../paths.js';
import type { Explanation } from '../plan/plan-rows.js';
import { ruleShares } from '../plan/shares.js';
import {
  combineSummaries,
  HISTORY_REASON,
  type ObjectSummary,
  type PlanSummary,
  type SummaryBuilder,
} from '../plan/summary.js';
import { writePlan } from '../plan/write-plan.js';
import type { Ports } from '../ports.js';
import { sinkKindOf } from '../sinks/open-sink.js';
import { type PreparedJob, type PreparedRun, prepareJob } from './prepare.js';
import { withRunLock } from './with-lock.js';

export interface PlanRequest {
  job: JobSpec;
  home: string;
  /** `--out DIR`; by default a new directory under the run home's runs/. */
  out?: string;
  explainId?: string;
  command: string;
}

export interface PlanResult {
  runId: string;
  runDir: string;
  manifest: RunManifest;
  summary: PlanSummary;
  explanation?: Explanation;
}

/** Checks the job, then writes a complete run directory with the plan. Changes nothing anywhere else. */
export async function planRun(
  request: PlanRequest,
  ports: Ports,
  prepared?: PreparedJob,
): Promise<PlanResult> {
  const startedAt = ports.clock();
  const finalDir = request.out ? resolve(ports.cwd, request.out) : undefined;
  if (finalDir) await assertUsableOut(finalDir, request.out as string, ports.cwd);
  const ready = prepared ?? (await prepareJob(request.job, ports, request.home));
  const runId = newRunId(startedAt);
  const staged = await StagedDir.create(finalDir ?? join(runsDir(request.home), runId));
  try {
    const output = await writePlan(
      ready.parts,
      { dir: staged.path, files: RUN_FILES },
      runId,
      ports.reporter,
      request.explainId,
    );
    const summary = await summarise(ready, output.summaries);
    const manifest = plannedManifest(
      {
        runId,
        kind: 'plan',
        object: request.job.object,
        source: sourceOf(ready),
        target: sinkKindOf(request.job),
        instance: ready.kit.instance,
        job: request.job,
        command: request.command,
        counts: {
          selected: summary.selected,
          changes: summary.changes,
          unassigned: summary.unassigned,
          kept: summary.kept,
        },
        summary,
      },
      { startedAt, plannedAt: ports.clock() },
    );
    await writeManifest(staged.path, manifest);
    await writePlanPage(staged.path, manifest);
    await writePlannedTurns(staged.path, ready.roundRobinStart, ready.roundRobin);
    const runDir = await staged.commit();
    return { runId, runDir, manifest, summary, explanation: output.explanation };
  } catch (error) {
    await staged.discard();
    throw error;
  } finally {
    if (!prepared) await ready.close();
  }
}

/** What an offboarding leaves of the person's records as history, and why: the diff says so per object. */
async function historyOf(part: PreparedRun): Promise<ObjectSummary['leftAlone']> {
  const { ownerIds } = part.selection;
  const reason = HISTORY_REASON[part.job.object];
  if (ownerIds.length === 0 || !reason) return undefined;
  const count = await part.kit.source.historyCount?.(ownerIds, part.ruleContext.now);
  return count === undefined ? undefined : { count, reason };
}

/** Where the records came from, as run.json and the diff name it: a job of several objects, its folder. */
function sourceOf(ready: PreparedJob): string {
  const { source, objects } = ready.job;
  return objects && source.kind === 'csv' ? `csv:${dirname(source.path)}/` : ready.kit.source.description;
}

/** Each object's summary with its receivers' open records before, and for several objects their totals. */
async function summarise(ready: PreparedJob, builders: readonly SummaryBuilder[]): Promise<PlanSummary> {
  const summaries: ObjectSummary[] = [];
  for (const [at, part] of ready.parts.entries()) {
    const builder = builders[at] as SummaryBuilder;
    const openBefore = await part.kit.source.openCounts(builder.receiverIds());
    const shares = ruleShares(part.rules, part.ruleContext, part.kit.directory);
    const leftAlone = ready.parts.length > 1 ? await historyOf(part) : undefined;
    summaries.push({
      object: part.job.object,
      ...builder.finish(part.kit.directory, openBefore),
      ...(shares.length > 0 ? { shares } : {}),
      ...(leftAlone ? { leftAlone } : {}),
    });
  }
  if (summaries.length > 1) return combineSummaries(summaries);
  const { object: _object, ...only } = summaries[0] as ObjectSummary;
  return only;
}

/** `--out` may name a new folder or an empty one; anything else there is the user's and stays untouched. */
async function assertUsableOut(dir: string, given: string, cwd: string): Promise<void> {
  const info = await stat(dir).catch(() => undefined);
  if (!info) return assertCreatable(dir, given, cwd);
  if (!info.isDirectory()) {
    throw new InputError({
      key: '--out',
      message: `${given} is a file, not a folder`,
      hint: 'Name a new folder for the run directory; the file is left as it is',
    });
  }
  const entries = await readdir(dir);
  if (entries.length > 0) {
    throw new InputError({
      key: '--out',
      message: `${given} already exists and is not empty`,
      hint: 'Name a new folder, so that nothing in it (an earlier plan or anything else) is overwritten',
    });
  }
}

/** A new `--out` folder is made with its parents: each parent that exists must be a folder. */
async function assertCreatable(dir: string, given: string, cwd: string): Promise<void> {
  for (let parent = dirname(dir); ; parent = dirname(parent)) {
    const info = await stat(parent).catch(() => undefined);
    if (info?.isDirectory()) return;
    if (info) {
      throw new InputError({
        key: '--out',
        message: `${given} lies under ${displayPath(parent, cwd)}, which is a file, not a folder`,
        hint: 'Name a new folder for the run directory somewhere else; the file is left as it is',
      });
    }
    if (dirname(parent) === parent) return;
  }
}

/** `plan`: checks the job, then writes its run directory under the run home's lock. */
export async function planJob(request: PlanRequest, ports: Ports): Promise<PlanResult> {
  const prepared = await prepareJob(request.job, ports, request.home);
  try {
    return await withRunLock(request.home, request.command, () => planRun(request, ports, prepared));
  } finally {
    await prepared.close();
  }
}
