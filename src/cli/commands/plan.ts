import type { Command } from 'commander';
import type { PlanOptions } from '../actions/plan.js';
import { addJobOptions } from '../job-options.js';
import type { RunAction } from '../run-action.js';

export function registerPlan(program: Command, run: RunAction): void {
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
  command.action((options: PlanOptions) =>
    run(async (context) => (await import('../actions/plan.js')).planCommand(options, context)),
  );
}
