import { cellOf, openCsv } from '../csv/read.js';
import { parseBoolean } from '../directory/load-csv.js';
import { toId18 } from '../ids.js';
import type { SourceRecord } from '../model.js';
import type { SalesforceClient } from '../salesforce/index.js';
import { chunk, IDS_PER_QUERY, openRecordsClause, soqlList } from './soql-clauses.js';
import { CHUNK_SIZE } from './source.js';

/** An account's related records that can move with it: all contacts, open opportunities only. */

export async function* relatedFromCsv(
  path: string,
  label: string,
  object: string,
  accounts: Map<string, string>,
): AsyncIterable<SourceRecord[]> {
  const table = await openCsv(path, label, { required: ['Id', 'OwnerId', 'AccountId'] });
  let batch: SourceRecord[] = [];
  for await (const row of table.rows) {
    const accountId = toId18(cellOf(table, row, 'AccountId'));
    if (!accountId || !accounts.has(accountId)) continue;
    if (object === 'Opportunity' && parseBoolean(cellOf(table, row, 'IsClosed')) === true) continue;
    const id = toId18(cellOf(table, row, 'Id'));
    const ownerId = toId18(cellOf(table, row, 'OwnerId'));
    if (!id || !ownerId) continue;
    batch.push({ id, ownerId, fields: { accountid: accountId }, line: row.line });
    if (batch.length >= CHUNK_SIZE) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

export async function* relatedFromSalesforce(
  client: SalesforceClient,
  object: string,
  accounts: Map<string, string>,
): AsyncIterable<SourceRecord[]> {
  const open = openRecordsClause(object);
  for (const part of chunk([...accounts.keys()], IDS_PER_QUERY)) {
    const soql = `SELECT Id, OwnerId, AccountId FROM ${object} WHERE AccountId IN ${soqlList(part)}${open ? ` AND ${open}` : ''}`;
    for await (const page of client.query(soql)) {
      const records: SourceRecord[] = [];
      for (const row of page) {
        const id = toId18(String(row.id ?? ''));
        const ownerId = toId18(String(row.ownerid ?? ''));
        const accountId = toId18(String(row.accountid ?? ''));
        if (id && ownerId && accountId) records.push({ id, ownerId, fields: { accountid: accountId } });
      }
      yield records;
    }
  }
}
