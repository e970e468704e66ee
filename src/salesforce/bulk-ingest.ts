/**
 * Bulk API 2.0 owner writes, step by step: create, upload one CSV string, close, poll, read results.
 * Not `loadAndWaitForResults`: it deletes the job on a timeout or failure. Not
 * `uploadData(records)`: its CSV has only the first record's columns (§1.8) and a retried stream
 * uploads nothing (§1.4). Jobs are never deleted, so their results stay inspectable in Setup.
 */
import { InputError } from '../errors.js';
import { checkJob, createJob, type JobInfo, waitForJob } from './bulk-jobs.js';
import { buildCsv, csvColumns, parseCsv } from './csv.js';
import { SalesforceError } from './errors.js';
import type { Channel } from './http.js';
import { backoffDelay } from './retry.js';
import {
  type Assignment,
  attachWritten,
  type IngestJobRef,
  idKey,
  type UpdateOptions,
  type WriteOutcome,
  type WriteRow,
} from './types.js';
import { LOCK_ERROR, updateViaRest } from './update.js';

/**
 * Locked rows left after a job go again over REST when they are this few: a few sObject Collections
 * requests, where another ingest job would cost four calls and a wait however few rows it carries.
 */
const REST_RETRY_UP_TO = 1000;

/** Upload limit is 150 MB after base64 encoding, so stay at 100 MB of raw CSV per job. */
export const MAX_UPLOAD_BYTES = 100_000_000;

type Indexed = { row: WriteRow; index: number };

function jobBody(object: string, assignment: Assignment): Record<string, string> {
  if (assignment === true) {
    throw new InputError({
      message:
        'Bulk API 2.0 cannot run "the active assignment rule": it only takes a rule Id (assignmentRuleId)',
      hint: 'Give the assignment rule Id (salesforceRules: 01Q…), or write with write.api: rest',
    });
  }
  // Delimiter and line ending stated explicitly: buildCsv always writes commas and LF.
  const body: Record<string, string> = {
    object,
    operation: 'update',
    contentType: 'CSV',
    columnDelimiter: 'COMMA',
    lineEnding: 'LF',
  };
  if (typeof assignment === 'string') body.assignmentRuleId = assignment;
  return body;
}

/** Splits rows into jobs whose CSV stays under MAX_UPLOAD_BYTES. */
function splitBySize(items: Indexed[], columns: string[]): Indexed[][] {
  const batches: Indexed[][] = [];
  let current: Indexed[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = Buffer.byteLength(buildCsv([item.row], columns));
    if (current.length > 0 && bytes + size > MAX_UPLOAD_BYTES) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** `sf__Error` reads `CODE:message:fields --`, with only `--` when no field is involved. */
function parseBulkError(text: string): { code: string; message: string; fields: string[] } {
  const match = /^([A-Z_]+):(.*?)(?::([^:]*))?$/s.exec(text);
  if (!match) return { code: 'BULK_ROW_FAILED', message: text, fields: [] };
  const fields = (match[3] ?? '')
    .replace(/--\s*$/, '')
    .split(',')
    .map((field) => field.trim())
    .filter(Boolean);
  return { code: match[1] ?? 'BULK_ROW_FAILED', message: (match[2] ?? '').trim() || text, fields };
}

/**
 * Which result files are worth a call. A job that completed with every row processed and none failed
 * succeeded for every row; otherwise the files that can hold something are read. Each read counts
 * against the daily API limit.
 */
function resultFiles(
  info: JobInfo,
  rowCount: number,
): Array<'successfulResults' | 'failedResults' | 'unprocessedrecords'> {
  const processed = info.numberRecordsProcessed;
  const failed = info.numberRecordsFailed;
  if (info.state !== 'JobComplete' || processed === undefined || failed === undefined) {
    return ['successfulResults', 'failedResults', 'unprocessedrecords'];
  }
  const files: Array<'failedResults' | 'unprocessedrecords'> = [];
  if (failed > 0) files.push('failedResults');
  if (processed < rowCount) files.push('unprocessedrecords');
  return files;
}

/** Outcomes by Id; a row of a completed job that no failure file names succeeded. */
async function fetchResults(
  channel: Channel,
  jobId: string,
  info: JobInfo,
  rowCount: number,
): Promise<Map<string, WriteOutcome>> {
  const outcomes = new Map<string, WriteOutcome>();
  const unprocessed = `not processed: job ${jobId} ended ${info.state}${info.errorMessage ? ` (${info.errorMessage})` : ''}`;
  for (const file of resultFiles(info, rowCount)) {
    const response = await channel.call<string>({
      kind: 'bulkIngest',
      method: 'GET',
      url: `/jobs/ingest/${jobId}/${file}`,
      headers: { Accept: 'text/csv' },
      text: true,
    });
    // Result order is not guaranteed to follow the upload (result docs), so rows are matched by Id.
    for (const row of parseCsv(response.body)) {
      const id = idKey(row.sf__Id || row.Id);
      if (file === 'successfulResults') outcomes.set(id, { id, ok: true });
      else if (file === 'failedResults') {
        const { fields, ...error } = parseBulkError(row.sf__Error ?? '');
        outcomes.set(id, { id, ok: false, ...error, ...(fields.length > 0 ? { fields } : {}) });
      } else outcomes.set(id, { id, ok: false, code: 'UNPROCESSED', message: unprocessed });
    }
  }
  return outcomes;
}

async function runIngestJob(
  channel: Channel,
  object: string,
  rows: WriteRow[],
  body: object,
  options: UpdateOptions,
): Promise<WriteOutcome[]> {
  const job = await createJob(channel, 'ingest', body);
  const ids = rows.map((row) => idKey(row.Id));
  await options.onJobCreated?.(jobRef(job), ids);
  const base = `/jobs/ingest/${job.id}`;
  const csv = buildCsv(rows, csvColumns(rows));
  const upload = () =>
    channel.call({
      kind: 'bulkIngest',
      method: 'PUT',
      url: `${base}/batches`,
      body: csv,
      headers: { 'Content-Type': 'text/csv' },
      object,
    });
  // Refused as a second upload while Open: the first one landed and only its reply was lost.
  await landedOnce(channel, job.id, upload, (state) => state === 'Open');
  const close = () =>
    channel.call({
      kind: 'bulkIngest',
      method: 'PATCH',
      url: base,
      body: JSON.stringify({ state: 'UploadComplete' }),
    });
  await landedOnce(channel, job.id, close, (state) => state !== 'Open' && state !== 'Aborted');
  return finishIngestJob(channel, job.id, ids);
}

/**
 * A step retried after a lost reply (a dropped connection, a 5xx after the work was done) is refused as
 * a repeat (INVALIDJOBSTATE): the job's state then tells whether the first attempt landed.
 */
async function landedOnce(
  channel: Channel,
  jobId: string,
  send: () => Promise<unknown>,
  landed: (state: JobInfo['state']) => boolean,
): Promise<void> {
  try {
    await send();
  } catch (error) {
    if (!(error instanceof SalesforceError && error.code === 'INVALIDJOBSTATE')) throw error;
    if (!landed((await checkJob(channel, 'ingest', jobId)).state)) throw error;
  }
}

function jobRef(job: JobInfo): IngestJobRef {
  return { id: job.id, createdDate: job.createdDate ?? '', createdById: job.createdById ?? '' };
}

/** Waits for a closed job and reads its outcome for each of `ids`. */
async function finishIngestJob(channel: Channel, jobId: string, ids: string[]): Promise<WriteOutcome[]> {
  const info = await waitForJob(channel, 'ingest', jobId);
  return outcomesOf(channel, info, ids);
}

async function outcomesOf(channel: Channel, info: JobInfo, ids: string[]): Promise<WriteOutcome[]> {
  const byId = await fetchResults(channel, info.id, info, ids.length);
  const complete =
    info.state === 'JobComplete' && !resultFiles(info, ids.length).includes('successfulResults');
  return ids.map((id) => {
    if (complete && !byId.has(id)) return { id, ok: true };
    return (
      byId.get(id) ?? {
        id,
        ok: false,
        code: 'NO_RESULT',
        message: `job ${info.id} returned no result for this record`,
      }
    );
  });
}

/** What became of a job an earlier, stopped apply created. */
export type AttachedJob =
  /** The job ran (or was running, and has now ended): its outcome for each record. */
  | { kind: 'ran'; job: IngestJobRef; outcomes: WriteOutcome[] }
  /** Its data never completed: it was aborted here and wrote nothing. */
  | { kind: 'never ran' };

/**
 * Finds a journalled job again: one still open (the upload never completed) is aborted, so it can never
 * start later; one closed is waited for and its results read. A job Salesforce no longer has (deleted
 * in Setup) wrote whatever it wrote: the caller's owner check then tells.
 */
export async function attachIngestJob(
  channel: Channel,
  jobId: string,
  ids: string[],
): Promise<AttachedJob | undefined> {
  let info: JobInfo;
  try {
    info = await checkJob(channel, 'ingest', jobId);
  } catch (error) {
    if (error instanceof SalesforceError && error.status === 404) return undefined;
    throw error;
  }
  if (info.state === 'Open') {
    const aborted = await channel.call<JobInfo>({
      kind: 'bulkIngest',
      method: 'PATCH',
      url: `/jobs/ingest/${jobId}`,
      body: JSON.stringify({ state: 'Aborted' }),
    });
    if (aborted.body.state === 'Aborted') return { kind: 'never ran' };
  }
  // Aborted here by an earlier resume, before it processed anything.
  if (info.state === 'Aborted' && !info.numberRecordsProcessed) return { kind: 'never ran' };
  const ended = info.state === 'JobComplete' || info.state === 'Failed' || info.state === 'Aborted';
  const final = ended ? info : await waitForJob(channel, 'ingest', jobId);
  return { kind: 'ran', job: jobRef(final), outcomes: await outcomesOf(channel, final, ids) };
}

export async function updateViaBulk(
  channel: Channel,
  object: string,
  rows: WriteRow[],
  options: UpdateOptions,
): Promise<WriteOutcome[]> {
  const body = jobBody(object, options.assignment);
  const policy = channel.tuning.retry;
  const columns = csvColumns(rows);
  const final = new Map<number, WriteOutcome>();
  let pending: Indexed[] = rows.map((row, index) => ({ row, index }));
  try {
    for (let attempt = 1; pending.length > 0; attempt++) {
      const locked: Indexed[] = [];
      for (const batch of splitBySize(pending, columns)) {
        const outcomes = await runIngestJob(
          channel,
          object,
          batch.map((item) => item.row),
          body,
          options,
        );
        batch.forEach((item, position) => {
          const outcome = outcomes[position] as WriteOutcome;
          if (!outcome.ok && outcome.code === LOCK_ERROR && attempt < policy.maxAttempts) locked.push(item);
          else final.set(item.index, outcome);
        });
        options.onProgress?.(final.size);
      }
      // Only the locked rows go again after a growing wait: a few over REST, many in a new job.
      if (locked.length > 0) await policy.sleep(backoffDelay(policy, attempt));
      if (locked.length > 0 && locked.length <= REST_RETRY_UP_TO) {
        await retryOverRest(channel, object, locked, options, final);
        locked.length = 0;
      }
      pending = locked;
    }
  } catch (error) {
    throw attachWritten(error, [...final.values()]);
  }
  return rows.map((_, index) => final.get(index) as WriteOutcome);
}

/** The few locked rows of a job, written over REST with the same assignment (its own lock retries). */
async function retryOverRest(
  channel: Channel,
  object: string,
  locked: Indexed[],
  options: UpdateOptions,
  final: Map<number, WriteOutcome>,
): Promise<void> {
  const outcomes = await updateViaRest(
    channel,
    object,
    locked.map((item) => item.row),
    { ...options, api: 'rest', onProgress: undefined },
  ).catch((error) => {
    const written = (error as { written?: WriteOutcome[] }).written ?? [];
    settle(locked, written, final);
    throw error;
  });
  settle(locked, outcomes, final);
  options.onProgress?.(final.size);
}

function settle(items: Indexed[], outcomes: WriteOutcome[], final: Map<number, WriteOutcome>): void {
  for (const [position, outcome] of outcomes.entries()) {
    const item = items[position];
    if (item) final.set(item.index, outcome);
  }
}
