import type { Command } from 'commander';
import { planRun } from '../../core/plan.js';
import { prepareRun } from '../../core/prepare.js';
import { withRunLock } from '../../core/with-lock.js';
import { renderExplanation, renderPlan } from '../../ui/diff.js';
import { printVerbosePlan } from '../../ui/verbose.js';
import type { CommandContext } from '../context.js';
import { addJobOptions, type JobOptionValues, resolveJobOptions } from '../job-options.js';
import { planJson } from '../json.js';

export interface PlanOptions extends JobOptionValues {
  out?: string;
  explain?: string;
  verbose?: boolean;
}

export function registerPlan(
  program: Command,
  run: (action: (context: CommandContext) => Promise<number>) => Promise<void>,
): void {
  const command = program
    .command('plan')
    .description('select records, apply the rules, and write a plan (the diff); changes nothing anywhere')
    .option('--out <dir>', 'write the run directory here instead of the run home')
    .option('--explain <id>', 'show, for one record, each rule tried and why it matched or not')
    .option('--verbose', 'list every record in the diff');
  addJobOptions(command).addHelpText(
    'after',
    `
Examples:
  leadshift plan --from csv:leads.csv --users users.csv --inactive-owners --map departed.csv
  leadshift plan --job jobs/daily.yml --out review/2026-11-24
  leadshift plan --from salesforce --owner ana@acme.com --to ben@acme.com --explain 00Q5e000001AbCdEAK`,
  );
  command.action((options: PlanOptions) => run((context) => planCommand(options, context)));
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
