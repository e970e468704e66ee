import fc from 'fast-check';
import { expect, it } from 'vitest';
import { toId18 } from '../../src/ids.js';
import { IdTable } from '../../src/journal/id-table.js';
import { ResultStatuses } from '../../src/journal/result-statuses.js';
import type { ResultStatus } from '../../src/model.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const id15 = fc
  .array(fc.constantFrom(...BASE62), { minLength: 15, maxLength: 15 })
  .map((chars) => chars.join(''));

it('holds what a Map would, for Ids that differ only in case, through growth', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(id15, fc.nat(1000)), { maxLength: 3000 }), (entries) => {
      const table = new IdTable(0, 32);
      const map = new Map<string, number>();
      for (const [id, value] of entries) {
        table.set(toId18(id) as string, value);
        map.set(id, value);
      }
      expect(table.size).toBe(map.size);
      for (const [id, value] of map) {
        expect(table.get(id)).toBe(value);
        expect(table.get(toId18(id) as string)).toBe(value);
      }
      expect([...table.storedValues()].sort()).toEqual([...map.values()].sort());
    }),
    { numRuns: 50 },
  );
});

it('tells apart Ids one character or one letter case apart, and misses what was never set', () => {
  const table = new IdTable(4);
  table.set('00Q5e000000000aAAA', 1);
  table.set('00Q5e000000000AAAA', 2);
  expect(table.get('00Q5e000000000aAAA')).toBe(1);
  expect(table.get('00Q5e000000000AAAA')).toBe(2);
  expect(table.get('00Q5e000000000b')).toBeUndefined();
  expect(table.has('00Q5e000000000A')).toBe(true);
  expect(table.size).toBe(2);
});

it('keeps values that are not shaped like Ids on the side, so nothing read is lost', () => {
  const table = new IdTable(0);
  table.set('A', 3);
  table.set('00Q5e000000000-AAA', 4);
  table.set('00Q5e000000000éAAA', 5);
  expect([table.get('A'), table.get('00Q5e000000000-AAA'), table.get('00Q5e000000000éAAA')]).toEqual([
    3, 4, 5,
  ]);
  expect(table.size).toBe(3);
});

it('a table of result statuses answers like the Map it replaces, with the last status winning', () => {
  const statuses = new ResultStatuses(2);
  const all: ResultStatus[] = ['updated', 'failed', 'skipped', 'overridden'];
  for (const [n, status] of all.entries()) statuses.set(toId18(`00Q5e00000000${n}A`) as string, status);
  statuses.set(toId18('00Q5e000000001A') as string, 'updated');
  expect(statuses.size).toBe(4);
  expect(statuses.get(toId18('00Q5e000000001A') as string)).toBe('updated');
  expect(statuses.get('00Q5e000000009A')).toBeUndefined();
  expect([...statuses.values()].sort()).toEqual(['overridden', 'skipped', 'updated', 'updated']);
});
