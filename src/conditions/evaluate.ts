/**
 * Evaluating a condition on one record, with Salesforce's meaning:
 * - text compares case-insensitively (=, !=, IN, LIKE, and ordering by lower-cased code points);
 * - logic is two-valued: null is a value, so `Country != 'DE'` holds for an empty Country, as it does in
 *   SOQL (unlike SQL), while <, >, LIKE and INCLUDES never hold for null;
 * - a value that cannot be read as the field's type (`abc` against 500, `3/14/2026` against a date) throws
 *   UnreadableValue: the run stops and names it, since "does not match" would be a guess either way;
 * - a boolean field is never null in Salesforce: `= null` reads as `= FALSE`, an empty cell as FALSE;
 * - Ids compare by their 18-character form, so a 15-character literal matches;
 * - dates are compared in UTC and weeks start on Sunday (see dates.ts).
 */

import { toId18 } from '../ids.js';
import type { FieldValue } from '../model.js';
import { asBoolean, asNumber, asText, asWhen, readField } from './coerce.js';
import { DAY_MS, dayOf, relativeRange } from './dates.js';
import type { CompareOp, Comparison, Condition, ConditionNode, Literal, PatternPart } from './tree.js';
import { type FieldType, UnreadableValue } from './types.js';

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

const FALSE: Literal = { type: 'boolean', value: false };

function compare(node: Comparison, raw: FieldValue, context: EvalContext): boolean {
  const { op } = node;
  const boolean = node.fieldType === 'boolean';
  const value = boolean && raw === null ? false : raw;
  const values = boolean ? node.values.map((v) => (v.type === 'null' ? FALSE : v)) : node.values;
  const test = (operator: CompareOp, literal: Literal) => holds(operator, value, literal, node, context);
  switch (op) {
    case 'IN':
      return values.some((literal) => test('=', literal));
    case 'NOT IN':
      return values.every((literal) => test('!=', literal));
    case 'INCLUDES':
      return value !== null && values.some((literal) => includes(value, literal));
    case 'EXCLUDES':
      return value === null || !values.some((literal) => includes(value, literal));
    default:
      return values.every((literal) => test(op, literal));
  }
}

function holds(
  op: CompareOp,
  value: FieldValue,
  literal: Literal,
  node: Comparison,
  context: EvalContext,
): boolean {
  if (value === null || literal.type === 'null') {
    const same = value === null && literal.type === 'null';
    if (op === '=') return same;
    if (op === '!=') return !same;
    return false;
  }
  if (literal.type === 'pattern') return patternRegex(literal.parts).test(asText(value));
  const position =
    node.fieldType === 'id' && literal.type === 'string'
      ? locateId(value, literal.value)
      : locate(value, literal, context);
  if (position === undefined) {
    const expected: FieldType =
      node.fieldType ?? (literal.type === 'relative' ? 'date' : (literal.type as FieldType));
    throw new UnreadableValue(node.path, asText(value), expected, node.assumed !== false);
  }
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

function locateId(value: string | number | boolean, literal: string): number | undefined {
  const id = toId18(asText(value).trim());
  if (!id) return undefined;
  return compareText(id, toId18(literal) ?? literal);
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
