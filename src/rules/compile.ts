import { parseCondition } from '../conditions/index.js';
import { InputError, type Place, type Problem } from '../errors.js';
import type { RuleSpec } from './spec.js';
import { type AssignSpec, type Registry, strategies } from './strategies/index.js';
import type { CompileOptions, TaggedAssign } from './strategies/strategy.js';
import type { Rule } from './types.js';

export type { CompileOptions };

/**
 * Turns rule specs into rules, checking every target now so that nothing fails at write time. Each rule is
 * compiled by its strategy in `registry` (the built-in strategies unless told otherwise).
 */
export function compileRules(specs: ReadonlyArray<RuleSpec<AssignSpec>>, options: CompileOptions): Rule[];
export function compileRules<A extends TaggedAssign>(
  specs: ReadonlyArray<RuleSpec<A>>,
  options: CompileOptions,
  registry: Registry<A>,
): Rule[];
export function compileRules(
  specs: ReadonlyArray<RuleSpec<TaggedAssign>>,
  options: CompileOptions,
  registry: Registry<TaggedAssign> = strategies,
): Rule[] {
  const problems: Problem[] = [];
  const rules: Rule[] = [];
  specs.forEach((spec, index) => {
    try {
      rules.push(compileRule(spec, index, options, registry));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(...error.problems);
    }
  });
  if (problems.length > 0) throw new InputError(problems);
  return rules;
}

function compileRule<A extends TaggedAssign>(
  spec: RuleSpec<A>,
  index: number,
  options: CompileOptions,
  registry: Registry<A>,
): Rule {
  const when = spec.when ? parseCondition(spec.when.text, spec.when.place) : undefined;
  const at = (leaf: string): Place => ({ ...spec.place, key: keyOf(spec.place, index, `assign.${leaf}`) });
  const compiled = registry.of(spec.assign).compile(spec.assign, { index, at }, options);
  return { ...compiled, name: spec.name ?? compiled.name, when, place: spec.place };
}

function keyOf(place: Place, index: number, leaf: string): string {
  return place.key?.startsWith('--') ? place.key : `rules[${index}].${leaf}`;
}
