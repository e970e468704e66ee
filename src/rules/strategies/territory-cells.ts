import type { FieldValue } from '../../model.js';

/**
 * One cell of a territory table, parsed. Text compares lower-cased, as SOQL compares text; ranges are
 * inclusive at both ends, and an open end is written by leaving it out (`..500`, `2026-01-01..`).
 */
export type Cell =
  | { kind: 'any' }
  | { kind: 'values'; exact: ReadonlySet<string>; prefixes: readonly string[]; text: string }
  | { kind: 'range'; type: 'number' | 'date'; lo?: number | string; hi?: number | string; text: string };

export type CellResult = { ok: true; cell: Cell } | { ok: false; message: string; hint: string };

const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const RANGE_HINT =
  'Write a range as lo..hi with numbers (100..499) or dates (2026-01-01..2026-06-30), either end left open';

/** Parses a cell as written in the table; a malformed one says why. */
export function parseCell(written: string): CellResult {
  const text = written.trim();
  if (text === '') return { ok: true, cell: { kind: 'any' } };
  if (text.includes('..')) return parseRange(text);
  const alternatives = text.split('|').map((part) => part.trim());
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const part of alternatives) {
    if (part === '' || part === '*')
      return fail(
        `${JSON.stringify(text)} has an empty alternative`,
        'Leave the cell empty to match anything',
      );
    const star = part.indexOf('*');
    if (star >= 0 && star !== part.length - 1)
      return fail(
        `${JSON.stringify(text)} has * inside a value`,
        'A prefix ends in * (80*); * elsewhere is not a wildcard',
      );
    if (star >= 0) prefixes.push(part.slice(0, -1).toLowerCase());
    else exact.add(part.toLowerCase());
  }
  return { ok: true, cell: { kind: 'values', exact, prefixes, text } };
}

function parseRange(text: string): CellResult {
  const parts = text.split('..');
  if (parts.length !== 2) return fail(`${JSON.stringify(text)} is not a range`, RANGE_HINT);
  const [loText, hiText] = parts.map((part) => part.trim()) as [string, string];
  if (loText === '' && hiText === '')
    return fail(`${JSON.stringify(text)} is open at both ends`, 'Leave the cell empty to match anything');
  const ends = [loText, hiText].filter((end) => end !== '');
  const type = ends.every((end) => NUMBER.test(end)) ? 'number' : ends.every(isDate) ? 'date' : undefined;
  if (!type) return fail(`${JSON.stringify(text)} is not a range of numbers or of dates`, RANGE_HINT);
  const read = (end: string) => (end === '' ? undefined : type === 'number' ? Number(end) : end);
  const lo = read(loText);
  const hi = read(hiText);
  if (lo !== undefined && hi !== undefined && lo > hi)
    return fail(`${JSON.stringify(text)} starts after it ends`, 'Write the lower end first');
  return { ok: true, cell: { kind: 'range', type, lo, hi, text } };
}

function isDate(text: string): boolean {
  if (!DATE.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

function fail(message: string, hint: string): CellResult {
  return { ok: false, message, hint };
}

/** A record's value as the table compares it: text lower-cased, empty as undefined. */
export function textOf(value: FieldValue | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  const text = String(value).trim();
  return text === '' ? undefined : text.toLowerCase();
}

/** A value a range cannot read as its type: the record is named rather than silently left unmatched. */
export class UnreadableCell extends Error {}

export function cellMatches(cell: Cell, value: string | undefined): boolean {
  switch (cell.kind) {
    case 'any':
      return true;
    case 'values':
      if (value === undefined) return false;
      if (cell.exact.has(value)) return true;
      return cell.prefixes.some((prefix) => value.startsWith(prefix));
    case 'range':
      return rangeHolds(cell, value);
  }
}

function rangeHolds(cell: Extract<Cell, { kind: 'range' }>, value: string | undefined): boolean {
  if (value === undefined) return false;
  let read: number | string;
  if (cell.type === 'number') {
    if (!NUMBER.test(value)) throw new UnreadableCell(`${JSON.stringify(value)} is not a number`);
    read = Number(value);
  } else {
    // A datetime compares by its UTC day, as a date range reads it.
    read = value.slice(0, 10);
    if (!isDate(read)) throw new UnreadableCell(`${JSON.stringify(value)} is not a date (YYYY-MM-DD)`);
  }
  return (cell.lo === undefined || read >= cell.lo) && (cell.hi === undefined || read <= cell.hi);
}

/** Whether every value `inner` matches, `outer` matches too: a row under a covering row never matches. */
export function cellCovers(outer: Cell, inner: Cell): boolean {
  if (outer.kind === 'any') return true;
  if (inner.kind === 'any') return false;
  if (outer.kind === 'range')
    return inner.kind === 'range' ? rangeCovers(outer, inner) : valuesIn(outer, inner);
  if (inner.kind === 'range') return false;
  for (const value of inner.exact) if (!cellMatches(outer, value)) return false;
  return inner.prefixes.every((prefix) => outer.prefixes.some((wider) => prefix.startsWith(wider)));
}

function rangeCovers(
  outer: Extract<Cell, { kind: 'range' }>,
  inner: Extract<Cell, { kind: 'range' }>,
): boolean {
  if (outer.type !== inner.type) return false;
  const loOk = outer.lo === undefined || (inner.lo !== undefined && inner.lo >= outer.lo);
  const hiOk = outer.hi === undefined || (inner.hi !== undefined && inner.hi <= outer.hi);
  return loOk && hiOk;
}

function valuesIn(
  outer: Extract<Cell, { kind: 'range' }>,
  inner: Extract<Cell, { kind: 'values' }>,
): boolean {
  if (inner.prefixes.length > 0) return false;
  for (const value of inner.exact) {
    try {
      if (!rangeHolds(outer, value)) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/** How the cell reads in an explanation: `"de|at"`, `80*`, `100..499`. */
export function cellText(cell: Cell): string {
  return cell.kind === 'any' ? 'anything' : cell.text;
}
