/**
 * Per-segment analysis with Wireshark's vocabulary (tcp.analysis.* flags in kebab-case), and the one entry point the
 * rest of TCP Lens calls: `analyseSegments`.
 *
 * The rules follow Wireshark's packet-tcp.c, tcp_analyze_sequence_number() as of Wireshark 4.0 (the tshark installed
 * next to the samples), in the same order, on the same per-direction variables:
 *   nextseq         one past the highest sequence number sent so far in this direction (and when it was set),
 *   maxseqtobeacked one past the highest *contiguous* sequence number sent (a hole keeps it below nextseq),
 *   lastack/window  the ACK number and window of the direction's previous segment (and when it was seen),
 *   dupacknum       how many duplicate ACKs in a row, lastnondupack the segment they duplicate,
 *   lastflags       the analysis flags of the direction's previous segment.
 * Each rule is written out where it is applied below. Where TCP Lens differs from Wireshark 4.0, the rule says so:
 *  - zero-window probes: Linux's persist timer probes a zero window with a segment that carries NO data and
 *    SEQ = SND.UNA - 1 (tcp_xmit_probe_skb), exactly like a keep-alive; Wireshark 4.0 only knows the RFC 9293 probe
 *    (one byte at the next sequence number) and labels Linux's probes "TCP Keep-Alive" and their answers "TCP
 *    ZeroWindow" only. When the peer's last advertised window is 0, TCP Lens calls such a segment
 *    `zero-window-probe` and its answer `zero-window-probe-ack`, which is what they are.
 *  - text without sequence numbers: tcpdump prints no `seq` on a segment without payload, SYN, FIN or RST, so a
 *    keep-alive (SEQ = next - 1) cannot be told from a duplicate ACK by its numbers. TCP Lens assumes SEQ = next
 *    unless the segment repeats its sender's previous ACK and window while the peer sent nothing that calls for an
 *    ACK (data, SYN, FIN, a probe) in between, at least 200 ms after the sender's previous segment: then it is a
 *    keep-alive (or a zero-window probe). A duplicate ACK answers something that arrived; a keep-alive answers
 *    nothing. The first segment of a direction without a printed seq takes it from the peer's last ACK.
 *  - time: without timestamps (tcpdump -t) the 20 ms fast-retransmission window is not checked and nothing is
 *    called out-of-order (Wireshark's out-of-order rule is purely a timing rule).
 *  - SACK: like Wireshark 4.0, the labels do not use SACK blocks, so that they stay comparable with what users see in
 *    Wireshark. The known consequence - a SACK-driven retransmission sent within one iRTT of new data is labelled
 *    out-of-order on the sender's own capture (10 of them in the packet-loss sample), although a sender never reorders
 *    its own segments - is explained in the out-of-order finding instead of silently relabelled, and the "previous
 *    segment not captured" finding says that on the receiving host it usually is real loss, not a capture problem.
 *  - simultaneous open: each SYN,ACK repeats its sender's SYN, so Wireshark (and TCP Lens) flag it as a
 *    retransmission in sequence-space terms; the simultaneous-open finding explains the exchange.
 */
import { JOB_CHUNK, runJob, type Job } from '../job';
import type { Finding, Segment } from '../model';
import {
  Grouper,
  N_ACK,
  N_ACKNO,
  N_CLIENT,
  N_FIN,
  N_REUSE,
  N_RST,
  N_SEQ,
  N_SYN,
  N_TIME,
  N_WIN,
  N_WSCALED,
  Replayer,
  objectArray,
  objectList,
  segmentRecords,
  type ConnBuilder,
  type Connection,
  type FlagSource,
  type NormTable,
  type RecordStore,
  type SegmentTcp,
} from '../tcp/connection';
import { seqAdd, seqGt, seqLe, seqLt } from '../tcp/machine';
import { FindingCollector } from './connectionFindings';
import { flagList, type AnalysisFlag } from './flags';

export { ANALYSIS_FLAGS, flagBit, flagList, type AnalysisFlag } from './flags';

// Bit per flag, in ANALYSIS_FLAGS order.
const PORT_REUSE = 1 << 0;
const RETRANSMISSION = 1 << 1;
const FAST_RETRANSMISSION = 1 << 2;
const SPURIOUS_RETRANSMISSION = 1 << 3;
const OUT_OF_ORDER = 1 << 4;
const LOST_SEGMENT = 1 << 5;
const ACK_LOST_SEGMENT = 1 << 6;
const DUPLICATE_ACK = 1 << 7;
const ZERO_WINDOW = 1 << 8;
const ZERO_WINDOW_PROBE = 1 << 9;
const ZERO_WINDOW_PROBE_ACK = 1 << 10;
const WINDOW_FULL = 1 << 11;
const WINDOW_UPDATE = 1 << 12;
const KEEP_ALIVE = 1 << 13;
const KEEP_ALIVE_ACK = 1 << 14;

/** Wireshark's fast-retransmission window after the last duplicate ACK. */
const FAST_RETRANSMISSION_WINDOW_S = 0.02;
/** Wireshark's out-of-order threshold when the initial RTT is unknown. */
const DEFAULT_OOO_THRESHOLD_S = 0.003;
/** A repeated ACK this long after its sender's previous segment, with nothing from the peer, is a keep-alive. */
const KEEPALIVE_MIN_GAP_S = 0.2;

/**
 * Wireshark's per-direction sequence-analysis variables, for every direction (2 * connection + side) in typed arrays:
 * a capture with many connections keeps no object per direction for the garbage collector to copy. The pass loads a
 * segment's two directions into local variables and writes the changed ones back.
 */
class DirectionTable {
  capacity = 0;
  hasNext = new Uint8Array(0);
  nextseq = new Uint32Array(0);
  /** When nextseq was set (hasNextseqTime says whether that segment had a time). */
  nextseqTime = new Float64Array(0);
  hasNextseqTime = new Uint8Array(0);
  hasMax = new Uint8Array(0);
  maxseqtobeacked = new Uint32Array(0);
  hasLastack = new Uint8Array(0);
  lastack = new Uint32Array(0);
  lastackTime = new Float64Array(0);
  hasLastackTime = new Uint8Array(0);
  hasWindow = new Uint8Array(0);
  window = new Float64Array(0);
  dupacknum = new Int32Array(0);
  lastnondupack = new Int32Array(0);
  lastflags = new Int32Array(0);
  /** Index of the direction's previous segment (for the keep-alive rule on text without seq). */
  lastIndex = new Int32Array(0);
  /** Index of the direction's last segment that the peer must acknowledge (data, SYN, FIN, probe). */
  lastTrigger = new Int32Array(0);

  /** Room for directions [0, size); new ones start in their initial state. */
  ensure(size: number): void {
    if (size <= this.capacity) return;
    const old = this.capacity;
    const cap = Math.max(256, size, old * 2);
    this.hasNext = grown(this.hasNext, new Uint8Array(cap));
    this.nextseq = grown(this.nextseq, new Uint32Array(cap));
    this.nextseqTime = grown(this.nextseqTime, new Float64Array(cap));
    this.hasNextseqTime = grown(this.hasNextseqTime, new Uint8Array(cap));
    this.hasMax = grown(this.hasMax, new Uint8Array(cap));
    this.maxseqtobeacked = grown(this.maxseqtobeacked, new Uint32Array(cap));
    this.hasLastack = grown(this.hasLastack, new Uint8Array(cap));
    this.lastack = grown(this.lastack, new Uint32Array(cap));
    this.lastackTime = grown(this.lastackTime, new Float64Array(cap));
    this.hasLastackTime = grown(this.hasLastackTime, new Uint8Array(cap));
    this.hasWindow = grown(this.hasWindow, new Uint8Array(cap));
    this.window = grown(this.window, new Float64Array(cap));
    this.dupacknum = grown(this.dupacknum, new Int32Array(cap));
    this.lastnondupack = grown(this.lastnondupack, new Int32Array(cap));
    this.lastflags = grown(this.lastflags, new Int32Array(cap));
    this.lastIndex = grown(this.lastIndex, new Int32Array(cap));
    this.lastTrigger = grown(this.lastTrigger, new Int32Array(cap));
    // The initial values that are not 0.
    this.nextseqTime.fill(NaN, old);
    this.lastackTime.fill(NaN, old);
    this.lastnondupack.fill(-1, old);
    this.lastIndex.fill(-1, old);
    this.lastTrigger.fill(-1, old);
    this.capacity = cap;
  }
}

/** `to` with `from` copied into its start. */
function grown<A extends Uint8Array | Uint32Array | Int32Array | Float64Array>(from: A, to: A): A {
  to.set(from);
  return to;
}

/** Options of the per-segment analysis. */
export interface FlagOptions {
  /**
   * `linux` (default): an empty segment at next - 1 while the peer's window is 0 is a zero-window probe (see the
   * header). `wireshark`: label it as Wireshark 4.0 does (keep-alive), for comparisons with tshark.
   */
  readonly zeroWindowProbes?: 'linux' | 'wireshark';
}

/**
 * Pass 2, one segment at a time (`addRange` may stop after any segment and go on later), in the same pass as the
 * grouping: the flags of segment i only read what pass 1 knows once it has seen segment i (relative numbers, the
 * window scale, the iRTT once the handshake's ACK went by). Flags are bits in a typed array; a duplicate ACK's number
 * in its run and the segment it repeats go into two more arrays, made when the first duplicate ACK shows up.
 */
export class Flagger {
  /** The flags of every segment (what remains once the pass is over). */
  readonly table: FlagTable;
  /** Flag bits per segment (ANALYSIS_FLAGS order): table.bits. */
  readonly bits: Uint16Array;
  /** Per connection, its two directions (2 * connection + side); dropped once the pass is over. */
  private dirs = new DirectionTable();
  private readonly linuxProbes: boolean;

  constructor(
    private readonly norm: NormTable,
    private readonly builders: readonly ConnBuilder[],
    options: FlagOptions,
  ) {
    this.table = new FlagTable(norm.size);
    this.bits = this.table.bits;
    this.linuxProbes = options.zeroWindowProbes !== 'wireshark';
  }

  /** Flags for segments [from, to), after the Grouper added them and every segment before them. */
  addRange(from: number, to: number): void {
    const norm = this.norm;
    const linuxProbes = this.linuxProbes;
    const builders = this.builders;
    // Every connection of these segments exists already (the grouping ran first): room for their directions.
    this.dirs.ensure(2 * builders.length);
    const d = this.dirs;
    for (let i = from; i < to; i++) {
      const bits = norm.bits[i]!;
      const connId = norm.conn[i]!;
      const conn = builders[connId]!;
      const side = bits & N_CLIENT ? 0 : 1;
      // The variables of this direction (fwd, f...) and of the opposite one (rev, r...), written back at the end.
      const fi = connId * 2 + side;
      const ri = connId * 2 + 1 - side;
      let fHasNext = d.hasNext[fi] === 1;
      let fNextseq = d.nextseq[fi]!;
      let fNextseqTime = d.nextseqTime[fi]!;
      let fHasNextseqTime = d.hasNextseqTime[fi] === 1;
      let fHasMax = d.hasMax[fi] === 1;
      let fMaxseqtobeacked = d.maxseqtobeacked[fi]!;
      let fHasLastack = d.hasLastack[fi] === 1;
      let fLastack = d.lastack[fi]!;
      let fLastackTime = d.lastackTime[fi]!;
      let fHasLastackTime = d.hasLastackTime[fi] === 1;
      let fHasWindow = d.hasWindow[fi] === 1;
      let fWindow = d.window[fi]!;
      let fDupacknum = d.dupacknum[fi]!;
      let fLastnondupack = d.lastnondupack[fi]!;
      let fLastIndex = d.lastIndex[fi]!;
      let fLastTrigger = d.lastTrigger[fi]!;
      const rNextseq = d.nextseq[ri]!;
      const rHasMax = d.hasMax[ri] === 1;
      let rMaxseqtobeacked = d.maxseqtobeacked[ri]!;
      const rHasLastack = d.hasLastack[ri] === 1;
      const rLastack = d.lastack[ri]!;
      const rLastackTime = d.lastackTime[ri]!;
      const rHasLastackTime = d.hasLastackTime[ri] === 1;
      const rHasWindow = d.hasWindow[ri] === 1;
      const rWindow = d.window[ri]!;
      const rDupacknum = d.dupacknum[ri]!;
      const rLastflags = d.lastflags[ri]!;
      const rLastTrigger = d.lastTrigger[ri]!;
      // The time as a number and a flag (a `number | undefined` would cost a heap number per segment). Without a time
      // it is 0, never read: with NaN there, V8 boxed the time into a heap number on every segment (36 MB on the
      // 1M-line bench).
      const hasT = (bits & N_TIME) !== 0;
      const t = hasT ? norm.time[i]! : 0;
      const seglen = norm.len[i]!;
      const syn = (bits & N_SYN) !== 0;
      const fin = (bits & N_FIN) !== 0;
      const rst = (bits & N_RST) !== 0;
      const hasAckFlag = (bits & N_ACK) !== 0;
      const hasWindowField = (bits & N_WIN) !== 0;
      const ctl = syn || fin || rst;
      const window = hasWindowField ? norm.windowAt(i) : 0;
      const ack = hasAckFlag && bits & N_ACKNO ? norm.ack[i]! : 0;
      let flags = bits & N_REUSE ? PORT_REUSE : 0;

      // The sequence number. tcpdump omits it on segments without payload/SYN/FIN/RST: assume the next one, unless
      // the segment looks like a keep-alive (see the header: a repeat of the previous ACK and window, nothing from the
      // peer in between, at least KEEPALIVE_MIN_GAP_S later).
      let seq: number;
      let seqGuessed = false;
      if (bits & N_SEQ) {
        seq = norm.seq[i]!;
      } else if (!fHasNext) {
        // Nothing seen yet in this direction (a capture that starts mid-stream): the peer's last ACK says where this
        // direction's sequence numbers are; without it, the segment is not used to learn nextseq.
        seq = rHasLastack ? rLastack : 0;
        seqGuessed = !rHasLastack;
      } else {
        seq = fNextseq;
        const prev = fLastIndex;
        if (
          seglen === 0 &&
          !ctl &&
          prev >= 0 &&
          fHasLastack &&
          ack === fLastack &&
          fHasWindow &&
          window === fWindow &&
          rLastTrigger < prev &&
          hasT &&
          (norm.bits[prev]! & N_TIME) !== 0 &&
          t - norm.time[prev]! >= KEEPALIVE_MIN_GAP_S
        ) {
          seq = seqAdd(fNextseq, -1);
        }
      }

      fwdChecks: {
        // ZERO WINDOW PROBE (Wireshark): exactly one byte at the next sequence number while the peer's window is 0.
        if (seglen === 1 && fHasNext && seq === fNextseq && rHasWindow && rWindow === 0) {
          flags |= ZERO_WINDOW_PROBE;
          break fwdChecks;
        }
        // ZERO WINDOW PROBE (TCP Lens, Linux): no data, SEQ = next - 1, while the peer's window is 0 (see header).
        if (linuxProbes && seglen === 0 && !ctl && fHasNext && seq === seqAdd(fNextseq, -1) && rHasWindow && rWindow === 0) {
          flags |= ZERO_WINDOW_PROBE;
          break fwdChecks;
        }
        // ZERO WINDOW: a window of 0 on a segment without SYN, FIN or RST.
        if (hasWindowField && window === 0 && !ctl) flags |= ZERO_WINDOW;
        // LOST SEGMENT ("previous segment not captured"): the segment starts beyond nextseq; RSTs are not checked.
        if (fHasNext && seqGt(seq, fNextseq) && !rst) flags |= LOST_SEGMENT;
        // KEEP ALIVE: zero or one byte at SEQ = nextseq - 1, no SYN/FIN/RST.
        if ((seglen === 0 || seglen === 1) && fHasNext && seq === seqAdd(fNextseq, -1) && !ctl) flags |= KEEP_ALIVE;
        // WINDOW UPDATE: no data, same SEQ and ACK as before, a different non-zero window.
        if (
          seglen === 0 &&
          window !== 0 &&
          fHasWindow &&
          window !== fWindow &&
          fHasNext &&
          seq === fNextseq &&
          fHasLastack &&
          ack === fLastack &&
          !ctl
        ) {
          flags |= WINDOW_UPDATE;
        }
        // WINDOW FULL: data that reaches exactly the right edge of the peer's advertised window (scale known).
        if (
          seglen > 0 &&
          !ctl &&
          rHasLastack &&
          rHasWindow &&
          (bits & N_WSCALED) !== 0 &&
          seqAdd(seq, seglen) === seqAdd(rLastack, rWindow)
        ) {
          flags |= WINDOW_FULL;
        }
        const repeat =
          seglen === 0 && fHasWindow && window === fWindow && fHasNext && seq === fNextseq && !ctl;
        // KEEP ALIVE ACK: a repeat of the previous ACK and non-zero window answering a keep-alive.
        if (repeat && window !== 0 && fHasLastack && ack === fLastack && rLastflags & KEEP_ALIVE) {
          flags |= KEEP_ALIVE_ACK;
          break fwdChecks;
        }
        // ZERO WINDOW PROBE ACK: a repeat of the previous ACK and zero window answering a zero-window probe.
        if (repeat && window === 0 && fHasLastack && ack === fLastack && rLastflags & ZERO_WINDOW_PROBE) {
          flags |= ZERO_WINDOW_PROBE_ACK;
          break fwdChecks;
        }
        // DUPLICATE ACK: no data, same SEQ, ACK and non-zero window as the direction's previous segment.
        if (repeat && window !== 0 && fHasLastack && ack === fLastack) {
          fDupacknum++;
          flags |= DUPLICATE_ACK;
          this.table.setDupAck(i, fDupacknum, fLastnondupack);
        }
      }
      // The duplicate-ACK run ends when the ACK number changes (a window update in between does not end it).
      if (ack !== (fHasLastack ? fLastack : 0)) {
        fLastnondupack = i;
        fDupacknum = 0;
      }

      // ACKED UNSEEN SEGMENT: the ACK covers more than the peer's contiguous data we saw; the contiguous edge then
      // jumps to the peer's nextseq so that one hole is reported once (while the peer's data stays contiguous).
      if (hasAckFlag && rHasMax && seqGt(ack, rMaxseqtobeacked)) {
        flags |= ACK_LOST_SEGMENT;
        rMaxseqtobeacked = rNextseq;
      }

      // RETRANSMISSION / FAST RETRANSMISSION / OUT-OF-ORDER / SPURIOUS: a segment with data (or SYN/FIN) that does
      // not advance the sequence number. A keep-alive is not a retransmission.
      if ((seglen > 0 || syn || fin) && !(flags & KEEP_ALIVE)) {
        // "Not advanced": it starts below nextseq - except a segment longer than one byte starting at nextseq - 1 (the
        // byte a zero-window probe may have used), which brings new data.
        const notAdvanced = fHasNext && seqLt(seq, fNextseq) && !(seglen > 1 && seq === seqAdd(fNextseq, -1));
        const sinceDupAck = hasT && rHasLastackTime ? t - rLastackTime : 0;
        const sinceNext = hasT && fHasNextseqTime ? t - fNextseqTime : Infinity;
        const irtt = conn.irttSeconds;
        const oooThreshold = irtt !== undefined && conn.handshakeAckIndex !== undefined && i > conn.handshakeAckIndex ? irtt : DEFAULT_OOO_THRESHOLD_S;
        const end = seqAdd(seq, seglen);
        if (seglen > 0 && rHasLastack && rLastack !== 0 && seqLe(end, rLastack)) {
          // SPURIOUS: everything in it had already been acknowledged; the retransmission was not needed.
          flags |= SPURIOUS_RETRANSMISSION;
        } else if (notAdvanced && rDupacknum >= 2 && rHasLastack && rLastack === seq && sinceDupAck < FAST_RETRANSMISSION_WINDOW_S) {
          // FAST RETRANSMISSION: two or more duplicate ACKs asked for exactly this sequence number, < 20 ms ago.
          flags |= FAST_RETRANSMISSION;
        } else if (notAdvanced && sinceNext < oooThreshold && fNextseq !== seqAdd(end, syn || fin ? 1 : 0)) {
          // OUT-OF-ORDER: within one initial RTT (3 ms if unknown) of the highest segment, and not ending at it.
          flags |= OUT_OF_ORDER;
        } else if (notAdvanced) {
          flags |= RETRANSMISSION;
        }
      }

      // Remember, as Wireshark does. A zero-window probe does not advance nextseq.
      if (!seqGuessed) {
        const next = seqAdd(seq, seglen + (syn ? 1 : 0) + (fin ? 1 : 0));
        if ((!fHasNext || seqGt(next, fNextseq)) && !(flags & ZERO_WINDOW_PROBE)) {
          fHasNext = true;
          fNextseq = next;
          fHasNextseqTime = hasT;
          fNextseqTime = t;
        }
        if ((!fHasMax || seq === fMaxseqtobeacked) && !(flags & ZERO_WINDOW_PROBE)) {
          fHasMax = true;
          fMaxseqtobeacked = fNextseq;
        }
      }
      if (hasWindowField) {
        fHasWindow = true;
        fWindow = window;
      }
      if (hasAckFlag) {
        fHasLastack = true;
        fLastack = ack;
        fHasLastackTime = hasT;
        fLastackTime = t;
      }
      fLastIndex = i;
      // Segments that make the peer answer with an ACK: data, SYN, FIN, and keep-alive or window probes.
      if (seglen > 0 || syn || fin || flags & (KEEP_ALIVE | ZERO_WINDOW_PROBE)) fLastTrigger = i;
      d.hasNext[fi] = fHasNext ? 1 : 0;
      d.nextseq[fi] = fNextseq;
      d.nextseqTime[fi] = fNextseqTime;
      d.hasNextseqTime[fi] = fHasNextseqTime ? 1 : 0;
      d.hasMax[fi] = fHasMax ? 1 : 0;
      d.maxseqtobeacked[fi] = fMaxseqtobeacked;
      d.hasLastack[fi] = fHasLastack ? 1 : 0;
      d.lastack[fi] = fLastack;
      d.lastackTime[fi] = fLastackTime;
      d.hasLastackTime[fi] = fHasLastackTime ? 1 : 0;
      d.hasWindow[fi] = fHasWindow ? 1 : 0;
      d.window[fi] = fWindow;
      d.dupacknum[fi] = fDupacknum;
      d.lastnondupack[fi] = fLastnondupack;
      d.lastflags[fi] = flags;
      d.lastIndex[fi] = fLastIndex;
      d.lastTrigger[fi] = fLastTrigger;
      d.maxseqtobeacked[ri] = rMaxseqtobeacked;
      if (flags !== 0) {
        this.bits[i] = flags;
        conn.flagBits |= flags;
      }
    }
  }

  /** After the last segment: the per-direction state is not needed any more. */
  done(): void {
    this.dirs = new DirectionTable();
  }
}

/**
 * The flags of every segment: bits in a typed array, and for duplicate ACKs their number in the run and the segment
 * they repeat, by segment index.
 */
export class FlagTable implements FlagSource {
  readonly bits: Uint16Array;
  /**
   * The duplicate ACKs, sorted by segment index: the index, the number in the run, the segment repeated. The Flagger
   * adds them in segment order, so adding is a push (two Maps cost a hash insertion each, and a lossy capture has
   * hundreds of thousands of duplicate ACKs); reading one is a binary search.
   */
  private readonly dupAt: number[] = [];
  private readonly dupN: number[] = [];
  private readonly dupOf: number[] = [];

  constructor(readonly size: number) {
    this.bits = new Uint16Array(size);
  }

  flagsOf(i: number): readonly AnalysisFlag[] {
    return flagList(this.bits[i]!);
  }

  dupAckOf(i: number): { readonly n: number; readonly of: number } | undefined {
    const k = this.position(i);
    return k < this.dupAt.length && this.dupAt[k] === i ? { n: this.dupN[k]!, of: this.dupOf[k]! } : undefined;
  }

  setDupAck(i: number, n: number, of: number): void {
    const at = this.dupAt;
    const last = at.length - 1;
    if (last < 0 || at[last]! < i) {
      at.push(i);
      this.dupN.push(n);
      this.dupOf.push(of);
      return;
    }
    // Out of segment order (not done by the Flagger): keep the lists sorted, a later value for an index replacing it.
    const k = this.position(i);
    if (at[k] === i) {
      this.dupN[k] = n;
      this.dupOf[k] = of;
    } else {
      at.splice(k, 0, i);
      this.dupN.splice(k, 0, n);
      this.dupOf.splice(k, 0, of);
    }
  }

  /** The first position in dupAt whose index is not below i. */
  private position(i: number): number {
    const at = this.dupAt;
    let lo = 0;
    let hi = at.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (at[mid]! < i) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The entry point.

/** Everything TCP Lens knows about one segment: connection, relative numbers, states, step, analysis flags. */
export type SegmentAnalysis = SegmentTcp;

export interface SegmentsAnalysis {
  readonly connections: readonly Connection[];
  readonly findings: readonly Finding[];
  /** Connection id of each segment (index-aligned with the input segments). */
  readonly segmentConnections: Int32Array;
  /** Analysis flag bits of each segment (index-aligned; ANALYSIS_FLAGS order, see `flagBit` and `flagList`). */
  readonly segmentFlagBits: Uint16Array;
  /**
   * Analysis flags of each segment (index-aligned; shared frozen arrays, most of them the same empty one). Built on
   * first access from segmentFlagBits.
   */
  readonly segmentFlags: readonly (readonly AnalysisFlag[])[];
  /**
   * The full record of each segment (index-aligned): relative numbers, both ends' states before and after, step,
   * machine rules, flags. Built on first access (records read the rebuild's tables); segmentConnections and
   * segmentFlagBits are cheaper when they are all you need.
   */
  readonly perSegment: readonly SegmentAnalysis[];
  /**
   * The tables the records read: for a reader that keeps a few records (an edit keeps those that changed, made with
   * segmentRecord, and compares the others row to row with sameRow). perSegment's array lives as long as the
   * analysis, and so does every record in it.
   */
  readonly store: RecordStore;
  /** Per block: the index of the segment that decided how tcpdump numbered it (see Grouper.numbering). */
  readonly numbering: ReadonlyMap<number, number>;
}

/**
 * Rebuild connections, analyse every segment and derive the connection findings. `segments` is
 * ParsedDocument.segments; line numbers in the findings are the segments' own (0-based) lines.
 */
export function analyseSegments(segments: readonly Segment[], options: FlagOptions = {}): SegmentsAnalysis {
  return runJob(analyseSegmentsJob(segments, options));
}

/**
 * `analyseSegments` as a sliceable job. Its phases, each linear and interruptible after any JOB_CHUNK segments (or
 * connections):
 *  1. group and normalise (Grouper) and flag (Flagger) each segment,
 *  2. note when each block ends (per connection: the time of its last segment),
 *  3. replay each segment through both ends' machines and label its step (Replayer); the findings note what they
 *     need; after a connection's last segment, its outcome and summary,
 *  4. per connection in order, the findings (from what was noted, and the flag bits of the connections that have
 *     flags that findings report).
 */
export function analyseSegmentsJob(segments: readonly Segment[], options: FlagOptions = {}): Job<SegmentsAnalysis> {
  return new SegmentsJob(segments, options);
}

const GROUP = 0;
const BLOCK_ENDS = 1;
const REPLAY = 2;
const FINDINGS = 3;
const DONE = 4;

class SegmentsJob implements Job<SegmentsAnalysis> {
  private phase = GROUP;
  /** Position inside the phase: a segment index (GROUP, REPLAY) or a connection index (BLOCK_ENDS, FINDINGS). */
  private next = 0;
  private readonly grouper: Grouper;
  private readonly flagger: Flagger;
  private readonly replayer: Replayer;
  private readonly collector: FindingCollector;
  private connections: Connection[] = objectList();
  private readonly findings: Finding[] = objectList();
  private output: SegmentsAnalysis | undefined;

  constructor(
    private readonly segments: readonly Segment[],
    options: FlagOptions,
  ) {
    this.grouper = new Grouper(segments);
    const norm = this.grouper.norm;
    this.flagger = new Flagger(norm, this.grouper.builders, options);
    this.replayer = new Replayer(norm, this.grouper.builders);
    this.collector = new FindingCollector(norm, this.replayer.table, this.flagger.bits);
  }

  step(shouldYield?: () => boolean): boolean {
    while (this.phase !== DONE) {
      // A phase that stopped for shouldYield asked it already; one that ended is asked about here, as every slice is.
      if (this.runPhase(shouldYield)) break;
      if (shouldYield !== undefined && shouldYield()) break;
    }
    return this.phase === DONE;
  }

  result(): SegmentsAnalysis {
    if (this.output === undefined) throw new Error('analyseSegmentsJob: result() before the job finished');
    return this.output;
  }

  /**
   * The current phase, JOB_CHUNK units of work at a time, until it ends or `shouldYield` says to stop (then true).
   * Each phase loops in a method of its own with nothing after the loop, and the move to the next phase is made here.
   * When one method held every phase, V8 compiled it while the replay loop ran the first time (on the stack), before
   * the move to the next phase had ever run, and that move then sent the rest of every later re-analysis back to the
   * interpreter: once per keystroke in the editor (138 times in 200 keystrokes on the bench).
   */
  private runPhase(shouldYield: (() => boolean) | undefined): boolean {
    switch (this.phase) {
      case GROUP:
        if (this.groupPhase(shouldYield)) return true;
        this.flagger.done();
        this.nextPhase(BLOCK_ENDS);
        return false;
      case BLOCK_ENDS:
        if (this.blockEndsPhase(shouldYield)) return true;
        // Filled by the replay as connections end (in the order of their last segments).
        this.connections = objectArray(this.grouper.builders.length);
        this.collector.begin(this.grouper.builders.length);
        this.nextPhase(REPLAY);
        return false;
      case REPLAY:
        if (this.replayPhase(shouldYield)) return true;
        this.nextPhase(FINDINGS);
        return false;
      case FINDINGS:
        if (this.findingsPhase(shouldYield)) return true;
        this.finishJob();
        return false;
    }
    return false;
  }

  /** The phase's loops: false when the phase is done, true when they stopped for shouldYield. */
  private groupPhase(shouldYield: (() => boolean) | undefined): boolean {
    const size = this.segments.length;
    for (;;) {
      const from = this.next;
      const to = Math.min(size, from + JOB_CHUNK);
      this.grouper.addRange(from, to);
      this.flagger.addRange(from, to);
      this.next = to;
      if (to === size) return false;
      if (shouldYield !== undefined && shouldYield()) return true;
    }
  }

  private blockEndsPhase(shouldYield: (() => boolean) | undefined): boolean {
    const builders = this.grouper.builders;
    for (;;) {
      const from = this.next;
      const to = Math.min(builders.length, from + JOB_CHUNK);
      this.replayer.noteBlockEnds(from, to);
      this.next = to;
      if (to === builders.length) return false;
      if (shouldYield !== undefined && shouldYield()) return true;
    }
  }

  private replayPhase(shouldYield: (() => boolean) | undefined): boolean {
    const size = this.segments.length;
    const builders = this.grouper.builders;
    const replayer = this.replayer;
    const collector = this.collector;
    const conns = this.grouper.norm.conn;
    const connections = this.connections;
    for (;;) {
      const from = this.next;
      const to = Math.min(size, from + JOB_CHUNK);
      for (let i = from; i < to; i++) {
        const k = replayer.replay(i);
        const conn = builders[conns[i]!]!;
        collector.replayed(conn, i, k, replayer.seg, replayer.currentIndexes(), replayer.currentOpen());
        if (k === conn.count - 1) connections[conn.id] = replayer.finish(conn);
      }
      this.next = to;
      if (to === size) return false;
      if (shouldYield !== undefined && shouldYield()) return true;
    }
  }

  private findingsPhase(shouldYield: (() => boolean) | undefined): boolean {
    const builders = this.grouper.builders;
    const collector = this.collector;
    for (;;) {
      let work = 0;
      while (this.next < builders.length && work < JOB_CHUNK) {
        const conn = builders[this.next]!;
        const c = this.connections[this.next]!;
        this.next++;
        work += 1 + collector.emit(conn, c, this.findings);
      }
      if (this.next === builders.length) return false;
      if (shouldYield !== undefined && shouldYield()) return true;
    }
  }

  private nextPhase(phase: number): void {
    this.phase = phase;
    this.next = 0;
  }

  private finishJob(): void {
    const norm = this.grouper.norm;
    const flags = this.flagger.table;
    const store = { norm, table: this.replayer.table, flags };
    let records: SegmentAnalysis[] | undefined;
    let lists: (readonly AnalysisFlag[])[] | undefined;
    this.output = {
      connections: this.connections,
      findings: this.findings,
      segmentConnections: norm.conn,
      segmentFlagBits: flags.bits,
      numbering: this.grouper.numbering(),
      get segmentFlags(): readonly (readonly AnalysisFlag[])[] {
        if (lists === undefined) {
          lists = objectArray(flags.bits.length);
          for (let i = 0; i < flags.bits.length; i++) lists[i] = flagList(flags.bits[i]!);
        }
        return lists;
      },
      get perSegment(): readonly SegmentAnalysis[] {
        records ??= segmentRecords(store);
        return records;
      },
      store,
    };
    this.phase = DONE;
  }
}
