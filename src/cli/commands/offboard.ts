import type { Command } from 'commander';
import type { OffboardOptions } from '../actions/offboard.js';
import { addRunFlowOptions } from '../job-options.js';
import type { RunAction } from '../run-action.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerOffboard(program: Command, run: RunAction): void {
  const command = program
    .command('offboard')
    .argument('<person>', 'the person who left: Id, username or email')
    .description(
      'everything a person owns that is still open, in one plan: accounts (with their contacts and open opportunities), leads, contacts, opportunities, cases, open tasks and future events',
    )
    .option('--to <person>', 'give everything to this person (a queue takes leads and cases only)')
    .option('--map <file>', 'mapping CSV (from,to) of old owner to new owner (repeatable)', collect)
    .option('--to-manager', "give everything to the person's manager")
    .option(
      '--job <file>',
      'job file (YAML) whose rules (and objects:, if it lists them) decide the new owners',
    )
    .option('--object <name>', 'a custom object to offboard too, e.g. Project__c (repeatable)', collect)
    .option(
      '--from <source>',
      'where records come from: salesforce (default), or csv:FOLDER/ (a Data Export folder)',
    )
    .option('-o, --target-org <alias>', "org authorised in the Salesforce CLI; default: sf's target-org")
    .option('--users <file>', 'User export, when the folder has no User.csv')
    .option('--queues <file>', 'Queue export, when the folder has no Group.csv')
    .option('--api <api>', 'how to write to Salesforce: rest, bulk or auto');
  addRunFlowOptions(command).addHelpText(
    'after',
    `
Objects: Account (with its contacts and open opportunities, as Mass Transfer moves them), Lead (not
converted), Contact, Opportunity and Case (not closed), Task (not closed) and Event (not ended), and each
--object. Closed, converted and past records stay where they are. On a Data Export folder, the objects
the folder has no export of are left out, and the diff says so.

Examples:
  leadshift offboard ana@acme.com --to ben@acme.com --dry-run
  leadshift offboard ana@acme.com --map successors.csv --yes
  leadshift offboard ana@acme.com --to-manager --object Project__c
  leadshift offboard ana@acme.com --from csv:export/ --to ben@acme.com`,
  );
  command.action((person: string, options: OffboardOptions) =>
    run(async (context) =>
      (await import('../actions/offboard.js')).offboardCommand(person, options, context),
    ),
  );
}
