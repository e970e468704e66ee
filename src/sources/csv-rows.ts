import { evaluateCondition } from '../conditions/evaluate.js';
import type { Condition } from '../conditions/tree.js';
import type { ScannedRow } from '../csv/scan.js';
import { accountOwnerOf } from '../directory/account-owners.js';
import { parseBoolean } from '../directory/load-csv.js';
import type { Problem } from '../errors.js';
import { toId18 } from '../ids.js';
import type { SourceRecord } from '../model.js';

/** Problems collected before giving up on a broken export: enough to fix a pattern, not a flood. */
export const MAX_ROW_PROBLEMS = 20;

/**
 * Which columns are read, and where each lands in a scanned row: the file's column positions are in
 * `columns`; `id`, `owner`, `closed` and `fields` point into the scanned cells. Plain data, so that a
 * worker thread can be handed it.
 */
export interface Layout {
  columns: number[];
  id: number;
  owner: number;
  closed: number[];
  fields: Array<[string, number]>;
}

export function layoutOf(index: Map<string, number>, fields: readonly string[]): Layout {
  const position = (name: string) => index.get(name.toLowerCase()) ?? -1;
  const closed = ['IsConverted', 'IsClosed'].map(position).filter((at) => at >= 0);
  const named = [...new Set(fields)].filter((field) => index.has(field));
  return {
    columns: [position('Id'), position('OwnerId'), ...closed, ...named.map(position)],
    id: 0,
    owner: 1,
    closed: closed.map((_, i) => 2 + i),
    fields: named.map((field, i) => [field, 2 + closed.length + i]),
  };
}

/** The selectors as plain data: what the CSV source evaluates on each row, on either thread. */
export interface RowFilter {
  label: string;
  object: string;
  layout: Layout;
  /** Set when only records of inactive owners are selected: the inactive users' Ids. */
  inactiveOwners?: string[];
  ownerIds: string[];
  accountOwnerField?: string;
  accountOwners?: Map<string, string>;
  where?: Condition;
  exclude?: Condition;
  now: Date;
}

/** Turns scanned rows into selected records, counting every open record's owner on the way. */
export class RowSelector {
  readonly problems: Problem[] = [];
  readonly open = new Map<string, number>();
  private readonly inactive: Set<string> | undefined;
  private readonly owners: Set<string> | undefined;
  /** Owner Ids repeat on every row: converting each distinct text once saves a checksum per row. */
  private readonly ownerIds = new Map<string, string | undefined>();
  private readonly evalContext: { now: Date };

  constructor(private readonly filter: RowFilter) {
    this.inactive = filter.inactiveOwners ? new Set(filter.inactiveOwners) : undefined;
    this.owners = filter.ownerIds.length > 0 ? new Set(filter.ownerIds) : undefined;
    this.evalContext = { now: filter.now };
  }

  get full(): boolean {
    return this.problems.length >= MAX_ROW_PROBLEMS;
  }

  /** The selected records of a batch; none once a row has been found bad (the run will stop). */
  take(rows: ScannedRow[]): SourceRecord[] {
    const records: SourceRecord[] = [];
    for (const row of rows) {
      const record = this.read(row);
      if (record && this.problems.length === 0 && this.selects(record)) records.push(record);
    }
    return records;
  }

  /** Only the open-record count, for load balancing before planning. */
  count(rows: ScannedRow[]): void {
    const { layout } = this.filter;
    for (const row of rows) {
      const ownerId = this.ownerId(row.cells[layout.owner] ?? '');
      if (ownerId && !this.closed(row)) this.open.set(ownerId, (this.open.get(ownerId) ?? 0) + 1);
    }
  }

  private read(row: ScannedRow): SourceRecord | undefined {
    const { layout, label } = this.filter;
    const idText = (row.cells[layout.id] ?? '').trim();
    const ownerText = row.cells[layout.owner] ?? '';
    const id = toId18(idText);
    const ownerId = this.ownerId(ownerText);
    if (!id || !ownerId) {
      const [column, text] = id ? ['OwnerId', ownerText.trim()] : ['Id', idText];
      this.problems.push({
        file: label,
        line: row.line,
        column,
        message: text ? `"${text}" is not a Salesforce Id` : 'is empty',
        hint: 'Every record needs its 15- or 18-character Id and OwnerId',
      });
      return undefined;
    }
    if (this.closed(row)) return undefined;
    this.open.set(ownerId, (this.open.get(ownerId) ?? 0) + 1);
    const fields: SourceRecord['fields'] = {};
    for (const [name, position] of layout.fields) fields[name] = (row.cells[position] ?? '').trim();
    return { id, ownerId, fields, line: row.line };
  }

  /** Converted leads are never selected (SPEC); closed cases and opportunities are not "open" records. */
  private closed(row: ScannedRow): boolean {
    for (const position of this.filter.layout.closed)
      if (parseBoolean(row.cells[position] ?? '') === true) return true;
    return false;
  }

  private selects(record: SourceRecord): boolean {
    const { filter } = this;
    if (this.inactive && !this.inactive.has(record.ownerId)) return false;
    if (this.owners && !this.owners.has(record.ownerId)) return false;
    if (filter.accountOwnerField) {
      const accountOwner = accountOwnerOf(record, filter.accountOwnerField, filter);
      if (!accountOwner || accountOwner === record.ownerId) return false;
    }
    if (filter.where && !evaluateCondition(filter.where, record.fields, this.evalContext)) return false;
    if (filter.exclude && evaluateCondition(filter.exclude, record.fields, this.evalContext)) return false;
    return true;
  }

  private ownerId(text: string): string | undefined {
    let id = this.ownerIds.get(text);
    if (id === undefined && !this.ownerIds.has(text)) {
      id = toId18(text.trim());
      // Owners number in the thousands at most; a file of garbage must not grow this without bound.
      if (this.ownerIds.size < 100_000) this.ownerIds.set(text, id);
    }
    return id;
  }
}
