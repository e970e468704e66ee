/**
 * Salesforce Ids arrive as 15 (case-sensitive) or 18 (case-safe) characters. leadshift compares and
 * writes them as 18: the 3-character suffix encodes the case of the first 15.
 */

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const ID_SHAPE = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

function caseSuffix(id15: string): string {
  let suffix = '';
  for (let block = 0; block < 3; block++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const code = id15.charCodeAt(block * 5 + i);
      if (code >= 65 && code <= 90) bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET[bits];
  }
  return suffix;
}

export function isSalesforceId(value: string): boolean {
  if (!ID_SHAPE.test(value)) return false;
  return toId18(value) !== undefined;
}

/** The 18-character form of a 15- or 18-character Id, or undefined when `value` is not an Id. */
export function toId18(value: string): string | undefined {
  if (!ID_SHAPE.test(value)) return undefined;
  if (value.length === 15) return value + caseSuffix(value);
  const id15 = value.slice(0, 15);
  const suffix = value.slice(15).toUpperCase();
  if (caseSuffix(id15) === suffix) return id15 + suffix;
  // A spreadsheet that upper- or lower-cased the whole Id lost the case of the first 15 characters, but
  // the suffix still records it. A mixed-case Id that disagrees with its suffix is a different Id or a typo.
  if (id15 !== id15.toUpperCase() && id15 !== id15.toLowerCase()) return undefined;
  const restored = restoreCase(id15, suffix);
  return restored && caseSuffix(restored) === suffix ? restored + suffix : undefined;
}

function restoreCase(id15: string, suffix: string): string | undefined {
  let restored = '';
  for (let block = 0; block < 3; block++) {
    const bits = SUFFIX_ALPHABET.indexOf(suffix[block] ?? '');
    if (bits < 0) return undefined;
    for (let i = 0; i < 5; i++) {
      const char = id15[block * 5 + i] ?? '';
      restored += bits & (1 << i) ? char.toUpperCase() : char.toLowerCase();
    }
  }
  return restored;
}

/** Three-character key prefix: 005 User, 00G Group (queue), 00Q Lead, 003 Contact, 001 Account. */
export function keyPrefix(id: string): string {
  return id.slice(0, 3);
}

export const GROUP_PREFIX = '00G';
