import { basename } from 'node:path';
import { parseCondition } from '../conditions/index.js';
import type { AssignSpec, RuleSpec } from '../config/job.js';
import type { Directory } from '../directory/directory.js';
import { InputError, type Place, type Problem } from '../errors.js';
import { type MappingFile, resolveMapping } from './mapping.js';
import { accountField, accountOwnerRule, managerRule } from './related.js';
import { compileRoundRobin, type RoundRobinState } from './round-robin.js';
import { resolveTarget } from './targets.js';
import type { Rule, RuleOutcome } from './types.js';

export interface CompileOptions {
  directory: Directory;
  object: string;
  /** Mapping files already read, by the path the rule names. */
  mappings: Map<string, MappingFile>;
  /** Where writes go: Salesforce's own assignment rules only run on a Salesforce write. */
  target: 'salesforce' | 'csv';
  /** Turns kept between runs for round-robin rules. */
  roundRobin: RoundRobinState;
  /** The lookup to the account, for account-owner rules on leads (`select.accountOwner: FIELD`). */
  accountField?: string;
}

/** Turns rule specs into rules, checking every target now so that nothing fails at write time. */
export function compileRules(specs: RuleSpec[], options: CompileOptions): Rule[] {
  const problems: Problem[] = [];
  const rules: Rule[] = [];
  specs.forEach((spec, index) => {
    try {
      rules.push(compileRule(spec, index, options));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(...error.problems);
    }
  });
  if (problems.length > 0) throw new InputError(problems);
  return rules;
}

function compileRule(spec: RuleSpec, index: number, options: CompileOptions): Rule {
  const when = spec.when ? parseCondition(spec.when.text, spec.when.place) : undefined;
  const { name, decide } = compileStrategy(spec.assign, spec.place, index, options);
  return { name: spec.name ?? name, when, place: spec.place, decide };
}

function keyOf(place: Place, index: number, leaf: string): string {
  return place.key?.startsWith('--') ? place.key : `rules[${index}].${leaf}`;
}

type Compiled = Pick<Rule, 'name' | 'decide'>;

function compileStrategy(assign: AssignSpec, place: Place, index: number, options: CompileOptions): Compiled {
  const at = (leaf: string): Place => ({ ...place, key: keyOf(place, index, `assign.${leaf}`) });
  if ('user' in assign) {
    const isQueue = /^queue:/i.test(assign.user);
    const name = isQueue ? `queue ${assign.user.slice(6).trim()}` : `user ${assign.user}`;
    return fixedOwner(name, assign.user, at('user'), options);
  }
  if ('queue' in assign) {
    const reference = /^queue:/i.test(assign.queue) ? assign.queue : `queue:${assign.queue}`;
    return fixedOwner(`queue ${assign.queue.replace(/^queue:/i, '')}`, reference, at('queue'), options);
  }
  if ('map' in assign) return mapRule(assign.map, at('map'), options);
  if ('keep' in assign) return { name: 'keep', decide: () => ({ kind: 'keep' }) };
  if ('manager' in assign) return managerRule(options.object);
  if ('accountOwner' in assign) {
    const field = accountField(options.object, options.accountField);
    if (!field) {
      throw new InputError({
        ...at('accountOwner'),
        message: `${options.object} records have no standard account lookup`,
        hint: 'Name the lookup field with select.accountOwner: FIELD (or --account-owner FIELD)',
      });
    }
    return accountOwnerRule(field);
  }
  if ('roundRobin' in assign) return compileRoundRobin(assign, at('roundRobin'), index, options);
  return salesforceRulesRule(assign.salesforceRules, at('salesforceRules'), options);
}

function fixedOwner(name: string, reference: string, place: Place, options: CompileOptions): Compiled {
  const ownerId = resolveTarget(reference, place, options.directory, options.object);
  return {
    name,
    decide: (): RuleOutcome => ({ kind: 'assign', ownerId }),
  };
}

function mapRule(path: string, place: Place, options: CompileOptions): Compiled {
  const file = options.mappings.get(path);
  if (!file) throw new InputError({ ...place, message: `mapping file ${path} was not read` });
  const table = resolveMapping(file, options.directory, options.object);
  return {
    name: `map ${basename(file.label)}`,
    decide: (record): RuleOutcome => {
      const ownerId = table.get(record.ownerId);
      return ownerId ? { kind: 'assign', ownerId } : { kind: 'pass', reason: 'owner not in the mapping' };
    },
  };
}

function salesforceRulesRule(value: true | string, place: Place, options: CompileOptions): Compiled {
  if (options.target !== 'salesforce') {
    throw new InputError({
      ...place,
      message:
        "Salesforce's assignment rules only run when writing to Salesforce, and this run writes a CSV file",
      hint: 'Use --from salesforce, or choose another rule',
    });
  }
  if (!['Lead', 'Case'].includes(options.object)) {
    throw new InputError({
      ...place,
      message: `Salesforce has assignment rules for leads and cases only, not ${options.object}`,
    });
  }
  const assignmentRuleId = value === true ? undefined : value;
  return {
    name: 'by Salesforce assignment rules',
    decide: (): RuleOutcome => ({ kind: 'salesforceRules', assignmentRuleId }),
  };
}
