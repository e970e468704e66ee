import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { truncate } from 'node:fs/promises';
import { stringify } from 'csv-stringify/sync';

/**
 * Spreadsheets run a cell that starts with = + - @ (or a tab or carriage return) as a formula. Prefixing a
 * quote keeps the text as text (OWASP's CSV injection advice). Ids and names never start that way, so only
 * user data such as record names and stamps is touched.
 */
export function neutraliseFormula(value: string): string {
  return FORMULA_START.has(value.charCodeAt(0)) ? `'${value}` : value;
}

/** = + - @ tab carriage return, by char code: this runs for every cell written. */
const FORMULA_START = new Set([61, 43, 45, 64, 9, 13]);

/** The text as it was before `neutraliseFormula`, for values read back from our own files. */
export function restoreFormula(value: string): string {
  return /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}

export function csvLine(cells: readonly string[]): string {
  return stringify([cells.map(neutraliseFormula)]);
}

/** Rows buffered before they are turned into text in one csv-stringify call and handed to the OS. */
const ROWS_PER_BLOCK = 500;

export interface CsvWriterOptions {
  /**
   * For files Salesforce reads (the upload files): every value exactly as given. Salesforce would store a
   * formula escape as part of the value (`'-1`), so only files people open are made formula-safe.
   */
  exact?: boolean;
}

const asIs = (value: string): string => value;

/**
 * An append-only CSV file. Rows are buffered and written in blocks (one csv-stringify call a block, not
 * one a row); `flush` waits until the bytes are handed to the OS, so a journal flushed after each batch
 * stays true after a crash.
 */
export class CsvFileWriter {
  private readonly stream: WriteStream;
  private readonly cell: (value: string) => string;
  private pending: string[][] = [];
  rows = 0;

  private constructor(stream: WriteStream, options: CsvWriterOptions) {
    this.stream = stream;
    this.cell = options.exact ? asIs : neutraliseFormula;
  }

  static async create(
    path: string,
    header: readonly string[],
    append = false,
    options: CsvWriterOptions = {},
  ): Promise<CsvFileWriter> {
    if (append) await dropTornRecord(path);
    const stream = createWriteStream(path, { flags: append ? 'a' : 'w' });
    await once(stream, 'open');
    const writer = new CsvFileWriter(stream, options);
    if (!append) writer.pending.push(header.map(writer.cell));
    return writer;
  }

  async write(cells: readonly string[]): Promise<void> {
    this.pending.push(cells.map(this.cell));
    this.rows++;
    if (this.pending.length >= ROWS_PER_BLOCK) await this.push();
  }

  /** Hands buffered rows to the stream, waiting only when it asks us to slow down. */
  private async push(): Promise<void> {
    if (this.pending.length === 0) return;
    const chunk = stringify(this.pending);
    this.pending = [];
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  /** Waits until every row written so far is handed to the OS: a journal is true up to here after a crash. */
  async flush(): Promise<void> {
    await this.push();
    await new Promise<void>((resolve, reject) =>
      this.stream.write('', (error) => (error ? reject(error) : resolve())),
    );
  }

  async close(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) =>
      this.stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  }
}

/**
 * A process killed in the middle of a write can leave half a record at the end of a journal. Appending
 * after it would glue the next record onto it, so the file is cut back to its last complete record
 * (the last line break outside quotes) before anything more is written.
 */
export async function dropTornRecord(path: string): Promise<void> {
  let complete = 0;
  let offset = 0;
  let quoted = false;
  try {
    for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
      for (let i = 0; i < chunk.length; i++) {
        const byte = chunk[i];
        if (byte === 34) quoted = !quoted;
        else if (byte === 10 && !quoted) complete = offset + i + 1;
      }
      offset += chunk.length;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (complete < offset) await truncate(path, complete);
}
