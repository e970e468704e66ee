import { describe, expect, it } from 'vitest';
import { makeId } from '../../bench/data.js';
import { toId18 } from '../../src/ids.js';
import { SeenIds } from '../../src/sources/seen-ids.js';

describe('SeenIds (duplicate Ids of an export)', () => {
  it('remembers 50,000 Ids across its growth and names the first line of a repeat', () => {
    const seen = new SeenIds();
    for (let n = 1; n <= 50_000; n++) expect(seen.add(makeId('00Q', n), n + 1)).toBeUndefined();
    expect(seen.add(makeId('00Q', 1), 60_000)).toBe(2);
    expect(seen.add(makeId('00Q', 49_999), 60_001)).toBe(50_000);
    expect(seen.add(makeId('003', 1), 60_002)).toBeUndefined();
  });

  it('tells Ids that differ only in case apart (they are different records)', () => {
    const seen = new SeenIds();
    const upper = toId18('001A0000006Vm9r') as string;
    const lower = toId18('001a0000006Vm9r') as string;
    expect(seen.add(upper, 2)).toBeUndefined();
    expect(seen.add(lower, 3)).toBeUndefined();
    expect(seen.add(upper, 4)).toBe(2);
  });
});
