import { z } from 'zod';
import type { Place } from '../../errors.js';
import type { RuleContext } from '../types.js';
import { type AssignIssue, positiveInt, splitList, text } from './parts.js';
import { type Asker, type CountRequest, countKey, type WrittenAssign } from './strategy.js';

/**
 * What a round robin weighs its members by, beyond fixed weights: `load:` (the records per object and
 * condition that count as a member's load, for `balance: load`) and `weights: performance` (shares in
 * proportion to the records matching `performance:` each member owns).
 */
export interface Weighing {
  weights?: number[] | 'performance';
  /** Object → condition: a member's load is the sum over the objects of their records meeting it. */
  load?: Record<string, string>;
  performance?: { object: string; where: string };
}

const OBJECT_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const objectName = z.string().regex(OBJECT_NAME);

export const WEIGHING_OPTIONS = {
  weights: z.union([z.array(positiveInt).min(1), z.literal('performance')]),
  load: z
    .record(objectName, text)
    .refine((load) => Object.keys(load).length > 0, { message: 'names no object' }),
  performance: z.strictObject({ object: objectName, where: text }),
} as const;

export const WEIGHING_HINTS = {
  weights: 'Give one whole number per person in roundRobin, e.g. [2, 1], or performance',
  load: 'Name each object counted with the condition its records meet, e.g. { Lead: "IsConverted = false", Opportunity: "IsClosed = false" }',
  performance:
    'Name the object and the records that count, e.g. { object: Opportunity, where: "IsWon = true" }',
} as const;

/** Cross-key checks of the weighing options, on the raw YAML. */
export function checkWeighing(assign: WrittenAssign): AssignIssue[] {
  const issues: AssignIssue[] = [];
  if (assign.load !== undefined && assign.balance !== 'load')
    issues.push({
      path: ['load'],
      message: 'load says what counts for balance: load, and this rule does not balance by load',
      hint: 'Add balance: load, or remove load',
    });
  if (assign.weights === 'performance' && assign.performance === undefined)
    issues.push({
      path: ['weights'],
      message: 'weights: performance needs performance: { object, where }',
      hint: 'Add performance: { object: Opportunity, where: "IsWon = true AND CloseDate = LAST_N_DAYS:90" }',
    });
  if (assign.performance !== undefined && assign.weights !== 'performance')
    issues.push({
      path: ['performance'],
      message: 'performance is read only with weights: performance',
      hint: 'Set weights: performance, or remove performance',
    });
  return issues;
}

export function loadWeighing(assign: WrittenAssign): Weighing {
  return {
    ...(assign.weights !== undefined ? { weights: assign.weights as Weighing['weights'] } : {}),
    ...(assign.load ? { load: assign.load as Record<string, string> } : {}),
    ...(assign.performance ? { performance: assign.performance as Weighing['performance'] } : {}),
  };
}

/** The counts a weighing reads, one per object of `load:` and one for `performance:`. */
export function weighingTallies(
  members: string[],
  weighing: Weighing,
  at: (leaf: string) => Place,
): CountRequest[] {
  const requests: CountRequest[] = Object.entries(weighing.load ?? {}).map(([object, where]) => ({
    members,
    object,
    where: { text: where, place: at(`load.${object}`) },
  }));
  const performance = weighing.performance;
  if (weighing.weights === 'performance' && performance)
    requests.push({
      members,
      object: performance.object,
      where: { text: performance.where, place: at('performance.where') },
    });
  return requests;
}

/** Each member's load under `load:`: their records per object meeting its condition, summed. */
export function namedLoad(load: Record<string, string>, ownerId: string, context: RuleContext): number {
  let sum = 0;
  for (const [object, where] of Object.entries(load))
    sum += context.counts?.get(countKey({ object, where: { text: where, place: {} } }))?.get(ownerId) ?? 0;
  return sum;
}

/**
 * Performance weights: each member's matching records. A member with none gets the smallest share any
 * member has (the smallest positive count), so a new rep still receives records; when nobody has any,
 * every member weighs 1 and the round robin is even.
 */
export function performanceWeights(
  performance: { object: string; where: string },
  ownerIds: readonly string[],
  context: RuleContext,
): number[] {
  const counts = context.counts?.get(
    countKey({ object: performance.object, where: { text: performance.where, place: {} } }),
  );
  const raw = ownerIds.map((id) => counts?.get(id) ?? 0);
  const positive = raw.filter((count) => count > 0);
  const floor = positive.length > 0 ? Math.min(...positive) : 1;
  return raw.map((count) => (count > 0 ? count : floor));
}

/** init's questions on how a round robin shares its turns, as the options the job file will hold. */
export async function askWeighing(asker: Asker, members: number): Promise<Record<string, unknown>> {
  const how = (await asker.ask('Share turns: even, weights, performance or load', 'even'))
    .trim()
    .toLowerCase();
  if (how === 'weights') {
    const weights = splitList(
      await asker.ask(`${members} whole numbers, one per person, separated by commas`),
    );
    return { weights: weights.map(Number) };
  }
  if (how === 'performance') {
    const object = await asker.ask('Object whose records measure performance', 'Opportunity');
    const where = await asker.ask('Records that count (SOQL)', 'IsWon = true AND CloseDate = LAST_N_DAYS:90');
    return { weights: 'performance', performance: { object, where } };
  }
  if (how !== 'load') return {};
  const written = await asker.ask(
    'What counts as load, as Object: condition separated by ; (empty for open records of this object)',
    '',
  );
  const load = Object.fromEntries(
    written
      .split(';')
      .map((part) => part.split(':'))
      .filter((pair) => pair.length >= 2)
      .map(([object, ...where]) => [String(object).trim(), where.join(':').trim()]),
  );
  return Object.keys(load).length > 0 ? { balance: 'load', load } : { balance: 'load' };
}
