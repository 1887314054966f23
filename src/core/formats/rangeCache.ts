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
  /** Pairs (key, endpoint): the key (address id * 100000 + port, a small integer) next to its value, one memory read. */
  private slots: (number | Endpoint)[];
  private used = 0;
  private recent1: AddressEntry | undefined;
  private recent2: AddressEntry | undefined;

  constructor(
    /** The character between address and port: `:` (58) or `.` (46). */
    private readonly sep: number,
    private readonly limit = 1 << 18,
  ) {
    this.slots = emptySlots(32);
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
    if (m1 !== undefined && m1.address.length === n && sameAt(line, s, m1.address)) entry = m1;
    else {
      const m2 = this.recent2;
      if (m2 !== undefined && m2.address.length === n && sameAt(line, s, m2.address)) entry = m2;
      else {
        entry = this.addresses.get(line, s, a, this.newAddress);
        if (entry === undefined) return undefined;
      }
      this.recent2 = m1;
      this.recent1 = entry;
    }
    const key = entry.id * 100000 + port;
    const slots = this.slots;
    const mask = (slots.length >>> 1) - 1;
    let i = slotOf(key, mask);
    for (;;) {
      const k = slots[2 * i];
      if (k === -1) break;
      if (k === key) return slots[2 * i + 1] as Endpoint;
      i = (i + 1) & mask;
    }
    const value: Endpoint = { address: entry.address, port };
    if (this.used * 2 < mask + 1) {
      slots[2 * i] = key;
      slots[2 * i + 1] = value;
      this.used++;
    } else {
      // Twice as big, or, at the limit, empty again.
      if (mask + 1 < this.limit) this.grow();
      else {
        this.slots = emptySlots(mask + 1);
        this.used = 0;
      }
      this.put(key, value);
    }
    return value;
  }

  /** An address this table takes: not bracketed, no `%zone` (the readers split those), and ids left to give. */
  private readonly newAddress = (text: string): AddressEntry | undefined => {
    if (text.charCodeAt(0) === 91 /* [ */ || text.indexOf('%') >= 0 || this.addressCount >= ADDRESS_IDS) return undefined;
    return { address: text, id: this.addressCount++ };
  };

  private put(key: number, value: Endpoint): void {
    const slots = this.slots;
    const mask = (slots.length >>> 1) - 1;
    let i = slotOf(key, mask);
    while (slots[2 * i] !== -1) i = (i + 1) & mask;
    slots[2 * i] = key;
    slots[2 * i + 1] = value;
    this.used++;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = emptySlots(old.length);
    this.used = 0;
    for (let i = 0; i < old.length; i += 2) {
      const k = old[i] as number;
      if (k !== -1) this.put(k, old[i + 1] as Endpoint);
    }
  }
}

/** Whether `word` is spelled at line[s, s + word.length) (short words: a loop is cheaper than startsWith's call). */
function sameAt(line: string, s: number, word: string): boolean {
  for (let i = word.length - 1; i >= 0; i--) if (line.charCodeAt(s + i) !== word.charCodeAt(i)) return false;
  return true;
}

/** A table of `size` free pairs. */
function emptySlots(size: number): (number | Endpoint)[] {
  const slots = new Array<number | Endpoint>(2 * size);
  for (let i = 0; i < slots.length; i++) slots[i] = -1;
  return slots;
}

function slotOf(key: number, mask: number): number {
  const h = Math.imul(key, 0x9e3779b1);
  return (h ^ (h >>> 15)) & mask;
}

/** Address ids a table hands out: ids times 100000 plus a port stay below 2^31 (small integers). */
const ADDRESS_IDS = 21_000;

interface AddressEntry {
  readonly address: string;
  readonly id: number;
}
