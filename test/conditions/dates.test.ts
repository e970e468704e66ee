import { describe, expect, it } from 'vitest';
import { evaluateCondition, parseCondition } from '../../src/conditions/index.js';
import type { FieldValue } from '../../src/model.js';

// A Wednesday; its week (Sunday start) runs 2024-05-12 to 2024-05-18.
const now = new Date('2024-05-15T12:00:00Z');

function check(text: string, x: FieldValue, at: Date = now): boolean {
  return evaluateCondition(parseCondition(text, { key: 'test' }), { x }, { now: at });
}

function shift(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

// [literal, first day in range, last day in range]
const ranges: Array<[string, string, string]> = [
  ['TODAY', '2024-05-15', '2024-05-15'],
  ['YESTERDAY', '2024-05-14', '2024-05-14'],
  ['TOMORROW', '2024-05-16', '2024-05-16'],
  ['THIS_WEEK', '2024-05-12', '2024-05-18'],
  ['LAST_WEEK', '2024-05-05', '2024-05-11'],
  ['NEXT_WEEK', '2024-05-19', '2024-05-25'],
  ['THIS_MONTH', '2024-05-01', '2024-05-31'],
  ['LAST_MONTH', '2024-04-01', '2024-04-30'],
  ['NEXT_MONTH', '2024-06-01', '2024-06-30'],
  ['LAST_90_DAYS', '2024-02-15', '2024-05-15'],
  ['NEXT_90_DAYS', '2024-05-16', '2024-08-13'],
  ['THIS_QUARTER', '2024-04-01', '2024-06-30'],
  ['LAST_QUARTER', '2024-01-01', '2024-03-31'],
  ['NEXT_QUARTER', '2024-07-01', '2024-09-30'],
  ['THIS_YEAR', '2024-01-01', '2024-12-31'],
  ['LAST_YEAR', '2023-01-01', '2023-12-31'],
  ['NEXT_YEAR', '2025-01-01', '2025-12-31'],
  ['LAST_N_DAYS:7', '2024-05-08', '2024-05-15'],
  ['LAST_N_DAYS:0', '2024-05-15', '2024-05-15'],
  ['NEXT_N_DAYS:7', '2024-05-16', '2024-05-22'],
  ['N_DAYS_AGO:3', '2024-05-12', '2024-05-12'],
  ['LAST_N_WEEKS:2', '2024-04-28', '2024-05-11'],
  ['NEXT_N_WEEKS:2', '2024-05-19', '2024-06-01'],
  ['N_WEEKS_AGO:2', '2024-04-28', '2024-05-04'],
  ['LAST_N_MONTHS:2', '2024-03-01', '2024-04-30'],
  ['NEXT_N_MONTHS:2', '2024-06-01', '2024-07-31'],
  ['N_MONTHS_AGO:2', '2024-03-01', '2024-03-31'],
  ['LAST_N_QUARTERS:2', '2023-10-01', '2024-03-31'],
  ['NEXT_N_QUARTERS:2', '2024-07-01', '2024-12-31'],
  ['N_QUARTERS_AGO:1', '2024-01-01', '2024-03-31'],
  ['LAST_N_YEARS:2', '2022-01-01', '2023-12-31'],
  ['NEXT_N_YEARS:1', '2025-01-01', '2025-12-31'],
  ['N_YEARS_AGO:2', '2022-01-01', '2022-12-31'],
];

describe.each(ranges)('%s at 2024-05-15T12:00Z covers %s to %s', (literal, first, last) => {
  const before = shift(first, -1);
  const after = shift(last, 1);

  it('= holds within the range only', () => {
    expect([before, first, last, after].map((d) => check(`x = ${literal}`, d))).toEqual([
      false,
      true,
      true,
      false,
    ]);
  });
  it('!= is the opposite of =', () => {
    expect([before, first, last, after].map((d) => check(`x != ${literal}`, d))).toEqual([
      true,
      false,
      false,
      true,
    ]);
  });
  it('< means before the range starts, <= before it ends', () => {
    expect([before, first].map((d) => check(`x < ${literal}`, d))).toEqual([true, false]);
    expect([last, after].map((d) => check(`x <= ${literal}`, d))).toEqual([true, false]);
  });
  it('> means after the range ends, >= after it starts', () => {
    expect([last, after].map((d) => check(`x > ${literal}`, d))).toEqual([false, true]);
    expect([before, first].map((d) => check(`x >= ${literal}`, d))).toEqual([false, true]);
  });
  it('applies to datetimes by their UTC day', () => {
    expect(check(`x = ${literal}`, `${first}T00:00:00Z`)).toBe(true);
    expect(check(`x = ${literal}`, `${last}T23:59:59.999+0000`)).toBe(true);
    expect(check(`x = ${literal}`, `${after}T00:00:00Z`)).toBe(false);
  });
});

describe('date literal edges', () => {
  it('counts days in UTC, not local time', () => {
    expect(check('x = TODAY', '2024-05-15T23:30:00-01:00')).toBe(false);
    expect(check('x = TOMORROW', '2024-05-15T23:30:00-01:00')).toBe(true);
    expect(check('x = TODAY', '2024-05-15T00:30:00+01:00')).toBe(false);
  });

  it('starts weeks on Sunday', () => {
    const sunday = new Date('2024-05-12T00:00:00Z');
    const saturday = new Date('2024-05-18T23:59:59Z');
    expect(check('x = THIS_WEEK', '2024-05-12', sunday)).toBe(true);
    expect(check('x = THIS_WEEK', '2024-05-11', sunday)).toBe(false);
    expect(check('x = THIS_WEEK', '2024-05-12', saturday)).toBe(true);
    expect(check('x = NEXT_WEEK', '2024-05-19', saturday)).toBe(true);
  });

  it('crosses year boundaries', () => {
    const january = new Date('2024-01-10T08:00:00Z');
    expect(check('x = LAST_MONTH', '2023-12-31', january)).toBe(true);
    expect(check('x = LAST_QUARTER', '2023-10-01', january)).toBe(true);
    expect(check('x = N_MONTHS_AGO:13', '2022-12-15', january)).toBe(true);
    expect(check('x = LAST_N_DAYS:10', '2023-12-31', january)).toBe(true);
  });

  it('selects records not modified in the last 30 days', () => {
    const condition = 'x < LAST_N_DAYS:30';
    expect(check(condition, '2024-04-14T23:59:59Z')).toBe(true);
    expect(check(condition, '2024-04-15T00:00:00Z')).toBe(false);
    expect(check(condition, '2024-05-15T11:00:00Z')).toBe(false);
  });

  it('accepts date literals in IN lists', () => {
    expect(check('x IN (YESTERDAY, TOMORROW)', '2024-05-16')).toBe(true);
    expect(check('x IN (YESTERDAY, TOMORROW)', '2024-05-15')).toBe(false);
    expect(check('x NOT IN (TODAY)', '2024-05-14')).toBe(true);
  });

  it('refuses text that is not a date rather than call it a mismatch', () => {
    expect(() => check('x = TODAY', 'today')).toThrow(/"today" is not a date/);
    expect(() => check('x != TODAY', 'today')).toThrow(/"today" is not a date/);
    expect(() => check('x < TODAY', 5)).toThrow(/"5" is not a date/);
  });
});
