import { describe, expect, it } from 'vitest';
import { isSalesforceId, keyPrefix, toId18 } from '../../src/ids.js';

// Each suffix letter encodes which of five characters are upper-case (bit i for position i), in A-Z0-5.
const VECTORS: Array<[id15: string, id18: string, why: string]> = [
  ['001A0000006Vm9r', '001A0000006Vm9rIAC', 'a real Account Id'],
  ['00Q000000000000', '00Q000000000000EAA', 'Q is position 2 of the first block: bit 4 → E'],
  ['aaaaaaaaaaaaaaa', 'aaaaaaaaaaaaaaaAAA', 'no capitals: all bits clear → A'],
  ['AAAAAAAAAAAAAAA', 'AAAAAAAAAAAAAAA555', 'all capitals: 31 → 5'],
  ['0000A0000B0000C', '0000A0000B0000CQQQ', 'last position of each block: 16 → Q'],
  ['A0000B0000C0000', 'A0000B0000C0000BBB', 'first position of each block: 1 → B'],
  ['00000000000000Z', '00000000000000ZAAQ', 'only the third block has a capital'],
  ['a0B5e00000XyZAb', 'a0B5e00000XyZAbEAN', 'X, Z and A at 0, 2, 3: 1 + 4 + 8 = 13 → N'],
  ['0055e000001ABCD', '0055e000001ABCDAA4', 'A B C D at positions 1..4 of the third block: 30 → 4'],
];

describe('toId18', () => {
  it.each(VECTORS)('%s → %s (%s)', (id15, id18) => {
    expect(toId18(id15)).toBe(id18);
  });

  it.each(VECTORS)('an 18-character Id %s stays itself', (_id15, id18) => {
    expect(toId18(id18)).toBe(id18);
  });

  it.each(VECTORS)('a lower-cased suffix is accepted and upper-cased (%s)', (_id15, id18) => {
    expect(toId18(id18.slice(0, 15) + id18.slice(15).toLowerCase())).toBe(id18);
  });

  it.each(VECTORS)(
    'an Id a spreadsheet upper- or lower-cased whole is restored from its suffix (%s)',
    (_id15, id18) => {
      expect(toId18(id18.toUpperCase())).toBe(id18);
      expect(toId18(id18.toLowerCase())).toBe(id18);
    },
  );

  it('distinguishes Ids that differ only in case', () => {
    expect(toId18('001A0000006Vm9r')).not.toBe(toId18('001a0000006Vm9r'));
  });

  it.each([
    ['', 'empty'],
    ['001A0000006Vm9', '14 characters'],
    ['001A0000006Vm9rI', '16 characters'],
    ['001A0000006Vm9rIA', '17 characters'],
    ['001A0000006Vm9rIACX', '19 characters'],
    ['001A0000006Vm9-', 'a punctuation character'],
    ['001A0000006Vm9 ', 'a trailing space'],
    ['001A0000006Vm9rAAA', 'a suffix that does not match the case of the first 15'],
    ['001a0000006Vm9rIAC', 'an 18-character Id whose body is partly lower-cased'],
    ['001A0000006VM9RIAD', 'an upper-cased Id whose suffix marks a digit as a capital'],
    ['ana@acme.com', 'an email'],
  ])('%j is not an Id (%s)', (value) => {
    expect(toId18(value)).toBeUndefined();
    expect(isSalesforceId(value)).toBe(false);
  });

  it('isSalesforceId accepts both lengths', () => {
    expect(isSalesforceId('001A0000006Vm9r')).toBe(true);
    expect(isSalesforceId('001A0000006Vm9rIAC')).toBe(true);
    expect(isSalesforceId('001A0000006Vm9riac')).toBe(true);
  });

  it('keyPrefix is the first three characters', () => {
    expect(keyPrefix('00Q000000000000EAA')).toBe('00Q');
  });
});
