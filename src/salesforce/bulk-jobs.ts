/**
 * Bulk API 2.0 job polling shared by query and ingest. jsforce's `poll` defaults to a 30 s timeout, and
 * `loadAndWaitForResults` deletes the job on any failure or timeout, throwing away the results of rows
 * already processed. This polls with backoff and never deletes.
 */
import type { CallKind } from './calls.js';
import { SalesforceError } from './errors.js';
import type { Channel } from './http.js';

export type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

export interface JobInfo {
  id: string;
  state: JobState;
  /** The org's clock when the job was created. */
  createdDate?: string;
  createdById?: string;
  errorMessage?: string;
  numberRecordsProcessed?: number;
  numberRecordsFailed?: number;
}

export type JobType = 'ingest' | 'query';

const TERMINAL: ReadonlySet<JobState> = new Set(['JobComplete', 'Failed', 'Aborted']);
/** Poll waits double, so a long job costs few API calls (every poll counts against the daily limit). */
const POLL_GROWTH = 2;

function kindOf(type: JobType): CallKind {
  return type === 'ingest' ? 'bulkIngest' : 'bulkQuery';
}

export async function createJob(
  channel: Channel,
  type: JobType,
  body: object,
  soql?: string,
): Promise<JobInfo> {
  const response = await channel.call<JobInfo>({
    kind: kindOf(type),
    method: 'POST',
    url: `/jobs/${type}`,
    body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
    ...(soql === undefined ? {} : { soql }),
  });
  return response.body;
}

export async function checkJob(channel: Channel, type: JobType, id: string): Promise<JobInfo> {
  const response = await channel.call<JobInfo>({
    kind: kindOf(type),
    method: 'GET',
    url: `/jobs/${type}/${id}`,
  });
  return response.body;
}

/** Waits until the job is JobComplete, Failed or Aborted and returns its info; throws on timeout. */
export async function waitForJob(channel: Channel, type: JobType, id: string): Promise<JobInfo> {
  const { pollIntervalMs, maxPollIntervalMs, pollTimeoutMs, retry } = channel.tuning;
  const started = Date.now();
  let interval = pollIntervalMs;
  for (;;) {
    // No job is done the moment it is closed; asking at once would only spend a call.
    await retry.sleep(interval);
    interval = Math.min(interval * POLL_GROWTH, maxPollIntervalMs);
    const info = await checkJob(channel, type, id);
    if (TERMINAL.has(info.state)) return info;
    if (Date.now() - started >= pollTimeoutMs) throw jobTimeout(type, id, info.state, pollTimeoutMs);
  }
}

function jobTimeout(type: JobType, id: string, state: JobState, timeoutMs: number): SalesforceError {
  const minutes = Math.round(timeoutMs / 60_000);
  const what =
    type === 'ingest'
      ? 'It was not deleted and keeps running in Salesforce; check it under Setup > Bulk Data Load Jobs, then re-run `leadshift apply <run-dir>`, which skips records already moved'
      : 'Try again later, or narrow the query';
  return new SalesforceError(
    'BULK_JOB_TIMEOUT',
    `Bulk API 2.0 ${type} job ${id} was still ${state} after ${minutes || '<1'} minute(s). ${what}`,
    type === 'ingest' ? 'bulkIngest' : 'bulkQuery',
  );
}
