/**
 * The stepper's world: two ends, each driven by the RFC 9293 machine in src/core/tcp/machine.ts, and a wire between
 * them. A scenario is a script of application calls and network faults; the engine turns it into a list of steps by
 * running the machines. Nothing about the protocol is scripted here: what a segment does to an end, what an end
 * emits, when it retransmits and when it gives up all come from the machine. That is what makes "break it" honest:
 * drop the segment in flight or kill an end at any step and the run simply continues from there.
 *
 * Everything is pure and deterministic: the same scenario and the same breaks always give the same steps, so the
 * panel can step back by index and restore a run after a reload from (scenario id, breaks, step index).
 *
 * Flow control lives here, not in the machine (whose receive window is deliberately unbounded). It is a small,
 * explicit model, off unless a script gives an end a receive buffer (`rcvbuf`):
 *  - each end has a receive buffer size and a count of unread bytes (delivered in order but not yet read by the
 *    application: ss's Recv-Q); the window it advertises is buffer - unread, carried as `win` on every segment it
 *    emits (an end without a buffer size advertises an unbounded window and its segments carry no `win`);
 *  - an end learns the peer's window from every ACK it receives (the right edge SEG.ACK + SEG.WND) and sends new data
 *    only up to that edge: what does not fit waits in an engine-side send queue (the unsent part of ss's Send-Q) and
 *    goes out through the machine's ordinary SEND when an ACK opens the window;
 *  - when the peer's window is zero and nothing is in flight, the persist timer probes it (see `persistMs`);
 *  - the application's `read` frees buffer space, and the receiver then sends a window update.
 * The window never shrinks here (RFC 9293 3.8.6 strongly discourages shrinking it): data moves RCV.NXT and the
 * unread count by the same amount, so the right edge RCV.NXT + buffer - unread only grows, and a sender that stays
 * inside the edge it learnt can never overflow the receiver's buffer. Left out, and said so: Nagle, silly-window
 * avoidance (a sender here sends whatever fits), window scaling, and Linux's overhead share of the buffer
 * (tcp_adv_win_scale; a measured ratio since Linux 6.6) - the whole buffer counts as window.
 */
import type { Localized, TcpState } from '../model';
import {
  RULES,
  isSynchronized,
  makeSegment,
  seqAdd,
  seqDiff,
  seqGe,
  seqGt,
  step as machineStep,
  type AppError,
  type MachineSegment,
  type RuleId,
  type Tcb,
  type TimerKind,
  CLOSED_TCB,
} from '../tcp/machine';

export type Side = 'client' | 'server';
export const SIDES: readonly Side[] = ['client', 'server'];

export function otherSide(side: Side): Side {
  return side === 'client' ? 'server' : 'client';
}

/** An application call on one end. */
export interface AppCall {
  readonly kind: 'app';
  readonly side: Side;
  /** `read` takes `len` bytes (default: all) out of the end's receive buffer; it is the only call without a machine event. */
  readonly call: 'listen' | 'connect' | 'send' | 'close' | 'abort' | 'read';
  readonly len?: number;
  /**
   * For a close() made while the ACK of the peer's FIN is still waiting to leave (delayed ACK): the FIN carries that
   * acknowledgment, so the separate ACK is never sent. This is how a three-segment close happens.
   */
  readonly mergeWithPendingAck?: boolean;
}

/** Which segments a fault applies to. */
export interface SegmentMatch {
  readonly from: Side;
  readonly kind: 'syn' | 'syn-ack' | 'ack' | 'data' | 'fin' | 'rst' | 'any';
  /** Only while the receiving end is in this state. */
  readonly receiverState?: TcpState;
}

export type ScriptItem =
  | AppCall
  /** Let the network and the timers run until nothing is in flight and nothing is waiting to be retransmitted. */
  | { readonly kind: 'settle' }
  /** Deliver just the oldest segment on the wire (to act while the answer is still on its way). */
  | { readonly kind: 'deliver' }
  /** From now on, lose the next `times` segments that match. */
  | { readonly kind: 'lose'; readonly match: SegmentMatch; readonly times: number; readonly why: Localized }
  /** An end's host goes silent (power cut, cable pulled): it sends nothing and receives nothing from now on. */
  | { readonly kind: 'crash'; readonly side: Side }
  /** Turn on SO_KEEPALIVE for an end; probes start when the connection is idle. */
  | { readonly kind: 'keepalive'; readonly side: Side }
  /**
   * Give an end a receive buffer of `bytes` (setsockopt SO_RCVBUF before listen()/connect()): from now on it advertises
   * buffer - unread as its window, and the peer must not send beyond it.
   */
  | { readonly kind: 'rcvbuf'; readonly side: Side; readonly bytes: number }
  /**
   * Let `ms` of simulated time pass: segments arrive and every timer due by then fires, the persist timer included
   * (which `settle` leaves alone: against a live peer whose application sleeps it would probe for ever).
   */
  | { readonly kind: 'wait'; readonly ms: number };

/** What the learner can do at any step. */
export type Break =
  | { readonly kind: 'drop'; readonly atStep: number }
  | { readonly kind: 'crash'; readonly atStep: number; readonly side: Side }
  | { readonly kind: 'reboot'; readonly atStep: number; readonly side: Side }
  | { readonly kind: 'abort'; readonly atStep: number; readonly side: Side };

export interface Flight {
  readonly id: number;
  readonly from: Side;
  readonly seg: MachineSegment;
  /** Simulated send time, ms. */
  readonly sentAt: number;
  readonly retransmission: boolean;
  /**
   * The window the sender advertised on this segment (SEG.WND, bytes), when it has a bounded receive buffer. The
   * engine adds it here rather than to MachineSegment: the machine does not look at windows.
   */
  readonly win?: number;
}

export type StepKind = 'app' | 'deliver' | 'lost' | 'timeout' | 'crash' | 'reboot';

/** The machine's timers, plus the persist (zero-window probe) timer, which only the engine runs. */
export type EngineTimer = TimerKind | 'persist';

export interface EndView {
  readonly state: TcpState;
  readonly down: boolean;
  /** Timers running after this step, as the stack would have them. */
  readonly timers: readonly EngineTimer[];
  readonly error?: AppError;
  /** Bytes received in order but not read by the application (ss's Recv-Q). Only in runs that model flow control. */
  readonly recvQ?: number;
  /** Bytes written by the application and not yet acknowledged, sent or waiting (ss's Send-Q). Same condition. */
  readonly sendQ?: number;
  /** The window this end advertises now (buffer - unread), when it has a bounded receive buffer. */
  readonly window?: number;
}

export interface Step {
  readonly index: number;
  readonly kind: StepKind;
  /** The end this step happened at (the receiver for a delivery). */
  readonly side: Side;
  /** Simulated time after the step, ms since the first step. */
  readonly timeMs: number;
  readonly before: Readonly<Record<Side, TcpState>>;
  readonly after: Readonly<Record<Side, EndView>>;
  /** The segment this step is about: delivered, lost, or the first one sent. */
  readonly segment?: Flight;
  /** Segments put on the wire by this step. */
  readonly sent: readonly Flight[];
  /** Still on the wire after this step, oldest first. */
  readonly inFlight: readonly Flight[];
  /** The machine rule that fired at `side`, if a machine ran. */
  readonly rule?: RuleId;
  readonly error?: AppError;
  /** What happened and why. */
  readonly text: Localized;
  /** True when a learner's break made this step happen. */
  readonly broken: boolean;
}

export interface RunOptions {
  readonly synRetries?: number;
  readonly synAckRetries?: number;
  readonly dataRetries?: number;
  readonly keepaliveProbes?: number;
  readonly maxSteps?: number;
}

/** Linux defaults, except data retries and keepalive probes, shortened so a run fits on screen (said in the text). */
const DEFAULTS: Required<RunOptions> = {
  synRetries: 6, // net.ipv4.tcp_syn_retries
  synAckRetries: 5, // net.ipv4.tcp_synack_retries
  dataRetries: 4, // net.ipv4.tcp_retries2 is 15 (~15 minutes); 4 keeps the run short
  keepaliveProbes: 3, // net.ipv4.tcp_keepalive_probes is 9
  maxSteps: 80,
};

/** One-way delay on the simulated wire, ms. */
const ONE_WAY_MS = 20;

/** One end's flow-control bookkeeping (see the module comment). */
interface FlowEnd {
  /** Receive buffer size, bytes; undefined = unbounded (the default). */
  rcvbuf: number | undefined;
  /** Delivered in order, not yet read by the application. */
  unread: number;
  /** Right edge of the peer's window as last learnt (SEG.ACK + SEG.WND); undefined = unbounded. */
  peerEdge: number | undefined;
  /** Bytes the application wrote that wait for the peer's window. */
  queued: number;
  /** close() was called while bytes were queued: the FIN goes out after them. */
  closeQueued: boolean;
  /** When the persist timer fires, if running. */
  persistAt: number | undefined;
  /** Probes sent since the window closed: the persist timer's back-off exponent (Linux icsk_backoff). */
  backoff: number;
  /** Probes not answered by any ACK (Linux icsk_probes_out): the persist timer gives up after too many. */
  probesOut: number;
}

function freshFlow(rcvbuf?: number): FlowEnd {
  return { rcvbuf, unread: 0, peerEdge: undefined, queued: 0, closeQueued: false, persistAt: undefined, backoff: 0, probesOut: 0 };
}

interface World {
  tcb: Record<Side, Tcb>;
  down: Record<Side, boolean>;
  keepalive: Record<Side, boolean>;
  probes: Record<Side, number>;
  /** When each end's retransmission timer fires, if running. */
  rtoAt: Record<Side, number | undefined>;
  flow: Record<Side, FlowEnd>;
  /** Set once a script gives an end a receive buffer: only then do steps report queues and windows. */
  flowOn: boolean;
  wire: Flight[];
  losses: { match: SegmentMatch; left: number; why: Localized }[];
  now: number;
  nextId: number;
}

function freshWorld(): World {
  return {
    tcb: { client: CLOSED_TCB, server: CLOSED_TCB },
    down: { client: false, server: false },
    keepalive: { client: false, server: false },
    probes: { client: 0, server: 0 },
    rtoAt: { client: undefined, server: undefined },
    flow: { client: freshFlow(), server: freshFlow() },
    flowOn: false,
    wire: [],
    losses: [],
    now: 0,
    nextId: 1,
  };
}

export function segmentKind(seg: MachineSegment): SegmentMatch['kind'] {
  if (seg.rst) return 'rst';
  if (seg.syn) return seg.ack ? 'syn-ack' : 'syn';
  if (seg.fin) return 'fin';
  if (seg.len > 0) return 'data';
  return 'ack';
}

/**
 * A short label in tcpdump-like words: `SYN seq=0`, `FIN, ACK seq=9 ack=1`, `ACK ack=10 len=100`, with the advertised
 * window when the sender has one: `ACK seq=1 ack=1001 win=0`.
 */
export function segmentLabel(seg: MachineSegment, win?: number): string {
  const flags: string[] = [];
  if (seg.syn) flags.push('SYN');
  if (seg.fin) flags.push('FIN');
  if (seg.rst) flags.push('RST');
  if (seg.len > 0) flags.push('PSH');
  if (seg.ack) flags.push('ACK');
  const parts = [flags.join(', ') || 'none', `seq=${seg.seq}`];
  if (seg.ack) parts.push(`ack=${seg.ackNo}`);
  if (win !== undefined) parts.push(`win=${win}`);
  if (seg.len > 0) parts.push(`len=${seg.len}`);
  return parts.join(' ');
}

/** The sequence space an end still waits to see acknowledged: what its retransmission timer guards. */
function hasOutstanding(tcb: Tcb): boolean {
  if (tcb.state === 'CLOSED' || tcb.state === 'LISTEN' || tcb.state === 'TIME-WAIT' || tcb.state === 'FIN-WAIT-2') return false;
  return tcb.sndNxt !== undefined && tcb.sndUna !== undefined && seqGt(tcb.sndNxt, tcb.sndUna);
}

/** Linux's initial RTO is 1 s; SYNs keep a 1 s timer for tcp_syn_linear_timeouts (4) tries, then double. */
function rtoMs(tcb: Tcb): number {
  if (tcb.state === 'SYN-SENT') return tcb.retries < 4 ? 1000 : 1000 * 2 ** (tcb.retries - 3);
  if (tcb.state === 'SYN-RECEIVED') return 1000 * 2 ** tcb.retries;
  return 200 * 2 ** tcb.retries; // tcp_rto_min is 200 ms; an RTT this short sits on the minimum
}

function timersOf(world: World, side: Side): EngineTimer[] {
  const tcb = world.tcb[side];
  if (world.down[side]) return [];
  const timers: EngineTimer[] = [];
  if (hasOutstanding(tcb)) timers.push('retransmission');
  if (tcb.state === 'TIME-WAIT') timers.push('time-wait');
  if (world.keepalive[side] && (tcb.state === 'ESTABLISHED' || tcb.state === 'CLOSE-WAIT')) timers.push('keepalive');
  if (world.flow[side].persistAt !== undefined) timers.push('persist');
  return timers;
}

// --- flow control ---------------------------------------------------------------------------------------------------

/** States in which the application may still send data (RFC 9293 3.10.2: SEND in ESTABLISHED and CLOSE-WAIT). */
function canSendData(state: TcpState): boolean {
  return state === 'ESTABLISHED' || state === 'CLOSE-WAIT';
}

/** States in which the peer may still send us data, so our window matters to it (no FIN from the peer yet). */
function canReceiveData(state: TcpState): boolean {
  return state === 'ESTABLISHED' || state === 'FIN-WAIT-1' || state === 'FIN-WAIT-2';
}

/** The window an end advertises: buffer - unread; undefined for an unbounded buffer. */
function advertisedWindow(flow: FlowEnd): number | undefined {
  return flow.rcvbuf === undefined ? undefined : Math.max(0, flow.rcvbuf - flow.unread);
}

/** How many new bytes an end may send now: up to the peer's right edge, from SND.NXT. Infinity when unbounded. */
function sendRoom(flow: FlowEnd, tcb: Tcb): number {
  if (flow.peerEdge === undefined) return Infinity;
  return Math.max(0, seqDiff(flow.peerEdge, tcb.sndNxt ?? 0));
}

/** Data bytes sent and not yet acknowledged: SND.NXT - SND.UNA, less a SYN or FIN still in that range. */
function unackedData(tcb: Tcb): number {
  if (!isSynchronized(tcb.state) || tcb.sndNxt === undefined || tcb.sndUna === undefined) return 0;
  const finOutstanding = tcb.finSeq !== undefined && seqGe(tcb.finSeq, tcb.sndUna) ? 1 : 0;
  return Math.max(0, seqDiff(tcb.sndNxt, tcb.sndUna) - finOutstanding);
}

/** TCP_RTO_MAX: no timer backs off beyond 120 s on Linux. */
const RTO_MAX_MS = 120_000;

/**
 * The persist timer's next interval. Linux (tcp_probe0_when): the current RTO (at least tcp_rto_min), doubled for
 * every probe sent since the window closed (the back-off), at most TCP_RTO_MAX. The timer is re-armed with this
 * interval when a probe leaves and again when an ACK answers it with the window still zero (tcp_ack_probe).
 */
function persistMs(tcb: Tcb, flow: FlowEnd): number {
  return Math.min(RTO_MAX_MS, rtoMs(tcb) * 2 ** flow.backoff);
}

/**
 * A zero-window probe as Linux sends it (tcp_xmit_probe_skb, from tcp_write_wakeup / tcp_send_probe0): no data and
 * SEQ = SND.UNA - 1, exactly like a keep-alive. That sequence number is already acknowledged, so the receiver finds
 * the segment unacceptable and must answer with an ACK (RFC 9293 3.10.7.4), which carries its current window. The
 * timing follows RFC 9293 3.8.6.1 (first probe after one RTO, then exponentially longer intervals); the classic probe
 * carries one byte of new data instead (RFC 1122 4.2.2.17). The machine has no persist timer, so the engine builds the
 * probe; it changes no state.
 */
function zeroWindowProbe(tcb: Tcb): MachineSegment {
  return makeSegment({ ack: true, seq: seqAdd(tcb.sndUna ?? 0, -1), ackNo: tcb.rcvNxt ?? 0 });
}

/**
 * A window update: a pure ACK `<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>` sent because the application read and the window
 * grew. The machine cannot send it: its window is unbounded, it has no event for "the application read", and the
 * segment changes none of its variables. So the engine builds it exactly as RFC 9293 writes an ACK.
 */
function windowUpdate(tcb: Tcb): MachineSegment {
  return makeSegment({ ack: true, seq: tcb.sndNxt ?? 0, ackNo: tcb.rcvNxt ?? 0 });
}

/** Data bytes a received segment added to the in-order stream: RCV.NXT's advance, less one for a first FIN. */
function deliveredBytes(before: Tcb, after: Tcb): number {
  if (before.rcvNxt === undefined || after.rcvNxt === undefined) return 0;
  if (!isSynchronized(after.state) || (!isSynchronized(before.state) && before.state !== 'SYN-RECEIVED')) return 0;
  const fin = before.peerFinSeq === undefined && after.peerFinSeq !== undefined ? 1 : 0;
  return Math.max(0, seqDiff(after.rcvNxt, before.rcvNxt) - fin);
}

function matches(m: SegmentMatch, f: Flight, receiver: TcpState): boolean {
  if (m.from !== f.from) return false;
  if (m.kind !== 'any' && m.kind !== segmentKind(f.seg)) return false;
  return m.receiverState === undefined || m.receiverState === receiver;
}

function view(world: World, errors: Partial<Record<Side, AppError>>): Record<Side, EndView> {
  const one = (side: Side): EndView => {
    const error = errors[side] ?? world.tcb[side].error;
    const base = { state: world.tcb[side].state, down: world.down[side], timers: timersOf(world, side) };
    const withError: EndView = error ? { ...base, error } : base;
    if (!world.flowOn) return withError;
    const flow = world.flow[side];
    const window = advertisedWindow(flow);
    const queues = { recvQ: flow.unread, sendQ: unackedData(world.tcb[side]) + flow.queued };
    return window === undefined ? { ...withError, ...queues } : { ...withError, ...queues, window };
  };
  return { client: one('client'), server: one('server') };
}

const L = (en: string, zh: string): Localized => ({ en, 'zh-cn': zh });

function sideName(side: Side): Localized {
  return side === 'client' ? L('Client', '客户端') : L('Server', '服务端');
}

function join(...parts: Localized[]): Localized {
  return { en: parts.map((p) => p.en).join(' '), 'zh-cn': parts.map((p) => p['zh-cn']).join('') };
}

/** Run a scenario script with the learner's breaks; returns every step. */
export function run(script: readonly ScriptItem[], breaks: readonly Break[] = [], options: RunOptions = {}): Step[] {
  const opts = { ...DEFAULTS, ...options };
  const world = freshWorld();
  const steps: Step[] = [];
  let cursor = 0;
  let settling = false;
  /** While a `wait` item runs: the simulated time it waits for. */
  let waitUntil: number | undefined;
  // After a break the script's own faults no longer apply: the learner has taken over the network.
  let broken = false;

  const record = (
    kind: StepKind,
    side: Side,
    before: Record<Side, TcpState>,
    text: Localized,
    extra: { segment?: Flight; sent?: Flight[]; rule?: RuleId; error?: AppError; broken?: boolean } = {},
  ): void => {
    const errors: Partial<Record<Side, AppError>> = extra.error ? { [side]: extra.error } : {};
    steps.push({
      index: steps.length,
      kind,
      side,
      timeMs: world.now,
      before,
      after: view(world, errors),
      ...(extra.segment ? { segment: extra.segment } : {}),
      sent: extra.sent ?? [],
      inFlight: [...world.wire],
      ...(extra.rule ? { rule: extra.rule } : {}),
      ...(extra.error ? { error: extra.error } : {}),
      text,
      broken: extra.broken ?? false,
    });
  };
  const states = (): Record<Side, TcpState> => ({ client: world.tcb.client.state, server: world.tcb.server.state });

  /** Put a segment from `side` on the wire, with the window that end advertises now (none on a RST: it means nothing there). */
  const emit = (side: Side, seg: MachineSegment, retransmission: boolean): Flight => {
    const win = seg.rst ? undefined : advertisedWindow(world.flow[side]);
    const flight: Flight =
      win === undefined
        ? { id: world.nextId++, from: side, seg, sentAt: world.now, retransmission }
        : { id: world.nextId++, from: side, seg, sentAt: world.now, retransmission, win };
    world.wire.push(flight);
    return flight;
  };

  /** Keep an end's flow bookkeeping in step with its machine state. */
  const syncFlow = (side: Side): void => {
    const flow = world.flow[side];
    const tcb = world.tcb[side];
    if (!isSynchronized(tcb.state) && tcb.state !== 'SYN-RECEIVED') {
      // No connection (CLOSED, LISTEN) or a new one starting (SYN-SENT): nothing is queued, unread or known of a peer.
      Object.assign(flow, freshFlow(flow.rcvbuf));
      return;
    }
    if (flow.queued === 0 || !canSendData(tcb.state)) {
      flow.persistAt = undefined;
      flow.backoff = 0;
      flow.probesOut = 0;
    }
  };

  /** Apply one machine event at `side`, put what it emits on the wire, restart its timer. */
  const apply = (side: Side, event: Parameters<typeof machineStep>[1]): { rule: RuleId; sent: Flight[]; error?: AppError } => {
    const before = world.tcb[side];
    const result = machineStep(before, event);
    world.tcb[side] = result.tcb;
    // New in-order data joins the unread bytes before the answer leaves, so that the ACK advertises what is left.
    if (event.type === 'receive') world.flow[side].unread += deliveredBytes(before, result.tcb);
    const retransmission = result.rule === 'retransmit';
    const sent = result.emit.map((seg) => emit(side, seg, retransmission));
    // The retransmission timer restarts when something new is outstanding or acknowledged, and stops when nothing is.
    if (!hasOutstanding(result.tcb)) world.rtoAt[side] = undefined;
    else if (retransmission || world.rtoAt[side] === undefined || result.tcb.sndUna !== before.sndUna || result.tcb.state !== before.state) {
      world.rtoAt[side] = world.now + rtoMs(result.tcb);
    }
    syncFlow(side);
    return result.error ? { rule: result.rule, sent, error: result.error } : { rule: result.rule, sent };
  };

  /**
   * Send what the peer's window allows of an end's queued bytes, through the machine's ordinary SEND (window-full:
   * only what fits; the rest keeps waiting). A close() made while bytes waited is carried out once they are all sent.
   */
  const flush = (side: Side): { n: number; room: number; sent: Flight[]; rule?: RuleId; closed: boolean } => {
    const flow = world.flow[side];
    const tcb = world.tcb[side];
    if (flow.queued === 0 || !canSendData(tcb.state) || world.down[side]) return { n: 0, room: 0, sent: [], closed: false };
    const room = sendRoom(flow, tcb);
    const n = Math.min(flow.queued, room);
    const sent: Flight[] = [];
    let rule: RuleId | undefined;
    if (n > 0) {
      flow.queued -= n;
      const r = apply(side, { type: 'send', len: n });
      sent.push(...r.sent);
      rule = r.rule;
    }
    let closed = false;
    if (flow.queued === 0 && flow.closeQueued) {
      flow.closeQueued = false;
      const r = apply(side, { type: 'close' });
      sent.push(...r.sent);
      rule ??= r.rule;
      closed = true;
    }
    return rule === undefined ? { n, room, sent, closed } : { n, room, sent, rule, closed };
  };

  /**
   * Start, keep or stop an end's persist timer. It runs while bytes wait, the peer's window is zero and nothing is in
   * flight (with data in flight the retransmission timer runs instead, and the ACK will bring the window: Linux
   * tcp_check_probe_timer). `answered`: an ACK just came with the window still zero, which re-arms it (tcp_ack_probe).
   */
  const armPersist = (side: Side, answered: boolean): void => {
    const flow = world.flow[side];
    const tcb = world.tcb[side];
    if (flow.queued === 0 || !canSendData(tcb.state) || sendRoom(flow, tcb) > 0) {
      flow.persistAt = undefined;
      flow.backoff = 0;
      return;
    }
    if (hasOutstanding(tcb) || world.down[side]) {
      flow.persistAt = undefined;
      return;
    }
    if (flow.persistAt === undefined || answered) flow.persistAt = world.now + persistMs(tcb, flow);
  };

  const ruleText = (rule: RuleId): Localized => RULES[rule].text;

  /** send() on an end that knows the peer's window: only what fits goes out now, the rest waits (window-full). */
  const windowedSend = (item: AppCall, isBreak: boolean): void => {
    const before = states();
    const side = item.side;
    const flow = world.flow[side];
    const len = item.len ?? 100;
    const waiting = flow.queued;
    flow.queued += len;
    const f = flush(side);
    armPersist(side, false);
    const name = sideName(side);
    const parts = [L(`${name.en}: send(${len}).`, `${name['zh-cn']}：send(${len})。`)];
    if (f.rule) parts.push(ruleText(f.rule));
    if (f.n === waiting + len) {
      if (f.n === f.room) {
        parts.push(L(`The ${f.n} bytes fill the peer's window exactly (window-full): nothing more may be sent until an ACK opens it.`, `这 ${f.n} 字节正好填满对端的窗口（window-full）：在 ACK 打开窗口之前不能再发送。`));
      }
    } else if (f.n > 0) {
      parts.push(L(
        `Only ${f.n} bytes fit in the peer's window (window-full): they go out, the other ${flow.queued} wait in the send buffer (Send-Q).`,
        `对端窗口只容得下 ${f.n} 字节（window-full）：先发出这些，其余 ${flow.queued} 字节留在发送缓冲区（Send-Q）等待。`,
      ));
    } else {
      parts.push(L(
        `The peer's window is full (window-full): the ${flow.queued} bytes wait in the send buffer (Send-Q), the kernel accepted them but cannot send them yet.`,
        `对端窗口已满（window-full）：这 ${flow.queued} 字节留在发送缓冲区（Send-Q）里，内核已经收下，但暂时不能发送。`,
      ));
      parts.push(
        flow.persistAt !== undefined
          ? L(`Nothing is in flight, so the persist timer starts: a probe in ${flow.persistAt - world.now} ms.`, `没有在途数据，于是启动坚持（persist）计时器：${flow.persistAt - world.now} 毫秒后发送探测。`)
          : L('Bytes are still in flight: their ACK will carry the new window.', '仍有数据在途：对它们的 ACK 会带来新的窗口。'),
      );
    }
    record('app', side, before, join(...parts), {
      sent: f.sent,
      ...(f.sent[0] ? { segment: f.sent[0] } : {}),
      ...(f.rule ? { rule: f.rule } : {}),
      broken: isBreak,
    });
  };

  /**
   * read(): the application takes bytes out of the receive buffer. If that opens the window enough, the end tells the
   * peer at once with a window update - Linux (tcp_cleanup_rbuf) does when the window at least doubles, which is
   * always the case when it opens from zero.
   */
  const readCall = (item: AppCall, isBreak: boolean): void => {
    const before = states();
    const side = item.side;
    const flow = world.flow[side];
    const tcb = world.tcb[side];
    const n = Math.min(item.len ?? flow.unread, flow.unread);
    const windowBefore = advertisedWindow(flow);
    flow.unread -= n;
    const windowAfter = advertisedWindow(flow);
    const sent: Flight[] = [];
    if (windowBefore !== undefined && windowAfter !== undefined && windowAfter > 0 && windowAfter >= 2 * windowBefore && canReceiveData(tcb.state)) {
      sent.push(emit(side, windowUpdate(tcb), false));
    }
    const name = sideName(side);
    const call = `read(${item.len ?? ''})`;
    const parts = [L(`${name.en}: ${call}.`, `${name['zh-cn']}：${call}。`)];
    if (n === 0) {
      parts.push(L('Nothing is waiting to be read.', '没有可读的数据。'));
    } else {
      parts.push(L(`The application takes ${n} bytes out of the receive buffer (Recv-Q ${flow.unread + n} -> ${flow.unread}).`, `应用从接收缓冲区取走 ${n} 字节（Recv-Q ${flow.unread + n} -> ${flow.unread}）。`));
    }
    if (sent[0]) {
      parts.push(L(
        `The window grows from ${windowBefore} to ${windowAfter} bytes, so TCP sends a window update: a pure ACK <SEQ=SND.NXT><ACK=RCV.NXT> with win=${windowAfter}.`,
        `窗口从 ${windowBefore} 字节增大到 ${windowAfter} 字节，于是 TCP 发送窗口更新：一个纯 ACK <SEQ=SND.NXT><ACK=RCV.NXT>，win=${windowAfter}。`,
      ));
    } else if (n > 0 && windowAfter !== undefined) {
      parts.push(L(`The window is now ${windowAfter}; it has not doubled, so no window update is sent yet.`, `窗口变为 ${windowAfter}，增幅不到一倍，暂不发送窗口更新。`));
    }
    record('app', side, before, join(...parts), { sent, ...(sent[0] ? { segment: sent[0] } : {}), broken: isBreak });
  };

  /** close() while bytes still wait for the window: the FIN must follow them, so it waits too. */
  const deferredClose = (item: AppCall, isBreak: boolean): void => {
    const before = states();
    const flow = world.flow[item.side];
    flow.closeQueued = true;
    const name = sideName(item.side);
    record(
      'app',
      item.side,
      before,
      L(`${name.en}: close(). ${flow.queued} bytes still wait for the peer's window: the FIN goes out after them.`, `${name['zh-cn']}：close()。还有 ${flow.queued} 字节在等待对端窗口：FIN 要排在它们之后发送。`),
      { broken: isBreak },
    );
  };

  const appCall = (item: AppCall, isBreak = false): void => {
    const flow = world.flow[item.side];
    const state = world.tcb[item.side].state;
    if (item.call === 'read') return readCall(item, isBreak);
    if (item.call === 'send' && canSendData(state) && (flow.peerEdge !== undefined || flow.queued > 0)) return windowedSend(item, isBreak);
    if (item.call === 'close' && canSendData(state) && flow.queued > 0) return deferredClose(item, isBreak);
    const before = states();
    const event: Parameters<typeof machineStep>[1] =
      item.call === 'listen'
        ? { type: 'open', mode: 'passive' }
        : item.call === 'connect'
          ? { type: 'open', mode: 'active' }
          : item.call === 'send'
            ? { type: 'send', len: item.len ?? 100 }
            : item.call === 'close'
              ? { type: 'close' }
              : { type: 'abort' };
    let merged = false;
    if (item.mergeWithPendingAck) {
      // Remove this end's pure ACK still on the wire: the FIN about to leave acknowledges the same bytes.
      const i = world.wire.findIndex((f) => f.from === item.side && segmentKind(f.seg) === 'ack');
      if (i >= 0) {
        world.wire.splice(i, 1);
        merged = true;
      }
    }
    const r = apply(item.side, event);
    const call = { listen: 'listen()', connect: 'connect()', send: `send(${item.len ?? 100})`, close: 'close()', abort: 'close() + SO_LINGER 0' }[item.call];
    const parts = [L(`${sideName(item.side).en}: ${call}.`, `${sideName(item.side)['zh-cn']}：${call}。`), ruleText(r.rule)];
    if (merged) parts.push(L('The delayed ACK of the peer\'s FIN is merged into this FIN: one segment instead of two.', '对对端 FIN 的延迟确认与本次 FIN 合并：两个报文变成一个。'));
    record('app', item.side, before, join(...parts), {
      sent: r.sent,
      ...(r.sent[0] ? { segment: r.sent[0] } : {}),
      rule: r.rule,
      ...(r.error ? { error: r.error } : {}),
      broken: isBreak,
    });
  };

  /**
   * Flow control after a segment arrived at `side`: the receiver's side of it (how full its buffer is now) and the
   * sender's (the window the segment advertised, and the queued bytes it lets out or keeps waiting).
   */
  const afterReceive = (side: Side, flight: Flight, added: number, answered: boolean): { sent: Flight[]; text: Localized[] } => {
    const flow = world.flow[side];
    const tcb = world.tcb[side];
    const text: Localized[] = [];
    if (added === 0 && answered && advertisedWindow(flow) === 0) {
      text.push(L(
        `The answer still advertises win=0: the application has not read, and the receive buffer is full (Recv-Q ${flow.unread}).`,
        `回复的 ACK 仍然通告 win=0：应用还没有读取，接收缓冲区是满的（Recv-Q ${flow.unread}）。`,
      ));
    }
    if (added > 0 && flow.rcvbuf !== undefined) {
      const win = advertisedWindow(flow) ?? 0;
      text.push(
        win === 0
          ? L(
              `The application has not read: ${flow.unread} bytes wait in the receive buffer (Recv-Q), which is now full, so the ACK advertises win=0 - a zero window: the sender must stop.`,
              `应用还没有读取：${flow.unread} 字节留在接收缓冲区（Recv-Q），缓冲区已满，所以 ACK 通告 win=0，即零窗口：发送方必须停下。`,
            )
          : L(
              `${flow.unread} unread bytes wait in the receive buffer (Recv-Q); the ACK advertises the space left: win=${win}.`,
              `${flow.unread} 字节未读数据留在接收缓冲区（Recv-Q）；ACK 通告剩余空间：win=${win}。`,
            ),
      );
    }
    if (!isSynchronized(tcb.state) || !flight.seg.ack) return { sent: [], text };
    flow.probesOut = 0; // any ACK proves the peer alive (Linux tcp_ack clears icsk_probes_out)
    if (flight.win !== undefined) {
      // The window's right edge SEG.ACK + SEG.WND. It never moves left in this model (see the module comment), so the
      // largest edge seen is the newest: this replaces RFC 9293's SND.WL1/SND.WL2 test against stale segments.
      const edge = seqAdd(flight.seg.ackNo, flight.win);
      if (flow.peerEdge === undefined || seqGt(edge, flow.peerEdge)) flow.peerEdge = edge;
    }
    if (flow.queued === 0) {
      if (flight.win === 0 && !flight.seg.syn) {
        text.push(L('The peer\'s window is 0 again, but nothing waits to be sent, so there is nothing to probe for.', '对端窗口又变成 0，但没有待发送的数据，也就无需探测。'));
      }
      return { sent: [], text };
    }
    const probing = flow.backoff > 0;
    const f = flush(side);
    armPersist(side, true);
    if (f.n > 0) {
      text.push(
        L(
          `The window is open (${f.room} bytes): ${f.n} queued bytes go out${flow.queued > 0 ? `, ${flow.queued} still wait (window-full)` : ''}.`,
          `窗口已打开（${f.room} 字节）：排队的 ${f.n} 字节发出${flow.queued > 0 ? `，还有 ${flow.queued} 字节继续等待（window-full）` : ''}。`,
        ),
      );
      if (f.closed) text.push(L('The close() that waited behind them sends its FIN now.', '排在它们之后的 close() 现在发出 FIN。'));
    } else if (flow.persistAt !== undefined) {
      const ms = flow.persistAt - world.now;
      text.push(
        probing
          ? L(
              `The window is still 0: ${flow.queued} bytes keep waiting (Send-Q). The persist timer backs off: next probe in ${ms} ms.`,
              `窗口仍为 0：${flow.queued} 字节继续等待（Send-Q）。坚持计时器指数退避：${ms} 毫秒后再次探测。`,
            )
          : L(
              `The window is 0 and nothing is in flight: ${flow.queued} bytes wait (Send-Q), and the persist timer starts at the RTO: a probe in ${ms} ms.`,
              `窗口为 0 且没有在途数据：${flow.queued} 字节等待发送（Send-Q），坚持计时器以 RTO 为初值启动：${ms} 毫秒后探测。`,
            ),
      );
    } else if (f.room === 0) {
      text.push(L(`${flow.queued} bytes still wait for the window (Send-Q).`, `${flow.queued} 字节仍在等待窗口（Send-Q）。`));
    }
    return { sent: f.sent, text };
  };

  /** The earliest running timer: retransmission, and the persist timer when `withPersist`. Ties go to the client. */
  const dueTimer = (withPersist: boolean): { side: Side; at: number; timer: 'retransmission' | 'persist' } | undefined => {
    const due: { side: Side; at: number; timer: 'retransmission' | 'persist' }[] = [];
    for (const s of SIDES) {
      const at = world.rtoAt[s];
      if (!world.down[s] && at !== undefined && hasOutstanding(world.tcb[s])) due.push({ side: s, at, timer: 'retransmission' });
    }
    for (const s of SIDES) {
      const at = world.flow[s].persistAt;
      if (withPersist && !world.down[s] && at !== undefined) due.push({ side: s, at, timer: 'persist' });
    }
    return due.sort((a, b) => a.at - b.at)[0];
  };

  /** When the next thing happens on its own: the oldest segment arrives, or a timer fires. */
  const nextEventAt = (): number | undefined => {
    const head = world.wire[0];
    if (head) return Math.max(world.now, head.sentAt + ONE_WAY_MS);
    const due = dueTimer(true);
    return due === undefined ? undefined : Math.max(world.now, due.at);
  };

  /**
   * The persist timer fires at `side`: probe the zero window, or give up. Linux (tcp_probe_timer) gives up after
   * tcp_retries2 probes in a row that no ACK answered (shortened here like the retransmissions) and sends nothing: the
   * socket is simply done (tcp_write_err), ETIMEDOUT. The machine has no persist timer; giving up is the same
   * transition as its user timeout (CLOSED, ETIMEDOUT, nothing sent), so that is the event it gets.
   */
  const persistFires = (side: Side): void => {
    const flow = world.flow[side];
    const tcb = world.tcb[side];
    world.now = Math.max(world.now, flow.persistAt ?? world.now);
    const before = states();
    const name = sideName(side);
    if (flow.probesOut >= opts.dataRetries) {
      const unanswered = flow.probesOut;
      const r = apply(side, { type: 'timeout', timer: 'user' });
      record(
        'timeout',
        side,
        before,
        join(
          L(
            `${name.en}: persist timer fires; ${unanswered} probes in a row went unanswered, so it gives up (tcp_retries2, shortened to ${opts.dataRetries} here).`,
            `${name['zh-cn']}：坚持计时器到期；连续 ${unanswered} 次探测都没有回应，于是放弃（tcp_retries2，这里缩短为 ${opts.dataRetries}）。`,
          ),
          ruleText(r.rule),
        ),
        { sent: r.sent, rule: r.rule, ...(r.error ? { error: r.error } : {}) },
      );
      return;
    }
    const flight = emit(side, zeroWindowProbe(tcb), false);
    flow.probesOut++;
    flow.backoff++;
    flow.persistAt = world.now + persistMs(tcb, flow);
    record(
      'timeout',
      side,
      before,
      L(
        `${name.en}: persist timer fires (probe ${flow.backoff}). The peer's window is 0, so it sends a zero-window probe: SEQ = SND.UNA - 1 = ${flight.seg.seq} and no data, like a keep-alive. The peer must answer with an ACK, and that ACK carries its window. Next probe in ${flow.persistAt - world.now} ms if the window stays shut.`,
        `${name['zh-cn']}：坚持计时器到期（第 ${flow.backoff} 次探测）。对端窗口为 0，于是发送零窗口探测：SEQ = SND.UNA - 1 = ${flight.seg.seq}，不带数据，和保活探测一样。对端必须回复 ACK，而 ACK 会带上它的窗口。如果窗口一直关闭，${flow.persistAt - world.now} 毫秒后再次探测。`,
      ),
      { sent: [flight], segment: flight },
    );
  };

  /** One unit of progress: deliver or lose the oldest segment, else fire the earliest timer. Returns false when quiet. */
  const progress = (withPersist = false): boolean => {
    const flight = world.wire[0];
    if (flight) {
      world.wire.shift();
      world.now = Math.max(world.now, flight.sentAt + ONE_WAY_MS);
      const to = otherSide(flight.from);
      const before = states();
      if (world.down[to]) {
        record('lost', to, before, L(`Lost: the ${sideName(to).en.toLowerCase()}'s host is down, nothing answers.`, `丢失：${sideName(to)['zh-cn']}主机已宕机，没有任何回应。`), { segment: flight });
        return true;
      }
      const loss = broken ? undefined : world.losses.find((l) => l.left > 0 && matches(l.match, flight, world.tcb[to].state));
      if (loss) {
        loss.left--;
        record('lost', to, before, join(L('Lost on the way:', '途中丢失：'), loss.why), { segment: flight });
        return true;
      }
      const unreadBefore = world.flow[to].unread;
      const r = apply(to, { type: 'receive', seg: flight.seg });
      if (world.keepalive[to] && world.probes[to] > 0) {
        // The probe was answered: the peer is alive, and the keep-alive timer sleeps for another idle period.
        world.keepalive[to] = false;
        world.probes[to] = 0;
      }
      const flow = afterReceive(to, flight, world.flow[to].unread - unreadBefore, r.sent.length > 0);
      const label = segmentLabel(flight.seg, flight.win);
      record('deliver', to, before, join(L(`${sideName(to).en} receives ${label}.`, `${sideName(to)['zh-cn']}收到 ${label}。`), ruleText(r.rule), ...flow.text), {
        segment: flight,
        sent: [...r.sent, ...flow.sent],
        rule: r.rule,
        ...(r.error ? { error: r.error } : {}),
      });
      return true;
    }
    // Nothing on the wire: the earliest running timer fires.
    const timer = dueTimer(withPersist);
    if (timer?.timer === 'persist') {
      persistFires(timer.side);
      return true;
    }
    if (timer) {
      const due = timer.side;
      const tcb = world.tcb[due];
      const limit = tcb.state === 'SYN-SENT' ? opts.synRetries : tcb.state === 'SYN-RECEIVED' ? opts.synAckRetries : opts.dataRetries;
      world.now = Math.max(world.now, timer.at);
      const before = states();
      const r = apply(due, { type: 'timeout', timer: 'retransmission', giveUp: tcb.retries >= limit });
      record('timeout', due, before, join(L(`${sideName(due).en}: retransmission timer fires (try ${tcb.retries + 1}).`, `${sideName(due)['zh-cn']}：重传计时器到期（第 ${tcb.retries + 1} 次）。`), ruleText(r.rule)), {
        sent: r.sent,
        ...(r.sent[0] ? { segment: r.sent[0] } : {}),
        rule: r.rule,
        ...(r.error ? { error: r.error } : {}),
      });
      return true;
    }
    return false;
  };

  /** Timers that only matter once everything else is quiet: keep-alive probes, then TIME-WAIT's 2MSL. */
  const idleTimers = (): boolean => {
    for (const side of SIDES) {
      const tcb = world.tcb[side];
      if (world.down[side] || !world.keepalive[side] || (tcb.state !== 'ESTABLISHED' && tcb.state !== 'CLOSE-WAIT')) continue;
      const first = world.probes[side] === 0;
      world.now += first ? 7_200_000 : 75_000; // tcp_keepalive_time, tcp_keepalive_intvl
      const before = states();
      const giveUp = world.probes[side] >= opts.keepaliveProbes;
      const r = apply(side, { type: 'timeout', timer: 'keepalive', giveUp });
      world.probes[side]++;
      record('timeout', side, before, join(L(`${sideName(side).en}: keep-alive timer fires${first ? ' after 2 hours idle' : ''}.`, `${sideName(side)['zh-cn']}：保活计时器到期${first ? '（空闲 2 小时后）' : ''}。`), ruleText(r.rule)), {
        sent: r.sent,
        ...(r.sent[0] ? { segment: r.sent[0] } : {}),
        rule: r.rule,
        ...(r.error ? { error: r.error } : {}),
      });
      return true;
    }
    for (const side of SIDES) {
      if (!world.down[side] && world.tcb[side].state === 'TIME-WAIT') {
        world.now += 60_000;
        const before = states();
        const r = apply(side, { type: 'timeout', timer: 'time-wait' });
        record('timeout', side, before, join(L(`${sideName(side).en}: 2MSL elapsed (60 s on Linux).`, `${sideName(side)['zh-cn']}：2MSL 到期（Linux 为 60 秒）。`), ruleText(r.rule)), { rule: r.rule });
        return true;
      }
    }
    return false;
  };

  const applyBreak = (b: Break): void => {
    broken = true;
    const before = states();
    switch (b.kind) {
      case 'drop': {
        const flight = world.wire.shift();
        if (flight) {
          const label = segmentLabel(flight.seg, flight.win);
          record('lost', otherSide(flight.from), before, L(`You dropped ${label} on the wire.`, `你在线路上丢弃了 ${label}。`), { segment: flight, broken: true });
        }
        return;
      }
      case 'crash':
        world.down[b.side] = true;
        world.rtoAt[b.side] = undefined;
        world.flow[b.side].persistAt = undefined;
        record('crash', b.side, before, L(`${sideName(b.side).en}'s host goes down: it neither sends nor answers.`, `${sideName(b.side)['zh-cn']}主机宕机：不再发送，也不再回应。`), { broken: true });
        return;
      case 'reboot':
        world.down[b.side] = false;
        world.tcb[b.side] = CLOSED_TCB;
        world.rtoAt[b.side] = undefined;
        world.keepalive[b.side] = false;
        world.flow[b.side] = freshFlow(); // the socket and its SO_RCVBUF are gone with the old kernel
        record('reboot', b.side, before, L(`${sideName(b.side).en}'s host restarts: it has forgotten the connection, so it will answer its segments with RST.`, `${sideName(b.side)['zh-cn']}主机重启：连接已被遗忘，之后收到该连接的报文会回复 RST。`), { broken: true });
        return;
      case 'abort':
        appCall({ kind: 'app', side: b.side, call: 'abort' }, true);
        return;
    }
  };

  while (steps.length < opts.maxSteps) {
    const pendingBreak = breaks.find((b) => b.atStep === steps.length);
    if (pendingBreak) {
      const count = steps.length;
      applyBreak(pendingBreak);
      if (steps.length > count) continue;
    }
    if (settling) {
      if (progress()) continue;
      settling = false;
    }
    if (waitUntil !== undefined) {
      // One event at a time, so that a break can land between any two of them.
      const next = nextEventAt();
      if (next !== undefined && next <= waitUntil && progress(true)) continue;
      world.now = Math.max(world.now, waitUntil);
      waitUntil = undefined;
    }
    const item = script[cursor];
    if (item) {
      cursor++;
      switch (item.kind) {
        case 'app':
          if (!world.down[item.side]) appCall(item);
          break;
        case 'settle':
          settling = true;
          break;
        case 'deliver':
          progress();
          break;
        case 'lose':
          if (!broken) world.losses.push({ match: item.match, left: item.times, why: item.why });
          break;
        case 'crash':
          if (!world.down[item.side]) {
            const before = states();
            world.down[item.side] = true;
            world.rtoAt[item.side] = undefined;
            world.flow[item.side].persistAt = undefined;
            record('crash', item.side, before, L(`${sideName(item.side).en}'s host goes silent: it neither sends nor answers.`, `${sideName(item.side)['zh-cn']}主机失联：不再发送，也不再回应。`));
          }
          break;
        case 'keepalive':
          world.keepalive[item.side] = true;
          break;
        case 'rcvbuf':
          world.flow[item.side].rcvbuf = item.bytes;
          world.flowOn = true;
          break;
        case 'wait':
          waitUntil = world.now + item.ms;
          break;
      }
      continue;
    }
    // The script is done: whatever runs on its own now runs, the persist timer included.
    if (progress(true) || idleTimers()) continue;
    break;
  }
  return steps;
}

/** The states of both ends before the first step (for the panel's step 0). */
export const INITIAL_STATES: Readonly<Record<Side, TcpState>> = { client: 'CLOSED', server: 'CLOSED' };

