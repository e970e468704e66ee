/**
 * The Ids of an export seen so far, and the line each was on, for refusing an Id that appears twice.
 * An export may hold millions of records and is scanned on a thread with a small heap, so the Ids are
 * kept as numbers in typed arrays (an open-addressing table) rather than as strings in a Map: the 15
 * case-sensitive characters of an Id are 89 bits, held exactly in three 32-bit words.
 */
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE62.length; i++) DIGIT[BASE62.charCodeAt(i)] = i;

export class SeenIds {
  private words = new Uint32Array(3 * 1024);
  private lines = new Int32Array(1024);
  private size = 0;

  /** Records `id` (18 characters, canonical) on `line`; returns the earlier line when it was seen. */
  add(id: string, line: number): number | undefined {
    const [a, b, c] = [group(id, 0), group(id, 5), group(id, 10)];
    if ((this.size + 1) * 2 > this.lines.length) this.grow();
    const mask = this.lines.length - 1;
    for (let slot = hash(a, b, c) & mask; ; slot = (slot + 1) & mask) {
      const line0 = this.lines[slot] as number;
      if (line0 === 0) {
        this.words.set([a, b, c], slot * 3);
        this.lines[slot] = line;
        this.size++;
        return undefined;
      }
      const at = slot * 3;
      if (this.words[at] === a && this.words[at + 1] === b && this.words[at + 2] === c) return line0;
    }
  }

  private grow(): void {
    const { words, lines } = this;
    this.words = new Uint32Array(words.length * 2);
    this.lines = new Int32Array(lines.length * 2);
    const mask = this.lines.length - 1;
    for (let old = 0; old < lines.length; old++) {
      if (lines[old] === 0) continue;
      const [a, b, c] = [
        words[old * 3] as number,
        words[old * 3 + 1] as number,
        words[old * 3 + 2] as number,
      ];
      let slot = hash(a, b, c) & mask;
      while (this.lines[slot] !== 0) slot = (slot + 1) & mask;
      this.words.set([a, b, c], slot * 3);
      this.lines[slot] = lines[old] as number;
    }
  }
}

/** Five base-62 characters as one number below 62^5 (< 2^32). */
function group(id: string, from: number): number {
  let value = 0;
  for (let i = from; i < from + 5; i++) value = value * 62 + (DIGIT[id.charCodeAt(i)] ?? 0);
  return value;
}

function hash(a: number, b: number, c: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ b ^ (h >>> 13), 0xc2b2ae35);
  h = Math.imul(h ^ c ^ (h >>> 16), 0x27d4eb2f);
  return (h ^ (h >>> 15)) >>> 0;
}
