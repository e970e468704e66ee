/**
 * REST owner writes through sObject Collections. jsforce sends any array as one PATCH and Salesforce
 * rejects more than 200 records, so rows go in chunks of 200. Locked rows are retried on
 * their own; transient HTTP failures are retried by the Channel, since jsforce never retries PATCH (§1.3).
 */
import { SalesforceError } from './errors.js';
import type { Channel } from './http.js';
import { readOwnerMap } from './read-owners.js';
import { backoffDelay } from './retry.js';
import {
  type Assignment,
  attachWritten,
  idKey,
  type UpdateOptions,
  type WriteOutcome,
  type WriteRow,
} from './types.js';

/** sObject Collections accept at most 200 records per request. */
export const COLLECTION_LIMIT = 200;
export const LOCK_ERROR = 'UNABLE_TO_LOCK_ROW';

interface SaveError {
  statusCode?: string;
  errorCode?: string;
  message?: string;
  fields?: string[];
}
interface SaveResult {
  id?: string;
  success: boolean;
  errors?: SaveError[];
}

/** REST runs the active lead/case assignment rules unless told FALSE. */
export function autoAssignHeader(assignment: Assignment): string {
  if (assignment === false) return 'FALSE';
  return assignment === true ? 'TRUE' : assignment;
}

/** Per-record errors use `statusCode` in collections, top-level errors `errorCode`: read both. */
export function toOutcome(row: WriteRow, result: SaveResult | undefined): WriteOutcome {
  const id = idKey(row.Id);
  if (!result)
    return { id, ok: false, code: 'NO_RESULT', message: 'Salesforce returned no result for this record' };
  if (result.success) return { id, ok: true };
  const first = result.errors?.[0];
  const code = first?.statusCode ?? first?.errorCode ?? 'UNKNOWN_ERROR';
  const message = (result.errors ?? []).map((error) => error.message ?? '').join('; ') || code;
  const fields = Array.isArray(first?.fields) ? first.fields : [];
  return { id, ok: false, code, message, ...(fields.length > 0 ? { fields } : {}) };
}

async function patchOnce(
  channel: Channel,
  object: string,
  rows: WriteRow[],
  autoAssign: string,
): Promise<SaveResult[]> {
  const records = rows.map(({ Id, ...fields }) => ({ attributes: { type: object }, id: Id, ...fields }));
  const response = await channel.attempt<SaveResult[]>({
    kind: 'collections',
    method: 'PATCH',
    url: '/composite/sobjects',
    body: JSON.stringify({ allOrNone: false, records }),
    headers: { 'Sforce-Auto-Assign': autoAssign },
    object,
  });
  return Array.isArray(response.body) ? response.body : [];
}

/**
 * One PATCH, retried on 5xx, timeouts and dropped connections. Such a failure may come after Salesforce
 * applied the request (the reply was lost), so before sending again the owners are read: rows already
 * carrying the owner they set were written, and only the others go again. Nothing is written twice.
 */
async function patchCollection(
  channel: Channel,
  object: string,
  rows: WriteRow[],
  autoAssign: string,
): Promise<Array<SaveResult | undefined>> {
  const policy = channel.tuning.retry;
  const done = new Map<string, SaveResult>();
  let pending = rows;
  for (let attempt = 1; pending.length > 0; attempt++) {
    try {
      const results = await patchOnce(channel, object, pending, autoAssign);
      pending.forEach((row, position) => {
        const result = results[position];
        if (result) done.set(idKey(row.Id), result);
      });
      break;
    } catch (error) {
      const transient = error instanceof SalesforceError && error.transient;
      if (!transient || attempt >= policy.maxAttempts) throw error;
      await policy.sleep(backoffDelay(policy, attempt));
      const owners = await readOwnerMap(
        channel,
        object,
        pending.map((row) => String(row.Id)),
      );
      for (const row of pending)
        if (row.OwnerId && owners.get(idKey(row.Id)) === row.OwnerId)
          done.set(idKey(row.Id), { id: idKey(row.Id), success: true });
      pending = pending.filter((row) => !done.has(idKey(row.Id)));
    }
  }
  return rows.map((row) => done.get(idKey(row.Id)));
}

/** One chunk of ≤200 rows; results come back in request order (sObject Collections doc). */
async function updateChunk(channel: Channel, object: string, chunk: WriteRow[], autoAssign: string) {
  const policy = channel.tuning.retry;
  const outcomes: WriteOutcome[] = new Array(chunk.length);
  let pending = chunk.map((row, index) => ({ row, index }));
  for (let attempt = 1; pending.length > 0; attempt++) {
    const results = await patchCollection(
      channel,
      object,
      pending.map((item) => item.row),
      autoAssign,
    );
    const locked: typeof pending = [];
    pending.forEach((item, position) => {
      const outcome = toOutcome(item.row, results[position]);
      const retry = !outcome.ok && outcome.code === LOCK_ERROR && attempt < policy.maxAttempts;
      if (retry) locked.push(item);
      else outcomes[item.index] = outcome;
    });
    if (locked.length > 0) await policy.sleep(backoffDelay(policy, attempt));
    pending = locked;
  }
  return outcomes;
}

export async function updateViaRest(
  channel: Channel,
  object: string,
  rows: WriteRow[],
  options: UpdateOptions,
): Promise<WriteOutcome[]> {
  const autoAssign = autoAssignHeader(options.assignment);
  const outcomes: WriteOutcome[] = [];
  const size = Math.max(1, Math.min(options.batchSize ?? COLLECTION_LIMIT, COLLECTION_LIMIT));
  for (let start = 0; start < rows.length; start += size) {
    const chunk = rows.slice(start, start + size);
    try {
      outcomes.push(...(await updateChunk(channel, object, chunk, autoAssign)));
    } catch (error) {
      throw attachWritten(error, outcomes);
    }
    options.onProgress?.(outcomes.length);
  }
  return outcomes;
}
