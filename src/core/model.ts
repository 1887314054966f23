/**
 * The one model every surface reads. Line numbers are 0-based inside core (they index the document's lines);
 * the CLI's JSON adds 1 at its edge, as the contract in shared/design.md asks.
 */

/** RFC 9293 state names, the canonical spelling inside TCP Lens. */
export type TcpState =
  | 'CLOSED'
  | 'LISTEN'
  | 'SYN-SENT'
  | 'SYN-RECEIVED'
  | 'ESTABLISHED'
  | 'FIN-WAIT-1'
  | 'FIN-WAIT-2'
  | 'CLOSE-WAIT'
  | 'CLOSING'
  | 'LAST-ACK'
  | 'TIME-WAIT';

/** Which tool family printed a block. `variant` on the block carries finer detail. */
export type FormatId = 'ss' | 'netstat-linux' | 'netstat-bsd' | 'netstat-windows' | 'tcpdump' | 'tshark';

export type Lang = 'en' | 'zh-cn';

/** Text in every language TCP Lens speaks. */
export interface Localized {
  readonly en: string;
  readonly 'zh-cn': string;
}

/** A column range on one line: [start, end) in UTF-16 code units, as editors count. */
export interface Span {
  readonly line: number;
  readonly start: number;
  readonly end: number;
}

/**
 * What a token on a line means; hovers, grammars and diagnostics key off this.
 * Kinds are deliberately fine-grained so a hover can say something specific.
 */
export type TokenKind =
  | 'proto'
  | 'recvQ'
  | 'sendQ'
  | 'localAddress'
  | 'remoteAddress'
  | 'state'
  | 'process'
  | 'timer'
  | 'user'
  | 'inode'
  | 'ssInfo' // one `name:value` or flag on ss -i/-e/-m output (rtt:, cwnd:, skmem:(...), ino:, ...)
  | 'time'
  | 'frameNumber'
  | 'interface'
  | 'direction'
  | 'ipHeader' // the -v first line's fields
  | 'srcEndpoint'
  | 'dstEndpoint'
  | 'flags'
  | 'seq'
  | 'ack'
  | 'win'
  | 'urg'
  | 'option' // one option inside options [...] or <...>
  | 'length'
  | 'checksum'
  | 'payload' // decoder text after `length N`, or the hex/ASCII dump lines
  | 'analysis' // tshark's [TCP Retransmission] and friends
  | 'header'
  | 'prompt';

export interface Token extends Span {
  readonly kind: TokenKind;
  /** For `ssInfo`/`option`: the field's name (rtt, cwnd, mss, wscale, TS, sack, ...). */
  readonly name?: string;
}

export interface Endpoint {
  /** As printed, with brackets and zone removed: `127.0.0.1`, `::1`, `::ffff:10.0.0.1`, `*`, `localhost`. */
  readonly address: string;
  /** Numeric when the tool printed a number; otherwise the text (`*`, `ssh`, `http`). */
  readonly port: number | string;
  /** `%lo` style interface suffix, if any. */
  readonly zone?: string;
}

export interface SocketTimer {
  /** on, off, keepalive, timewait, persist, probe, unknown, ... as printed. */
  readonly kind: string;
  /** Time left until the timer fires, in milliseconds, when printed. */
  readonly expiresMs?: number;
  /** Retransmission / probe count, when printed. */
  readonly retransmits?: number;
  readonly text: string;
}

export interface Block {
  readonly format: FormatId;
  /** Finer detail: `ss -tan`, `ss -i`, `netstat -natp`, `busybox`, `macos -A`, `tcpdump -v`, `tcpdump 3.x`, `tshark 1.x` ... */
  readonly variant: string;
  readonly firstLine: number;
  readonly lastLine: number;
}

export interface SocketRow {
  readonly block: number;
  /** The row's first line; `lastLine` is larger when ss -i/-e continued it on the next line, or Windows -b owner lines. */
  readonly line: number;
  readonly lastLine: number;
  /** tcp, tcp4, tcp6, tcp46, udp, udp6, TCP, UDP as printed (lower-cased). */
  readonly proto: string;
  readonly local: Endpoint;
  readonly remote: Endpoint;
  /** Canonical RFC 9293 state; undefined for UDP/UNCONN rows and states that are not TCP's (BOUND, DELETE_TCB). */
  readonly state?: TcpState;
  /** The spelling the tool printed (ESTAB, TIME_WAIT, LISTENING, VERBUNDEN ...); '' when the column is empty. */
  readonly stateText: string;
  readonly recvQ?: number;
  readonly sendQ?: number;
  readonly process?: { readonly name: string; readonly pid?: number };
  readonly timer?: SocketTimer;
  /** ss -i/-e/-m fields by name (rtt, cwnd, retrans, skmem, ino, uid, ...), values as printed. */
  readonly info?: Readonly<Record<string, string>>;
  readonly tokens: readonly Token[];
}

export type TcpFlag = 'SYN' | 'ACK' | 'FIN' | 'RST' | 'PSH' | 'URG' | 'ECE' | 'CWR' | 'AE';

export interface TcpOptions {
  readonly mss?: number;
  readonly wscale?: number;
  readonly sackPermitted?: boolean;
  readonly tsVal?: number;
  readonly tsEcr?: number;
  /** SACK blocks as printed: [left, right) edges, relative or absolute as the tool printed them. */
  readonly sack?: readonly (readonly [number, number])[];
  /** Every option as printed, in order (`mss 1460`, `nop`, `TS val 1 ecr 0`, `wscale 7`). */
  readonly raw: readonly string[];
}

export interface Segment {
  readonly block: number;
  readonly line: number;
  /** Last line of the packet: the -v second line, hex/ASCII dump lines. */
  readonly lastLine: number;
  /** Packet number: tcpdump -# or tshark's frame number. */
  readonly number?: number;
  /** The timestamp as printed. */
  readonly time?: string;
  /**
   * Seconds on one scale for the block: absolute seconds for wall-clock styles (time of day counts from midnight),
   * cumulative for -ttt deltas, as printed for tshark's relative column. Undefined with tcpdump -t.
   */
  readonly timeSeconds?: number;
  readonly src: Endpoint;
  readonly dst: Endpoint;
  readonly flags: readonly TcpFlag[];
  /** Flags as printed (`S.`, `P.`, `SYN, ACK`, `S`). */
  readonly flagText: string;
  /** First sequence number as printed (relative or absolute: see `seqStyle` on the rebuild). */
  readonly seq?: number;
  /** One past the last sequence number (`seq 1:9` gives seq 1, seqEnd 9). */
  readonly seqEnd?: number;
  readonly ack?: number;
  /** The window field as printed (unscaled in tcpdump; tshark prints it scaled). */
  readonly win?: number;
  readonly urg?: number;
  /** TCP payload length. */
  readonly len: number;
  readonly options?: TcpOptions;
  /** The capture was cut inside the TCP header (`[|tcp]`). */
  readonly truncated?: boolean;
  /** Interface and direction from tcpdump -i any (`lo`, `In`/`Out`/`P`/`M`). */
  readonly iface?: string;
  readonly direction?: string;
  /** tshark's own analysis labels as printed, e.g. `TCP Retransmission`, `TCP Dup ACK 12#1`. */
  readonly toolAnalysis?: readonly string[];
  /** tshark prints relative numbers and the scaled window; tcpdump prints raw fields. */
  readonly source: 'tcpdump' | 'tshark';
  readonly tokens: readonly Token[];
}

export interface UnparsedLine {
  readonly line: number;
  readonly text: string;
  /** Why it was not understood, for the user. */
  readonly reason?: string;
}

/** What reading a document produced, before connection rebuild and analysis. */
export interface ParsedDocument {
  readonly lineCount: number;
  readonly blocks: readonly Block[];
  readonly sockets: readonly SocketRow[];
  readonly segments: readonly Segment[];
  /** Lines inside a detected block that no reader understood. Never silently dropped. */
  readonly unparsed: readonly UnparsedLine[];
  /** Lines that are part of a block's furniture: headers, titles, prompts, summaries. */
  readonly headerLines: readonly number[];
}

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  readonly code: string;
  readonly severity: Severity;
  /** Every line involved, 0-based, ascending. The first is where a diagnostic is anchored. */
  readonly lines: readonly number[];
  readonly connection?: number;
  readonly message: Localized;
  /** Likely cause and what to do, when there is more to say than the message. */
  readonly cause?: Localized;
  readonly fix?: Localized;
}
