/**
 * Connection ladders and their mermaid sequence diagrams.
 *
 * A "ladder" is one TCP connection as a diagram needs it: which end is the client, and for every segment its
 * direction, flags, relative seq/ack, length, window, time, analysis names and (when known) both ends' states after
 * it. `ladders(model)` builds them from the analysed model; the connection rebuild (src/core/tcp/connection.ts) is
 * the source of connections, analysis and states when it is part of the build. Until then — or for anything it does
 * not provide — this module falls back to its own light grouping by endpoint pair, tshark's own analysis labels and
 * tcpdump's printed numbers made relative. States are optional throughout: a diagram without them simply has no
 * state notes.
 *
 * `connectionDiagram` turns a window of a ladder (a page) into a `SequenceDiagram` plus the list of its arrows in
 * source order, so a webview can map the n-th rendered arrow back to its segment and line. `connectionMermaid` is
 * the whole connection as mermaid text: what `tcp-lens diagram` prints and what the panel's "Copy mermaid" copies.
 *
 * Nothing here copies text from the log into the diagram: participant ids are synthetic (P0, P1, ...), labels are
 * built from numbers, flag names and our own words, and mermaid.ts entity-codes every label.
 */
import type { AnalysedModel, ConnectionSummary } from '../analyse';
import type { Endpoint, Lang, Segment, TcpFlag, TcpState } from '../model';
import { renderSequenceDiagram, type ArrowKind, type DiagramItem, type SequenceDiagram } from './mermaid';

// ---------------------------------------------------------------------------------------------------------------
// Ladders

export interface EndStates {
  readonly client: TcpState;
  readonly server: TcpState;
}

export interface LadderSegment {
  /** Index into `model.segments`. */
  readonly index: number;
  readonly line: number;
  readonly lastLine: number;
  readonly fromClient: boolean;
  readonly flags: readonly TcpFlag[];
  /** Relative to the sender's initial sequence number (SYN = 0), or to the first one seen when no SYN was captured. */
  readonly seq?: number;
  readonly seqEnd?: number;
  /** Relative to the receiver's initial sequence number. */
  readonly ack?: number;
  readonly len: number;
  /** The advertised window: in bytes when the window scale is known, else as printed. */
  readonly win?: number;
  readonly timeSeconds?: number;
  /** Analysis names (design.md vocabulary: retransmission, duplicate-ack, zero-window, ...). */
  readonly analysis: readonly string[];
  /** Both ends' states after this segment, when the connection rebuild inferred them. */
  readonly states?: EndStates;
}

export type Outcome = 'closed' | 'reset' | 'refused' | 'unanswered' | 'open';

export interface Ladder {
  readonly id: number;
  readonly client: Endpoint;
  readonly server: Endpoint;
  /** Both ends' states before the first segment, when known. */
  readonly initial?: EndStates;
  readonly segments: readonly LadderSegment[];
  readonly open?: ConnectionSummary['open'];
  readonly close?: ConnectionSummary['close'];
  readonly outcome: Outcome;
  readonly irttMs?: number;
  readonly durationSeconds?: number;
  /** Payload bytes client -> server and server -> client. */
  readonly bytesToServer: number;
  readonly bytesToClient: number;
  readonly retransmissions: number;
  /** Segments with any marked anomaly (retransmissions, dup ACKs, zero windows, resets, ...). */
  readonly anomalies: number;
  readonly firstLine: number;
  readonly lastLine: number;
}

/**
 * Extra per-segment knowledge the connection rebuild may provide. Every member is optional: whatever is missing is
 * derived here (relative numbers) or left out (states).
 */
export interface LadderInputs {
  /** Both ends' states after segment `index`, or undefined when not inferred. */
  readonly statesAfter?: (index: number) => EndStates | undefined;
  /** Both ends' states just before segment `index` (used for the first segment of a connection). */
  readonly statesBefore?: (index: number) => EndStates | undefined;
  /** Relative seq / seqEnd / ack of segment `index`, and its window in bytes, when the rebuild computed them. */
  readonly relative?: (index: number) => { readonly seq?: number; readonly seqEnd?: number; readonly ack?: number; readonly win?: number } | undefined;
}

/**
 * Inputs from the connection rebuild's per-segment records (src/core/tcp/connection.ts `SegmentTcp`), typed by
 * shape so this module does not depend on how the rebuild is wired into the model.
 */
export interface RebuildSegmentLike {
  readonly relSeq?: number;
  readonly relAck?: number;
  /** The advertised window in bytes, when the window scale is known. */
  readonly window?: number;
  readonly before: { readonly client: { readonly state: TcpState }; readonly server: { readonly state: TcpState } };
  readonly after: { readonly client: { readonly state: TcpState }; readonly server: { readonly state: TcpState } };
}

export function inputsFromRebuild(perSegment: readonly (RebuildSegmentLike | undefined)[], segments: readonly Segment[]): LadderInputs {
  const ends = (e: RebuildSegmentLike['after'] | undefined): EndStates | undefined => (e ? { client: e.client.state, server: e.server.state } : undefined);
  return {
    statesAfter: (i) => ends(perSegment[i]?.after),
    statesBefore: (i) => ends(perSegment[i]?.before),
    relative: (i) => {
      const r = perSegment[i];
      const seg = segments[i];
      if (!r || !seg) return undefined;
      return {
        ...(r.relSeq !== undefined ? { seq: r.relSeq, seqEnd: r.relSeq + seg.len } : {}),
        ...(r.relAck !== undefined ? { ack: r.relAck } : {}),
        ...(r.window !== undefined ? { win: r.window } : {}),
      };
    },
  };
}

/** The analysis names a diagram marks as a problem (window updates and probe ACKs are normal traffic). */
const MARKED = new Set([
  'retransmission',
  'fast-retransmission',
  'spurious-retransmission',
  'duplicate-ack',
  'out-of-order',
  'previous-segment-not-captured',
  'acked-unseen-segment',
  'zero-window',
  'zero-window-probe',
  'window-full',
  'keep-alive',
  'port-reuse',
]);

const RETRANSMISSIONS = new Set(['retransmission', 'fast-retransmission', 'spurious-retransmission']);

export function isMarked(seg: Pick<LadderSegment, 'analysis' | 'flags'>): boolean {
  return seg.flags.includes('RST') || seg.analysis.some((a) => MARKED.has(a));
}

/** States and relative numbers from the model's own connection rebuild, when it ran. */
export function modelInputs(model: AnalysedModel): LadderInputs {
  const perSegment = model.rebuild?.perSegment;
  return perSegment ? inputsFromRebuild(perSegment, model.segments) : {};
}

/** Build every connection's ladder, in connection id order. */
export function ladders(model: AnalysedModel, inputs: LadderInputs = modelInputs(model)): Ladder[] {
  const groups = model.connectionAnalysis && model.segmentConnections.length === model.segments.length ? groupsFromModel(model) : fallbackGroups(model.segments);
  const out: Ladder[] = [];
  for (const group of groups) out.push(buildLadder(model, group, inputs));
  return out;
}

/** One ladder by connection id, or undefined. */
export function ladderById(model: AnalysedModel, id: number, inputs: LadderInputs = modelInputs(model)): Ladder | undefined {
  return ladders(model, inputs).find((l) => l.id === id);
}

interface Group {
  readonly id: number;
  readonly indices: number[];
  readonly clientKey: string;
  readonly summary?: ConnectionSummary;
}

function endpointKey(e: Endpoint): string {
  return `${e.address}\u0000${e.port}`;
}

function sameEndpoint(a: Endpoint, b: Endpoint): boolean {
  return a.port === b.port && a.address === b.address;
}

function groupsFromModel(model: AnalysedModel): Group[] {
  const byId = new Map<number, Group>();
  for (const c of model.connections) byId.set(c.id, { id: c.id, indices: [], clientKey: endpointKey(c.client), summary: c });
  model.segmentConnections.forEach((id, index) => {
    if (id === null) return;
    byId.get(id)?.indices.push(index);
  });
  return [...byId.values()].filter((g) => g.indices.length > 0).sort((a, b) => a.id - b.id);
}

/**
 * Light grouping used while the connection rebuild is not in the build: segments between the same two endpoints
 * form one connection, and a new SYN after the previous one ended (RST, or FINs from both sides) starts the next.
 * The client is the sender of the first SYN without ACK, else the receiver of a SYN-ACK, else the end with the
 * higher port (ephemeral ports are the high ones), else the first sender.
 */
function fallbackGroups(segments: readonly Segment[]): Group[] {
  interface Open {
    group: Group & { indices: number[] };
    finFrom: Set<string>;
    reset: boolean;
    sawSyn: boolean;
  }
  const open = new Map<string, Open>();
  const groups: (Group & { indices: number[] })[] = [];
  segments.forEach((seg, index) => {
    const a = endpointKey(seg.src);
    const b = endpointKey(seg.dst);
    const pair = a < b ? `${a}\u0001${b}` : `${b}\u0001${a}`;
    const syn = seg.flags.includes('SYN') && !seg.flags.includes('ACK');
    let current = open.get(pair);
    const ended = current !== undefined && (current.reset || current.finFrom.size === 2);
    if (current === undefined || (syn && ended)) {
      const group = { id: groups.length + 1, indices: [] as number[], clientKey: guessClient(seg) };
      groups.push(group);
      current = { group, finFrom: new Set(), reset: false, sawSyn: false };
      open.set(pair, current);
    }
    if (seg.flags.includes('SYN')) {
      if (!current.sawSyn) {
        // The first SYN decides the roles.
        (current.group as { clientKey: string }).clientKey = seg.flags.includes('ACK') ? b : a;
      }
      current.sawSyn = true;
    }
    if (seg.flags.includes('FIN')) current.finFrom.add(a);
    if (seg.flags.includes('RST')) current.reset = true;
    current.group.indices.push(index);
  });
  return groups;
}

function guessClient(seg: Segment): string {
  const sp = typeof seg.src.port === 'number' ? seg.src.port : -1;
  const dp = typeof seg.dst.port === 'number' ? seg.dst.port : -1;
  if (sp !== dp && sp >= 0 && dp >= 0) return endpointKey(sp > dp ? seg.src : seg.dst);
  return endpointKey(seg.src);
}

function buildLadder(model: AnalysedModel, group: Group, inputs: LadderInputs): Ladder {
  const segs = group.indices.map((i) => model.segments[i]!);
  const first = segs[0]!;
  const clientIsSrc = endpointKey(first.src) === group.clientKey;
  const client = group.summary?.client ?? (clientIsSrc ? first.src : first.dst);
  const server = group.summary?.server ?? (clientIsSrc ? first.dst : first.src);
  const fromClientAt = segs.map((s) => sameEndpoint(s.src, client));
  const numbers = new RelativeNumbers(segs, fromClientAt);
  const out: LadderSegment[] = [];
  let bytesToServer = 0;
  let bytesToClient = 0;
  let retransmissions = 0;
  let anomalies = 0;
  group.indices.forEach((index, k) => {
    const seg = segs[k]!;
    const fromClient = fromClientAt[k]!;
    const fromModel = model.segmentAnalysis[index];
    const analysis = model.connectionAnalysis && fromModel ? fromModel : fallbackAnalysis(seg);
    // The rebuild's numbers win; a bare ACK whose seq tcpdump left out still gets the sender's next seq from ours.
    const rel: { seq?: number; seqEnd?: number; ack?: number; win?: number } = { ...numbers.at(k), ...inputs.relative?.(index) };
    const states = inputs.statesAfter?.(index);
    const item: LadderSegment = {
      index,
      line: seg.line,
      lastLine: seg.lastLine,
      fromClient,
      flags: seg.flags,
      ...(rel.seq !== undefined ? { seq: rel.seq } : {}),
      ...(rel.seqEnd !== undefined ? { seqEnd: rel.seqEnd } : {}),
      ...(rel.ack !== undefined ? { ack: rel.ack } : {}),
      len: seg.len,
      ...(rel.win !== undefined ? { win: rel.win } : seg.win !== undefined ? { win: seg.win } : {}),
      ...(seg.timeSeconds !== undefined ? { timeSeconds: seg.timeSeconds } : {}),
      analysis,
      ...(states ? { states } : {}),
    };
    if (fromClient) bytesToServer += seg.len;
    else bytesToClient += seg.len;
    if (analysis.some((a) => RETRANSMISSIONS.has(a))) retransmissions++;
    if (isMarked(item)) anomalies++;
    out.push(item);
  });
  const times = out.map((s) => s.timeSeconds).filter((t): t is number => t !== undefined);
  const duration = times.length >= 2 ? Math.max(0, times[times.length - 1]! - times[0]!) : undefined;
  const summary = group.summary;
  const irtt = summary?.irttMs ?? fallbackIrtt(out);
  const initial = inputs.statesBefore?.(group.indices[0]!);
  return {
    id: group.id,
    client,
    server,
    ...(initial ? { initial } : {}),
    segments: out,
    ...(summary ? { open: summary.open, close: summary.close } : {}),
    outcome: summary ? outcomeOf(summary) : fallbackOutcome(out),
    ...(irtt !== undefined ? { irttMs: irtt } : {}),
    ...(duration !== undefined ? { durationSeconds: duration } : {}),
    bytesToServer,
    bytesToClient,
    retransmissions,
    anomalies,
    firstLine: out[0]!.line,
    lastLine: out.reduce((m, s) => Math.max(m, s.lastLine), 0),
  };
}

function outcomeOf(c: ConnectionSummary): Outcome {
  if (c.open === 'refused') return 'refused';
  if (c.open === 'unanswered') return 'unanswered';
  if (c.close === 'reset') return 'reset';
  if (c.close === 'open') return 'open';
  return 'closed';
}

function fallbackOutcome(segs: readonly LadderSegment[]): Outcome {
  const synAck = segs.some((s) => s.flags.includes('SYN') && s.flags.includes('ACK'));
  const syn = segs.some((s) => s.flags.includes('SYN') && !s.flags.includes('ACK'));
  const rst = segs.some((s) => s.flags.includes('RST'));
  if (syn && !synAck) return rst ? 'refused' : 'unanswered';
  if (rst) return 'reset';
  const finClient = segs.some((s) => s.fromClient && s.flags.includes('FIN'));
  const finServer = segs.some((s) => !s.fromClient && s.flags.includes('FIN'));
  return finClient && finServer ? 'closed' : 'open';
}

/** Wireshark's iRTT: from the SYN to the ACK that completes the handshake. */
function fallbackIrtt(segs: readonly LadderSegment[]): number | undefined {
  const syn = segs.find((s) => s.fromClient && s.flags.includes('SYN') && !s.flags.includes('ACK'));
  const synAckAt = segs.findIndex((s) => !s.fromClient && s.flags.includes('SYN') && s.flags.includes('ACK'));
  if (!syn || synAckAt < 0) return undefined;
  const ack = segs.slice(synAckAt + 1).find((s) => s.fromClient && s.flags.includes('ACK') && !s.flags.includes('SYN'));
  if (!ack || syn.timeSeconds === undefined || ack.timeSeconds === undefined) return undefined;
  const ms = (ack.timeSeconds - syn.timeSeconds) * 1000;
  return ms >= 0 ? Number(ms.toFixed(6)) : undefined;
}

/** tshark's analysis labels as printed -> design.md names. Unknown labels are dropped, never echoed. */
const TSHARK_LABELS: readonly (readonly [string, string])[] = [
  ['TCP Spurious Retransmission', 'spurious-retransmission'],
  ['TCP Fast Retransmission', 'fast-retransmission'],
  ['TCP Retransmission', 'retransmission'],
  ['TCP Dup ACK', 'duplicate-ack'],
  ['TCP Out-Of-Order', 'out-of-order'],
  ['TCP Previous segment not captured', 'previous-segment-not-captured'],
  ['TCP ACKed unseen segment', 'acked-unseen-segment'],
  ['TCP ZeroWindowProbeAck', 'zero-window-probe-ack'],
  ['TCP ZeroWindowProbe', 'zero-window-probe'],
  ['TCP ZeroWindow', 'zero-window'],
  ['TCP Window Full', 'window-full'],
  ['TCP Window Update', 'window-update'],
  ['TCP Keep-Alive ACK', 'keep-alive-ack'],
  ['TCP Keep-Alive', 'keep-alive'],
  ['TCP Port numbers reused', 'port-reuse'],
];

/** Analysis of one segment without the connection rebuild: only what tshark printed next to it. */
export function fallbackAnalysis(seg: Segment): readonly string[] {
  const labels = seg.toolAnalysis;
  if (!labels || labels.length === 0) return [];
  const out: string[] = [];
  for (const label of labels) {
    const hit = TSHARK_LABELS.find(([prefix]) => label === prefix || label.startsWith(prefix + ' '));
    if (hit && !out.includes(hit[1])) out.push(hit[1]);
  }
  return out;
}

/**
 * Relative sequence numbers, the way Wireshark shows them: each direction counts from its initial sequence number
 * (the SYN's seq), or from the first seq seen when the SYN is not in the capture. tshark already prints relative
 * numbers. tcpdump prints the SYN and SYN-ACK absolute and, unless run with -S, the rest relative; which of the two a
 * block uses is decided once per connection, on its first segment after the handshake.
 */
class RelativeNumbers {
  private readonly base: [number | undefined, number | undefined] = [undefined, undefined];
  private readonly results: { seq?: number; seqEnd?: number; ack?: number }[] = [];

  constructor(segs: readonly Segment[], fromClient: readonly boolean[]) {
    // Bases: the SYN of each side.
    for (let k = 0; k < segs.length; k++) {
      const s = segs[k]!;
      const side = fromClient[k] ? 0 : 1;
      if (s.flags.includes('SYN') && s.seq !== undefined && this.base[side] === undefined) this.base[side] = s.seq;
    }
    let absolute: boolean | undefined;
    for (let k = 0; k < segs.length; k++) {
      const s = segs[k]!;
      const side = fromClient[k] ? 0 : 1;
      const peer = 1 - side;
      if (s.source === 'tshark') {
        this.results.push(pick(s.seq, s.seqEnd, s.ack));
        continue;
      }
      const syn = s.flags.includes('SYN');
      if (!syn && absolute === undefined) absolute = this.looksAbsolute(s, side, peer);
      const abs = syn || absolute === true;
      const seq = s.seq === undefined ? undefined : this.rel(s.seq, side, abs);
      const seqEnd = s.seqEnd === undefined ? undefined : this.rel(s.seqEnd, side, abs);
      const ack = s.ack === undefined || !s.flags.includes('ACK') ? undefined : this.rel(s.ack, peer, abs);
      this.results.push(pick(seq, seqEnd, ack));
    }
    // tcpdump leaves seq out of a bare ACK; it is the sender's next sequence number, as Wireshark shows it.
    const next: [number | undefined, number | undefined] = [undefined, undefined];
    segs.forEach((s, k) => {
      const side = fromClient[k] ? 0 : 1;
      const r = this.results[k]!;
      if (r.seq === undefined && next[side] !== undefined && s.len === 0) {
        r.seq = next[side];
        r.seqEnd = next[side];
      }
      if (r.seq !== undefined) {
        const end = (r.seqEnd ?? r.seq) + (s.flags.includes('SYN') ? 1 : 0) + (s.flags.includes('FIN') ? 1 : 0);
        const previous = next[side];
        next[side] = previous === undefined || end > previous ? end : previous;
      }
    });
  }

  at(k: number): { seq?: number; seqEnd?: number; ack?: number } {
    return this.results[k] ?? {};
  }

  /** A number that is small when measured from the base is an absolute one (relative ones are small themselves). */
  private looksAbsolute(s: Segment, side: number, peer: number): boolean | undefined {
    const probe = (value: number | undefined, base: number | undefined): boolean | undefined => {
      if (value === undefined) return undefined;
      if (base === undefined) return true; // no SYN seen: tcpdump prints absolute numbers
      const d = (value - base) >>> 0;
      return d < value;
    };
    return probe(s.seq, this.base[side]) ?? probe(s.flags.includes('ACK') ? s.ack : undefined, this.base[peer]);
  }

  private rel(value: number, side: number, absolute: boolean): number {
    if (!absolute) return value;
    let base = this.base[side];
    if (base === undefined) {
      // Mid-stream: count from the first number seen for this side.
      base = value;
      this.base[side as 0 | 1] = value;
    }
    return (value - base) >>> 0;
  }
}

function pick(seq: number | undefined, seqEnd: number | undefined, ack: number | undefined): { seq?: number; seqEnd?: number; ack?: number } {
  return { ...(seq !== undefined ? { seq } : {}), ...(seqEnd !== undefined ? { seqEnd } : {}), ...(ack !== undefined ? { ack } : {}) };
}

// ---------------------------------------------------------------------------------------------------------------
// Diagrams

export interface DiagramOptions {
  readonly lang?: Lang;
  /** First segment (index into the merged segment list) of the window, inclusive. Default 0. */
  readonly from?: number;
  /** End of the window, exclusive. Default: all. */
  readonly to?: number;
  /** A pause between two segments at least this long gets a note. Default 0.2 s. */
  readonly gapSeconds?: number;
}

/** One arrow of a rendered diagram, in source order: the n-th message line of the mermaid text. */
export interface DiagramArrow {
  /** Index into `model.segments`. */
  readonly segment: number;
  readonly connection: number;
  readonly line: number;
  readonly lastLine: number;
  readonly kind: ArrowKind;
}

export interface ConnectionDiagram {
  readonly diagram: SequenceDiagram;
  readonly arrows: readonly DiagramArrow[];
  /** Segments in the whole (merged) list and the window shown. */
  readonly total: number;
  readonly from: number;
  readonly to: number;
}

export const DEFAULT_GAP_SECONDS = 0.2;

interface Words {
  client: string;
  server: string;
  handshake: string;
  close: string;
  halfClose: string;
  reset: string;
  continued: string;
  gap: (s: string) => string;
  states: (client: TcpState, server: TcpState) => string;
  connStates: (id: number, client: TcpState, server: TcpState) => string;
  analysis: Readonly<Record<string, string>>;
  earlier: (n: number) => string;
  later: (n: number) => string;
}

const EN: Words = {
  client: 'client',
  server: 'server',
  handshake: 'Three-way handshake',
  close: 'Connection close',
  halfClose: 'Half-close: one side still sends after the first FIN',
  reset: 'Reset',
  continued: ' (continued)',
  gap: (s) => `${s} later`,
  states: (c, s) => `client ${c} · server ${s}`,
  connStates: (id, c, s) => `#${id + 1}: client ${c} · server ${s}`,
  analysis: {
    retransmission: 'retransmission',
    'fast-retransmission': 'fast retransmission',
    'spurious-retransmission': 'spurious retransmission',
    'duplicate-ack': 'dup ACK',
    'out-of-order': 'out of order',
    'previous-segment-not-captured': 'gap: previous not captured',
    'acked-unseen-segment': 'ACKed unseen',
    'zero-window': 'zero window',
    'zero-window-probe': 'zero window probe',
    'zero-window-probe-ack': 'zero window probe ACK',
    'window-full': 'window full',
    'window-update': 'window update',
    'keep-alive': 'keep-alive',
    'keep-alive-ack': 'keep-alive ACK',
    'port-reuse': 'port reused',
  },
  earlier: (n) => `… ${n} earlier segment${n === 1 ? '' : 's'} on previous pages`,
  later: (n) => `… ${n} more segment${n === 1 ? '' : 's'} on next pages`,
};

const ZH: Words = {
  client: '客户端',
  server: '服务端',
  handshake: '三次握手',
  close: '连接关闭',
  halfClose: '半关闭：先发 FIN 之后另一端仍在发送',
  reset: '复位',
  continued: '（续）',
  gap: (s) => `${s} 之后`,
  states: (c, s) => `客户端 ${c} · 服务端 ${s}`,
  connStates: (id, c, s) => `#${id + 1}：客户端 ${c} · 服务端 ${s}`,
  analysis: {
    retransmission: '重传',
    'fast-retransmission': '快速重传',
    'spurious-retransmission': '不必要的重传',
    'duplicate-ack': '重复 ACK',
    'out-of-order': '乱序',
    'previous-segment-not-captured': '前一报文段未抓到',
    'acked-unseen-segment': '确认了未抓到的报文段',
    'zero-window': '零窗口',
    'zero-window-probe': '零窗口探测',
    'zero-window-probe-ack': '零窗口探测的确认',
    'window-full': '窗口已满',
    'window-update': '窗口更新',
    'keep-alive': '保活探测',
    'keep-alive-ack': '保活确认',
    'port-reuse': '端口复用',
  },
  earlier: (n) => `… 前面的页还有 ${n} 个报文段`,
  later: (n) => `… 后面的页还有 ${n} 个报文段`,
};

function wordsFor(lang: Lang | undefined): Words {
  return lang === 'zh-cn' ? ZH : EN;
}

/** `SYN, ACK` in RFC order, whatever order the tool printed. */
const FLAG_ORDER: readonly TcpFlag[] = ['SYN', 'FIN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'AE'];

export function flagNames(flags: readonly TcpFlag[]): string {
  const names = FLAG_ORDER.filter((f) => flags.includes(f));
  return names.length > 0 ? names.join(', ') : 'none';
}

/** The fields of one arrow: flags, relative seq, ack, len, win (Wireshark's flow graph shows the same). */
export function arrowFields(seg: LadderSegment): string {
  const parts: string[] = [flagNames(seg.flags)];
  if (seg.seq !== undefined) parts.push(`seq=${seg.seq}`);
  if (seg.ack !== undefined && seg.flags.includes('ACK')) parts.push(`ack=${seg.ack}`);
  parts.push(`len=${seg.len}`);
  if (seg.win !== undefined) parts.push(`win=${seg.win}`);
  return parts.join(' ');
}

/**
 * The lines of one arrow's label. A marked segment leads with its marks (`⚠ retransmission`) and has its fields on a
 * second line; analysis that is normal traffic (a window update) follows the fields in parentheses on a second line.
 * Two short lines keep the lifelines close together, so a page fits a side panel without shrinking the text.
 */
export function arrowLines(seg: LadderSegment, lang?: Lang): string[] {
  const w = wordsFor(lang);
  const fields = arrowFields(seg);
  const marks = seg.analysis.map((a) => w.analysis[a]).filter((a): a is string => a !== undefined);
  if (marks.length === 0) return [fields];
  return isMarked(seg) ? [`⚠ ${marks.join(', ')}`, fields] : [fields, `(${marks.join(', ')})`];
}

/** The label on one line, as a screen reader or a log would say it. */
export function arrowLabel(seg: LadderSegment, lang?: Lang): string {
  const lines = arrowLines(seg, lang);
  return lines.length === 1 ? lines[0]! : isMarked(seg) ? `${lines[0]}: ${lines[1]}` : `${lines[0]} ${lines[1]}`;
}

function arrowKind(seg: LadderSegment): ArrowKind {
  if (seg.flags.includes('RST')) return 'reset';
  return isMarked(seg) ? 'anomaly' : 'normal';
}

/** `1.516 s`, `250 ms`, `40 µs`. */
export function formatDuration(seconds: number): string {
  if (seconds >= 1) return `${Number(seconds.toFixed(3))} s`;
  const ms = seconds * 1000;
  if (ms >= 1) return `${Number(ms.toFixed(ms >= 100 ? 0 : 1))} ms`;
  return `${Number((ms * 1000).toFixed(0))} µs`;
}

/** Where the handshake ends and the close starts, as positions in `segs`. */
export function phases(segs: readonly LadderSegment[]): { handshakeEnd?: number; closeStart?: number } {
  let handshakeEnd: number | undefined;
  const synAt = segs.findIndex((s) => s.flags.includes('SYN'));
  if (synAt >= 0) {
    const synAck = segs.findIndex((s, i) => i >= synAt && s.flags.includes('SYN') && s.flags.includes('ACK'));
    if (synAck >= 0) {
      const ack = segs.findIndex((s, i) => i > synAck && s.flags.includes('ACK') && !s.flags.includes('SYN') && s.fromClient !== segs[synAck]!.fromClient);
      handshakeEnd = ack >= 0 ? ack : synAck;
    } else {
      // Refused or unanswered: the SYNs and whatever answered them.
      let end = synAt;
      while (end + 1 < segs.length && (segs[end + 1]!.flags.includes('SYN') || segs[end + 1]!.flags.includes('RST'))) end++;
      handshakeEnd = end;
    }
  }
  const closeStart = segs.findIndex((s, i) => (handshakeEnd === undefined || i > handshakeEnd) && (s.flags.includes('FIN') || s.flags.includes('RST')));
  return { ...(synAt >= 0 && handshakeEnd !== undefined ? { handshakeEnd } : {}), ...(closeStart >= 0 ? { closeStart } : {}) };
}

/**
 * A window [from, to) of one connection as a sequence diagram: client lifeline P0, server lifeline P1, one arrow per
 * segment, a note with both ends' states whenever one changes, the handshake and the close grouped, anomalies marked
 * (label prefix and arrow head), and a note for every pause of `gapSeconds` or more.
 */
export function connectionDiagram(ladder: Ladder, options: DiagramOptions = {}): ConnectionDiagram {
  return multiConnectionDiagram([ladder], options);
}

/**
 * Several connections in one diagram, their segments merged in document order. Each distinct endpoint gets one
 * lifeline (a server shared by the connections is drawn once); arrow labels start with the connection id.
 */
export function multiConnectionDiagram(list: readonly Ladder[], options: DiagramOptions = {}): ConnectionDiagram {
  const w = wordsFor(options.lang);
  const single = list.length === 1;
  const gap = options.gapSeconds ?? DEFAULT_GAP_SECONDS;

  // Lifelines.
  const participantOf = new Map<string, number>();
  const participants: { label: string }[] = [];
  const lifeline = (e: Endpoint, role: string): number => {
    const key = endpointKey(e);
    let at = participantOf.get(key);
    if (at === undefined) {
      at = participants.length;
      participantOf.set(key, at);
      participants.push({ label: `${single ? role[0]!.toUpperCase() + role.slice(1) : role} ${endpointLabel(e)}` });
    }
    return at;
  };
  const ends = list.map((l) => ({ client: lifeline(l.client, w.client), server: lifeline(l.server, w.server) }));

  // Merged segment list (document order).
  const merged: { ladder: number; pos: number; seg: LadderSegment }[] = [];
  list.forEach((l, li) => l.segments.forEach((seg, pos) => merged.push({ ladder: li, pos, seg })));
  if (list.length > 1) merged.sort((a, b) => a.seg.index - b.seg.index);
  const total = merged.length;
  const from = clamp(options.from ?? 0, 0, total);
  const to = clamp(options.to ?? total, from, total);

  const phaseOf = list.map((l) => phases(l.segments));
  const items: DiagramItem[] = [];
  const arrows: DiagramArrow[] = [];
  const allEnds = (): number[] => [0, participants.length - 1];
  const stateNote = (li: number, s: EndStates): void => {
    const e = ends[li]!;
    items.push({ kind: 'note', over: [e.client, e.server], text: single ? w.states(s.client, s.server) : w.connStates(list[li]!.id, s.client, s.server) });
  };

  if (from > 0) items.push({ kind: 'note', over: allEnds(), text: w.earlier(from) });
  // States in force at the top of the window.
  for (let li = 0; li < list.length; li++) {
    const before = statesBefore(list[li]!, firstPosAtOrAfter(merged, li, from));
    if (before && (from === 0 || merged.slice(from, to).some((m) => m.ladder === li))) stateNote(li, before);
  }

  // Groups are only drawn for a single connection (interleaved connections would nest them wrongly).
  let openGroup: 'handshake' | 'close' | undefined;
  const closeLabel = single ? closeGroupLabel(list[0]!.segments, phaseOf[0]!.closeStart, w) : w.close;
  const synAt = single ? list[0]!.segments.findIndex((s) => s.flags.includes('SYN')) : -1;
  const openAt = (kind: 'handshake' | 'close', continued: boolean): void => {
    const label = kind === 'handshake' ? w.handshake : closeLabel;
    items.push({ kind: 'groupStart', label: continued ? label + w.continued : label });
    openGroup = kind;
  };

  let previousTime: number | undefined = from > 0 ? merged[from - 1]!.seg.timeSeconds : undefined;
  for (let k = from; k < to; k++) {
    const { ladder: li, pos, seg } = merged[k]!;
    const l = list[li]!;
    const e = ends[li]!;
    if (single) {
      const phase = phaseOf[0]!;
      const inHandshake = phase.handshakeEnd !== undefined && synAt >= 0 && synAt <= pos && pos <= phase.handshakeEnd;
      if (openGroup === 'handshake' && !inHandshake) {
        items.push({ kind: 'groupEnd' });
        openGroup = undefined;
      }
    }
    if (seg.timeSeconds !== undefined && previousTime !== undefined && seg.timeSeconds - previousTime >= gap) {
      items.push({ kind: 'note', over: allEnds(), text: `⏱ ${w.gap(formatDuration(seg.timeSeconds - previousTime))}` });
    }
    if (single) {
      const phase = phaseOf[0]!;
      const inHandshake = phase.handshakeEnd !== undefined && synAt >= 0 && synAt <= pos && pos <= phase.handshakeEnd;
      const inClose = phase.closeStart !== undefined && pos >= phase.closeStart;
      if (openGroup === undefined && inHandshake) openAt('handshake', k === from && pos > synAt);
      if (openGroup === undefined && inClose) openAt('close', k === from && pos > phase.closeStart!);
    }
    if (seg.timeSeconds !== undefined) previousTime = seg.timeSeconds;
    const [first, ...more] = arrowLines(seg, options.lang);
    const kind = arrowKind(seg);
    items.push({
      kind: 'message',
      from: seg.fromClient ? e.client : e.server,
      to: seg.fromClient ? e.server : e.client,
      label: single ? first! : `#${l.id + 1} ${first!}`,
      ...(more.length > 0 ? { more } : {}),
      style: kind,
    });
    arrows.push({ segment: seg.index, connection: l.id, line: seg.line, lastLine: seg.lastLine, kind });
    const before = pos > 0 ? l.segments[pos - 1]!.states : l.initial;
    const after = seg.states;
    if (after && (!before || before.client !== after.client || before.server !== after.server)) stateNote(li, after);
    if (single && openGroup === 'handshake' && pos === phaseOf[0]!.handshakeEnd) {
      items.push({ kind: 'groupEnd' });
      openGroup = undefined;
    }
  }
  if (openGroup !== undefined) items.push({ kind: 'groupEnd' });
  if (to < total) items.push({ kind: 'note', over: allEnds(), text: w.later(total - to) });
  return { diagram: { participants, items }, arrows, total, from, to };
}

/** `Reset` when the close is a RST, `Half-close` when the other side went on sending after the first FIN. */
function closeGroupLabel(segs: readonly LadderSegment[], closeStart: number | undefined, w: Words): string {
  if (closeStart === undefined) return w.close;
  const first = segs[closeStart]!;
  const rest = segs.slice(closeStart);
  if (first.flags.includes('RST') || !rest.some((s) => s.flags.includes('FIN'))) return w.reset;
  const halfClose = rest.some((s) => s.fromClient !== first.fromClient && s.len > 0 && !s.flags.includes('FIN'));
  return halfClose ? w.halfClose : w.close;
}

function firstPosAtOrAfter(merged: readonly { ladder: number; pos: number }[], li: number, from: number): number {
  for (let k = from; k < merged.length; k++) if (merged[k]!.ladder === li) return merged[k]!.pos;
  return Number.MAX_SAFE_INTEGER;
}

/** Both ends' states just before position `pos` of a ladder. */
function statesBefore(l: Ladder, pos: number): EndStates | undefined {
  if (pos === 0 || l.segments.length === 0) return l.initial;
  const at = Math.min(pos, l.segments.length) - 1;
  return l.segments[at]!.states ?? l.initial;
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, Math.floor(n)));
}

/** `10.0.0.1:80`, `[::1]:8080`. Text from the capture goes through `visibleText`. */
export function endpointLabel(e: Endpoint): string {
  const address = e.address.includes(':') ? `[${e.address}]` : e.address;
  return visibleText(`${address}:${e.port}`);
}

/**
 * Characters that change how the text around them is displayed without being seen: controls, bidirectional
 * overrides and isolates (a hostname `x<U+202E>gpj.exe` would read as `xexe.jpg`), zero-width and line-separator
 * characters. Shown as `[U+202E]`, the way VS Code's editor shows them, so what a panel shows is what the log says.
 */
function isHiddenControl(cp: number): boolean {
  return (
    (cp < 0x20 && cp !== 0x09) ||
    (cp >= 0x7f && cp <= 0x9f) ||
    cp === 0x061c ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x2028 && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x2069) ||
    cp === 0xfeff
  );
}

export function visibleText(text: string): string {
  let out = '';
  let plain = 0;
  for (let i = 0; i < text.length; i++) {
    const cp = text.charCodeAt(i);
    if (!isHiddenControl(cp)) continue;
    out += text.slice(plain, i) + `[U+${cp.toString(16).toUpperCase().padStart(4, '0')}]`;
    plain = i + 1;
  }
  return plain === 0 ? text : out + text.slice(plain);
}

/**
 * The whole connection `id` as mermaid text, or undefined when there is no such connection. This is what
 * `tcp-lens diagram` prints and what the panel's "Copy mermaid" copies.
 */
export function connectionMermaid(model: AnalysedModel, id: number, lang: Lang, inputs: LadderInputs = modelInputs(model)): string {
  const ladder = ladderById(model, id, inputs);
  if (!ladder) throw new RangeError(`no connection ${id}`);
  return renderSequenceDiagram(connectionDiagram(ladder, { lang }).diagram);
}

// ---------------------------------------------------------------------------------------------------------------
// Paging

export const DEFAULT_PAGE_SIZE = 100;

export interface PageOverview {
  readonly page: number;
  readonly from: number;
  readonly to: number;
  readonly firstLine: number;
  readonly lastLine: number;
  /** Marked segments on the page. */
  readonly anomalies: number;
  readonly resets: number;
  readonly retransmissions: number;
}

/** Pages of a (merged) segment list and where the problems are: the panel's minimap. */
export function pageOverview(list: readonly Ladder[], pageSize = DEFAULT_PAGE_SIZE): PageOverview[] {
  const segs = list.flatMap((l) => l.segments);
  if (list.length > 1) segs.sort((a, b) => a.index - b.index);
  const size = Math.max(1, Math.floor(pageSize));
  const out: PageOverview[] = [];
  for (let from = 0, page = 0; from < segs.length; from += size, page++) {
    const to = Math.min(segs.length, from + size);
    let anomalies = 0;
    let resets = 0;
    let retransmissions = 0;
    let firstLine = Number.MAX_SAFE_INTEGER;
    let lastLine = 0;
    for (let k = from; k < to; k++) {
      const s = segs[k]!;
      if (isMarked(s)) anomalies++;
      if (s.flags.includes('RST')) resets++;
      if (s.analysis.some((a) => RETRANSMISSIONS.has(a))) retransmissions++;
      firstLine = Math.min(firstLine, s.line);
      lastLine = Math.max(lastLine, s.lastLine);
    }
    out.push({ page, from, to, firstLine, lastLine, anomalies, resets, retransmissions });
  }
  return out;
}
