import { describe, expect, it } from 'vitest';
import { parseCondition } from '../../src/conditions/index.js';
import { InputError } from '../../src/errors.js';

const place = { file: 'jobs/daily.yml', line: 4, key: 'select.where' };

function errorFor(text: string): InputError {
  try {
    parseCondition(text, place);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error(`expected "${text}" to be rejected`);
}

describe('parseCondition rejects malformed conditions', () => {
  // [condition, what the message must say (token and column)]
  const cases: Array<[string, string]> = [
    ["Country => 'DE'", 'unknown operator "=>" at column 9'],
    ["Country == 'DE'", 'unknown operator "==" at column 9'],
    ['a = 1 AND b = 2 OR c = 3', '"OR" follows "AND" without parentheses at column 17'],
    ['a = 1 OR b = 2 AND c = 3', '"AND" follows "OR" without parentheses at column 16'],
    ['a = 1 LIMIT 5', 'only a condition is allowed, found "LIMIT" at column 7'],
    ['a = 1 ORDER BY a', 'found "ORDER" at column 7'],
    ['a = 1 GROUP BY a', 'found "GROUP" at column 7'],
    ['a = 1 WITH SECURITY_ENFORCED', 'found "WITH" at column 7'],
    ['a = 1; DELETE', 'unexpected ";" at column 6'],
    ['Id IN (SELECT Id FROM Lead)', 'a subquery is not supported at column 1'],
    ["a = 'x", 'text is not closed at column 5'],
    ['a = "x"', 'double quotes are not SOQL at column 5'],
    ['a = 1 AND', 'the condition stops after "AND" at column 10'],
    ['(a = 1', 'a ")" is missing at column 7'],
    ['a = 1 )', 'unexpected ")" at column 7'],
    ['Country = DE', 'unquoted value "DE" at column 11'],
    ["a NOT LIKE 'x%'", 'NOT LIKE is not SOQL at column 3'],
    ['CloseDate = 2024-13-45', 'date 2024-13-45 does not exist at column 13'],
    ['CloseDate = 2024-02-30', 'date 2024-02-30 does not exist'],
    ['CreatedDate > N_DAYS_AGO:-1', 'N_DAYS_AGO:-1 needs a whole number'],
    ['CloseDate = THIS_FISCAL_YEAR', 'fiscal date literal THIS_FISCAL_YEAR is not supported at column 13'],
    ['AnnualRevenue > USD100', 'currency amount "USD100" is not supported at column 17'],
    ["a IN 'x'", 'IN needs a list of values at column 1'],
    ['a = 1 b = 2', 'missing AND or OR before "b" at column 7'],
    ['IsActive < TRUE', '"<" cannot compare with TRUE at column 10'],
    ['Name > null', '">" cannot compare with null'],
    ['Name LIKE 5', 'LIKE needs text in quotes at column 6'],
    ['CALENDAR_YEAR(CreatedDate) = 2024', 'CALENDAR_YEAR() is not supported at column 1'],
    ["a = 'x\\q'", 'unknown escape "\\q"'],
    ['', 'the condition is empty'],
    ['= 1', 'unexpected "=" at column 1'],
  ];

  it.each(cases)('%s', (text, expected) => {
    const error = errorFor(text);
    expect(error.message).toContain(expected);
    expect(error.message).toContain(`in "${text}"`);
    expect(error.message.startsWith('jobs/daily.yml, line 4, key select.where: ')).toBe(true);
    const [problem] = error.problems;
    expect(problem).toMatchObject({ file: 'jobs/daily.yml', line: 4, key: 'select.where' });
    expect(problem?.hint).toMatch(/\.$/);
  });

  it('matches the example condition', () => {
    expect(errorFor("Country => 'DE'").message).toBe(
      'jobs/daily.yml, line 4, key select.where: unknown operator "=>" at column 9 in "Country => \'DE\'". ' +
        "Use = != < <= > >= LIKE IN NOT IN INCLUDES or EXCLUDES, e.g. Country = 'DE'.",
    );
  });

  it('points at the right occurrence when a token repeats', () => {
    expect(errorFor("a = 'x' AND b = 'y' AND AND c = 1").message).toContain('unexpected "AND" at column 25');
  });
});

describe('parseCondition accepts conditions', () => {
  it('lists the lower-cased fields in order of first use', () => {
    const condition = parseCondition(
      "Owner.IsActive = false AND (Country IN ('DE','AT') OR country = null) AND NumberOfEmployees >= 500",
      place,
    );
    expect(condition.fields).toEqual(['owner.isactive', 'country', 'numberofemployees']);
  });

  it.each([
    'a = 1 AND b = 2 AND c = 3',
    'a = 1 OR b = 2 OR c = 3',
    '(a = 1 AND b = 2) OR c = 3',
    'a = 1 AND (b = 2 OR c = 3)',
    'NOT a = 1 AND b = 2',
    'NOT (a = 1 OR b = 2)',
    "Name LIKE 'Acme%' AND Interests__c INCLUDES ('Golf;Tennis', 'Chess')",
    'CreatedDate < LAST_N_DAYS:30 AND CloseDate = THIS_QUARTER',
    'a = 1\nAND b = 2',
  ])('%s', (text) => {
    expect(() => parseCondition(text, place)).not.toThrow();
  });
});
