/**
 * parseCondition: the one place user condition text is read. The real SOQL parser does the grammar; this
 * module wraps the text in a query, turns the parser's complaints into messages with a column and a hint,
 * and refuses anything that is more than a condition.
 */
import { parseQuery, type Query } from '@jetstreamapp/soql-parser-js';
import type { Place } from '../errors.js';
import { buildTree } from './build.js';
import { N_LITERALS } from './dates.js';
import { ConditionSource, type Token } from './locate.js';
import { type Condition, fieldsOf } from './tree.js';
import { assignTypes } from './typecheck.js';
import type { DescribedFields } from './types.js';

const PREFIX = 'SELECT Id FROM X WHERE ';
const OPERATORS = new Set(['=', '!=', '<>', '<', '<=', '>', '>=']);
const CLAUSE_WORDS = /^(limit|offset|order|group|having|with|for|update|using)$/i;
const OPERATOR_HINT = "Use = != < <= > >= LIKE IN NOT IN INCLUDES or EXCLUDES, e.g. Country = 'DE'.";

/** With `described`, fields are typed by the org's describe, and a field the object lacks is refused. */
export function parseCondition(text: string, place: Place, described?: DescribedFields): Condition {
  const src = new ConditionSource(text, place);
  if (text.trim() === '') src.fail(0, 'the condition is empty');
  const result = attempt(text);
  if (result instanceof Error) explain(result, src);
  rejectOtherClauses(result, src);
  if (!result.where) return src.fail(0, 'no condition found');
  const tree = buildTree(result.where, src);
  assignTypes(tree, src, described);
  return { text, fields: fieldsOf(tree), tree };
}

function attempt(text: string): Query | Error {
  try {
    return parseQuery(PREFIX + text);
  } catch (error) {
    if (error instanceof Error) return error;
    throw error;
  }
}

/** Leadshift writes the rest of the query itself; a condition carrying LIMIT or ORDER BY would break it. */
function rejectOtherClauses(query: Query, src: ConditionSource): void {
  const { fields: _fields, sObject: _sObject, where: _where, ...rest } = query;
  if (Object.keys(rest).length === 0) return;
  const keyword = src.tokens.find((t) => t.kind === 'word' && CLAUSE_WORDS.test(t.text));
  const word = keyword?.text.toUpperCase() ?? Object.keys(rest)[0]?.toUpperCase() ?? '';
  src.failAt(keyword, `only a condition is allowed, found "${word}"`, `Remove ${word} and what follows it.`);
}

/** The token after which nothing can make the text valid: the first prefix that fails before its end. */
function offendingToken(src: ConditionSource): Token | undefined {
  return src.tokens.find((token) => {
    const result = attempt(src.text.slice(0, token.offset + token.text.length));
    return result instanceof Error && !failsAtEnd(result);
  });
}

function failsAtEnd(error: Error): boolean {
  if (error.name === 'LexingError') return false;
  const at = error.message.lastIndexOf('but found');
  const found = /but found(?::| -->) ?'?(.*?)'?(?: <--)?\s*$/s.exec(error.message.slice(at));
  return at >= 0 && found?.[1] === '';
}

function explain(error: Error, src: ConditionSource): never {
  explainKnownMistakes(src);
  if (error.name === 'LexingError') explainLexing(error, src);
  if (failsAtEnd(error)) explainEnd(src);
  const token = offendingToken(src);
  if (!token) return src.fail(src.text.length, 'the condition is not valid SOQL');
  const previous = src.tokens[src.tokens.indexOf(token) - 1];
  if (token.kind === 'operator' && !OPERATORS.has(token.text)) {
    src.failAt(token, `unknown operator "${token.text}"`, OPERATOR_HINT);
  }
  if (token.text === ';')
    src.failAt(token, 'unexpected ";"', 'Give one condition, without ; or a second statement.');
  if (token.text.toUpperCase() === 'LIKE' && previous?.text.toUpperCase() === 'NOT') {
    src.failAt(previous, 'NOT LIKE is not SOQL', "Put NOT first: NOT Company LIKE 'Acme%'.");
  }
  if (token.kind === 'word' && previous?.kind === 'operator') {
    const hint = `Put text in single quotes ('${token.text}'); SOQL cannot compare a field with another field.`;
    src.failAt(token, `unquoted value "${token.text}"`, hint);
  }
  return src.failAt(token, `unexpected "${token.text}"`);
}

/** Mistakes the parser reports as a cut-off condition, though the text goes on: say what they are. */
function explainKnownMistakes(src: ConditionSource): void {
  for (const token of src.tokens) {
    if (token.kind === 'number' && /^[+-]?(\d+\.?\d*|\.\d+)e[+-]?\d+$/i.test(token.text)) {
      const plain = Number(token.text);
      const example = Number.isFinite(plain) && Math.abs(plain) < 1e15 ? String(plain) : '1000';
      src.failAt(
        token,
        `SOQL has no exponent notation ("${token.text}")`,
        `Write the number out, e.g. ${example}.`,
      );
    }
    if (token.kind === 'word' && N_LITERALS.has(token.text.toUpperCase())) {
      src.failAt(
        token,
        `${token.text.toUpperCase()} needs a number`,
        `Write e.g. ${token.text.toUpperCase()}:30.`,
      );
    }
  }
}

function explainLexing(error: Error, src: ConditionSource): never {
  const offset = Number(/at offset: (\d+)/.exec(error.message)?.[1] ?? PREFIX.length) - PREFIX.length;
  const char = src.text[offset] ?? '';
  if (char === "'") {
    src.fail(offset, 'text is not closed', "End text with a quote, and write a quote inside text as \\'.");
  }
  if (char === '"') src.fail(offset, 'double quotes are not SOQL', "Put text in single quotes, e.g. 'DE'.");
  return src.fail(offset, `unexpected character "${char}"`);
}

function explainEnd(src: ConditionSource): never {
  const last = src.tokens.at(-1);
  const opened =
    src.tokens.filter((t) => t.text === '(').length - src.tokens.filter((t) => t.text === ')').length;
  if (opened > 0) src.fail(src.text.length, 'a ")" is missing', 'Close every ( with a ).');
  return src.fail(
    src.text.length,
    `the condition stops after "${last?.text ?? ''}"`,
    "Finish it, e.g. Country = 'DE'.",
  );
}
