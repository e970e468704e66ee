// SOQL: parse with soql-parser-js, resolve against the schema, run against the store.

import { parseQuery } from '@jetstreamapp/soql-parser-js';
import { malformed, SfError } from './errors.js';
import { to18 } from './ids.js';
import type { ObjectDef } from './schema.js';
import { pathValue, type ResolvedPath, resolvePath } from './soql-fields.js';
import { compileWhere, type Pred } from './soql-where.js';
import { whereShape } from './soql-where-text.js';
import type { Rec, Store } from './store.js';

interface AggColumn {
  fn: string;
  path?: ResolvedPath;
  key: string;
}

interface GroupColumn {
  path: ResolvedPath;
  key: string;
}

interface OrderTerm {
  path: ResolvedPath;
  desc: boolean;
  nullsLast: boolean;
}

export interface ChildQuery {
  relName: string;
  child: ObjectDef;
  refField: string;
  plan: Plan;
}

export interface Plan {
  object: ObjectDef;
  paths: ResolvedPath[];
  children: ChildQuery[];
  where?: Pred;
  order: OrderTerm[];
  limit?: number;
  offset?: number;
  countOnly: boolean;
  groups?: GroupColumn[];
  aggs?: AggColumn[];
  scanAll: boolean;
  /** `WHERE Id IN (…)` alone: the records are looked up by Id instead of scanning the object. */
  ids?: string[];
}

export interface QueryOptions {
  scanAll?: boolean;
  bulk?: boolean;
  now?: number;
}

type AnyNode = Record<string, unknown> & { type?: string };

const AGG_FNS = new Set(['COUNT', 'COUNT_DISTINCT', 'SUM', 'AVG', 'MIN', 'MAX']);

function childRelationName(child: ObjectDef, refCustom: boolean, refField: string): string {
  if (refCustom) return `${refField.replace(/__c$/, '')}s__r`.replace(/ss__r$/, 's__r');
  if (child.name === 'Opportunity') return 'Opportunities';
  return `${child.name.replace(/__c$/, '__r')}s`;
}

function findChild(store: Store, parent: ObjectDef, relName: string): { child: ObjectDef; refField: string } {
  for (const name of store.objectNames()) {
    const child = store.describe(name);
    if (!child) continue;
    for (const f of child.fields.values()) {
      if (f.type !== 'reference' || f.referenceTo?.length !== 1 || f.referenceTo[0] !== parent.name) continue;
      if (['CreatedById', 'LastModifiedById', 'OwnerId'].includes(f.name)) continue;
      if (childRelationName(child, f.custom, f.name).toLowerCase() === relName.toLowerCase()) {
        return { child, refField: f.name };
      }
    }
  }
  throw new SfError(
    400,
    'INVALID_TYPE',
    `Didn't understand relationship '${relName}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
  );
}

export function unsupportedObject(name: string): SfError {
  return new SfError(
    400,
    'INVALID_TYPE',
    `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
  );
}

function buildPlan(store: Store, q: AnyNode, opts: QueryOptions, object: ObjectDef, soql = ''): Plan {
  const alias = typeof q.sObjectAlias === 'string' ? q.sObjectAlias : undefined;
  const now = opts.now ?? Date.now();
  const plan: Plan = {
    object,
    paths: [],
    children: [],
    order: [],
    countOnly: false,
    scanAll: !!opts.scanAll,
  };
  const plain: { path: ResolvedPath; alias?: string }[] = [];
  const aggs: AggColumn[] = [];
  let exprN = 0;
  const seen = new Set<string>();
  for (const f of (q.fields ?? []) as AnyNode[]) {
    if (f.type === 'Field' || f.type === 'FieldRelationship') {
      const raw =
        f.type === 'Field'
          ? String(f.field)
          : String(f.rawValue ?? [...(f.relationships as string[]), f.field].join('.'));
      const path = resolvePath(store, object, raw, alias);
      if (seen.has(path.canonical.toLowerCase()))
        throw malformed(`duplicate field selected: ${path.canonical}`);
      seen.add(path.canonical.toLowerCase());
      plain.push({ path, alias: typeof f.alias === 'string' ? f.alias : undefined });
    } else if (f.type === 'FieldFunctionExpression') {
      const fn = String(f.functionName).toUpperCase();
      if (!AGG_FNS.has(fn)) throw malformed(`function ${fn} is not supported by the test org`);
      if (opts.bulk)
        throw new SfError(400, 'API_ERROR', 'Aggregate functions are not supported in Bulk API 2.0 query');
      const params = (f.parameters ?? []) as unknown[];
      const arg = params[0];
      if (arg !== undefined && typeof arg !== 'string') throw malformed('nested functions are not supported');
      const path = arg === undefined ? undefined : resolvePath(store, object, arg, alias);
      const key = typeof f.alias === 'string' ? f.alias : `expr${exprN++}`;
      aggs.push({ fn, path, key });
    } else if (f.type === 'FieldSubquery') {
      if (opts.bulk)
        throw new SfError(
          400,
          'API_ERROR',
          'Relationship subqueries are not supported in Bulk API 2.0 query',
        );
      const sub = f.subquery as AnyNode;
      const { child, refField } = findChild(store, object, String(sub.relationshipName));
      const childPlan = buildPlan(store, sub, { ...opts, bulk: false }, child);
      if (childPlan.aggs || childPlan.children.length)
        throw malformed('nested aggregate or subquery is not supported');
      plan.children.push({ relName: String(sub.relationshipName), child, refField, plan: childPlan });
    } else if (f.type === 'FieldTypeof') {
      if (opts.bulk) throw new SfError(400, 'API_ERROR', 'TYPEOF is not supported in Bulk API 2.0 query');
      throw malformed('TYPEOF is not supported by the test org');
    } else {
      throw malformed(`unexpected token in SELECT`);
    }
  }
  const groupBy = q.groupBy === undefined ? [] : Array.isArray(q.groupBy) ? q.groupBy : [q.groupBy];
  if (groupBy.length && opts.bulk)
    throw new SfError(400, 'API_ERROR', 'GROUP BY is not supported in Bulk API 2.0 query');
  if (q.having) throw malformed('HAVING is not supported by the test org');
  if (q.offset !== undefined && opts.bulk)
    throw new SfError(400, 'API_ERROR', 'OFFSET is not supported in Bulk API 2.0 query');
  if (aggs.length || groupBy.length) {
    const countOnly = aggs.length === 1 && aggs[0]?.fn === 'COUNT' && !aggs[0].path && !plain.length;
    if (aggs.some((a) => a.fn === 'COUNT' && !a.path) && !countOnly) {
      throw malformed('COUNT() must be the only element in the SELECT list');
    }
    if (countOnly && !groupBy.length) {
      plan.countOnly = true;
    } else {
      const groups: GroupColumn[] = (groupBy as AnyNode[]).map((g) => {
        if (typeof g.field !== 'string')
          throw malformed('GROUP BY functions are not supported by the test org');
        const path = resolvePath(store, object, g.field, alias);
        const sel = plain.find((p) => p.path.canonical === path.canonical);
        return { path, key: sel?.alias ?? path.leaf.name };
      });
      for (const p of plain) {
        if (!groups.some((g) => g.path.canonical === p.path.canonical)) {
          throw malformed(`Field must be grouped or aggregated: ${p.path.leaf.name}`);
        }
      }
      plan.groups = groups.filter((g) => plain.some((p) => p.path.canonical === g.path.canonical));
      plan.aggs = aggs;
    }
  } else if (!plain.length && !plan.children.length) {
    throw malformed('unexpected token: FROM');
  }
  plan.paths = plain.map((p) => p.path);
  plan.ids = idListOf(q.where);
  if (q.where) {
    plan.where = compileWhere(
      {
        store,
        base: object,
        alias,
        now,
        subquery: (sub) => {
          const r = runQuery(store, '', { ...opts, bulk: false }, sub as AnyNode);
          const first = r.plan.paths[0];
          if (!first || r.plan.paths.length !== 1)
            throw malformed('semi-join sub-select must select one field');
          return r.rows.map((row) => pathValue(store, row, first));
        },
      },
      q.where,
      soql ? whereShape(soql, object.name) : undefined,
    );
  }
  const orderBy = q.orderBy === undefined ? [] : Array.isArray(q.orderBy) ? q.orderBy : [q.orderBy];
  for (const o of orderBy as AnyNode[]) {
    if (typeof o.field !== 'string') throw malformed('ORDER BY functions are not supported by the test org');
    const desc = o.order === 'DESC';
    plan.order.push({
      path: resolvePath(store, object, o.field, alias),
      desc,
      nullsLast: o.nulls ? o.nulls === 'LAST' : desc,
    });
  }
  if (typeof q.limit === 'number') plan.limit = q.limit;
  if (typeof q.offset === 'number') plan.offset = q.offset;
  return plan;
}

function cmp(a: unknown, b: unknown): number {
  if (typeof a === 'string' && typeof b === 'string')
    return a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0;
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

export interface QueryRun {
  plan: Plan;
  rows: Rec[];
  count: number;
  aggregates?: Rec[];
}

/**
 * The Ids of a WHERE clause that is only `Id IN ('…', …)`. Owner checks send hundreds of these; scanning
 * a 100,000-record object for each made the org, not the client, the slow side of a large run. The
 * WHERE predicate is still applied to what the lookup finds.
 */
function idListOf(where: unknown): string[] | undefined {
  const clause = where as
    | { left?: { field?: string; operator?: string; value?: unknown }; right?: unknown }
    | undefined;
  const left = clause?.left;
  if (
    !left ||
    clause?.right ||
    left.field?.toLowerCase() !== 'id' ||
    left.operator !== 'IN' ||
    !Array.isArray(left.value)
  )
    return undefined;
  return left.value.map((v) => String(v).replace(/^'|'$/g, ''));
}

export function selectRows(store: Store, plan: Plan, source?: Rec[]): Rec[] {
  const byId =
    !source && plan.ids
      ? // A 15- and an 18-character form of one Id name one record, which is returned once.
        [...new Set(plan.ids.map((id) => to18(id) ?? id))].flatMap((id): Rec[] => {
          const rec = store.get(plan.object.name, id);
          return rec ? [rec] : [];
        })
      : undefined;
  let rows = (source ?? byId ?? store.all(plan.object.name)).filter(
    (r) => (plan.scanAll || r.IsDeleted !== true) && (!plan.where || plan.where(r)),
  );
  if (plan.order.length) {
    rows = [...rows].sort((x, y) => {
      for (const o of plan.order) {
        const a = pathValue(store, x, o.path);
        const b = pathValue(store, y, o.path);
        if (a === b) continue;
        if (a === null) return o.nullsLast ? 1 : -1;
        if (b === null) return o.nullsLast ? -1 : 1;
        const c = cmp(a, b);
        if (c !== 0) return o.desc ? -c : c;
      }
      return 0;
    });
  }
  const start = plan.offset ?? 0;
  return rows.slice(start, plan.limit === undefined ? undefined : start + plan.limit);
}

function aggregate(store: Store, plan: Plan, rows: Rec[]): Rec[] {
  const groups = new Map<string, Rec[]>();
  for (const r of rows) {
    const key = JSON.stringify((plan.groups ?? []).map((g) => pathValue(store, r, g.path)));
    const list = groups.get(key) ?? [];
    list.push(r);
    groups.set(key, list);
  }
  if (!plan.groups?.length && !groups.size) groups.set('[]', []);
  return [...groups.values()].map((members) => {
    const out: Rec = { attributes: { type: 'AggregateResult' } };
    const first = members[0];
    for (const g of plan.groups ?? []) out[g.key] = first ? pathValue(store, first, g.path) : null;
    for (const a of plan.aggs ?? []) {
      const vals = members.map((m) => (a.path ? pathValue(store, m, a.path) : 1)).filter((v) => v !== null);
      if (a.fn === 'COUNT') out[a.key] = vals.length;
      else if (a.fn === 'COUNT_DISTINCT') out[a.key] = new Set(vals.map((v) => String(v).toLowerCase())).size;
      else if (!vals.length) out[a.key] = null;
      else if (a.fn === 'SUM') out[a.key] = vals.reduce((s: number, v) => s + Number(v), 0);
      else if (a.fn === 'AVG') out[a.key] = vals.reduce((s: number, v) => s + Number(v), 0) / vals.length;
      else out[a.key] = [...vals].sort(cmp)[a.fn === 'MIN' ? 0 : vals.length - 1];
    }
    return out;
  });
}

export function runQuery(store: Store, soql: string, opts: QueryOptions = {}, parsed?: AnyNode): QueryRun {
  let q: AnyNode;
  if (parsed) q = parsed;
  else {
    if (!soql.trim()) throw malformed('unexpected token: <EOF>');
    try {
      q = parseQuery(soql) as unknown as AnyNode;
    } catch (e) {
      throw malformed(`unexpected token: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  const object = store.describe(String(q.sObject ?? ''));
  if (!object || object.name === 'Name') throw unsupportedObject(String(q.sObject));
  const plan = buildPlan(store, q, opts, object, parsed ? '' : soql);
  if (plan.countOnly) {
    const n = selectRows(store, { ...plan, order: [] }).length;
    return { plan, rows: [], count: n };
  }
  if (plan.aggs) {
    const all = selectRows(store, { ...plan, order: [], limit: undefined, offset: undefined });
    let aggregates = aggregate(store, plan, all);
    if (plan.limit !== undefined) aggregates = aggregates.slice(0, plan.limit);
    return { plan, rows: [], count: aggregates.length, aggregates };
  }
  const rows = selectRows(store, plan);
  return { plan, rows, count: rows.length };
}
