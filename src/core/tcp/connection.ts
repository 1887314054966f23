/**
 * Rebuild TCP connections from the segments a capture printed, and infer both ends' states segment by segment.
 *
 * Three linear passes over the segments, in capture order, each of which can stop after any segment and resume
 * (src/core/analysis/segments.ts runs them as a sliceable job):
 *  1. `Grouper`: group segments into connections (block + 4-tuple, split when a port is reused), pick the client and
 *     server, and turn every printed sequence/ack number into a number relative to its sender's ISN (whatever the
 *     tool printed: tcpdump's absolute-then-relative numbers, tcpdump -S, tshark's relative numbers). It also notes,
 *     per connection, what the later passes need to know about the whole connection (its FINs, how it opened), so
 *     that no pass walks a connection's segments twice.
 *  2. (src/core/analysis/segments.ts) Wireshark-style per-segment analysis, in the same pass as the grouping.
 *  3. `Replayer`: replay each connection through two RFC 9293 machines (src/core/tcp/machine.ts), one per end, and
 *     label each segment's step; after a connection's last segment its outcome and final states are known.
 *
 * Certainty. A capture sees segments, not the stacks. An end's state is `certain` when the end's own transmissions
 * prove it: what it sent (SYN, SYN,ACK, FIN, RST) and what its acknowledgment number proves it had received (an ACK
 * field covering the peer's FIN proves the FIN arrived; receiving a segment proves receiving the ACK field it
 * carried). It is `inferred` when it rests on our assumption that a segment we saw reached the other end, e.g. the
 * server's ESTABLISHED after the handshake's third ACK, or FIN-WAIT-2 after the peer's ACK of our FIN.
 */
import type { AnalysisFlag } from '../analysis/flags';
import type { Endpoint, Segment, TcpState } from '../model';
import { TCP_STATES } from './states';
import {
  RULES,
  CLOSED_TCB,
  copyTcb,
  seqAdd,
  seqGt,
  seqGe,
  seqLe,
  seqLt,
  step,
  stepReceiveQuiet,
  stepSentQuiet,
  tcbInState,
  type MachineSegment,
  type RuleId,
  type Tcb,
} from './machine';
// Public types.

export type Side = 'client' | 'server';
export type OpenOutcome = 'handshake' | 'refused' | 'unanswered' | 'simultaneous' | 'mid-stream';
export type CloseOutcome = 'client-first' | 'server-first' | 'simultaneous' | 'reset' | 'open';
/**
 * How the tool printed sequence numbers for a connection: `absolute` (tcpdump -S, tshark with relative numbers off),
 * `relative` (tshark's default: relative from 0), `tcpdump-relative` (tcpdump's default: absolute on the packets up
 * to the first one with ACK of the 4-tuple, relative to the ISNs after it).
 */
export type SeqStyle = 'absolute' | 'relative' | 'tcpdump-relative';

export interface EndState {
  readonly state: TcpState;
  /** True when the end's own segments prove the state; false when it rests on a segment reaching it. */
  readonly certain: boolean;
}

export interface EndsState {
  readonly client: EndState;
  readonly server: EndState;
}

export type StepPhase =
  | 'handshake'
  | 'simultaneous-open'
  | 'refused'
  | 'data'
  | 'ack'
  | 'teardown'
  | 'simultaneous-close'
  | 'half-close-data'
  | 'reset'
  | 'after-close';

/** Where a segment sits in its connection's story: `handshake 2/3`, `teardown 1/4`, `data`. */
export interface Step {
  readonly phase: StepPhase;
  /** 1-based position inside a counted phase (handshake, simultaneous-open, teardown). */
  readonly n?: number;
  readonly of?: number;
  /** The segment repeats one already counted (a retransmitted SYN or FIN). */
  readonly again?: boolean;
  /** English label, e.g. `handshake 1/3`, `teardown 2/4 (again)`; see `stepLabel` for zh-cn. */
  readonly label: string;
}

export interface ConnectionEnd {
  readonly endpoint: Endpoint;
  /** Initial sequence number as printed on the SYN (absolute for tcpdump, 0 for tshark's relative numbers). */
  readonly isn?: number;
  readonly mss?: number;
  readonly wscale?: number;
  readonly sackPermitted?: boolean;
  readonly timestamps?: boolean;
  /** Payload bytes sent, counted once (highest sequence reached minus the first): retransmissions excluded. */
  readonly bytes: number;
  /** Payload bytes on the wire, retransmissions included. */
  readonly wireBytes: number;
  readonly segments: number;
}

export interface Connection {
  readonly id: number;
  readonly block: number;
  readonly client: ConnectionEnd;
  readonly server: ConnectionEnd;
  /** True when the capture did not show who opened the connection and client/server were guessed from the ports. */
  readonly rolesGuessed: boolean;
  /** Indexes into the segment array, in capture order. */
  readonly segmentIndexes: readonly number[];
  readonly firstLine: number;
  readonly lastLine: number;
  readonly firstTime?: number;
  readonly lastTime?: number;
  readonly durationMs?: number;
  /** Initial RTT as Wireshark computes it: the (last) SYN to the client's ACK of the SYN,ACK. */
  readonly irttMs?: number;
  readonly open: OpenOutcome;
  /** The handshake's third segment (or, in a simultaneous open, both SYN,ACKs) was seen. */
  readonly handshakeComplete: boolean;
  readonly close: CloseOutcome;
  /** The side whose FIN came first (undefined when no FIN was seen). */
  readonly firstFin?: Side;
  /** The peer of the first FIN sent new data after it: one direction was closed while the other went on. */
  readonly halfClose: boolean;
  /** Which ends were in (or passed through) TIME-WAIT: the side that closed first, both after a simultaneous close. */
  readonly timeWait: readonly Side[];
  readonly reset?: {
    readonly by: Side;
    /** Index of the first RST segment. */
    readonly segment: number;
    /** The RST sender's state just before it sent the RST. */
    readonly senderState: TcpState;
    /** The receiver's state just before it got the RST. */
    readonly receiverState: TcpState;
  };
  /** This connection reused the 4-tuple of an earlier connection in the same block. */
  readonly portReuse: boolean;
  /** The previous connection on the same 4-tuple, when `portReuse`. */
  readonly previous?: number;
  readonly seqStyle: SeqStyle;
  readonly finalStates: EndsState;
}

/** What the rebuild knows about one segment. */
export interface SegmentTcp {
  readonly connection: number;
  readonly fromClient: boolean;
  /** Sequence number relative to the sender's ISN (the SYN is 0); undefined when the tool did not print it. */
  readonly relSeq?: number;
  /** One past the last sequence number the segment occupies, counting SYN and FIN. */
  readonly relNext?: number;
  /** Acknowledgment number relative to the receiver's ISN; undefined without the ACK flag. */
  readonly relAck?: number;
  /** The advertised window in bytes when the scale is known (always for SYNs, which are never scaled). */
  readonly window?: number;
  /** The window scale of this direction is known (both SYNs seen), so `window` is in bytes. */
  readonly windowScaled: boolean;
  readonly before: EndsState;
  readonly after: EndsState;
  readonly step: Step;
  /** The machine rules applied to the sender (`sent`) and the receiver (`receive`) for this segment. */
  readonly senderRule: RuleId;
  readonly receiverRule: RuleId;
  /** Wireshark-style analysis flags (src/core/analysis/segments.ts); empty when the rebuild ran without them. */
  readonly analysis: readonly AnalysisFlag[];
  /** For a duplicate ACK: its number in the run (`Dup ACK 29#3` -> 3) and the index of the segment it repeats. */
  readonly dupAck?: { readonly n: number; readonly of: number } | undefined;
}

export interface Rebuild {
  readonly connections: readonly Connection[];
  /** Index-aligned with the input segments. */
  readonly perSegment: readonly SegmentTcp[];
}

// ---------------------------------------------------------------------------------------------------------------
// Pass 1: grouping and sequence normalisation.

/** Per (block, 4-tuple): tcpdump's own relative-number table, which outlives connections on the tuple. */
interface TupleTrack {
  current: ConnBuilder | undefined;
  count: number;
  /** tcpdump has created its table entry (on the first segment with ACK of the tuple). */
  tdEntry: boolean;
  // Per tuple direction (0: the canonical first endpoint sends), as plain number fields (NaN: none) so that updating
  // them allocates nothing:
  /** tcpdump's bases. */
  tdBase0: number;
  tdBase1: number;
  /** A reference absolute value of the direction's sequence space, to tell -S from relative. */
  ref0: number;
  ref1: number;
  /** The last SYN's sequence number (to guess tcpdump's base when its entry's seq was not printed). */
  synSeq0: number;
  synSeq1: number;
}

function tdBase(t: TupleTrack, dir: number): number {
  return dir === 0 ? t.tdBase0 : t.tdBase1;
}

/** tuple.ref of a direction; undefined when none. */
function refOf(t: TupleTrack, dir: number): number | undefined {
  const v = dir === 0 ? t.ref0 : t.ref1;
  return Number.isNaN(v) ? undefined : v;
}

/** tuple.synSeq of a direction; undefined when none. */
function synSeqOf(t: TupleTrack, dir: number): number | undefined {
  const v = dir === 0 ? t.synSeq0 : t.synSeq1;
  return Number.isNaN(v) ? undefined : v;
}

const TCPDUMP_UNDECIDED = 0;
const TCPDUMP_S = 1;
const TCPDUMP_REL = 2;

interface BlockTrack {
  /**
   * tcpdump block numbering: TCPDUMP_S (-S, absolute) or TCPDUMP_REL (default); TCPDUMP_UNDECIDED until a segment
   * decides it. (Numbers: the same comparisons, whatever the mode, for code made before a block decided.)
   */
  tcpdumpMode: number;
  /** Index of the segment that decided `tcpdumpMode`; -1 until one did. */
  decidedAt: number;
}

/** What pass 1 learns about one end of a connection (side 0 is the client, 1 the server). */
export interface EndFacts {
  readonly endpoint: Endpoint;
  /** Frame value of relative 0 (the ISN), learnt from the SYN or the first sighting. */
  base: number | undefined;
  isnPrinted: number | undefined;
  synSeen: boolean;
  synAckSeen: boolean;
  options: SynOptions | undefined;
  finSeen: boolean;
  maxNext: number | undefined;
  minSeq: number | undefined;
  wireBytes: number;
  segments: number;
  /**
   * Its SYNs without ACK and its SYN,ACKs (read them with `synIndexes`/`synAckIndexes`): the first one's index (-1:
   * none), and all of them, in capture order, once there is a second one.
   */
  firstSyn: number;
  syns: number[] | undefined;
  firstSynAck: number;
  synAcks: number[] | undefined;
}

/**
 * Builders and end facts are made by object literals, not classes: V8 notices that the objects of a literal all live
 * long and then makes them directly where long-lived objects go, while it copies class instances from the young
 * generation like any new object (measured: a third fewer collections during pass 1 on the 1M-line bench).
 */
function newEndFacts(endpoint: Endpoint): EndFacts {
  return {
    endpoint,
    base: undefined,
    isnPrinted: undefined,
    synSeen: false,
    synAckSeen: false,
    options: undefined,
    finSeen: false,
    maxNext: undefined,
    minSeq: undefined,
    wireBytes: 0,
    segments: 0,
    firstSyn: -1,
    syns: undefined,
    firstSynAck: -1,
    synAcks: undefined,
  };
}

const NO_INDEXES: readonly number[] = Object.freeze([]);

/** The indexes of an end's SYNs without ACK, in capture order. */
export function synIndexes(f: EndFacts): readonly number[] {
  return f.syns ?? (f.firstSyn >= 0 ? [f.firstSyn] : NO_INDEXES);
}

/** The indexes of an end's SYN,ACKs, in capture order. */
export function synAckIndexes(f: EndFacts): readonly number[] {
  return f.synAcks ?? (f.firstSynAck >= 0 ? [f.firstSynAck] : NO_INDEXES);
}

/** Facts gathered for a connection in pass 1. */
export interface ConnBuilder {
  readonly id: number;
  readonly block: number;
  readonly tuple: TupleTrack;
  /** Tuple direction (0/1) in which the client sends. */
  readonly clientDir: number;
  readonly client: EndFacts;
  readonly server: EndFacts;
  readonly rolesGuessed: boolean;
  readonly source: 'tcpdump' | 'tshark';
  readonly blockTrack: BlockTrack;
  readonly portReuse: boolean;
  /** The connection this one reuses the 4-tuple of (-1: none; a number either way, see newBuilder). */
  readonly previous: number;
  /** Its segments: the first, the last, how many. */
  firstSeg: number;
  lastSeg: number;
  count: number;
  /** Non-SYN segments seen (anything beyond the opening). */
  pastOpening: boolean;
  rstSeen: boolean;
  /** Index of the most recent client SYN and of the client's first ACK of the server's SYN (for the iRTT). */
  lastSynIndex: number | undefined;
  handshakeAckIndex: number | undefined;
  irttSeconds: number | undefined;
  /** Some segment printed numbers relative to tcpdump's table entry. */
  sawRelativePrint: boolean;
  /** Index of the first RST. */
  firstRst: number | undefined;

  // What the later passes need to know about the whole connection, noted segment by segment in pass 1.
  /** Smallest first line and largest last line of the connection's segments. */
  firstLine: number;
  lastLine: number;
  /** Index of the first FIN (-1: none), its side, and the relative sequence number where its data ends. */
  firstFin: number;
  firstFinSide: number;
  firstFinSeq: number;
  /** The peer's first segment whose ACK covers the first FIN (-1: none). */
  ackOfFirstFin: number;
  /** The peer's first FIN after the first one (-1: none), where its data ends, and the first ACK covering it. */
  secondFin: number;
  secondFinSeq: number;
  ackOfSecondFin: number;
  /** The second FIN acknowledged the first one (false: both were in flight, a simultaneous close). */
  secondFinCoversFirst: boolean;
  /** The peer of the first FIN sent new data after it and before its own FIN. */
  halfClose: boolean;
  /** The server sent a RST. */
  serverRst: boolean;
  /** SYNs without ACK before the first segment without SYN: 1 from the client, 2 from the server (bits). */
  openingSyns: number;
  /** The analysis flag bits of all its segments, OR-ed (src/core/analysis/segments.ts sets them). */
  flagBits: number;
  // What the later passes make for a connection (its replay, opening outcome, rebuilt Connection, the findings'
  // notes) is kept by those passes, indexed by connection id, not in fields of the builder: a field that changes
  // from undefined to an object after pass 1 changes the builders' hidden class, and V8 then throws away the
  // optimized code of pass 1 (the Grouper and Flagger loops) that depended on it.
}

/** A connection's builder, from its first segment `first` (see newEndFacts for why a literal). */
function newBuilder(
  id: number,
  block: number,
  tuple: TupleTrack,
  clientDir: number,
  client: EndFacts,
  server: EndFacts,
  rolesGuessed: boolean,
  source: 'tcpdump' | 'tshark',
  blockTrack: BlockTrack,
  previous: ConnBuilder | undefined,
  first: number,
  firstLine: number,
  lastLine: number,
): ConnBuilder {
  return {
    id,
    block,
    tuple,
    clientDir,
    client,
    server,
    rolesGuessed,
    source,
    blockTrack,
    portReuse: previous !== undefined,
    previous: previous !== undefined ? previous.id : -1,
    firstSeg: first,
    lastSeg: first,
    count: 0,
    pastOpening: false,
    rstSeen: false,
    lastSynIndex: undefined,
    handshakeAckIndex: undefined,
    irttSeconds: undefined,
    sawRelativePrint: false,
    firstRst: undefined,
    firstLine,
    lastLine,
    firstFin: -1,
    firstFinSide: -1,
    // NaN until known (read only after the FIN is seen): a number field that starts as a small integer and later gets
    // a sequence number above 2^30 changes representation, which makes new hidden classes for every builder and
    // throws away the optimized code of pass 1 in the middle of it.
    firstFinSeq: NaN,
    ackOfFirstFin: -1,
    secondFin: -1,
    secondFinSeq: NaN,
    ackOfSecondFin: -1,
    secondFinCoversFirst: true,
    halfClose: false,
    serverRst: false,
    openingSyns: 0,
    flagBits: 0,
  };
}

interface SynOptions {
  readonly mss?: number;
  readonly wscale?: number;
  readonly sackPermitted: boolean;
  readonly timestamps: boolean;
}

/**
 * The options a SYN negotiated, one shared frozen object per combination (a capture's connections mostly negotiate
 * the same few sets, and every connection keeps its two).
 */
const SYN_OPTIONS = new Map<string, SynOptions>();
/** The same, by a number made of the four (see synOptions), when mss and wscale are the usual small integers. */
const SYN_OPTIONS_BY_NUMBER = new Map<number, SynOptions>();
function synOptions(mss: number | undefined, wscale: number | undefined, sackPermitted: boolean, timestamps: boolean): SynOptions {
  const flags = (sackPermitted ? 2 : 0) + (timestamps ? 1 : 0);
  // mss 0..65535 (65536: none), wscale 0..254 (255: none): a small-integer key, and no string per SYN.
  const m = mss === undefined ? 65536 : mss;
  const w = wscale === undefined ? 255 : wscale;
  const numeric =
    Number.isInteger(m) && m >= 0 && (m < 65536 || mss === undefined) && Number.isInteger(w) && w >= 0 && (w < 255 || wscale === undefined);
  const key = numeric ? (m * 256 + w) * 4 + flags : -1;
  let o = numeric ? SYN_OPTIONS_BY_NUMBER.get(key) : SYN_OPTIONS.get(`${String(mss)} ${String(wscale)} ${flags >> 1}${flags & 1}`);
  if (o === undefined) {
    o = Object.freeze({ mss, wscale, sackPermitted, timestamps });
    if (numeric) {
      if (SYN_OPTIONS_BY_NUMBER.size < 4096) SYN_OPTIONS_BY_NUMBER.set(key, o);
    } else if (SYN_OPTIONS.size < 4096) {
      SYN_OPTIONS.set(`${String(mss)} ${String(wscale)} ${flags >> 1}${flags & 1}`, o);
    }
  }
  return o;
}

/** Bits of NormTable.bits. */
export const N_CLIENT = 1;
export const N_SYN = 2;
export const N_ACK = 4;
export const N_FIN = 8;
export const N_RST = 16;
/** relSeq/relNext are known (the tool printed a sequence number). */
export const N_SEQ = 32;
/** relAck is known. */
export const N_ACKNO = 64;
export const N_WIN = 128;
/** The window is in bytes (scale known, or a SYN). */
export const N_WSCALED = 256;
/** First segment of a connection that reuses an earlier connection's 4-tuple. */
export const N_REUSE = 512;
export const N_TIME = 1024;
/** The window is not a 32-bit unsigned integer: NormTable keeps it aside (see NormTable.windowAt). */
const N_WIN_WIDE = 2048;

/**
 * Pass 1's result, one row per segment in typed arrays. Segment objects come from several readers with different
 * optional fields, so reading them is slow (megamorphic property access, a cache miss per object): every later pass
 * reads these arrays instead.
 */
export class NormTable {
  readonly conn: Int32Array;
  readonly bits: Uint16Array;
  readonly seq: Uint32Array;
  readonly ack: Uint32Array;
  /** Windows in bytes (a scaled 16-bit window fits 32 bits); any other number is in `wideWin` (bit N_WIN_WIDE). */
  readonly win: Uint32Array;
  private wideWin: Map<number, number> | undefined;
  readonly len: Uint32Array;
  readonly time: Float64Array;
  readonly line: Int32Array;
  constructor(readonly size: number) {
    this.conn = new Int32Array(size);
    this.bits = new Uint16Array(size);
    this.seq = new Uint32Array(size);
    this.ack = new Uint32Array(size);
    this.win = new Uint32Array(size);
    this.wideWin = undefined;
    this.len = new Uint32Array(size);
    this.time = new Float64Array(size);
    this.line = new Int32Array(size);
  }

  /**
   * relNext of row i (call it when bits & N_SEQ): one past the last sequence number it occupies, counting SYN and FIN.
   * Computed, not kept: the table's arrays are memory outside V8's heap, and a few MB more of it in a big capture is
   * enough to start a full garbage collection.
   */
  next(i: number): number {
    const b = this.bits[i]!;
    return seqAdd(this.seq[i]!, this.len[i]! + (b & N_SYN ? 1 : 0) + (b & N_FIN ? 1 : 0));
  }

  /** Fill `into` (a cursor reused by the caller; do not keep it) with row i. */
  view(i: number, into: NormalisedSegment): NormalisedSegment {
    const b = this.bits[i]!;
    into.side = b & N_CLIENT ? 0 : 1;
    // The numbers are written whether or not the row has them (then they are 0-based garbage, never read): a choice
    // between a number and a placeholder made V8 box the number. relNext is `next(i)` written out, for the same
    // reason (a call returns a boxed number).
    into.hasSeq = (b & N_SEQ) !== 0;
    into.relSeq = this.seq[i]!;
    into.relNext = seqAdd(this.seq[i]!, this.len[i]! + (b & N_SYN ? 1 : 0) + (b & N_FIN ? 1 : 0));
    into.hasAck = (b & N_ACKNO) !== 0;
    into.relAck = this.ack[i]!;
    into.syn = (b & N_SYN) !== 0;
    into.ack = (b & N_ACK) !== 0;
    into.fin = (b & N_FIN) !== 0;
    into.rst = (b & N_RST) !== 0;
    into.len = this.len[i]!;
    into.line = this.line[i]!;
    into.index = i;
    return into;
  }

  timeOf(i: number): number | undefined {
    return this.bits[i]! & N_TIME ? this.time[i]! : undefined;
  }

  windowOf(i: number): number | undefined {
    return this.bits[i]! & N_WIN ? this.windowAt(i) : undefined;
  }

  /** The window of row i (call it when bits & N_WIN). */
  windowAt(i: number): number {
    return this.bits[i]! & N_WIN_WIDE ? this.wideWin!.get(i)! : this.win[i]!;
  }

  /** Set the window of row i; returns the bits to add to the row's (N_WIN, and N_WIN_WIDE when kept aside). */
  setWindow(i: number, window: number): number {
    if (window >>> 0 === window) {
      this.win[i] = window;
      return N_WIN;
    }
    (this.wideWin ??= new Map()).set(i, window);
    return N_WIN | N_WIN_WIDE;
  }
}

/**
 * The fields of a NormTable row that the replay reads, as an object (a reusable cursor filled by NormTable.view; the
 * window and the time, numbers that would each need a box of their own, are read from the table by `index`).
 * Numbers that a row may lack are a number and a flag: fields that only ever hold numbers keep them unboxed, in
 * place, while a `number | undefined` field takes a new heap number for every relative number above V8's small
 * integers (most of them on a large capture, whose relative numbers often start far from 0).
 */
export interface NormalisedSegment {
  side: 0 | 1;
  /** The row has a sequence number: relSeq and relNext mean something only then. */
  hasSeq: boolean;
  relSeq: number;
  relNext: number;
  /** The row has an acknowledgment number: relAck means something only then. */
  hasAck: boolean;
  relAck: number;
  syn: boolean;
  ack: boolean;
  fin: boolean;
  rst: boolean;
  len: number;
  line: number;
  /** The row. */
  index: number;
}

/** A cursor to pass to NormTable.view. */
export function newCursor(): NormalisedSegment {
  return {
    side: 0,
    hasSeq: false,
    // NaN, not 0: a field that starts as a small integer is not yet a double field.
    relSeq: NaN,
    relNext: NaN,
    hasAck: false,
    relAck: NaN,
    syn: false,
    ack: false,
    fin: false,
    rst: false,
    len: 0,
    line: 0,
    index: 0,
  };
}

/** Circular distance between two 32-bit numbers. */
function circDistance(a: number, b: number): number {
  const d = Math.abs((a - b) | 0);
  return d;
}

/** Roles for a connection whose opening the capture did not show: the ephemeral-port side is the client. */
function guessClientIsSource(src: Endpoint, dst: Endpoint): boolean {
  const sp = typeof src.port === 'number' ? src.port : NaN;
  const dp = typeof dst.port === 'number' ? dst.port : NaN;
  if (Number.isNaN(sp) || Number.isNaN(dp)) {
    // A port printed as a service name (`http`) is the well-known side.
    if (Number.isNaN(dp) && !Number.isNaN(sp)) return true;
    if (Number.isNaN(sp) && !Number.isNaN(dp)) return false;
    return true;
  }
  if (sp < 1024 !== dp < 1024) return dp < 1024;
  if (sp !== dp) return sp > dp;
  return true;
}

/** How many recently used 4-tuples the Grouper finds by their endpoint objects. */
const RECENT_TUPLES = 8;

/**
 * Pass 1, one segment at a time (`addRange` may stop after any segment and go on later): connections, relative
 * numbers into the NormTable, and the per-connection facts of ConnBuilder.
 */
export class Grouper {
  readonly builders: ConnBuilder[] = objectList();
  readonly norm: NormTable;
  // Endpoints are interned to small integers (address -> port -> id) so that a 4-tuple is a number, not a string.
  private readonly endpointIds = new Map<string, Map<number | string, number>>();
  private nextEndpointId = 0;
  private readonly tuplesByBlock = new Map<number, Map<number, Map<number, TupleTrack>>>();
  private readonly blocks = new Map<number, BlockTrack>();
  private lastBlock = -1;
  private tuples: Map<number, Map<number, TupleTrack>> = new Map();
  private block: BlockTrack = { tcpdumpMode: TCPDUMP_UNDECIDED, decidedAt: -1 };
  // The recently used tuples of the current block (see tupleOf), and the direction tupleOf found.
  private readonly recentA: (Endpoint | undefined)[] = new Array<Endpoint | undefined>(RECENT_TUPLES).fill(undefined);
  private readonly recentB: (Endpoint | undefined)[] = new Array<Endpoint | undefined>(RECENT_TUPLES).fill(undefined);
  private readonly recentTuple: (TupleTrack | undefined)[] = new Array<TupleTrack | undefined>(RECENT_TUPLES).fill(undefined);
  private readonly recentDir: number[] = new Array<number>(RECENT_TUPLES).fill(0);
  private recentNext = 0;
  private dir = 0;

  constructor(private readonly segments: readonly Segment[]) {
    this.norm = new NormTable(segments.length);
    // The first block is entered here, so that the loop meets a new block only when the document has several (code
    // optimized on a one-block document would otherwise be thrown away at the start of every analysis).
    if (segments.length > 0) this.enterBlock(segments[0]!.block);
  }

  private endpointId(e: Endpoint): number {
    let ports = this.endpointIds.get(e.address);
    if (ports === undefined) {
      ports = new Map();
      this.endpointIds.set(e.address, ports);
    }
    let id = ports.get(e.port);
    if (id === undefined) {
      id = this.nextEndpointId++;
      ports.set(e.port, id);
    }
    return id;
  }

  /** Per block: the segment that decided how tcpdump numbered the block (incremental re-analysis needs it). */
  numbering(): Map<number, number> {
    const out = new Map<number, number>();
    for (const [b, track] of this.blocks) if (track.decidedAt >= 0) out.set(b, track.decidedAt);
    return out;
  }

  /** Group and normalise segments [from, to), which must follow the segments already added. */
  addRange(from: number, to: number): void {
    const segments = this.segments;
    const norm = this.norm;
    const builders = this.builders;
    for (let i = from; i < to; i++) {
      const seg = segments[i]!;
      if (seg.block !== this.lastBlock) this.enterBlock(seg.block);
      const block = this.block;
      const tuple = this.tupleOf(seg.src, seg.dst);
      const dir = this.dir;
      let syn = false;
      let ack = false;
      let fin = false;
      let rst = false;
      const fl = seg.flags;
      for (let f = 0; f < fl.length; f++) {
        const x = fl[f];
        if (x === 'ACK') ack = true;
        else if (x === 'SYN') syn = true;
        else if (x === 'FIN') fin = true;
        else if (x === 'RST') rst = true;
      }

      // 1. Printed numbers -> one consistent frame per tuple direction (absolute when we can know it). Numbers that
      // may be missing are a number and a flag each: a `number | undefined` above 2^30 would be a heap number. Every
      // source goes through FRAME, whose number fields are unboxed doubles: a variable that is either the printed
      // number (a tagged value) or FRAME's (a double) would be tagged, and V8 would box FRAME's number for it - two
      // heap numbers per segment.
      const printedSeq = seg.seq;
      const printedAck = ack ? seg.ack : undefined;
      const source = seg.source;
      if (source === 'tcpdump') {
        tcpdumpFrame(printedSeq, printedAck, tuple, block, dir, syn, ack);
        if (block.decidedAt < 0 && block.tcpdumpMode !== TCPDUMP_UNDECIDED) block.decidedAt = i;
      } else {
        setFrame(printedSeq, printedAck, true);
      }
      const hasSeq = FRAME.hasSeq;
      const fseq = hasSeq ? FRAME.seq : 0;
      const hasAck = FRAME.hasAck;
      const fack = hasAck ? FRAME.ack : 0;
      const absoluteInPrint = FRAME.printedAbsolute;

      // 2. Which connection?
      let conn = tuple.current;
      let portReuse = false;
      if (conn !== undefined && syn && !ack) {
        const end = dir === conn.clientDir ? conn.client : conn.server;
        const isn = end.base;
        let same: boolean;
        if (end.synSeen && isn !== undefined) same = hasSeq && fseq === isn && !ended(conn);
        else same = !conn.pastOpening && !ended(conn);
        if (!same) {
          portReuse = true;
          conn = undefined;
        }
      }
      if (conn === undefined) {
        const clientIsSrc = syn && !ack ? true : syn && ack ? false : guessClientIsSource(seg.src, seg.dst);
        const previous = tuple.current;
        conn = newBuilder(
          builders.length,
          seg.block,
          tuple,
          clientIsSrc ? dir : 1 - dir,
          newEndFacts(clientIsSrc ? seg.src : seg.dst),
          newEndFacts(clientIsSrc ? seg.dst : seg.src),
          !syn,
          source,
          block,
          previous,
          i,
          seg.line,
          seg.lastLine,
        );
        portReuse = previous !== undefined;
        tuple.current = conn;
        tuple.count++;
        builders.push(conn);
      }
      if (!absoluteInPrint) conn.sawRelativePrint = true;
      const side: 0 | 1 = dir === conn.clientDir ? 0 : 1;
      const mine = side === 0 ? conn.client : conn.server;
      const theirs = side === 0 ? conn.server : conn.client;
      conn.lastSeg = i;
      conn.count++;
      mine.segments++;
      const len = seg.len;
      mine.wireBytes += len;
      const time = seg.timeSeconds;

      // 3. Relative numbers.
      if (syn) {
        if (!mine.synSeen && hasSeq) {
          mine.base = fseq;
          mine.isnPrinted = printedSeq;
        }
        mine.synSeen = true;
        if (ack) mine.synAckSeen = true;
        const o = seg.options;
        mine.options = synOptions(o?.mss, o?.wscale, o?.sackPermitted === true, o?.tsVal !== undefined);
        if (!ack && side === 0) conn.lastSynIndex = i;
        // A SYN before any segment without SYN: who opened (a simultaneous open has SYNs from both ends).
        if (!ack && !conn.pastOpening) conn.openingSyns |= side === 0 ? 1 : 2;
      } else {
        conn.pastOpening = true;
      }
      if (hasSeq && mine.base === undefined) mine.base = seqAdd(fseq, -1);
      if (hasAck && theirs.base === undefined) theirs.base = seqAdd(fack, -1);
      const relSeq = hasSeq ? seqAdd(fseq, -(mine.base as number)) : 0;
      const relAck = hasAck ? seqAdd(fack, -(theirs.base as number)) : 0;
      // New data: beyond the highest sequence number the side had reached (not a retransmission).
      let isNew = false;
      if (hasSeq) {
        const relNext = seqAdd(relSeq, len + (syn ? 1 : 0) + (fin ? 1 : 0));
        const max = mine.maxNext;
        if (max === undefined || seqGt(relNext, max)) {
          mine.maxNext = relNext;
          isNew = true;
        }
        const min = mine.minSeq;
        if (min === undefined || seqGt(min, relSeq)) mine.minSeq = relSeq;
      }
      if (fin) mine.finSeen = true;
      if (rst) {
        conn.rstSeen = true;
        if (conn.firstRst === undefined) conn.firstRst = i;
        if (side === 1) conn.serverRst = true;
      }
      if (syn) {
        if (ack) {
          if (mine.firstSynAck < 0) mine.firstSynAck = i;
          else (mine.synAcks ??= [mine.firstSynAck]).push(i);
        } else if (mine.firstSyn < 0) {
          mine.firstSyn = i;
        } else {
          (mine.syns ??= [mine.firstSyn]).push(i);
        }
      }

      // The closing: the first FIN, the peer's ACK of it, the peer's FIN and its ACK; data after the first FIN.
      const firstFinSide = conn.firstFinSide;
      if (firstFinSide >= 0 && side !== firstFinSide && conn.secondFin < 0 && len > 0 && isNew) conn.halfClose = true;
      if (firstFinSide < 0) {
        if (fin) {
          conn.firstFin = i;
          conn.firstFinSide = side;
          conn.firstFinSeq = seqAdd(relSeq, len);
        }
      } else if (side !== firstFinSide) {
        if (conn.ackOfFirstFin < 0 && ack && hasAck && seqGt(relAck, conn.firstFinSeq)) conn.ackOfFirstFin = i;
        if (fin && conn.secondFin < 0) {
          conn.secondFin = i;
          conn.secondFinSeq = seqAdd(relSeq, len);
          conn.secondFinCoversFirst = ack && hasAck && seqGt(relAck, conn.firstFinSeq);
        }
      } else if (conn.secondFin >= 0 && conn.ackOfSecondFin < 0 && ack && hasAck && seqGt(relAck, conn.secondFinSeq)) {
        conn.ackOfSecondFin = i;
      }

      // iRTT: the client's first non-SYN segment acknowledging the server's SYN.
      if (side === 0 && !syn && ack && conn.handshakeAckIndex === undefined && conn.server.synSeen && conn.lastSynIndex !== undefined) {
        if (hasAck && relAck === 1) {
          conn.handshakeAckIndex = i;
          const t0 = norm.timeOf(conn.lastSynIndex);
          if (t0 !== undefined && time !== undefined && time >= t0) conn.irttSeconds = time - t0;
        }
      }

      // 4. Window in bytes.
      let window = seg.win;
      let windowScaled = false;
      if (window !== undefined) {
        if (syn) {
          windowScaled = true; // RFC 7323: the window in a SYN is never scaled
        } else if (conn.client.synSeen && conn.server.synSeen) {
          windowScaled = true;
          if (source === 'tcpdump') {
            const scale = mine.options?.wscale;
            if (scale !== undefined && theirs.options?.wscale !== undefined) window = window * (1 << Math.min(scale, 14));
          }
        }
      }

      let bits = (side === 0 ? N_CLIENT : 0) | (syn ? N_SYN : 0) | (ack ? N_ACK : 0) | (fin ? N_FIN : 0) | (rst ? N_RST : 0);
      if (hasSeq) {
        bits |= N_SEQ;
        norm.seq[i] = relSeq;
      }
      if (hasAck) {
        bits |= N_ACKNO;
        norm.ack[i] = relAck;
      }
      if (window !== undefined) bits |= norm.setWindow(i, window);
      if (windowScaled) bits |= N_WSCALED;
      if (portReuse && conn.count === 1) bits |= N_REUSE;
      if (time !== undefined) {
        bits |= N_TIME;
        norm.time[i] = time;
      }
      norm.bits[i] = bits;
      norm.conn[i] = conn.id;
      norm.len[i] = len;
      const line = seg.line;
      const lastLine = seg.lastLine;
      norm.line[i] = line;
      if (line < conn.firstLine) conn.firstLine = line;
      if (lastLine > conn.lastLine) conn.lastLine = lastLine;
    }
  }

  /**
   * The 4-tuple of a segment's endpoints in the current block, and (in `dir`) the tuple direction the segment goes.
   * Readers share one Endpoint object per printed endpoint, so a few recently used tuples, found by the endpoint
   * objects themselves, spare most segments the four map lookups (whose tables outgrow the processor's caches in a
   * big capture).
   */
  private tupleOf(src: Endpoint, dst: Endpoint): TupleTrack {
    const recentA = this.recentA;
    const recentB = this.recentB;
    for (let c = 0; c < RECENT_TUPLES; c++) {
      const a = recentA[c];
      if (a === src && recentB[c] === dst) {
        this.dir = this.recentDir[c]!;
        return this.recentTuple[c]!;
      }
      if (a === dst && recentB[c] === src) {
        this.dir = 1 - this.recentDir[c]!;
        return this.recentTuple[c]!;
      }
    }
    const srcId = this.endpointId(src);
    const dstId = this.endpointId(dst);
    // Tuple direction 0: the endpoint with the smaller id sends. Two small-integer lookups (no float keys).
    const dir = srcId <= dstId ? 0 : 1;
    const lo = dir === 0 ? srcId : dstId;
    const hi = dir === 0 ? dstId : srcId;
    let byHi = this.tuples.get(lo);
    if (byHi === undefined) {
      byHi = new Map();
      this.tuples.set(lo, byHi);
    }
    let tuple = byHi.get(hi);
    if (tuple === undefined) {
      tuple = { current: undefined, count: 0, tdEntry: false, tdBase0: 0, tdBase1: 0, ref0: NaN, ref1: NaN, synSeq0: NaN, synSeq1: NaN };
      byHi.set(hi, tuple);
    }
    const c = this.recentNext;
    this.recentNext = (c + 1) % RECENT_TUPLES;
    recentA[c] = src;
    recentB[c] = dst;
    this.recentTuple[c] = tuple;
    this.recentDir[c] = dir;
    this.dir = dir;
    return tuple;
  }

  private enterBlock(blockNo: number): void {
    this.recentA.fill(undefined);
    this.recentB.fill(undefined);
    this.lastBlock = blockNo;
    let t = this.tuplesByBlock.get(blockNo);
    if (t === undefined) {
      t = new Map();
      this.tuplesByBlock.set(blockNo, t);
    }
    this.tuples = t;
    let b = this.blocks.get(blockNo);
    if (b === undefined) {
      b = { tcpdumpMode: TCPDUMP_UNDECIDED, decidedAt: -1 };
      this.blocks.set(blockNo, b);
    }
    this.block = b;
  }
}

function ended(conn: ConnBuilder): boolean {
  return conn.rstSeen || (conn.client.finSeen && conn.server.finSeen);
}

/**
 * tcpdump without -S (print-tcp.c) keeps a table of 4-tuples. Only segments with ACK go through it: the first one of
 * a tuple, and every one with SYN (a SYN,ACK), (re)create the entry - its seq becomes the base of its direction, its
 * ack - 1 the base of the other - and print absolute numbers; every later segment with ACK prints seq and ack relative
 * to those bases. Segments without ACK (a SYN, a bare RST) always print absolute numbers. A reused port gets fresh
 * bases from its SYN,ACK; a simultaneous open's two SYN,ACKs both print absolute numbers. With -S everything is
 * absolute: the block's first segment that tcpdump would have printed relative decides, its numbers being either
 * small (relative) or close to the entry's (absolute).
 */
/** tcpdumpFrame's result (a module-level scratch record: no allocation per segment). */
/** The numbers are plain number fields with a flag each, so that writing a large number allocates nothing. */
const FRAME = { seq: NaN, hasSeq: false, ack: NaN, hasAck: false, printedAbsolute: true };
function setFrame(seq: number | undefined, ack: number | undefined, printedAbsolute: boolean): void {
  FRAME.hasSeq = seq !== undefined;
  FRAME.seq = seq ?? NaN;
  FRAME.hasAck = ack !== undefined;
  FRAME.ack = ack ?? NaN;
  FRAME.printedAbsolute = printedAbsolute;
}

function tcpdumpFrame(
  pseq: number | undefined,
  pack: number | undefined,
  tuple: TupleTrack,
  block: BlockTrack,
  dir: number,
  syn: boolean,
  ack: boolean,
): void {
  const other = 1 - dir;
  if (!ack || block.tcpdumpMode === TCPDUMP_S) {
    if (syn && pseq !== undefined) {
      if (dir === 0) tuple.synSeq0 = pseq;
      else tuple.synSeq1 = pseq;
    }
    rememberRef(tuple, dir, pseq, pack);
    return setFrame(pseq, pack, true);
  }
  if (!tuple.tdEntry || syn) {
    // tcpdump (print-tcp.c): `if (!th->nxt || (flags & TH_SYN))` - no entry yet, or a SYN,ACK: (re)create it.
    tuple.tdEntry = true;
    const syn0 = synSeqOf(tuple, dir);
    const mine = pseq !== undefined ? pseq : syn0 !== undefined ? seqAdd(syn0, 1) : 0;
    const theirs = pack !== undefined ? seqAdd(pack, -1) : 0;
    tuple.tdBase0 = dir === 0 ? mine : theirs;
    tuple.tdBase1 = dir === 0 ? theirs : mine;
    rememberRef(tuple, dir, pseq, pack);
    return setFrame(pseq, pack, true);
  }
  if (block.tcpdumpMode === TCPDUMP_UNDECIDED) {
    // Decide once per block: which reading puts the numbers next to what the tuple already showed?
    let distRel = 0;
    let distAbs = 0;
    let votes = 0;
    const refSeq = refOf(tuple, dir);
    const refAck = refOf(tuple, other);
    if (pseq !== undefined && refSeq !== undefined && tdBase(tuple, dir) !== 0) {
      distRel += circDistance(seqAdd(pseq, tdBase(tuple, dir)), refSeq);
      distAbs += circDistance(pseq, refSeq);
      votes++;
    }
    if (pack !== undefined && refAck !== undefined && tdBase(tuple, other) !== 0) {
      distRel += circDistance(seqAdd(pack, tdBase(tuple, other)), refAck);
      distAbs += circDistance(pack, refAck);
      votes++;
    }
    if (votes > 0) block.tcpdumpMode = distAbs < distRel ? TCPDUMP_S : TCPDUMP_REL;
  }
  if (block.tcpdumpMode === TCPDUMP_S) {
    rememberRef(tuple, dir, pseq, pack);
    return setFrame(pseq, pack, true);
  }
  // Relative numbers printed: back to absolute ones (written into FRAME directly: no number | undefined in between).
  FRAME.hasSeq = pseq !== undefined;
  FRAME.seq = pseq !== undefined ? seqAdd(pseq, tdBase(tuple, dir)) : NaN;
  FRAME.hasAck = pack !== undefined;
  FRAME.ack = pack !== undefined ? seqAdd(pack, tdBase(tuple, other)) : NaN;
  FRAME.printedAbsolute = false;
  if (FRAME.hasSeq) {
    if (dir === 0) tuple.ref0 = FRAME.seq;
    else tuple.ref1 = FRAME.seq;
  }
  if (FRAME.hasAck) {
    if (dir === 0) tuple.ref1 = FRAME.ack;
    else tuple.ref0 = FRAME.ack;
  }
}

function rememberRef(tuple: TupleTrack, dir: number, seq: number | undefined, ack: number | undefined): void {
  if (seq !== undefined) {
    if (dir === 0) tuple.ref0 = seq;
    else tuple.ref1 = seq;
  }
  if (ack !== undefined) {
    if (dir === 0) tuple.ref1 = ack;
    else tuple.ref0 = ack;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Pass 3: state inference.
// Pass 3: state inference.

const STATE_INDEX = new Map<TcpState, number>(TCP_STATES.map((st, k) => [st, k]));
const END_STATES: EndState[] = [];
for (const st of TCP_STATES) {
  END_STATES.push(Object.freeze({ state: st, certain: false }), Object.freeze({ state: st, certain: true }));
}
function endStateIndex(state: TcpState, certain: boolean): number {
  return STATE_INDEX.get(state)! * 2 + (certain ? 1 : 0);
}
function endState(state: TcpState, certain: boolean): EndState {
  return END_STATES[endStateIndex(state, certain)]!;
}
/** Every (client, server) pair, interned: segments share these objects. */
const ENDS_STATES: EndsState[] = [];
for (const c of END_STATES) for (const sv of END_STATES) ENDS_STATES.push(Object.freeze({ client: c, server: sv }));

/** One end during the replay. */
interface EndTrack {
  tcb: Tcb;
  certain: boolean;
  /** Relative sequence number of this end's first FIN. */
  finSeq: number | undefined;
  /** This end sent its first FIN after it had received the peer's FIN (passive close: LAST-ACK). */
  finAfterPeerFin: boolean;
  /** Highest acknowledgment (of this end's data) that this end provably received (when hasProvenAck). */
  hasProvenAck: boolean;
  provenAck: number;
  /**
   * Peer segments that occupy sequence space, oldest first: [relNext, relAck of that segment] in
   * pending[pendingHead, pendingEnd). The array never shrinks (entries past pendingEnd are stale): emptied and filled
   * again many times in a long transfer, a shrinking array would be made anew each time. An array of doubles from
   * the start (see pendingList).
   */
  pending: number[];
  pendingHead: number;
  pendingEnd: number;
  /** A SYN that reached this end before its own SYN left (simultaneous open), delivered after it. */
  heldSyn: MachineSegment | undefined;
  sentSynAck: boolean;
  /**
   * The last SYN or FIN from the peer delivered to this end, when hasPeerControl (a slot made at the first one and
   * filled again by the next ones), and where it ends (relative sequence number).
   */
  hasPeerControl: boolean;
  peerControl: SegmentSlot | undefined;
  peerControlEnd: number;
  /** Highest sequence number (relative, exclusive) received from the peer so far (when hasRcvHigh). */
  hasRcvHigh: boolean;
  rcvHigh: number;
  /** endStateIndex(tcb.state, false), cached for `indexedTcb` (a Map lookup per end and segment otherwise). */
  indexedTcb: Tcb | undefined;
  stateIndex: number;
}

export interface StateReplay {
  readonly final: EndsState;
  readonly resetInfo?: { by: Side; segment: number; senderState: TcpState; receiverState: TcpState };
  readonly timeWait: readonly Side[];
}

/**
 * Per-segment results of the replay, indexed by segment: interned both-ends states, machine rules and steps as small
 * integers in typed arrays (no per-segment objects for the garbage collector to trace).
 */
export class ReplayTable {
  readonly before: Uint16Array;
  readonly after: Uint16Array;
  readonly senderRule: Uint8Array;
  readonly receiverRule: Uint8Array;
  readonly step: Uint16Array;
  constructor(size: number) {
    this.before = new Uint16Array(size);
    this.after = new Uint16Array(size);
    this.senderRule = new Uint8Array(size);
    this.receiverRule = new Uint8Array(size);
    this.step = new Uint16Array(size);
  }
}

const RULE_IDS = Object.keys(RULES) as RuleId[];
const RULE_INDEX = new Map<RuleId, number>(RULE_IDS.map((r, k) => [r, k]));
function ruleIndex(rule: RuleId): number {
  return RULE_INDEX.get(rule)!;
}
const SENT_OTHER = ruleIndex('sent-other');
const RCV_ACK = ruleIndex('rcv-ack');
const RCV_DATA = ruleIndex('rcv-data');
const UNACCEPTABLE_ACK = ruleIndex('unacceptable-ack');

/**
 * A MachineSegment that its owner fills again and again: the replay's view of the current segment, an end's last
 * SYN or FIN from the peer. The machine keeps no segment it is given, so one object serves every step (a new one per
 * step, with its two numbers in boxes of their own, was the largest allocation of the replay).
 */
type SegmentSlot = { -readonly [K in keyof MachineSegment]: MachineSegment[K] };

/** An empty slot, with makeSegment's fields in its order (NaN: double fields from the start, see NormalisedSegment). */
function newSlot(): SegmentSlot {
  return { syn: false, ack: false, fin: false, rst: false, seq: NaN, ackNo: NaN, len: 0 };
}

/** The machine's view of a normalised segment (relative numbers), written into `into`. */
function machineSegment(into: SegmentSlot, n: NormalisedSegment, assumedSeq: number): MachineSegment {
  into.syn = n.syn;
  into.ack = n.ack;
  into.fin = n.fin;
  into.rst = n.rst;
  into.seq = n.hasSeq ? n.relSeq : assumedSeq;
  into.ackNo = n.hasAck ? n.relAck : 0;
  into.len = n.len;
  return into;
}

/** `from` copied into `into`. */
function copySegment(into: SegmentSlot, from: MachineSegment): SegmentSlot {
  into.syn = from.syn;
  into.ack = from.ack;
  into.fin = from.fin;
  into.rst = from.rst;
  into.seq = from.seq;
  into.ackNo = from.ackNo;
  into.len = from.len;
  return into;
}

/** Connection.timeWait, shared: none, the client, the server, both. */
const TIME_WAIT_SIDES: readonly (readonly Side[])[] = [[], ['client'], ['server'], ['client', 'server']].map((sides) => Object.freeze(sides as Side[]));

/** Linux keeps a socket in TIME-WAIT for a fixed 60 s (TCP_TIMEWAIT_LEN). */
export const LINUX_TIME_WAIT_SECONDS = 60;

/** A connection's replay while pass 3 runs through its segments. */
interface Replay {
  /** Segments of the connection replayed so far, and their indexes (Connection.segmentIndexes, filled in order). */
  k: number;
  indexes: number[];
  readonly ends: [EndTrack, EndTrack];
  resetInfo: StateReplay['resetInfo'];
  /** When each end entered TIME-WAIT (undefined: it is not there), and whether it ever was there. */
  timeWaitEntered: [number | undefined, number | undefined];
  timeWaitClient: boolean;
  timeWaitServer: boolean;
  // The step labels (see `label`).
  synCount: number;
  synAckCount: number;
  handshakeAckDone: boolean;
  closed: boolean;
  finsSeen: number;
  threeWayClose: boolean;
  closeOf: number;
  simultaneousClose: boolean;
  simAckA: number;
  simAckB: number;
  /** How the connection opened (decided from pass 1's facts when its replay starts). */
  open: OpenOutcome;
}

/**
 * A Replay with its two ends, every field in place, to be set up by Replayer.start (placeholder values; NaN: double
 * fields from the start).
 */
function newReplay(): Replay {
  return {
    k: 0,
    indexes: NO_SEGMENTS,
    ends: [newEnd(), newEnd()],
    resetInfo: undefined,
    timeWaitEntered: [undefined, undefined],
    timeWaitClient: false,
    timeWaitServer: false,
    synCount: 0,
    synAckCount: 0,
    handshakeAckDone: false,
    closed: false,
    finsSeen: 0,
    threeWayClose: false,
    closeOf: 4,
    simultaneousClose: false,
    simAckA: NaN,
    simAckB: -1,
    open: 'handshake',
  };
}
const NO_SEGMENTS: number[] = [];

/**
 * Pass 3: replay every connection through two machines, segment by segment in capture order (`replay` may stop after
 * any segment), writing both ends' states, the rules and the step of each segment into a ReplayTable. `finish` a
 * connection after its last segment.
 */
export class Replayer {
  readonly table: ReplayTable;
  /** The segment `replay` saw last, as an object (a cursor: read it before the next call). */
  readonly seg: NormalisedSegment = newCursor();
  /** When each block's capture ends: the latest time of a connection's last segment (see `noteBlockEnds`). */
  private readonly blockEnd = new Map<number, number>();
  /**
   * Per connection id: its replay from its first segment to `finish` (null after). Replays start in id order (ids
   * follow first segments, the replay goes in capture order), so the array only grows at its end.
   */
  private readonly replays: (Replay | null)[] = objectList();
  /** The replay of the connection of the segment `replay` saw last. */
  private current: Replay | undefined;
  /**
   * Replays of finished connections, which `start` sets up again for new ones: a capture has a few connections open
   * at once and many one after another, and a Replay with its ends, their queues and slots is about a kilobyte.
   */
  private readonly spare: Replay[] = objectList();
  /** The machine's view of the segment `replaySlow` replays (see SegmentSlot). */
  private readonly mseg: SegmentSlot = newSlot();

  constructor(
    private readonly norm: NormTable,
    private readonly builders: readonly ConnBuilder[],
  ) {
    this.table = new ReplayTable(norm.size);
  }

  /** Before the first `replay`, for every connection (in any slices): its block's end time. */
  noteBlockEnds(fromConnection: number, toConnection: number): void {
    const norm = this.norm;
    for (let c = fromConnection; c < toConnection; c++) {
      const conn = this.builders[c]!;
      const t = norm.timeOf(conn.lastSeg);
      if (t === undefined) continue;
      const prev = this.blockEnd.get(conn.block);
      if (prev === undefined || t > prev) this.blockEnd.set(conn.block, t);
    }
  }

  /** Replay segment i (segments go in capture order); returns its position in its connection. */
  replay(i: number): number {
    const norm = this.norm;
    const out = this.table;
    const conn = this.builders[norm.conn[i]!]!;
    const id = conn.id;
    const r = id < this.replays.length ? (this.replays[id] as Replay) : this.start(conn);
    this.current = r;
    const open = r.open;
    const k = r.k++;
    r.indexes[k] = i;
    const n = norm.view(i, this.seg);
    const s = n.side;
    const ends = r.ends;
    const sender = ends[s];
    const receiver = ends[1 - s]!;
    out.before[i] = snapshotIndex(ends);

    if (
      !n.syn &&
      !n.fin &&
      !n.rst &&
      sender.tcb.state === 'ESTABLISHED' &&
      receiver.tcb.state === 'ESTABLISHED' &&
      sender.finSeq === undefined &&
      receiver.finSeq === undefined
    ) {
      // Fast path: data and ACKs while both ends are ESTABLISHED change no state. The sender's segment proves it is
      // ESTABLISHED (no FIN either way yet); the receiver stays as it was. The machines' sequence variables are left
      // behind and catch up in lenient mode at the next control segment.
      provenFromAck(sender, n);
      sender.certain = true;
      out.senderRule[i] = SENT_OTHER;
      out.receiverRule[i] = plainReceiveRule(receiver, n, 'ESTABLISHED');
      noteReceived(receiver, n, n.len);
      out.after[i] = snapshotIndex(ends);
    } else {
      this.replaySlow(i, n, r, open, sender, receiver);
    }
    out.step[i] = label(conn, r, open, i, n);
    return k;
  }

  /** The segment indexes of the connection of the segment `replay` saw last, so far (Connection.segmentIndexes). */
  currentIndexes(): readonly number[] {
    return this.current!.indexes;
  }

  /** How the connection of the segment `replay` saw last opened. */
  currentOpen(): OpenOutcome {
    return this.current!.open;
  }

  private replaySlow(i: number, n: NormalisedSegment, r: Replay, open: OpenOutcome, sender: EndTrack, receiver: EndTrack): void {
    const out = this.table;
    const ends = r.ends;
    const senderBefore = sender.tcb.state;
    const receiverBefore = receiver.tcb.state;
    const assumedSeq = sender.tcb.sndNxt ?? 0;
    const mseg = machineSegment(this.mseg, n, assumedSeq);

    // The sender: apply what sending this segment proves, then reconcile with the evidence in its ACK field.
    // A segment without SYN, FIN or RST proves no user call: the machine would only move SND.NXT, which the lenient
    // replay does not need. Only control segments go through it.
    // (Quiet steps share one result object: what is needed of it is read at once.)
    const control = n.syn || n.fin || n.rst;
    let senderRule: RuleId = 'sent-other';
    let sentTo = senderBefore;
    if (control) {
      const sentStep = stepSentQuiet(sender.tcb, mseg);
      sender.tcb = sentStep.tcb;
      senderRule = sentStep.rule;
      sentTo = sentStep.to;
    }
    if (n.syn && n.ack) {
      // The machine already emitted this SYN,ACK when the SYN reached the listener: the first one seen is not a resend.
      if (senderRule === 'sent-syn-ack-again' && !sender.sentSynAck) senderRule = 'sent-syn-ack';
      sender.sentSynAck = true;
    }
    if (n.fin && sender.finSeq === undefined) {
      sender.finSeq = seqAdd(mseg.seq, mseg.len);
      sender.finAfterPeerFin = receiverFinCovered(receiver, n);
    }
    provenFromAck(sender, n);
    let afterRedelivery = false;
    const derived = derivedState(sender, receiver, n);
    if (derived !== undefined) {
      if (derived.state !== sender.tcb.state) {
        sender.tcb = reconcile(sender.tcb, derived.state, receiver, n);
        // The segment shows its sender had not yet processed the peer's last SYN or FIN, which we had delivered at
        // once: it was still in flight (crossing segments, or a capture point far from this end). It arrives now.
        const back = sender.hasPeerControl ? sender.peerControl : undefined;
        if (back !== undefined && !(n.ack && n.hasAck && seqGe(n.relAck, sender.peerControlEnd)) && !n.rst) {
          const again = stepReceiveQuiet(sender.tcb, back, true);
          if (again.to !== sender.tcb.state) {
            sender.tcb = again.tcb;
            sender.certain = false;
            afterRedelivery = true;
          }
        }
      }
      if (!afterRedelivery) sender.certain = derived.certain;
    } else {
      sender.certain = sender.certain && sentTo === senderBefore;
    }
    if (sender.heldSyn !== undefined && sender.tcb.state === 'SYN-SENT') {
      const held = stepReceiveQuiet(sender.tcb, sender.heldSyn, true);
      sender.tcb = held.tcb;
      sender.heldSyn = undefined;
      sender.certain = false;
    }

    // The receiver: we assume the segment reached it.
    let receiverRule: number;
    const rstate = receiver.tcb.state;
    if (receiver.tcb.state === 'CLOSED' && n.syn && !n.ack && open === 'simultaneous' && receiver.heldSyn === undefined && !n.rst) {
      receiver.heldSyn = copySegment(newSlot(), mseg); // it will send its own SYN first (see EndTrack.heldSyn)
      receiverRule = ruleIndex('syn-sent-ignore');
    } else if (!control && (rstate === 'ESTABLISHED' || rstate === 'CLOSE-WAIT' || rstate === 'FIN-WAIT-2' || rstate === 'TIME-WAIT')) {
      // Data or an ACK cannot change these states (RFC 9293 3.10.7.4): only the rule's name is needed.
      receiverRule = plainReceiveRule(receiver, n, rstate);
    } else {
      const recvStep = stepReceiveQuiet(receiver.tcb, mseg, true);
      receiverRule = ruleIndex(recvStep.rule);
      if ((n.syn || n.fin) && n.hasSeq) {
        receiver.hasPeerControl = true;
        receiver.peerControl = copySegment(receiver.peerControl ?? newSlot(), mseg);
        receiver.peerControlEnd = n.relNext;
      }
      if (recvStep.to !== receiver.tcb.state) receiver.certain = false;
      receiver.tcb = recvStep.tcb;
    }
    noteReceived(receiver, n, n.len);
    out.senderRule[i] = ruleIndex(senderRule);
    out.receiverRule[i] = receiverRule;

    if (n.rst && r.resetInfo === undefined) {
      r.resetInfo = { by: n.side === 0 ? 'client' : 'server', segment: i, senderState: senderBefore, receiverState: receiverBefore };
    }
    for (let e = 0; e < 2; e++) {
      if (ends[e]!.tcb.state === 'TIME-WAIT') {
        if (e === 0) r.timeWaitClient = true;
        else r.timeWaitServer = true;
        if (r.timeWaitEntered[e] === undefined) r.timeWaitEntered[e] = this.norm.timeOf(i);
      } else {
        r.timeWaitEntered[e] = undefined;
      }
    }
    out.after[i] = snapshotIndex(ends);
  }

  private start(conn: ConnBuilder): Replay {
    const open = openOutcome(conn);
    // The closing, from pass 1's notes: the three-segment close has the ACK of the first FIN riding on the second.
    const secondFin = conn.secondFin;
    const ackOfFirst = conn.ackOfFirstFin;
    const ackOfSecond = conn.ackOfSecondFin;
    const threeWayClose = secondFin >= 0 && ackOfFirst === secondFin;
    // Simultaneous close: the second FIN does not acknowledge the first (both were in flight); the two ACKs follow.
    const simultaneousClose = secondFin >= 0 && (ackOfFirst < 0 || ackOfFirst > secondFin);
    let simAckA = -1;
    if (simultaneousClose) {
      // The earlier of the two ACKs that were seen (none seen: no segment is it).
      simAckA = Infinity;
      if (ackOfFirst >= 0) simAckA = ackOfFirst;
      if (ackOfSecond >= 0 && ackOfSecond < simAckA) simAckA = ackOfSecond;
    }
    const r = this.spare.pop() ?? newReplay();
    r.k = 0;
    // Connection.segmentIndexes: the connection's own array (never a spare one).
    r.indexes = preallocate(conn.count) ? new Array<number>(conn.count) : [];
    startEnd(r.ends[0], open, 0);
    startEnd(r.ends[1], open, 1);
    r.resetInfo = undefined;
    r.timeWaitEntered[0] = undefined;
    r.timeWaitEntered[1] = undefined;
    r.timeWaitClient = false;
    r.timeWaitServer = false;
    r.synCount = 0;
    r.synAckCount = 0;
    r.handshakeAckDone = false;
    r.closed = false;
    r.finsSeen = 0;
    r.threeWayClose = threeWayClose;
    r.closeOf = threeWayClose ? 3 : 4;
    r.simultaneousClose = simultaneousClose;
    r.simAckA = simAckA;
    r.simAckB = simultaneousClose ? Math.max(ackOfFirst, ackOfSecond) : -1;
    r.open = open;
    this.replays[conn.id] = r;
    return r;
  }

  /** After the connection's last segment was replayed: its final states, outcomes and summary. */
  finish(conn: ConnBuilder): Connection {
    const norm = this.norm;
    const r = this.replays[conn.id]!;
    const open = r.open;
    const ends = r.ends;
    const blockEndTime = this.blockEnd.get(conn.block);
    // TIME-WAIT that outlived the capture by more than 60 s has ended (Linux's fixed TCP_TIMEWAIT_LEN).
    for (let e = 0; e < 2; e++) {
      const t = r.timeWaitEntered[e];
      if (t !== undefined && blockEndTime !== undefined && blockEndTime - t >= LINUX_TIME_WAIT_SECONDS) {
        ends[e]!.tcb = step(ends[e]!.tcb, { type: 'timeout', timer: 'time-wait' }).tcb;
        ends[e]!.certain = false;
      }
    }
    // An unanswered connect() with no further SYN for more than twice the last interval (the doubled timeout it would
    // wait next) before the capture ends has given up (tcp_syn_retries): the client is CLOSED, its application got
    // ETIMEDOUT.
    const syns = synIndexes(conn.client);
    if (open === 'unanswered' && ends[0].tcb.state === 'SYN-SENT' && syns.length >= 2 && blockEndTime !== undefined) {
      const last = norm.timeOf(syns[syns.length - 1]!);
      const before = norm.timeOf(syns[syns.length - 2]!);
      if (last !== undefined && before !== undefined && blockEndTime - last > 2 * (last - before)) {
        ends[0].tcb = step(ends[0].tcb, { type: 'timeout', timer: 'retransmission', giveUp: true }).tcb;
        ends[0].certain = false;
      }
    }
    const timeWait = TIME_WAIT_SIDES[(r.timeWaitClient ? 1 : 0) + (r.timeWaitServer ? 2 : 0)]!;
    const close = closeOutcome(conn);
    const firstIndex = conn.firstSeg;
    const lastIndex = conn.lastSeg;
    const firstTime = norm.timeOf(firstIndex);
    const lastTime = norm.timeOf(lastIndex);
    // Durations in ms rounded to the nanosecond: the printed times are decimal, their difference in binary is not.
    const durationMs = firstTime !== undefined && lastTime !== undefined ? roundNs((lastTime - firstTime) * 1000) : undefined;
    // Every connection has the same fields in the same order (undefined when unknown, which JSON leaves out): one
    // object shape for every reader, instead of one per combination of the optional fields.
    const c: Connection = {
      id: conn.id,
      block: conn.block,
      client: endOf(conn.client),
      server: endOf(conn.server),
      rolesGuessed: conn.rolesGuessed,
      segmentIndexes: r.indexes,
      firstLine: conn.firstLine,
      lastLine: conn.lastLine,
      open,
      handshakeComplete: open === 'simultaneous' ? conn.client.synAckSeen && conn.server.synAckSeen || conn.pastOpening : conn.handshakeAckIndex !== undefined,
      close,
      halfClose: conn.halfClose,
      timeWait,
      portReuse: conn.portReuse,
      seqStyle: seqStyleOf(conn),
      finalStates: snapshot(ends),
      firstTime,
      lastTime,
      durationMs,
      irttMs: irttMsOf(conn),
      firstFin: conn.firstFinSide < 0 ? undefined : conn.firstFinSide === 0 ? 'client' : 'server',
      reset: r.resetInfo,
      previous: conn.previous >= 0 ? conn.previous : undefined,
    };
    this.replays[conn.id] = null;
    if (this.current === r) this.current = undefined;
    // Nothing keeps the replay (c has its indexes, resetInfo and shared states, none of which it changes again).
    this.spare.push(r);
    return c;
  }
}

/**
 * The rule the machine would report for data or an ACK reaching an end in a state they cannot change: old or
 * repeated data and probes below what it already has are "unacceptable" (answered with an ACK), data in CLOSE-WAIT or
 * TIME-WAIT after the peer's FIN is ignored text, the rest is data or an ACK. Returns the rule's index.
 */
function plainReceiveRule(receiver: EndTrack, n: NormalisedSegment, state: TcpState): number {
  const known = n.hasSeq && receiver.hasRcvHigh;
  if (n.len > 0) {
    if (known && seqLe(n.relNext, receiver.rcvHigh)) return UNACCEPTABLE_ACK;
    return state === 'ESTABLISHED' || state === 'FIN-WAIT-2' ? RCV_DATA : RCV_ACK;
  }
  return known && seqLt(n.relSeq, receiver.rcvHigh) ? UNACCEPTABLE_ACK : RCV_ACK;
}

/** Remember what a segment delivered to `receiver`: for the ACK evidence and the fast path's rule names. */
function noteReceived(receiver: EndTrack, n: NormalisedSegment, len: number): void {
  if ((len > 0 || n.syn || n.fin) && n.hasSeq && n.ack && n.hasAck) {
    const q = receiver.pending;
    const e = receiver.pendingEnd;
    if (e < q.length) {
      q[e] = n.relNext;
      q[e + 1] = n.relAck;
    } else {
      q.push(n.relNext, n.relAck);
    }
    receiver.pendingEnd = e + 2;
  }
  if (n.hasSeq && (!receiver.hasRcvHigh || seqGt(n.relNext, receiver.rcvHigh))) {
    receiver.hasRcvHigh = true;
    receiver.rcvHigh = n.relNext;
  }
}

/**
 * The control blocks an end starts with, shared (control blocks are never changed: a step makes a new one), like
 * CLOSED_TCB: an end joined mid-stream, ESTABLISHED with numbers learnt from its first segments; a listener.
 */
const MID_STREAM_TCB: Tcb = Object.freeze(tcbInState('ESTABLISHED'));
const LISTENING_TCB: Tcb = Object.freeze({ ...copyTcb(CLOSED_TCB), state: 'LISTEN', passive: true });

/** An end with every field in place, to be set up by startEnd (placeholder values; NaN: double fields from the start). */
function newEnd(): EndTrack {
  return {
    tcb: CLOSED_TCB,
    certain: false,
    finSeq: undefined,
    finAfterPeerFin: false,
    hasProvenAck: false,
    provenAck: NaN,
    pending: pendingList(),
    pendingHead: 0,
    pendingEnd: 0,
    heldSyn: undefined,
    sentSynAck: false,
    hasPeerControl: false,
    peerControl: undefined,
    peerControlEnd: NaN,
    hasRcvHigh: false,
    rcvHigh: NaN,
    indexedTcb: undefined,
    stateIndex: 0,
  };
}

/**
 * Set `end` up as side `side` of a connection that opened as `open`: a new end, or one of a finished connection's.
 * Its queue's array and its peer-control slot are kept; numbers behind a false flag are left as they are.
 */
function startEnd(end: EndTrack, open: OpenOutcome, side: 0 | 1): void {
  let tcb: Tcb;
  let certain: boolean;
  if (open === 'mid-stream') {
    tcb = MID_STREAM_TCB;
    certain = false;
  } else if (side === 0 || open === 'simultaneous') {
    tcb = CLOSED_TCB;
    certain = side === 0;
  } else if (open === 'handshake') {
    tcb = LISTENING_TCB;
    certain = false;
  } else {
    // refused: nothing listened; unanswered: nothing we can see.
    tcb = CLOSED_TCB;
    certain = false;
  }
  end.tcb = tcb;
  end.certain = certain;
  end.finSeq = undefined;
  end.finAfterPeerFin = false;
  end.hasProvenAck = false;
  end.pendingHead = 0;
  end.pendingEnd = 0;
  end.heldSyn = undefined;
  end.sentSynAck = false;
  end.hasPeerControl = false;
  end.hasRcvHigh = false;
  end.indexedTcb = undefined;
  end.stateIndex = 0;
}

/** endStateIndex of an end's current state. */
function endIndex(end: EndTrack): number {
  if (end.tcb !== end.indexedTcb) {
    end.indexedTcb = end.tcb;
    end.stateIndex = endStateIndex(end.tcb.state, false);
  }
  return end.stateIndex + (end.certain ? 1 : 0);
}

function snapshotIndex(ends: [EndTrack, EndTrack]): number {
  return endIndex(ends[0]) * END_STATES.length + endIndex(ends[1]);
}

function snapshot(ends: [EndTrack, EndTrack]): EndsState {
  return ENDS_STATES[snapshotIndex(ends)]!;
}

/** The segment's ACK field covers the peer's FIN: the sender had received it. */
function receiverFinCovered(peer: EndTrack, n: NormalisedSegment): boolean {
  return peer.finSeq !== undefined && n.ack && n.hasAck && seqGt(n.relAck, peer.finSeq);
}

/**
 * The ACK field of a segment proves which of the peer's segments its sender had received; each of those carried an
 * acknowledgment of the sender's own data, which the sender therefore also received.
 */
function provenFromAck(sender: EndTrack, n: NormalisedSegment): void {
  if (!n.ack || !n.hasAck) return;
  const q = sender.pending;
  let h = sender.pendingHead;
  const end = sender.pendingEnd;
  while (h < end && seqGe(n.relAck, q[h]!)) {
    const acked = q[h + 1]!;
    if (!sender.hasProvenAck || seqGt(acked, sender.provenAck)) {
      sender.hasProvenAck = true;
      sender.provenAck = acked;
    }
    h += 2;
  }
  if (h === end) {
    // Everything acknowledged: start again at the array's start.
    sender.pendingEnd = 0;
    h = 0;
  } else if (h > 64 && h * 2 > end) {
    // Move what is left to the start, in place (splice would also make an array of what it removes).
    q.copyWithin(0, h, end);
    sender.pendingEnd = end - h;
    h = 0;
  }
  sender.pendingHead = h;
}

/**
 * The state this end's own segment proves, with its certainty; undefined when the segment proves nothing new
 * (a segment from an end we believe closed, which the machine handles).
 */
function derivedState(sender: EndTrack, receiver: EndTrack, n: NormalisedSegment): EndState | undefined {
  if (n.rst) return endState(sender.tcb.state === 'LISTEN' ? 'LISTEN' : 'CLOSED', true);
  if (n.syn) return endState(n.ack ? 'SYN-RECEIVED' : 'SYN-SENT', true);
  const peerFin = receiverFinCovered(receiver, n);
  if (sender.finSeq === undefined) return endState(peerFin ? 'CLOSE-WAIT' : 'ESTABLISHED', true);
  if (sender.finAfterPeerFin) return endState('LAST-ACK', true);
  const ownFinAcked = sender.hasProvenAck && seqGt(sender.provenAck, sender.finSeq);
  const current = sender.tcb.state;
  if (peerFin) {
    if (ownFinAcked) return endState('TIME-WAIT', true);
    return endState(current === 'CLOSING' || current === 'TIME-WAIT' ? current : 'CLOSING', false);
  }
  if (ownFinAcked) return endState('FIN-WAIT-2', true);
  // Sending (or re-sending) the FIN proves the ACK of it had not arrived yet: FIN-WAIT-1.
  if (n.fin) return endState('FIN-WAIT-1', true);
  return endState(current === 'FIN-WAIT-1' || current === 'FIN-WAIT-2' ? current : 'FIN-WAIT-1', false);
}

/**
 * Move the machine to the state the evidence proves, keeping the numbers consistent with it: the ACK field of the
 * segment is exactly what its sender had received (RCV.NXT), so a peer FIN it does not cover had not arrived.
 */
function reconcile(tcb: Tcb, state: TcpState, peer: EndTrack, n: NormalisedSegment): Tcb {
  if (state === 'CLOSED') return CLOSED_TCB;
  const next = copyTcb(tcb);
  next.state = state;
  if (!n.ack || !n.hasAck) return next;
  const covered = peer.finSeq !== undefined && seqGt(n.relAck, peer.finSeq);
  next.rcvNxt = n.relAck;
  next.peerFinSeq = covered ? peer.finSeq : undefined;
  return next;
}

// ---------------------------------------------------------------------------------------------------------------
// Step labels.
// ---------------------------------------------------------------------------------------------------------------
// Step labels.

/** Every distinct step made so far; ReplayTable.step holds indexes into it. */
const STEP_LIST: Step[] = [];
const STEP_PHASES: readonly StepPhase[] = [
  'handshake',
  'simultaneous-open',
  'refused',
  'data',
  'ack',
  'teardown',
  'simultaneous-close',
  'half-close-data',
  'reset',
  'after-close',
];
const PHASE_NUMBER = new Map<StepPhase, number>(STEP_PHASES.map((p, k) => [p, k]));
/** STEP_LIST index by a number made of phase, n, of and again (see `stepNumber`). */
const STEP_BY_NUMBER = new Map<number, number>();

/** The index in STEP_LIST of a step, made on first use. `n` and `of` count up to 4. */
function stepNumber(phase: StepPhase, n?: number, of?: number, again = false): number {
  const key = ((PHASE_NUMBER.get(phase)! * 8 + (n ?? 0)) * 8 + (of ?? 0)) * 2 + (again ? 1 : 0);
  let index = STEP_BY_NUMBER.get(key);
  if (index === undefined) {
    const base = phase.replace(/-/g, ' ') + (n !== undefined && of !== undefined ? ` ${n}/${of}` : '');
    const label = again ? `${base} (again)` : base;
    const fields: { phase: StepPhase; label: string; n?: number; of?: number; again?: boolean } = { phase, label };
    if (n !== undefined) fields.n = n;
    if (of !== undefined) fields.of = of;
    if (again) fields.again = true;
    index = STEP_LIST.length;
    STEP_LIST.push(Object.freeze(fields));
    STEP_BY_NUMBER.set(key, index);
  }
  return index;
}
const STEP_DATA = stepNumber('data');
const STEP_ACK = stepNumber('ack');
const STEP_HALF_CLOSE_DATA = stepNumber('half-close-data');
const STEP_AFTER_CLOSE = stepNumber('after-close');

/** The step a ReplayTable holds for a segment. */
export function stepOf(table: ReplayTable, i: number): Step {
  return STEP_LIST[table.step[i]!]!;
}

const PHASE_ZH: Readonly<Record<StepPhase, string>> = {
  handshake: '握手',
  'simultaneous-open': '同时打开',
  refused: '连接被拒绝',
  data: '数据',
  ack: '确认',
  teardown: '挥手',
  'simultaneous-close': '同时关闭',
  'half-close-data': '半关闭后的数据',
  reset: '重置',
  'after-close': '关闭之后',
};

/** The step label in a language: `handshake 1/3` / `握手 1/3`. */
export function stepLabel(s: Step, lang: 'en' | 'zh-cn'): string {
  if (lang === 'en') return s.label;
  const count = s.n !== undefined && s.of !== undefined ? ` ${s.n}/${s.of}` : '';
  return PHASE_ZH[s.phase] + count + (s.again ? '（重复）' : '');
}

/**
 * The step of segment i, the next segment of its connection (returns its STEP_LIST index). Opening: the SYN, SYN,ACK
 * and the client's first ACK of it are `handshake 1/3 .. 3/3` (a simultaneous open counts SYN, SYN, SYN,ACK,
 * SYN,ACK as 1/4 .. 4/4). Closing: the first FIN, the peer's first segment acknowledging it, the peer's FIN and the
 * first segment acknowledging that are `teardown k/4`; when the peer's FIN itself acknowledges the first FIN (the ACK
 * rode on the FIN), the close has three segments and is counted k/3. Pass 1 found those segments (ConnBuilder).
 */
function label(conn: ConnBuilder, r: Replay, open: OpenOutcome, i: number, n: NormalisedSegment): number {
  const firstFin = conn.firstFin;
  const secondFin = conn.secondFin;
  const ackOfFirst = conn.ackOfFirstFin;
  const ackOfSecond = conn.ackOfSecondFin;
  const closeOf = r.closeOf;
  if (n.rst) return stepNumber(open === 'refused' && r.synAckCount === 0 ? 'refused' : 'reset');
  if (n.syn && !n.ack) {
    const c = ++r.synCount;
    if (open === 'simultaneous') return stepNumber('simultaneous-open', Math.min(c, 2), 4, c > 2);
    return stepNumber('handshake', 1, 3, c > 1);
  }
  if (n.syn && n.ack) {
    const c = ++r.synAckCount;
    if (open === 'simultaneous') return stepNumber('simultaneous-open', Math.min(2 + c, 4), 4, c > 2);
    return stepNumber('handshake', 2, 3, c > 1);
  }
  if (!r.handshakeAckDone && n.side === 0 && open === 'handshake' && i === conn.handshakeAckIndex) {
    r.handshakeAckDone = true;
    return stepNumber('handshake', 3, 3);
  }
  if (r.simultaneousClose && (i === firstFin || i === secondFin || i === r.simAckA || i === r.simAckB)) {
    if (i === firstFin || i === secondFin) r.finsSeen++;
    if (i === r.simAckB) r.closed = true;
    return stepNumber('simultaneous-close', i === firstFin ? 1 : i === secondFin ? 2 : i === r.simAckA ? 3 : 4, 4);
  }
  if (i === firstFin) {
    r.finsSeen++;
    return stepNumber('teardown', 1, closeOf);
  }
  if (i === ackOfFirst && i !== secondFin) return stepNumber('teardown', 2, closeOf);
  if (i === secondFin) {
    r.finsSeen++;
    return stepNumber('teardown', r.threeWayClose ? 2 : 3, closeOf);
  }
  if (i === ackOfSecond) {
    r.closed = true;
    return stepNumber('teardown', closeOf, closeOf);
  }
  if (n.fin) return stepNumber('teardown', i < secondFin || secondFin < 0 ? 1 : r.threeWayClose ? 2 : 3, closeOf, true);
  if (r.closed) return STEP_AFTER_CLOSE;
  if (r.finsSeen > 0 && n.len > 0 && n.side !== conn.firstFinSide) return STEP_HALF_CLOSE_DATA;
  return n.len > 0 ? STEP_DATA : STEP_ACK;
}

// ---------------------------------------------------------------------------------------------------------------
// Outcomes, from pass 1's notes.

function openOutcome(conn: ConnBuilder): OpenOutcome {
  const bothSyns = conn.client.synSeen && conn.server.synSeen;
  if (bothSyns && !conn.server.synAckSeen) return 'simultaneous';
  // Both ends sent a SYN without ACK before anything else.
  if (bothSyns && conn.openingSyns === 3) return 'simultaneous';
  if (conn.server.synAckSeen) return 'handshake';
  if (!conn.client.synSeen) return 'mid-stream';
  // Only SYNs from the client: refused if the server reset it, otherwise unanswered.
  if (conn.serverRst) return 'refused';
  return conn.pastOpening ? 'handshake' : 'unanswered';
}

/**
 * Whether an array for `n` elements is made at its final size (`new Array(n)`, then filled in index order), so that
 * it has no spare room and is not copied as it grows; otherwise it starts empty (`[]`: filling it in index order
 * appends). V8 keeps a preallocated array in its fast (holey) mode up to 32M elements and makes a slow dictionary
 * beyond. Each caller writes its own `new Array(n)`: V8 learns the kind of elements per place of allocation, and one
 * shared place would give the arrays of small integers the slower kind of the arrays of objects.
 */
export function preallocate(n: number): boolean {
  return n <= 1 << 24;
}

/**
 * An array for `n` objects (or nulls), filled in index order later: preallocated when `preallocate(n)`, and in V8's
 * kind for object elements from the start (an array made for small integers changes kind at its first object, and
 * code made for the first kind is thrown away).
 */
export function objectArray<T>(n: number): T[] {
  return preallocate(n) ? (new Array<T | null>(n).fill(null) as T[]) : objectList<T>();
}

/**
 * A new end's queue of pending peer segments (EndTrack.pending: its length is its room, entries past pendingEnd are
 * stale), with room for two segments in flight at once (what most connections need; a long transfer grows it once).
 * In V8's kind for double elements from the start: relative sequence numbers above V8's small integers (most of them
 * on a large capture) would otherwise change its kind, copying it, and a double read from a double field is stored
 * without a box.
 */
function pendingList(): number[] {
  return [0.5, 0.5, 0.5, 0.5];
}

/** An empty array that will hold objects, in V8's kind for object elements from the start (see objectArray). */
export function objectList<T>(): T[] {
  const list: (T | null)[] = [null];
  list.pop();
  return list as T[];
}

/** How the connection closed (pass 1 must have seen all its segments). */
export function closeOutcome(conn: ConnBuilder): CloseOutcome {
  if (conn.rstSeen) return 'reset';
  if (conn.firstFinSide < 0) return 'open';
  if (conn.secondFin >= 0 && !conn.secondFinCoversFirst) return 'simultaneous';
  return conn.firstFinSide === 0 ? 'client-first' : 'server-first';
}

function seqStyleOf(conn: ConnBuilder): SeqStyle {
  if (conn.source === 'tshark') {
    const isn = conn.client.isnPrinted ?? conn.server.isnPrinted;
    return isn !== undefined && isn !== 0 ? 'absolute' : 'relative';
  }
  if (conn.blockTrack.tcpdumpMode === TCPDUMP_S) return 'absolute';
  return conn.sawRelativePrint || conn.blockTrack.tcpdumpMode === TCPDUMP_REL ? 'tcpdump-relative' : 'absolute';
}

function endOf(f: EndFacts): ConnectionEnd {
  const o = f.options;
  const min = f.minSeq;
  const max = f.maxNext;
  let bytes = 0;
  if (min !== undefined && max !== undefined) {
    // Sequence space covered, minus the SYN and FIN it includes.
    const start = f.synSeen ? 1 : min;
    const finAdj = f.finSeen ? 1 : 0;
    bytes = Math.max(0, seqAdd(max, -start) - finAdj);
    if (bytes > 0x7fffffff) bytes = 0;
  }
  // One shape for every end (see Connection in `finish`).
  return {
    endpoint: f.endpoint,
    bytes,
    wireBytes: f.wireBytes,
    segments: f.segments,
    isn: f.isnPrinted,
    mss: o?.mss,
    wscale: o?.wscale,
    sackPermitted: o?.sackPermitted,
    timestamps: o?.timestamps,
  };
}

function roundNs(ms: number): number {
  return Math.round(ms * 1e6) / 1e6;
}

/** Connection.irttMs of a connection pass 1 has seen (the initial RTT in ms, rounded to the nanosecond). */
export function irttMsOf(conn: ConnBuilder): number | undefined {
  return conn.irttSeconds !== undefined ? roundNs(conn.irttSeconds * 1000) : undefined;
}

const NO_ANALYSIS: readonly AnalysisFlag[] = Object.freeze([]) as readonly AnalysisFlag[];

/** Where the records read each segment's analysis flags (src/core/analysis/segments.ts keeps them). */
export interface FlagSource {
  flagsOf(i: number): readonly AnalysisFlag[];
  dupAckOf(i: number): { readonly n: number; readonly of: number } | undefined;
}

/** What the per-segment records read: the tables of pass 1, 2 and 3. */
export interface RecordStore {
  readonly norm: NormTable;
  readonly table: ReplayTable;
  readonly flags: FlagSource | undefined;
}

/**
 * One small record per segment (index-aligned), made when a surface first reads them: the CLI's JSON and the findings
 * read the tables directly and never need them.
 */
export function segmentRecords(store: RecordStore): SegmentTcp[] {
  const n = store.norm.size;
  const records = objectArray<SegmentTcp>(n);
  for (let i = 0; i < n; i++) records[i] = new SegmentRecord(i, store);
  return records;
}

/** The record of segment `i` alone, made anew on each call (segmentRecords makes them all). */
export function segmentRecord(i: number, store: RecordStore): SegmentTcp {
  return new SegmentRecord(i, store);
}

/** The bits of a row that its record reads (relNext counts SYN and FIN). */
const RECORD_BITS = N_CLIENT | N_SYN | N_FIN | N_SEQ | N_ACKNO | N_WIN | N_WSCALED;

/**
 * Whether record `a` says what row k of `store` says, all but the connection id and the duplicate-ACK reference,
 * without making a record for row k: an edit compares most of a connection's records with those it has. A record
 * made by segmentRecord(s) is compared row to row, any other one field by field.
 */
export function sameRow(a: SegmentTcp, store: RecordStore, k: number): boolean {
  if (!(a instanceof SegmentRecord)) return sameRecordFields(a, new SegmentRecord(k, store));
  const i = a.i;
  const sa = a.store;
  const na = sa.norm;
  const nb = store.norm;
  const bits = nb.bits[k]! & RECORD_BITS;
  if ((na.bits[i]! & RECORD_BITS) !== bits) return false;
  if (bits & N_SEQ && (na.seq[i] !== nb.seq[k] || na.len[i] !== nb.len[k])) return false;
  if (bits & N_ACKNO && na.ack[i] !== nb.ack[k]) return false;
  if (bits & N_WIN && na.windowAt(i) !== nb.windowAt(k)) return false;
  const ta = sa.table;
  const tb = store.table;
  return (
    ta.before[i] === tb.before[k] &&
    ta.after[i] === tb.after[k] &&
    ta.step[i] === tb.step[k] &&
    ta.senderRule[i] === tb.senderRule[k] &&
    ta.receiverRule[i] === tb.receiverRule[k] &&
    (sa.flags?.flagsOf(i) ?? NO_ANALYSIS) === (store.flags?.flagsOf(k) ?? NO_ANALYSIS)
  );
}

/**
 * Whether two records say the same, all but the connection id and the duplicate-ACK reference: field by field (states,
 * steps and flag lists are shared values, compared by identity; a difference there only makes a record new).
 */
function sameRecordFields(a: SegmentTcp, b: SegmentTcp): boolean {
  return (
    a.fromClient === b.fromClient &&
    a.relSeq === b.relSeq &&
    a.relNext === b.relNext &&
    a.relAck === b.relAck &&
    a.window === b.window &&
    a.windowScaled === b.windowScaled &&
    a.before === b.before &&
    a.after === b.after &&
    a.step === b.step &&
    a.senderRule === b.senderRule &&
    a.receiverRule === b.receiverRule &&
    a.analysis === b.analysis
  );
}

/** A segment record as a plain object, field by field (records compute their fields, so spreading copies none). */
export function segmentTcpJson(r: SegmentTcp): Record<string, unknown> {
  return {
    connection: r.connection,
    fromClient: r.fromClient,
    relSeq: r.relSeq,
    relNext: r.relNext,
    relAck: r.relAck,
    window: r.window,
    windowScaled: r.windowScaled,
    before: r.before,
    after: r.after,
    step: r.step,
    senderRule: r.senderRule,
    receiverRule: r.receiverRule,
    analysis: r.analysis,
    dupAck: r.dupAck,
  };
}

/**
 * A segment's record, computed on access from the rebuild's arrays: a million-segment capture then costs a million
 * two-field objects instead of a million fifteen-field ones. Reads like a plain object (and `toJSON` gives one);
 * spreading it (`{ ...record }`) copies nothing, so copy fields by name.
 */
class SegmentRecord implements SegmentTcp {
  constructor(
    readonly i: number,
    readonly store: RecordStore,
  ) {}
  get connection(): number {
    return this.store.norm.conn[this.i]!;
  }
  get fromClient(): boolean {
    return (this.store.norm.bits[this.i]! & N_CLIENT) !== 0;
  }
  get relSeq(): number | undefined {
    return this.store.norm.bits[this.i]! & N_SEQ ? this.store.norm.seq[this.i]! : undefined;
  }
  get relNext(): number | undefined {
    return this.store.norm.bits[this.i]! & N_SEQ ? this.store.norm.next(this.i) : undefined;
  }
  get relAck(): number | undefined {
    return this.store.norm.bits[this.i]! & N_ACKNO ? this.store.norm.ack[this.i]! : undefined;
  }
  get window(): number | undefined {
    return this.store.norm.windowOf(this.i);
  }
  get windowScaled(): boolean {
    return (this.store.norm.bits[this.i]! & N_WSCALED) !== 0;
  }
  get before(): EndsState {
    return ENDS_STATES[this.store.table.before[this.i]!]!;
  }
  get after(): EndsState {
    return ENDS_STATES[this.store.table.after[this.i]!]!;
  }
  get step(): Step {
    return STEP_LIST[this.store.table.step[this.i]!]!;
  }
  get senderRule(): RuleId {
    return RULE_IDS[this.store.table.senderRule[this.i]!]!;
  }
  get receiverRule(): RuleId {
    return RULE_IDS[this.store.table.receiverRule[this.i]!]!;
  }
  get analysis(): readonly AnalysisFlag[] {
    return this.store.flags?.flagsOf(this.i) ?? NO_ANALYSIS;
  }
  get dupAck(): { readonly n: number; readonly of: number } | undefined {
    return this.store.flags?.dupAckOf(this.i);
  }
  toJSON(): Record<string, unknown> {
    return segmentTcpJson(this);
  }
}
