import { evaluateCondition } from '../conditions/index.js';
import { type CsvTable, openCsv } from '../csv/read.js';
import { type ScannedRow, scanCsvColumns } from '../csv/scan.js';
import { parseBoolean } from '../directory/load-csv.js';
import { InputError, type Problem } from '../errors.js';
import { toId18 } from '../ids.js';
import type { SourceRecord } from '../model.js';
import { accountOwnerOf } from '../rules/related.js';
import type { RecordSource, SelectContext, Selection } from './source.js';

/** Problems collected before giving up on a broken export: enough to fix a pattern, not a flood. */
const MAX_ROW_PROBLEMS = 20;

/** A record export read from CSV; selectors are evaluated locally with the same parsed conditions. */
export class CsvRecordSource implements RecordSource {
  readonly description: string;
  private open = new Map<string, number>();
  private counted = false;

  constructor(
    private readonly path: string,
    private readonly label: string,
  ) {
    this.description = `csv:${label}`;
  }

  async *select(selection: Selection, context: SelectContext): AsyncIterable<SourceRecord[]> {
    const table = await this.header();
    checkColumns(table, selection, context.fields);
    const layout = layoutOf(table, context.fields);
    const problems: Problem[] = [];
    this.open = new Map();
    for await (const batch of scanCsvColumns(this.path, this.label, table.header.length, layout.columns)) {
      const chunk: SourceRecord[] = [];
      for (const row of batch) {
        const record = this.readRecord(layout, row, problems);
        if (!record || problems.length > 0 || !isSelected(record, selection, context)) continue;
        chunk.push(record);
      }
      if (problems.length >= MAX_ROW_PROBLEMS) break;
      if (problems.length === 0 && chunk.length > 0) yield chunk;
    }
    if (problems.length > 0) throw new InputError(problems);
    this.counted = true;
  }

  /**
   * Every open record of the export, selected or not, per owner: counted while selecting, or by a pass of
   * its own when asked before (load balancing needs the counts before the first record is decided).
   */
  async openCounts(ownerIds: string[]): Promise<Map<string, number>> {
    if (!this.counted) await this.countOpen();
    return new Map(ownerIds.map((id) => [id, this.open.get(id) ?? 0]));
  }

  private async countOpen(): Promise<void> {
    const table = await this.header();
    const layout = layoutOf(table, []);
    const open = new Map<string, number>();
    for await (const batch of scanCsvColumns(this.path, this.label, table.header.length, layout.columns)) {
      for (const row of batch) {
        const ownerId = layout.ownerId(row.cells[layout.owner] ?? '');
        if (ownerId && !isClosed(layout, row)) open.set(ownerId, (open.get(ownerId) ?? 0) + 1);
      }
    }
    this.open = open;
    this.counted = true;
  }

  /** The header, read and checked with csv-parse; the rows are scanned for only the columns needed. */
  private async header(): Promise<CsvTable> {
    const table = await openCsv(this.path, this.label, { required: ['Id', 'OwnerId'] });
    table.close();
    return table;
  }

  private readRecord(layout: Layout, row: ScannedRow, problems: Problem[]): SourceRecord | undefined {
    const idText = (row.cells[layout.id] ?? '').trim();
    const ownerText = row.cells[layout.owner] ?? '';
    const id = toId18(idText);
    const ownerId = layout.ownerId(ownerText);
    if (!id || !ownerId) {
      const [column, text] = id ? ['OwnerId', ownerText.trim()] : ['Id', idText];
      problems.push({
        file: this.label,
        line: row.line,
        column,
        message: text ? `"${text}" is not a Salesforce Id` : 'is empty',
        hint: 'Every record needs its 15- or 18-character Id and OwnerId',
      });
      return undefined;
    }
    if (isClosed(layout, row)) return undefined;
    this.open.set(ownerId, (this.open.get(ownerId) ?? 0) + 1);
    const fields: SourceRecord['fields'] = {};
    for (const [name, position] of layout.fields) fields[name] = (row.cells[position] ?? '').trim();
    return { id, ownerId, fields, line: row.line };
  }
}

/**
 * Which columns are read, and where each lands in a scanned row: the file's column positions are in
 * `columns`; `id`, `owner`, `closed` and `fields` point into the scanned cells.
 */
interface Layout {
  columns: number[];
  id: number;
  owner: number;
  closed: number[];
  fields: Array<[string, number]>;
  /** Owner Ids repeat on every row: converting each distinct text once saves a checksum per row. */
  ownerId(text: string): string | undefined;
}

function layoutOf(table: CsvTable, fields: readonly string[]): Layout {
  const position = (name: string) => table.index.get(name.toLowerCase()) ?? -1;
  const owners = new Map<string, string | undefined>();
  const closed = ['IsConverted', 'IsClosed'].map(position).filter((at) => at >= 0);
  const named = [...new Set(fields)].filter((field) => table.index.has(field));
  const columns = [position('Id'), position('OwnerId'), ...closed, ...named.map(position)];
  return {
    columns,
    id: 0,
    owner: 1,
    closed: closed.map((_, i) => 2 + i),
    fields: named.map((field, i) => [field, 2 + closed.length + i]),
    ownerId: (text) => {
      let id = owners.get(text);
      if (id === undefined && !owners.has(text)) {
        id = toId18(text.trim());
        // Owners number in the thousands at most; a file of garbage must not grow this without bound.
        if (owners.size < 100_000) owners.set(text, id);
      }
      return id;
    },
  };
}

/** Converted leads are never selected (SPEC); closed cases and opportunities are not "open" records. */
function isClosed(layout: Layout, row: ScannedRow): boolean {
  for (const position of layout.closed) if (parseBoolean(row.cells[position] ?? '') === true) return true;
  return false;
}

function isSelected(record: SourceRecord, selection: Selection, context: SelectContext): boolean {
  if (selection.inactiveOwners && context.directory.user(record.ownerId)?.isActive !== false) return false;
  if (selection.ownerIds.length > 0 && !selection.ownerIds.includes(record.ownerId)) return false;
  if (selection.accountOwnerField) {
    const accountOwner = accountOwnerOf(record, selection.accountOwnerField, {
      ...context,
      object: selection.object,
    });
    if (!accountOwner || accountOwner === record.ownerId) return false;
  }
  const evalContext = { now: context.now };
  if (selection.where && !evaluateCondition(selection.where, record.fields, evalContext)) return false;
  if (selection.exclude && evaluateCondition(selection.exclude, record.fields, evalContext)) return false;
  return true;
}

/** Every field a condition or rule reads must be a column of the export, or the run would guess. */
function checkColumns(table: CsvTable, selection: Selection, fields: string[]): void {
  const missing = [...new Set(fields)].filter((field) => !table.index.has(field));
  if (missing.length === 0) return;
  const conditions = [selection.where, selection.exclude].filter((c) => c !== undefined);
  throw new InputError(
    missing.map((field) => {
      const condition = conditions.find((c) => c.fields.includes(field));
      return {
        file: table.label,
        line: 1,
        message: `the export has no column "${field}"${condition ? `, which the condition "${condition.text}" reads` : ', which the rules read'}`,
        hint: `Export the field too, or change the condition (columns: ${table.header.join(', ')})`,
      };
    }),
  );
}
