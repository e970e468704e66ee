import type { Place } from '../errors.js';
import type { AssignSpec } from './strategies/index.js';
import type { TaggedAssign } from './strategies/strategy.js';

/** A condition string and where it was written, so a parse error can point at it. */
export interface ConditionSpec {
  text: string;
  place: Place;
}

/** One rule as the job states it: an optional condition and exactly one strategy, tagged. */
export interface RuleSpec<A extends TaggedAssign = AssignSpec> {
  name?: string;
  when?: ConditionSpec;
  assign: A;
  /** Where the rule was written: the job file and line, or the flag (`--map`). */
  place: Place;
}
