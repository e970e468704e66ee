import { type Condition, parseCondition } from '../conditions/index.js';
import type { JobSpec, RuleSpec } from '../config/job.js';
import type { Directory } from '../directory/directory.js';
import { InputError, type Problem } from '../errors.js';
import { readTurns, snapshotTurns } from '../journal/turns.js';
import type { SourceRecord, User } from '../model.js';
import { compileRules } from '../rules/compile.js';
import { type MappingFile, readMappingFile } from '../rules/mapping.js';
import { accountField } from '../rules/related.js';
import type { RoundRobinState } from '../rules/round-robin.js';
import type { Rule, RuleContext } from '../rules/types.js';
import type { RecordSource, SelectContext, Selection } from '../sources/source.js';
import { displayPath } from './paths.js';
import type { Ports } from './ports.js';
import { openCsvKit } from './source-kit-csv.js';

/** A source with the people it knows, ready to plan against. */
export interface SourceKit {
  source: RecordSource;
  directory: Directory;
  accountOwners?: Map<string, string>;
  target: 'csv' | 'salesforce';
  /** The Salesforce host, for run.json and the production check. */
  instance?: string;
  /** The org's host when it is a production org (not a sandbox): writing there asks for the host. */
  productionHost?: () => Promise<string | undefined>;
  /** Makes sure the people named by the job are in the directory (Salesforce reads only those). */
  resolvePeople(references: string[]): Promise<void>;
  /**
   * Records of `object` (Contact, Opportunity) under these accounts, for an Account cascade: account Id →
   * the account's old owner. Yields records with `accountid` among their fields.
   */
  related?(object: string, accounts: Map<string, string>): AsyncIterable<SourceRecord[]>;
  /**
   * Whether records may be given to inactive users (Salesforce: the running user's "Update Records with
   * Inactive Owners"). Absent where nobody can tell (a CSV export): then they may not.
   */
  mayAssignInactiveOwners?(): Promise<boolean>;
  /** Inactive owners' open records, per object the source can count (for `leadshift owners`). */
  inactiveOwnerCounts(): Promise<Array<{ object: string; counts: Map<string, number> }>>;
  /** Active users who can take records over (for `leadshift owners` on a terminal). */
  activeUsers(): Promise<User[]>;
  /** Which selected-record fields must be read beyond the conditions' own. */
  extraFields(selection: Selection, rules: readonly RuleSpec[]): string[];
  close(): Promise<void>;
}

/** Everything a plan needs, checked: by the time this returns, only the records themselves can be bad. */
export interface PreparedRun {
  job: JobSpec;
  kit: SourceKit;
  selection: Selection;
  selectContext: SelectContext;
  rules: Rule[];
  ruleContext: RuleContext;
  roundRobin: RoundRobinState;
  /** The turns as they were before planning, so that applying commits only this plan's moves. */
  roundRobinStart: Record<string, number[]>;
}

export async function prepareRun(job: JobSpec, ports: Ports, home: string): Promise<PreparedRun> {
  const now = ports.clock();
  const conditions = parseSelectConditions(job);
  const mappings = await readMappings(job.rules, ports.cwd);
  const kit = await openKit(job, ports);
  try {
    await kit.resolvePeople(peopleNamed(job, mappings));
    const ownerIds = resolveOwners(job, kit.directory);
    const selection: Selection = {
      object: job.object,
      inactiveOwners: job.select.inactiveOwners,
      ownerIds,
      accountOwnerField: selectedAccountField(job),
      ...conditions,
    };
    const roundRobin = await readTurns(home);
    const rules = compileRules(job.rules, {
      directory: kit.directory,
      object: job.object,
      mappings,
      target: kit.target,
      roundRobin,
      accountField: typeof job.select.accountOwner === 'string' ? job.select.accountOwner : undefined,
    });
    const fields = [...conditionFields(selection, rules), ...kit.extraFields(selection, job.rules)];
    const ruleContext: RuleContext = {
      directory: kit.directory,
      object: job.object,
      now,
      accountOwners: kit.accountOwners,
      loads: await loadCounts(job, kit),
    };
    const selectContext: SelectContext = {
      directory: kit.directory,
      accountOwners: kit.accountOwners,
      now,
      fields: [...new Set(fields)],
    };
    const roundRobinStart = snapshotTurns(roundRobin);
    return { job, kit, selection, selectContext, rules, ruleContext, roundRobin, roundRobinStart };
  } catch (error) {
    await kit.close();
    throw error;
  }
}

/** Open records per round-robin member, read before planning when a rule balances by load. */
async function loadCounts(job: JobSpec, kit: SourceKit): Promise<Map<string, number> | undefined> {
  const members = job.rules.flatMap((rule) =>
    'roundRobin' in rule.assign && rule.assign.balance === 'load' ? rule.assign.roundRobin : [],
  );
  if (members.length === 0) return undefined;
  const ids = members.flatMap((reference) => {
    const found = kit.directory.find(reference);
    return found.kind === 'found' && found.owner.kind === 'user' ? [found.owner.user.id] : [];
  });
  return kit.source.openCounts(ids);
}

export async function openKit(job: JobSpec, ports: Ports): Promise<SourceKit> {
  return job.source.kind === 'csv' ? openCsvKit(job, ports) : openSalesforce(job, ports);
}

async function openSalesforce(job: JobSpec, ports: Ports): Promise<SourceKit> {
  // Loaded on demand: jsforce takes longer to import than the rest of the tool takes to start.
  const { openSalesforceKit } = await import('./source-kit-salesforce.js');
  return openSalesforceKit(job, ports);
}

function parseSelectConditions(job: JobSpec): { where?: Condition; exclude?: Condition } {
  const problems: Problem[] = [];
  const parse = (spec: JobSpec['select']['where']): Condition | undefined => {
    if (!spec) return undefined;
    try {
      return parseCondition(spec.text, spec.place);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  };
  const result = { where: parse(job.select.where), exclude: parse(job.select.exclude) };
  if (problems.length > 0) throw new InputError(problems);
  return result;
}

export async function readMappings(
  rules: readonly RuleSpec[],
  cwd: string,
): Promise<Map<string, MappingFile>> {
  const mappings = new Map<string, MappingFile>();
  const problems: Problem[] = [];
  for (const rule of rules) {
    if (!('map' in rule.assign) || mappings.has(rule.assign.map)) continue;
    try {
      mappings.set(
        rule.assign.map,
        await readMappingFile(rule.assign.map, displayPath(rule.assign.map, cwd)),
      );
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  return mappings;
}

/** Every person or queue the job names, so a Salesforce source can read just those. */
export function peopleNamed(job: JobSpec, mappings: Map<string, MappingFile>): string[] {
  const names = [...job.select.owners];
  for (const rule of job.rules) {
    const assign = rule.assign;
    if ('user' in assign) names.push(assign.user);
    if ('queue' in assign) names.push(/^queue:/i.test(assign.queue) ? assign.queue : `queue:${assign.queue}`);
    if ('roundRobin' in assign) names.push(...assign.roundRobin);
    if ('map' in assign) for (const row of mappings.get(assign.map)?.rows ?? []) names.push(row.from, row.to);
  }
  return [...new Set(names)];
}

function resolveOwners(job: JobSpec, directory: Directory): string[] {
  const problems: Problem[] = [];
  const ids = job.select.owners.flatMap((reference) => {
    const found = directory.find(reference);
    if (found.kind === 'found')
      return [found.owner.kind === 'user' ? found.owner.user.id : found.owner.queue.id];
    problems.push({
      key: job.jobFile ? 'select.owners' : '--owner',
      file: job.jobFile,
      message: found.reason,
    });
    return [];
  });
  if (problems.length > 0) throw new InputError(problems);
  return ids;
}

function selectedAccountField(job: JobSpec): string | undefined {
  const choice = job.select.accountOwner;
  if (choice === undefined) return undefined;
  const field = accountField(job.object, typeof choice === 'string' ? choice : undefined);
  if (!field) {
    throw new InputError({
      key: job.jobFile ? 'select.accountOwner' : '--account-owner',
      file: job.jobFile,
      message: `${job.object} records have no standard account lookup`,
      hint: 'Name the lookup field, e.g. --account-owner Account__c',
    });
  }
  return field;
}

function conditionFields(selection: Selection, rules: readonly Rule[]): string[] {
  const conditions = [selection.where, selection.exclude, ...rules.map((rule) => rule.when)];
  return conditions.flatMap((condition) => (condition ? [...condition.fields] : []));
}
