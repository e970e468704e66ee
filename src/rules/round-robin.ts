import { createHash } from 'node:crypto';
import type { AssignSpec } from '../config/job.js';
import type { Directory } from '../directory/directory.js';
import { InputError, type Place } from '../errors.js';
import { resolveTarget } from './targets.js';
import type { Rule, RuleContext, RuleOutcome } from './types.js';

type RoundRobinSpec = Extract<AssignSpec, { roundRobin: string[] }>;

/**
 * Turns kept between runs, by rule key: each member's running credit for smooth weighted round robin
 * (each pick adds every eligible member's weight to its credit, picks the highest, and takes the total
 * back from the winner), so that over any stretch of picks each member is within one of its share.
 */
export type RoundRobinState = Map<string, number[]>;

export function compileRoundRobin(
  spec: RoundRobinSpec,
  place: Place,
  index: number,
  options: { directory: Directory; object: string; roundRobin: RoundRobinState },
): Pick<Rule, 'name' | 'decide'> {
  if (spec.roundRobin.length === 0)
    throw new InputError({ ...place, message: 'lists nobody', hint: 'Name at least one user' });
  const members = spec.roundRobin.map((reference) =>
    resolveTarget(reference, place, options.directory, options.object),
  );
  const weights = spec.weights ?? members.map(() => 1);
  const key = roundRobinKey(options.object, members, weights);
  const credits = options.roundRobin.get(key) ?? members.map(() => 0);
  options.roundRobin.set(key, credits);
  const assignedThisRun = members.map(() => 0);
  return {
    name: `round robin #${index + 1}`,
    decide: (_record, context): RuleOutcome => {
      const eligible = members
        .map((_, i) => i)
        .filter((i) => spec.capacity === undefined || (assignedThisRun[i] ?? 0) < spec.capacity);
      if (eligible.length === 0) return { kind: 'pass', reason: 'every round-robin member is at capacity' };
      const pick = pickMember(
        eligible,
        members,
        weights,
        credits,
        spec.balance === 'load' ? { context, assignedThisRun } : undefined,
      );
      const ownerId = members[pick] as string;
      assignedThisRun[pick] = (assignedThisRun[pick] ?? 0) + 1;
      return { kind: 'assign', ownerId };
    },
  };
}

function pickMember(
  eligible: number[],
  members: string[],
  weights: number[],
  credits: number[],
  load: { context: RuleContext; assignedThisRun: number[] } | undefined,
): number {
  let total = 0;
  for (const i of eligible) {
    credits[i] = (credits[i] ?? 0) + (weights[i] ?? 1);
    total += weights[i] ?? 1;
  }
  const score = (i: number): number => {
    if (!load) return 0;
    const open = (load.context.loads?.get(members[i] as string) ?? 0) + (load.assignedThisRun[i] ?? 0);
    return open / (weights[i] ?? 1);
  };
  let best = eligible[0] as number;
  for (const i of eligible) {
    const better =
      score(i) < score(best) || (score(i) === score(best) && (credits[i] ?? 0) > (credits[best] ?? 0));
    if (better) best = i;
  }
  credits[best] = (credits[best] ?? 0) - total;
  return best;
}

function roundRobinKey(object: string, members: string[], weights: number[]): string {
  const text = `${object}|${members.join(',')}|${weights.join(',')}`;
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
