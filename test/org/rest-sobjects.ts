// sObject Rows, sObject Collections, describe and limits.

import { createRecord } from './create.js';
import { checkBody, commitUpdate, type PreparedUpdate, parseAutoAssign, prepareUpdate } from './dml.js';
import { type RecordError, RecordFailure, SfError } from './errors.js';
import {
  type Ctx,
  header,
  isObject,
  json,
  jsonBody,
  methodNotAllowed,
  noContent,
  type Reply,
  sObjectBody,
} from './http.js';
import { to18 } from './ids.js';
import { describe, limits } from './rest-meta.js';
import type { ObjectDef } from './schema.js';
import { unsupportedObject } from './soql.js';
import { parseDateTime, type Rec } from './store.js';

function objectOf(ctx: Ctx, name: string): ObjectDef {
  const def = ctx.state.store.describe(name);
  if (!def) throw new SfError(404, 'NOT_FOUND', 'The requested resource does not exist');
  return def;
}

function shape(ctx: Ctx, def: ObjectDef, rec: Rec, fields?: string[]): Rec {
  const out: Rec = {
    attributes: { type: def.name, url: `/services/data/v${ctx.version}/sobjects/${def.name}/${rec.Id}` },
  };
  const names = fields ?? [...def.fields.values()].map((f) => f.name);
  for (const name of names) {
    const f = def.fields.get(name.trim().toLowerCase());
    if (!f)
      throw new SfError(
        400,
        'INVALID_FIELD',
        `No such column '${name}' on entity '${def.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    out[f.name] = rec[f.name] ?? null;
  }
  return out;
}

function rowError(e: RecordError, status = 400): SfError {
  return new SfError(status, e.statusCode, e.message, e.fields);
}

function sobjectRow(ctx: Ctx, def: ObjectDef, rawId: string): Reply {
  ctx.kind = 'sobjectRow';
  const { store } = ctx.state;
  const id = to18(rawId);
  const rec = id?.startsWith(def.keyPrefix) ? store.get(def.name, id) : undefined;
  if (!rec)
    throw new SfError(
      404,
      'NOT_FOUND',
      `Provided external ID field does not exist or is not accessible: ${rawId}`,
    );
  if (rec.IsDeleted === true) throw new SfError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
  if (ctx.method === 'GET') {
    const fields = ctx.query.get('fields');
    return json(200, shape(ctx, def, rec, fields ? fields.split(',') : undefined));
  }
  if (ctx.method === 'DELETE') {
    rec.IsDeleted = true;
    store.touch(rec);
    return noContent();
  }
  if (ctx.method !== 'PATCH') throw methodNotAllowed(ctx, ['GET', 'PATCH', 'DELETE', 'HEAD']);
  const body = sObjectBody(ctx);
  const autoAssign = parseAutoAssign(header(ctx, 'sforce-auto-assign'));
  const since = header(ctx, 'if-unmodified-since');
  if (since !== undefined) {
    const t = Date.parse(since);
    if (Number.isNaN(t))
      throw new SfError(400, 'INVALID_HEADER_TYPE', `Invalid If-Unmodified-Since header: ${since}`);
    if ((parseDateTime(rec.LastModifiedDate) ?? 0) > t + 999) {
      throw new SfError(
        412,
        'PRECONDITION_FAILED',
        'The requested entity has been modified since the time specified in the If-Unmodified-Since header',
      );
    }
  }
  const changes = checkBody(def, body);
  if (changes.Id !== undefined && to18(changes.Id) !== id) {
    throw new SfError(400, 'INVALID_FIELD', 'Id in URL does not match the Id in the request body');
  }
  let prepared: PreparedUpdate;
  try {
    prepared = prepareUpdate(ctx.state, def, id, changes, ctx.userId);
  } catch (e) {
    if (e instanceof RecordFailure) throw rowError(e.error);
    throw e;
  }
  commitUpdate(ctx.state, prepared, autoAssign);
  return noContent();
}

const ROLLED_BACK: RecordError = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};

function collectionsUpdate(ctx: Ctx): Reply {
  const body = jsonBody(ctx);
  if (!isObject(body) || !Array.isArray(body.records)) {
    throw new SfError(400, 'JSON_PARSER_ERROR', 'The request body must contain a records array');
  }
  const records = body.records as unknown[];
  if (records.length > 200) {
    throw new SfError(
      400,
      'EXCEEDED_ID_LIMIT',
      'record limit reached. cannot submit more than 200 records into this call',
    );
  }
  const allOrNone = body.allOrNone === true;
  const autoAssign = parseAutoAssign(header(ctx, 'sforce-auto-assign'));
  const inputs = records.map((r) => {
    if (!isObject(r)) throw new SfError(400, 'JSON_PARSER_ERROR', 'Each record must be a JSON object');
    const type = isObject(r.attributes) ? r.attributes.type : undefined;
    if (typeof type !== 'string')
      throw new SfError(
        400,
        'INVALID_TYPE',
        'sObject type must be specified in the attributes of each record',
      );
    const def = ctx.state.store.describe(type);
    if (!def) throw unsupportedObject(type);
    const { id: lowerId, ...rest } = r;
    const values = checkBody(def, rest);
    const rawId = lowerId ?? values.Id;
    delete values.Id;
    return { def, rawId, values };
  });
  const types = new Set(inputs.map((i) => i.def.name));
  if (types.size > 10)
    throw new SfError(
      400,
      'INVALID_BATCH_SIZE',
      'Too many sObject types in one call; at most 10 chunks are allowed',
    );
  const seen = new Map<string, number>();
  for (const i of inputs) {
    const k = to18(i.rawId);
    if (k) seen.set(k, (seen.get(k) ?? 0) + 1);
  }
  const outcomes = inputs.map((i): PreparedUpdate | RecordError => {
    if (i.rawId === undefined || i.rawId === null || i.rawId === '') {
      return { statusCode: 'MISSING_ARGUMENT', message: 'Id not specified in an update call', fields: [] };
    }
    const k = to18(i.rawId);
    if (k && (seen.get(k) ?? 0) > 1) {
      return { statusCode: 'DUPLICATE_VALUE', message: `Duplicate ID value in list: ${k}`, fields: ['Id'] };
    }
    try {
      return prepareUpdate(ctx.state, i.def, i.rawId, i.values, ctx.userId);
    } catch (e) {
      if (e instanceof RecordFailure) return e.error;
      throw e;
    }
  });
  const isError = (o: PreparedUpdate | RecordError): o is RecordError => 'statusCode' in o;
  const anyFailed = outcomes.some(isError);
  return json(
    200,
    outcomes.map((o) => {
      if (isError(o)) return { success: false, errors: [o] };
      if (allOrNone && anyFailed) return { success: false, errors: [ROLLED_BACK] };
      commitUpdate(ctx.state, o, autoAssign);
      return { id: o.rec.Id, success: true, errors: [] };
    }),
  );
}

function collectionsRetrieve(ctx: Ctx, def: ObjectDef): Reply {
  let ids: unknown;
  let fields: unknown;
  if (ctx.method === 'GET') {
    ids = ctx.query.get('ids')?.split(',');
    fields = ctx.query.get('fields')?.split(',');
  } else {
    const body = jsonBody(ctx);
    if (!isObject(body)) throw new SfError(400, 'JSON_PARSER_ERROR', 'Expected a JSON object');
    ids = body.ids;
    fields = body.fields;
  }
  if (!Array.isArray(ids) || !ids.length) throw new SfError(400, 'MISSING_ARGUMENT', 'ids must be specified');
  if (!Array.isArray(fields) || !fields.length)
    throw new SfError(400, 'MISSING_ARGUMENT', 'fields must be specified');
  if (ids.length > 2000)
    throw new SfError(
      400,
      'EXCEEDED_ID_LIMIT',
      'record limit reached. cannot submit more than 2000 records into this call',
    );
  return json(
    200,
    ids.map((id) => {
      const key = to18(id);
      if (!key?.startsWith(def.keyPrefix))
        throw new SfError(400, 'MALFORMED_ID', `malformed id ${String(id)}`);
      const rec = ctx.state.store.get(def.name, key);
      return rec && rec.IsDeleted !== true ? shape(ctx, def, rec, fields as string[]) : null;
    }),
  );
}

export function handleRest(ctx: Ctx): Reply | undefined {
  const s = ctx.sub;
  if (s === '/limits') {
    ctx.kind = 'limits';
    if (ctx.method !== 'GET') throw methodNotAllowed(ctx, ['GET']);
    return limits(ctx);
  }
  if (s === '/sobjects') {
    ctx.kind = 'describe';
    const store = ctx.state.store;
    return json(200, {
      encoding: 'UTF-8',
      maxBatchSize: 200,
      sobjects: store.objectNames().map((n) => {
        const d = store.describe(n);
        return { name: n, label: d?.label, keyPrefix: d?.keyPrefix, custom: d?.custom, queryable: true };
      }),
    });
  }
  if (s === '/composite/sobjects') {
    ctx.kind = 'collections';
    if (ctx.method !== 'PATCH') throw methodNotAllowed(ctx, ['PATCH']);
    return collectionsUpdate(ctx);
  }
  const coll = /^\/composite\/sobjects\/([^/]+)$/.exec(s);
  if (coll) {
    ctx.kind = 'collections';
    if (ctx.method !== 'POST' && ctx.method !== 'GET') throw methodNotAllowed(ctx, ['GET', 'POST']);
    return collectionsRetrieve(ctx, objectOf(ctx, coll[1] ?? ''));
  }
  const m = /^\/sobjects\/([^/]+)(?:\/([^/]+))?$/.exec(s);
  if (!m) return undefined;
  const def = objectOf(ctx, m[1] ?? '');
  if (m[2] === 'describe') {
    ctx.kind = 'describe';
    return json(200, describe(ctx, def));
  }
  if (m[2] === undefined && ctx.method === 'POST') return createRecord(ctx, def);
  if (m[2] === undefined) {
    ctx.kind = 'describe';
    return json(200, {
      objectDescribe: { name: def.name, keyPrefix: def.keyPrefix, label: def.label },
      recentItems: [],
    });
  }
  return sobjectRow(ctx, def, m[2]);
}
