import type { LineBase, RunMember } from '../lineRuns';
import type { Endpoint, Segment, TcpFlag, TcpOptions, Token } from '../model';
import type { LineText } from '../text';

/**
 * Written to a number field of a new record just before its value: V8 stores a field that has ever held a number
 * beyond 31 bits (an absolute sequence number, a timestamp value) as a boxed double in EVERY object of the shape, 16
 * more bytes a field even for `ack 1`. A field that has also held a non-number holds small integers inline. Only the
 * value written next is ever seen.
 */
export const TAGGED = undefined;

/** Records are built field by field while a line is scanned, then handed out as read-only. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export type OptionsDraft = Mutable<Omit<TcpOptions, 'raw'>> & { sack?: (readonly [number, number])[] };

/** The options of the line being read. `raw` is a scratch array: items [0, rawCount) are this line's. */
const draft: OptionsDraft = {};
const raw: string[] = [];
let rawCount = 0;

/**
 * A cleared options draft. There is one draft, reused for every line: `finishOptions` makes the record that is kept,
 * so the draft must be finished before the next line is read.
 */
export function optionsDraft(): OptionsDraft {
  clearRaw();
  draft.mss = undefined;
  draft.wscale = undefined;
  draft.sackPermitted = undefined;
  draft.tsVal = undefined;
  draft.tsEcr = undefined;
  draft.sack = undefined;
  return draft;
}

/** One option as printed, in order. */
export function addRaw(text: string): void {
  raw[rawCount++] = text;
}

/** The scratch array must not keep strings of a document alive (they are slices of its text). */
function clearRaw(): void {
  for (let k = 0; k < rawCount; k++) raw[k] = '';
  rawCount = 0;
}

/**
 * The options in one key order whatever order the tool printed them in (raw, mss, wscale, sackPermitted, tsVal,
 * tsEcr, sack), so that JSON output is stable; fields never seen are left out. Arrays are made at their exact size
 * and the usual combinations are written as literals, so that every field sits inside the object.
 */
export function finishOptions(o: OptionsDraft): TcpOptions {
  const r = raw.slice(0, rawCount);
  clearRaw();
  const { mss, wscale, tsVal, tsEcr } = o;
  const sack = o.sack !== undefined ? o.sack.slice() : undefined;
  const sackOk = o.sackPermitted === true;
  const ts = tsVal !== undefined && tsEcr !== undefined;
  if (sack === undefined) {
    if (mss === undefined && wscale === undefined && !sackOk) {
      if (ts) return { raw: r, tsVal, tsEcr };
      if (tsVal === undefined && tsEcr === undefined) return { raw: r };
    } else if (mss !== undefined && wscale !== undefined && sackOk) {
      if (ts) return { raw: r, mss, wscale, sackPermitted: true, tsVal, tsEcr };
      if (tsVal === undefined && tsEcr === undefined) return { raw: r, mss, wscale, sackPermitted: true };
    }
  } else if (mss === undefined && wscale === undefined && !sackOk && ts) {
    return { raw: r, tsVal, tsEcr, sack };
  }
  const out: Mutable<TcpOptions> = { raw: r };
  if (mss !== undefined) out.mss = mss;
  if (wscale !== undefined) out.wscale = wscale;
  if (sackOk) out.sackPermitted = true;
  if (tsVal !== undefined) out.tsVal = tsVal;
  if (tsEcr !== undefined) out.tsEcr = tsEcr;
  if (sack !== undefined) out.sack = sack;
  return out;
}

/**
 * Rebuilds a segment's tokens from the text of its lines. `at`/`headAt` are the line numbers the lines had when they
 * were read; `more` holds continuation lines as (line number, text) pairs.
 */
export type TokenMaker = (text: string, at: number, head: string | undefined, headAt: number, more: readonly (string | number)[] | undefined) => Token[];

/**
 * A segment read from tcpdump or tshark text. Its tokens are built the first time someone asks for them (a hover, a
 * diagnostic range): a million-line capture is read without allocating a dozen token objects per line that nobody
 * may ever look at. A segment moved by an edit above it (`shiftLines`, or its run's base: lineRuns.ts) keeps them
 * unbuilt and builds them at the moved lines when asked, since a segment keeps the text of its lines (or, read by the
 * CLI, an index into text that never changes) and building them never reads the document again; tokens built before
 * a move are moved when next read.
 *
 * Optional fields are only set when present (`declare`d, not initialised). `line` and `lastLine` are read through
 * getters (the segment may keep them relative to its run); `toJSON` writes them where plain objects had them.
 */
export class PacketSegment implements Segment, RunMember {
  declare number?: number;
  declare time?: string;
  declare timeSeconds?: number;
  declare seq?: number;
  declare seqEnd?: number;
  declare ack?: number;
  declare win?: number;
  declare urg?: number;
  declare options?: TcpOptions;
  declare truncated?: boolean;
  declare iface?: string;
  declare direction?: string;
  declare toolAnalysis?: readonly string[];

  /** The summary line's text as read, or where to read it again (`#at` is its line number then). */
  readonly #text: string | LineText;
  readonly #at: number;
  /** The first and last line, relative to `#base` when the segment is in a run (lineRuns.ts). */
  #line: number;
  #lastLine: number;
  #base: LineBase | undefined = undefined;
  /** The first line when the tokens were built or last moved. */
  #tokensLine = 0;
  /**
   * Nothing yet; where a field left to be read on demand starts on the summary line (see `deferAt`); the tokens once
   * built; or (-v pairs, dump lines, or tokens and a deferred field) a SegmentExtra with all of it.
   */
  #x: Token[] | SegmentExtra | number | undefined = undefined;

  constructor(
    public block: number,
    line: number,
    lastLine: number,
    public src: Endpoint,
    public dst: Endpoint,
    public flags: readonly TcpFlag[],
    public flagText: string,
    public len: number,
    public source: 'tcpdump' | 'tshark',
    text: string | LineText,
  ) {
    this.#line = line;
    this.#lastLine = lastLine;
    this.#text = text;
    this.#at = line;
  }

  get line(): number {
    const b = this.#base;
    return b === undefined ? this.#line : this.#line + b.delta;
  }

  /** For the readers, while they read the segment (a -v pair starts on its head line, see `setHead`). */
  set line(line: number) {
    const b = this.#base;
    this.#line = b === undefined ? line : line - b.delta;
  }

  get lastLine(): number {
    const b = this.#base;
    return b === undefined ? this.#lastLine : this.#lastLine + b.delta;
  }

  set lastLine(line: number) {
    const b = this.#base;
    this.#lastLine = b === undefined ? line : line - b.delta;
  }

  /** The fields in the order plain objects had them (block, line, lastLine, then the rest as set). */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { block: this.block, line: this.line, lastLine: this.lastLine };
    const own = this as unknown as Record<string, unknown>;
    for (const key of Object.keys(this)) if (key !== 'block') out[key] = own[key];
    return out;
  }

  /** The summary line as it was read (to read a field again from it, see `deferredOptions`). */
  summaryLine(): string {
    const t = this.#text;
    return typeof t === 'string' ? t : t.line(this.#at);
  }

  /** The function that scans the lines again, with tokens. */
  protected maker(): TokenMaker {
    throw new Error('PacketSegment without a token maker');
  }

  get tokens(): readonly Token[] {
    const x = this.#x;
    let tokens: Token[];
    if (x === undefined) tokens = this.#x = this.build(undefined);
    else if (typeof x === 'number') {
      const extra = this.extra();
      tokens = extra.tokens = this.build(extra);
    } else if (Array.isArray(x)) tokens = x;
    else tokens = x.tokens ??= this.build(x);
    const line = this.line;
    const moved = line - this.#tokensLine;
    if (moved !== 0) {
      for (let i = 0; i < tokens.length; i++) (tokens[i] as { line: number }).line += moved;
      this.#tokensLine = line;
    }
    return tokens;
  }

  /**
   * Remembers where on the summary line the text of a field read on demand starts (a 4.x options list), so that
   * reading it needs no second scan of the whole line. A small integer: it costs the segment nothing.
   */
  deferAt(offset: number): void {
    const x = this.#x;
    if (x === undefined || typeof x === 'number') this.#x = offset;
    else if (Array.isArray(x)) this.#x = { head: '', headAt: -1, more: [], tokens: x, deferAt: offset };
    else x.deferAt = offset;
  }

  /** What `deferAt` remembered, or -1. */
  deferredAt(): number {
    const x = this.#x;
    if (typeof x === 'number') return x;
    return x !== undefined && !Array.isArray(x) ? x.deferAt : -1;
  }

  /**
   * Moves the segment by `delta` lines and `blockDelta` blocks (incremental.ts, after an edit above it). Tokens built
   * already move when next read; tokens not built yet are built at the moved lines later, so an inserted line does
   * not make every later packet read its text again.
   */
  shiftLines(delta: number, blockDelta: number): void {
    if (blockDelta !== 0) this.block += blockDelta;
    this.#line += delta;
    this.#lastLine += delta;
  }

  rebase(base: LineBase | undefined): void {
    const line = this.line;
    const lastLine = this.lastLine;
    this.#base = base;
    const d = base === undefined ? 0 : base.delta;
    this.#line = line - d;
    this.#lastLine = lastLine - d;
  }

  private build(x: SegmentExtra | undefined): Token[] {
    const text = this.summaryLine();
    this.#tokensLine = this.line;
    const head = x !== undefined && x.head !== '' ? x.head : undefined;
    // How far the segment moved since it was read: its first line was the head line of a -v pair, or the summary line.
    const m = this.line - (head !== undefined ? x!.headAt : this.#at);
    const headAt = head !== undefined ? x!.headAt + m : -1;
    let more = x !== undefined && x.more.length > 0 ? x.more : undefined;
    if (more !== undefined && m !== 0) more = more.map((v) => (typeof v === 'number' ? v + m : v));
    return this.maker()(text, this.#at + m, head, headAt, more);
  }

  /** The segment's SegmentExtra, made if needed (keeping what `#x` held); its tokens are to be built again. */
  private extra(): SegmentExtra {
    const x = this.#x;
    if (x !== undefined && typeof x !== 'number' && !Array.isArray(x)) {
      x.tokens = undefined;
      return x;
    }
    const fresh: SegmentExtra = { head: '', headAt: -1, more: [], tokens: undefined, deferAt: typeof x === 'number' ? x : -1 };
    this.#x = fresh;
    return fresh;
  }

  /** The -v first line (IP header) the record starts on. */
  setHead(text: string, at: number): void {
    const x = this.extra();
    x.head = text;
    x.headAt = at;
  }

  /** A hex/ASCII/decoder line that belongs to this packet. */
  addMore(at: number, text: string): void {
    this.extra().more.push(at, text);
  }
}

/** The lines of a packet besides its summary line, kept for its tokens. */
interface SegmentExtra {
  head: string;
  headAt: number;
  /** (line number, text) pairs. */
  more: (string | number)[];
  tokens: Token[] | undefined;
  /** See PacketSegment.deferAt; -1 when nothing was deferred. */
  deferAt: number;
}

/**
 * A property descriptor for `options` read from the summary line when asked for, like the tokens: most segments'
 * options (timestamps on every packet) are never looked at, and keeping them costs four objects a segment. The
 * property is the segment's own and enumerable, so JSON, spread and deepEqual see the options as before; every read
 * scans the line again and gives an equal value. Writing it makes it a plain data property.
 */
export function deferredOptions(read: (line: string, at: number) => TcpOptions | undefined): PropertyDescriptor {
  return {
    get(this: PacketSegment): TcpOptions | undefined {
      return read(this.summaryLine(), this.deferredAt());
    },
    set(this: PacketSegment, value: TcpOptions | undefined): void {
      Object.defineProperty(this, 'options', { value, writable: true, enumerable: true, configurable: true });
    },
    enumerable: true,
    configurable: true,
  };
}

/** Subclasses that name their token maker on the prototype, not per record. */
export function segmentClass(maker: TokenMaker): typeof PacketSegment {
  return class extends PacketSegment {
    protected override maker(): TokenMaker {
      return maker;
    }
  };
}
