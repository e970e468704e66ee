import { isQueryValid } from '@jetstreamapp/soql-parser-js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  andConditions,
  conditionToSoql,
  evaluateCondition,
  parseCondition,
} from '../../src/conditions/index.js';
import { UnreadableValue } from '../../src/conditions/types.js';
import type { FieldValue } from '../../src/model.js';

const place = { key: 'test' };
const soqlOf = (text: string) => conditionToSoql(parseCondition(text, place));

describe('conditionToSoql', () => {
  it.each([
    ["Country = 'DE'", "(Country = 'DE')"],
    ['a <> 5', '(a != 5)'],
    ['a = +.5', '(a = 0.5)'],
    ['a = true AND b = null', '(a = TRUE AND b = null)'],
    ['NOT a = 1 AND b = 2', '((NOT a = 1) AND b = 2)'],
    ['(((a = 1)))', '(a = 1)'],
    ['(a = 1 OR b = 2) AND c = 3', '((a = 1 OR b = 2) AND c = 3)'],
    ['NOT (a = 1 OR b = 2)', '(NOT (a = 1 OR b = 2))'],
    ['NOT (NOT (a = 1))', '(a = 1)'],
    ['NOT (NOT a = 1 AND b = 2)', '(NOT ((NOT a = 1) AND b = 2))'],
    ["x IN ('a','b')", "(x IN ('a', 'b'))"],
    ["x = 'it\\'s \\\\ \\n \\t'", "(x = 'it\\'s \\\\ \\n \\t')"],
    ["x = 'a\\%b'", "(x = 'a%b')"],
    ["x LIKE 'a\\%b_%'", "(x LIKE 'a\\%b_%')"],
    ['d < last_n_days:30', '(d < LAST_N_DAYS:30)'],
    ['d = 2024-01-31T10:00:00+01:00', '(d = 2024-01-31T10:00:00+01:00)'],
    [
      "Owner.IsActive = false AND Tags__c INCLUDES ('a;b')",
      "(Owner.IsActive = FALSE AND Tags__c INCLUDES ('a;b'))",
    ],
  ])('%s → %s', (text, soql) => {
    expect(soqlOf(text)).toBe(soql);
  });

  it('is accepted by the SOQL parser inside a query', () => {
    const soql = soqlOf("NOT (a = 'x' OR b LIKE '%y\\_') AND c >= LAST_N_MONTHS:3");
    expect(isQueryValid(`SELECT Id FROM Lead WHERE IsConverted = false AND ${soql}`)).toBe(true);
  });

  it('joins conditions with andConditions', () => {
    const both = andConditions(parseCondition('a = 1 OR b = 1', place), parseCondition('c = 1', place));
    expect(both && conditionToSoql(both)).toBe('((a = 1 OR b = 1) AND c = 1)');
    expect(both?.fields).toEqual(['a', 'b', 'c']);
    expect(andConditions()).toBeUndefined();
  });
});

// Generators that write SOQL text directly, independently of the module's own writer.
// A raw U+2028 or U+2029 inside quotes is refused by the condition reader (it ends a line for it), so the
// test writes them as \u escapes, as a user would have to.
const quote = (text: string) =>
  `'${text
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\n/g, '\\n')
    .replace(/\t/g, '\\t')
    .replace(/[\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16)}`)}'`;
const texts = ['DE', 'de', 'Acme', 'a%b', "it's", 'x\\y', '5', 'true', '2024-01-31', ''];
const literals: Record<string, fc.Arbitrary<string>> = {
  text: fc.oneof(fc.constantFrom(...texts), fc.string({ maxLength: 6 })).map(quote),
  number: fc.oneof(fc.integer({ min: -3, max: 10 }), fc.constantFrom(2.5, -0.75)).map(String),
  boolean: fc.constantFrom('TRUE', 'false'),
  date: fc.constantFrom('2024-01-31', '2024-05-15', '2023-12-31'),
  datetime: fc.constantFrom('2024-01-31T10:00:00Z', '2024-05-15T23:30:00-01:00', '2024-05-15T00:00:00+02:00'),
  relative: fc.constantFrom('TODAY', 'THIS_WEEK', 'LAST_N_DAYS:30', 'NEXT_N_MONTHS:2', 'LAST_QUARTER'),
};
// A field has one type, so each field is compared with the literals of its type only.
const FIELDS: Record<string, string[]> = {
  a: ['text'],
  B: ['number'],
  'Owner.IsActive': ['boolean'],
  c__c: ['date', 'relative'],
  d__c: ['datetime', 'relative'],
};
const fieldNames = Object.keys(FIELDS);
const scalarOps = ['=', '!=', '<>', '<', '<=', '>', '>='];
const literalOf = (field: string) =>
  fc.constantFrom(...(FIELDS[field] as string[])).chain((kind) => literals[kind] as fc.Arbitrary<string>);

const comparison: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.constantFrom(...fieldNames), fc.constantFrom(...scalarOps)).chain(([field, op]) => {
    const safeOp = field === 'Owner.IsActive' && !['=', '!='].includes(op) ? '=' : op;
    return literalOf(field).map((value) => `${field} ${safeOp} ${value}`);
  }),
  fc.constantFrom(...fieldNames).map((field) => `${field} = null`),
  fc.constantFrom(...fieldNames).map((field) => `${field} != null`),
  fc
    .tuple(fc.constantFrom(...fieldNames), fc.constantFrom('IN', 'NOT IN'))
    .chain(([field, op]) =>
      fc
        .array(literalOf(field), { minLength: 1, maxLength: 3 })
        .map((values) => `${field} ${op} (${values.join(', ')})`),
    ),
  fc.stringMatching(/^[a-z%_]{0,4}(\\[%_])?[a-z%_]{0,3}$/).map((pattern) => `a LIKE '${pattern}'`),
  fc
    .tuple(fc.constantFrom('INCLUDES', 'EXCLUDES'), fc.constantFrom("'a'", "'a;b'", "'c'"))
    .map(([op, value]) => `a ${op} (${value})`),
);

const { condition } = fc.letrec<{ condition: string }>((tie) => ({
  condition: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    comparison,
    tie('condition').map((inner) => `NOT (${inner})`),
    comparison.map((inner) => `NOT ${inner}`),
    fc
      .tuple(fc.constantFrom(' AND ', ' OR '), fc.array(tie('condition'), { minLength: 2, maxLength: 3 }))
      .map(([joiner, items]) => items.map((item) => `(${item})`).join(joiner)),
  ),
}));

// Mostly values of each field's type, and now and then one that cannot be read as it.
const oddValue = fc.constantFrom<FieldValue>('n/a', 'yes', '3/14/2026');
const typedValue = (...values: FieldValue[]) =>
  fc.oneof(fc.constant(null), fc.constantFrom(...values), oddValue);
const row = fc.record({
  a: fc.oneof(typedValue(...texts, 'a;b', 'A'), fc.string({ maxLength: 4 })),
  b: fc.oneof(typedValue('1', '0', '-3', '2.5'), fc.integer({ min: -3, max: 10 })),
  'owner.isactive': fc.oneof(typedValue('true', 'FALSE', '1', '0'), fc.boolean()),
  c__c: typedValue('2024-01-31', '2024-05-15', '2023-12-31', '2024-05-14T10:00:00Z'),
  d__c: typedValue(
    '2024-05-14T10:00:00Z',
    '2024-05-15T08:00:00.000+0000',
    '2024-01-31T10:00:00Z',
    '2024-01-31',
  ),
});

/** The evaluation, or 'refused' when a value cannot be read as its field's type. */
function outcome(run: () => boolean): boolean | 'refused' {
  try {
    return run();
  } catch (error) {
    if (error instanceof UnreadableValue) return 'refused';
    throw error;
  }
}
const now = fc.date({
  min: new Date('2023-06-01T00:00:00Z'),
  max: new Date('2025-06-01T00:00:00Z'),
  noInvalidDate: true,
});

describe('round trip', () => {
  it('parseCondition(conditionToSoql(c)) evaluates like c on random rows', () => {
    fc.assert(
      fc.property(condition, fc.array(row, { minLength: 1, maxLength: 5 }), now, (text, rows, at) => {
        const original = parseCondition(text, place);
        const soql = conditionToSoql(original);
        const again = parseCondition(soql, place);
        expect(conditionToSoql(again)).toBe(soql);
        expect(again.fields).toEqual(original.fields);
        for (const fields of rows) {
          const context = { now: at };
          expect(outcome(() => evaluateCondition(again, fields, context))).toBe(
            outcome(() => evaluateCondition(original, fields, context)),
          );
        }
      }),
      { numRuns: 400 },
    );
  });

  it('reads NOT, AND and OR the way the generator wrote them', () => {
    fc.assert(
      fc.property(condition, condition, row, now, (left, right, fields, at) => {
        const context = { now: at };
        const value = (text: string) =>
          outcome(() => evaluateCondition(parseCondition(text, place), fields, context));
        const [l, r] = [value(left), value(right)];
        // Evaluation goes left to right and stops once the answer is known, as a refusal does.
        expect(value(`NOT (${left})`)).toBe(l === 'refused' ? l : !l);
        expect(value(`(${left}) AND (${right})`)).toBe(l === 'refused' || l === false ? l : r);
        expect(value(`(${left}) OR (${right})`)).toBe(l === 'refused' || l === true ? l : r);
      }),
      { numRuns: 200 },
    );
  });

  it('writes SOQL that the parser accepts in a full query', () => {
    fc.assert(
      fc.property(condition, (text) => {
        expect(isQueryValid(`SELECT Id FROM Lead WHERE ${soqlOf(text)} AND IsConverted = false`)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('quotes any text safely', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 12 }), (value) => {
        const soql = conditionToSoql(parseCondition(`x = ${quote(value)}`, place));
        const again = parseCondition(soql, place);
        expect(evaluateCondition(again, { x: value }, { now: new Date() })).toBe(value !== '');
      }),
      { numRuns: 300 },
    );
  });
});
