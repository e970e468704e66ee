/**
 * REST query, paged by hand: `conn.query` returns one batch, and `autoFetch` silently stops at
 * maxFetch = 10,000 records, so this follows `nextRecordsUrl` until `done`.
 */
import type { FieldValue } from '../model.js';
import { SalesforceError } from './errors.js';
import { flattenRecord, selectedFields } from './flatten.js';
import type { Channel } from './http.js';

type Flat = Record<string, FieldValue>;

interface QueryResult {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: Array<Record<string, unknown>>;
}

/** 2,000 is the REST maximum batch (Query resource doc); Salesforce may still send fewer. */
const QUERY_HEADERS = { 'Sforce-Query-Options': 'batchSize=2000' };
/** Aggregate queries cannot use a query locator, so 2,000 groups is a hard ceiling. */
const MAX_AGGREGATE_GROUPS = 2000;

async function firstPage(channel: Channel, soql: string): Promise<QueryResult> {
  const url = `/query?q=${encodeURIComponent(soql)}`;
  const response = await channel.call<QueryResult>({
    kind: 'query',
    method: 'GET',
    url,
    headers: QUERY_HEADERS,
    soql,
  });
  return response.body;
}

async function nextPage(channel: Channel, soql: string, nextRecordsUrl: string): Promise<QueryResult> {
  const response = await channel.call<QueryResult>({
    kind: 'queryMore',
    method: 'GET',
    url: nextRecordsUrl,
    headers: QUERY_HEADERS,
    soql,
  });
  return response.body;
}

/** The URL `query` would send for this SOQL, so callers can keep it under the 16,384-byte limit. */
export function queryUrlLength(channel: Channel, soql: string): number {
  return Buffer.byteLength(channel.absoluteUrl(`/query?q=${encodeURIComponent(soql)}`));
}

export async function* queryPages(channel: Channel, soql: string): AsyncIterable<Flat[]> {
  const selected = selectedFields(soql);
  let page = await firstPage(channel, soql);
  for (;;) {
    if (page.records.length > 0) yield page.records.map((record) => flattenRecord(record, selected));
    // A page that says "not done" but has no locator would otherwise loop; treat it as the end.
    if (page.done || !page.nextRecordsUrl) return;
    page = await nextPage(channel, soql, page.nextRecordsUrl);
  }
}

export async function countRecords(channel: Channel, soql: string): Promise<number> {
  const page = await firstPage(channel, soql);
  return Number(page.totalSize);
}

function tooManyGroups(soql: string): SalesforceError {
  return new SalesforceError(
    'TOO_MANY_GROUPS',
    `the aggregate query returned more than ${MAX_AGGREGATE_GROUPS} groups, and aggregate results cannot ` +
      `be paged: ${soql}. Narrow it with a WHERE clause or group by fewer fields`,
    'query',
  );
}

export async function aggregateRecords(channel: Channel, soql: string): Promise<Flat[]> {
  let page: QueryResult;
  try {
    page = await firstPage(channel, soql);
  } catch (error) {
    // Salesforce reports "Aggregate query does not support queryMore()" as EXCEEDED_ID_LIMIT.
    if (error instanceof SalesforceError && error.code === 'EXCEEDED_ID_LIMIT') throw tooManyGroups(soql);
    throw error;
  }
  if (!page.done) throw tooManyGroups(soql);
  const selected = selectedFields(soql);
  return page.records.map((record) => flattenRecord(record, selected));
}
