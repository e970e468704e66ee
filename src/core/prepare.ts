import { type Condition, parseCondition } from '../conditions/index.js';
import type { JobSpec, RuleSpec } from '../config/job.js';
import { jobParts } from '../config/job-parts.js';
import { accountField } from '../directory/account-owners.js';
import type { Directory } from '../directory/directory.js';
import { InputError, type Problem } from '../errors.js';
import { readTurns, snapshotTurns } from '../journal/turns.js';
import { displayPath } from '../paths.js';
import type { Ports } from '../ports.js';
import { compileRules } from '../rules/compile.js';
import { type MappingFile, readMappingFile } from '../rules/mapping.js';
import { strategies } from '../rules/strategies/index.js';
import type { RoundRobinState } from '../rules/strategies/round-robin.js';
import type { TerritoryTable } from '../rules/strategies/territory-table.js';
import type { Rule, RuleContext } from '../rules/types.js';
import { openCsvKit } from '../sources/csv-kit.js';
import type { SharedConnection } from '../sources/salesforce-kit.js';
import type { SelectContext, Selection } from '../sources/source.js';
import type { SourceKit, SourceNeeds } from '../sources/source-kit.js';
import { countTallies, knownTableFields, readTerritories } from './rule-inputs.js';

export type { SourceKit };

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

/**
 * A job prepared for planning: one prepared run per object, in apply order (one for a job of one object).
 * Round-robin turns are shared, so that objects given to the same members continue one rotation.
 */
export interface PreparedJob {
  job: JobSpec;
  parts: PreparedRun[];
  /** The first object's source: the run's instance, target and production check are the same for all. */
  kit: SourceKit;
  roundRobin: RoundRobinState;
  roundRobinStart: Record<string, number[]>;
  close(): Promise<void>;
}

export async function prepareJob(job: JobSpec, ports: Ports, home: string): Promise<PreparedJob> {
  const roundRobin = await readTurns(home);
  const roundRobinStart = snapshotTurns(roundRobin);
  const parts: PreparedRun[] = [];
  const close = async () => {
    await Promise.all(parts.map((part) => part.kit.close()));
  };
  const shared: SharedConnection = {};
  try {
    for (const spec of jobParts(job)) parts.push(await prepareRun(spec, ports, home, roundRobin, shared));
  } catch (error) {
    await close();
    throw error;
  }
  const first = parts[0] as PreparedRun;
  return { job, parts, kit: first.kit, roundRobin, roundRobinStart, close };
}

export async function prepareRun(
  job: JobSpec,
  ports: Ports,
  home: string,
  turns?: RoundRobinState,
  shared?: SharedConnection,
): Promise<PreparedRun> {
  const now = ports.clock();
  const conditions = parseSelectConditions(job);
  const mappings = await readMappings(job.rules, ports.cwd);
  const territories = await readTerritories(job.rules, ports.cwd);
  const kit = await openKit(job, ports, shared);
  try {
    await kit.resolvePeople(peopleNamed(job, mappings, territories));
    const ownerIds = resolveOwners(job, kit.directory);
    const selection: Selection = {
      object: job.object,
      inactiveOwners: job.select.inactiveOwners,
      ownerIds,
      accountOwnerField: selectedAccountField(job),
      ...conditions,
    };
    const roundRobin = turns ?? (await readTurns(home));
    const rules = compileRules(job.rules, {
      directory: kit.directory,
      object: job.object,
      mappings,
      target: kit.target,
      roundRobin,
      accountField: typeof job.select.accountOwner === 'string' ? job.select.accountOwner : undefined,
      territories,
      knownFields: await knownTableFields(job.rules, territories, kit),
    });
    const fields = [
      ...conditionFields(selection, rules),
      ...strategies.fields(job.rules, territories),
      ...kit.extraFields(selection),
    ];
    const ruleContext: RuleContext = {
      directory: kit.directory,
      object: job.object,
      now,
      accountOwners: kit.accountOwners,
      loads: await loadCounts(job, kit),
      counts: await countTallies(job.rules, kit, kit.directory, now),
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

/** Open records of the people some rule counts (round robin balanced by load), read before planning. */
async function loadCounts(job: JobSpec, kit: SourceKit): Promise<Map<string, number> | undefined> {
  const members = strategies.counted(job.rules);
  if (members.length === 0) return undefined;
  const ids = members.flatMap((reference) => {
    const found = kit.directory.find(reference);
    return found.kind === 'found' && found.owner.kind === 'user' ? [found.owner.user.id] : [];
  });
  return kit.source.openCounts(ids);
}

export async function openKit(job: JobSpec, ports: Ports, shared?: SharedConnection): Promise<SourceKit> {
  const needs = sourceNeeds(job);
  return job.source.kind === 'csv'
    ? openCsvKit(job, ports, needs)
    : openSalesforce(job, ports, needs, shared);
}

async function openSalesforce(
  job: JobSpec,
  ports: Ports,
  needs: SourceNeeds,
  shared?: SharedConnection,
): Promise<SourceKit> {
  // Loaded on demand: jsforce takes longer to import than the rest of the tool takes to start.
  const { openSalesforceKit } = await import('../sources/salesforce-kit.js');
  return openSalesforceKit(job, ports, needs, shared);
}

/** What the rules' strategies need the source to read and be given, as plain data for the source. */
export function sourceNeeds(job: JobSpec): SourceNeeds {
  const exports = strategies.exports(job.rules);
  const reads = strategies.reads(job.rules);
  const named = typeof job.select.accountOwner === 'string' ? job.select.accountOwner : undefined;
  const accountLookup = reads.accountOwner ? accountField(job.object, named) : undefined;
  return {
    exports: {
      users: exports.has('users'),
      queues: exports.has('queues'),
      accounts: exports.has('accounts'),
    },
    managers: reads.managers,
    ...(accountLookup ? { accountLookup } : {}),
  };
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
  for (const path of strategies.files(rules)) {
    try {
      mappings.set(path, await readMappingFile(path, displayPath(path, cwd)));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  return mappings;
}

/** Every person or queue the job names, so a Salesforce source can read just those. */
export function peopleNamed(
  job: JobSpec,
  mappings: Map<string, MappingFile>,
  territories?: ReadonlyMap<string, TerritoryTable>,
): string[] {
  return [...new Set([...job.select.owners, ...strategies.people(job.rules, mappings, territories)])];
}

function resolveOwners(job: JobSpec, directory: Directory): string[] {
  const problems: Problem[] = [];
  const ids = job.select.owners.flatMap((reference) => {
    const found = directory.find(reference);
    if (found.kind === 'found')
      return [found.owner.kind === 'user' ? found.owner.user.id : found.owner.queue.id];
    problems.push({
      key: job.select.ownersFrom ?? (job.jobFile ? 'select.owners' : '--owner'),
      file: job.select.ownersFrom ? undefined : job.jobFile,
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
