import type { Command } from 'commander';
import type { OwnersOptions } from '../actions/owners.js';
import { addJobOptions } from '../job-options.js';
import type { RunAction } from '../run-action.js';

export function registerOwners(program: Command, run: RunAction): void {
  const command = program
    .command('owners')
    .description(
      'who owns what: inactive owners with open-record counts, and which of them no mapping covers',
    )
    .option(
      '--save <file>',
      'mapping CSV to append the successors picked on a terminal to (default: mapping-<date>.csv)',
    )
    .option('--no-pick', 'only list; do not ask for successors even on a terminal');
  addJobOptions(command).addHelpText(
    'after',
    `
Examples:
  leadshift owners --from salesforce --map mappings/departed.csv
  leadshift owners --from csv:leads.csv --users users.csv --save mappings/departed.csv
  leadshift owners --job jobs/daily.yml --json`,
  );
  command.action((options: OwnersOptions) =>
    run(async (context) => (await import('../actions/owners.js')).ownersCommand(options, context)),
  );
}
