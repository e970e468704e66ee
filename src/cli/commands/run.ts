import type { Command } from 'commander';
import type { RunOptions } from '../actions/run.js';
import { addJobOptions, addRunFlowOptions } from '../job-options.js';
import type { RunAction } from '../run-action.js';

export function registerRun(program: Command, run: RunAction): void {
  const command = addRunFlowOptions(program.command('run').description('plan, show the diff, ask, apply'));
  addJobOptions(command).addHelpText(
    'after',
    `
Examples:
  leadshift run --from salesforce --owner ana@acme.com --map departed.csv --dry-run
  leadshift run --job jobs/daily.yml --yes
  leadshift run --job jobs/daily.yml --yes --notify email
  leadshift run --from csv:leads.csv --users users.csv --inactive-owners --to-manager`,
  );
  command.action((options: RunOptions) =>
    run(async (context) => (await import('../actions/run.js')).runCommand(options, context)),
  );
}
