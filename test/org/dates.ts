// SOQL date literals (TODAY, LAST_N_DAYS:n, …) as UTC [start, end) ranges in milliseconds.

import { malformed } from './errors.js';

const DAY = 86_400_000;

export interface Range {
  start: number;
  end: number;
}

function dayStart(t: number): number {
  return Math.floor(t / DAY) * DAY;
}

function monthStart(year: number, month: number): number {
  return Date.UTC(year, month, 1);
}

function weekStart(t: number): number {
  const d = dayStart(t);
  return d - new Date(d).getUTCDay() * DAY; // weeks start on Sunday (en_US locale)
}

function months(now: number, fromOffset: number, count: number, unit: number): Range {
  const d = new Date(now);
  const base = unit === 3 ? Math.floor(d.getUTCMonth() / 3) * 3 : unit === 12 ? 0 : d.getUTCMonth();
  const y = d.getUTCFullYear();
  return {
    start: monthStart(y, base + fromOffset * unit),
    end: monthStart(y, base + (fromOffset + count) * unit),
  };
}

/** The range a date literal covers, relative to `now`. */
export function dateLiteralRange(literal: string, now: number): Range {
  const [name = '', nStr] = literal.toUpperCase().split(':');
  const n = nStr === undefined ? Number.NaN : Number(nStr);
  if (nStr !== undefined && (!Number.isInteger(n) || n < 0))
    throw malformed(`invalid date literal: ${literal}`);
  const today = dayStart(now);
  const week = weekStart(now);
  switch (name) {
    case 'YESTERDAY':
      return { start: today - DAY, end: today };
    case 'TODAY':
      return { start: today, end: today + DAY };
    case 'TOMORROW':
      return { start: today + DAY, end: today + 2 * DAY };
    case 'LAST_WEEK':
      return { start: week - 7 * DAY, end: week };
    case 'THIS_WEEK':
      return { start: week, end: week + 7 * DAY };
    case 'NEXT_WEEK':
      return { start: week + 7 * DAY, end: week + 14 * DAY };
    case 'LAST_MONTH':
      return months(now, -1, 1, 1);
    case 'THIS_MONTH':
      return months(now, 0, 1, 1);
    case 'NEXT_MONTH':
      return months(now, 1, 1, 1);
    case 'LAST_90_DAYS':
      return { start: today - 90 * DAY, end: today + DAY };
    case 'NEXT_90_DAYS':
      return { start: today + DAY, end: today + 91 * DAY };
    case 'LAST_QUARTER':
    case 'LAST_FISCAL_QUARTER':
      return months(now, -1, 1, 3);
    case 'THIS_QUARTER':
    case 'THIS_FISCAL_QUARTER':
      return months(now, 0, 1, 3);
    case 'NEXT_QUARTER':
    case 'NEXT_FISCAL_QUARTER':
      return months(now, 1, 1, 3);
    case 'LAST_YEAR':
    case 'LAST_FISCAL_YEAR':
      return months(now, -1, 1, 12);
    case 'THIS_YEAR':
    case 'THIS_FISCAL_YEAR':
      return months(now, 0, 1, 12);
    case 'NEXT_YEAR':
    case 'NEXT_FISCAL_YEAR':
      return months(now, 1, 1, 12);
    case 'LAST_N_DAYS':
      return { start: today - n * DAY, end: today + DAY };
    case 'NEXT_N_DAYS':
      return { start: today + DAY, end: today + (n + 1) * DAY };
    case 'N_DAYS_AGO':
      return { start: today - n * DAY, end: today - (n - 1) * DAY };
    case 'LAST_N_WEEKS':
      return { start: week - n * 7 * DAY, end: week };
    case 'NEXT_N_WEEKS':
      return { start: week + 7 * DAY, end: week + (n + 1) * 7 * DAY };
    case 'N_WEEKS_AGO':
      return { start: week - n * 7 * DAY, end: week - (n - 1) * 7 * DAY };
    case 'LAST_N_MONTHS':
      return months(now, -n, n, 1);
    case 'NEXT_N_MONTHS':
      return months(now, 1, n, 1);
    case 'N_MONTHS_AGO':
      return months(now, -n, 1, 1);
    case 'LAST_N_QUARTERS':
    case 'LAST_N_FISCAL_QUARTERS':
      return months(now, -n, n, 3);
    case 'NEXT_N_QUARTERS':
    case 'NEXT_N_FISCAL_QUARTERS':
      return months(now, 1, n, 3);
    case 'N_QUARTERS_AGO':
    case 'N_FISCAL_QUARTERS_AGO':
      return months(now, -n, 1, 3);
    case 'LAST_N_YEARS':
    case 'LAST_N_FISCAL_YEARS':
      return months(now, -n, n, 12);
    case 'NEXT_N_YEARS':
    case 'NEXT_N_FISCAL_YEARS':
      return months(now, 1, n, 12);
    case 'N_YEARS_AGO':
    case 'N_FISCAL_YEARS_AGO':
      return months(now, -n, 1, 12);
    default:
      throw malformed(`unexpected token: '${literal}'`);
  }
}

/** Milliseconds at UTC midnight for a `YYYY-MM-DD` date. */
export function dateMs(value: string): number {
  return Date.parse(`${value}T00:00:00Z`);
}
