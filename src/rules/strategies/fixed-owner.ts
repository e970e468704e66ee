import type { Place } from '../../errors.js';
import { resolveTarget } from '../targets.js';
import type { RuleOutcome } from '../types.js';
import type { CompiledRule, CompileOptions } from './strategy.js';

/** A rule that gives every record to one person or queue, resolved now so nothing fails at write time. */
export function fixedOwner(
  name: string,
  reference: string,
  place: Place,
  options: CompileOptions,
): CompiledRule {
  const ownerId = resolveTarget(reference, place, options.directory, options.object);
  return {
    name,
    decide: (): RuleOutcome => ({ kind: 'assign', ownerId }),
  };
}
