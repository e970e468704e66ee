import { resolve } from 'node:path';
import { type Problem, ProblemList } from '../errors.js';
import {
  CASCADE_OBJECTS,
  canonicalObject,
  checkBatchSize,
  checkCascade,
  checkCsvObject,
  checkFieldName,
  checkObjectName,
  type Issue,
  isIssue,
  parseSource,
  quote,
  WRITE_APIS,
} from './checks.js';
import {
  emptyJob,
  type JobSpec,
  NOTIFY_CHANNELS,
  type NotifyChannel,
  type RuleSpec,
  type WriteApi,
} from './job.js';
import { jobParts } from './job-parts.js';

/** The job choices that can be given as flags; each overrides the job file's value. */
export interface JobFlags {
  object?: string;
  from?: string;
  org?: string;
  users?: string;
  queues?: string;
  accounts?: string;
  contacts?: string;
  opportunities?: string;
  inactiveOwners?: boolean;
  owner?: string[];
  accountOwner?: true | string;
  where?: string;
  exclude?: string;
  to?: string;
  map?: string[];
  toManager?: boolean;
  api?: WriteApi;
  batchSize?: number;
  cascade?: string[];
  notify?: string;
}

/**
 * Merges flags over a job (or over the defaults when there is no job file), validates the flag values the
 * way the job file is validated, and refuses a job that selects nothing or has no rules.
 */
export function resolveJob(
  job: JobSpec | undefined,
  flags: JobFlags,
  cwd: string,
  options: { complete?: boolean } = {},
): JobSpec {
  const problems = new ProblemList();
  const fail = (flag: string, issue: Issue): void => problems.add(flagProblem(flag, issue));
  const merged = structuredClone(job ?? emptyJob());
  const fromCwd = (path: string): string => resolve(cwd, path);

  mergeSourceFlags(merged, flags, fromCwd, fail);
  mergeSelectFlags(merged, flags, fail);
  mergeWriteFlags(merged, flags, fail);
  const notify = notifyFlag(flags.notify);
  if (typeof notify === 'object') fail('--notify', notify);
  else if (notify) merged.notify = notify;
  const flagRules = ruleFlags(flags, fromCwd, fail);
  merged.rules = [...flagRules, ...merged.rules];
  // A flag's rule comes first for every object, also one with rules of its own.
  for (const part of merged.objects ?? []) if (part.rules) part.rules = [...flagRules, ...part.rules];

  if (merged.objects) checkObjectsFlags(merged, flags, fail);
  else {
    // The job file's own object and source were checked together when it was read.
    const csvObject = merged.source.kind === 'csv' ? checkCsvObject(merged.object) : undefined;
    if (csvObject && (flags.object !== undefined || flags.from !== undefined)) fail('--object', csvObject);
    const cascade = checkCascade(merged.object, merged.write.cascade);
    if (cascade) fail(flags.cascade ? '--cascade' : '--object', cascade);
  }
  // `owners` reads a job for its source and mappings only; it selects and assigns nothing.
  if (options.complete !== false) for (const part of jobParts(merged)) checkComplete(part, problems);
  problems.throwIfAny();
  return merged;
}

/** A job of several objects: --object cannot pick one of them, and a cascade needs its Account. */
function checkObjectsFlags(job: JobSpec, flags: JobFlags, fail: Fail): void {
  const objects = (job.objects ?? []).map((part) => part.object);
  if (flags.object !== undefined)
    fail('--object', {
      message: `the job names several objects (${objects.join(', ')}), so --object cannot choose one`,
      hint: 'Leave --object out, or write a job of one object',
    });
  if (job.write.cascade.length > 0 && !objects.includes('Account'))
    fail(flags.cascade ? '--cascade' : '', {
      message: `cascade moves an account's related records, but the objects are ${objects.join(', ')}`,
      hint: 'List Account under objects:, or remove cascade',
    });
  if (job.source.kind === 'csv' && flags.from !== undefined)
    for (const object of objects) {
      const issue = checkCsvObject(object);
      if (issue) fail('--from', issue);
    }
}

/** `--notify email|task`; an Issue for anything else. */
export function notifyFlag(value: string | undefined): NotifyChannel | undefined | Issue {
  if (value === undefined) return undefined;
  const channels: readonly string[] = NOTIFY_CHANNELS;
  if (channels.includes(value)) return value as NotifyChannel;
  return {
    message: `${quote(value)} is not a way to notify`,
    hint: 'Use --notify email (sent by the org) or --notify task (an open Task for each new owner)',
  };
}

function flagProblem(flag: string, issue: Issue): Problem {
  return {
    ...(flag ? { key: flag } : {}),
    message: issue.message,
    ...(issue.hint ? { hint: issue.hint } : {}),
  };
}

type Fail = (flag: string, issue: Issue) => void;

function nonEmpty(flag: string, value: string | undefined, fail: Fail): value is string {
  if (value === undefined) return false;
  if (value.trim()) return true;
  fail(flag, { message: 'the value is empty', hint: `Give a value after ${flag}, or leave ${flag} out` });
  return false;
}

function mergeSourceFlags(
  job: JobSpec,
  flags: JobFlags,
  fromCwd: (path: string) => string,
  fail: Fail,
): void {
  if (nonEmpty('--object', flags.object, fail)) {
    const invalid = checkObjectName(flags.object);
    if (invalid) fail('--object', invalid);
    else job.object = canonicalObject(flags.object);
  }
  if (nonEmpty('--from', flags.from, fail)) {
    const source = parseSource(flags.from);
    if (isIssue(source)) fail('--from', { ...source, hint: source.hint?.replace('Use ', 'Use --from ') });
    else job.source = source.kind === 'csv' ? { kind: 'csv', path: fromCwd(source.path) } : source;
  }
  if (nonEmpty('--org', flags.org, fail)) job.org = flags.org;
  if (nonEmpty('--users', flags.users, fail)) job.users = fromCwd(flags.users);
  if (nonEmpty('--queues', flags.queues, fail)) job.queues = fromCwd(flags.queues);
  if (nonEmpty('--accounts', flags.accounts, fail)) job.accounts = fromCwd(flags.accounts);
  if (nonEmpty('--contacts', flags.contacts, fail)) job.contacts = fromCwd(flags.contacts);
  if (nonEmpty('--opportunities', flags.opportunities, fail))
    job.opportunities = fromCwd(flags.opportunities);
}

function mergeSelectFlags(job: JobSpec, flags: JobFlags, fail: Fail): void {
  const { select } = job;
  if (flags.inactiveOwners !== undefined) select.inactiveOwners = flags.inactiveOwners;
  if (flags.owner !== undefined) {
    const owners = flags.owner.filter((owner) => nonEmpty('--owner', owner, fail));
    if (owners.length > 0) select.owners = owners.map((owner) => owner.trim());
  }
  if (typeof flags.accountOwner === 'string') {
    const invalid = checkFieldName(flags.accountOwner);
    if (invalid) fail('--account-owner', invalid);
    else select.accountOwner = flags.accountOwner;
  } else if (flags.accountOwner === true) {
    select.accountOwner = true;
  }
  if (nonEmpty('--where', flags.where, fail)) select.where = { text: flags.where, place: { key: '--where' } };
  if (nonEmpty('--exclude', flags.exclude, fail)) {
    select.exclude = { text: flags.exclude, place: { key: '--exclude' } };
  }
}

function mergeWriteFlags(job: JobSpec, flags: JobFlags, fail: Fail): void {
  if (flags.api !== undefined) {
    const apis: readonly string[] = WRITE_APIS;
    if (apis.includes(flags.api)) job.write.api = flags.api;
    else
      fail('--api', {
        message: `${quote(flags.api)} is not a write API`,
        hint: `Use ${WRITE_APIS.join(', ')}`,
      });
  }
  if (flags.batchSize !== undefined) {
    const invalid = checkBatchSize(flags.batchSize);
    if (invalid) fail('--batch-size', invalid);
    else job.write.batchSize = flags.batchSize;
  }
  if (flags.cascade !== undefined) {
    const known: readonly string[] = CASCADE_OBJECTS;
    const bad = flags.cascade.filter((name) => !known.includes(name));
    for (const name of bad) {
      fail('--cascade', {
        message: `${quote(name)} cannot cascade`,
        hint: `Use ${CASCADE_OBJECTS.join(' or ')}`,
      });
    }
    if (bad.length === 0) job.write.cascade = [...new Set(flags.cascade)];
  }
}

/** The rules given as flags, most specific first: a mapping file, then managers, then one named user. */
function ruleFlags(flags: JobFlags, fromCwd: (path: string) => string, fail: Fail): RuleSpec[] {
  const rules: RuleSpec[] = [];
  for (const file of flags.map ?? []) {
    if (nonEmpty('--map', file, fail))
      rules.push({ assign: { strategy: 'map', map: fromCwd(file) }, place: { key: '--map' } });
  }
  if (flags.toManager)
    rules.push({ assign: { strategy: 'manager', manager: true }, place: { key: '--to-manager' } });
  if (nonEmpty('--to', flags.to, fail))
    rules.push({ assign: { strategy: 'user', user: flags.to.trim() }, place: { key: '--to' } });
  return rules;
}

function checkComplete(job: JobSpec, problems: ProblemList): void {
  const { select } = job;
  const selects = select.inactiveOwners || select.owners.length > 0 || select.accountOwner || select.where;
  // Moving every record of an object by default is too dangerous to be what an omission means.
  if (!selects) {
    problems.add({
      ...(job.jobFile ? { file: job.jobFile } : {}),
      message: 'nothing selects records: give --inactive-owners, --owner, --account-owner or --where',
      hint: 'Or set select: in the job file',
    });
  }
  if (job.rules.length === 0) {
    problems.add({
      ...(job.jobFile ? { file: job.jobFile } : {}),
      message: 'no rule says who the new owner is: give --to, --map or --to-manager',
      hint: 'Or list rules: in the job file',
    });
  }
}
