import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { type CsvError, parse } from 'csv-parse';
import { InputError, type Problem } from '../errors.js';

/** A CSV file opened for streaming: its header, and the rows as string arrays with their line numbers. */
export interface CsvTable {
  /** The file as the user named it, for messages. */
  label: string;
  /** Header cells as written (BOM and surrounding spaces removed). */
  header: string[];
  /** Lower-cased header cell → column index. */
  index: Map<string, number>;
  rows: AsyncIterable<CsvRow>;
}

export interface CsvRow {
  line: number;
  cells: string[];
}

export interface OpenCsvOptions {
  /** Columns that must be present (case-insensitive), each with the alternatives that may stand for it. */
  required?: Array<string | string[]>;
}

/** Opens a CSV file, reads its header, and checks the required columns before any row is read. */
export async function openCsv(path: string, label: string, options: OpenCsvOptions = {}): Promise<CsvTable> {
  await assertReadableFile(path, label);
  const parser = createReadStream(path).pipe(
    parse({
      bom: true,
      info: true,
      skip_empty_lines: true,
      // Excel and Salesforce exports sometimes pad cells; ids and flags must compare exactly.
      trim: true,
    }),
  );
  const iterator = parser[Symbol.asyncIterator]() as AsyncIterator<{
    record: string[];
    info: { lines: number };
  }>;
  const first = await nextRow(iterator, label);
  if (!first) throw new InputError({ file: label, message: 'the file is empty: expected a header row' });
  const header = first.cells.map((cell) => cell.trim());
  const index = indexHeader(header, label);
  checkRequired(index, options.required ?? [], label, header);
  return { label, header, index, rows: iterateRows(iterator, label, header.length) };
}

async function assertReadableFile(path: string, label: string): Promise<void> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new InputError({ file: label, message: 'is not a file' });
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError({
      file: label,
      message: 'does not exist or cannot be read',
      hint: 'Check the path',
    });
  }
}

function indexHeader(header: string[], label: string): Map<string, number> {
  const index = new Map<string, number>();
  const problems: Problem[] = [];
  header.forEach((name, column) => {
    const key = name.toLowerCase();
    if (key === '') return;
    if (index.has(key)) {
      problems.push({
        file: label,
        line: 1,
        message: `column "${name}" appears twice in the header (columns ${(index.get(key) ?? 0) + 1} and ${column + 1})`,
        hint: 'Remove or rename one of them',
      });
    }
    index.set(key, column);
  });
  if (problems.length > 0) throw new InputError(problems);
  return index;
}

function checkRequired(
  index: Map<string, number>,
  required: Array<string | string[]>,
  label: string,
  header: string[],
): void {
  const missing = required
    .map((names) => (Array.isArray(names) ? names : [names]))
    .filter((names) => !names.some((name) => index.has(name.toLowerCase())));
  if (missing.length === 0) return;
  throw new InputError(
    missing.map((names) => ({
      file: label,
      line: 1,
      message: `the header has no ${names.map((n) => `"${n}"`).join(' or ')} column (found: ${header.join(', ') || 'nothing'})`,
      hint: 'Export the file with API field names in the header',
    })),
  );
}

async function* iterateRows(
  iterator: AsyncIterator<{ record: string[]; info: { lines: number } }>,
  label: string,
  width: number,
): AsyncIterable<CsvRow> {
  for (;;) {
    const row = await nextRow(iterator, label);
    if (!row) return;
    if (row.cells.length !== width) {
      throw new InputError({
        file: label,
        line: row.line,
        message: `has ${row.cells.length} cells but the header has ${width}`,
        hint: 'Check for an unquoted comma or a missing cell on that line',
      });
    }
    yield row;
  }
}

async function nextRow(
  iterator: AsyncIterator<{ record: string[]; info: { lines: number } }>,
  label: string,
): Promise<CsvRow | undefined> {
  try {
    const next = await iterator.next();
    if (next.done) return undefined;
    return { line: next.value.info.lines, cells: next.value.record };
  } catch (error) {
    throw csvInputError(error, label);
  }
}

function csvInputError(error: unknown, label: string): Error {
  const csvError = error as CsvError & { lines?: number };
  if (typeof csvError?.code !== 'string' || !csvError.code.startsWith('CSV_')) return error as Error;
  const reason = csvError.message.replace(/^Invalid Record Length: /, '').replace(/ at line \d+/, '');
  return new InputError({
    file: label,
    line: csvError.lines,
    message: `is not valid CSV: ${reason}`,
    hint: 'Check the quoting on that line (a quote inside a quoted cell is written "")',
  });
}

/** The value of a named column in a row, or '' when the file has no such column. */
export function cellOf(table: Pick<CsvTable, 'index'>, row: CsvRow, column: string): string {
  const position = table.index.get(column.toLowerCase());
  return position === undefined ? '' : (row.cells[position] ?? '');
}
