/**
 * Bulk API 2.0 query, driven step by step. jsforce's `bulk2.query` pipes every results page into one
 * stream, so the second page throws ERR_STREAM_WRITE_AFTER_END, and it loops forever when no
 * Sforce-Locator comes back. This fetches each page itself and yields it parsed.
 */
import type { FieldValue } from '../model.js';
import { createJob, waitForJob } from './bulk-jobs.js';
import { parseCsv } from './csv.js';
import { SalesforceError } from './errors.js';
import { flattenCsvRow } from './flatten.js';
import type { Channel } from './http.js';

type Flat = Record<string, FieldValue>;

async function runQueryJob(channel: Channel, soql: string): Promise<string> {
  const job = await createJob(channel, 'query', { operation: 'query', query: soql }, soql);
  const info = await waitForJob(channel, 'query', job.id);
  if (info.state !== 'JobComplete') {
    throw new SalesforceError(
      info.state === 'Failed' ? 'BULK_QUERY_FAILED' : 'BULK_QUERY_ABORTED',
      `Bulk API 2.0 query job ${job.id} ended ${info.state}${info.errorMessage ? `: ${info.errorMessage}` : ''} (${soql})`,
      'bulkQuery',
    );
  }
  return job.id;
}

export async function* bulkQueryPages(channel: Channel, soql: string): AsyncIterable<Flat[]> {
  const jobId = await runQueryJob(channel, soql);
  const seen = new Set<string>();
  let locator: string | undefined;
  for (;;) {
    const params = new URLSearchParams({ maxRecords: String(channel.tuning.bulkQueryPageSize) });
    if (locator) params.set('locator', locator);
    const response = await channel.call<string>({
      kind: 'bulkQuery',
      method: 'GET',
      url: `/jobs/query/${jobId}/results?${params}`,
      headers: { Accept: 'text/csv' },
      text: true,
      soql,
    });
    const rows = parseCsv(response.body).map(flattenCsvRow);
    if (rows.length > 0) yield rows;
    // The last page says "null"; a missing or repeated locator also ends it rather than looping.
    const next = response.headers['sforce-locator'];
    if (!next || next === 'null' || seen.has(next)) return;
    seen.add(next);
    locator = next;
  }
}
