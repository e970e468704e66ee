import { planJob } from '../../core/plan.js';
import { renderExplanation, renderPlan } from '../../ui/diff.js';
import { printVerbosePlan } from '../../ui/verbose.js';
import type { CommandContext } from '../context.js';
import type { JobOptionValues } from '../job-options.js';
import { planJson } from '../json.js';
import type { Outcome } from '../run-action.js';
import { resolveJobOptions } from './resolve-job.js';

export interface PlanOptions extends JobOptionValues {
  out?: string;
  explain?: string;
  verbose?: boolean;
}

export async function planCommand(options: PlanOptions, context: CommandContext): Promise<Outcome> {
  const job = await resolveJobOptions(options, context.ports.cwd);
  const result = await planJob(
    { job, home: context.home, out: options.out, explainId: options.explain, command: 'plan' },
    context.ports,
  );
  if (context.json) {
    context.printJson(planJson(result.manifest, result.runDir, result.explanation));
    return 'done';
  }
  context.print(renderPlan(result.manifest, result.runDir, context.style));
  if (result.explanation) context.print(`\n${renderExplanation(result.explanation, context.style)}`);
  if (options.verbose) await printVerbosePlan(result.runDir, context);
  context.print(`\nApply exactly this plan with: leadshift apply ${result.runDir}\n`);
  return 'done';
}
