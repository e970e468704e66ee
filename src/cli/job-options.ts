import { type Command, InvalidArgumentError, Option } from 'commander';
import type { JobFlags } from '../config/merge-flags.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * A flag that holds one value refuses a second: commander would keep the last one silently, and which
 * of two targets or conditions was meant is the user's to say.
 */
function once(flag: string) {
  return (value: string, previous: string | undefined): string => {
    if (previous !== undefined)
      throw new InvalidArgumentError(
        `${flag} was already given as "${previous}". Give ${flag} once (--map and --owner may repeat)`,
      );
    return value;
  };
}

/** Range checks come later, with the job file's; here only "not a number", so the message can quote it. */
function parseNumber(value: string): number {
  const number = Number(value);
  if (value.trim() === '' || Number.isNaN(number))
    throw new InvalidArgumentError(
      'not a number. Give a whole number from 1 to 10000, e.g. --batch-size 200',
    );
  return number;
}

/** How `run` and `offboard` go from the plan to the write: the same flags for both. */
export function addRunFlowOptions(command: Command): Command {
  return command
    .option('--dry-run', 'stop after the diff')
    .option('-y, --yes', 'do not ask before writing (cron)')
    .option('--out <dir>', 'write the run directory here instead of the run home')
    .option('--verbose', 'list every record in the diff')
    .option(
      '--notify <how>',
      'tell each new owner what they received, once applied to Salesforce: email (sent by the org) or task',
    );
}

/** The flags that describe a job; the same as the job file's keys, which they override. */
export function addJobOptions(command: Command): Command {
  addTargetOrg(command);
  return command
    .option('--job <file>', 'job file (YAML) holding the choices below; flags override it')
    .option(
      '--from <source>',
      'where records come from: salesforce, csv:PATH (a record export), or csv:FOLDER/ (a Data Export folder)',
    )
    .option(
      '--object <name>',
      'sObject: Lead (default), Contact, Account, Opportunity, Case, Task, Event, or a custom object',
    )
    .option('--users <file>', 'User export (Id, IsActive, Username, Email, Name, ManagerId) for csv sources')
    .option('--queues <file>', 'Queue export (Id, Name or DeveloperName) for csv sources')
    .option('--accounts <file>', 'Account export (Id, OwnerId) for account-owner selection and rules')
    .option(
      '--contacts <file>',
      'Contact export (Id, OwnerId, AccountId) for --cascade Contact, and for round-robin load counts, on csv sources',
    )
    .option(
      '--opportunities <file>',
      'Opportunity export (Id, OwnerId, AccountId, IsClosed) for --cascade Opportunity, and for round-robin load and performance counts, on csv sources',
    )
    .option('--inactive-owners', 'select records whose owner is an inactive user')
    .option('--owner <person>', 'select records owned by this person (repeatable)', collect)
    .option(
      '--account-owner [field]',
      'select records whose account has another owner (Lead: name the lookup field)',
    )
    .option(
      '--where <condition>',
      "select records matching a SOQL condition, e.g. \"Country IN ('DE','AT')\"",
      once('--where'),
    )
    .option('--exclude <condition>', 'drop records matching a SOQL condition', once('--exclude'))
    .option('--map <file>', 'mapping CSV (from,to) of old owner to new owner (repeatable)', collect)
    .option('--to-manager', "give records to the current owner's manager")
    .option('--to <person>', 'give records to this person, or queue:NAME', once('--to'))
    .addOption(new Option('--api <api>', 'how to write to Salesforce').choices(['rest', 'bulk', 'auto']))
    .option('--batch-size <n>', 'records per write request', parseNumber)
    .option(
      '--cascade <object>',
      'with --object Account: move these related records too (Contact, Opportunity; repeatable)',
      collect,
    );
}

/**
 * The Salesforce CLI's spelling, `-o/--target-org`, and the older `--org`, both land in `org` (the job
 * key), so the rest of leadshift sees one value.
 */
function addTargetOrg(command: Command): void {
  command
    .option(
      '-o, --target-org <alias>',
      "org authorised in the Salesforce CLI (alias or username); default: sf's target-org",
    )
    .addOption(new Option('--org <alias>', 'same as --target-org').hideHelp());
  command.on('option:target-org', (alias: string) => command.setOptionValue('org', alias));
}

export interface JobOptionValues extends JobFlags {
  job?: string;
}
