// Bulk API 2.0 query jobs with Sforce-Locator paged CSV results.

import { DELIMITERS, writeCsv } from './csv.js';
import { SfError } from './errors.js';
import { type Ctx, csv, isObject, json, jsonBody, methodNotAllowed, noContent, type Reply } from './http.js';
import { to18 } from './ids.js';
import { runQuery } from './soql.js';
import { pathValue } from './soql-fields.js';
import type { OrgState } from './state.js';
import { parseDateTime, type Rec, sfDateTime } from './store.js';

export interface QueryJob {
  info: Rec & {
    id: string;
    state: string;
    query: string;
    operation: string;
    lineEnding: string;
    columnDelimiter: string;
  };
  version: string;
  header: string[];
  rows: string[][];
}

const KEYS = ['operation', 'query', 'columnDelimiter', 'lineEnding', 'contentType'];
const invalidJob = (message: string) => new SfError(400, 'INVALIDJOB', message);

function asString(v: unknown, type: string): string {
  if (v === null || v === undefined) return '';
  if (type === 'datetime') {
    const t = parseDateTime(v);
    return t === undefined ? String(v) : new Date(t).toISOString();
  }
  return String(v);
}

function run(state: OrgState, job: QueryJob): void {
  if (job.info.state !== 'InProgress') return;
  try {
    const result = runQuery(state.store, job.info.query, {
      bulk: true,
      scanAll: job.info.operation === 'queryAll',
    });
    job.header = result.plan.paths.map((p) => p.canonical);
    job.rows = result.rows.map((r) =>
      result.plan.paths.map((p) => asString(pathValue(state.store, r, p), p.leaf.type)),
    );
    job.info.state = 'JobComplete';
  } catch (e) {
    job.info.state = 'Failed';
    job.info.errorMessage = e instanceof Error ? e.message : String(e);
  }
}

function createJob(ctx: Ctx): Reply {
  const { state } = ctx;
  if (Number(ctx.version) < 47) throw new SfError(404, 'NOT_FOUND', 'The requested resource does not exist');
  const body = jsonBody(ctx);
  if (!isObject(body)) throw new SfError(400, 'JSON_PARSER_ERROR', 'Expected a JSON object');
  for (const k of Object.keys(body))
    if (!KEYS.includes(k)) throw new SfError(400, 'JSON_PARSER_ERROR', `Unrecognized field "${k}"`);
  const operation = body.operation;
  if (operation !== 'query' && operation !== 'queryAll')
    throw invalidJob(`InvalidJob : Invalid operation: ${String(operation)}`);
  if (typeof body.query !== 'string') throw invalidJob('InvalidJob : query is required');
  const lineEnding = body.lineEnding ?? 'LF';
  if (lineEnding !== 'LF' && lineEnding !== 'CRLF')
    throw invalidJob(`InvalidJob : Invalid lineEnding: ${String(lineEnding)}`);
  const columnDelimiter = body.columnDelimiter ?? 'COMMA';
  if (typeof columnDelimiter !== 'string' || !DELIMITERS[columnDelimiter]) {
    throw invalidJob(`InvalidJob : Invalid columnDelimiter: ${String(columnDelimiter)}`);
  }
  // Validates the SOQL now, like Salesforce does at job creation.
  const validated = runQuery(state.store, body.query, { bulk: true, scanAll: operation === 'queryAll' });
  const info: QueryJob['info'] = {
    id: state.store.ids.next('750'),
    operation,
    object: validated.plan.object.name,
    createdById: ctx.userId,
    createdDate: sfDateTime(state.store.now()),
    systemModstamp: sfDateTime(state.store.now()),
    state: 'UploadComplete',
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: Number(ctx.version),
    lineEnding,
    columnDelimiter,
    query: body.query,
  };
  const job: QueryJob = { info, version: ctx.version, header: [], rows: [] };
  state.queryJobs.set(info.id, job);
  const delay = state.config.bulkDelayMs;
  setTimeout(() => {
    if (job.info.state !== 'UploadComplete') return;
    job.info.state = 'InProgress';
    setTimeout(() => run(state, job), delay);
  }, delay);
  return json(200, info);
}

function results(ctx: Ctx, job: QueryJob): Reply {
  if (ctx.version !== job.version) {
    throw new SfError(
      409,
      'INVALIDJOBSTATE',
      `Results must be retrieved with the API version of the job (${job.version})`,
    );
  }
  if (job.info.state !== 'JobComplete') {
    throw new SfError(409, 'INVALIDJOBSTATE', `Job is not complete: ${job.info.state}`);
  }
  const maxParam = ctx.query.get('maxRecords');
  const max = maxParam === null ? ctx.state.config.bulkQueryPageSize : Number(maxParam);
  if (!Number.isInteger(max) || max <= 0)
    throw new SfError(400, 'INVALIDJOB', `Invalid maxRecords: ${maxParam}`);
  const locator = ctx.query.get('locator');
  let offset = 0;
  if (locator !== null) {
    const decoded = Number.parseInt(Buffer.from(locator, 'base64url').toString('utf8'), 10);
    if (
      !/^[A-Za-z0-9_-]+$/.test(locator) ||
      !Number.isInteger(decoded) ||
      decoded < 0 ||
      decoded > job.rows.length
    ) {
      throw new SfError(400, 'INVALIDJOB', `Invalid locator: ${locator}`);
    }
    offset = decoded;
  }
  const slice = job.rows.slice(offset, offset + max);
  const next = offset + slice.length;
  const delimiter = DELIMITERS[job.info.columnDelimiter] ?? ',';
  const body = writeCsv([job.header, ...slice], delimiter, job.info.lineEnding, () => true);
  return csv(200, body, {
    'Sforce-Locator': next < job.rows.length ? Buffer.from(String(next)).toString('base64url') : 'null',
    'Sforce-NumberOfRecords': String(slice.length),
  });
}

export function handleBulkQuery(ctx: Ctx): Reply | undefined {
  const m = /^\/jobs\/query(?:\/([^/]+))?(?:\/([^/]+))?$/.exec(ctx.sub);
  if (!m) return undefined;
  ctx.kind = 'bulkQuery';
  const { state } = ctx;
  if (!m[1]) {
    if (ctx.method === 'POST') return createJob(ctx);
    if (ctx.method === 'GET')
      return json(200, {
        done: true,
        records: [...state.queryJobs.values()].map((j) => j.info),
        nextRecordsUrl: null,
      });
    throw methodNotAllowed(ctx, ['GET', 'POST']);
  }
  const job = state.queryJobs.get(to18(m[1]) ?? '');
  if (!job) throw new SfError(404, 'NOT_FOUND', 'The requested resource does not exist');
  if (m[2] === 'results') {
    if (ctx.method !== 'GET') throw methodNotAllowed(ctx, ['GET']);
    return results(ctx, job);
  }
  if (m[2] !== undefined) throw new SfError(404, 'NOT_FOUND', 'The requested resource does not exist');
  if (ctx.method === 'GET') {
    return json(200, {
      ...job.info,
      jobType: 'V2Query',
      numberRecordsProcessed: job.rows.length,
      retries: 0,
      totalProcessingTime: 1,
    });
  }
  if (ctx.method === 'DELETE') {
    if (!['JobComplete', 'Aborted', 'Failed'].includes(job.info.state)) {
      throw new SfError(
        409,
        'INVALIDJOBSTATE',
        `Deleting is not allowed for a job in state ${job.info.state}`,
      );
    }
    state.queryJobs.delete(job.info.id);
    return noContent();
  }
  if (ctx.method !== 'PATCH') throw methodNotAllowed(ctx, ['GET', 'PATCH', 'DELETE']);
  const body = jsonBody(ctx);
  if (!isObject(body) || body.state !== 'Aborted')
    throw invalidJob('InvalidJob : Only state Aborted can be set on a query job');
  if (!['UploadComplete', 'InProgress'].includes(job.info.state)) {
    throw new SfError(409, 'INVALIDJOBSTATE', `Aborting is not allowed for a job in state ${job.info.state}`);
  }
  job.info.state = 'Aborted';
  return json(200, job.info);
}
