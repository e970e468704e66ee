/**
 * Writing a condition back as SOQL, from the tree and never from the user's text, so what Salesforce runs
 * is exactly what the evaluator checks on CSV rows. Every group and every NOT is parenthesised, which
 * makes the result safe to AND into a larger WHERE clause.
 */
import type { Comparison, Condition, ConditionNode, Literal, PatternPart } from './tree.js';
import { fieldsOf } from './tree.js';

export function conditionToSoql(condition: Condition): string {
  return `(${nodeToSoql(condition.tree)})`;
}

/** Joins conditions so that all must hold; undefined when none are given. */
export function andConditions(...conditions: Condition[]): Condition | undefined {
  const [first, ...others] = conditions;
  if (!first) return undefined;
  if (others.length === 0) return first;
  const tree: ConditionNode = { kind: 'and', items: conditions.map((c) => c.tree) };
  return { text: conditions.map((c) => `(${c.text})`).join(' AND '), fields: fieldsOf(tree), tree };
}

function nodeToSoql(node: ConditionNode): string {
  switch (node.kind) {
    case 'compare':
      return comparisonToSoql(node);
    case 'not':
      return `NOT ${operandToSoql(node.item)}`;
    case 'and':
    case 'or':
      return node.items.map(operandToSoql).join(node.kind === 'and' ? ' AND ' : ' OR ');
  }
}

function operandToSoql(node: ConditionNode): string {
  return node.kind === 'compare' ? nodeToSoql(node) : `(${nodeToSoql(node)})`;
}

function comparisonToSoql(node: Comparison): string {
  const values = node.values.map(literalToSoql);
  const right = node.values.length === 1 && !isListOp(node) ? values[0] : `(${values.join(', ')})`;
  return `${node.field} ${node.op} ${right}`;
}

function isListOp(node: Comparison): boolean {
  return node.op === 'IN' || node.op === 'NOT IN' || node.op === 'INCLUDES' || node.op === 'EXCLUDES';
}

export function literalToSoql(literal: Literal): string {
  switch (literal.type) {
    case 'string':
      return soqlString(literal.value);
    case 'pattern':
      return quote(literal.parts.map(patternPartToSoql).join(''));
    case 'number':
    case 'date':
    case 'datetime':
      return literal.text;
    case 'boolean':
      return literal.value ? 'TRUE' : 'FALSE';
    case 'null':
      return 'null';
    case 'relative':
      return literal.date.n === undefined ? literal.date.name : `${literal.date.name}:${literal.date.n}`;
  }
}

const quote = (body: string): string => `'${body}'`;

const TEXT_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** A SOQL string literal of any text, escaped as the SOQL reference requires: one escaping for all SOQL. */
export function soqlString(value: string): string {
  return quote(escapeText(value));
}

function escapeText(text: string): string {
  // U+2028 and U+2029 end a line for JavaScript-based SOQL readers, so they travel as \\u escapes.
  return text.replace(
    /[\\'\n\r\t\b\f\u2028\u2029]/g,
    (char) => TEXT_ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function patternPartToSoql(part: PatternPart): string {
  if (part.kind === 'any') return '%';
  if (part.kind === 'one') return '_';
  return escapeText(part.text).replace(/[%_]/g, (char) => `\\${char}`);
}
