import { applyRun, checkLimits } from '../../core/apply.js';
import { planRun } from '../../core/plan.js';
import { prepareRun } from '../../core/prepare.js';
import { withRunLock } from '../../core/with-lock.js';
import { renderPlan } from '../../ui/diff.js';
import { printVerbosePlan } from '../../ui/verbose.js';
import { confirmWrite } from '../confirm.js';
import type { CommandContext } from '../context.js';
import type { JobOptionValues } from '../job-options.js';
import { planJson } from '../json.js';
import { applyRequest, openSalesforceTarget, reportApply } from './apply.js';
import { resolveJobOptions } from './resolve-job.js';

export interface RunOptions extends JobOptionValues {
  dryRun?: boolean;
  yes?: boolean;
  out?: string;
  verbose?: boolean;
}

export async function runCommand(options: RunOptions, context: CommandContext): Promise<number> {
  const job = await resolveJobOptions(options, context.ports.cwd);
  const prepared = await prepareRun(job, context.ports, context.home);
  try {
    return await withRunLock(context.home, 'run', async () => {
      const plan = await planRun(
        { job, home: context.home, out: options.out, command: 'run' },
        context.ports,
        prepared,
      );
      if (!context.json) {
        context.print(renderPlan(plan.record, plan.runDir, context.style));
        if (options.verbose) await printVerbosePlan(plan.runDir, context);
      }
      if (options.dryRun || plan.summary.changes === 0) {
        if (context.json) context.printJson(planJson(plan.record, plan.runDir));
        else
          context.print(
            plan.summary.changes === 0
              ? '\nNothing to change.\n'
              : `\nDry run: nothing was written. Apply this plan with: leadshift apply ${plan.runDir}\n`,
          );
        return 0;
      }
      checkLimits(plan.record);
      // The Salesforce target checks the day's API allowance as it opens: a run that limits.maxApiShare
      // refuses is refused before anyone is asked, and the same connection then writes.
      const target =
        plan.record.target === 'salesforce'
          ? await openSalesforceTarget(plan.record, context.ports)
          : undefined;
      await confirmWrite(
        plan.record,
        plan.runDir,
        options.yes === true,
        context,
        await prepared.kit.productionHost?.(),
      );
      const result = await applyRun(
        applyRequest(plan.runDir, 'run', context, undefined, target),
        context.ports,
      );
      return reportApply(result, context);
    });
  } finally {
    await prepared.kit.close();
  }
}
