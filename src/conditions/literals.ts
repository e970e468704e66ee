/**
 * Turning the parser's literal text into typed values. The parser accepts some things Salesforce does not
 * (2024-13-45, N_DAYS_AGO:-1), so each literal is checked here, where the column is still known.
 */
import { N_LITERALS, PLAIN_LITERALS, parseWhen } from './dates.js';
import type { ConditionSource } from './locate.js';
import type { Literal, PatternPart } from './tree.js';

/** SOQL's quoted-string escapes (and \uXXXX); `\%` and `\_` are only special inside LIKE patterns. */
const ESCAPES: Record<string, string> = {
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\',
  '%': '%',
  _: '_',
};

const NUMBER = /^([+-]?)(\d*)(?:\.(\d+))?$/;
const DATETIME_LITERAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/i;

/** Where in the text a literal sits, for messages. */
interface At {
  src: ConditionSource;
  offset: number;
}

export function toLiteral(type: string, raw: string, forLike: boolean, at: At): Literal {
  switch (type) {
    case 'STRING':
      return forLike
        ? toPattern(raw, at)
        : { type: 'string', value: splitEscapes(raw, at).map(textOf).join('') };
    case 'INTEGER':
    case 'DECIMAL':
      return toNumber(raw, at);
    case 'BOOLEAN':
      return { type: 'boolean', value: raw.toUpperCase() === 'TRUE' };
    case 'NULL':
      return { type: 'null' };
    case 'DATE':
      return toDate(raw, at);
    case 'DATETIME':
      return toDatetime(raw, at);
    case 'DATE_LITERAL':
    case 'DATE_N_LITERAL':
      return toRelative(raw, at);
    case 'INTEGER_WITH_CURRENCY_PREFIX':
    case 'DECIMAL_WITH_CURRENCY_PREFIX':
      return failAt(
        at,
        raw,
        `currency amount "${raw}" is not supported`,
        'Write the plain number, e.g. 100.',
      );
    default:
      return failAt(at, raw, `value "${raw}" is not supported`, "Use text in single quotes, e.g. 'DE'.");
  }
}

function failAt(at: At, raw: string, what: string, hint?: string): never {
  const token = at.src.find(raw, at.offset);
  return at.src.fail(token?.offset ?? at.offset, what, hint);
}

type Piece = { escaped: boolean; char: string };

const textOf = (piece: Piece): string => piece.char;

/** Splits a quoted string into characters, remembering which were escaped (LIKE needs to know). */
function splitEscapes(raw: string, at: At): Piece[] {
  const body = raw.slice(1, -1);
  const pieces: Piece[] = [];
  for (let i = 0; i < body.length; i++) {
    const char = body[i] ?? '';
    if (char !== '\\') {
      pieces.push({ escaped: false, char });
      continue;
    }
    const next = body[i + 1] ?? '';
    const hex = /^u[0-9a-f]{4}/i.exec(body.slice(i + 1, i + 6));
    if (hex) {
      // SOQL's \uXXXX: one UTF-16 code unit, as in Java (a pair of them writes a character beyond U+FFFF).
      pieces.push({ escaped: true, char: String.fromCharCode(Number.parseInt(hex[0].slice(1), 16)) });
      i += 5;
      continue;
    }
    const decoded = ESCAPES[next.toLowerCase()];
    if (decoded === undefined) {
      const token = at.src.find(raw, at.offset);
      at.src.fail(
        (token?.offset ?? at.offset) + i + 1,
        `unknown escape "\\${next}" in text ${raw}`,
        "Inside quotes write \\' for a quote, \\\\ for a backslash, \\n for a new line, \\u00e9 for é.",
      );
    }
    pieces.push({ escaped: true, char: decoded });
    i++;
  }
  return pieces;
}

function toPattern(raw: string, at: At): Literal {
  const parts: PatternPart[] = [];
  for (const piece of splitEscapes(raw, at)) {
    if (!piece.escaped && piece.char === '%') parts.push({ kind: 'any' });
    else if (!piece.escaped && piece.char === '_') parts.push({ kind: 'one' });
    else {
      const last = parts.at(-1);
      if (last?.kind === 'text') last.text += piece.char;
      else parts.push({ kind: 'text', text: piece.char });
    }
  }
  return { type: 'pattern', parts };
}

function toNumber(raw: string, at: At): Literal {
  const match = NUMBER.exec(raw);
  if (!match || (match[2] === '' && match[3] === undefined)) {
    return failAt(at, raw, `number "${raw}" is not valid`, 'Write numbers like 500 or 12.5.');
  }
  // Rebuilt from its parts so the SOQL we send is canonical: `+.5` becomes `0.5`.
  const sign = match[1] === '-' ? '-' : '';
  const text = `${sign}${match[2] || '0'}${match[3] === undefined ? '' : `.${match[3]}`}`;
  return { type: 'number', value: Number(text), text };
}

function toDate(raw: string, at: At): Literal {
  const when = parseWhen(raw);
  if (when?.kind !== 'date') {
    return failAt(at, raw, `date ${raw} does not exist`, 'Write dates as YYYY-MM-DD, e.g. 2024-01-31.');
  }
  return { type: 'date', day: when.day, text: raw };
}

function toDatetime(raw: string, at: At): Literal {
  const when = DATETIME_LITERAL.test(raw) ? parseWhen(raw) : undefined;
  if (when?.kind !== 'datetime') {
    const hint =
      'Write date-times as YYYY-MM-DDThh:mm:ssZ or with an offset, e.g. 2024-01-31T10:00:00+01:00.';
    return failAt(at, raw, `date-time ${raw} is not valid`, hint);
  }
  return { type: 'datetime', ms: when.ms, text: raw.toUpperCase() };
}

function toRelative(raw: string, at: At): Literal {
  const [name = '', count] = raw.toUpperCase().split(':');
  if (name.includes('FISCAL')) {
    const hint =
      'Fiscal periods depend on org settings leadshift cannot see; use THIS_QUARTER, THIS_YEAR or dates.';
    return failAt(at, raw, `fiscal date literal ${raw} is not supported`, hint);
  }
  if (count === undefined) {
    if (PLAIN_LITERALS.has(name)) return { type: 'relative', date: { name } };
    const hint = N_LITERALS.has(name) ? `Give a number, e.g. ${name}:30.` : undefined;
    return failAt(at, raw, `unknown date literal ${raw}`, hint);
  }
  if (!N_LITERALS.has(name)) return failAt(at, raw, `unknown date literal ${raw}`);
  const n = Number(count);
  if (!/^\d+$/.test(count) || !Number.isSafeInteger(n)) {
    return failAt(at, raw, `${raw} needs a whole number of 0 or more`, `Write e.g. ${name}:30.`);
  }
  return { type: 'relative', date: { name, n } };
}
