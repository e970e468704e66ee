import { evaluateCondition } from '../conditions/index.js';
import { type CsvRow, type CsvTable, cellOf, openCsv } from '../csv/read.js';
import { parseBoolean } from '../directory/load-csv.js';
import { InputError, type Problem } from '../errors.js';
import { toId18 } from '../ids.js';
import type { SourceRecord } from '../model.js';
import { accountOwnerOf } from '../rules/related.js';
import { CHUNK_SIZE, type RecordSource, type SelectContext, type Selection } from './source.js';

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
    const table = await openCsv(this.path, this.label, { required: ['Id', 'OwnerId'] });
    checkColumns(table, selection, context.fields);
    const columns = [...new Set(context.fields)].filter((field) => table.index.has(field));
    const problems: Problem[] = [];
    this.open = new Map();
    let chunk: SourceRecord[] = [];
    for await (const row of table.rows) {
      const record = this.readRecord(table, row, columns, problems);
      if (problems.length >= MAX_ROW_PROBLEMS) break;
      if (!record || problems.length > 0 || !isSelected(record, selection, context)) continue;
      chunk.push(record);
      if (chunk.length >= CHUNK_SIZE) {
        yield chunk;
        chunk = [];
      }
    }
    if (problems.length > 0) throw new InputError(problems);
    this.counted = true;
    if (chunk.length > 0) yield chunk;
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
    const table = await openCsv(this.path, this.label, { required: ['Id', 'OwnerId'] });
    const open = new Map<string, number>();
    for await (const row of table.rows) {
      const ownerId = toId18(cellOf(table, row, 'OwnerId'));
      if (ownerId && !isClosed(table, row)) open.set(ownerId, (open.get(ownerId) ?? 0) + 1);
    }
    this.open = open;
    this.counted = true;
  }

  private readRecord(
    table: CsvTable,
    row: CsvRow,
    columns: string[],
    problems: Problem[],
  ): SourceRecord | undefined {
    const idText = cellOf(table, row, 'Id');
    const ownerText = cellOf(table, row, 'OwnerId');
    const id = toId18(idText);
    const ownerId = toId18(ownerText);
    if (!id || !ownerId) {
      const [column, text] = id ? ['OwnerId', ownerText] : ['Id', idText];
      problems.push({
        file: this.label,
        line: row.line,
        column,
        message: text ? `"${text}" is not a Salesforce Id` : 'is empty',
        hint: 'Every record needs its 15- or 18-character Id and OwnerId',
      });
      return undefined;
    }
    const fields: SourceRecord['fields'] = {};
    for (const column of columns) fields[column] = cellOf(table, row, column);
    if (isClosed(table, row)) return undefined;
    this.open.set(ownerId, (this.open.get(ownerId) ?? 0) + 1);
    return { id, ownerId, fields, line: row.line };
  }
}

/** Converted leads are never selected (SPEC); closed cases and opportunities are not "open" records. */
function isClosed(table: CsvTable, row: CsvRow): boolean {
  for (const column of ['IsConverted', 'IsClosed']) {
    if (table.index.has(column.toLowerCase()) && parseBoolean(cellOf(table, row, column)) === true)
      return true;
  }
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
