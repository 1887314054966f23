/**
 * Helpers shared by the socket-table readers (ss, Linux/BSD/Windows netstat): splitting a line into words with their
 * columns, reading endpoints and numbers, timers, and the mutable row the readers fill before handing it over.
 * Everything here is plain string scanning (charCodeAt/indexOf/slice): no regex touches a row.
 */
import type { Endpoint, SocketRow, SocketTimer, TcpState, Token, TokenKind } from '../model';
import { canonicalState } from '../tcp/states';
import type { LineText } from '../text';
import { EndpointTable, RangeCache } from './rangeCache';

/** Works out a row's tokens again from its lines, with the context (header layout) the row was read under. */
export interface RowTokenizer {
  /** `more[k]` is the text of continuation line number `moreLines[k]` (blank lines may sit between them). */
  tokens(row: Row, ctx: unknown, first: string, more: readonly string[] | undefined, moreLines: readonly number[] | undefined): Token[];
}

/**
 * What the rows of a table have in common, shared by every row that has it: the block, the columns that repeat from
 * row to row (protocol, state, the two queues) and, privately, who works out the rows' tokens and under which context
 * (header layout). A million-row table has a handful of these (see RowPlaces.kind).
 */
export class RowKind {
  readonly #place: RowPlace;
  /** The same kind a block further (see moved). */
  #moved: RowKind | undefined;

  constructor(
    place: RowPlace,
    readonly block: number,
    readonly proto: string,
    readonly stateText: string,
    readonly state: TcpState | undefined,
    readonly recvQ: number | undefined,
    readonly sendQ: number | undefined,
  ) {
    this.#place = place;
  }

  get place(): RowPlace {
    return this.#place;
  }

  /** This kind in block `block + blockDelta` (every row of a block moves by the same delta: made once, shared). */
  moved(blockDelta: number): RowKind {
    const block = this.block + blockDelta;
    const m = this.#moved;
    if (m !== undefined && m.block === block) return m;
    return (this.#moved = new RowKind(this.#place, block, this.proto, this.stateText, this.state, this.recvQ, this.sendQ));
  }
}

/** Where a row keeps its RowKind: an own symbol-keyed property, so deepStrictEqual compares rows' kinds. */
const KIND: unique symbol = Symbol('kind');

/**
 * A socket row. Its tokens are worked out only when something asks for them (a hover, the grammar): a million-row
 * dump then costs one small object per row instead of ten, and most rows are never looked at. The row holds what
 * differs from row to row (line, the two endpoints) and its RowKind (block, proto, stateText, state, recvQ, sendQ,
 * read through getters), under a symbol so that JSON.stringify and Object.keys do not show it; and, privately (#),
 * unless the document's lines can give it again, its own line text (no copy). ss -i and Windows -b rows take their
 * continuation lines with addLine(), which gives them an own `lastLine`. JSON.stringify gives the same object as
 * when every field was stored on the row.
 */
export class Row implements SocketRow {
  declare process?: { name: string; pid?: number };
  declare timer?: SocketTimer;
  declare info?: Record<string, string>;
  [KIND]: RowKind;
  /**
   * The row's first line as read when the place's `lines` cannot give it again (it is line `line` there: a record's
   * line only moves after its tokens were built, see shiftLines); then the tokens once built; or (ss -i, Windows -b)
   * the continuation lines with the tokens.
   */
  #x: string | readonly Token[] | RowExtra | undefined;

  constructor(
    kind: RowKind,
    text: string,
    readonly line: number,
    readonly local: Endpoint,
    readonly remote: Endpoint,
  ) {
    this[KIND] = kind;
    this.#x = kind.place.lines === undefined ? text : undefined;
  }

  get block(): number {
    return this[KIND].block;
  }

  get proto(): string {
    return this[KIND].proto;
  }

  get stateText(): string {
    return this[KIND].stateText;
  }

  get state(): TcpState | undefined {
    return this[KIND].state;
  }

  get recvQ(): number | undefined {
    return this[KIND].recvQ;
  }

  get sendQ(): number | undefined {
    return this[KIND].sendQ;
  }

  /** A row of one line (one with continuation lines has its own `lastLine`, see addLine). */
  get lastLine(): number {
    return this.line;
  }

  get tokens(): readonly Token[] {
    const x = this.#x;
    if (x === undefined) return (this.#x = this.build(undefined, undefined));
    if (typeof x === 'string') {
      // The text stays: a continuation line added later would need it again.
      const extra: RowExtra = { text: x, more: [], moreLines: [], tokens: undefined };
      this.#x = extra;
      return (extra.tokens = this.build(x, undefined));
    }
    if (isTokenArray(x)) return x;
    return (x.tokens ??= this.build(x.text, x));
  }

  private build(text: string | undefined, x: RowExtra | undefined): readonly Token[] {
    const p = this[KIND].place;
    const first = text ?? p.lines!.line(this.line);
    return p.how.tokens(this, p.ctx, first, x?.more, x?.moreLines);
  }

  /** The row goes on on line `index` (ss -i, Windows -b). */
  addLine(text: string, index: number): void {
    let x = this.#x;
    if (x === undefined || typeof x === 'string' || isTokenArray(x)) {
      // (Bare tokens are only kept when the text comes from the place's `lines`.)
      x = { text: typeof x === 'string' ? x : undefined, more: [], moreLines: [], tokens: undefined };
      this.#x = x;
    }
    x.more.push(text);
    x.moreLines.push(index);
    x.tokens = undefined;
    setLastLine(this, index);
  }

  /**
   * Moves the row by `delta` lines and `blockDelta` blocks (incremental.ts, after an edit above it). A row that keeps
   * its own text (an editor's document) builds its tokens from that text at its current line, so tokens not built
   * yet stay unbuilt: an inserted line does not make every later row read itself again. A row read from the place's
   * `lines` (the CLI's text, which never changes) builds them for the line it was read on first.
   */
  shiftLines(delta: number, blockDelta: number): void {
    if (blockDelta !== 0) this[KIND] = this[KIND].moved(blockDelta);
    if (delta === 0) return;
    const x = this.#x;
    const ownText = typeof x === 'string' || (x !== undefined && !isTokenArray(x) && x.text !== undefined);
    const tokens = ownText ? (typeof x === 'string' ? undefined : (x as RowExtra).tokens) : this.tokens;
    const last = this.lastLine;
    (this as { line: number }).line += delta;
    if (Object.prototype.hasOwnProperty.call(this, 'lastLine')) setLastLine(this, last + delta);
    const extra = this.#x;
    if (extra !== undefined && typeof extra !== 'string' && !isTokenArray(extra)) {
      const moreLines = extra.moreLines as number[];
      for (let i = 0; i < moreLines.length; i++) moreLines[i] = moreLines[i]! + delta;
    }
    if (tokens !== undefined) for (let i = 0; i < tokens.length; i++) (tokens[i] as { line: number }).line += delta;
  }

  /** The row as plain data, its fields in the order the readers always gave them. */
  toJSON(): Record<string, unknown> {
    const k = this[KIND];
    const out: Record<string, unknown> = {
      block: this.block,
      line: this.line,
      proto: k.proto,
      local: this.local,
      remote: this.remote,
      stateText: k.stateText,
      lastLine: this.lastLine,
    };
    if (k.recvQ !== undefined) out.recvQ = k.recvQ;
    if (k.sendQ !== undefined) out.sendQ = k.sendQ;
    if (k.state !== undefined) out.state = k.state;
    // process, timer and info in the order the reader set them.
    for (const key of Object.keys(this)) {
      if (key === 'process' || key === 'timer' || key === 'info') out[key] = this[key];
    }
    return out;
  }
}

/** An own, enumerable, writable `lastLine` over the prototype's getter. */
function setLastLine(row: Row, value: number): void {
  Object.defineProperty(row, 'lastLine', { value, writable: true, enumerable: true, configurable: true });
}

/**
 * A row that has a process, a timer or info items. Rows without them are `Row`s, so that V8 sizes the objects of
 * each class for the fields they hold: a million-row TIME-WAIT dump does not pay for the owner fields of the
 * LISTEN rows at its top.
 */
export class OwnedRow extends Row {}

function isTokenArray(x: readonly Token[] | RowExtra): x is readonly Token[] {
  return Array.isArray(x);
}

/** Continuation lines of a row, kept for its tokens. */
interface RowExtra {
  /** The first line's text when the row keeps it itself. */
  readonly text: string | undefined;
  readonly more: string[];
  readonly moreLines: number[];
  tokens: readonly Token[] | undefined;
}

/** Who works out a row's tokens, under which context, and where its text can be read again. */
export interface RowPlace {
  readonly how: RowTokenizer;
  readonly ctx: unknown;
  readonly lines: LineText | undefined;
}

/**
 * A reader's RowPlaces (one per context, i.e. header layout, shared by every row read under it) and RowKinds
 * (one per place, protocol, state and queue sizes).
 */
export class RowPlaces {
  private last: RowPlace | undefined;
  private lastKind: RowKind | undefined;
  /** Kinds by hash of their columns (open addressing; emptied when half full, then kinds are made again). */
  private kinds: (RowKind | undefined)[] = new Array<RowKind | undefined>(KIND_SLOTS).fill(undefined);
  private kindCount = 0;

  constructor(
    private readonly how: RowTokenizer,
    private readonly block: number,
    private readonly lines: LineText | undefined,
  ) {}

  at(ctx: unknown): RowPlace {
    const p = this.last;
    if (p !== undefined && p.ctx === ctx) return p;
    return (this.last = { how: this.how, ctx, lines: this.lines });
  }

  /** The shared RowKind of a row read under `ctx` with these columns (its state: cachedRowState's). */
  kind(ctx: unknown, proto: string, stateText: string, recvQ: number | undefined, sendQ: number | undefined): RowKind {
    const place = this.at(ctx);
    const k = this.lastKind;
    if (k !== undefined && sameKind(k, place, proto, stateText, recvQ, sendQ)) return k;
    const slots = this.kinds;
    const mask = KIND_SLOTS - 1;
    let h = Math.imul((recvQ ?? -1) + 1, 0x9e3779b1) ^ Math.imul((sendQ ?? -1) + 2, 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 15) ^ stateText.length ^ (stateText.charCodeAt(0) << 5) ^ (proto.length << 12), 0x2c1b3c6d);
    let slot = (h ^ (h >>> 13)) & mask;
    for (;;) {
      const s = slots[slot];
      if (s === undefined) break;
      if (sameKind(s, place, proto, stateText, recvQ, sendQ)) return (this.lastKind = s);
      slot = (slot + 1) & mask;
    }
    const made = new RowKind(place, this.block, proto, stateText, cachedRowState(proto, stateText), recvQ, sendQ);
    if (this.kindCount * 2 >= KIND_SLOTS) {
      // Rows with all kinds of queue sizes: start again (the kinds made so far stay with their rows).
      slots.fill(undefined);
      this.kindCount = 0;
      slot = (h ^ (h >>> 13)) & mask;
    }
    slots[slot] = made;
    this.kindCount++;
    return (this.lastKind = made);
  }
}

const KIND_SLOTS = 1024;

function sameKind(
  k: RowKind,
  place: RowPlace,
  proto: string,
  stateText: string,
  recvQ: number | undefined,
  sendQ: number | undefined,
): boolean {
  return k.recvQ === recvQ && k.sendQ === sendQ && k.stateText === stateText && k.place === place && k.proto === proto;
}

/**
 * The words of one line, reused from line to line so that reading a million rows does not allocate a million arrays.
 * `start[i]`/`end[i]` are [start, end) columns of word i; a word is a run of characters other than space and tab.
 */
export class Words {
  readonly start: number[] = [];
  readonly end: number[] = [];
  count = 0;
  line = '';

  split(line: string, from = 0): this {
    this.line = line;
    let n = 0;
    const len = line.length;
    let i = from;
    if (line.indexOf('\t', from) < 0) {
      // No tab (nearly every row): a word ends at the next space, which indexOf finds faster than a loop.
      while (i < len) {
        while (line.charCodeAt(i) === 32) i++;
        if (i >= len) break;
        let e = line.indexOf(' ', i);
        if (e < 0) e = len;
        this.start[n] = i;
        this.end[n] = e;
        n++;
        i = e + 1;
      }
      this.count = n;
      return this;
    }
    while (i < len) {
      let c = line.charCodeAt(i);
      while (c === 32 || c === 9) {
        i++;
        if (i >= len) break;
        c = line.charCodeAt(i);
      }
      if (i >= len) break;
      const s = i;
      while (i < len) {
        c = line.charCodeAt(i);
        if (c === 32 || c === 9) break;
        i++;
      }
      this.start[n] = s;
      this.end[n] = i;
      n++;
    }
    this.count = n;
    return this;
  }

  text(i: number): string {
    return this.line.slice(this.start[i], this.end[i]);
  }

  /** The text from the start of word `a` to the end of word `b`, spaces included. */
  span(a: number, b: number): string {
    return this.line.slice(this.start[a], this.end[b]);
  }

  is(i: number, text: string): boolean {
    const s = this.start[i]!;
    return this.end[i]! - s === text.length && this.line.startsWith(text, s);
  }
}

export function isDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** A non-negative decimal integer as printed, or undefined (too long to be exact, or not a number). */
export function toInt(text: string): number | undefined {
  if (text.length > 15 || !isDigits(text)) return undefined;
  return Number(text);
}

/** `8080` -> 8080; `*`, `ssh`, `https` stay text. */
export function toPort(text: string): number | string {
  return text.length <= 10 && isDigits(text) ? Number(text) : text;
}

function withZone(address: string, port: string, zone: string | undefined): Endpoint {
  const pct = address.indexOf('%');
  if (pct >= 0 && zone === undefined) {
    zone = address.slice(pct + 1);
    address = address.slice(0, pct);
  }
  return zone ? { address, port: toPort(port), zone } : { address, port: toPort(port) };
}

/**
 * `addr:port` as Linux netstat, ss and Windows print it: `127.0.0.1:8080`, `:::22`, `[::1]:8080`, `*:*`,
 * `[::ffff:1.2.3.4]:80`, `127.0.0.53%lo:53`, `[fe80::1%9]:1900`, `[fe80::1]%eth0:22`, `localhost:ssh`.
 * The port is what follows the last colon (outside brackets); brackets are removed and `%zone` goes to `zone`.
 */
export function colonEndpoint(text: string): Endpoint | undefined {
  if (text.length === 0) return undefined;
  if (text.charCodeAt(0) === 91 /* [ */) {
    const close = text.indexOf(']');
    if (close < 2) return undefined;
    const inner = text.slice(1, close);
    const colon = text.lastIndexOf(':');
    if (colon <= close || colon === text.length - 1) return undefined;
    let zone: string | undefined;
    if (colon > close + 1) {
      // `]%eth0:22`: ss prints the interface after the bracket.
      if (text.charCodeAt(close + 1) !== 37 /* % */) return undefined;
      zone = text.slice(close + 2, colon);
    }
    return withZone(inner, text.slice(colon + 1), zone);
  }
  const colon = text.lastIndexOf(':');
  if (colon <= 0 || colon === text.length - 1) return undefined;
  return withZone(text.slice(0, colon), text.slice(colon + 1), undefined);
}

/**
 * `host.port` as BSD and macOS netstat print it: `192.168.1.221.5442`, `*.*`, `*.22`, `localhost.smtp`,
 * `fe80::aede:48ff:.5` (cut by the column width), `2600:1700:bab0:d.5`. The port is what follows the last dot.
 */
export function dotEndpoint(text: string): Endpoint | undefined {
  const dot = text.lastIndexOf('.');
  if (dot <= 0 || dot === text.length - 1) return undefined;
  return withZone(text.slice(0, dot), text.slice(dot + 1), undefined);
}

/** Whether a word reads as a colon-style endpoint (the last separator is a colon). */
export function looksColonEndpoint(text: string): boolean {
  const colon = text.lastIndexOf(':');
  if (colon <= 0 || colon === text.length - 1) return false;
  return text.lastIndexOf('.') < colon;
}

/** Whether a word reads as a dot-style endpoint (the last separator is a dot). */
export function looksDotEndpoint(text: string): boolean {
  const dot = text.lastIndexOf('.');
  if (dot <= 0 || dot === text.length - 1) return false;
  return text.lastIndexOf(':') < dot && text.indexOf('/') < 0;
}

/** Protocols whose state column is a TCP state (MPTCP subflows are TCP). */
export function isTcpProto(proto: string): boolean {
  return proto.startsWith('tcp') || proto === 'mptcp';
}


export function token(kind: TokenKind, line: number, start: number, end: number, name?: string): Token {
  return name === undefined ? { kind, line, start, end } : { kind, line, start, end, name };
}

/**
 * Milliseconds from an expiry as ss prints it with print_ms_timer(): `59sec`, `1min23sec`, `12min`, `020ms`
 * (20 ms), and `6.060ms`, which is 6 s + 060 ms = 6060 ms (the seconds and the milliseconds share one `ms`).
 * An empty expiry is how print_ms_timer prints 0. `h` and `d` are accepted for other printers of the same style.
 */
export function ssDurationMs(text: string): number | undefined {
  if (text.length === 0) return 0;
  let total = 0;
  let i = 0;
  const len = text.length;
  while (i < len) {
    const numStart = i;
    while (i < len && isDigitCode(text.charCodeAt(i))) i++;
    if (i === numStart) return undefined;
    const whole = Number(text.slice(numStart, i));
    if (i < len && text.charCodeAt(i) === 46 /* . */) {
      // print_ms_timer: seconds '.' three-digit milliseconds 'ms'.
      i++;
      const fracStart = i;
      while (i < len && isDigitCode(text.charCodeAt(i))) i++;
      if (i === fracStart || !text.startsWith('ms', i)) return undefined;
      total += whole * 1000 + Number(text.slice(fracStart, i));
      i += 2;
      continue;
    }
    const unitStart = i;
    while (i < len && isLetterCode(text.charCodeAt(i))) i++;
    const factor = UNIT_MS.get(text.slice(unitStart, i));
    if (factor === undefined) return undefined;
    total += whole * factor;
  }
  return total;
}

const UNIT_MS: ReadonlyMap<string, number> = new Map([
  ['ms', 1],
  ['sec', 1000],
  ['s', 1000],
  ['min', 60_000],
  ['m', 60_000],
  ['h', 3_600_000],
  ['d', 86_400_000],
]);

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isLetterCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

/** `timer:(keepalive,29sec,0)` (the whole item) -> timer; undefined if it is not that shape. */
export function ssTimer(item: string): SocketTimer | undefined {
  if (!item.startsWith('timer:(') || item.charCodeAt(item.length - 1) !== 41 /* ) */) return undefined;
  const inner = item.slice(7, -1);
  const c1 = inner.indexOf(',');
  if (c1 <= 0) return undefined;
  const c2 = inner.indexOf(',', c1 + 1);
  if (c2 < 0) return undefined;
  const kind = inner.slice(0, c1);
  const expiresMs = ssDurationMs(inner.slice(c1 + 1, c2));
  const retransmits = toInt(inner.slice(c2 + 1));
  if (expiresMs === undefined || retransmits === undefined) return undefined;
  return { kind, expiresMs, retransmits, text: item };
}

const NET_TOOLS_TIMERS: ReadonlySet<string> = new Set(['off', 'on', 'keepalive', 'timewait', 'probe']);

/** net-tools `-o`: the kind word (`off`, `on`, `keepalive`, `timewait`, `probe`, `unkn-N`). */
export function isNetToolsTimerKind(word: string): boolean {
  return NET_TOOLS_TIMERS.has(word) || (word.startsWith('unkn-') && isDigits(word.slice(5)));
}

/**
 * net-tools `-o` timer: kind and `(seconds/retransmits/probes)`, e.g. `on (0.30/2/0)`, `timewait (19.58/0/0)`.
 * `text` is the two words as printed (with the space between them).
 */
export function netToolsTimer(kind: string, paren: string, text: string): SocketTimer | undefined {
  if (!isNetToolsTimerKind(kind)) return undefined;
  if (paren.charCodeAt(0) !== 40 /* ( */ || paren.charCodeAt(paren.length - 1) !== 41) return undefined;
  const parts = paren.slice(1, -1).split('/');
  if (parts.length !== 3) return undefined;
  const seconds = decimal(parts[0]!);
  const retransmits = toInt(parts[1]!);
  const probes = toInt(parts[2]!);
  if (seconds === undefined || retransmits === undefined || probes === undefined) return undefined;
  return { kind, expiresMs: Math.round(seconds * 1000), retransmits, text };
}

/** `12.34` / `12` as a number; nothing else. */
export function decimal(text: string): number | undefined {
  const dot = text.indexOf('.');
  if (dot < 0) return toInt(text);
  const a = text.slice(0, dot);
  const b = text.slice(dot + 1);
  if (!isDigits(a) || !isDigits(b) || text.length > 20) return undefined;
  return Number(text);
}

/** Titles of non-Internet sections that follow the TCP/UDP table in netstat output and end our block. */
export function isOtherSectionTitle(line: string): boolean {
  const t = line.trimStart();
  if (t.startsWith('Active ')) return !isInternetTitle(t);
  return t.startsWith('Registered kernel control modules');
}

function isInternetTitle(t: string): boolean {
  return t.startsWith('Active Internet connections');
}

/** Hex digits only (pcb / socket / flowhash columns of BSD netstat -A). */
export function isHex(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return false;
  }
  return true;
}


// ---------------------------------------------------------------------------------------------------------------
// Fast paths for big tables. A million-row TIME_WAIT dump repeats the same few words (states, protocols, the server
// endpoint) on every line: these helpers read them without slicing the line and share the results between rows.

/** The integer in line[s, e) if it is all digits (at most 15 of them), else -1. No string is made. */
export function intAt(line: string, s: number, e: number): number {
  if (e <= s || e - s > 15) return -1;
  let n = 0;
  for (let i = s; i < e; i++) {
    const c = line.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    n = n * 10 + (c - 48);
  }
  return n;
}

/** The entry of `table` that line[s, e) spells, or undefined. For short fixed vocabularies (protocols, states). */
export function wordIn(line: string, s: number, e: number, table: readonly string[]): string | undefined {
  const len = e - s;
  for (const t of table) if (t.length === len && line.startsWith(t, s)) return t;
  return undefined;
}

/** Values read from a word, remembered by the word's text (see RangeCache). */
export class TextCache<T> {
  private cache = new RangeCache<T>();

  constructor(private readonly read: (text: string) => T | undefined) {}

  get(line: string, s: number, e: number): T | undefined {
    return this.cache.get(line, s, e, this.read);
  }

  /** Forgets everything (a finished block's rows keep their reader for their tokens, not its big tables). */
  release(): void {
    this.cache = new RangeCache<T>();
  }
}

/**
 * Endpoints by their text (see TextCache); the usual `address:port` / `address.port` words by address and port
 * (see EndpointTable), which finds them faster among tens of thousands.
 */
export class EndpointCache extends TextCache<Endpoint> {
  private table: EndpointTable;

  constructor(
    read: (text: string) => Endpoint | undefined,
    private readonly separator: ':' | '.' = ':',
  ) {
    super(read);
    this.table = new EndpointTable(separator.charCodeAt(0));
  }

  override get(line: string, s: number, e: number): Endpoint | undefined {
    return this.table.get(line, s, e) ?? super.get(line, s, e);
  }

  override release(): void {
    super.release();
    this.table = new EndpointTable(this.separator.charCodeAt(0));
  }
}

/** Canonical states by state word (null: not a TCP state). */
const stateCache = new Map<string, TcpState | null>();

/** rowState with the lookups remembered (a state word is one of a handful per table). */
export function cachedRowState(proto: string, stateText: string): TcpState | undefined {
  if (!isTcpProto(proto)) return undefined;
  const known = stateCache.get(stateText);
  if (known !== undefined) return known ?? undefined;
  const state = canonicalState(stateText);
  if (stateCache.size < 512) stateCache.set(stateText, state ?? null);
  return state;
}

/**
 * A fixed vocabulary looked up by a range of a line, without slicing it: returns the table's own (internalized)
 * string, so that objects keyed by it share their shape and stores stay fast. Open addressing, no allocation.
 */
export class WordTable {
  private readonly slots: (string | undefined)[];
  private readonly mask: number;

  constructor(words: readonly string[]) {
    let size = 16;
    while (size < words.length * 4) size *= 2;
    this.slots = new Array<string | undefined>(size);
    this.mask = size - 1;
    for (const w of words) {
      let slot = hashRange(w, 0, w.length) & this.mask;
      while (this.slots[slot] !== undefined && this.slots[slot] !== w) slot = (slot + 1) & this.mask;
      this.slots[slot] = w;
    }
  }

  find(line: string, s: number, e: number): string | undefined {
    let slot = hashRange(line, s, e) & this.mask;
    for (;;) {
      const w = this.slots[slot];
      if (w === undefined) return undefined;
      if (w.length === e - s && line.startsWith(w, s)) return w;
      slot = (slot + 1) & this.mask;
    }
  }
}

function hashRange(text: string, s: number, e: number): number {
  let h = e - s;
  for (let i = s; i < e; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return h >>> 0;
}
