import type { JobSpec } from '../../config/job.js';
import { runJob } from '../../core/run.js';
import { renderPlan } from '../../ui/diff.js';
import { printVerbosePlan } from '../../ui/verbose.js';
import type { CommandContext } from '../context.js';
import type { JobOptionValues } from '../job-options.js';
import { planJson } from '../json.js';
import type { Outcome } from '../run-action.js';
import { reportApply } from './apply.js';
import { resolveJobOptions } from './resolve-job.js';

export interface RunOptions extends JobOptionValues {
  dryRun?: boolean;
  yes?: boolean;
  out?: string;
  verbose?: boolean;
}

export async function runCommand(options: RunOptions, context: CommandContext): Promise<Outcome> {
  return runResolvedJob(await resolveJobOptions(options, context.ports.cwd), options, context);
}

/** `run` of a job already resolved from its file and flags (also `offboard`'s). */
export async function runResolvedJob(
  job: JobSpec,
  options: Pick<RunOptions, 'dryRun' | 'yes' | 'out' | 'verbose'>,
  context: CommandContext,
  command = 'run',
): Promise<Outcome> {
  const outcome = await runJob(
    {
      job,
      home: context.home,
      out: options.out,
      command,
      dryRun: options.dryRun === true,
      yes: options.yes === true,
      signal: context.signal,
      showPlan: async (plan) => {
        if (context.json) return;
        context.print(renderPlan(plan.manifest, plan.runDir, context.style));
        if (options.verbose) await printVerbosePlan(plan.runDir, context);
      },
    },
    context.ports,
  );
  if (outcome.kind === 'applied') return reportApply(outcome.result, context);
  const { plan } = outcome;
  if (context.json) context.printJson(planJson(plan.manifest, plan.runDir));
  else
    context.print(
      outcome.reason === 'nothing to change'
        ? '\nNothing to change.\n'
        : `\nDry run: nothing was written. Apply this plan with: leadshift apply ${plan.runDir}\n`,
    );
  return 'done';
}
