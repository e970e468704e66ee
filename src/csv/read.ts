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
      // A row of the wrong width is reported by iterateRows, with both counts, rather than as a parse error.
      relax_column_count: true,
      // Excel and Salesforce exports sometimes pad cells; ids and flags must compare exactly.
      trim: true,
    }),
  );
  const iterator = correctLineCount(
    parser[Symbol.asyncIterator]() as AsyncIterator<{ record: string[]; info: { lines: number } }>,
  );
  const last = { line: 0 };
  const first = await nextRow(iterator, label, last);
  if (!first) throw new InputError({ file: label, message: 'the file is empty: expected a header row' });
  const header = first.cells.map((cell) => cell.trim());
  const index = indexHeader(header, label);
  checkRequired(index, options.required ?? [], label, header);
  return { label, header, index, rows: iterateRows(iterator, label, header.length, last) };
}

/**
 * csv-parse counts a CRLF inside a quoted cell as two lines, so every later row of a Windows export with a
 * multi-line Description or address would be numbered too high; take the extra lines back.
 */
function correctLineCount(
  source: AsyncIterator<{ record: string[]; info: { lines: number } }>,
): AsyncIterator<{ record: string[]; info: { lines: number } }> {
  let extra = 0;
  return {
    async next() {
      const next = await source.next();
      if (next.done) return next;
      for (const cell of next.value.record) extra += cell.split('\r\n').length - 1;
      return {
        done: false,
        value: { record: next.value.record, info: { lines: next.value.info.lines - extra } },
      };
    },
  };
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
  last: { line: number },
): AsyncIterable<CsvRow> {
  for (;;) {
    const row = await nextRow(iterator, label, last);
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
  last: { line: number },
): Promise<CsvRow | undefined> {
  try {
    const next = await iterator.next();
    if (next.done) return undefined;
    last.line = next.value.info.lines;
    return { line: next.value.info.lines, cells: next.value.record };
  } catch (error) {
    throw csvInputError(error, label, last.line);
  }
}

function csvInputError(error: unknown, label: string, lastGoodLine: number): Error {
  const csvError = error as CsvError & { lines?: number };
  // csv-parse names one of its errors without the CSV_ prefix (INVALID_OPENING_QUOTE).
  if (typeof csvError?.code !== 'string' || !/^(CSV_|INVALID_)/.test(csvError.code)) return error as Error;
  if (csvError.code === 'CSV_QUOTE_NOT_CLOSED') {
    // csv-parse reports the end of the file; the open quote is in the row after the last complete one.
    return new InputError({
      file: label,
      line: lastGoodLine + 1,
      message:
        'a quoted cell that starts on this line is never closed (the quote runs to the end of the file)',
      hint: 'Close the quote, or write a quote inside a quoted cell as ""',
    });
  }
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
