import type { Endpoint } from '../model';

/**
 * Values read from a word of a line, remembered by the word's text: a repeated `127.0.0.1:8080`, `10.0.0.1.443` or
 * `timer:(timewait,59sec,0)` is read once and the result shared by every record that prints it (results are
 * treated as read-only, as the model's types say). A hit costs a hash of the word and one comparison, without
 * slicing the line; a miss costs one slice and one read, as without a cache.
 *
 * An open-addressing table that starts small (a short block pays for a small table) and doubles whenever it gets half
 * full, up to `limit` slots; a full table at the limit is emptied and starts again. A big capture has tens of
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
    } else {
      // Twice as big, or, at the limit, empty again: the words forgotten are read again if they come back.
      if (keys.length < this.limit) this.grow();
      else this.clear();
      this.put(text, value, h);
    }
    return value;
  }

  private clear(): void {
    this.keys.fill(undefined);
    this.values.fill(undefined);
    this.used = 0;
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

/**
 * Endpoints by address and port, for the usual `address<sep>port` words (`127.0.0.1:8080`, `10.0.0.1.443`): the
 * address is looked up among the few a block prints, the port is read as a number, and the pair is found in a
 * table of numbers. Tens of thousands of endpoints are then told apart without comparing their texts (the text
 * comparison of a big word cache is a cache miss a lookup). `get` answers undefined for any other word (brackets,
 * `%zone`, a service name, `*`, a port of more than 5 digits): the caller reads those as before.
 *
 * What it returns equals what the format's own reader makes of the word: `{ address, port }` with the address as
 * printed and the port as a number.
 */
export class EndpointTable {
  private readonly addresses = new RangeCache<AddressEntry>(1 << 14);
  private addressCount = 0;
  private keys: Float64Array;
  private values: (Endpoint | undefined)[];
  private used = 0;

  constructor(
    /** The character between address and port: `:` (58) or `.` (46). */
    private readonly sep: number,
    private readonly limit = 1 << 18,
  ) {
    this.keys = new Float64Array(32).fill(-1);
    this.values = new Array<Endpoint | undefined>(32).fill(undefined);
  }

  get(line: string, s: number, e: number): Endpoint | undefined {
    // The port: 1 to 5 digits after the last separator.
    let p = e;
    let port = 0;
    let scale = 1;
    while (p > s && e - p < 5) {
      const c = line.charCodeAt(p - 1);
      if (c < 48 || c > 57) break;
      port += (c - 48) * scale;
      scale *= 10;
      p--;
    }
    if (p === e || p - 1 <= s || line.charCodeAt(p - 1) !== this.sep) return undefined;
    const a = p - 1; // the separator; the address is line[s, a)
    // The two addresses seen last (a capture's two peers, a table's local address) are checked before the cache.
    const n = a - s;
    let entry: AddressEntry | undefined;
    const m1 = this.recent1;
    if (m1 !== undefined && m1.address.length === n && line.startsWith(m1.address, s)) entry = m1;
    else {
      const m2 = this.recent2;
      if (m2 !== undefined && m2.address.length === n && line.startsWith(m2.address, s)) entry = m2;
      else {
        entry = this.addresses.get(line, s, a, this.newAddress);
        if (entry === undefined) return undefined;
      }
      this.recent2 = m1;
      this.recent1 = entry;
    }
    const key = entry.id * 100000 + port;
    const keys = this.keys;
    const mask = keys.length - 1;
    const h = (Math.imul(entry.id, 0x9e3779b1) ^ Math.imul(port, 0x85ebca6b)) >>> 0;
    let slot = (h ^ (h >>> 15)) & mask;
    for (;;) {
      const k = keys[slot]!;
      if (k === -1) break;
      if (k === key) return this.values[slot];
      slot = (slot + 1) & mask;
    }
    const value: Endpoint = { address: entry.address, port };
    if (this.used * 2 < keys.length) {
      keys[slot] = key;
      this.values[slot] = value;
      this.used++;
    } else {
      if (keys.length < this.limit) this.grow();
      else this.clear();
      this.put(key, value, h);
    }
    return value;
  }

  private recent1: AddressEntry | undefined;
  private recent2: AddressEntry | undefined;

  /** An address this table takes: not bracketed, no `%zone` (the readers split those), and ids left to give. */
  private readonly newAddress = (text: string): AddressEntry | undefined => {
    if (text.charCodeAt(0) === 91 /* [ */ || text.indexOf('%') >= 0 || this.addressCount >= ADDRESS_IDS) return undefined;
    return { address: text, id: this.addressCount++ };
  };

  private clear(): void {
    this.keys.fill(-1);
    this.values.fill(undefined);
    this.used = 0;
  }

  private put(key: number, value: Endpoint, h: number): void {
    const keys = this.keys;
    const mask = keys.length - 1;
    let slot = (h ^ (h >>> 15)) & mask;
    while (keys[slot] !== -1) slot = (slot + 1) & mask;
    keys[slot] = key;
    this.values[slot] = value;
    this.used++;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    const size = oldKeys.length * 2;
    this.keys = new Float64Array(size).fill(-1);
    this.values = new Array<Endpoint | undefined>(size).fill(undefined);
    this.used = 0;
    for (let i = 0; i < oldKeys.length; i++) {
      const k = oldKeys[i]!;
      if (k === -1) continue;
      const id = Math.floor(k / 100000);
      const port = k - id * 100000;
      this.put(k, oldValues[i]!, (Math.imul(id, 0x9e3779b1) ^ Math.imul(port, 0x85ebca6b)) >>> 0);
    }
  }
}

/** Address ids a table hands out (ids times 100000 plus a port stay exact in a double). */
const ADDRESS_IDS = 1 << 24;

interface AddressEntry {
  readonly address: string;
  readonly id: number;
}
