/**
 * Bulk API 2.0 CSV in and out. The upload is built here as one string: jsforce's record→CSV conversion
 * takes its columns from the first record only, and a streamed upload that gets retried is
 * sent empty (§1.4).
 */
import { parse } from 'csv-parse/sync';

import type { WriteRow } from './types.js';

export type { WriteRow };

/** Bulk CSV: `#N/A` sets a field to null; an empty cell leaves it unchanged (Upload Job Data doc). */
const NULL_CELL = '#N/A';

/** Every column any row has, `Id` first, then in first-seen order. */
export function csvColumns(rows: WriteRow[]): string[] {
  const columns = new Set<string>(['Id']);
  for (const row of rows) for (const key of Object.keys(row)) columns.add(key);
  return [...columns];
}

function cell(value: string | null | undefined): string {
  if (value === null) return NULL_CELL;
  if (value === undefined || value === '') return '';
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Comma-delimited, LF line ends: the job is created with exactly these settings. */
export function buildCsv(rows: WriteRow[], columns = csvColumns(rows)): string {
  const lines = [columns.map((name) => cell(name)).join(',')];
  for (const row of rows) lines.push(columns.map((name) => cell(row[name])).join(','));
  return `${lines.join('\n')}\n`;
}

/** Parses a results or query page. Values stay strings; callers decide what empty means. */
export function parseCsv(text: string): Array<Record<string, string>> {
  if (text.trim() === '') return [];
  return parse(text, { columns: true, skip_empty_lines: true, bom: true, relax_column_count: true }) as Array<
    Record<string, string>
  >;
}
