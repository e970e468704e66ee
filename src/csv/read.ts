import { constants, createReadStream } from 'node:fs';
import { access, stat } from 'node:fs/promises';
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
  /** Stops reading: for a caller that wanted only the header. */
  close(): void;
}

export interface CsvRow {
  line: number;
  cells: string[];
}

export interface OpenCsvOptions {
  /** Columns that must be present (case-insensitive), each with the alternatives that may stand for it. */
  required?: Array<string | string[]>;
  /** The caller reads the header and closes the table: the first read is kept small. */
  headerOnly?: boolean;
}

type RecordIterator = AsyncIterator<string[]>;

/**
 * Opens a CSV file, reads its header, and checks the required columns before any row is read.
 *
 * csv-parse's `info` and `trim` options double its cost on a large export, so line numbers are counted
 * here instead: a record starts on the line after the previous one ended, and a quoted cell adds its
 * own line breaks. Cells are not trimmed; the few values leadshift compares are trimmed where read.
 */
export async function openCsv(path: string, label: string, options: OpenCsvOptions = {}): Promise<CsvTable> {
  await assertReadableFile(path, label);
  // csv-parse parses the whole first chunk before the header comes out: a small one when only the
  // header is wanted, a large one for throughput when the rows are.
  const highWaterMark = options.headerOnly ? 1 << 14 : 1 << 20;
  const parser = createReadStream(path, { highWaterMark }).pipe(
    parse({
      bom: true,
      // A row of the wrong width is reported by readRows, with both counts, rather than as a parse error.
      relax_column_count: true,
    }),
  );
  const iterator = parser[Symbol.asyncIterator]() as RecordIterator;
  const cursor = { line: 1 };
  const first = await nextRow(iterator, path, label, cursor);
  if (!first) throw new InputError({ file: label, message: 'the file is empty: expected a header row' });
  const header = first.cells.map((cell) => cell.trim());
  const index = indexHeader(header, label);
  checkRequired(index, options.required ?? [], label, header);
  const rows = readRows(iterator, path, label, header.length, cursor);
  return { label, header, index, rows, close: () => parser.destroy() };
}

/** Line breaks inside a record's quoted cells: each moves the next record's first line down. */
function lineBreaksIn(cells: string[]): number {
  let breaks = 0;
  for (const cell of cells) {
    for (let at = cell.indexOf('\n'); at !== -1; at = cell.indexOf('\n', at + 1)) breaks++;
  }
  return breaks;
}

async function assertReadableFile(path: string, label: string): Promise<void> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new InputError({ file: label, message: 'is not a file' });
    await access(path, constants.R_OK);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw unreadable(error, label);
  }
}

/** A file that exists but cannot be opened (permissions) is the user's to fix: bad input, not a bug. */
export function unreadable(error: unknown, label: string): InputError {
  const code = (error as NodeJS.ErrnoException)?.code;
  const denied = code === 'EACCES' || code === 'EPERM';
  return new InputError({
    file: label,
    message: denied ? 'cannot be read: permission denied' : 'does not exist or cannot be read',
    hint: denied ? 'Give the user running leadshift read access to the file' : 'Check the path',
  });
}

const FILE_ERRORS = new Set(['EACCES', 'EPERM', 'ENOENT', 'EISDIR']);

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

async function* readRows(
  iterator: RecordIterator,
  path: string,
  label: string,
  width: number,
  cursor: { line: number },
): AsyncIterable<CsvRow> {
  for (;;) {
    const row = await nextRow(iterator, path, label, cursor);
    if (!row) return;
    // A blank line parses as one empty cell; exports end with one, and spreadsheets leave them about.
    if (row.cells.length === 1 && row.cells[0] === '' && width !== 1) continue;
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
  iterator: RecordIterator,
  path: string,
  label: string,
  cursor: { line: number },
): Promise<CsvRow | undefined> {
  let next: IteratorResult<string[]>;
  try {
    next = await iterator.next();
  } catch (error) {
    throw await csvInputError(error, path, label);
  }
  if (next.done) return undefined;
  const row = { line: cursor.line, cells: next.value };
  cursor.line += 1 + lineBreaksIn(next.value);
  return row;
}

/**
 * csv-parse reads ahead, so its error can arrive before the rows preceding it were handed out. The error
 * says how many records were complete; counting lines over those again finds where the broken one starts.
 */
async function csvInputError(error: unknown, path: string, label: string): Promise<Error> {
  if (FILE_ERRORS.has((error as NodeJS.ErrnoException)?.code ?? '')) return unreadable(error, label);
  const csvError = error as CsvError & { records?: number; lines?: number };
  // csv-parse names one of its errors without the CSV_ prefix (INVALID_OPENING_QUOTE).
  if (typeof csvError?.code !== 'string' || !/^(CSV_|INVALID_)/.test(csvError.code)) return error as Error;
  const line = csvError.records === undefined ? csvError.lines : await lineOfRecord(path, csvError.records);
  if (csvError.code === 'CSV_QUOTE_NOT_CLOSED') {
    return new InputError({
      file: label,
      line,
      message:
        'a quoted cell that starts on this line is never closed (the quote runs to the end of the file)',
      hint: 'Close the quote, or write a quote inside a quoted cell as ""',
    });
  }
  const reason = csvError.message.replace(/^Invalid Record Length: /, '').replace(/ at line \d+/, '');
  return new InputError({
    file: label,
    line,
    message: `is not valid CSV: ${reason}`,
    hint: 'Check the quoting on that line (a quote inside a quoted cell is written "")',
  });
}

/**
 * The first line of the record that follows `complete` records (the header counts as one), found by
 * scanning the bytes: a line break outside quotes ends a record. csv-parse itself cannot be asked, as it
 * fails a whole chunk at once.
 */
async function lineOfRecord(path: string, complete: number): Promise<number> {
  let line = 1;
  let records = 0;
  let quoted = false;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    for (const byte of chunk) {
      if (records === complete) return line;
      if (byte === 34) quoted = !quoted;
      else if (byte === 10) {
        line++;
        if (!quoted) records++;
      }
    }
  }
  return line;
}

/** The value of a named column in a row, trimmed, or '' when the file has no such column. */
export function cellOf(table: Pick<CsvTable, 'index'>, row: CsvRow, column: string): string {
  const position = table.index.get(column.toLowerCase());
  return position === undefined ? '' : (row.cells[position] ?? '').trim();
}
