import { parseWhen } from '../conditions/dates.js';
import { evaluateCondition } from '../conditions/evaluate.js';
import type { Condition } from '../conditions/tree.js';
import { UnreadableValue } from '../conditions/types.js';
import type { ScannedRow } from '../csv/scan.js';
import { accountOwnerOf } from '../directory/account-owners.js';
import { parseBoolean } from '../directory/load-csv.js';
import type { Problem } from '../errors.js';
import { toId18 } from '../ids.js';
import type { SourceRecord } from '../model.js';
import { foreignOwnerId, foreignRecordId } from './key-prefixes.js';
import { SeenIds } from './seen-ids.js';

/** Problems collected before giving up on a broken export: enough to fix a pattern, not a flood. */
export const MAX_ROW_PROBLEMS = 20;

/**
 * Which columns are read, and where each lands in a scanned row: the file's column positions are in
 * `columns`, each once; `id`, `owner`, `openness` and `fields` point into the scanned cells, so a field
 * named twice (a condition on `Id`, `OwnerId` or `IsConverted`) reads the one copy. Plain data, so that
 * a worker thread can be handed it.
 */
export interface Layout {
  columns: number[];
  id: number;
  owner: number;
  /** The column that proves a record open, when the object has one (see OPENNESS). */
  openness?: { column: string; slot: number; kind: OpenKind; allDaySlot?: number };
  /** Field path as the conditions name it, its slot, and the header cell it comes from. */
  fields: Array<[string, number, string]>;
}

type OpenKind = 'flag' | 'until';

/**
 * What shows a record open, per object: a flag that must be false, or an end that must not be past.
 * An export without that column cannot prove openness, and is refused.
 */
export const OPENNESS: Record<string, { kind: OpenKind; columns: string[] }> = {
  lead: { kind: 'flag', columns: ['IsConverted'] },
  opportunity: { kind: 'flag', columns: ['IsClosed'] },
  case: { kind: 'flag', columns: ['IsClosed'] },
  task: { kind: 'flag', columns: ['IsClosed'] },
  event: { kind: 'until', columns: ['EndDateTime', 'ActivityDate'] },
};

export function layoutOf(
  index: Map<string, number>,
  fields: readonly string[],
  object: string,
  header: readonly string[] = [],
): Layout {
  const columns: number[] = [];
  const slotOf = (position: number) => {
    const at = columns.indexOf(position);
    return at >= 0 ? at : columns.push(position) - 1;
  };
  const id = slotOf(index.get('id') ?? -1);
  const owner = slotOf(index.get('ownerid') ?? -1);
  const rule = OPENNESS[object.toLowerCase()];
  const openColumn = rule?.columns.find((name) => index.has(name.toLowerCase()));
  const openness: Layout['openness'] =
    rule && openColumn
      ? { column: openColumn, kind: rule.kind, slot: slotOf(index.get(openColumn.toLowerCase()) as number) }
      : undefined;
  // An all-day event's EndDateTime is midnight GMT of its last day: open through that whole day.
  const allDay = index.get('isalldayevent');
  if (openness && rule?.kind === 'until' && allDay !== undefined) openness.allDaySlot = slotOf(allDay);
  const named: Array<[string, number, string]> = [];
  for (const field of new Set(fields)) {
    const position = columnOf(index, field, object);
    if (position !== undefined) named.push([field, slotOf(position), header[position] ?? field]);
  }
  return { columns, id, owner, openness, fields: named };
}

/** The column of a field path; `Lead.Country` on the Lead object is the Country column. */
export function columnOf(index: Map<string, number>, path: string, object: string): number | undefined {
  const prefix = `${object.toLowerCase()}.`;
  return index.get(path) ?? (path.startsWith(prefix) ? index.get(path.slice(prefix.length)) : undefined);
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
  plannedAccountOwners?: Map<string, string>;
  where?: Condition;
  exclude?: Condition;
  now: Date;
}

/** Turns scanned rows into selected records, counting every open record's owner on the way. */
export class RowSelector {
  readonly problems: Problem[] = [];
  readonly open = new Map<string, number>();
  /** Records that are not open (converted, closed, ended), per owner: what a plan leaves alone as history. */
  readonly history = new Map<string, number>();
  private readonly inactive: Set<string> | undefined;
  private readonly owners: Set<string> | undefined;
  /** Owner Ids repeat on every row: converting each distinct text once saves a checksum per row. */
  private readonly ownerIds = new Map<string, string | undefined>();
  private readonly evalContext: { now: Date };
  private readonly seen = new SeenIds();

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
      if (ownerId && this.isOpen(row) === true) this.open.set(ownerId, (this.open.get(ownerId) ?? 0) + 1);
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
    const foreignRecord = foreignRecordId(id, this.filter.object);
    const foreign = foreignRecord ?? foreignOwnerId(ownerId);
    if (foreign) {
      this.problems.push({
        file: label,
        line: row.line,
        column: foreignRecord ? 'Id' : 'OwnerId',
        message: foreign,
        hint: `Export ${this.filter.object} records with their OwnerId only, or name the object the file holds with --object`,
      });
      return undefined;
    }
    const earlier = this.seen.add(id, row.line);
    if (earlier !== undefined) {
      this.problems.push({
        file: label,
        line: row.line,
        column: 'Id',
        message: `${id} is on line ${earlier} too`,
        hint: 'Each record must appear once; remove the duplicate rows (an export of a join or two exports pasted together)',
      });
      return undefined;
    }
    const open = this.isOpen(row);
    if (open === undefined) return undefined;
    if (!open) {
      this.history.set(ownerId, (this.history.get(ownerId) ?? 0) + 1);
      return undefined;
    }
    this.open.set(ownerId, (this.open.get(ownerId) ?? 0) + 1);
    const fields: SourceRecord['fields'] = {};
    for (const [name, position] of layout.fields) fields[name] = (row.cells[position] ?? '').trim();
    return { id, ownerId, fields, line: row.line };
  }

  /**
   * Converted leads are never selected, nor closed records, nor past events. What the cell cannot prove
   * is a problem (undefined), never "open".
   */
  private isOpen(row: ScannedRow): boolean | undefined {
    const { openness } = this.filter.layout;
    if (!openness) return true;
    const text = (row.cells[openness.slot] ?? '').trim();
    if (openness.kind === 'flag') {
      const flag = parseBoolean(text);
      if (flag !== undefined) return !flag;
      return this.unprovable(row, openness.column, text, 'true or false');
    }
    const when = parseWhen(text);
    if (!when) return this.unprovable(row, openness.column, text, 'a date or date-time (YYYY-MM-DD)');
    const now = this.filter.now.getTime();
    const today = Math.floor(now / 86_400_000);
    if (when.kind !== 'datetime') return when.day >= today;
    const allDay = openness.allDaySlot === undefined ? undefined : row.cells[openness.allDaySlot]?.trim();
    if (allDay && parseBoolean(allDay)) return Math.floor(when.ms / 86_400_000) >= today;
    return when.ms >= now;
  }

  private unprovable(row: ScannedRow, column: string, text: string, expected: string): undefined {
    this.problems.push({
      file: this.filter.label,
      line: row.line,
      column,
      message: text ? `"${text}" is not ${expected}` : 'is empty',
      hint: `The ${column} column decides whether the record is open; leadshift does not guess`,
    });
    return undefined;
  }

  /** A condition over a value it cannot read stops the run, naming the cell (fail closed). */
  private holds(condition: Condition, record: SourceRecord): boolean | undefined {
    try {
      return evaluateCondition(condition, record.fields, this.evalContext);
    } catch (error) {
      if (!(error instanceof UnreadableValue)) throw error;
      const column = this.filter.layout.fields.find(([name]) => name === error.path)?.[2] ?? error.path;
      this.problems.push({
        file: this.filter.label,
        line: record.line,
        column,
        message: error.describe(condition.text),
        hint: 'Export the column as Salesforce writes it (true/false, YYYY-MM-DD, 1234.5), or change the condition',
      });
      return undefined;
    }
  }

  private selects(record: SourceRecord): boolean {
    const { filter } = this;
    if (this.inactive && !this.inactive.has(record.ownerId)) return false;
    if (this.owners && !this.owners.has(record.ownerId)) return false;
    if (filter.accountOwnerField) {
      const accountOwner = accountOwnerOf(record, filter.accountOwnerField, filter);
      if (!accountOwner || accountOwner === record.ownerId) return false;
    }
    if (filter.where && this.holds(filter.where, record) !== true) return false;
    if (filter.exclude && this.holds(filter.exclude, record) !== false) return false;
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
