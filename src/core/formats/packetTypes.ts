import type { Endpoint, Segment, TcpFlag, TcpOptions, Token } from '../model';

/** Records are built field by field while a line is scanned, then handed out as read-only. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export type OptionsDraft = Mutable<TcpOptions> & { raw: string[]; sack?: (readonly [number, number])[] };

const draft: OptionsDraft = { raw: [] };

/**
 * A cleared options draft with a new `raw` array. There is one draft, reused for every line: `finishOptions` makes the
 * record that is kept, so the draft must be finished before the next line is read.
 */
export function optionsDraft(): OptionsDraft {
  draft.raw = [];
  draft.mss = undefined;
  draft.wscale = undefined;
  draft.sackPermitted = undefined;
  draft.tsVal = undefined;
  draft.tsEcr = undefined;
  draft.sack = undefined;
  return draft;
}

/**
 * The options in one key order whatever order the tool printed them in (raw, mss, wscale, sackPermitted, tsVal,
 * tsEcr, sack), so that JSON output is stable; fields never seen are left out.
 */
export function finishOptions(o: OptionsDraft): TcpOptions {
  const out: Mutable<TcpOptions> = { raw: o.raw };
  if (o.mss !== undefined) out.mss = o.mss;
  if (o.wscale !== undefined) out.wscale = o.wscale;
  if (o.sackPermitted) out.sackPermitted = true;
  if (o.tsVal !== undefined) out.tsVal = o.tsVal;
  if (o.tsEcr !== undefined) out.tsEcr = o.tsEcr;
  if (o.sack !== undefined) out.sack = o.sack;
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
 * may ever look at. The tokens come out with the line numbers the lines had when they were read; code that moves
 * records (incremental re-analysis) reads `tokens` and shifts them like any other token array, which stays correct
 * because building them never looks at the current `line`.
 *
 * Optional fields are only set when present (`declare`d, not initialised), so records serialise and compare exactly
 * like plain objects with the same fields.
 */
export class PacketSegment implements Segment {
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

  /** The line the record's summary is on, as read, and its number then. */
  readonly #text: string;
  readonly #at: number;
  /** Rarely there: [headText, headAt] for -v pairs, then (line number, text) pairs of continuation lines. */
  #extra: (string | number)[] | undefined = undefined;
  #tokens: Token[] | undefined = undefined;

  constructor(
    public block: number,
    public line: number,
    public lastLine: number,
    public src: Endpoint,
    public dst: Endpoint,
    public flags: readonly TcpFlag[],
    public flagText: string,
    public len: number,
    public source: 'tcpdump' | 'tshark',
    text: string,
  ) {
    this.#text = text;
    this.#at = line;
  }

  /** The function that scans the lines again, with tokens. */
  protected maker(): TokenMaker {
    throw new Error('PacketSegment without a token maker');
  }

  get tokens(): readonly Token[] {
    if (this.#tokens === undefined) {
      const x = this.#extra;
      const head = x !== undefined && typeof x[0] === 'string' && x[0] !== '' ? x[0] : undefined;
      const headAt = head !== undefined ? (x![1] as number) : -1;
      const more = x !== undefined && x.length > 2 ? x.slice(2) : undefined;
      this.#tokens = this.maker()(this.#text, this.#at, head, headAt, more);
    }
    return this.#tokens;
  }

  /** The -v first line (IP header) the record starts on. */
  setHead(text: string, at: number): void {
    const x = (this.#extra ??= ['', -1]);
    x[0] = text;
    x[1] = at;
    this.#tokens = undefined;
  }

  /** A hex/ASCII/decoder line that belongs to this packet. */
  addMore(at: number, text: string): void {
    (this.#extra ??= ['', -1]).push(at, text);
    this.#tokens = undefined;
  }
}

/** Subclasses that name their token maker on the prototype, not per record. */
export function segmentClass(maker: TokenMaker): typeof PacketSegment {
  return class extends PacketSegment {
    protected override maker(): TokenMaker {
      return maker;
    }
  };
}
