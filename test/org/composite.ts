// The Composite resource: POST /services/data/vXX.X/composite runs up to 25 subrequests in order, in one
// API call. At most 5 of them may be queries or sObject Collections requests. Each subrequest carries its
// own headers (any but Accept, Authorization and Content-Type, which it inherits) and may refer to an
// earlier one's result with @{referenceId.path}. allOrNone rolls every subrequest back when one fails.

import { SfError } from './errors.js';
import { type Ctx, isObject, json, jsonBody, methodNotAllowed, type Reply } from './http.js';
import { handleQuery } from './rest-query.js';
import { handleRest } from './rest-sobjects.js';
import type { RecordedRequest } from './state.js';

export const MAX_SUBREQUESTS = 25;
/** Query, QueryAll (and their next pages) and sObject Collections subrequests, together. */
export const MAX_HEAVY_SUBREQUESTS = 5;
const INHERITED_HEADERS = ['accept', 'authorization', 'content-type'];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

interface Subrequest {
  method: string;
  url: string;
  referenceId: string;
  body?: unknown;
  httpHeaders: Record<string, string>;
}

interface SubResult {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

const invalid = (message: string) => new SfError(400, 'INVALID_BATCH_REQUEST', message);

function parseSubrequest(raw: unknown, seen: Set<string>): Subrequest {
  if (!isObject(raw)) throw new SfError(400, 'JSON_PARSER_ERROR', 'Each subrequest must be a JSON object');
  const { method, url, referenceId, body, httpHeaders } = raw;
  if (typeof method !== 'string' || !METHODS.includes(method))
    throw invalid(`Invalid method: ${String(method)}. Allowed are ${METHODS.join(', ')}`);
  if (typeof url !== 'string' || !/^\/services\/data\/v\d+\.0\//.test(url))
    throw invalid(`The url must start with /services/data/vXX.X/: ${String(url)}`);
  if (typeof referenceId !== 'string' || !/^[A-Za-z][A-Za-z0-9_]*$/.test(referenceId))
    throw invalid('Each subrequest needs a referenceId: a letter, then letters, digits or underscores');
  if (seen.has(referenceId)) throw invalid(`Duplicate referenceId: ${referenceId}`);
  seen.add(referenceId);
  const headers: Record<string, string> = {};
  if (httpHeaders !== undefined) {
    if (!isObject(httpHeaders)) throw invalid('httpHeaders must be an object of strings');
    for (const [name, value] of Object.entries(httpHeaders)) {
      if (INHERITED_HEADERS.includes(name.toLowerCase()))
        throw invalid(`The ${name} header is inherited from the composite request and cannot be set`);
      headers[name.toLowerCase()] = String(value);
    }
  }
  return { method, url, referenceId, body, httpHeaders: headers };
}

function isHeavy(url: string): boolean {
  const path = url.split('?')[0] ?? '';
  return /^\/services\/data\/v\d+\.0\/(query|queryAll|composite\/sobjects)(\/|$)/.test(path);
}

/** The subrequests of a composite body, or undefined when it is not one; used to match faults too. */
export function subrequestsOf(body: unknown): Subrequest[] {
  if (!isObject(body) || !Array.isArray(body.compositeRequest))
    throw invalid('The request body must contain a compositeRequest array');
  const seen = new Set<string>();
  const subs = body.compositeRequest.map((raw) => parseSubrequest(raw, seen));
  if (subs.length === 0) throw invalid('compositeRequest must contain at least one subrequest');
  if (subs.length > MAX_SUBREQUESTS)
    throw new SfError(400, 'LIMIT_EXCEEDED', `Limit Exceeded: at most ${MAX_SUBREQUESTS} subrequests`);
  if (subs.filter((s) => isHeavy(s.url)).length > MAX_HEAVY_SUBREQUESTS)
    throw new SfError(
      400,
      'LIMIT_EXCEEDED',
      `Limit Exceeded: at most ${MAX_HEAVY_SUBREQUESTS} query and sObject Collections subrequests`,
    );
  return subs;
}

/** `@{ref.a.b[0].c}` against earlier results; undefined when the path leads nowhere. */
function lookup(results: Map<string, SubResult>, expression: string): unknown {
  const [ref = '', ...path] = expression.split('.');
  let value: unknown = results.get(ref)?.body;
  for (const part of path.flatMap((p) => p.split(/[[\]]/).filter(Boolean))) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

class BrokenReference extends Error {}

function resolveText(text: string, results: Map<string, SubResult>): string {
  return text.replace(/@\{([^}]+)\}/g, (_, expression: string) => {
    const ref = expression.split('.')[0] ?? '';
    const found = results.get(ref);
    const value = found && found.httpStatusCode < 400 ? lookup(results, expression) : undefined;
    if (value === undefined || value === null || typeof value === 'object')
      throw new BrokenReference(`Invalid reference specified. No value for ${expression} found in ${ref}`);
    return String(value);
  });
}

function resolveBody(value: unknown, results: Map<string, SubResult>): unknown {
  if (typeof value === 'string') return resolveText(value, results);
  if (Array.isArray(value)) return value.map((v) => resolveBody(v, results));
  if (isObject(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveBody(v, results)]));
  return value;
}

function subContext(ctx: Ctx, sub: Subrequest, url: URL, body: unknown): Ctx {
  const inherited = Object.fromEntries(INHERITED_HEADERS.map((h) => [h, ctx.headers[h]]));
  const m = /^\/services\/data\/v(\d+)\.0(\/.*)?$/.exec(url.pathname);
  const version = Number(m?.[1]);
  const { minVersion, maxVersion } = ctx.state.config;
  if (!m || version < minVersion || version > maxVersion)
    throw new SfError(404, 'NOT_FOUND', 'The requested resource does not exist');
  return {
    ...ctx,
    method: sub.method,
    path: url.pathname,
    query: url.searchParams,
    headers: { ...inherited, 'content-type': 'application/json', ...sub.httpHeaders },
    body: body === undefined ? '' : JSON.stringify(body),
    version: `${version}.0`,
    sub: (m[2] ?? '/').replace(/\/+$/, '') || '/',
    kind: 'rest',
    counted: false,
  };
}

function replyBody(reply: Reply): unknown {
  if (!reply.body) return null;
  try {
    return JSON.parse(reply.body);
  } catch {
    return reply.body;
  }
}

function runOne(
  ctx: Ctx,
  sub: Subrequest,
  results: Map<string, SubResult>,
  log: RecordedRequest[],
): SubResult {
  const base = { httpHeaders: {}, referenceId: sub.referenceId };
  let subCtx: Ctx | undefined;
  let reply: Reply;
  try {
    const url = new URL(resolveText(sub.url, results), ctx.state.url);
    subCtx = subContext(ctx, sub, url, resolveBody(sub.body, results));
    reply =
      handleQuery(subCtx) ??
      handleRest(subCtx) ??
      json(404, new SfError(404, 'NOT_FOUND', 'The requested resource does not exist').body());
  } catch (e) {
    if (e instanceof BrokenReference)
      return { ...base, httpStatusCode: 400, body: [{ errorCode: 'PROCESSING_HALTED', message: e.message }] };
    if (!(e instanceof SfError)) throw e;
    reply = json(e.status, e.body());
  }
  if (subCtx)
    log.push({
      method: subCtx.method,
      path: subCtx.path,
      query: Object.fromEntries(subCtx.query.entries()),
      headers: Object.fromEntries(Object.entries(subCtx.headers).map(([k, v]) => [k, String(v ?? '')])),
      body: subCtx.body,
      status: reply.status,
      kind: `composite:${subCtx.kind}`,
      counted: false,
    });
  return { ...base, httpStatusCode: reply.status, body: replyBody(reply) };
}

const HALTED = {
  errorCode: 'PROCESSING_HALTED',
  message: 'The transaction was rolled back since another operation in the same transaction failed.',
};

function compositePost(ctx: Ctx): Reply {
  const body = jsonBody(ctx);
  const subs = subrequestsOf(body);
  const allOrNone = isObject(body) && body.allOrNone === true;
  const snapshot = allOrNone ? ctx.state.store.snapshot() : undefined;
  const results = new Map<string, SubResult>();
  const log: RecordedRequest[] = [];
  for (const sub of subs) {
    const result = runOne(ctx, sub, results, log);
    results.set(sub.referenceId, result);
    if (snapshot && result.httpStatusCode >= 400) {
      ctx.state.store.restore(snapshot);
      const out = subs.map((s) =>
        s.referenceId === sub.referenceId
          ? result
          : { body: [HALTED], httpHeaders: {}, httpStatusCode: 400, referenceId: s.referenceId },
      );
      recordSubrequests(ctx, log);
      return json(200, { compositeResponse: out });
    }
  }
  recordSubrequests(ctx, log);
  return json(200, { compositeResponse: [...results.values()] });
}

/** Subrequests are recorded for inspection, never counted: the composite request is the one API call. */
function recordSubrequests(ctx: Ctx, log: RecordedRequest[]): void {
  for (const entry of log) {
    ctx.state.requests.push(entry);
    for (const hook of ctx.state.requestHooks) hook(entry);
  }
}

export function handleComposite(ctx: Ctx): Reply | undefined {
  if (ctx.sub !== '/composite') return undefined;
  ctx.kind = 'composite';
  if (ctx.method === 'GET') {
    const base = `/services/data/v${ctx.version}/composite`;
    return json(200, { sobjects: `${base}/sobjects` });
  }
  if (ctx.method !== 'POST') throw methodNotAllowed(ctx, ['GET', 'POST']);
  return compositePost(ctx);
}
