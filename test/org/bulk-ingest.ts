// Bulk API 2.0 ingest jobs: create, upload, close/abort, asynchronous processing, results, delete.

import { processJob } from './bulk-process.js';
import { DELIMITERS, parseCsv, writeCsv } from './csv.js';
import { SfError } from './errors.js';
import {
  type Ctx,
  csv,
  header,
  isObject,
  json,
  jsonBody,
  methodNotAllowed,
  noContent,
  type Reply,
} from './http.js';
import { isValidId, to18 } from './ids.js';
import type { OrgState } from './state.js';
import { type Rec, sfDateTime } from './store.js';

export interface IngestJob {
  info: Rec & {
    id: string;
    state: string;
    object: string;
    operation: string;
    lineEnding: string;
    columnDelimiter: string;
  };
  version: number;
  data?: string;
  header: string[];
  success: string[][];
  failed: string[][];
  unprocessed: string[][];
  /** Status reads left before a slow job finishes (faults.slowIngestJobs). */
  pendingPolls?: number;
  finishTimer?: NodeJS.Timeout;
}

const OPERATIONS = ['insert', 'update', 'upsert', 'delete', 'hardDelete'];
const KEYS = [
  'object',
  'operation',
  'externalIdFieldName',
  'lineEnding',
  'columnDelimiter',
  'contentType',
  'assignmentRuleId',
];
const invalidJob = (message: string) => new SfError(400, 'INVALIDJOB', message);
const badState = (job: IngestJob, what: string) =>
  new SfError(409, 'INVALIDJOBSTATE', `${what} is not allowed for a job in state ${job.info.state}`);

function createJob(ctx: Ctx): Reply {
  const { state } = ctx;
  const body = jsonBody(ctx);
  if (!isObject(body)) throw new SfError(400, 'JSON_PARSER_ERROR', 'Expected a JSON object');
  for (const k of Object.keys(body))
    if (!KEYS.includes(k)) throw new SfError(400, 'JSON_PARSER_ERROR', `Unrecognized field "${k}"`);
  const def = typeof body.object === 'string' ? state.store.describe(body.object) : undefined;
  if (!def) throw invalidJob(`InvalidJob : Invalid object: ${String(body.object)}`);
  const operation = String(body.operation);
  if (!OPERATIONS.includes(operation)) throw invalidJob(`InvalidJob : Invalid operation: ${operation}`);
  if (operation === 'upsert' && typeof body.externalIdFieldName !== 'string') {
    throw invalidJob('InvalidJob : External ID field is required for upsert');
  }
  const lineEnding = body.lineEnding ?? 'LF';
  if (lineEnding !== 'LF' && lineEnding !== 'CRLF')
    throw invalidJob(`InvalidJob : Invalid lineEnding: ${String(lineEnding)}`);
  const columnDelimiter = body.columnDelimiter ?? 'COMMA';
  if (typeof columnDelimiter !== 'string' || !DELIMITERS[columnDelimiter]) {
    throw invalidJob(`InvalidJob : Invalid columnDelimiter: ${String(columnDelimiter)}`);
  }
  if (body.contentType !== undefined && body.contentType !== 'CSV')
    throw invalidJob('InvalidJob : contentType must be CSV');
  const version = Number(ctx.version);
  const info: IngestJob['info'] = {
    id: state.store.ids.next('750'),
    operation,
    object: def.name,
    createdById: ctx.userId,
    createdDate: sfDateTime(state.store.now()),
    systemModstamp: sfDateTime(state.store.now()),
    state: 'Open',
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: version,
    contentUrl: `services/data/v${ctx.version}/jobs/ingest/ID/batches`,
    lineEnding,
    columnDelimiter,
  };
  info.contentUrl = String(info.contentUrl).replace('ID', info.id);
  if (body.externalIdFieldName !== undefined) info.externalIdFieldName = body.externalIdFieldName;
  if (body.assignmentRuleId !== undefined) {
    if (version < 49) throw new SfError(400, 'JSON_PARSER_ERROR', 'Unrecognized field "assignmentRuleId"');
    const id = to18(body.assignmentRuleId);
    if (def.name !== 'Lead' && def.name !== 'Case')
      throw invalidJob('InvalidJob : assignmentRuleId is only valid for Lead and Case');
    const rule = id && isValidId(id) ? state.store.get('AssignmentRule', id) : undefined;
    if (!id || !rule || String(rule.SobjectType) !== def.name) {
      throw invalidJob(`InvalidJob : Invalid assignment rule Id: ${String(body.assignmentRuleId)}`);
    }
    info.assignmentRuleId = id;
  }
  state.ingestJobs.set(info.id, { info, version, header: [], success: [], failed: [], unprocessed: [] });
  return json(200, info);
}

function fullInfo(job: IngestJob): Rec {
  const processed = job.success.length + job.failed.length;
  return {
    ...job.info,
    jobType: 'V2Ingest',
    numberRecordsProcessed: processed,
    numberRecordsFailed: job.failed.length,
    retries: 0,
    totalProcessingTime: processed,
    apiActiveProcessingTime: processed,
    apexProcessingTime: 0,
  };
}

function finish(state: OrgState, job: IngestJob): void {
  if (job.finishTimer) clearTimeout(job.finishTimer);
  job.finishTimer = undefined;
  job.pendingPolls = undefined;
  processJob(state, job);
  job.info.systemModstamp = sfDateTime(state.store.now());
}

// Timers are unref'd so that a closed org does not keep the test process alive.
function later(ms: number, fn: () => void): NodeJS.Timeout {
  const t = setTimeout(fn, ms);
  t.unref();
  return t;
}

function schedule(state: OrgState, job: IngestJob): void {
  const delay = state.config.bulkDelayMs;
  later(delay, () => {
    if (job.info.state !== 'UploadComplete') return;
    job.info.state = 'InProgress';
    const slow = state.slowIngest;
    if (slow) {
      // A slow job finishes on its own too, so one orphaned by a killed client is still observable.
      job.pendingPolls = slow.polls;
      job.finishTimer = later(slow.maxMs, () => finish(state, job));
    } else {
      job.finishTimer = later(delay, () => finish(state, job));
    }
  });
}

/** Processes every job that was closed but has not finished yet. */
export function settleIngestJobs(state: OrgState): number {
  let n = 0;
  for (const job of state.ingestJobs.values()) {
    if (job.info.state !== 'UploadComplete' && job.info.state !== 'InProgress') continue;
    job.info.state = 'InProgress';
    finish(state, job);
    n++;
  }
  return n;
}

function pollInfo(state: OrgState, job: IngestJob): Reply {
  if (job.info.state === 'InProgress' && job.pendingPolls !== undefined && --job.pendingPolls <= 0) {
    finish(state, job);
  }
  return json(200, fullInfo(job));
}

function results(_ctx: Ctx, job: IngestJob, which: string): Reply {
  if (!['JobComplete', 'Failed', 'Aborted'].includes(job.info.state))
    throw badState(job, 'Retrieving results');
  const delimiter = DELIMITERS[job.info.columnDelimiter] ?? ',';
  const sf =
    which === 'successfulResults'
      ? ['sf__Id', 'sf__Created']
      : which === 'failedResults'
        ? job.version >= 53
          ? ['sf__Id', 'sf__Error']
          : ['sf__Error']
        : [];
  const rows =
    which === 'successfulResults' ? job.success : which === 'failedResults' ? job.failed : job.unprocessed;
  return csv(
    200,
    writeCsv([[...sf, ...job.header], ...rows], delimiter, job.info.lineEnding, (i) => i < sf.length),
  );
}

export function handleIngest(ctx: Ctx): Reply | undefined {
  const m = /^\/jobs\/ingest(?:\/([^/]+))?(?:\/([^/]+))?$/.exec(ctx.sub);
  if (!m) return undefined;
  ctx.kind = 'bulkIngest';
  const { state } = ctx;
  if (!m[1]) {
    if (ctx.method === 'POST') return createJob(ctx);
    if (ctx.method === 'GET')
      return json(200, {
        done: true,
        records: [...state.ingestJobs.values()].map((j) => j.info),
        nextRecordsUrl: null,
      });
    throw methodNotAllowed(ctx, ['GET', 'POST']);
  }
  const job = state.ingestJobs.get(to18(m[1]) ?? '');
  if (!job) throw new SfError(404, 'NOT_FOUND', 'The requested resource does not exist');
  const sub = m[2];
  if (sub === 'batches') {
    if (ctx.method !== 'PUT') throw methodNotAllowed(ctx, ['PUT']);
    if (!/^text\/csv/i.test(header(ctx, 'content-type') ?? '')) {
      throw new SfError(
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        `MediaType of '${header(ctx, 'content-type') ?? ''}' is not supported by this resource`,
      );
    }
    if (job.info.state !== 'Open') throw badState(job, 'Uploading data');
    if (job.data !== undefined) throw badState(job, 'Uploading data a second time');
    job.data = ctx.body;
    return { status: 201 };
  }
  if (sub === 'successfulResults' || sub === 'failedResults' || sub === 'unprocessedrecords') {
    if (ctx.method !== 'GET') throw methodNotAllowed(ctx, ['GET']);
    return results(ctx, job, sub);
  }
  if (sub !== undefined) throw new SfError(404, 'NOT_FOUND', 'The requested resource does not exist');
  if (ctx.method === 'GET') return pollInfo(state, job);
  if (ctx.method === 'DELETE') {
    if (!['UploadComplete', 'JobComplete', 'Aborted', 'Failed'].includes(job.info.state))
      throw badState(job, 'Deleting');
    state.ingestJobs.delete(job.info.id);
    return noContent();
  }
  if (ctx.method !== 'PATCH') throw methodNotAllowed(ctx, ['GET', 'PATCH', 'DELETE']);
  const body = jsonBody(ctx);
  const target = isObject(body) ? body.state : undefined;
  if (target === 'UploadComplete') {
    if (job.info.state !== 'Open') throw badState(job, 'Closing');
    job.info.state = 'UploadComplete';
    schedule(state, job);
  } else if (target === 'Aborted') {
    if (!['Open', 'UploadComplete', 'InProgress'].includes(job.info.state)) throw badState(job, 'Aborting');
    job.info.state = 'Aborted';
    if (job.data) {
      const rows = parseCsv(job.data, DELIMITERS[job.info.columnDelimiter] ?? ',');
      job.header = rows[0] ?? [];
      job.unprocessed = rows.slice(1);
    }
  } else {
    throw invalidJob(`InvalidJob : Invalid state: ${String(target)}`);
  }
  job.info.systemModstamp = sfDateTime(state.store.now());
  return json(200, job.info);
}
