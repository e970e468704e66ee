// The structure of a WHERE clause (AND, OR, NOT, parentheses) read from the query text itself.
//
// soql-parser-js flattens a condition into a list with paren counts, and in that list a run of
// `NOT (NOT (NOT (…)))` loses a NOT and a parenthesis, so the tree cannot be rebuilt from it. SOQL's
// grammar ("Logical Operators", SOQL and SOSL Reference,
// https://developer.salesforce.com/docs/platform/salesforce-soql-sosl/guide/sforce-api-calls-soql-select-logicaloperators.html)
// is `NOT fieldExpression`, `X AND Y`, `X OR Y`, with parentheses required to mix AND and OR
// ("WHERE", https://developer.salesforce.com/docs/atlas.en-us.252.0.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_conditionexpression.htm).
// NOT binds to the field expression or parenthesised group that follows it. Only the field expressions
// themselves (field, operator, value, semi-join) are left to the library, one at a time.

import { parseQuery } from '@jetstreamapp/soql-parser-js';
import { malformed } from './errors.js';

interface Lexeme {
  text: string;
  start: number;
  end: number;
}

export type Shape =
  | { kind: 'leaf'; cond: unknown }
  | { kind: 'not'; inner: Shape }
  | { kind: 'and' | 'or'; parts: Shape[] };

function lex(soql: string): Lexeme[] {
  const out: Lexeme[] = [];
  let i = 0;
  while (i < soql.length) {
    const c = soql[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let j = i + 1;
      while (j < soql.length && soql[j] !== "'") j += soql[j] === '\\' ? 2 : 1;
      if (j >= soql.length) throw malformed('line 1:0 unterminated string literal');
      out.push({ text: soql.slice(i, j + 1), start: i, end: j + 1 });
      i = j + 1;
    } else if (c === '(' || c === ')') {
      out.push({ text: c, start: i, end: i + 1 });
      i++;
    } else {
      let j = i;
      while (j < soql.length && !/[\s()']/.test(soql[j] as string)) j++;
      out.push({ text: soql.slice(i, j), start: i, end: j });
      i = j;
    }
  }
  return out;
}

const CLAUSE_END = new Set(['GROUP', 'ORDER', 'LIMIT', 'OFFSET', 'FOR', 'WITH', 'UPDATE']);

/** The lexemes of the top-level query's WHERE clause, or undefined when it has none. */
function whereLexemes(soql: string): Lexeme[] | undefined {
  const all = lex(soql);
  let depth = 0;
  let from = -1;
  let to = all.length;
  for (let k = 0; k < all.length; k++) {
    const word = (all[k] as Lexeme).text.toUpperCase();
    if (word === '(') depth++;
    else if (word === ')') depth--;
    else if (depth === 0 && from < 0 && word === 'WHERE') from = k + 1;
    else if (depth === 0 && from >= 0 && CLAUSE_END.has(word)) {
      to = k;
      break;
    }
  }
  return from < 0 ? undefined : all.slice(from, to);
}

const isWord = (l: Lexeme | undefined, word: string) => l?.text.toUpperCase() === word;

/** The WHERE clause of `soql` as a tree, each field expression parsed by soql-parser-js. */
export function whereShape(soql: string, object: string): Shape | undefined {
  const lexemes = whereLexemes(soql);
  if (!lexemes) return undefined;
  let pos = 0;
  const leaf = (): Shape => {
    const first = lexemes[pos];
    if (!first || first.text === ')' || ['AND', 'OR', 'NOT'].includes(first.text.toUpperCase()))
      throw malformed(`unexpected token: ${first?.text ?? '<EOF>'}`);
    let depth = 0;
    let last = first;
    while (pos < lexemes.length) {
      const l = lexemes[pos] as Lexeme;
      if (depth === 0 && (l.text === ')' || isWord(l, 'AND') || isWord(l, 'OR'))) break;
      if (l.text === '(') depth++;
      else if (l.text === ')') depth--;
      last = l;
      pos++;
    }
    const text = soql.slice(first.start, last.end);
    let parsed: { where?: { left?: unknown; right?: unknown } };
    try {
      parsed = parseQuery(`SELECT Id FROM ${object} WHERE ${text}`) as typeof parsed;
    } catch (e) {
      throw malformed(`unexpected token: ${(e as Error).message.split('\n')[0]}`);
    }
    if (!parsed.where?.left || parsed.where.right) throw malformed(`unexpected token: ${text}`);
    return { kind: 'leaf', cond: parsed.where.left };
  };
  const unary = (): Shape => {
    if (isWord(lexemes[pos], 'NOT')) {
      pos++;
      return { kind: 'not', inner: unary() };
    }
    if (lexemes[pos]?.text === '(') {
      pos++;
      const inner = expr();
      if (lexemes[pos]?.text !== ')') throw malformed("unexpected token: missing ')'");
      pos++;
      return inner;
    }
    return leaf();
  };
  const expr = (): Shape => {
    const parts = [unary()];
    let op: string | undefined;
    while (isWord(lexemes[pos], 'AND') || isWord(lexemes[pos], 'OR')) {
      const next = (lexemes[pos] as Lexeme).text.toUpperCase();
      if (op && op !== next) throw malformed(`unexpected token: ${next}`);
      op = next;
      pos++;
      parts.push(unary());
    }
    if (parts.length === 1) return parts[0] as Shape;
    return { kind: op === 'AND' ? 'and' : 'or', parts };
  };
  const shape = expr();
  if (pos !== lexemes.length) throw malformed(`unexpected token: ${lexemes[pos]?.text}`);
  return shape;
}
