import { open } from 'node:fs/promises';
import { InputError } from '../errors.js';
import { type OpenCsvOptions, openCsv, unreadable } from './read.js';

/**
 * A narrow CSV reader for the one hot path: streaming a large record export and keeping a few of its
 * columns. csv-parse turns every cell of every row into a string; an export of 1M leads has a dozen
 * columns and the plan reads four or five, so this scanner walks the bytes and makes strings only of
 * the cells asked for. It reads RFC 4180 as csv-parse does by default (comma, double quotes, "" inside
 * quotes, LF, CRLF or a lone CR as old spreadsheets write it, a UTF-8 BOM) and refuses what csv-parse
 * refuses; the header is read with csv-parse.
 */

export interface ScannedRow {
  /** The line the record starts on. */
  line: number;
  /** The wanted cells, in the order they were asked for. */
  cells: string[];
}

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;
const CHUNK_BYTES = 1 << 16;

class Incomplete {}
const INCOMPLETE = new Incomplete();

/**
 * Streams the records after the header, a batch per chunk of the file. `width` is the header's cell
 * count (every record must have it); `wanted` are the column positions to keep.
 */
export async function* scanCsvColumns(
  path: string,
  label: string,
  width: number,
  wanted: number[],
  chunkBytes = CHUNK_BYTES,
): AsyncIterable<ScannedRow[]> {
  const slots = new Int32Array(width).fill(-1);
  wanted.forEach((column, slot) => {
    if (column >= 0 && column < width) slots[column] = slot;
  });
  const file = await open(path, 'r').catch((error: unknown) => {
    throw unreadable(error, label);
  });
  const scanner = new RecordScanner(label, width, slots, wanted.length);
  try {
    // One buffer for the whole file: the unfinished record at the end of a read moves to its front and
    // the next read lands behind it. Cells are copied out as strings, so reusing it is safe.
    let buffer: Buffer = Buffer.allocUnsafe(chunkBytes * 2);
    let kept = 0;
    let first = true;
    for (;;) {
      if (buffer.length - kept < chunkBytes) buffer = grow(buffer, kept);
      const { bytesRead } = await file.read(buffer, kept, chunkBytes, null);
      const final = bytesRead === 0;
      let start = 0;
      const end = kept + bytesRead;
      if (first && end >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) start = 3;
      first = false;
      const { rows, consumed } = scanner.scan(buffer.subarray(start, end), final);
      kept = end - start - consumed;
      buffer.copyWithin(0, start + consumed, end);
      if (rows.length > 0) yield rows;
      if (final) return;
    }
  } finally {
    await file.close();
  }
}

/**
 * Streams the named columns of a file (header read and required columns checked with csv-parse, the
 * records scanned): for files leadshift reads whole at apply time, a current export or a plan. A column
 * the header lacks reads as ''. Cells are not trimmed.
 */
export async function* scanNamedColumns(
  path: string,
  label: string,
  names: string[],
  options: OpenCsvOptions = {},
): AsyncIterable<ScannedRow[]> {
  const table = await openCsv(path, label, { ...options, headerOnly: true });
  table.close();
  const wanted = names.map((name) => table.index.get(name.toLowerCase()) ?? -1);
  yield* scanCsvColumns(path, label, table.header.length, wanted);
}

/** A record longer than a read (a huge quoted cell) needs more room. */
function grow(buffer: Buffer, kept: number): Buffer {
  const bigger = Buffer.allocUnsafe(buffer.length * 2);
  buffer.copy(bigger, 0, 0, kept);
  return bigger;
}

class RecordScanner {
  private line = 1;
  private headerDone = false;

  constructor(
    private readonly label: string,
    private readonly width: number,
    private readonly slots: Int32Array,
    private readonly wantedCount: number,
  ) {}

  /** Every complete record in `data`; at the end of the file, the last one too. */
  scan(data: Buffer, final: boolean): { rows: ScannedRow[]; consumed: number } {
    const rows: ScannedRow[] = [];
    let at = 0;
    while (at < data.length) {
      const start = this.line;
      const cells = new Array<string>(this.wantedCount).fill('');
      const result = this.record(data, at, final, cells);
      if (result === INCOMPLETE) break;
      const { next, fields, breaks } = result as { next: number; fields: number; breaks: number };
      at = next;
      this.line += 1 + breaks;
      if (!this.headerDone) {
        this.headerDone = true;
        continue;
      }
      // A blank line is one empty cell: exports end with one, and spreadsheets leave them about.
      const blank = data[at - (next - (result as { begin: number }).begin)];
      if (fields === 1 && this.width !== 1 && (blank === LF || blank === CR)) continue;
      if (fields !== this.width) {
        throw new InputError({
          file: this.label,
          line: start,
          message: `has ${fields} cells but the header has ${this.width}`,
          hint: 'Check for an unquoted comma or a missing cell on that line',
        });
      }
      rows.push({ line: start, cells });
    }
    return { rows, consumed: at };
  }

  /** One record from `begin`: where the next starts, its cell count and its quoted line breaks. */
  private record(
    data: Buffer,
    begin: number,
    final: boolean,
    cells: string[],
  ): Incomplete | { begin: number; next: number; fields: number; breaks: number } {
    const n = data.length;
    let at = begin;
    let field = 0;
    let breaks = 0;
    for (;;) {
      const slot = field < this.slots.length ? (this.slots[field] as number) : -1;
      if (at < n && data[at] === QUOTE) {
        let search = at + 1;
        let escaped = false;
        let close: number;
        for (;;) {
          close = data.indexOf(QUOTE, search);
          if (close === -1 || (close + 1 >= n && !final)) {
            if (!final) return INCOMPLETE;
            throw this.fail(
              this.line,
              'a quoted cell that starts on this line is never closed (the quote runs to the end of the file)',
              'Close the quote, or write a quote inside a quoted cell as ""',
            );
          }
          if (data[close + 1] === QUOTE) {
            escaped = true;
            search = close + 2;
            continue;
          }
          break;
        }
        breaks += lineBreaks(data, at + 1, close);
        if (slot >= 0) {
          const text = data.toString('utf8', at + 1, close);
          cells[slot] = escaped ? text.replaceAll('""', '"') : text;
        }
        at = close + 1;
        const after = at < n ? data[at] : -1;
        if (after === COMMA) {
          field++;
          at++;
          continue;
        }
        if (after === LF) return { begin, next: at + 1, fields: field + 1, breaks };
        if (after === CR) {
          if (at + 1 >= n && !final) return INCOMPLETE;
          const next = data[at + 1] === LF ? at + 2 : at + 1;
          return { begin, next: Math.min(next, n), fields: field + 1, breaks };
        }
        if (after === -1) return { begin, next: n, fields: field + 1, breaks };
        throw this.fail(
          this.line + breaks,
          'is not valid CSV: a quoted cell is followed by more text before the next comma',
          'Write a quote inside a quoted cell as ""',
        );
      }
      let end = at;
      while (end < n) {
        const byte = data[end];
        if (byte === COMMA || byte === LF || byte === CR) break;
        if (byte === QUOTE)
          throw this.fail(
            this.line,
            'is not valid CSV: a quote inside a cell that is not quoted',
            'Quote the whole cell and write the quote inside it as ""',
          );
        end++;
      }
      // A CR at the end of what was read may be the first half of a CRLF.
      if ((end >= n || (data[end] === CR && end + 1 >= n)) && !final) return INCOMPLETE;
      if (slot >= 0) cells[slot] = data.toString('utf8', at, end);
      if (end < n && data[end] === COMMA) {
        field++;
        at = end + 1;
        continue;
      }
      const next = end >= n ? n : data[end] === CR && data[end + 1] === LF ? end + 2 : end + 1;
      return { begin, next: Math.min(next, n), fields: field + 1, breaks };
    }
  }

  private fail(line: number, message: string, hint: string): InputError {
    return new InputError({ file: this.label, line, message, hint });
  }
}

/** Line breaks (LF, CRLF or a lone CR) between `from` and `to`, for the line numbers of later records. */
function lineBreaks(data: Buffer, from: number, to: number): number {
  let breaks = 0;
  for (let at = from; at < to; at++) {
    const byte = data[at];
    if (byte === LF || (byte === CR && data[at + 1] !== LF)) breaks++;
  }
  return breaks;
}
