import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { JobSpec } from '../config/job.js';
import { InputError } from '../errors.js';
import { newRunId, runsDir, StagedDir, writeFileAtomic } from '../journal/run-home.js';
import { type RunRecord, toolVersion, whoRan, writeRunRecord } from '../journal/run-record.js';
import type { PlanSummary } from '../plan/summary.js';
import { type Explanation, writePlan } from '../plan/write-plan.js';
import type { Ports } from './ports.js';
import { type PreparedRun, prepareRun } from './prepare.js';

export const PLANNED_TURNS_FILE = 'turns.json';

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
  record: RunRecord;
  summary: PlanSummary;
  explanation?: Explanation;
}

/** Checks the job, then writes a complete run directory with the plan. Changes nothing anywhere else. */
export async function planRun(
  request: PlanRequest,
  ports: Ports,
  prepared?: PreparedRun,
): Promise<PlanResult> {
  const startedAt = ports.clock();
  const finalDir = request.out ? resolve(ports.cwd, request.out) : undefined;
  if (finalDir) await assertUsableOut(finalDir, request.out as string);
  const ready = prepared ?? (await prepareRun(request.job, ports, request.home));
  const runId = newRunId(startedAt);
  const staged = await StagedDir.create(finalDir ?? join(runsDir(request.home), runId));
  try {
    const output = await writePlan(ready, staged.path, runId, ports.reporter, request.explainId);
    const openBefore = await ready.kit.source.openCounts(output.summary.receiverIds());
    const summary = output.summary.finish(ready.kit.directory, openBefore);
    const record: RunRecord = {
      tool: { name: 'leadshift', version: toolVersion() },
      runId,
      kind: 'plan',
      status: 'planned',
      object: request.job.object,
      source: ready.kit.source.description,
      target: ready.kit.target,
      instance: ready.kit.instance,
      job: request.job,
      ranBy: whoRan(),
      command: request.command,
      startedAt: startedAt.toISOString(),
      plannedAt: ports.clock().toISOString(),
      counts: {
        selected: summary.selected,
        changes: summary.changes,
        unassigned: summary.unassigned,
        kept: summary.kept,
      },
      summary,
    };
    await writeRunRecord(staged.path, record);
    await writeFileAtomic(
      join(staged.path, PLANNED_TURNS_FILE),
      `${JSON.stringify({ start: ready.roundRobinStart, end: Object.fromEntries(ready.roundRobin) }, null, 2)}\n`,
    );
    const runDir = await staged.commit();
    return { runId, runDir, record, summary, explanation: output.explanation };
  } catch (error) {
    await staged.discard();
    throw error;
  } finally {
    if (!prepared) await ready.kit.close();
  }
}

/** `--out` may name a new folder or an empty one; anything else there is the user's and stays untouched. */
async function assertUsableOut(dir: string, given: string): Promise<void> {
  const info = await stat(dir).catch(() => undefined);
  if (!info) return;
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
