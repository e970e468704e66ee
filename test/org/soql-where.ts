// WHERE clause: rebuilds the parser's flat condition list into a tree and evaluates it.

import { dateLiteralRange, dateMs, type Range } from './dates.js';
import { invalidField, malformed, SfError } from './errors.js';
import { to18 } from './ids.js';
import type { FieldType, ObjectDef } from './schema.js';
import { pathValue, type ResolvedPath, resolvePath } from './soql-fields.js';
import type { Shape } from './soql-where-text.js';
import { parseDateTime, type Rec, type Store } from './store.js';

export type Pred = (rec: Rec) => boolean;

interface CondNode {
  field?: string;
  fn?: unknown;
  operator?: string;
  value?: string | string[];
  literalType?: string | string[];
  valueQuery?: unknown;
  openParen?: number;
  closeParen?: number;
}

interface WhereNode {
  left: CondNode | null;
  operator?: string;
  right?: WhereNode;
}

export interface WhereContext {
  store: Store;
  base: ObjectDef;
  alias?: string;
  now: number;
  subquery: (query: unknown) => unknown[];
}

type Token = '(' | ')' | 'AND' | 'OR' | 'NOT' | { cond: CondNode };

function tokenize(where: WhereNode): Token[] {
  const out: Token[] = [];
  let node: WhereNode | undefined = where;
  while (node) {
    const left = node.left;
    if (left) {
      for (let i = 0; i < (left.openParen ?? 0); i++) out.push('(');
      if (left.field !== undefined || left.fn !== undefined) out.push({ cond: left });
      for (let i = 0; i < (left.closeParen ?? 0); i++) out.push(')');
    }
    if (node.operator) out.push(node.operator.toUpperCase() as Token);
    node = node.right;
  }
  return out;
}

type Kind = 'string' | 'id' | 'boolean' | 'number' | 'date' | 'datetime';

function kindOf(type: FieldType): Kind {
  switch (type) {
    case 'id':
    case 'reference':
      return 'id';
    case 'boolean':
      return 'boolean';
    case 'int':
    case 'double':
    case 'currency':
    case 'percent':
      return 'number';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    default:
      return 'string';
  }
}

type Lit = { kind: 'null' } | { kind: 'value'; v: string | number | boolean } | { kind: 'range'; r: Range };

/**
 * Quoted string escapes, as "Quoted String Escape Sequences" (SOQL and SOSL Reference) lists them:
 * \n \r \t \b \f \" \' \\ and \uXXXX (one UTF-16 code unit); \_ and \% stay escaped for LIKE.
 */
function unquote(s: string, keepLikeEscapes = false): string {
  const body = s.slice(1, -1);
  return body.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (whole, c: string) => {
    if (c.length === 5) return String.fromCharCode(Number.parseInt(c.slice(1), 16));
    if (keepLikeEscapes && (c === '_' || c === '%')) return whole;
    return ({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' } as Record<string, string>)[c] ?? c;
  });
}

function literal(raw: string, type: string, field: ResolvedPath, now: number): Lit {
  const kind = kindOf(field.leaf.type);
  const name = field.leaf.name;
  const typeName = {
    string: 'string',
    id: 'id',
    boolean: 'boolean',
    number: 'double',
    date: 'date',
    datetime: 'dateTime',
  }[kind];
  const quotesNote =
    kind === 'string' || kind === 'id' ? 'should be enclosed in quotes' : 'should not be enclosed in quotes';
  const wrong = () =>
    invalidField(
      `value of filter criterion for field '${name}' must be of type ${typeName} and ${quotesNote}`,
    );
  switch (type) {
    case 'NULL':
      // A boolean field is never null: "Comparison Operators" (SOQL and SOSL Reference) reads
      // `Bool = null` as `Bool = false`, and `Bool != null` as `Bool = true`.
      return kind === 'boolean' ? { kind: 'value', v: false } : { kind: 'null' };
    case 'STRING': {
      if (kind !== 'string' && kind !== 'id') throw wrong();
      const s = unquote(raw);
      if (kind === 'id') {
        if (s === '') return { kind: 'null' };
        const id = to18(s);
        if (!id) throw new SfError(400, 'INVALID_QUERY_FILTER_OPERATOR', `invalid ID field: ${s}`);
        return { kind: 'value', v: id };
      }
      return { kind: 'value', v: s.toLowerCase() };
    }
    case 'INTEGER':
    case 'DECIMAL':
      if (kind !== 'number') throw wrong();
      return { kind: 'value', v: Number(raw) };
    case 'BOOLEAN':
      if (kind !== 'boolean') throw wrong();
      return { kind: 'value', v: raw.toUpperCase() === 'TRUE' };
    case 'DATE':
      if (kind !== 'date') throw wrong();
      return { kind: 'range', r: { start: dateMs(raw), end: dateMs(raw) + 86_400_000 } };
    case 'DATETIME': {
      if (kind !== 'datetime') throw wrong();
      const t = parseDateTime(raw);
      if (t === undefined) throw malformed(`line 1:0 no viable alternative at character '${raw}'`);
      return { kind: 'range', r: { start: t, end: t + 1 } };
    }
    case 'DATE_LITERAL':
    case 'DATE_N_LITERAL':
      if (kind !== 'date' && kind !== 'datetime') throw wrong();
      return { kind: 'range', r: dateLiteralRange(raw, now) };
    default:
      throw malformed(`unexpected token: ${raw}`);
  }
}

function fieldScalar(v: unknown, kind: Kind): string | number | boolean | null {
  if (v === null || v === undefined) return kind === 'boolean' ? false : null;
  if (kind === 'date' && typeof v === 'string') return dateMs(v);
  if (kind === 'datetime') return parseDateTime(v) ?? null;
  if (kind === 'id') return to18(v) ?? String(v);
  if (kind === 'string') return String(v).toLowerCase();
  return v as number | boolean;
}

function compare(op: string, v: string | number | boolean | null, lit: Lit): boolean {
  if (lit.kind === 'null') {
    if (op === '=') return v === null;
    if (op === '!=') return v !== null;
    return false;
  }
  if (v === null) return op === '!=';
  if (lit.kind === 'range') {
    const n = v as number;
    const { start, end } = lit.r;
    switch (op) {
      case '=':
        return n >= start && n < end;
      case '!=':
        return n < start || n >= end;
      case '<':
        return n < start;
      case '<=':
        return n < end;
      case '>':
        return n >= end;
      case '>=':
        return n >= start;
    }
    return false;
  }
  const w = lit.v;
  switch (op) {
    case '=':
      return v === w;
    case '!=':
      return v !== w;
    case '<':
      return v < w;
    case '<=':
      return v <= w;
    case '>':
      return v > w;
    case '>=':
      return v >= w;
  }
  return false;
}

/** `\%` and `\_` match themselves ("Comparison Operators", LIKE), the unescaped ones are wildcards. */
function likeRegex(pattern: string): RegExp {
  let re = '';
  let escaped = false;
  for (const ch of pattern) {
    if (escaped || (ch !== '%' && ch !== '_' && ch !== '\\')) {
      re += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      escaped = false;
    } else if (ch === '\\') escaped = true;
    else if (ch === '%') re += '.*';
    else re += '.';
  }
  return new RegExp(`^${re}$`, 'is');
}

function compileCond(ctx: WhereContext, cond: CondNode): Pred {
  if (cond.field === undefined) throw malformed('functions in WHERE are not supported by the test org');
  const path = resolvePath(ctx.store, ctx.base, cond.field, ctx.alias);
  const kind = kindOf(path.leaf.type);
  const op = (cond.operator ?? '').toUpperCase();
  const get = (rec: Rec) => fieldScalar(pathValue(ctx.store, rec, path), kind);
  if (op === 'INCLUDES' || op === 'EXCLUDES')
    throw malformed(`${op} is only valid on multi-select picklists`);
  if ((op === '<' || op === '>' || op === '<=' || op === '>=') && (kind === 'boolean' || kind === 'id')) {
    throw new SfError(
      400,
      'INVALID_QUERY_FILTER_OPERATOR',
      `invalid operator on ${kind} field: ${path.leaf.name}`,
    );
  }
  if (op === 'IN' || op === 'NOT IN') {
    let lits: Lit[];
    if (cond.valueQuery) {
      if (kind !== 'id') throw malformed('semi-join sub-selects are only supported on Id fields');
      lits = ctx
        .subquery(cond.valueQuery)
        .map((v) => (v === null ? { kind: 'null' } : { kind: 'value', v: String(v) }));
    } else {
      const values = Array.isArray(cond.value) ? cond.value : [cond.value ?? ''];
      const types = Array.isArray(cond.literalType) ? cond.literalType : values.map(() => cond.literalType);
      lits = values.map((v, i) => literal(v, String(types[i] ?? types[0] ?? ''), path, ctx.now));
    }
    const hit = (rec: Rec) => {
      const v = get(rec);
      return lits.some((l) => compare('=', v, l));
    };
    return op === 'IN' ? hit : (rec) => !hit(rec);
  }
  if (Array.isArray(cond.value)) throw malformed(`unexpected token: '('`);
  const lit = literal(cond.value ?? '', String(cond.literalType ?? ''), path, ctx.now);
  if (op === 'LIKE') {
    if (kind !== 'string' || lit.kind !== 'value') {
      throw new SfError(400, 'INVALID_QUERY_FILTER_OPERATOR', `invalid operator on field: ${path.leaf.name}`);
    }
    const re = likeRegex(unquote(String(cond.value), true));
    return (rec) => {
      const v = get(rec);
      return v !== null && re.test(String(v));
    };
  }
  if ((op === '<' || op === '>' || op === '<=' || op === '>=') && lit.kind === 'null') {
    throw malformed(`invalid operator on null value`);
  }
  return (rec) => compare(op, get(rec), lit);
}

function compileShape(ctx: WhereContext, shape: Shape): Pred {
  switch (shape.kind) {
    case 'leaf':
      return compileCond(ctx, shape.cond as CondNode);
    case 'not': {
      const inner = compileShape(ctx, shape.inner);
      return (r) => !inner(r);
    }
    default: {
      const parts = shape.parts.map((p) => compileShape(ctx, p));
      return shape.kind === 'and' ? (r) => parts.every((p) => p(r)) : (r) => parts.some((p) => p(r));
    }
  }
}

/**
 * The predicate of a WHERE clause: from its text when the query has one (see soql-where-text.ts), else
 * from soql-parser-js's flat list, which is exact for the sub-selects that reach here without text.
 */
export function compileWhere(ctx: WhereContext, where: unknown, shape?: Shape): Pred {
  if (shape) return compileShape(ctx, shape);
  const tokens = tokenize(where as WhereNode);
  let pos = 0;
  const peek = () => tokens[pos];
  const unary = (): Pred => {
    const t = tokens[pos++];
    if (t === 'NOT') {
      const inner = unary();
      return (r) => !inner(r);
    }
    if (t === '(') {
      const inner = expr();
      if (tokens[pos++] !== ')') throw malformed("unexpected token: missing ')'");
      return inner;
    }
    if (t && typeof t === 'object') return compileCond(ctx, t.cond);
    throw malformed(`unexpected token: ${String(t)}`);
  };
  const expr = (): Pred => {
    const parts = [unary()];
    let op: string | undefined;
    while (peek() === 'AND' || peek() === 'OR') {
      const next = tokens[pos++] as string;
      if (op && op !== next) throw malformed(`unexpected token: ${next}`);
      op = next;
      parts.push(unary());
    }
    if (parts.length === 1) return parts[0] as Pred;
    return op === 'AND' ? (r) => parts.every((p) => p(r)) : (r) => parts.some((p) => p(r));
  };
  const pred = expr();
  if (pos !== tokens.length) throw malformed(`unexpected token: ${String(tokens[pos])}`);
  return pred;
}
