import type { JobSpec } from '../config/job.js';
import { strategies } from '../rules/strategies/index.js';
import { MAX_QUERY_URL_BYTES } from '../salesforce/read-owners.js';
import { restStep } from './rest-window.js';

export type WriteApi = 'rest' | 'bulk';

/** `write.api: auto` goes to Bulk API 2.0 from 2,000 records. */
export const BULK_FROM = 2000;
/**
 * REST windows: one owner read, then one composite call per step (rest-window.ts) carrying the step's
 * writes, their owner check and the next step's owner read. Results are journalled per call, so a kill
 * loses the journal of one call at most. Large runs go to Bulk (auto from 2,000 records).
 */
export const REST_WINDOW = 2000;
/** Bulk windows: one ingest job each; large enough that a 100k-record run is a couple of jobs. */
export const BULK_WINDOW = 100_000;

/** Bulk API 2.0 takes only a rule Id, never "the active rule" (salesforceRules: true): auto picks REST then. */
export function chooseWriteApi(job: JobSpec, changes: number): WriteApi {
  if (job.write.api !== 'auto') return job.write.api;
  return changes >= BULK_FROM && strategies.writeApi(job.rules) !== 'rest' ? 'bulk' : 'rest';
}

/** The assignment rule Id a `salesforceRules: <Id>` rule names, for the writes it leaves to Salesforce. */
export function assignmentRuleIdOf(job: JobSpec): string | undefined {
  for (const { assign } of job.rules)
    if ('salesforceRules' in assign && typeof assign.salesforceRules === 'string')
      return assign.salesforceRules;
  return undefined;
}

export function windowSizeOf(api: WriteApi): number {
  return api === 'bulk' ? BULK_WINDOW : REST_WINDOW;
}

/**
 * Ids per REST owner read: each costs `'<18 chars>',` URL-encoded (27 bytes), and the SELECT around them
 * about 400 more, within the query URL budget.
 */
const IDS_PER_REST_READ = Math.floor((MAX_QUERY_URL_BYTES - 400) / 27);
/** A Bulk owner read by clause: create the query job, one poll, one result page. */
const BULK_READ_CALLS = 3;
/**
 * One ingest job: create, upload, close, one poll (result files are read only when rows failed), and
 * one page of owner history after it (the changes others made while it ran).
 */
const INGEST_CALLS = 5;

/**
 * The API requests a write of `changes` records makes, window by window, as the Salesforce sink sends
 * them: over REST the owner read, then one composite call per step; over Bulk the owner read before, the
 * ingest job, the owner read after. This is what
 * `limits.maxApiShare` is checked against.
 */
export function estimateCalls(changes: number, options: { api: WriteApi; batchSize: number }): number {
  const windowSize = windowSizeOf(options.api);
  let calls = 0;
  for (let left = changes; left > 0; left -= windowSize) {
    const window = Math.min(left, windowSize);
    if (options.api === 'rest') {
      const { perWrite, writes } = restStep(options.batchSize);
      calls += 1 + Math.ceil(window / (perWrite * writes));
      continue;
    }
    calls += 2 * ownerReadCalls(window) + INGEST_CALLS;
  }
  return calls;
}

function ownerReadCalls(window: number): number {
  return window > BULK_FROM ? BULK_READ_CALLS : Math.ceil(window / IDS_PER_REST_READ);
}
