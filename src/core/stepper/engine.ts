/**
 * The stepper's world: two ends, each driven by the RFC 9293 machine in src/core/tcp/machine.ts, and a wire between
 * them. A scenario is a script of application calls and network faults; the engine turns it into a list of steps by
 * running the machines. Nothing about the protocol is scripted here: what a segment does to an end, what an end
 * emits, when it retransmits and when it gives up all come from the machine. That is what makes "break it" honest:
 * drop the segment in flight or kill an end at any step and the run simply continues from there.
 *
 * Everything is pure and deterministic: the same scenario and the same breaks always give the same steps, so the
 * panel can step back by index and restore a run after a reload from (scenario id, breaks, step index).
 */
import type { Localized, TcpState } from '../model';
import { RULES, seqGt, step as machineStep, type AppError, type MachineSegment, type RuleId, type Tcb, type TimerKind, CLOSED_TCB } from '../tcp/machine';

export type Side = 'client' | 'server';
export const SIDES: readonly Side[] = ['client', 'server'];

export function otherSide(side: Side): Side {
  return side === 'client' ? 'server' : 'client';
}

/** An application call on one end. */
export interface AppCall {
  readonly kind: 'app';
  readonly side: Side;
  readonly call: 'listen' | 'connect' | 'send' | 'close' | 'abort';
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
  | { readonly kind: 'keepalive'; readonly side: Side };

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
}

export type StepKind = 'app' | 'deliver' | 'lost' | 'timeout' | 'crash' | 'reboot';

export interface EndView {
  readonly state: TcpState;
  readonly down: boolean;
  /** Timers running after this step, as the stack would have them. */
  readonly timers: readonly TimerKind[];
  readonly error?: AppError;
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

interface World {
  tcb: Record<Side, Tcb>;
  down: Record<Side, boolean>;
  keepalive: Record<Side, boolean>;
  probes: Record<Side, number>;
  /** When each end's retransmission timer fires, if running. */
  rtoAt: Record<Side, number | undefined>;
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

/** A short label in tcpdump-like words: `SYN seq=0`, `FIN, ACK seq=9 ack=1`, `ACK ack=10 len=100`. */
export function segmentLabel(seg: MachineSegment): string {
  const flags: string[] = [];
  if (seg.syn) flags.push('SYN');
  if (seg.fin) flags.push('FIN');
  if (seg.rst) flags.push('RST');
  if (seg.len > 0) flags.push('PSH');
  if (seg.ack) flags.push('ACK');
  const parts = [flags.join(', ') || 'none', `seq=${seg.seq}`];
  if (seg.ack) parts.push(`ack=${seg.ackNo}`);
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

function timersOf(world: World, side: Side): TimerKind[] {
  const tcb = world.tcb[side];
  if (world.down[side]) return [];
  const timers: TimerKind[] = [];
  if (hasOutstanding(tcb)) timers.push('retransmission');
  if (tcb.state === 'TIME-WAIT') timers.push('time-wait');
  if (world.keepalive[side] && (tcb.state === 'ESTABLISHED' || tcb.state === 'CLOSE-WAIT')) timers.push('keepalive');
  return timers;
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
    return error ? { ...base, error } : base;
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

  /** Apply one machine event at `side`, put what it emits on the wire, restart its timer. */
  const apply = (side: Side, event: Parameters<typeof machineStep>[1]): { rule: RuleId; sent: Flight[]; error?: AppError } => {
    const before = world.tcb[side];
    const result = machineStep(before, event);
    world.tcb[side] = result.tcb;
    const retransmission = result.rule === 'retransmit';
    const sent = result.emit.map((seg) => {
      const flight: Flight = { id: world.nextId++, from: side, seg, sentAt: world.now, retransmission };
      world.wire.push(flight);
      return flight;
    });
    // The retransmission timer restarts when something new is outstanding or acknowledged, and stops when nothing is.
    if (!hasOutstanding(result.tcb)) world.rtoAt[side] = undefined;
    else if (retransmission || world.rtoAt[side] === undefined || result.tcb.sndUna !== before.sndUna || result.tcb.state !== before.state) {
      world.rtoAt[side] = world.now + rtoMs(result.tcb);
    }
    return result.error ? { rule: result.rule, sent, error: result.error } : { rule: result.rule, sent };
  };

  const ruleText = (rule: RuleId): Localized => RULES[rule].text;

  const appCall = (item: AppCall, isBreak = false): void => {
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

  /** One unit of progress: deliver or lose the oldest segment, else fire the earliest timer. Returns false when quiet. */
  const progress = (): boolean => {
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
      const r = apply(to, { type: 'receive', seg: flight.seg });
      if (world.keepalive[to] && world.probes[to] > 0) {
        // The probe was answered: the peer is alive, and the keep-alive timer sleeps for another idle period.
        world.keepalive[to] = false;
        world.probes[to] = 0;
      }
      record('deliver', to, before, join(L(`${sideName(to).en} receives ${segmentLabel(flight.seg)}.`, `${sideName(to)['zh-cn']}收到 ${segmentLabel(flight.seg)}。`), ruleText(r.rule)), {
        segment: flight,
        sent: r.sent,
        rule: r.rule,
        ...(r.error ? { error: r.error } : {}),
      });
      return true;
    }
    // Nothing on the wire: the earliest running timer fires.
    const due = SIDES.filter((s) => !world.down[s] && world.rtoAt[s] !== undefined && hasOutstanding(world.tcb[s])).sort(
      (a, b) => (world.rtoAt[a] as number) - (world.rtoAt[b] as number),
    )[0];
    if (due) {
      const tcb = world.tcb[due];
      const limit = tcb.state === 'SYN-SENT' ? opts.synRetries : tcb.state === 'SYN-RECEIVED' ? opts.synAckRetries : opts.dataRetries;
      world.now = Math.max(world.now, world.rtoAt[due] as number);
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
          record('lost', otherSide(flight.from), before, L(`You dropped ${segmentLabel(flight.seg)} on the wire.`, `你在线路上丢弃了 ${segmentLabel(flight.seg)}。`), { segment: flight, broken: true });
        }
        return;
      }
      case 'crash':
        world.down[b.side] = true;
        world.rtoAt[b.side] = undefined;
        record('crash', b.side, before, L(`${sideName(b.side).en}'s host goes down: it neither sends nor answers.`, `${sideName(b.side)['zh-cn']}主机宕机：不再发送，也不再回应。`), { broken: true });
        return;
      case 'reboot':
        world.down[b.side] = false;
        world.tcb[b.side] = CLOSED_TCB;
        world.rtoAt[b.side] = undefined;
        world.keepalive[b.side] = false;
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
            record('crash', item.side, before, L(`${sideName(item.side).en}'s host goes silent: it neither sends nor answers.`, `${sideName(item.side)['zh-cn']}主机失联：不再发送，也不再回应。`));
          }
          break;
        case 'keepalive':
          world.keepalive[item.side] = true;
          break;
      }
      continue;
    }
    if (progress() || idleTimers()) continue;
    break;
  }
  return steps;
}

/** The states of both ends before the first step (for the panel's step 0). */
export const INITIAL_STATES: Readonly<Record<Side, TcpState>> = { client: 'CLOSED', server: 'CLOSED' };

