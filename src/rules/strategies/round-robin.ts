import { createHash } from 'node:crypto';
import { z } from 'zod';
import { InputError, type Place } from '../../errors.js';
import { resolveTarget } from '../targets.js';
import type { MemberShares, RuleContext, RuleOutcome } from '../types.js';
import { type AssignIssue, positiveInt, quote, splitList, text } from './parts.js';
import {
  askWeighing,
  checkWeighing,
  loadWeighing,
  namedLoad,
  performanceWeights,
  WEIGHING_HINTS,
  WEIGHING_OPTIONS,
  type Weighing,
  weighingTallies,
} from './round-robin-weighing.js';
import { type CompiledRule, type CompileOptions, defineStrategy, type WrittenAssign } from './strategy.js';

/**
 * `roundRobin: [a, b]`, in turn, optionally weighted (fixed, or by performance), balanced by load (open
 * records of the object, or what `load:` counts), or capped per run.
 */
export interface RoundRobinAssign extends Weighing {
  strategy: 'roundRobin';
  roundRobin: string[];
  balance?: 'load';
  capacity?: number;
}

/**
 * Turns kept between runs, by rule key: each member's running credit for smooth weighted round robin
 * (each pick adds every eligible member's weight to its credit, picks the highest, and takes the total
 * back from the winner), so that over any stretch of picks each member is within one of its share.
 */
export type RoundRobinState = Map<string, number[]>;

export const roundRobinStrategy = defineStrategy<RoundRobinAssign>({
  key: 'roundRobin',
  schema: z.array(text).min(1),
  options: {
    ...WEIGHING_OPTIONS,
    balance: z.literal('load'),
    capacity: positiveInt,
  },
  hints: {
    ...WEIGHING_HINTS,
    roundRobin: 'List the people in turn, e.g. [anna@acme.com, ben@acme.com]',
    balance: 'The only balance is load (fewest open records first)',
    capacity: 'Give the most new records per person per run, e.g. 200',
  },
  exports: ['users'],
  init: {
    choice: 'round robin among people',
    ask: async (asker) => {
      const roundRobin = splitList(await asker.ask('Usernames or emails, separated by commas'));
      return { roundRobin, ...(await askWeighing(asker, roundRobin.length)) };
    },
  },
  check: checkRoundRobin,
  load: (assign) => ({
    strategy: 'roundRobin',
    roundRobin: (assign.roundRobin as string[]) ?? [],
    ...loadWeighing(assign),
    ...(assign.balance ? { balance: 'load' as const } : {}),
    ...(typeof assign.capacity === 'number' ? { capacity: assign.capacity } : {}),
  }),
  people: (spec) => spec.roundRobin,
  counted: (spec) => (spec.balance === 'load' && !spec.load ? spec.roundRobin : []),
  tallies: (spec, at) => weighingTallies(spec.roundRobin, spec, at),
  compile: (spec, place, options) => compileRoundRobin(spec, place.at('roundRobin'), place.index, options),
});

const OPTIONS = ['weights', 'balance', 'capacity', 'load', 'performance'] as const;

/** Runs on every assign: the options belong to roundRobin, and mean nothing beside another strategy. */
function checkRoundRobin(assign: WrittenAssign): AssignIssue[] {
  const { roundRobin, weights } = assign;
  if (roundRobin === undefined) {
    return OPTIONS.filter((key) => assign[key] !== undefined).map((option) => ({
      path: [option],
      message: `${option} is an option of roundRobin, and this rule has no roundRobin`,
      hint: `Remove ${option}, or assign with roundRobin: [...]`,
    }));
  }
  const issues: AssignIssue[] = checkWeighing(assign);
  if (Array.isArray(roundRobin) && Array.isArray(weights) && roundRobin.length !== weights.length) {
    issues.push({
      path: ['weights'],
      message: `${weights.length} weights for ${roundRobin.length} people in roundRobin`,
      hint: 'Give one weight per person, in the same order',
    });
  }
  if (Array.isArray(roundRobin)) issues.push(...checkUnique(roundRobin));
  return issues;
}

function checkUnique(people: unknown[]): AssignIssue[] {
  const seen = new Set<string>();
  const issues: AssignIssue[] = [];
  people.forEach((entry, index) => {
    if (typeof entry !== 'string') return;
    const normalized = entry.trim().toLowerCase();
    if (seen.has(normalized)) {
      issues.push({
        path: ['roundRobin', index],
        message: `${quote(entry)} is listed twice in roundRobin`,
        hint: 'List each person once; use weights to give someone a larger share',
      });
    }
    seen.add(normalized);
  });
  return issues;
}

function compileRoundRobin(
  spec: RoundRobinAssign,
  place: Place,
  index: number,
  options: CompileOptions,
): CompiledRule {
  if (spec.roundRobin.length === 0)
    throw new InputError({ ...place, message: 'lists nobody', hint: 'Name at least one user' });
  const members = spec.roundRobin.map((reference) =>
    resolveTarget(reference, place, options.directory, options.object),
  );
  const fixed = Array.isArray(spec.weights) ? spec.weights : undefined;
  // Performance weights change from run to run; the turns are kept under the rule, not its figures.
  const key = roundRobinKey(
    options.object,
    members,
    fixed ?? (spec.weights ? ['performance'] : members.map(() => 1)),
  );
  const credits = options.roundRobin.get(key) ?? members.map(() => 0);
  options.roundRobin.set(key, credits);
  const assignedThisRun = members.map(() => 0);
  let weights: number[] | undefined = fixed;
  const weightsIn = (context: RuleContext): number[] => {
    weights ??= spec.performance
      ? performanceWeights(spec.performance, members, context)
      : members.map(() => 1);
    return weights;
  };
  const loadOf = (i: number, context: RuleContext): number => {
    const ownerId = members[i] as string;
    return spec.load ? namedLoad(spec.load, ownerId, context) : (context.loads?.get(ownerId) ?? 0);
  };
  return {
    name: `round robin #${index + 1}`,
    decide: (_record, context): RuleOutcome => {
      const eligible = members
        .map((_, i) => i)
        .filter((i) => spec.capacity === undefined || (assignedThisRun[i] ?? 0) < spec.capacity);
      if (eligible.length === 0) return { kind: 'pass', reason: 'every round-robin member is at capacity' };
      const balance =
        spec.balance === 'load' ? { loadOf: (i: number) => loadOf(i, context), assignedThisRun } : undefined;
      const pick = pickMember(eligible, weightsIn(context), credits, balance);
      assignedThisRun[pick] = (assignedThisRun[pick] ?? 0) + 1;
      return { kind: 'assign', ownerId: members[pick] as string };
    },
    shares: (context): MemberShares => {
      const byLoad = spec.balance === 'load';
      const given = weightsIn(context);
      return {
        basis: byLoad ? 'load' : 'weight',
        members: members.map((ownerId, i) => ({
          ownerId,
          value: byLoad ? loadOf(i, context) : (given[i] ?? 1),
          received: assignedThisRun[i] ?? 0,
        })),
      };
    },
  };
}

interface Balance {
  /** A member's load before this run. */
  loadOf(i: number): number;
  assignedThisRun: number[];
}

function pickMember(
  eligible: number[],
  weights: number[],
  credits: number[],
  load: Balance | undefined,
): number {
  let total = 0;
  for (const i of eligible) {
    credits[i] = (credits[i] ?? 0) + (weights[i] ?? 1);
    total += weights[i] ?? 1;
  }
  const score = (i: number): number => {
    if (!load) return 0;
    const open = load.loadOf(i) + (load.assignedThisRun[i] ?? 0);
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

function roundRobinKey(object: string, members: string[], weights: Array<number | string>): string {
  const text = `${object}|${members.join(',')}|${weights.join(',')}`;
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
