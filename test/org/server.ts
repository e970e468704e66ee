// The node:http server: recording, faults, versioning, auth, API limits, routing.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { handleActions } from './actions.js';
import { handleIdentity, handleSoapLogin, handleToken, handleUserInfo, sessionUser } from './auth.js';
import { handleIngest } from './bulk-ingest.js';
import { handleBulkQuery } from './bulk-query.js';
import { handleComposite, subrequestsOf } from './composite.js';
import { notFound, SfError } from './errors.js';
import { type Ctx, json, type Reply } from './http.js';
import { handleQuery } from './rest-query.js';
import { handleRest } from './rest-sobjects.js';
import type { OrgState } from './state.js';

const MAX_URI = 16_384;

function errorReply(e: unknown): Reply {
  if (e instanceof SfError) return json(e.status, e.body());
  const message = e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e);
  return json(500, [{ errorCode: 'UNKNOWN_EXCEPTION', message: `An unexpected error occurred: ${message}` }]);
}

function versionsList(state: OrgState): Reply {
  const out = [];
  for (let v = state.config.minVersion; v <= state.config.maxVersion; v++) {
    out.push({ label: `v${v}.0`, url: `/services/data/v${v}.0`, version: `${v}.0` });
  }
  return json(200, out);
}

function resources(ctx: Ctx): Reply {
  const base = `/services/data/v${ctx.version}`;
  const r: Record<string, string> = { identity: `${ctx.state.url}/id/${ctx.state.orgId}/${ctx.userId}` };
  for (const k of ['sobjects', 'query', 'queryAll', 'limits', 'composite', 'jobs']) r[k] = `${base}/${k}`;
  return json(200, r);
}

/** Routes /services/data/vXX.X/… after version, auth and limit checks. */
function dataApi(ctx: Ctx): Reply {
  const { state } = ctx;
  const m = /^\/services\/data\/v(\d+)\.0(\/.*)?$/.exec(ctx.path);
  if (!m) throw notFound();
  const v = Number(m[1]);
  if (v < state.config.minVersion || v > state.config.maxVersion) throw notFound();
  ctx.version = `${v}.0`;
  ctx.sub = (m[2] ?? '/').replace(/\/+$/, '') || '/';
  ctx.kind = 'rest';
  ctx.userId = sessionUser(ctx);
  if (state.apiUsed >= state.apiLimit) {
    ctx.kind = 'limitExceeded';
    throw new SfError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
  }
  state.apiUsed++;
  ctx.counted = true;
  if (ctx.sub === '/') {
    ctx.kind = 'resources';
    return resources(ctx);
  }
  const reply =
    handleComposite(ctx) ??
    handleQuery(ctx) ??
    handleActions(ctx) ??
    handleIngest(ctx) ??
    handleBulkQuery(ctx) ??
    handleRest(ctx);
  if (!reply) throw notFound();
  return reply;
}

function route(ctx: Ctx): Reply {
  const p = ctx.path;
  if (p === '/services/oauth2/token') {
    ctx.kind = 'token';
    return handleToken(ctx);
  }
  if (p === '/services/oauth2/userinfo') {
    ctx.kind = 'userinfo';
    return handleUserInfo(ctx);
  }
  const id = /^\/id\/([a-zA-Z0-9]{15,18})\/([a-zA-Z0-9]{15,18})$/.exec(p);
  if (id && ctx.method === 'GET') {
    ctx.kind = 'identity';
    return handleIdentity(ctx, id[2] ?? '');
  }
  if (/^\/services\/Soap\/u\/\d+\.0$/.test(p) && ctx.method === 'POST') {
    ctx.kind = 'soapLogin';
    return handleSoapLogin(ctx);
  }
  if (p === '/services/data' || p === '/services/data/') {
    ctx.kind = 'versions';
    return versionsList(ctx.state);
  }
  if (p.startsWith('/services/data/')) return dataApi(ctx);
  ctx.kind = 'unknown';
  throw notFound();
}

interface Target {
  method: string;
  url: string;
}

/**
 * What a request asks for: itself, and for a composite request each subrequest too, so that a fault
 * aimed at e.g. `PATCH /composite/sobjects` also hits a composite call carrying one (the whole call fails).
 */
function targetsOf(ctx: Ctx): Target[] {
  const own = { method: ctx.method, url: `${ctx.path}?${ctx.query.toString()}` };
  if (ctx.method !== 'POST' || !/\/composite$/.test(ctx.path)) return [own];
  try {
    const subs = subrequestsOf(JSON.parse(ctx.body));
    return [own, ...subs.map((sub) => ({ method: sub.method, url: sub.url }))];
  } catch {
    return [own];
  }
}

function matches(f: { method?: string; pathIncludes?: string }, targets: Target[]): boolean {
  return targets.some(
    (t) =>
      (!f.method || f.method.toUpperCase() === t.method) &&
      (!f.pathIncludes || t.url.includes(f.pathIncludes)),
  );
}

function injectedFault(ctx: Ctx): Reply | undefined {
  const faults = ctx.state.requestFaults;
  const targets = targetsOf(ctx);
  const i = faults.findIndex((f) => f.remaining > 0 && matches(f, targets));
  const f = faults[i];
  if (!f) return undefined;
  f.remaining--;
  if (f.remaining <= 0) faults.splice(i, 1);
  ctx.kind = `fault:${ctx.kind}`;
  const code =
    f.errorCode ??
    (f.status >= 500 ? 'SERVER_UNAVAILABLE' : f.status === 429 ? 'REQUEST_LIMIT_EXCEEDED' : 'INJECTED_FAULT');
  return json(f.status, [{ errorCode: code, message: `Injected fault: HTTP ${f.status}` }]);
}

function takeDrop(ctx: Ctx, when: 'before' | 'after'): boolean {
  const drops = ctx.state.dropFaults;
  const targets = targetsOf(ctx);
  const i = drops.findIndex((f) => f.when === when && f.remaining > 0 && matches(f, targets));
  const f = drops[i];
  if (!f) return false;
  f.remaining--;
  if (f.remaining <= 0) drops.splice(i, 1);
  return true;
}

function kindFor(path: string): string {
  if (path.startsWith('/services/oauth2/token')) return 'token';
  return 'rest';
}

async function handle(state: OrgState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const rawUrl = req.url ?? '/';
  const url = new URL(rawUrl, state.url);
  const ctx: Ctx = {
    state,
    method: (req.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    body: Buffer.concat(chunks).toString('utf8'),
    version: '',
    sub: '',
    userId: '',
    kind: kindFor(url.pathname),
    counted: false,
  };
  if (takeDrop(ctx, 'before')) {
    record(state, ctx, req, 0, 'dropped');
    req.socket.destroy();
    return;
  }
  let reply: Reply;
  const headerBytes = req.rawHeaders.reduce((n, h) => n + Buffer.byteLength(h) + 2, 0);
  if (Buffer.byteLength(rawUrl) > MAX_URI) {
    reply = {
      status: 414,
      headers: { 'Content-Type': 'text/html' },
      body: '<html><body>414 URI Too Long</body></html>',
    };
  } else if (Buffer.byteLength(rawUrl) + headerBytes > MAX_URI) {
    reply = {
      status: 431,
      headers: { 'Content-Type': 'text/html' },
      body: '<html><body>431 Request Header Fields Too Large</body></html>',
    };
  } else {
    reply =
      injectedFault(ctx) ??
      (() => {
        try {
          return route(ctx);
        } catch (e) {
          return errorReply(e);
        }
      })();
  }
  const headers: Record<string, string> = { ...(reply.headers ?? {}) };
  if (ctx.version && reply.status !== 401)
    headers['Sforce-Limit-Info'] = `api-usage=${state.apiUsed}/${state.apiLimit}`;
  const body = reply.body ?? '';
  if (takeDrop(ctx, 'after')) {
    record(state, ctx, req, reply.status, 'dropped');
    req.socket.destroy();
    return;
  }
  // The org's own clock, so that a client can tell how far its clock is from the server's.
  headers.Date = state.store.now().toUTCString();
  record(state, ctx, req, reply.status);
  headers['Content-Length'] = String(Buffer.byteLength(body));
  res.writeHead(reply.status, headers);
  res.end(body);
}

function record(state: OrgState, ctx: Ctx, req: IncomingMessage, status: number, fault?: string): void {
  const entry = {
    method: ctx.method,
    path: ctx.path,
    query: Object.fromEntries(ctx.query.entries()),
    headers: Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
    ),
    body: ctx.body,
    status,
    kind: fault ? `${fault}:${ctx.kind}` : ctx.kind,
    counted: ctx.counted,
  };
  state.requests.push(entry);
  for (const hook of state.requestHooks) hook(entry);
}

export function startServer(state: OrgState, port = 0): Promise<Server> {
  const server = createServer({ maxHeaderSize: 256 * 1024 }, (req, res) => {
    handle(state, req, res).catch((e) => {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(String(e));
    });
  });
  server.keepAliveTimeout = 1000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
