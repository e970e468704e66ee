/**
 * Calendar arithmetic for SOQL date values. Everything is in UTC: Salesforce stores datetimes in UTC and
 * a CSV export carries no time zone, so UTC is the only choice that needs no guess. Weeks start on Sunday,
 * as they do for Salesforce's default locale (en_US).
 */
import type { RelativeDate } from './tree.js';

export const DAY_MS = 86_400_000;

/** A point in time from a field or literal: a whole day, or an exact instant. */
export type When = { kind: 'date'; day: number } | { kind: 'datetime'; ms: number };

/** Days since 1970-01-01 for a calendar date, or undefined when the date does not exist (2024-02-30). */
export function dayNumber(year: number, month: number, day: number): number | undefined {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  const valid =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return valid ? date.getTime() / DAY_MS : undefined;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Reads a date or datetime as Salesforce or a CSV export writes it: `2024-01-31`, `2024-01-31T10:00:00Z`,
 * `2024-01-31T10:00:00.000+0000`, `2024-01-31 10:00:00` (no offset means UTC).
 */
export function parseWhen(text: string): When | undefined {
  const trimmed = text.trim();
  const date = DATE.exec(trimmed);
  if (date) {
    const day = dayNumber(Number(date[1]), Number(date[2]), Number(date[3]));
    return day === undefined ? undefined : { kind: 'date', day };
  }
  const m = DATETIME.exec(trimmed);
  if (!m) return undefined;
  const day = dayNumber(Number(m[1]), Number(m[2]), Number(m[3]));
  const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
  if (day === undefined || hour > 23 || minute > 59 || second > 59) return undefined;
  const offset = offsetMinutes(m[8]);
  if (offset === undefined) return undefined;
  const fraction = m[7] ? Math.round(Number(m[7]) * 1000) : 0;
  const ms = day * DAY_MS + ((hour * 60 + minute - offset) * 60 + second) * 1000 + fraction;
  return { kind: 'datetime', ms };
}

function offsetMinutes(zone: string | undefined): number | undefined {
  if (!zone || zone.toUpperCase() === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours > 14 || minutes > 59) return undefined;
  return (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}

export function dayOf(when: When): number {
  return when.kind === 'date' ? when.day : Math.floor(when.ms / DAY_MS);
}

/** Start of the month `offset` months from `now`'s month, as a day number. */
function monthStart(now: Date, offset: number): number {
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1) / DAY_MS;
}

/** [first day, day after the last) of a relative date literal, evaluated at `now`. */
export function relativeRange(date: RelativeDate, now: Date): [number, number] {
  const n = date.n ?? 0;
  const today = Math.floor(now.getTime() / DAY_MS);
  // 1970-01-01 was a Thursday (4 with Sunday = 0).
  const week = today - ((today + 4) % 7);
  const month = (k: number) => monthStart(now, k);
  const quarter = (k: number) => monthStart(now, k - (now.getUTCMonth() % 3));
  const year = (k: number) => Date.UTC(now.getUTCFullYear() + k, 0, 1) / DAY_MS;
  const ranges: Record<string, () => [number, number]> = {
    TODAY: () => [today, today + 1],
    YESTERDAY: () => [today - 1, today],
    TOMORROW: () => [today + 1, today + 2],
    THIS_WEEK: () => [week, week + 7],
    LAST_WEEK: () => [week - 7, week],
    NEXT_WEEK: () => [week + 7, week + 14],
    THIS_MONTH: () => [month(0), month(1)],
    LAST_MONTH: () => [month(-1), month(0)],
    NEXT_MONTH: () => [month(1), month(2)],
    // "Last n days" includes today; "next n days" starts tomorrow (Salesforce's documented ranges).
    LAST_90_DAYS: () => [today - 90, today + 1],
    NEXT_90_DAYS: () => [today + 1, today + 91],
    LAST_N_DAYS: () => [today - n, today + 1],
    NEXT_N_DAYS: () => [today + 1, today + 1 + n],
    N_DAYS_AGO: () => [today - n, today - n + 1],
    LAST_N_WEEKS: () => [week - 7 * n, week],
    NEXT_N_WEEKS: () => [week + 7, week + 7 + 7 * n],
    N_WEEKS_AGO: () => [week - 7 * n, week - 7 * n + 7],
    LAST_N_MONTHS: () => [month(-n), month(0)],
    NEXT_N_MONTHS: () => [month(1), month(1 + n)],
    N_MONTHS_AGO: () => [month(-n), month(1 - n)],
    THIS_QUARTER: () => [quarter(0), quarter(3)],
    LAST_QUARTER: () => [quarter(-3), quarter(0)],
    NEXT_QUARTER: () => [quarter(3), quarter(6)],
    LAST_N_QUARTERS: () => [quarter(-3 * n), quarter(0)],
    NEXT_N_QUARTERS: () => [quarter(3), quarter(3 + 3 * n)],
    N_QUARTERS_AGO: () => [quarter(-3 * n), quarter(3 - 3 * n)],
    THIS_YEAR: () => [year(0), year(1)],
    LAST_YEAR: () => [year(-1), year(0)],
    NEXT_YEAR: () => [year(1), year(2)],
    LAST_N_YEARS: () => [year(-n), year(0)],
    NEXT_N_YEARS: () => [year(1), year(1 + n)],
    N_YEARS_AGO: () => [year(-n), year(1 - n)],
  };
  const range = ranges[date.name];
  if (!range) throw new Error(`unknown date literal ${date.name}`);
  return range();
}

/** Literals that take `:n`, and those that stand alone; fiscal ones are left out on purpose (see parse). */
export const N_LITERALS: ReadonlySet<string> = new Set([
  'LAST_N_DAYS',
  'NEXT_N_DAYS',
  'N_DAYS_AGO',
  'LAST_N_WEEKS',
  'NEXT_N_WEEKS',
  'N_WEEKS_AGO',
  'LAST_N_MONTHS',
  'NEXT_N_MONTHS',
  'N_MONTHS_AGO',
  'LAST_N_QUARTERS',
  'NEXT_N_QUARTERS',
  'N_QUARTERS_AGO',
  'LAST_N_YEARS',
  'NEXT_N_YEARS',
  'N_YEARS_AGO',
]);

export const PLAIN_LITERALS: ReadonlySet<string> = new Set([
  'TODAY',
  'YESTERDAY',
  'TOMORROW',
  'THIS_WEEK',
  'LAST_WEEK',
  'NEXT_WEEK',
  'THIS_MONTH',
  'LAST_MONTH',
  'NEXT_MONTH',
  'LAST_90_DAYS',
  'NEXT_90_DAYS',
  'THIS_QUARTER',
  'LAST_QUARTER',
  'NEXT_QUARTER',
  'THIS_YEAR',
  'LAST_YEAR',
  'NEXT_YEAR',
]);
