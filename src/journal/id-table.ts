/**
 * A table from Salesforce Ids to small numbers, for the sets an apply keeps per planned record (which
 * records results.csv has, which owner a current export gives each). A Map of strings costs about 100
 * bytes an entry; here an Id is its first 15 characters packed six bits each into three 32-bit words,
 * kept in typed arrays with open addressing: 16 bytes or less an entry, whatever the number of records.
 *
 * The first 15 characters decide an Id (the 18-character form only adds a suffix computed from them), so
 * a 15- and an 18-character spelling of one record land on the same key. Callers pass Ids already checked
 * by `toId18`; anything else of another shape is kept in a small Map on the side.
 */

const WORDS = 3;
const CHARS_PER_WORD = 5;
const MAX_LOAD = 0.8;
const MIN_CAPACITY = 1024;

/** Base-62 digit of each ASCII code; -1 for anything that cannot be in an Id. */
const DIGIT = new Int8Array(128).fill(-1);
for (let c = 0; c < 10; c++) DIGIT[48 + c] = c;
for (let c = 0; c < 26; c++) {
  DIGIT[65 + c] = 10 + c;
  DIGIT[97 + c] = 36 + c;
}

export type ValueWidth = 8 | 32;

export class IdTable {
  private keys: Uint32Array;
  /** 0 marks an empty slot, so stored values are kept one higher than given. */
  private values: Uint8Array | Uint32Array;
  private capacity: number;
  private count = 0;
  private readonly odd = new Map<string, number>();
  private readonly key = new Uint32Array(WORDS);

  /** `expected` entries fit without growing; `width` bits hold each value (8: 0..254, 32: 0..2^32-2). */
  constructor(
    expected: number,
    private readonly width: ValueWidth = 8,
  ) {
    this.capacity = Math.max(MIN_CAPACITY, Math.ceil(expected / MAX_LOAD));
    this.keys = new Uint32Array(this.capacity * WORDS);
    this.values = this.newValues(this.capacity);
  }

  get size(): number {
    return this.count + this.odd.size;
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  get(id: string): number | undefined {
    if (!this.pack(id)) return this.odd.get(id);
    const slot = this.find();
    const stored = this.values[slot] as number;
    return stored === 0 ? undefined : stored - 1;
  }

  set(id: string, value: number): void {
    if (!this.pack(id)) {
      this.odd.set(id, value);
      return;
    }
    let slot = this.find();
    if (this.values[slot] === 0) {
      if (this.count + 1 > this.capacity * MAX_LOAD) {
        this.grow();
        slot = this.find();
      }
      this.keys.set(this.key, slot * WORDS);
      this.count++;
    }
    this.values[slot] = value + 1;
  }

  /** Every stored value, once per Id. */
  *storedValues(): IterableIterator<number> {
    for (let slot = 0; slot < this.capacity; slot++) {
      const stored = this.values[slot] as number;
      if (stored !== 0) yield stored - 1;
    }
    yield* this.odd.values();
  }

  private newValues(capacity: number): Uint8Array | Uint32Array {
    return this.width === 8 ? new Uint8Array(capacity) : new Uint32Array(capacity);
  }

  /** Packs the first 15 characters of `id` into `this.key`; false when `id` is not shaped like an Id. */
  private pack(id: string): boolean {
    if (id.length !== 15 && id.length !== 18) return false;
    for (let word = 0; word < WORDS; word++) {
      let bits = 0;
      for (let i = 0; i < CHARS_PER_WORD; i++) {
        const code = id.charCodeAt(word * CHARS_PER_WORD + i);
        const digit = code < 128 ? (DIGIT[code] as number) : -1;
        if (digit < 0) return false;
        bits = bits * 64 + digit;
      }
      this.key[word] = bits;
    }
    return true;
  }

  /** The slot holding `this.key`, or the empty slot where it would go (linear probing). */
  private find(): number {
    const key = this.key;
    const a = key[0] as number;
    const b = key[1] as number;
    const c = key[2] as number;
    let hash = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b);
    hash = Math.imul(hash ^ b ^ (hash >>> 13), 0xc2b2ae35);
    hash = Math.imul(hash ^ c ^ (hash >>> 16), 0x27d4eb2f);
    hash ^= hash >>> 15;
    let slot = (hash >>> 0) % this.capacity;
    const keys = this.keys;
    for (;;) {
      if (this.values[slot] === 0) return slot;
      const at = slot * WORDS;
      if (keys[at] === a && keys[at + 1] === b && keys[at + 2] === c) return slot;
      slot = slot + 1 === this.capacity ? 0 : slot + 1;
    }
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    const oldCapacity = this.capacity;
    this.capacity = oldCapacity * 2;
    this.keys = new Uint32Array(this.capacity * WORDS);
    this.values = this.newValues(this.capacity);
    for (let slot = 0; slot < oldCapacity; slot++) {
      const stored = oldValues[slot] as number;
      if (stored === 0) continue;
      this.key.set(oldKeys.subarray(slot * WORDS, slot * WORDS + WORDS));
      const target = this.find();
      this.keys.set(this.key, target * WORDS);
      this.values[target] = stored;
    }
  }
}
