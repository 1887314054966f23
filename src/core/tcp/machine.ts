/**
 * The RFC 9293 connection state machine of ONE end of a connection, pure and immutable.
 *
 * `step(tcb, event)` returns the new control block, the segments the end emits in reaction, and which rule of
 * RFC 9293 fired (section 3.10 "Event Processing"). Events are what RFC 9293 calls user calls (OPEN, SEND, CLOSE,
 * ABORT), arriving segments, and timeouts (retransmission, TIME-WAIT's 2MSL, user timeout), plus two that only make
 * sense when we watch a capture instead of running a stack:
 *  - `sent`: the end was SEEN sending a segment (a capture shows what went out, not the call that caused it), so the
 *    machine applies the user call the segment proves (a FIN from ESTABLISHED proves CLOSE),
 *  - `receive` with `lenient`: the capture may have missed segments the peer did receive, so a segment beyond
 *    RCV.NXT is taken as proof that the gap arrived too.
 *
 * Two people use this module: the capture rebuild (src/core/tcp/connection.ts) and the stepper panel, which runs two
 * machines against each other and lets the user drop segments or kill an end ("break it"): every state, including
 * those a normal run never visits (CLOSING, SYN-RECEIVED from a simultaneous open), is reachable by events alone.
 *
 * Simplifications (stated so that nobody mistakes them for RFC behaviour):
 *  - the receive window is taken as unbounded, and segments that arrive beyond RCV.NXT are not queued for
 *    reassembly: they are answered with an ACK for RCV.NXT (a duplicate ACK) and dropped; the peer's retransmission
 *    timer resends everything from SND.UNA (go-back-N). States evolve exactly as with a reassembly queue, only later.
 *  - the end sends every ACK at once (no delayed ACK); RST acceptability follows RFC 5961 (exact RCV.NXT, otherwise a
 *    challenge ACK); a SYN in a synchronized state gets a challenge ACK (RFC 5961 section 4).
 *  - the FIN-WAIT-2 timeout and the keepalive timer are not in RFC 9293's figure; they are Linux's tcp_fin_timeout and
 *    RFC 9293 section 3.8.4 keep-alives, and are marked as such in RULES.
 */
import type { Localized, TcpState } from '../model';

// ---------------------------------------------------------------------------------------------------------------
// Sequence-number arithmetic (RFC 9293 section 3.4): 32-bit, compared modulo 2^32.

/** a < b in sequence space. `(a - b) | 0` folds the difference into a signed 32-bit integer. */
export function seqLt(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}
export function seqLe(a: number, b: number): boolean {
  return ((a - b) | 0) <= 0;
}
export function seqGt(a: number, b: number): boolean {
  return ((a - b) | 0) > 0;
}
export function seqGe(a: number, b: number): boolean {
  return ((a - b) | 0) >= 0;
}
/** a + n, wrapped to an unsigned 32-bit sequence number. */
export function seqAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}
/** The signed distance a - b in sequence space. */
export function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Segments, control block, events.

/** A segment as the machine sees it: control bits, numbers, payload length. */
export interface MachineSegment {
  readonly syn: boolean;
  readonly ack: boolean;
  readonly fin: boolean;
  readonly rst: boolean;
  readonly seq: number;
  /** The acknowledgment number; meaningful only when `ack` is set. */
  readonly ackNo: number;
  /** Payload bytes. */
  readonly len: number;
}

/** Sequence space a segment occupies: payload plus one for SYN and one for FIN (RFC 9293 SEG.LEN). */
export function segmentLength(seg: MachineSegment): number {
  return seg.len + (seg.syn ? 1 : 0) + (seg.fin ? 1 : 0);
}

/** Build a segment with defaults (all flags off, numbers 0). */
export function makeSegment(fields: Partial<MachineSegment>): MachineSegment {
  return {
    syn: fields.syn ?? false,
    ack: fields.ack ?? false,
    fin: fields.fin ?? false,
    rst: fields.rst ?? false,
    seq: fields.seq ?? 0,
    ackNo: fields.ackNo ?? 0,
    len: fields.len ?? 0,
  };
}

/** What the application sees when the connection fails (Linux errno names). */
export type AppError = 'ECONNREFUSED' | 'ECONNRESET' | 'ETIMEDOUT';

/**
 * Transmission control block: the state and the sequence variables of RFC 9293 section 3.3.1. Numbers are
 * undefined until known (before a SYN is sent or received; or for a connection a capture joined mid-stream).
 */
export interface Tcb {
  readonly state: TcpState;
  /** Entered SYN-RECEIVED from LISTEN (passive OPEN): a RST there returns to LISTEN instead of CLOSED. */
  readonly passive: boolean;
  readonly iss?: number;
  readonly sndUna?: number;
  readonly sndNxt?: number;
  readonly irs?: number;
  readonly rcvNxt?: number;
  /** Sequence number our FIN occupies, once sent. */
  readonly finSeq?: number;
  /** Sequence number of the peer's FIN, once received. */
  readonly peerFinSeq?: number;
  /** Retransmissions of the oldest unacknowledged segment so far (reset when something new is acknowledged). */
  readonly retries: number;
  /** Set when the connection failed and the application was told so. */
  readonly error?: AppError;
}

export type TimerKind =
  /** Retransmission timeout (RTO): resend the oldest unacknowledged segment, or give up. */
  | 'retransmission'
  /** 2MSL in TIME-WAIT (Linux: a fixed 60 s). */
  | 'time-wait'
  /** Linux tcp_fin_timeout for an orphaned FIN-WAIT-2 socket (not RFC 9293). */
  | 'fin-wait-2'
  /** RFC 9293 USER TIMEOUT (Linux TCP_USER_TIMEOUT). */
  | 'user'
  /** Keep-alive timer (RFC 9293 section 3.8.4, Linux SO_KEEPALIVE): send a probe, or give up after the last one. */
  | 'keepalive';

export type MachineEvent =
  /** User OPEN: `passive` = listen(); `active` = connect() (or SEND in LISTEN). `iss` defaults to 0. */
  | { readonly type: 'open'; readonly mode: 'passive' | 'active'; readonly iss?: number }
  /** User SEND of `len` bytes. */
  | { readonly type: 'send'; readonly len: number }
  /** User CLOSE (close() or shutdown(SHUT_WR): both send FIN; TCP cannot tell them apart). */
  | { readonly type: 'close' }
  /** User ABORT (close() with SO_LINGER {1, 0}, process killed with unread data, ...). */
  | { readonly type: 'abort' }
  /** A segment arrives. `lenient`: trust that anything before it arrived too (capture replay). */
  | { readonly type: 'receive'; readonly seg: MachineSegment; readonly lenient?: boolean }
  /** The end was seen sending `seg` (capture replay): apply the user call it proves. */
  | { readonly type: 'sent'; readonly seg: MachineSegment }
  /** A timer fired; `giveUp` = the retry limit is reached (tcp_syn_retries, tcp_retries2, tcp_keepalive_probes). */
  | { readonly type: 'timeout'; readonly timer: TimerKind; readonly giveUp?: boolean };

/** Which rule of RFC 9293 fired. Stable identifiers; `RULES` describes each in en + zh-cn. */
export type RuleId =
  | 'passive-open'
  | 'active-open'
  | 'listen-send'
  | 'open-ignored'
  | 'send-data'
  | 'send-refused'
  | 'close-listen'
  | 'close-syn-sent'
  | 'close-send-fin'
  | 'close-last-fin'
  | 'close-ignored'
  | 'abort-reset'
  | 'abort-silent'
  | 'closed-reply-reset'
  | 'closed-ignore-reset'
  | 'listen-ignore-reset'
  | 'listen-reset-ack'
  | 'listen-rcv-syn'
  | 'listen-ignore'
  | 'syn-sent-bad-ack'
  | 'syn-sent-refused'
  | 'syn-sent-ignore'
  | 'syn-sent-rcv-syn-ack'
  | 'syn-sent-rcv-syn'
  | 'unacceptable-ack'
  | 'time-wait-fin-again'
  | 'challenge-ack'
  | 'reset-ignored'
  | 'rcv-reset-to-listen'
  | 'rcv-reset'
  | 'rcv-reset-closing'
  | 'rcv-syn-challenge'
  | 'no-ack-drop'
  | 'syn-received-ack'
  | 'syn-received-bad-ack'
  | 'ack-future'
  | 'rcv-ack'
  | 'fin-acked'
  | 'closing-fin-acked'
  | 'last-ack-fin-acked'
  | 'rcv-data'
  | 'rcv-fin'
  | 'rcv-fin-simultaneous'
  | 'rcv-fin-time-wait'
  | 'rcv-fin-again'
  | 'sent-syn'
  | 'sent-syn-again'
  | 'sent-syn-ack'
  | 'sent-syn-ack-simultaneous'
  | 'sent-syn-ack-again'
  | 'sent-fin'
  | 'sent-last-fin'
  | 'sent-fin-again'
  | 'sent-reset'
  | 'sent-other'
  | 'retransmit'
  | 'give-up'
  | 'nothing-to-retransmit'
  | 'time-wait-expired'
  | 'fin-wait-2-expired'
  | 'user-timeout'
  | 'keepalive-probe'
  | 'keepalive-give-up'
  | 'timer-ignored';

export interface StepResult {
  readonly tcb: Tcb;
  readonly from: TcpState;
  readonly to: TcpState;
  /** Segments the end emits in reaction (empty for `sent`: the segment itself was the emission). */
  readonly emit: readonly MachineSegment[];
  readonly rule: RuleId;
  /** The error the application is told about by this step, if any. */
  readonly error?: AppError | undefined;
}

/**
 * The empty control block. Every Tcb has all of these keys, in this order (unknown ones undefined), so that all control
 * blocks share one shape: the replay of a large capture steps the machine hundreds of thousands of times.
 */
export const CLOSED_TCB: Tcb = Object.freeze({
  state: 'CLOSED',
  passive: false,
  iss: undefined,
  sndUna: undefined,
  sndNxt: undefined,
  irs: undefined,
  rcvNxt: undefined,
  finSeq: undefined,
  peerFinSeq: undefined,
  retries: 0,
  error: undefined,
});

/**
 * A control block already in `state`, for replaying a capture that starts mid-connection or for setting up a
 * stepper scenario. Unknown numbers stay undefined and are learnt from the first segments (in lenient mode).
 */
export function tcbInState(state: TcpState, numbers: Partial<Omit<Tcb, 'state'>> = {}): Tcb {
  const tcb = copyTcb(CLOSED_TCB);
  tcb.state = state;
  for (const k of Object.keys(numbers) as (keyof typeof numbers)[]) (tcb as Record<string, unknown>)[k] = numbers[k];
  return tcb;
}

/** A control block being made (by `copyTcb`), before it is handed out as a Tcb. */
export type TcbDraft = { -readonly [K in keyof Tcb]: Tcb[K] };

/**
 * A copy of `t` to change before handing it out: every key of Tcb, in CLOSED_TCB's order (what `{ ...t }` gives for
 * a Tcb). Written field by field, so that every control block is made in one place with one object shape: a spread
 * with changes (`{ ...t, state }`) was the machine's slowest line when a large capture is replayed.
 */
export function copyTcb(t: Tcb): TcbDraft {
  return {
    state: t.state,
    passive: t.passive,
    iss: t.iss,
    sndUna: t.sndUna,
    sndNxt: t.sndNxt,
    irs: t.irs,
    rcvNxt: t.rcvNxt,
    finSeq: t.finSeq,
    peerFinSeq: t.peerFinSeq,
    retries: t.retries,
    error: t.error,
  };
}

/** A copy of `t` in another state (everything else kept). */
function inState(t: Tcb, state: TcpState): TcbDraft {
  const next = copyTcb(t);
  next.state = state;
  return next;
}

/** A fresh control block (CLOSED_TCB's numbers) in `state`, `passive` as given. */
function freshTcb(state: TcpState, passive: boolean): TcbDraft {
  const next = inState(CLOSED_TCB, state);
  next.passive = passive;
  return next;
}

/** SYN-SENT after a SYN with sequence number `iss` (active open). */
function synSentTcb(iss: number): Tcb {
  const next = freshTcb('SYN-SENT', false);
  next.iss = iss;
  next.sndUna = iss;
  next.sndNxt = seqAdd(iss, 1);
  return next;
}

/** A segment, every field given (makeSegment for callers that name a few). */
function segment(syn: boolean, ack: boolean, fin: boolean, rst: boolean, seq: number, ackNo: number, len: number): MachineSegment {
  return { syn, ack, fin, rst, seq, ackNo, len };
}

/** A RST: <SEQ=seq><CTL=RST>. */
function rstSegment(seq: number): MachineSegment {
  return segment(false, false, false, true, seq, 0, 0);
}

const SYNCHRONIZED: ReadonlySet<TcpState> = new Set<TcpState>([
  'ESTABLISHED',
  'FIN-WAIT-1',
  'FIN-WAIT-2',
  'CLOSE-WAIT',
  'CLOSING',
  'LAST-ACK',
  'TIME-WAIT',
]);

/** RFC 9293 "synchronized states": every state after the handshake. */
export function isSynchronized(state: TcpState): boolean {
  return SYNCHRONIZED.has(state);
}

/** Has our FIN been acknowledged (SND.UNA moved past it)? */
export function finAcked(tcb: Tcb): boolean {
  return tcb.finSeq !== undefined && tcb.sndUna !== undefined && seqGt(tcb.sndUna, tcb.finSeq);
}

// ---------------------------------------------------------------------------------------------------------------
// The step function.

export function step(tcb: Tcb, event: MachineEvent): StepResult {
  switch (event.type) {
    case 'open':
      return open(tcb, event.mode, event.iss ?? 0);
    case 'send':
      return userSend(tcb, event.len);
    case 'close':
      return userClose(tcb);
    case 'abort':
      return userAbort(tcb);
    case 'receive':
      return receive(tcb, event.seg, event.lenient === true);
    case 'sent':
      return sent(tcb, event.seg);
    case 'timeout':
      return timeout(tcb, event.timer, event.giveUp === true);
  }
}

/**
 * `step(tcb, { type: 'receive', seg, lenient })` without the event object (the capture replay makes two steps for
 * most control segments of a large capture).
 */
export function stepReceive(tcb: Tcb, seg: MachineSegment, lenient: boolean): StepResult {
  return receive(tcb, seg, lenient);
}

/**
 * A quiet step is running (stepReceiveQuiet, stepSentQuiet): received segments build no replies (user calls and
 * timers always build theirs), and the result is QUIET_RESULT.
 */
let quiet = false;

/**
 * `stepReceive` for the capture replay, which reads the control block, the states and the rule of a step but never
 * the segments it emits, and reads a step's result before it makes the next step: the same result with `emit` left
 * empty, in one shared object that the next quiet step fills again. (A large capture makes hundreds of thousands of
 * steps; their replies, an array and a segment with two numbers each, and their result objects were most of what
 * the machine allocated.)
 */
export function stepReceiveQuiet(tcb: Tcb, seg: MachineSegment, lenient: boolean): StepResult {
  quiet = true;
  try {
    return receive(tcb, seg, lenient);
  } finally {
    quiet = false;
  }
}

/** `step(tcb, { type: 'sent', seg })` without the event object. */
export function stepSent(tcb: Tcb, seg: MachineSegment): StepResult {
  return sent(tcb, seg);
}

/** `stepSent` for the capture replay: its result is the shared object of the quiet steps (see stepReceiveQuiet). */
export function stepSentQuiet(tcb: Tcb, seg: MachineSegment): StepResult {
  quiet = true;
  try {
    return sent(tcb, seg);
  } finally {
    quiet = false;
  }
}

const NO_EMIT: readonly MachineSegment[] = Object.freeze([]) as readonly MachineSegment[];

/** The result of every quiet step, filled again by each. */
const QUIET_RESULT: { -readonly [K in keyof StepResult]: StepResult[K] } = {
  tcb: CLOSED_TCB,
  from: 'CLOSED',
  to: 'CLOSED',
  emit: NO_EMIT,
  rule: 'timer-ignored',
  error: undefined,
};

function result(from: Tcb, to: Tcb, rule: RuleId, emit: readonly MachineSegment[] = NO_EMIT, error?: AppError): StepResult {
  if (quiet) {
    const r = QUIET_RESULT;
    r.tcb = to;
    r.from = from.state;
    r.to = to.state;
    r.emit = emit;
    r.rule = rule;
    r.error = error;
    return r;
  }
  return { tcb: to, from: from.state, to: to.state, emit, rule, error };
}

function same(tcb: Tcb, rule: RuleId, emit: readonly MachineSegment[] = NO_EMIT): StepResult {
  return result(tcb, tcb, rule, emit);
}

function closedAfter(tcb: Tcb, rule: RuleId, emit: readonly MachineSegment[] = NO_EMIT, error?: AppError): StepResult {
  let next: Tcb = CLOSED_TCB;
  if (error !== undefined) {
    const failed = copyTcb(CLOSED_TCB);
    failed.error = error;
    next = failed;
  }
  return result(tcb, next, rule, emit, error);
}

/** An ACK for what we have received so far: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>. */
function ackSegment(tcb: Tcb): MachineSegment {
  return segment(false, true, false, false, tcb.sndNxt ?? 0, tcb.rcvNxt ?? 0, 0);
}

// The replies of a received segment, built only when the step is not quiet (NO_EMIT otherwise).

/** An ACK in reply (ackSegment). */
function ackReply(tcb: Tcb): readonly MachineSegment[] {
  return quiet ? NO_EMIT : [ackSegment(tcb)];
}

/** A RST in reply: <SEQ=seq><CTL=RST>. */
function rstReply(seq: number): readonly MachineSegment[] {
  return quiet ? NO_EMIT : [makeSegment({ rst: true, seq })];
}

/** A SYN,ACK in reply: <SEQ=iss><ACK=rcvNxt><CTL=SYN,ACK>. */
function synAckReply(iss: number, rcvNxt: number): readonly MachineSegment[] {
  return quiet ? NO_EMIT : [segment(true, true, false, false, iss, rcvNxt, 0)];
}

// --- user calls (RFC 9293 section 3.10.1 - 3.10.4) ---------------------------------------------------------------

function open(tcb: Tcb, mode: 'passive' | 'active', iss: number): StepResult {
  if (tcb.state === 'CLOSED') {
    // The ISS a listener will use for its SYN,ACK is chosen now (RFC 9293 picks it when the SYN arrives; same result).
    if (mode === 'passive') {
      const listening = freshTcb('LISTEN', true);
      listening.iss = iss;
      return result(tcb, listening, 'passive-open');
    }
    return result(tcb, synSentTcb(iss), 'active-open', [makeSegment({ syn: true, seq: iss })]);
  }
  if (tcb.state === 'LISTEN' && mode === 'active') {
    // "LISTEN STATE: If the foreign socket is specified, then change the connection from passive to active, select an
    // ISS. Send a SYN segment" (3.10.2, SEND call in LISTEN; an active OPEN on a listening TCB does the same).
    return result(tcb, synSentTcb(iss), 'listen-send', [makeSegment({ syn: true, seq: iss })]);
  }
  return same(tcb, 'open-ignored'); // "error: connection already exists"
}

function userSend(tcb: Tcb, len: number): StepResult {
  if ((tcb.state === 'ESTABLISHED' || tcb.state === 'CLOSE-WAIT') && len > 0) {
    const seq = tcb.sndNxt ?? 0;
    const seg = makeSegment({ ack: true, seq, ackNo: tcb.rcvNxt ?? 0, len });
    const next = copyTcb(tcb);
    next.sndNxt = seqAdd(seq, len);
    return result(tcb, next, 'send-data', [seg]);
  }
  // SYN-SENT / SYN-RECEIVED would queue the data; after CLOSE it is "error: connection closing".
  return same(tcb, 'send-refused');
}

function userClose(tcb: Tcb): StepResult {
  switch (tcb.state) {
    case 'LISTEN':
      return closedAfter(tcb, 'close-listen');
    case 'SYN-SENT':
      return closedAfter(tcb, 'close-syn-sent');
    case 'SYN-RECEIVED':
    case 'ESTABLISHED':
    case 'CLOSE-WAIT': {
      const seq = tcb.sndNxt ?? 0;
      const fin = makeSegment({ fin: true, ack: true, seq, ackNo: tcb.rcvNxt ?? 0 });
      const next = inState(tcb, tcb.state === 'CLOSE-WAIT' ? 'LAST-ACK' : 'FIN-WAIT-1');
      next.finSeq = seq;
      next.sndNxt = seqAdd(seq, 1);
      return result(tcb, next, tcb.state === 'CLOSE-WAIT' ? 'close-last-fin' : 'close-send-fin', [fin]);
    }
    default:
      return same(tcb, 'close-ignored'); // CLOSED: "connection does not exist"; later states: "connection closing"
  }
}

function userAbort(tcb: Tcb): StepResult {
  switch (tcb.state) {
    case 'SYN-RECEIVED':
    case 'ESTABLISHED':
    case 'FIN-WAIT-1':
    case 'FIN-WAIT-2':
    case 'CLOSE-WAIT':
      return closedAfter(tcb, 'abort-reset', [rstSegment(tcb.sndNxt ?? 0)]);
    case 'CLOSED':
      return same(tcb, 'abort-silent');
    default:
      // LISTEN, SYN-SENT, CLOSING, LAST-ACK, TIME-WAIT: delete the TCB without sending anything.
      return closedAfter(tcb, 'abort-silent');
  }
}

// --- SEGMENT ARRIVES (RFC 9293 section 3.10.7) -------------------------------------------------------------------

function receive(tcb: Tcb, seg: MachineSegment, lenient: boolean): StepResult {
  switch (tcb.state) {
    case 'CLOSED':
      return receiveInClosed(tcb, seg);
    case 'LISTEN':
      return receiveInListen(tcb, seg);
    case 'SYN-SENT':
      return receiveInSynSent(tcb, seg, lenient);
    default:
      return receiveSynchronized(tcb, seg, lenient);
  }
}

/** 3.10.7.1: everything but a RST is answered with a RST. */
function receiveInClosed(tcb: Tcb, seg: MachineSegment): StepResult {
  if (seg.rst) return same(tcb, 'closed-ignore-reset');
  if (quiet) return same(tcb, 'closed-reply-reset');
  const reply = seg.ack
    ? makeSegment({ rst: true, seq: seg.ackNo })
    : makeSegment({ rst: true, ack: true, seq: 0, ackNo: seqAdd(seg.seq, segmentLength(seg)) });
  return same(tcb, 'closed-reply-reset', [reply]);
}

/** 3.10.7.2 */
function receiveInListen(tcb: Tcb, seg: MachineSegment): StepResult {
  if (seg.rst) return same(tcb, 'listen-ignore-reset');
  if (seg.ack) return same(tcb, 'listen-reset-ack', rstReply(seg.ackNo));
  if (seg.syn) {
    const iss = tcb.iss ?? 0;
    const rcvNxt = seqAdd(seg.seq, 1 + seg.len);
    const next = inState(tcb, 'SYN-RECEIVED');
    next.passive = true;
    next.irs = seg.seq;
    next.rcvNxt = rcvNxt;
    next.iss = iss;
    next.sndUna = iss;
    next.sndNxt = seqAdd(iss, 1);
    return result(tcb, next, 'listen-rcv-syn', synAckReply(iss, rcvNxt));
  }
  return same(tcb, 'listen-ignore');
}

/** 3.10.7.3 */
function receiveInSynSent(tcb: Tcb, seg: MachineSegment, lenient: boolean): StepResult {
  const iss = tcb.iss;
  if (seg.ack) {
    const known = iss !== undefined && tcb.sndNxt !== undefined;
    const ackAcceptable = known ? seqGt(seg.ackNo, iss) && seqLe(seg.ackNo, tcb.sndNxt) : lenient;
    if (!ackAcceptable) {
      if (seg.rst) return same(tcb, 'syn-sent-ignore');
      return same(tcb, 'syn-sent-bad-ack', rstReply(seg.ackNo));
    }
  }
  if (seg.rst) {
    // "If the ACK was acceptable, then signal to the user 'error: connection reset', drop the segment, enter CLOSED"
    // - the caller of connect() gets ECONNREFUSED on every stack we know.
    return seg.ack ? closedAfter(tcb, 'syn-sent-refused', [], 'ECONNREFUSED') : same(tcb, 'syn-sent-ignore');
  }
  if (!seg.syn) return same(tcb, 'syn-sent-ignore');
  const rcvNxt = seqAdd(seg.seq, 1 + seg.len);
  if (seg.ack) {
    const next = inState(tcb, 'ESTABLISHED');
    next.irs = seg.seq;
    next.rcvNxt = rcvNxt;
    next.sndUna = seg.ackNo;
    next.retries = 0;
    return result(tcb, next, 'syn-sent-rcv-syn-ack', ackReply(next));
  }
  // Simultaneous open: "Otherwise, enter SYN-RECEIVED, form a SYN,ACK segment <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>".
  const next = inState(tcb, 'SYN-RECEIVED');
  next.irs = seg.seq;
  next.rcvNxt = rcvNxt;
  return result(tcb, next, 'syn-sent-rcv-syn', synAckReply(iss ?? 0, rcvNxt));
}

/** 3.10.7.4: SYN-RECEIVED and every synchronized state. */
function receiveSynchronized(tcb0: Tcb, seg: MachineSegment, lenient: boolean): StepResult {
  let tcb = tcb0;
  const seglen = segmentLength(seg);
  let rcvNxt = tcb.rcvNxt;
  if (rcvNxt === undefined) {
    // Joined mid-stream: the first segment we see defines RCV.NXT.
    rcvNxt = seg.seq;
    const joined = copyTcb(tcb);
    joined.rcvNxt = rcvNxt;
    tcb = joined;
  }

  // First: check sequence number. With an unbounded window a segment is acceptable when it starts at RCV.NXT or
  // overlaps it; in lenient (capture replay) mode a segment beyond RCV.NXT is accepted as if the gap had arrived.
  const end = seqAdd(seg.seq, seglen);
  let acceptable: boolean;
  if (seglen === 0) acceptable = seg.seq === rcvNxt || (lenient && seqGt(seg.seq, rcvNxt));
  else acceptable = (seqLe(seg.seq, rcvNxt) && seqGt(end, rcvNxt)) || (lenient && seqGt(seg.seq, rcvNxt));
  if (seg.rst) {
    // Second: check RST. RFC 5961: a RST is accepted only at exactly RCV.NXT; elsewhere in the window it gets a
    // challenge ACK. A lenient replay accepts every RST the capture shows: if the end had ignored it, its own later
    // segments will say so.
    const exact = seg.seq === rcvNxt || lenient;
    if (!exact) {
      // Beyond RCV.NXT (in our unbounded window): challenge ACK. Before it: outside the window, silently dropped.
      return seqGt(seg.seq, rcvNxt) ? same(tcb, 'challenge-ack', ackReply(tcb)) : same(tcb, 'reset-ignored');
    }
    if (tcb.state === 'SYN-RECEIVED') {
      if (tcb.passive) return result(tcb, freshTcb('LISTEN', true), 'rcv-reset-to-listen');
      return closedAfter(tcb, 'rcv-reset', [], 'ECONNREFUSED');
    }
    if (tcb.state === 'CLOSING' || tcb.state === 'LAST-ACK' || tcb.state === 'TIME-WAIT') return closedAfter(tcb, 'rcv-reset-closing');
    return closedAfter(tcb, 'rcv-reset', [], 'ECONNRESET');
  }
  if (!acceptable && tcb.state === 'SYN-RECEIVED' && seg.syn && seg.ack && seg.seq === tcb.irs && !tcb.passive) {
    // Simultaneous open (RFC 9293 figure 8, line 6): the peer's SYN,ACK repeats the SYN we already have. Its SYN is
    // trimmed away as old and what remains - an ACK at RCV.NXT - is processed: SYN-RECEIVED -> ESTABLISHED.
    const r = receiveSynchronized(tcb, { ...seg, syn: false, seq: rcvNxt, len: 0 }, lenient);
    return r.emit.length > 0 || r.to !== 'ESTABLISHED' || quiet ? r : { ...r, emit: ackReply(r.tcb) }; // line 7: <ACK>
  }
  if (!acceptable) {
    // "If an incoming segment is not acceptable, an acknowledgment should be sent in reply" - this is how keep-alive
    // probes (SEQ = RCV.NXT - 1) and retransmitted data are answered, and how TIME-WAIT re-acknowledges a FIN.
    if (tcb.state === 'TIME-WAIT' && seg.fin) return same(tcb, 'time-wait-fin-again', ackReply(tcb));
    return same(tcb, 'unacceptable-ack', ackReply(tcb));
  }
  // Fourth: check SYN (RFC 5961 section 4: challenge ACK, never a reset).
  if (seg.syn) return same(tcb, 'rcv-syn-challenge', ackReply(tcb));
  // Fifth: check ACK. "if the ACK bit is off, drop the segment and return".
  if (!seg.ack) return same(tcb, 'no-ack-drop');

  let state: TcpState = tcb.state;
  let rule: RuleId = 'rcv-ack';
  let sndUna = tcb.sndUna;
  let sndNxt = tcb.sndNxt;
  let retries = tcb.retries;
  if (lenient && (sndNxt === undefined || seqGt(seg.ackNo, sndNxt))) {
    sndNxt = seg.ackNo; // the capture missed something we sent
  }
  if (sndUna === undefined) sndUna = seg.ackNo;
  const ackInRange = seqGt(seg.ackNo, sndUna) && sndNxt !== undefined && seqLe(seg.ackNo, sndNxt);

  if (state === 'SYN-RECEIVED') {
    // "If SND.UNA < SEG.ACK =< SND.NXT, then enter ESTABLISHED state and continue processing"
    if (!ackInRange) return same(tcb, 'syn-received-bad-ack', rstReply(seg.ackNo));
    state = 'ESTABLISHED';
    rule = 'syn-received-ack';
  }
  if (sndNxt !== undefined && seqGt(seg.ackNo, sndNxt)) {
    // "If the ACK acks something not yet sent (SEG.ACK > SND.NXT), then send an ACK, drop the segment, and return."
    return same(tcb, 'ack-future', ackReply(tcb));
  }
  if (seqGt(seg.ackNo, sndUna)) {
    sndUna = seg.ackNo;
    retries = 0;
  }
  const ourFinAcked = tcb.finSeq !== undefined && seqGt(sndUna, tcb.finSeq);
  if (state === 'FIN-WAIT-1' && ourFinAcked) {
    state = 'FIN-WAIT-2';
    rule = 'fin-acked';
  } else if (state === 'CLOSING') {
    if (!ourFinAcked) return same(tcb, 'rcv-ack'); // "otherwise ignore the segment"
    state = 'TIME-WAIT';
    rule = 'closing-fin-acked';
  } else if (state === 'LAST-ACK') {
    // "The only thing that can arrive in this state is an acknowledgment of our FIN. If our FIN is now acknowledged,
    // delete the TCB, enter the CLOSED state, and return."
    if (ourFinAcked) return closedAfter(tcb, 'last-ack-fin-acked');
    return same(tcb, 'rcv-ack');
  } else if (state === 'TIME-WAIT') {
    // Only a retransmitted FIN can arrive (handled as unacceptable above); anything else is just acknowledged.
    return same(tcb, 'rcv-ack');
  }

  // Seventh: process the segment text.
  let newRcvNxt = rcvNxt;
  if (seg.len > 0) {
    if (state === 'ESTABLISHED' || state === 'FIN-WAIT-1' || state === 'FIN-WAIT-2') {
      newRcvNxt = seqAdd(seg.seq, seg.len);
      if (rule === 'rcv-ack') rule = 'rcv-data';
    }
    // CLOSE-WAIT, CLOSING, LAST-ACK, TIME-WAIT: "This should not occur since a FIN has been received from the remote
    // side. Ignore the segment text."
  }
  // Eighth: check FIN.
  let peerFinSeq = tcb.peerFinSeq;
  if (seg.fin) {
    peerFinSeq = seqAdd(seg.seq, seg.len);
    newRcvNxt = seqAdd(peerFinSeq, 1);
    switch (state) {
      case 'ESTABLISHED':
        state = 'CLOSE-WAIT';
        rule = 'rcv-fin';
        break;
      case 'FIN-WAIT-1':
        // "If our FIN has been ACKed (perhaps in this segment), then enter TIME-WAIT ...; otherwise, enter CLOSING."
        state = ourFinAcked ? 'TIME-WAIT' : 'CLOSING';
        rule = ourFinAcked ? 'rcv-fin-time-wait' : 'rcv-fin-simultaneous';
        break;
      case 'FIN-WAIT-2':
        state = 'TIME-WAIT';
        rule = 'rcv-fin-time-wait';
        break;
      default:
        rule = 'rcv-fin-again'; // CLOSE-WAIT, CLOSING, LAST-ACK: remain
    }
  }
  const next = inState(tcb, state);
  next.sndUna = sndUna;
  next.sndNxt = sndNxt;
  next.retries = retries;
  next.rcvNxt = newRcvNxt;
  next.peerFinSeq = peerFinSeq;
  // Data and FIN are acknowledged (at once: this model has no delayed ACK); a pure ACK is not.
  return result(tcb0, next, rule, seg.len > 0 || seg.fin ? ackReply(next) : NO_EMIT);
}

// --- a segment was seen leaving this end (capture replay) ----------------------------------------------------------

/**
 * What sending `seg` proves about this end. A capture shows segments, not system calls: a SYN proves connect(), a
 * SYN,ACK proves the end had received a SYN (on a listener, or crossing its own SYN), a first FIN proves close() or
 * shutdown(SHUT_WR), a RST proves an abort or a reply from an end that had no connection.
 */
function sent(tcb: Tcb, seg: MachineSegment): StepResult {
  const end = seqAdd(seg.seq, segmentLength(seg));
  const sndNxt = tcb.sndNxt === undefined || seqGt(end, tcb.sndNxt) ? end : tcb.sndNxt;
  if (seg.rst) {
    if (tcb.state === 'LISTEN') return same(tcb, 'sent-reset'); // a listener rejecting a stray segment stays LISTEN
    return closedAfter(tcb, 'sent-reset');
  }
  if (seg.syn && !seg.ack) {
    if (tcb.state === 'SYN-SENT' && seg.seq === tcb.iss) return same(tcb, 'sent-syn-again');
    return result(tcb, synSentTcb(seg.seq), 'sent-syn');
  }
  if (seg.syn && seg.ack) {
    if (tcb.state === 'SYN-RECEIVED' && seg.seq === tcb.iss) return same(tcb, 'sent-syn-ack-again');
    const simultaneous = tcb.state === 'SYN-SENT';
    const next = inState(tcb, 'SYN-RECEIVED');
    next.passive = !simultaneous;
    next.iss = seg.seq;
    next.sndUna = seg.seq;
    next.sndNxt = seqAdd(seg.seq, 1);
    next.irs = seqAdd(seg.ackNo, -1);
    next.rcvNxt = seg.ackNo;
    return result(tcb, next, simultaneous ? 'sent-syn-ack-simultaneous' : 'sent-syn-ack');
  }
  if (seg.fin) {
    const finSeq = seqAdd(seg.seq, seg.len);
    if (tcb.finSeq !== undefined || tcb.state === 'FIN-WAIT-1' || tcb.state === 'CLOSING' || tcb.state === 'LAST-ACK') {
      const again = copyTcb(tcb);
      again.sndNxt = sndNxt;
      return result(tcb, again, 'sent-fin-again');
    }
    const lastAck = tcb.state === 'CLOSE-WAIT';
    const next = inState(tcb, lastAck ? 'LAST-ACK' : 'FIN-WAIT-1');
    next.finSeq = finSeq;
    next.sndNxt = sndNxt;
    return result(tcb, next, lastAck ? 'sent-last-fin' : 'sent-fin');
  }
  const next = copyTcb(tcb);
  next.sndNxt = sndNxt;
  return result(tcb, next, 'sent-other');
}

// --- timeouts (RFC 9293 section 3.10.8) ---------------------------------------------------------------------------

function timeout(tcb: Tcb, timer: TimerKind, giveUp: boolean): StepResult {
  switch (timer) {
    case 'time-wait':
      return tcb.state === 'TIME-WAIT' ? closedAfter(tcb, 'time-wait-expired') : same(tcb, 'timer-ignored');
    case 'fin-wait-2':
      return tcb.state === 'FIN-WAIT-2' ? closedAfter(tcb, 'fin-wait-2-expired') : same(tcb, 'timer-ignored');
    case 'user':
      return tcb.state === 'CLOSED' ? same(tcb, 'timer-ignored') : closedAfter(tcb, 'user-timeout', [], 'ETIMEDOUT');
    case 'keepalive':
      if (tcb.state !== 'ESTABLISHED' && tcb.state !== 'CLOSE-WAIT') return same(tcb, 'timer-ignored');
      if (giveUp) return closedAfter(tcb, 'keepalive-give-up', [makeSegment({ rst: true, seq: tcb.sndNxt ?? 0 })], 'ETIMEDOUT');
      // A probe carries SEG.SEQ = SND.NXT - 1 and no data (RFC 9293 3.8.4; Linux uses SND.UNA - 1, equal when idle):
      // outside the receiver's window, so the receiver must answer with an ACK.
      return same(tcb, 'keepalive-probe', [makeSegment({ ack: true, seq: seqAdd(tcb.sndUna ?? 0, -1), ackNo: tcb.rcvNxt ?? 0 })]);
    case 'retransmission':
      return retransmit(tcb, giveUp);
  }
}

function retransmit(tcb: Tcb, giveUp: boolean): StepResult {
  const una = tcb.sndUna ?? 0;
  const nxt = tcb.sndNxt ?? 0;
  const outstanding = seqGt(nxt, una);
  if (!outstanding || tcb.state === 'CLOSED' || tcb.state === 'LISTEN' || tcb.state === 'TIME-WAIT' || tcb.state === 'FIN-WAIT-2') {
    return same(tcb, 'nothing-to-retransmit');
  }
  if (giveUp) {
    // Linux: SYN-SENT gives up after tcp_syn_retries (ETIMEDOUT); synchronized states after tcp_retries2.
    const error: AppError | undefined = tcb.state === 'SYN-RECEIVED' && tcb.passive ? undefined : 'ETIMEDOUT';
    const rst = isSynchronized(tcb.state) ? [makeSegment({ rst: true, seq: nxt })] : [];
    if (tcb.state === 'SYN-RECEIVED' && tcb.passive) return result(tcb, freshTcb('LISTEN', true), 'give-up');
    return closedAfter(tcb, 'give-up', rst, error);
  }
  const next = copyTcb(tcb);
  next.retries = tcb.retries + 1;
  if (tcb.state === 'SYN-SENT') return same(next, 'retransmit', [makeSegment({ syn: true, seq: tcb.iss ?? 0 })]);
  if (tcb.state === 'SYN-RECEIVED') {
    return same(next, 'retransmit', [makeSegment({ syn: true, ack: true, seq: tcb.iss ?? 0, ackNo: tcb.rcvNxt ?? 0 })]);
  }
  // Resend everything from SND.UNA: the data, and the FIN if it is outstanding.
  const finOutstanding = tcb.finSeq !== undefined && seqGe(tcb.finSeq, una);
  const dataLen = seqDiff(finOutstanding ? (tcb.finSeq as number) : nxt, una);
  const seg = makeSegment({ ack: true, fin: finOutstanding, seq: una, ackNo: tcb.rcvNxt ?? 0, len: Math.max(0, dataLen) });
  return same(next, 'retransmit', [seg]);
}

// ---------------------------------------------------------------------------------------------------------------
// Descriptions, for the stepper's event log and the Explain report.

interface RuleText {
  readonly rfc: string;
  readonly text: Localized;
}

/** Every rule with the RFC 9293 section it comes from and a one-line description. */
export const RULES: Readonly<Record<RuleId, RuleText>> = {
  'passive-open': { rfc: '3.10.1', text: { en: 'listen(): the end waits for a SYN.', 'zh-cn': 'listen()：等待对端的 SYN。' } },
  'active-open': { rfc: '3.10.1', text: { en: 'connect(): the end sends a SYN.', 'zh-cn': 'connect()：发送 SYN。' } },
  'listen-send': { rfc: '3.10.2', text: { en: 'A listening end is told to send: it turns active and sends a SYN.', 'zh-cn': '处于监听的一端被要求发送数据：转为主动打开并发送 SYN。' } },
  'open-ignored': { rfc: '3.10.1', text: { en: 'OPEN refused: the connection already exists.', 'zh-cn': 'OPEN 被拒绝：连接已存在。' } },
  'send-data': { rfc: '3.10.2', text: { en: 'send(): data goes out.', 'zh-cn': 'send()：发送数据。' } },
  'send-refused': { rfc: '3.10.2', text: { en: 'send() is not possible in this state.', 'zh-cn': '此状态下不能 send()。' } },
  'close-listen': { rfc: '3.10.4', text: { en: 'close() on a listener: it stops listening.', 'zh-cn': '关闭监听套接字：不再监听。' } },
  'close-syn-sent': { rfc: '3.10.4', text: { en: 'close() before the handshake finished: the attempt is dropped.', 'zh-cn': '握手完成前 close()：放弃本次连接。' } },
  'close-send-fin': { rfc: '3.10.4', text: { en: 'close() or shutdown(SHUT_WR): the end sends FIN and enters FIN-WAIT-1 (active close).', 'zh-cn': 'close() 或 shutdown(SHUT_WR)：发送 FIN，进入 FIN-WAIT-1（主动关闭）。' } },
  'close-last-fin': { rfc: '3.10.4', text: { en: 'close() after the peer\'s FIN: the end sends its FIN and enters LAST-ACK (passive close).', 'zh-cn': '收到对端 FIN 之后 close()：发送自己的 FIN，进入 LAST-ACK（被动关闭）。' } },
  'close-ignored': { rfc: '3.10.4', text: { en: 'close() has nothing more to do in this state.', 'zh-cn': '此状态下 close() 不再有动作。' } },
  'abort-reset': { rfc: '3.10.5', text: { en: 'Abort: the end sends RST and forgets the connection.', 'zh-cn': '中止：发送 RST 并丢弃连接。' } },
  'abort-silent': { rfc: '3.10.5', text: { en: 'Abort: the connection is forgotten without sending anything.', 'zh-cn': '中止：不发送任何报文，直接丢弃连接。' } },
  'closed-reply-reset': { rfc: '3.10.7.1', text: { en: 'No connection here: the end answers with RST.', 'zh-cn': '这里没有连接：回复 RST。' } },
  'closed-ignore-reset': { rfc: '3.10.7.1', text: { en: 'A RST for no connection is ignored.', 'zh-cn': '针对不存在连接的 RST 被忽略。' } },
  'listen-ignore-reset': { rfc: '3.10.7.2', text: { en: 'A listener ignores RST.', 'zh-cn': '监听端忽略 RST。' } },
  'listen-reset-ack': { rfc: '3.10.7.2', text: { en: 'A listener answers a stray ACK with RST.', 'zh-cn': '监听端对意外的 ACK 回复 RST。' } },
  'listen-rcv-syn': { rfc: '3.10.7.2', text: { en: 'SYN received on a listener: it answers SYN,ACK and enters SYN-RECEIVED.', 'zh-cn': '监听端收到 SYN：回复 SYN,ACK，进入 SYN-RECEIVED。' } },
  'listen-ignore': { rfc: '3.10.7.2', text: { en: 'A listener drops a segment without SYN.', 'zh-cn': '监听端丢弃不带 SYN 的报文。' } },
  'syn-sent-bad-ack': { rfc: '3.10.7.3', text: { en: 'The ACK does not match our SYN: the end answers RST.', 'zh-cn': 'ACK 与自己的 SYN 不符：回复 RST。' } },
  'syn-sent-refused': { rfc: '3.10.7.3', text: { en: 'RST in answer to our SYN: connect() fails with ECONNREFUSED ("Connection refused").', 'zh-cn': 'SYN 得到 RST：connect() 失败，ECONNREFUSED（Connection refused，连接被拒绝）。' } },
  'syn-sent-ignore': { rfc: '3.10.7.3', text: { en: 'The segment is dropped while waiting for SYN,ACK.', 'zh-cn': '等待 SYN,ACK 期间丢弃该报文。' } },
  'syn-sent-rcv-syn-ack': { rfc: '3.10.7.3', text: { en: 'SYN,ACK received: the end acknowledges it and is ESTABLISHED (connect() returns).', 'zh-cn': '收到 SYN,ACK：回复 ACK，进入 ESTABLISHED（connect() 返回）。' } },
  'syn-sent-rcv-syn': { rfc: '3.10.7.3', text: { en: 'A SYN crossed ours (simultaneous open): the end answers SYN,ACK and enters SYN-RECEIVED.', 'zh-cn': '双方的 SYN 交叉（同时打开）：回复 SYN,ACK，进入 SYN-RECEIVED。' } },
  'unacceptable-ack': { rfc: '3.10.7.4', text: { en: 'The segment is outside what the end expects (old, duplicate or a keep-alive probe): it answers with an ACK.', 'zh-cn': '报文不在期望范围内（旧报文、重复报文或保活探测）：回复 ACK。' } },
  'time-wait-fin-again': { rfc: '3.10.7.4', text: { en: 'The peer\'s FIN came again in TIME-WAIT (our last ACK was lost): the end ACKs it again and restarts the 2MSL timer.', 'zh-cn': 'TIME-WAIT 中再次收到对端 FIN（我们最后的 ACK 丢了）：再次确认并重启 2MSL 计时器。' } },
  'challenge-ack': { rfc: '3.10.7.4', text: { en: 'A RST that is not exactly at RCV.NXT gets a challenge ACK (RFC 5961).', 'zh-cn': '序号不正好等于 RCV.NXT 的 RST 得到挑战 ACK（RFC 5961）。' } },
  'reset-ignored': { rfc: '3.10.7.4', text: { en: 'A RST outside the receive window is silently dropped.', 'zh-cn': '不在接收窗口内的 RST 被静默丢弃。' } },
  'rcv-reset-to-listen': { rfc: '3.10.7.4', text: { en: 'RST during the handshake: the half-open connection is dropped and the listener keeps listening.', 'zh-cn': '握手中收到 RST：丢弃半连接，监听端继续监听。' } },
  'rcv-reset': { rfc: '3.10.7.4', text: { en: 'RST received: the connection is gone; the application gets ECONNRESET ("Connection reset by peer").', 'zh-cn': '收到 RST：连接被重置，应用得到 ECONNRESET（Connection reset by peer）。' } },
  'rcv-reset-closing': { rfc: '3.10.7.4', text: { en: 'RST received while closing: the connection is simply deleted.', 'zh-cn': '关闭过程中收到 RST：直接删除连接。' } },
  'rcv-syn-challenge': { rfc: '3.10.7.4', text: { en: 'A SYN on an established connection gets a challenge ACK (RFC 5961).', 'zh-cn': '已建立的连接收到 SYN：回复挑战 ACK（RFC 5961）。' } },
  'no-ack-drop': { rfc: '3.10.7.4', text: { en: 'A segment without ACK is dropped.', 'zh-cn': '不带 ACK 的报文被丢弃。' } },
  'syn-received-ack': { rfc: '3.10.7.4', text: { en: 'The ACK of our SYN,ACK arrives: ESTABLISHED (the connection waits in the accept queue).', 'zh-cn': '收到对 SYN,ACK 的确认：进入 ESTABLISHED（连接进入全连接队列，等待 accept()）。' } },
  'syn-received-bad-ack': { rfc: '3.10.7.4', text: { en: 'The ACK does not match our SYN,ACK: the end answers RST.', 'zh-cn': 'ACK 与 SYN,ACK 不符：回复 RST。' } },
  'ack-future': { rfc: '3.10.7.4', text: { en: 'The ACK covers data never sent: the end answers with an ACK and drops it.', 'zh-cn': 'ACK 确认了从未发送的数据：回复 ACK 并丢弃。' } },
  'rcv-ack': { rfc: '3.10.7.4', text: { en: 'ACK received.', 'zh-cn': '收到 ACK。' } },
  'fin-acked': { rfc: '3.10.7.4', text: { en: 'Our FIN is acknowledged: FIN-WAIT-2, waiting for the peer\'s FIN.', 'zh-cn': '我们的 FIN 已被确认：进入 FIN-WAIT-2，等待对端的 FIN。' } },
  'closing-fin-acked': { rfc: '3.10.7.4', text: { en: 'Our FIN is acknowledged after a simultaneous close: TIME-WAIT.', 'zh-cn': '同时关闭后我们的 FIN 被确认：进入 TIME-WAIT。' } },
  'last-ack-fin-acked': { rfc: '3.10.7.4', text: { en: 'The last ACK arrives: the passive closer is CLOSED.', 'zh-cn': '收到最后的 ACK：被动关闭方进入 CLOSED。' } },
  'rcv-data': { rfc: '3.10.7.4', text: { en: 'Data received and acknowledged.', 'zh-cn': '收到数据并确认。' } },
  'rcv-fin': { rfc: '3.10.7.4', text: { en: 'FIN received: CLOSE-WAIT. The application reads EOF and should call close().', 'zh-cn': '收到 FIN：进入 CLOSE-WAIT。应用读到 EOF，应当调用 close()。' } },
  'rcv-fin-simultaneous': { rfc: '3.10.7.4', text: { en: 'The peer\'s FIN arrives before the ACK of ours (simultaneous close): CLOSING.', 'zh-cn': '对端 FIN 先于对我方 FIN 的确认到达（同时关闭）：进入 CLOSING。' } },
  'rcv-fin-time-wait': { rfc: '3.10.7.4', text: { en: 'The peer\'s FIN arrives after ours was acknowledged: TIME-WAIT for 2MSL (60 s on Linux).', 'zh-cn': '我方 FIN 已被确认后收到对端 FIN：进入 TIME-WAIT，持续 2MSL（Linux 固定 60 秒）。' } },
  'rcv-fin-again': { rfc: '3.10.7.4', text: { en: 'A repeated FIN is acknowledged again.', 'zh-cn': '重复的 FIN 再次被确认。' } },
  'sent-syn': { rfc: '3.10.1', text: { en: 'The end sent SYN: connect() was called (SYN-SENT).', 'zh-cn': '发送 SYN：调用了 connect()（SYN-SENT）。' } },
  'sent-syn-again': { rfc: '3.10.8', text: { en: 'The SYN was retransmitted: no SYN,ACK arrived in time.', 'zh-cn': 'SYN 被重传：没有及时收到 SYN,ACK。' } },
  'sent-syn-ack': { rfc: '3.10.7.2', text: { en: 'The end sent SYN,ACK: it was listening and received the SYN (SYN-RECEIVED).', 'zh-cn': '发送 SYN,ACK：该端在监听并收到了 SYN（SYN-RECEIVED）。' } },
  'sent-syn-ack-simultaneous': { rfc: '3.10.7.3', text: { en: 'The end sent SYN,ACK after its own SYN: simultaneous open (SYN-RECEIVED).', 'zh-cn': '发送自己的 SYN 后又发送 SYN,ACK：同时打开（SYN-RECEIVED）。' } },
  'sent-syn-ack-again': { rfc: '3.10.8', text: { en: 'The SYN,ACK was retransmitted: the final ACK of the handshake did not arrive.', 'zh-cn': 'SYN,ACK 被重传：没有收到握手的最后一个 ACK。' } },
  'sent-fin': { rfc: '3.10.4', text: { en: 'The end sent FIN: close() or shutdown(SHUT_WR) was called (FIN-WAIT-1, active close).', 'zh-cn': '发送 FIN：调用了 close() 或 shutdown(SHUT_WR)（FIN-WAIT-1，主动关闭）。' } },
  'sent-last-fin': { rfc: '3.10.4', text: { en: 'The end sent FIN after the peer\'s FIN: close() was called (LAST-ACK, passive close).', 'zh-cn': '收到对端 FIN 后发送 FIN：调用了 close()（LAST-ACK，被动关闭）。' } },
  'sent-fin-again': { rfc: '3.10.8', text: { en: 'The FIN was retransmitted: its ACK did not arrive in time.', 'zh-cn': 'FIN 被重传：没有及时收到对它的确认。' } },
  'sent-reset': { rfc: '3.10.5', text: { en: 'The end sent RST: it aborted the connection, or had no connection for what it received.', 'zh-cn': '发送 RST：中止了连接，或者对收到的报文没有对应的连接。' } },
  'sent-other': { rfc: '3.10.2', text: { en: 'The end sent data or an ACK.', 'zh-cn': '发送数据或 ACK。' } },
  retransmit: { rfc: '3.10.8', text: { en: 'Retransmission timeout: the oldest unacknowledged segment is sent again.', 'zh-cn': '重传超时：重新发送最早未确认的报文。' } },
  'give-up': { rfc: '3.10.8', text: { en: 'Too many retransmissions: the end gives up (ETIMEDOUT, "Connection timed out").', 'zh-cn': '重传次数用尽：放弃连接（ETIMEDOUT，Connection timed out）。' } },
  'nothing-to-retransmit': { rfc: '3.10.8', text: { en: 'Nothing is outstanding: the timer has nothing to resend.', 'zh-cn': '没有未确认的数据：无需重传。' } },
  'time-wait-expired': { rfc: '3.10.8', text: { en: '2MSL elapsed: TIME-WAIT ends and the connection is CLOSED.', 'zh-cn': '2MSL 到期：TIME-WAIT 结束，连接进入 CLOSED。' } },
  'fin-wait-2-expired': { rfc: 'Linux tcp_fin_timeout', text: { en: 'tcp_fin_timeout elapsed on an orphaned FIN-WAIT-2 socket: Linux deletes it (not in RFC 9293).', 'zh-cn': '孤儿 FIN-WAIT-2 连接超过 tcp_fin_timeout：Linux 直接删除它（RFC 9293 中没有此规则）。' } },
  'user-timeout': { rfc: '3.10.8', text: { en: 'User timeout: the connection is dropped (ETIMEDOUT).', 'zh-cn': '用户超时：连接被丢弃（ETIMEDOUT）。' } },
  'keepalive-probe': { rfc: '3.8.4', text: { en: 'Keep-alive timer: a probe with SEQ = SND.UNA - 1 asks the peer to answer with an ACK.', 'zh-cn': '保活计时器到期：发送 SEQ = SND.UNA - 1 的探测报文，迫使对端回复 ACK。' } },
  'keepalive-give-up': { rfc: '3.8.4', text: { en: 'Keep-alive probes went unanswered: the connection is dropped (ETIMEDOUT).', 'zh-cn': '保活探测无应答：连接被丢弃（ETIMEDOUT）。' } },
  'timer-ignored': { rfc: '3.10.8', text: { en: 'The timer does not apply in this state.', 'zh-cn': '该计时器在此状态下无效。' } },
};

// ---------------------------------------------------------------------------------------------------------------
// The diagram (RFC 9293 figure 5), for the stepper.

export interface DiagramEdge {
  readonly from: TcpState;
  readonly to: TcpState;
  /** The label as RFC 9293 figure 5 prints it: `event / action`. */
  readonly label: string;
  /** False for transitions the RFC describes in its text but does not draw (resets, timeouts, FIN+ACK). */
  readonly inFigure: boolean;
}

export const DIAGRAM_EDGES: readonly DiagramEdge[] = [
  { from: 'CLOSED', to: 'LISTEN', label: 'passive OPEN / create TCB', inFigure: true },
  { from: 'CLOSED', to: 'SYN-SENT', label: 'active OPEN / snd SYN', inFigure: true },
  { from: 'LISTEN', to: 'CLOSED', label: 'CLOSE / delete TCB', inFigure: true },
  { from: 'LISTEN', to: 'SYN-RECEIVED', label: 'rcv SYN / snd SYN,ACK', inFigure: true },
  { from: 'LISTEN', to: 'SYN-SENT', label: 'SEND / snd SYN', inFigure: true },
  { from: 'SYN-SENT', to: 'CLOSED', label: 'CLOSE / delete TCB', inFigure: true },
  { from: 'SYN-SENT', to: 'SYN-RECEIVED', label: 'rcv SYN / snd SYN,ACK', inFigure: true },
  { from: 'SYN-SENT', to: 'ESTABLISHED', label: 'rcv SYN,ACK / snd ACK', inFigure: true },
  { from: 'SYN-RECEIVED', to: 'ESTABLISHED', label: 'rcv ACK of SYN / x', inFigure: true },
  { from: 'SYN-RECEIVED', to: 'FIN-WAIT-1', label: 'CLOSE / snd FIN', inFigure: true },
  { from: 'SYN-RECEIVED', to: 'LISTEN', label: 'rcv RST (passive open)', inFigure: false },
  { from: 'ESTABLISHED', to: 'FIN-WAIT-1', label: 'CLOSE / snd FIN', inFigure: true },
  { from: 'ESTABLISHED', to: 'CLOSE-WAIT', label: 'rcv FIN / snd ACK', inFigure: true },
  { from: 'FIN-WAIT-1', to: 'FIN-WAIT-2', label: 'rcv ACK of FIN / x', inFigure: true },
  { from: 'FIN-WAIT-1', to: 'CLOSING', label: 'rcv FIN / snd ACK', inFigure: true },
  { from: 'FIN-WAIT-1', to: 'TIME-WAIT', label: 'rcv FIN,ACK of FIN / snd ACK', inFigure: false },
  { from: 'FIN-WAIT-2', to: 'TIME-WAIT', label: 'rcv FIN / snd ACK', inFigure: true },
  { from: 'FIN-WAIT-2', to: 'CLOSED', label: 'tcp_fin_timeout (Linux, orphaned)', inFigure: false },
  { from: 'CLOSE-WAIT', to: 'LAST-ACK', label: 'CLOSE / snd FIN', inFigure: true },
  { from: 'CLOSING', to: 'TIME-WAIT', label: 'rcv ACK of FIN / x', inFigure: true },
  { from: 'LAST-ACK', to: 'CLOSED', label: 'rcv ACK of FIN / x', inFigure: true },
  { from: 'TIME-WAIT', to: 'CLOSED', label: 'Timeout=2MSL / delete TCB', inFigure: true },
  { from: 'SYN-SENT', to: 'CLOSED', label: 'rcv RST,ACK (refused) / timeout', inFigure: false },
  { from: 'ESTABLISHED', to: 'CLOSED', label: 'rcv RST / ABORT / snd RST', inFigure: false },
  { from: 'FIN-WAIT-1', to: 'CLOSED', label: 'rcv RST / ABORT', inFigure: false },
  { from: 'FIN-WAIT-2', to: 'CLOSED', label: 'rcv RST / ABORT', inFigure: false },
  { from: 'CLOSE-WAIT', to: 'CLOSED', label: 'rcv RST / ABORT', inFigure: false },
  { from: 'CLOSING', to: 'CLOSED', label: 'rcv RST', inFigure: false },
  { from: 'LAST-ACK', to: 'CLOSED', label: 'rcv RST / timeout', inFigure: false },
];
