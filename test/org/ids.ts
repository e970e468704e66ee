// Salesforce Id helpers: key prefixes, case-safe 18-character suffix, validation, generation.

const SUFFIX_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

const KEY_PREFIXES: Record<string, string> = {
  Lead: '00Q',
  Contact: '003',
  Account: '001',
  Opportunity: '006',
  Case: '500',
  Task: '00T',
  Event: '00U',
  User: '005',
  Group: '00G',
  AssignmentRule: '01Q',
  Organization: '00D',
  QueueSobject: '03g',
  Profile: '00e',
  UserRole: '00E',
  PermissionSet: '0PS',
  PermissionSetAssignment: '0Pa',
  // Every field history object shares the 017 prefix in a real org.
  LeadHistory: '017',
  ContactHistory: '017',
  AccountHistory: '017',
  OpportunityFieldHistory: '017',
  CaseHistory: '017',
};

/** The three-character case-safe checksum of a 15-character Id. */
function idSuffix(id15: string): string {
  let out = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charAt(chunk * 5 + i);
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    out += SUFFIX_CHARS.charAt(bits);
  }
  return out;
}

const ID_RE = /^[a-zA-Z0-9]{15}(?:[A-Z0-5]{3})?$/;

/** Is this a syntactically valid 15- or 18-character Id (with a correct checksum when 18)? */
export function isValidId(value: unknown): value is string {
  if (typeof value !== 'string' || !ID_RE.test(value)) return false;
  if (value.length === 18) return idSuffix(value.slice(0, 15)) === value.slice(15);
  return true;
}

/** Normalise a valid Id to 18 characters; returns undefined when it is not a valid Id. */
export function to18(value: unknown): string | undefined {
  if (!isValidId(value)) return undefined;
  return value.length === 18 ? value : value + idSuffix(value);
}

/** Generates unique Ids per key prefix; pod "5g" keeps them looking like real org Ids. */
export class IdFactory {
  private counters = new Map<string, number>();
  private customCount = 0;
  private customPrefixes = new Map<string, string>();

  constructor(private readonly pod = '5g') {}

  prefixFor(object: string): string {
    const known = KEY_PREFIXES[object];
    if (known) return known;
    let p = this.customPrefixes.get(object);
    if (!p) {
      p = `a0${BASE62.charAt(this.customCount++ % 62)}`;
      this.customPrefixes.set(object, p);
    }
    return p;
  }

  /** Maps a key prefix seen on a seeded Id to its object, when the prefix is not known yet. */
  register(object: string, prefix: string): void {
    if (!KEY_PREFIXES[object]) this.customPrefixes.set(object, prefix);
  }

  objectForPrefix(prefix: string): string | undefined {
    for (const [obj, p] of Object.entries(KEY_PREFIXES)) if (p === prefix) return obj;
    for (const [obj, p] of this.customPrefixes) if (p === prefix) return obj;
    return undefined;
  }

  next(prefix: string): string {
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    let body = '';
    let v = n;
    for (let i = 0; i < 10; i++) {
      body = BASE62.charAt(v % 62) + body;
      v = Math.floor(v / 62);
    }
    const id15 = `${prefix}${this.pod}${body}`;
    return id15 + idSuffix(id15);
  }
}
