/**
 * Owner writes and owner reads in one Composite request (POST /composite): sObject Collections PATCHes,
 * each with its own Sforce-Auto-Assign header, then the queries that read owners back. Subrequests run
 * in order on the server, so a read placed after a write sees it with no client round trip between.
 * The whole call counts as one API request. Salesforce takes at most 25 subrequests per call, at most 5
 * of them queries or sObject Collections; longer steps go as several calls, in order.
 */
import { isSalesforceId } from '../ids.js';
import type { FieldValue } from '../model.js';
import { SalesforceError } from './errors.js';
import { flattenRecord, selectedFields } from './flatten.js';
import type { Channel } from './http.js';
import { MAX_QUERY_URL_BYTES } from './read-owners.js';
import { type Assignment, idKey, type WriteOutcome, type WriteRow } from './types.js';
import { autoAssignHeader, toOutcome } from './update.js';

type Flat = Record<string, FieldValue>;

/** Queries plus sObject Collections subrequests one composite call may carry. */
export const HEAVY_PER_CALL = 5;
/**
 * Ids per owner query: `'<18 chars>',` costs 27 bytes URL-encoded; the SELECT and the base URL about 400
 * more. The subrequest URL travels in the body, but it is kept to what a GET could send as well.
 */
export const IDS_PER_READ = Math.floor((MAX_QUERY_URL_BYTES - 400) / 27);

export interface CompositeWrite {
  rows: WriteRow[];
  assignment: Assignment;
}

export interface CompositeStep {
  object: string;
  writes: CompositeWrite[];
  /** Read after the writes: current OwnerId and `fields` of these records. */
  readIds: string[];
  fields: readonly string[];
}

export interface CompositeOutcome {
  /** One list per write, one outcome per row in order. */
  writes: WriteOutcome[][];
  /** Rows read, by 18-character Id (absent: the record no longer exists); undefined when a read failed. */
  rows: Map<string, Flat> | undefined;
  readError?: string;
}

interface SubResult {
  body: unknown;
  httpStatusCode: number;
  referenceId: string;
}

interface QueryBody {
  done: boolean;
  nextRecordsUrl?: string;
  records: Array<Record<string, unknown>>;
}

type Sub =
  | { kind: 'write'; index: number; request: object }
  | { kind: 'read'; soql: string; request: object };

/** How many owner queries reading these many Ids takes. */
export function readsFor(ids: number): number {
  return Math.ceil(ids / IDS_PER_READ);
}

function ownerSoql(object: string, ids: string[], fields: readonly string[]): string {
  const list = ids.map((id) => `'${id}'`).join(',');
  return `SELECT ${['Id', 'OwnerId', ...fields].join(', ')} FROM ${object} WHERE Id IN (${list})`;
}

function subrequests(channel: Channel, step: CompositeStep): Sub[] {
  const base = `/services/data/v${channel.conn.version}`;
  const subs: Sub[] = step.writes.map((write, index) => ({
    kind: 'write',
    index,
    request: {
      method: 'PATCH',
      url: `${base}/composite/sobjects`,
      referenceId: `write${index}`,
      httpHeaders: { 'Sforce-Auto-Assign': autoAssignHeader(write.assignment) },
      body: {
        allOrNone: false,
        records: write.rows.map(({ Id, ...fields }) => ({
          attributes: { type: step.object },
          id: Id,
          ...fields,
        })),
      },
    },
  }));
  // A malformed Id would fail the whole IN query; such ids cannot exist, so they are simply absent.
  const ids = [...new Set(step.readIds.filter(isSalesforceId).map(idKey))];
  for (let start = 0, n = 0; start < ids.length; start += IDS_PER_READ, n++) {
    const soql = ownerSoql(step.object, ids.slice(start, start + IDS_PER_READ), step.fields);
    subs.push({
      kind: 'read',
      soql,
      request: {
        method: 'GET',
        url: `${base}/query?q=${encodeURIComponent(soql)}`,
        referenceId: `read${n}`,
        httpHeaders: { 'Sforce-Query-Options': 'batchSize=2000' },
      },
    });
  }
  return subs;
}

async function post(channel: Channel, subs: Sub[]): Promise<SubResult[]> {
  const response = await channel.attempt<{ compositeResponse?: SubResult[] }>({
    kind: 'composite',
    method: 'POST',
    url: '/composite',
    body: JSON.stringify({ allOrNone: false, compositeRequest: subs.map((sub) => sub.request) }),
  });
  const results = response.body?.compositeResponse;
  if (!Array.isArray(results) || results.length !== subs.length)
    throw new SalesforceError(
      'NO_RESULT',
      'the composite reply has no result per subrequest',
      'composite',
      200,
    );
  return results;
}

/** A subrequest's error body, `[{errorCode, message}]`, as one line. */
function errorOf(result: SubResult): { code: string; message: string } {
  const first = Array.isArray(result.body)
    ? (result.body[0] as Record<string, unknown> | undefined)
    : undefined;
  const code = String(first?.errorCode ?? `HTTP_${result.httpStatusCode}`);
  return { code, message: String(first?.message ?? code) };
}

function writeOutcomes(rows: WriteRow[], result: SubResult): WriteOutcome[] {
  if (result.httpStatusCode >= 400 || !Array.isArray(result.body)) {
    const { code, message } = errorOf(result);
    return rows.map((row) => ({ id: idKey(row.Id), ok: false, code, message }));
  }
  const body = result.body as Parameters<typeof toOutcome>[1][];
  return rows.map((row, position) => toOutcome(row, body[position]));
}

async function readRows(channel: Channel, soql: string, first: QueryBody, into: Map<string, Flat>) {
  const selected = selectedFields(soql);
  let page = first;
  for (;;) {
    for (const record of page.records) {
      const row = flattenRecord(record, selected);
      if (row.id && row.ownerid) into.set(idKey(String(row.id)), row);
    }
    if (page.done || !page.nextRecordsUrl) return;
    const next = await channel.call<QueryBody>({
      kind: 'queryMore',
      method: 'GET',
      url: page.nextRecordsUrl,
      soql,
    });
    page = next.body;
  }
}

/**
 * Sends one step: its writes, then its read. Errors of a whole call (outage, lost reply, limit) are
 * thrown for the caller to recover from; a refused subrequest becomes failed outcomes or a read error.
 */
export async function sendComposite(channel: Channel, step: CompositeStep): Promise<CompositeOutcome> {
  const subs = subrequests(channel, step);
  const outcome: CompositeOutcome = { writes: step.writes.map(() => []), rows: new Map() };
  for (let start = 0; start < subs.length; start += HEAVY_PER_CALL) {
    const batch = subs.slice(start, start + HEAVY_PER_CALL);
    const results = await post(channel, batch);
    for (const [position, sub] of batch.entries()) {
      const result = results[position] as SubResult;
      if (sub.kind === 'write') {
        outcome.writes[sub.index] = writeOutcomes(step.writes[sub.index]?.rows ?? [], result);
      } else if (result.httpStatusCode >= 400) {
        outcome.readError = errorOf(result).message;
        outcome.rows = undefined;
      } else if (outcome.rows) await readRows(channel, sub.soql, result.body as QueryBody, outcome.rows);
    }
  }
  return outcome;
}
