import type { FieldValue } from '../../model.js';
import { type Cell, cellMatches, cellText, textOf } from './territory-cells.js';
import type { TerritoryRow, TerritoryTable } from './territory-table.js';

/** A record's values in the table's column order, lower-cased; undefined for an empty field. */
export type RowValues = ReadonlyArray<string | undefined>;

/**
 * The rows of a territory table indexed by one column, the one whose exact values and prefixes leave the
 * fewest rows to try on every record: a record is tried only against the rows its value names there, the
 * rows whose prefix it starts with, and the rows that cell does not narrow (empty or a range). Of those the
 * lowest matching position wins, which is the first matching row of the table.
 */
export interface TerritoryIndex {
  /** The position in the table of the first row matching the values, or -1. */
  first(values: RowValues): number;
}

interface Keyed {
  column: number;
  exact: Map<string, number[]>;
  prefixes: Map<string, number[]>;
  /** Prefix lengths that occur, longest first, so a lookup tries only those. */
  lengths: number[];
  rest: number[];
}

export function indexTerritories(table: TerritoryTable): TerritoryIndex {
  const rows = table.rows;
  const keyed = bestKey(rows, table.fields.length);
  const matchesAt = (at: number, values: RowValues) => rowMatches(rows[at] as TerritoryRow, values);
  if (!keyed) {
    const all = allPositions(rows.length);
    return {
      first: (values) => {
        const at = firstIn(all, values, matchesAt, rows.length);
        return at < rows.length ? at : -1;
      },
    };
  }
  return {
    first: (values) => {
      const value = values[keyed.column];
      let best = firstIn(keyed.rest, values, matchesAt, rows.length);
      if (value === undefined) return best < rows.length ? best : -1;
      const exact = keyed.exact.get(value);
      if (exact) best = firstIn(exact, values, matchesAt, best);
      for (const length of keyed.lengths) {
        if (length > value.length) continue;
        const list = keyed.prefixes.get(value.slice(0, length));
        if (list) best = firstIn(list, values, matchesAt, best);
      }
      return best < rows.length ? best : -1;
    },
  };
}

/** The first position in a sorted list below `limit` whose row matches, or `limit`. */
function firstIn(
  positions: readonly number[],
  values: RowValues,
  matchesAt: (at: number, values: RowValues) => boolean,
  limit: number,
): number {
  for (const at of positions) {
    if (at >= limit) return limit;
    if (matchesAt(at, values)) return at;
  }
  return limit;
}

function allPositions(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i);
}

export function rowMatches(row: TerritoryRow, values: RowValues): boolean {
  for (let i = 0; i < row.cells.length; i++) {
    if (!cellMatches(row.cells[i] as Cell, values[i])) return false;
  }
  return true;
}

/**
 * The column that leaves a record the fewest rows to try: the rows it does not narrow, plus the rows a
 * record finds under one value, on average over the table's own values (a list of n rows is found by
 * n of them, so it weighs n²). A country column of ten values narrows 5,000 rows to 500; a postal-code
 * prefix column to a handful.
 */
function bestKey(rows: readonly TerritoryRow[], columns: number): Keyed | undefined {
  let best: { keyed: Keyed; cost: number } | undefined;
  for (let column = 0; column < columns; column++) {
    const keyed = keyBy(rows, column);
    const cost = costOf(keyed, rows.length);
    if (!best || cost < best.cost) best = { keyed, cost };
  }
  return best && best.keyed.rest.length < rows.length ? best.keyed : undefined;
}

function costOf(keyed: Keyed, rows: number): number {
  let squares = 0;
  for (const list of keyed.exact.values()) squares += list.length * list.length;
  for (const list of keyed.prefixes.values()) squares += list.length * list.length;
  return keyed.rest.length + squares / Math.max(1, rows);
}

function keyBy(rows: readonly TerritoryRow[], column: number): Keyed {
  const exact = new Map<string, number[]>();
  const prefixes = new Map<string, number[]>();
  const rest: number[] = [];
  const add = (map: Map<string, number[]>, key: string, at: number) => {
    const list = map.get(key);
    if (list) {
      if (list[list.length - 1] !== at) list.push(at);
    } else map.set(key, [at]);
  };
  rows.forEach((row, at) => {
    const cell = row.cells[column] as Cell;
    if (cell.kind !== 'values') {
      rest.push(at);
      return;
    }
    for (const value of cell.exact) add(exact, value, at);
    for (const prefix of cell.prefixes) add(prefixes, prefix, at);
  });
  const lengths = [...new Set([...prefixes.keys()].map((prefix) => prefix.length))].sort((a, b) => b - a);
  return { column, exact, prefixes, lengths, rest };
}

/** The record's values for the table's columns, read from its fields (lower-cased API names). */
export function valuesOf(fields: Readonly<Record<string, FieldValue>>, paths: readonly string[]): RowValues {
  return paths.map((path) => textOf(fields[path]));
}

/** Why a row did not match: its first column that refuses the record's value. */
export function refusal(
  row: TerritoryRow,
  values: RowValues,
  names: readonly string[],
  shown: ReadonlyArray<FieldValue | undefined>,
): string | undefined {
  for (let i = 0; i < row.cells.length; i++) {
    const cell = row.cells[i] as Cell;
    if (cellMatches(cell, values[i])) continue;
    const value = values[i] === undefined ? 'empty' : JSON.stringify(String(shown[i]).trim());
    return `${names[i]} ${value} is not ${cellText(cell)}`;
  }
  return undefined;
}
