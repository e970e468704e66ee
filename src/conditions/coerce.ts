/**
 * Reading a record's field value as the type of the literal it is compared with. CSV cells are all text,
 * Salesforce values keep their JSON types; both must give the same answer. `undefined` means the value
 * cannot be read as that type, and then the comparison is false rather than an error.
 */
import type { FieldValue } from '../model.js';
import { parseWhen, type When } from './dates.js';

const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function asText(value: string | number | boolean): string {
  return typeof value === 'string' ? value : String(value);
}

export function asNumber(value: string | number | boolean): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'boolean') return undefined;
  const trimmed = value.trim();
  return NUMBER_TEXT.test(trimmed) ? Number(trimmed) : undefined;
}

export function asBoolean(value: string | number | boolean): boolean | undefined {
  if (typeof value === 'boolean') return value;
  const text = asText(value).trim().toLowerCase();
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  return undefined;
}

export function asWhen(value: string | number | boolean): When | undefined {
  return typeof value === 'string' ? parseWhen(value) : undefined;
}

/** A missing key and an empty CSV cell both mean null, as an empty field does in Salesforce. */
export function readField(fields: Record<string, FieldValue>, path: string): FieldValue {
  const value = fields[path];
  return value === undefined || value === '' ? null : value;
}
