/**
 * What the stepper panel shows, one entry per step, whether it comes from a textbook scenario (run by the engine)
 * or from a connection in the user's capture (rebuilt by src/core/tcp/connection.ts). Plain data, so it crosses to a
 * webview as JSON and survives a reload in the webview's saved state.
 */
import type { Localized, Segment, TcpState } from '../model';
import { stepLabel, type Connection, type SegmentTcp } from '../tcp/connection';
import { RULES } from '../tcp/machine';
import { segmentLabel, type Side, type Step } from './engine';

export interface TrackEnd {
  readonly state: TcpState;
  /** False when the state is inferred rather than shown by the end's own segments (capture replays only). */
  readonly certain: boolean;
  readonly timers: readonly string[];
  readonly down: boolean;
  readonly error?: string;
  /** Scenarios that model flow control: unread bytes (ss Recv-Q), unacknowledged or waiting bytes (ss Send-Q). */
  readonly recvQ?: number;
  readonly sendQ?: number;
  /** The window this end advertises, when its receive buffer is bounded. */
  readonly window?: number;
}

export interface TrackStep {
  readonly index: number;
  /** The end this step happened at. */
  readonly side: Side;
  readonly before: Readonly<Record<Side, TcpState>>;
  readonly after: Readonly<Record<Side, TrackEnd>>;
  /** The segment in flight: who sent it and its label; `lost` when it never arrived. */
  readonly segment?: { readonly from: Side; readonly label: string; readonly lost: boolean; readonly retransmission: boolean };
  /** Segments still on the wire after this step (scenarios only): what "drop the segment in flight" would drop first. */
  readonly inFlight?: readonly { readonly from: Side; readonly label: string }[];
  readonly text: Localized;
  /** Simulated or captured time, ms since the first step. */
  readonly timeMs?: number;
  /** 0-based document line of the segment, for capture replays. */
  readonly line?: number;
  readonly broken?: boolean;
}

export interface Track {
  readonly title: Localized;
  readonly lesson?: Localized;
  readonly sysctls: readonly string[];
  readonly steps: readonly TrackStep[];
}

export function trackFromSteps(steps: readonly Step[]): TrackStep[] {
  return steps.map((s) => {
    const end = (side: Side): TrackEnd => {
      const v = s.after[side];
      const base: TrackEnd = v.error ? { state: v.state, certain: true, timers: v.timers, down: v.down, error: v.error } : { state: v.state, certain: true, timers: v.timers, down: v.down };
      return {
        ...base,
        ...(v.recvQ !== undefined ? { recvQ: v.recvQ } : {}),
        ...(v.sendQ !== undefined ? { sendQ: v.sendQ } : {}),
        ...(v.window !== undefined ? { window: v.window } : {}),
      };
    };
    // Labels carry the advertised window (`win=N`) of every segment whose sender has a bounded receive buffer.
    const inFlight = s.inFlight.map((f) => ({ from: f.from, label: segmentLabel(f.seg, f.win) }));
    const base = { index: s.index, side: s.side, before: s.before, after: { client: end('client'), server: end('server') }, text: s.text, timeMs: s.timeMs, broken: s.broken, inFlight };
    return s.segment
      ? { ...base, segment: { from: s.segment.from, label: segmentLabel(s.segment.seg, s.segment.win), lost: s.kind === 'lost', retransmission: s.segment.retransmission } }
      : base;
  });
}

/** The most steps a capture replay carries to the panel; longer connections are cut with a note. */
export const MAX_REPLAY_STEPS = 2000;

/** A connection from the user's capture, as a stepper track: one step per segment, states as the rebuild inferred. */
export function trackFromConnection(connection: Connection, segments: readonly Segment[], perSegment: readonly SegmentTcp[]): Track {
  const steps: TrackStep[] = [];
  const indexes = connection.segmentIndexes.slice(0, MAX_REPLAY_STEPS);
  const t0 = connection.firstTime;
  for (const i of indexes) {
    const seg = segments[i]!;
    const tcp = perSegment[i]!;
    const from: Side = tcp.fromClient ? 'client' : 'server';
    const to: Side = tcp.fromClient ? 'server' : 'client';
    const end = (side: Side): TrackEnd => ({ state: tcp.after[side].state, certain: tcp.after[side].certain, timers: [], down: false });
    const label = [seg.flags.join(', ') || 'none', tcp.relSeq !== undefined ? `seq=${tcp.relSeq}` : '', tcp.relAck !== undefined ? `ack=${tcp.relAck}` : '', seg.len > 0 ? `len=${seg.len}` : '']
      .filter((p) => p !== '')
      .join(' ');
    const sender = RULES[tcp.senderRule].text;
    const receiver = RULES[tcp.receiverRule].text;
    const who = (side: Side): Localized => (side === 'client' ? { en: 'Client', 'zh-cn': '客户端' } : { en: 'Server', 'zh-cn': '服务端' });
    const text: Localized = {
      en: `${stepLabel(tcp.step, 'en')}. ${who(from).en} sends ${label}. ${sender.en} ${who(to).en}: ${receiver.en}`,
      'zh-cn': `${stepLabel(tcp.step, 'zh-cn')}。${who(from)['zh-cn']}发送 ${label}。${sender['zh-cn']}${who(to)['zh-cn']}：${receiver['zh-cn']}`,
    };
    steps.push({
      index: steps.length,
      side: to,
      before: { client: tcp.before.client.state, server: tcp.before.server.state },
      after: { client: end('client'), server: end('server') },
      segment: { from, label, lost: false, retransmission: false },
      text,
      ...(seg.timeSeconds !== undefined && t0 !== undefined ? { timeMs: Math.round((seg.timeSeconds - t0) * 1e6) / 1e3 } : {}),
      line: seg.line,
    });
  }
  const endpoints = `${connection.client.endpoint.address}:${connection.client.endpoint.port} → ${connection.server.endpoint.address}:${connection.server.endpoint.port}`;
  const cut = connection.segmentIndexes.length > MAX_REPLAY_STEPS;
  return {
    title: {
      en: `Connection ${connection.id + 1}: ${endpoints}${cut ? ` (first ${MAX_REPLAY_STEPS} segments)` : ''}`,
      'zh-cn': `连接 ${connection.id + 1}：${endpoints}${cut ? `（前 ${MAX_REPLAY_STEPS} 个报文）` : ''}`,
    },
    lesson: {
      en: 'Replayed from your capture. States marked ~ are inferred: the capture shows what was sent, not what each stack did.',
      'zh-cn': '根据你的抓包回放。标 ~ 的状态是推断出来的：抓包只能看到发出的报文，看不到协议栈内部。',
    },
    sysctls: [],
    steps,
  };
}
