// Minimal CSV reading/writing for Bulk API 2.0 bodies.

import { parse } from 'csv-parse/sync';

export const DELIMITERS: Record<string, string> = {
  BACKQUOTE: '`',
  CARET: '^',
  COMMA: ',',
  PIPE: '|',
  SEMICOLON: ';',
  TAB: '\t',
};

export function parseCsv(text: string, delimiter: string): string[][] {
  return parse(text, {
    delimiter,
    relax_column_count: true,
    skip_empty_lines: true,
    bom: true,
  }) as string[][];
}

function cell(value: string, delimiter: string, forceQuote = false): string {
  if (forceQuote || value.includes(delimiter) || /["\r\n]/.test(value))
    return `"${value.replace(/"/g, '""')}"`;
  return value;
}

export function writeCsv(
  rows: string[][],
  delimiter: string,
  lineEnding: string,
  quoted: (col: number) => boolean = () => false,
): string {
  const eol = lineEnding === 'CRLF' ? '\r\n' : '\n';
  return rows.map((r) => r.map((v, i) => cell(v, delimiter, quoted(i))).join(delimiter) + eol).join('');
}
