import { describe, expect, it } from 'vitest';
import { evaluateCondition, parseCondition } from '../../src/conditions/index.js';
import { UnreadableValue } from '../../src/conditions/types.js';
import type { FieldValue } from '../../src/model.js';

const context = { now: new Date('2024-05-15T12:00:00Z') };

function check(text: string, fields: Record<string, FieldValue>): boolean {
  return evaluateCondition(parseCondition(text, { key: 'test' }), fields, context);
}

/** `refused`: the value cannot be read as the field's type, so the run stops rather than guess. */
type Row = [condition: string, value: FieldValue, expected: boolean | 'refused'];

function table(name: string, rows: Row[]): void {
  describe(name, () => {
    it.each(rows)('%s with x = %j → %s', (condition, x, expected) => {
      if (expected === 'refused') expect(() => check(condition, { x })).toThrow(UnreadableValue);
      else expect(check(condition, { x })).toBe(expected);
    });
  });
}

table('numbers (JSON and CSV text)', [
  ['x = 5', 5, true],
  ['x = 5', '5', true],
  ['x = 5', '5.0', true],
  ['x = 5', ' 5 ', true],
  ['x = 5', 6, false],
  ['x != 5', 6, true],
  ['x <> 5', 5, false],
  ['x < 5', 4.5, true],
  ['x < 5', 5, false],
  ['x <= 5', '5', true],
  ['x > 5', '10', true],
  ['x > 5', '9', true],
  ['x >= -1.5', -1.5, true],
  ['x = 12.25', '12.25', true],
  ['x IN (1, 2, 3)', '2', true],
  ['x NOT IN (1, 2, 3)', 4, true],
  ['x NOT IN (1, 2, 3)', '3', false],
  // Text that is not a number is refused, whatever the operator: "does not match" would be a guess.
  ['x = 5', 'five', 'refused'],
  ['x != 5', 'five', 'refused'],
  ['x < 5', 'abc', 'refused'],
  ['x NOT IN (1, 2)', 'n/a', 'refused'],
  ['x = 5', '1,234', 'refused'],
  ['x = 5', true, 'refused'],
]);

table('text (case-insensitive like SOQL)', [
  ["x = 'DE'", 'DE', true],
  ["x = 'DE'", 'de', true],
  ["x = 'DE'", 'DEU', false],
  ["x != 'DE'", 'de', false],
  ["x != 'DE'", 'AT', true],
  ["x < 'b'", 'A', true],
  ["x > 'b'", 'C', true],
  ["x >= 'b'", 'B', true],
  ["x IN ('de', 'at')", 'AT', true],
  ["x NOT IN ('de', 'at')", 'CH', true],
  ["x = 'it\\'s'", "it's", true],
  ["x = 'a\\\\b'", 'a\\b', true],
  ["x = 'line\\nbreak'", 'line\nbreak', true],
  ["x = '5'", 5, true],
  ["x = 'true'", true, true],
]);

table('LIKE', [
  ["x LIKE 'Acme%'", 'ACME Corp', true],
  ["x LIKE 'Acme%'", 'The Acme', false],
  ["x LIKE '%acme%'", 'The ACME Corp', true],
  ["x LIKE 'a_c'", 'abc', true],
  ["x LIKE 'a_c'", 'abbc', false],
  ["x LIKE '100\\%'", '100%', true],
  ["x LIKE '100\\%'", '1000', false],
  ["x LIKE 'a\\_c'", 'abc', false],
  ["x LIKE 'a\\_c'", 'a_c', true],
  ["x LIKE 'a.c'", 'abc', false],
  ["x LIKE '(x)%'", '(x) y', true],
  ["x LIKE '%'", null, false],
  ["NOT x LIKE 'a%'", 'bcd', true],
]);

table('booleans', [
  ['x = TRUE', true, true],
  ['x = true', 'TRUE', true],
  ['x = TRUE', 'true', true],
  ['x = TRUE', '1', true],
  ['x = FALSE', '0', true],
  ['x = FALSE', 'False', true],
  ['x = FALSE', true, false],
  ['x != FALSE', 'true', true],
  ['x = TRUE', 'yes', 'refused'],
  ['x != TRUE', 'yes', 'refused'],
  // A boolean is never null in Salesforce: `= null` reads as `= FALSE`, and an empty cell as FALSE.
  ['x = null AND x != TRUE', 'false', true],
  ['x != null AND x = TRUE', 'true', true],
  ['x = FALSE', '', true],
]);

table('null semantics', [
  ['x = null', null, true],
  ['x = null', '', true],
  ['x = null', 'a', false],
  ['x != null', null, false],
  ['x != null', 'a', true],
  ["x = 'a'", null, false],
  // SOQL is two-valued: an empty field is "not equal" to a value, unlike SQL.
  ["x != 'a'", null, true],
  ["NOT x = 'a'", null, true],
  ['x < 5', null, false],
  ['x >= 5', '', false],
  ["x IN ('a', null)", null, true],
  ["x IN ('a')", null, false],
  ["x NOT IN ('a')", null, true],
  ["x NOT IN ('a', null)", null, false],
  ['x > 2024-01-01', null, false],
  ['x = TODAY', null, false],
]);

table('dates and datetimes', [
  ['x = 2024-01-31', '2024-01-31', true],
  ['x = 2024-01-31', '2024-01-30', false],
  ['x < 2024-01-31', '2024-01-30', true],
  ['x > 2024-01-31', '2024-02-01', true],
  // A datetime compared with a date literal compares its (UTC) day.
  ['x = 2024-01-31', '2024-01-31T23:59:59Z', true],
  ['x = 2024-01-31', '2024-01-31T23:30:00-01:00', false],
  ['x > 2024-01-31T10:00:00Z', '2024-01-31T10:00:01Z', true],
  ['x = 2024-01-31T10:00:00Z', '2024-01-31T10:00:00.000+0000', true],
  ['x = 2024-01-31T10:00:00Z', '2024-01-31 10:00:00', true],
  ['x = 2024-01-31T10:00:00Z', '2024-01-31T11:00:00+01:00', true],
  ['x = 2024-01-31T11:00:00+01:00', '2024-01-31T10:00:00Z', true],
  ['x < 2024-01-31T10:00:00Z', '2024-01-31', true],
  ['x >= 2024-01-31T00:00:00Z', '2024-01-31', true],
  ['x = 2024-01-31', 'not a date', 'refused'],
  ['x = 2024-01-31', '2024-02-30', 'refused'],
  ['x = 2024-01-31', 20240131, 'refused'],
  ['x = 2024-03-14', '3/14/2026', 'refused'],
  ['x = 2024-03-14', '14.03.2026', 'refused'],
  ['x = 2024-03-14', '2024-03-14 10:00', true],
]);

describe('Ids compare by their 18-character form', () => {
  const id18 = '00Q5g0000000001EAA';
  it.each<[string, FieldValue, boolean]>([
    [`Id = '${id18.slice(0, 15)}'`, id18, true],
    [`Id = '${id18}'`, id18.slice(0, 15), true],
    [`Id = '${id18}'`, id18.toUpperCase(), true],
    [`OwnerId IN ('${id18.slice(0, 15)}')`, id18, true],
    [`OwnerId != '${id18.slice(0, 15)}'`, '00Q5g0000000002EAA', true],
    [`Id = '${id18.slice(0, 15)}'`, '00q5g0000000001', false],
  ])('%s with %j → %s', (condition, value, expected) => {
    expect(check(condition, { id: value, ownerid: value })).toBe(expected);
  });
});

table('multi-select picklists', [
  ["x INCLUDES ('Golf')", 'Tennis;golf', true],
  ["x INCLUDES ('Golf;Tennis')", 'Tennis;Golf;Chess', true],
  ["x INCLUDES ('Golf;Tennis')", 'Golf;Chess', false],
  ["x INCLUDES ('Golf', 'Chess')", 'Chess', true],
  ["x EXCLUDES ('Golf')", 'Tennis', true],
  ["x EXCLUDES ('Golf')", 'Golf;Tennis', false],
  ["x INCLUDES ('Golf')", null, false],
  ["x EXCLUDES ('Golf')", null, true],
]);

describe('logic and precedence', () => {
  const rows: Array<[string, Record<string, FieldValue>, boolean]> = [
    ['a = 1 AND b = 1', { a: '1', b: '1' }, true],
    ['a = 1 AND b = 1', { a: '1', b: '2' }, false],
    ['a = 1 OR b = 1', { a: '2', b: '1' }, true],
    ['a = 1 OR b = 1', { a: '2', b: '2' }, false],
    ['NOT a = 1', { a: '2' }, true],
    // NOT binds to the next comparison only.
    ['NOT a = 1 AND b = 1', { a: '2', b: '1' }, true],
    ['NOT a = 1 AND b = 1', { a: '2', b: '2' }, false],
    ['NOT a = 1 OR b = 1', { a: '1', b: '1' }, true],
    ['NOT (a = 1 OR b = 1)', { a: '1', b: '2' }, false],
    ['NOT (a = 1 OR b = 1)', { a: '2', b: '2' }, true],
    ['(a = 1 AND b = 1) OR c = 1', { a: '2', b: '2', c: '1' }, true],
    ['a = 1 AND (b = 1 OR c = 1)', { a: '2', b: '1', c: '1' }, false],
    ['a = 1 AND (b = 1 OR c = 1)', { a: '1', b: '2', c: '1' }, true],
    ['((a = 1))', { a: '1' }, true],
    ['(NOT a = 1) AND b = 1', { a: '2', b: '1' }, true],
    ['NOT NOT a = 1', { a: '1' }, true],
    // The parser's own list drops a NOT in these two; the tree is built from the text's structure instead.
    ['NOT NOT NOT a = 1', { a: '1' }, false],
    ['NOT (NOT (NOT (a = 1)))', { a: '1' }, false],
    ['NOT ((NOT ((NOT (a = 1)) AND b = 1)) AND c = 1)', { a: '2', b: '1', c: '1' }, true],
    ["a IN ('1', '2') AND (NOT b NOT IN (1) OR c INCLUDES ('x'))", { a: '1', b: '1', c: '' }, true],
    ['Owner.IsActive = false', { 'owner.isactive': false }, true],
    ['OWNER.ISACTIVE = false', { 'owner.isactive': 'false' }, true],
    ["Country = 'DE'", {}, false],
    ["Country != 'DE'", {}, true],
  ];
  it.each(rows)('%s on %j → %s', (text, fields, expected) => {
    expect(check(text, fields)).toBe(expected);
  });
});
