/**
 * Reads current owners right before and after writing. The REST query is a GET,
 * and Salesforce rejects a URI + headers over 16,384 bytes (414/431), so the IN list is
 * chunked by encoded URL size. Many ids go through Bulk 2.0 query instead: its SOQL travels in a POST
 * body, bounded only by the 100,000-character SOQL limit.
 */
import { InputError } from '../errors.js';
import { isSalesforceId } from '../ids.js';
import type { FieldValue } from '../model.js';
import { bulkQueryPages } from './bulk-query.js';
import type { Channel } from './http.js';
import { queryPages, queryUrlLength } from './query.js';
import { idKey } from './types.js';

/** About 290 ids: half the URI limit, leaving room for headers. */
export const MAX_QUERY_URL_BYTES = 8_000;
/** Under the 100,000-character SOQL statement limit. */
export const MAX_BULK_SOQL_CHARS = 90_000;

function ownerSoql(object: string, ids: string[], extra: readonly string[] = []): string {
  const fields = ['Id', 'OwnerId', ...extra].join(', ');
  return `SELECT ${fields} FROM ${object} WHERE Id IN (${ids.map((id) => `'${id}'`).join(',')})`;
}

/** Greedy chunks whose summed per-id cost stays within `budget`. */
function chunkBy(ids: string[], budget: number, cost: (id: string) => number): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let used = 0;
  for (const id of ids) {
    const size = cost(id);
    if (current.length > 0 && used + size > budget) {
      chunks.push(current);
      current = [];
      used = 0;
    }
    current.push(id);
    used += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function restChunks(channel: Channel, object: string, ids: string[]): string[][] {
  const fixed = queryUrlLength(channel, ownerSoql(object, []));
  return chunkBy(ids, MAX_QUERY_URL_BYTES - fixed, (id) => encodeURIComponent(`'${id}',`).length);
}

function bulkChunks(object: string, ids: string[]): string[][] {
  const fixed = ownerSoql(object, []).length;
  return chunkBy(ids, MAX_BULK_SOQL_CHARS - fixed, (id) => id.length + 3);
}

function checkObjectName(object: string): void {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(object)) {
    throw new InputError({
      message: `"${object}" is not an sObject API name`,
      hint: 'Use e.g. Lead, Contact or My_Object__c',
    });
  }
}

export async function readOwnerMap(
  channel: Channel,
  object: string,
  ids: string[],
): Promise<Map<string, string>> {
  const rows = await readCurrentRows(channel, object, ids, []);
  return new Map([...rows].map(([id, row]) => [id, String(row.ownerid)]));
}

/** Current OwnerId and `extra` fields (e.g. AccountId, to batch records sharing a parent) by Id. */
export async function readCurrentRows(
  channel: Channel,
  object: string,
  ids: string[],
  extra: readonly string[],
): Promise<Map<string, Record<string, FieldValue>>> {
  checkObjectName(object);
  // A malformed Id would fail the whole IN query; such ids cannot exist, so they are simply absent.
  const unique = [...new Set(ids.filter(isSalesforceId).map(idKey))];
  const useBulk = unique.length > channel.tuning.bulkThreshold;
  const chunks = useBulk ? bulkChunks(object, unique) : restChunks(channel, object, unique);
  const rows = new Map<string, Record<string, FieldValue>>();
  for (const chunk of chunks) {
    const soql = ownerSoql(object, chunk, extra);
    for await (const page of useBulk ? bulkQueryPages(channel, soql) : queryPages(channel, soql)) {
      for (const record of page) {
        if (record.id && record.ownerid) rows.set(idKey(String(record.id)), record);
      }
    }
  }
  return rows;
}
