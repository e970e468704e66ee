import { openCsv } from '../../csv/read.js';
import { InputError, type Problem } from '../../errors.js';
import { type Cell, cellCovers, parseCell } from './territory-cells.js';

/** One row of a territory table: its line in the file, a cell per field column, and the owner named. */
export interface TerritoryRow {
  line: number;
  cells: Cell[];
  owner: string;
}

export interface TerritoryTable {
  label: string;
  /** The field columns as written (`Country`, `Account.BillingCountry`), in the file's order. */
  fields: string[];
  rows: TerritoryRow[];
}

const OWNER = 'owner';
const FIELD_PATH = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$/;

/**
 * Reads a territory table: a CSV whose columns are field API names plus `Owner`. Every malformed cell,
 * empty owner and row an earlier row covers is reported at once, with its line and column.
 */
export async function readTerritoryTable(path: string, label: string): Promise<TerritoryTable> {
  const table = await openCsv(path, label, { required: ['Owner'] });
  const ownerAt = table.index.get(OWNER) as number;
  const problems: Problem[] = checkHeader(table.header, label);
  const fieldAt = table.header.map((_, i) => i).filter((i) => i !== ownerAt);
  const fields = fieldAt.map((i) => table.header[i] as string);
  const rows: TerritoryRow[] = [];
  for await (const row of table.rows) {
    const cells: Cell[] = [];
    for (const [slot, at] of fieldAt.entries()) {
      const parsed = parseCell(row.cells[at] ?? '');
      if (parsed.ok) cells.push(parsed.cell);
      else problems.push({ file: label, line: row.line, column: fields[slot], ...parsed });
    }
    const owner = (row.cells[ownerAt] ?? '').trim();
    if (!owner)
      problems.push({
        file: label,
        line: row.line,
        column: 'Owner',
        message: 'is empty',
        hint: 'Name the owner of the territory (username, email, Id or queue:NAME), or delete the row',
      });
    if (cells.length === fields.length && owner) rows.push({ line: row.line, cells, owner });
  }
  if (problems.length === 0) problems.push(...coveredRows(rows, label));
  if (problems.length > 0) throw new InputError(problems);
  return { label, fields, rows };
}

function checkHeader(header: string[], label: string): Problem[] {
  const problems: Problem[] = [];
  if (header.length < 2)
    problems.push({
      file: label,
      line: 1,
      message: 'the header names no field beside Owner',
      hint: 'Add a column per field the territories are drawn by, e.g. Country,PostalCode,Owner',
    });
  for (const name of header) {
    if (name.toLowerCase() === OWNER || FIELD_PATH.test(name)) continue;
    problems.push({
      file: label,
      line: 1,
      message: `${JSON.stringify(name)} is not a field API name`,
      hint: 'Name each column by a field API name (Country, NumberOfEmployees, Account.BillingCountry) or Owner',
    });
  }
  return problems;
}

/** A row that an earlier row covers in every column can never match: it is a mistake, not a rule. */
function coveredRows(rows: TerritoryRow[], label: string): Problem[] {
  const problems: Problem[] = [];
  for (let j = 1; j < rows.length; j++) {
    const row = rows[j] as TerritoryRow;
    const cover = firstCovering(rows, j);
    if (!cover) continue;
    problems.push({
      file: label,
      line: row.line,
      message: `can never match: line ${cover.line} comes first and matches every record this row matches`,
      hint: `Move this row above line ${cover.line} if it is an exception, or delete it`,
    });
  }
  return problems;
}

function firstCovering(rows: TerritoryRow[], j: number): TerritoryRow | undefined {
  const row = rows[j] as TerritoryRow;
  for (let i = 0; i < j; i++) if (rowCovers(rows[i] as TerritoryRow, row)) return rows[i];
  return undefined;
}

export function rowCovers(outer: TerritoryRow, inner: TerritoryRow): boolean {
  for (let i = 0; i < outer.cells.length; i++) {
    if (!cellCovers(outer.cells[i] as Cell, inner.cells[i] as Cell)) return false;
  }
  return true;
}
