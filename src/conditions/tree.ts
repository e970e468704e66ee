/**
 * The parsed form of a SOQL condition. The external parser yields a flat linked list with paren counts;
 * this small tree is what both the evaluator and the SOQL writer walk, so they cannot disagree.
 */

import type { FieldType } from './types.js';

export type CompareOp =
  | '='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'LIKE'
  | 'IN'
  | 'NOT IN'
  | 'INCLUDES'
  | 'EXCLUDES';

/** A LIKE pattern kept as parts, so a literal `%` can never be confused with the wildcard. */
export type PatternPart = { kind: 'text'; text: string } | { kind: 'any' } | { kind: 'one' };

/** Relative date literals with their number, e.g. LAST_N_DAYS:30 → { name: 'LAST_N_DAYS', n: 30 }. */
export interface RelativeDate {
  name: string;
  n?: number;
}

export type Literal =
  | { type: 'string'; value: string }
  | { type: 'pattern'; parts: PatternPart[] }
  | { type: 'number'; value: number; text: string }
  | { type: 'boolean'; value: boolean }
  | { type: 'null' }
  /** Days since 1970-01-01 (UTC), and the validated YYYY-MM-DD text. */
  | { type: 'date'; day: number; text: string }
  /** Milliseconds since the epoch, and the validated ISO text including its offset. */
  | { type: 'datetime'; ms: number; text: string }
  | { type: 'relative'; date: RelativeDate };

export interface Comparison {
  kind: 'compare';
  /** The field as written (for SOQL), and lower-cased (for looking up record fields). */
  field: string;
  path: string;
  op: CompareOp;
  /** One literal for scalar operators; the list for IN, NOT IN, INCLUDES and EXCLUDES. */
  values: Literal[];
  /** The field's type: known for standard fields, else taken from the literals compared with it. */
  fieldType?: FieldType;
  /** True when `fieldType` was taken from the literals (the field itself is unknown to leadshift). */
  assumed?: boolean;
}

export type ConditionNode =
  | Comparison
  | { kind: 'and'; items: ConditionNode[] }
  | { kind: 'or'; items: ConditionNode[] }
  | { kind: 'not'; item: ConditionNode };

export interface Condition {
  /** The text the user wrote, for messages only: SOQL is always written from `tree`. */
  readonly text: string;
  /** Lower-cased field paths referenced, in order of first use, e.g. `country`, `owner.isactive`. */
  readonly fields: readonly string[];
  readonly tree: ConditionNode;
}

export const LIST_OPS: ReadonlySet<CompareOp> = new Set(['IN', 'NOT IN', 'INCLUDES', 'EXCLUDES']);

export function fieldsOf(node: ConditionNode, into: string[] = []): string[] {
  if (node.kind === 'compare') {
    if (!into.includes(node.path)) into.push(node.path);
  } else if (node.kind === 'not') {
    fieldsOf(node.item, into);
  } else {
    for (const item of node.items) fieldsOf(item, into);
  }
  return into;
}
