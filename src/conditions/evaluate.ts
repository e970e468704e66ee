/**
 * Evaluating a condition on one record, with Salesforce's meaning:
 * - text compares case-insensitively (=, !=, IN, LIKE, and ordering by lower-cased code points);
 * - logic is two-valued: null is a value, so `Country != 'DE'` holds for an empty Country, as it does in
 *   SOQL (unlike SQL), while <, >, LIKE and INCLUDES never hold for null;
 * - a value that cannot be read as the literal's type (`abc` against 500) makes the comparison false,
 *   whichever the operator, so bad data never selects a record;
 * - dates are compared in UTC and weeks start on Sunday (see dates.ts).
 */
import type { FieldValue } from '../model.js';
import { asBoolean, asNumber, asText, asWhen, readField } from './coerce.js';
import { DAY_MS, dayOf, relativeRange } from './dates.js';
import type { CompareOp, Comparison, Condition, ConditionNode, Literal, PatternPart } from './tree.js';

export interface EvalContext {
  /** The moment that TODAY, LAST_N_DAYS:n and the other relative date literals are counted from (UTC). */
  now: Date;
}

export function evaluateCondition(
  condition: Condition,
  fields: Record<string, FieldValue>,
  context: EvalContext,
): boolean {
  return evaluateNode(condition.tree, fields, context);
}

function evaluateNode(
  node: ConditionNode,
  fields: Record<string, FieldValue>,
  context: EvalContext,
): boolean {
  switch (node.kind) {
    case 'and':
      return node.items.every((item) => evaluateNode(item, fields, context));
    case 'or':
      return node.items.some((item) => evaluateNode(item, fields, context));
    case 'not':
      return !evaluateNode(node.item, fields, context);
    case 'compare':
      return compare(node, readField(fields, node.path), context);
  }
}

function compare(node: Comparison, value: FieldValue, context: EvalContext): boolean {
  const { op, values } = node;
  switch (op) {
    case 'IN':
      return values.some((literal) => holds('=', value, literal, context));
    case 'NOT IN':
      return values.every((literal) => holds('!=', value, literal, context));
    case 'INCLUDES':
      return value !== null && values.some((literal) => includes(value, literal));
    case 'EXCLUDES':
      return value === null || !values.some((literal) => includes(value, literal));
    default:
      return values.every((literal) => holds(op, value, literal, context));
  }
}

function holds(op: CompareOp, value: FieldValue, literal: Literal, context: EvalContext): boolean {
  if (value === null || literal.type === 'null') {
    const same = value === null && literal.type === 'null';
    if (op === '=') return same;
    if (op === '!=') return !same;
    return false;
  }
  if (literal.type === 'pattern') return patternRegex(literal.parts).test(asText(value));
  const position = locate(value, literal, context);
  if (position === undefined) return false;
  return applyOrder(op, position);
}

function applyOrder(op: CompareOp, position: number): boolean {
  switch (op) {
    case '=':
      return position === 0;
    case '!=':
      return position !== 0;
    case '<':
      return position < 0;
    case '<=':
      return position <= 0;
    case '>':
      return position > 0;
    case '>=':
      return position >= 0;
    default:
      return false;
  }
}

const sign = (a: number, b: number): number => (a < b ? -1 : a > b ? 1 : 0);
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Where the value lies relative to the literal: below (-1), equal or within (0), above (1). */
function locate(
  value: string | number | boolean,
  literal: Literal,
  context: EvalContext,
): number | undefined {
  switch (literal.type) {
    case 'string':
      return compareText(asText(value).toLowerCase(), literal.value.toLowerCase());
    case 'number': {
      const n = asNumber(value);
      return n === undefined ? undefined : sign(n, literal.value);
    }
    case 'boolean': {
      const b = asBoolean(value);
      return b === undefined ? undefined : b === literal.value ? 0 : 1;
    }
    default:
      return locateWhen(value, literal, context);
  }
}

function locateWhen(
  value: string | number | boolean,
  literal: Literal,
  context: EvalContext,
): number | undefined {
  const when = asWhen(value);
  if (!when) return undefined;
  if (literal.type === 'date') return sign(dayOf(when), literal.day);
  if (literal.type === 'datetime')
    return sign(when.kind === 'date' ? when.day * DAY_MS : when.ms, literal.ms);
  if (literal.type !== 'relative') return undefined;
  const [start, end] = relativeRange(literal.date, context.now);
  const day = dayOf(when);
  return day < start ? -1 : day >= end ? 1 : 0;
}

/** Multi-select picklists: 'A;B' in the list means the value holds both A and B. */
function includes(value: string | number | boolean, literal: Literal): boolean {
  if (literal.type !== 'string') return false;
  const split = (text: string) => text.split(';').map((part) => part.trim().toLowerCase());
  const chosen = new Set(split(asText(value)));
  return split(literal.value).every((part) => chosen.has(part));
}

const patternCache = new WeakMap<PatternPart[], RegExp>();

function patternRegex(parts: PatternPart[]): RegExp {
  let regex = patternCache.get(parts);
  if (!regex) {
    const source = parts
      .map((part) => (part.kind === 'any' ? '.*' : part.kind === 'one' ? '.' : escapeRegex(part.text)))
      .join('');
    regex = new RegExp(`^${source}$`, 'isu');
    patternCache.set(parts, regex);
  }
  return regex;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
