import { planRun } from '../../core/plan.js';
import { prepareRun } from '../../core/prepare.js';
import { withRunLock } from '../../core/with-lock.js';
import { renderExplanation, renderPlan } from '../../ui/diff.js';
import { printVerbosePlan } from '../../ui/verbose.js';
import type { CommandContext } from '../context.js';
import type { JobOptionValues } from '../job-options.js';
import { planJson } from '../json.js';
import { resolveJobOptions } from './resolve-job.js';

export interface PlanOptions extends JobOptionValues {
  out?: string;
  explain?: string;
  verbose?: boolean;
}

export async function planCommand(options: PlanOptions, context: CommandContext): Promise<number> {
  const job = await resolveJobOptions(options, context.ports.cwd);
  const prepared = await prepareRun(job, context.ports, context.home);
  try {
    const result = await withRunLock(context.home, 'plan', () =>
      planRun(
        { job, home: context.home, out: options.out, explainId: options.explain, command: 'plan' },
        context.ports,
        prepared,
      ),
    );
    if (context.json) {
      context.printJson(planJson(result.record, result.runDir, result.explanation));
      return 0;
    }
    context.print(renderPlan(result.record, result.runDir, context.style));
    if (result.explanation) context.print(`\n${renderExplanation(result.explanation, context.style)}`);
    if (options.verbose) await printVerbosePlan(result.runDir, context);
    context.print(`\nApply exactly this plan with: leadshift apply ${result.runDir}\n`);
    return 0;
  } finally {
    await prepared.kit.close();
  }
}
