/** The test org reads NOT, AND, OR and parentheses as SOQL's grammar does, at any depth. */
import { describe, expect, it } from 'vitest';
import { SfError } from '../org/errors.js';
import { runQuery } from '../org/soql.js';
import { Store } from '../org/store.js';

const NOW = Date.parse('2024-05-15T12:00:00Z');

function org() {
  const store = new Store(() => new Date(NOW));
  const [de, fr, it] = store.insert('Lead', [
    { LastName: 'a', Country: 'DE', Company: 'x' },
    { LastName: 'b', Country: 'FR', Company: 'y' },
    { LastName: 'c', Country: 'IT', Company: 'x' },
  ]);
  return { store, de, fr, it };
}

const ids = (store: Store, where: string) =>
  runQuery(store, `SELECT Id FROM Lead WHERE ${where} ORDER BY LastName`, { now: NOW }).rows.map((r) => r.Id);

describe('test org WHERE structure', () => {
  const { store, de, fr, it: itl } = org();
  it.each([
    ["NOT (NOT (NOT (Country = 'DE')))", [fr, itl]],
    ["NOT (NOT (NOT (NOT (Country = 'DE'))))", [de]],
    ["NOT (Company = 'x' AND NOT Country = 'DE')", [de, fr]],
    ["(NOT (NOT (Country = 'DE'))) AND (Company = 'x')", [de]],
    ["Company = 'x' AND NOT (Country = 'IT' OR NOT (Country = 'IT'))", []],
    ["NOT Country = 'DE' AND NOT Country = 'FR'", [itl]],
    ["Country IN ('DE', 'FR') AND NOT (Id IN (SELECT Id FROM Lead WHERE Country = 'FR'))", [de]],
  ])('%s', (where, expected) => {
    expect(ids(store, where)).toEqual(expected);
  });
  it.each([
    "Country = 'DE' AND Company = 'x' OR Country = 'FR'",
    "NOT (Country = 'DE'",
    "Country = 'DE')",
    'NOT',
    "Country = 'DE' AND",
  ])('rejects %s', (where) => {
    expect(() => ids(store, where)).toThrow(SfError);
  });
});
