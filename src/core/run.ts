import type { JobSpec } from '../config/job.js';
import { InterruptedError } from '../errors.js';
import type { Ports } from '../ports.js';
import { spendsApiRequests } from '../sinks/open-sink.js';
import { type ApplyResult, applyRun, openCheckedSink, rethrowResumable } from './apply.js';
import { confirmWrite } from './confirm.js';
import { checkMaxChanges } from './limits.js';
import { type PlanResult, planRun } from './plan.js';
import { prepareJob } from './prepare.js';
import { withRunLock } from './with-lock.js';

export interface RunRequest {
  job: JobSpec;
  home: string;
  /** `--out DIR`; by default a new directory under the run home's runs/. */
  out?: string;
  dryRun: boolean;
  /** `--yes`: write without asking. */
  yes: boolean;
  signal?: AbortSignal;
  /** The command, for run.json and the lock (default `run`; `offboard` runs the same way). */
  command?: string;
  /** Shows the plan before the question (the diff on a terminal). */
  showPlan: (plan: PlanResult) => Promise<void>;
}

export type RunOutcome =
  | { kind: 'planned'; plan: PlanResult; reason: 'dry-run' | 'nothing to change' }
  | { kind: 'applied'; plan: PlanResult; result: ApplyResult };

/** `run`: plan, show the plan, check the limits, ask, apply, all under the run home's lock. */
export async function runJob(request: RunRequest, ports: Ports): Promise<RunOutcome> {
  const { job, home } = request;
  const command = request.command ?? 'run';
  const prepared = await prepareJob(job, ports, home);
  try {
    return await withRunLock(home, command, async () => {
      const plan = await planRun({ job, home, out: request.out, command }, ports, prepared);
      await request.showPlan(plan);
      stopIfAborted(request.signal, plan.runDir);
      if (request.dryRun) return { kind: 'planned', plan, reason: 'dry-run' };
      if (plan.summary.changes === 0) return { kind: 'planned', plan, reason: 'nothing to change' };
      checkMaxChanges(plan.manifest);
      // The sink checks the day's API allowance as it opens: a run that limits.maxApiShare refuses is
      // refused before anyone is asked, and the same connection then writes.
      const sink = spendsApiRequests(plan.manifest)
        ? await openCheckedSink(plan.manifest, { runDir: plan.runDir }, ports).catch(
            rethrowResumable(plan.runDir),
          )
        : undefined;
      try {
        const production = await prepared.kit.productionHost?.();
        await confirmWrite(plan.manifest, plan.runDir, request.yes, ports, production);
        stopIfAborted(request.signal, plan.runDir);
      } catch (error) {
        await sink?.close();
        throw error;
      }
      const result = await applyRun(
        { runDir: plan.runDir, home, command, signal: request.signal, sink },
        ports,
      );
      return { kind: 'applied', plan, result };
    });
  } finally {
    await prepared.close();
  }
}

/** Ctrl-C or SIGTERM while planning or asking: the plan is kept, and nothing is written. */
function stopIfAborted(signal: AbortSignal | undefined, runDir: string): void {
  if (signal?.aborted) throw new InterruptedError('interrupted before applying: nothing was written', runDir);
}
