import { conditionToSoql } from '../conditions/index.js';
import { accountOwnerOf, relationshipOf } from '../directory/account-owners.js';
import { toId18 } from '../ids.js';
import type { FieldValue, SourceRecord } from '../model.js';
import type { SalesforceClient } from '../salesforce/index.js';
import type { SalesforceDirectoryLoader } from './salesforce-directory.js';
import { chunk, IDS_PER_QUERY, inactiveOwnerClauses, openRecordsClause, soqlList } from './soql-clauses.js';
import type { RecordSource, SelectContext, Selection } from './source.js';

/** Above one REST page, a Bulk API 2.0 query reads the selection in a handful of calls instead of one per 2,000. */
const BULK_QUERY_FROM = 2000;

/** Records selected by one SOQL query built from the parsed selectors, streamed page by page. */
export class SalesforceRecordSource implements RecordSource {
  readonly description: string;

  constructor(
    private readonly client: SalesforceClient,
    private readonly loader: SalesforceDirectoryLoader,
    private readonly object: string,
    private readonly needsManagers: boolean,
  ) {
    this.description = `salesforce (${client.host})`;
  }

  async *select(selection: Selection, context: SelectContext): AsyncIterable<SourceRecord[]> {
    const where = selectionWhere(selection, context.now);
    const fields = [
      'Id',
      'OwnerId',
      ...relationshipFields(selection),
      ...context.fields.filter((f) => f !== 'id' && f !== 'ownerid'),
    ];
    const from = `FROM ${selection.object}${where ? ` WHERE ${where}` : ''}`;
    const total = await this.client.count(`SELECT COUNT() ${from}`);
    if (total === 0) return;
    // Salesforce rejects a field selected twice, and field names are case-insensitive.
    const unique = [...new Map(fields.map((f) => [f.toLowerCase(), f])).values()];
    const soql = `SELECT ${unique.join(', ')} ${from}`;
    const pages = total > BULK_QUERY_FROM ? this.client.bulkQuery(soql) : this.client.query(soql);
    // Account owners must be known users too, when the query reads them (`Account.OwnerId` and the like).
    const ownerPaths = unique.map((f) => f.toLowerCase()).filter((f) => f.endsWith('.ownerid'));
    for await (const page of pages) {
      const records = page.map(toRecord).filter((r): r is SourceRecord => r !== undefined);
      const accountOwners = records.flatMap((r) => ownerPaths.map((path) => r.fields[path]));
      const people = [
        ...records.map((r) => r.ownerId),
        ...accountOwners.map((v) => (typeof v === 'string' ? toId18(v) : undefined)),
      ];
      await this.loader.loadIds(people.filter((id): id is string => !!id));
      if (this.needsManagers) await this.loader.loadManagers(records.map((r) => r.ownerId));
      yield records.filter((record) => keepLocally(record, selection, context));
    }
  }

  /** One COUNT per 300 owners; nothing for an object whose records are all open. */
  async historyCount(ownerIds: string[], now: Date): Promise<number | undefined> {
    const open = openRecordsClause(this.object, now);
    if (!open || ownerIds.length === 0) return undefined;
    let total = 0;
    for (const part of chunk(ownerIds, IDS_PER_QUERY))
      total += await this.client.count(
        `SELECT COUNT() FROM ${this.object} WHERE OwnerId IN ${soqlList(part)} AND (NOT ${open})`,
      );
    return total;
  }

  async openCounts(ownerIds: string[]): Promise<Map<string, number>> {
    const counts = new Map(ownerIds.map((id) => [id, 0]));
    const object = this.object;
    const open = openRecordsClause(object);
    for (const part of chunk(ownerIds, IDS_PER_QUERY)) {
      const soql = `SELECT OwnerId, COUNT(Id) FROM ${object} WHERE OwnerId IN ${soqlList(part)}${open ? ` AND ${open}` : ''} GROUP BY OwnerId`;
      for (const row of await this.client.aggregate(soql)) {
        const id = typeof row.ownerid === 'string' ? toId18(row.ownerid) : undefined;
        if (id) counts.set(id, Number(row.expr0 ?? 0));
      }
    }
    return counts;
  }
}

/** The selectors pushed into SOQL. The account-owner comparison (two fields) is checked locally. */
export function selectionWhere(selection: Selection, now: Date = new Date()): string {
  const clauses: string[] = [];
  // Converted leads, closed opportunities, cases and tasks and past events are history: never moved, as
  // on a CSV export, which must show the same.
  const open = openRecordsClause(selection.object, now);
  if (open) clauses.push(open);
  if (selection.inactiveOwners) {
    clauses.push(...inactiveOwnerClauses(selection.object));
  }
  if (selection.ownerIds.length > 0) clauses.push(`OwnerId IN ${soqlList(selection.ownerIds)}`);
  if (selection.where) clauses.push(conditionToSoql(selection.where));
  if (selection.exclude) clauses.push(`(NOT ${conditionToSoql(selection.exclude)})`);
  return clauses.join(' AND ');
}

export function relationshipFields(selection: Pick<Selection, 'accountOwnerField'>): string[] {
  const field = selection.accountOwnerField;
  if (!field) return [];
  return [field, `${relationshipOf(field)}.OwnerId`];
}

function toRecord(row: Record<string, FieldValue>): SourceRecord | undefined {
  const id = typeof row.id === 'string' ? toId18(row.id) : undefined;
  const ownerId = typeof row.ownerid === 'string' ? toId18(row.ownerid) : undefined;
  if (!id || !ownerId) return undefined;
  return { id, ownerId, fields: row };
}

/**
 * What SOQL cannot say (the directory is the truth for rules). `--where` and `--exclude` were evaluated by
 * Salesforce, the one evaluator for Salesforce input: evaluating them again here could only drop, silently,
 * records Salesforce selected.
 */
function keepLocally(record: SourceRecord, selection: Selection, context: SelectContext): boolean {
  if (selection.inactiveOwners && context.directory.user(record.ownerId)?.isActive !== false) return false;
  if (selection.accountOwnerField) {
    const owner = accountOwnerOf(record, selection.accountOwnerField, context);
    if (!owner || owner === record.ownerId) return false;
  }
  return true;
}
