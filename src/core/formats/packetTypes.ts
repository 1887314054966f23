import type { Endpoint, Segment, TcpFlag, TcpOptions, Token } from '../model';

/** Records are built field by field while a line is scanned, then handed out as read-only. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export type OptionsDraft = Mutable<TcpOptions> & { raw: string[]; sack?: (readonly [number, number])[] };

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

  readonly #maker: TokenMaker;
  readonly #text: string;
  readonly #at: number;
  #head: string | undefined = undefined;
  #headAt = -1;
  #more: (string | number)[] | undefined = undefined;
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
    maker: TokenMaker,
    text: string,
  ) {
    this.#maker = maker;
    this.#text = text;
    this.#at = line;
  }

  get tokens(): readonly Token[] {
    if (this.#tokens === undefined) this.#tokens = this.#maker(this.#text, this.#at, this.#head, this.#headAt, this.#more);
    return this.#tokens;
  }

  /** The -v first line (IP header) the record starts on. */
  setHead(text: string, at: number): void {
    this.#head = text;
    this.#headAt = at;
    this.#tokens = undefined;
  }

  /** A hex/ASCII/decoder line that belongs to this packet. */
  addMore(at: number, text: string): void {
    (this.#more ??= []).push(at, text);
    this.#tokens = undefined;
  }
}
