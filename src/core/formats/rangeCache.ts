/**
 * Values read from a word of a line, remembered by the word's text: a repeated `127.0.0.1:8080`, `10.0.0.1.443` or
 * `timer:(timewait,59sec,0)` is read once and the result shared by every record that prints it (results are
 * treated as read-only, as the model's types say). A hit costs a hash of the word and one comparison, without
 * slicing the line; a miss costs one slice and one read, as without a cache.
 *
 * An open-addressing table that starts small (a short block pays for a small table) and doubles while it is less
 * than half full, up to `limit` slots; once there, a new word takes the slot of an old one. A big capture has tens of
 * thousands of endpoints, each repeated on many lines: they all fit.
 */
export class RangeCache<T> {
  private keys: (string | undefined)[];
  private values: (T | undefined)[];
  private used = 0;

  constructor(
    private readonly limit = 1 << 16,
    initial = 32,
  ) {
    this.keys = new Array<string | undefined>(initial).fill(undefined);
    this.values = new Array<T | undefined>(initial).fill(undefined);
  }

  /** The value for line[s, e), read with `read` (from the word's text) the first time. */
  get(line: string, s: number, e: number, read: (text: string) => T | undefined): T | undefined {
    const keys = this.keys;
    const mask = keys.length - 1;
    const n = e - s;
    const h = hashRange(line, s, e);
    let slot = h & mask;
    for (;;) {
      const k = keys[slot];
      if (k === undefined) break;
      if (k.length === n && line.startsWith(k, s)) return this.values[slot];
      slot = (slot + 1) & mask;
    }
    const text = line.slice(s, e);
    const value = read(text);
    if (this.used * 2 < keys.length) {
      keys[slot] = text;
      this.values[slot] = value;
      this.used++;
    } else if (keys.length < this.limit) {
      this.grow();
      this.put(text, value, h);
    } else {
      // Full: the word takes its home slot (the probe chains stay unbroken; the old word is read again if it comes).
      keys[h & mask] = text;
      this.values[h & mask] = value;
    }
    return value;
  }

  private put(text: string, value: T | undefined, h: number): void {
    const keys = this.keys;
    const mask = keys.length - 1;
    let slot = h & mask;
    while (keys[slot] !== undefined) slot = (slot + 1) & mask;
    keys[slot] = text;
    this.values[slot] = value;
    this.used++;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    const size = oldKeys.length * 2;
    this.keys = new Array<string | undefined>(size).fill(undefined);
    this.values = new Array<T | undefined>(size).fill(undefined);
    this.used = 0;
    for (let i = 0; i < oldKeys.length; i++) {
      const k = oldKeys[i];
      if (k !== undefined) this.put(k, oldValues[i], hashRange(k, 0, k.length));
    }
  }
}

/** A hash of line[s, e): multiplicative, then mixed so that words differing in their last digit spread out. */
function hashRange(text: string, s: number, e: number): number {
  let h = e - s;
  for (let i = s; i < e; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  return (h ^ (h >>> 16)) >>> 0;
}
