// REST query, queryAll and query-locator paging.

import { malformed, SfError } from './errors.js';
import { type Ctx, header, json, methodNotAllowed, type Reply } from './http.js';
import { type Plan, runQuery, selectRows } from './soql.js';
import { projectRecord } from './soql-fields.js';
import type { Rec, Store } from './store.js';

function batchSizeOf(ctx: Ctx): number | undefined {
  const opt = header(ctx, 'sforce-query-options');
  const m = opt ? /batchSize\s*=\s*(\d+)/i.exec(opt) : null;
  if (!m) return undefined;
  return Math.min(2000, Math.max(200, Number(m[1])));
}

function project(store: Store, plan: Plan, rec: Rec, version: string): Rec {
  const out = projectRecord(store, plan.object.name, rec, plan.paths, version);
  for (const child of plan.children) {
    const source = store.all(child.child.name).filter((c) => c[child.refField] === rec.Id);
    const rows = selectRows(store, child.plan, source);
    out[child.relName] = rows.length
      ? {
          totalSize: rows.length,
          done: true,
          records: rows.map((r) => project(store, child.plan, r, version)),
        }
      : null;
  }
  return out;
}

function page(ctx: Ctx, locator: string, offset: number, records: Rec[], total: number, size: number): Reply {
  const slice = records.slice(offset, offset + size);
  const next = offset + slice.length;
  const body: Rec = { totalSize: total, done: next >= records.length };
  if (next < records.length) body.nextRecordsUrl = `/services/data/v${ctx.version}/query/${locator}-${next}`;
  body.records = slice;
  return json(200, body);
}

export function handleQuery(ctx: Ctx): Reply | undefined {
  const { state } = ctx;
  const m = /^\/(query|queryAll)(?:\/([^/]+))?$/.exec(ctx.sub);
  if (!m) return undefined;
  if (ctx.method !== 'GET') throw methodNotAllowed(ctx, ['GET']);
  const locatorPart = m[2];
  if (locatorPart) {
    ctx.kind = 'queryMore';
    const lm = /^([a-zA-Z0-9]{15,18})(?:-(\d+))?$/.exec(locatorPart);
    const cursor = lm ? state.cursors.get(lm[1] ?? '') : undefined;
    const offset = Number(lm?.[2] ?? 0);
    if (!lm || !cursor || offset > cursor.records.length) {
      throw new SfError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    }
    const size = batchSizeOf(ctx) ?? cursor.batchSize;
    return page(ctx, lm[1] ?? '', offset, cursor.records, cursor.records.length, size);
  }
  ctx.kind = 'query';
  const q = ctx.query.get('q');
  if (q === null) throw malformed('A query string has to be specified');
  const run = runQuery(state.store, q, { scanAll: m[1] === 'queryAll' });
  if (run.plan.countOnly) return json(200, { totalSize: run.count, done: true, records: [] });
  if (run.aggregates) {
    if (run.aggregates.length > 2000) {
      throw new SfError(
        400,
        'EXCEEDED_ID_LIMIT',
        'Aggregate query does not support queryMore(), use LIMIT to restrict the results to a single batch',
      );
    }
    return json(200, { totalSize: run.aggregates.length, done: true, records: run.aggregates });
  }
  const records = run.rows.map((r) => project(state.store, run.plan, r, ctx.version));
  const size = batchSizeOf(ctx) ?? state.config.queryBatchSize;
  if (records.length <= size) return json(200, { totalSize: records.length, done: true, records });
  const locator = state.store.ids.next('01g');
  state.cursors.set(locator, { records, batchSize: size });
  return page(ctx, locator, 0, records, records.length, size);
}
