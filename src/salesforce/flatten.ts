/**
 * Turns REST query records into the flat shape the rest of leadshift uses (model.ts SourceRecord):
 * lower-cased dotted keys, `attributes` dropped, and a null parent giving null for each of its selected
 * fields, so `account.ownerid` is present (null) whether or not the Contact has an Account.
 */
import type { FieldValue } from '../model.js';

type Flat = Record<string, FieldValue>;

/** Lower-cased field paths of the top-level SELECT list (subqueries and functions skipped). */
export function selectedFields(soql: string): string[] {
  const list = topLevelSelectList(soql);
  if (list === undefined) return [];
  return splitTopLevel(list)
    .map((item) => item.trim().split(/\s+/)[0] ?? '')
    .filter((path) => /^[A-Za-z_][\w.]*$/.test(path))
    .map((path) => path.toLowerCase());
}

function topLevelSelectList(soql: string): string | undefined {
  const start = /^\s*select\s+/i.exec(soql);
  if (!start) return undefined;
  let depth = 0;
  let quoted = false;
  for (let i = start[0].length; i < soql.length; i++) {
    const ch = soql[i];
    if (ch === "'" && soql[i - 1] !== '\\') quoted = !quoted;
    if (quoted) continue;
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (depth === 0 && /^\sfrom\s/i.test(soql.slice(i, i + 6))) {
      return soql.slice(start[0].length, i);
    }
  }
  return undefined;
}

function splitTopLevel(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of list) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

function isSubqueryResult(value: Record<string, unknown>): boolean {
  return Array.isArray(value.records) && 'totalSize' in value;
}

function flattenInto(out: Flat, value: Record<string, unknown>, prefix: string, selected: string[]): void {
  for (const [key, field] of Object.entries(value)) {
    if (key === 'attributes') continue;
    const path = prefix + key.toLowerCase();
    if (field === null || field === undefined) {
      const children = selected.filter((name) => name.startsWith(`${path}.`));
      if (children.length === 0) out[path] = null;
      for (const child of children) out[child] = null;
    } else if (typeof field === 'object') {
      const nested = field as Record<string, unknown>;
      if (!isSubqueryResult(nested)) flattenInto(out, nested, `${path}.`, selected);
    } else {
      out[path] = field as FieldValue;
    }
  }
}

export function flattenRecord(record: Record<string, unknown>, selected: string[]): Flat {
  const out: Flat = {};
  flattenInto(out, record, '', selected);
  return out;
}

/** Bulk 2.0 CSV rows: headers already dotted; every value is a string and an empty cell means null. */
export function flattenCsvRow(row: Record<string, string>): Flat {
  const out: Flat = {};
  for (const [key, value] of Object.entries(row)) out[key.toLowerCase()] = value === '' ? null : value;
  return out;
}
