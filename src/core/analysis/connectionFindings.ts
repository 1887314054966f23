/**
 * Findings about rebuilt connections: what happened, the likely cause and what to do, in English and Simplified
 * Chinese. Facts (defaults, sysctl keys, errno) come from the Linux documentation summarised in shared/seeds and the
 * samples' README files; every finding is derived from segments the user can see, and lists their lines.
 *
 * One finding per code per connection (a connection with 150 retransmissions gets one `retransmission` finding with
 * 150 lines), so that a long capture stays readable; `reset` is per connection (the first RST).
 */
import type { Endpoint, Finding, Lang, Localized, Severity, TcpState } from '../model';
import {
  irttMsOf,
  objectArray,
  objectList,
  N_ACKNO,
  N_CLIENT,
  N_FIN,
  N_RST,
  N_SEQ,
  N_SYN,
  N_TIME,
  closeOutcome,
  stepOf,
  synAckIndexes,
  synIndexes,
  type ConnBuilder,
  type Connection,
  type ConnectionEnd,
  type NormalisedSegment,
  type NormTable,
  type OpenOutcome,
  type ReplayTable,
  type Side,
} from '../tcp/connection';
import { flagBit, type AnalysisFlag } from './flags';

// ---------------------------------------------------------------------------------------------------------------
// Small helpers.

/**
 * Text in both languages. Both strings are made flat first: a message put together from pieces is, in V8, a tree of
 * partial strings several times the size of its text, and findings stay in memory as long as their document.
 * Reading a character flattens the tree into one string (and the pieces become garbage at once).
 */
function L(en: string, zh: string): Localized {
  flatten(en);
  flatten(zh);
  return { en, 'zh-cn': zh };
}

function flatten(s: string): void {
  if (s.length > 0) s.charCodeAt(0);
}

/**
 * A connection finding's message, written each time it is read instead of when the finding is made: a large capture
 * has a finding or more per connection (its handshake, its retransmissions), and most messages are never read (the
 * editor shows a few hundred diagnostics, the CLI one language). It reads like any Localized (`en`, `zh-cn`) and
 * JSON.stringify writes it as one (`toJSON`). Its own fields are exactly what the text is written from (the writer is
 * a shared module function; the ends, not the connection, whose id and segment indexes the text does not use), so two
 * messages compare equal field by field (assert.deepEqual, as the incremental tests compare models) when their texts
 * are equal. A text that names another connection by number (port reuse) keeps its connection instead, and reads the
 * number when written: an edit renumbers connections in place (incrementalConnections.ts), and a number copied at
 * analysis time would then name the wrong one.
 */
class LazyText implements Localized {
  constructor(
    /** Writes one language from the fields below, which mean what the writer says. */
    private readonly write: (t: LazyText, lang: Lang) => string,
    readonly p: ConnectionEnd,
    readonly q: ConnectionEnd | undefined,
    readonly a: number | undefined,
    readonly b: number,
    /** The connection itself, for a text that names another connection by number. */
    readonly c?: Connection,
  ) {}
  get en(): string {
    return this.write(this, 'en');
  }
  get 'zh-cn'(): string {
    return this.write(this, 'zh-cn');
  }
  toJSON(): Localized {
    return { en: this.write(this, 'en'), 'zh-cn': this.write(this, 'zh-cn') };
  }
}

export function formatEndpoint(e: Endpoint): string {
  return e.address.includes(':') ? `[${e.address}]:${String(e.port)}` : `${e.address}:${String(e.port)}`;
}

/** Milliseconds with sensible precision: 0.056 ms, 4.2 ms, 40 ms, 1.50 s. */
export function formatDuration(seconds: number): string {
  const ms = seconds * 1000;
  if (ms < 1) return `${ms.toFixed(3)} ms`;
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
}

interface SideName {
  readonly en: string;
  readonly zh: string;
  readonly ep: string;
}

function sideName(side: Side, c: Connection): SideName {
  return endName(side, side === 'client' ? c.client : c.server);
}

function endName(side: Side, end: ConnectionEnd): SideName {
  const ep = formatEndpoint(end.endpoint);
  return side === 'client' ? { en: `the client ${ep}`, zh: `客户端 ${ep}`, ep } : { en: `the server ${ep}`, zh: `服务端 ${ep}`, ep };
}

/** sideName, made once per connection and side. */
function nameOf(ctx: Ctx, side: Side): SideName {
  const k = side === 'client' ? 0 : 1;
  return (ctx.names[k] ??= sideName(side, ctx.c));
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function uniqueSorted(lines: number[]): number[] {
  let sorted = true;
  for (let k = 1; k < lines.length; k++) {
    if (lines[k]! <= lines[k - 1]!) {
      sorted = false;
      break;
    }
  }
  if (sorted) return lines; // segments come in capture order: usually already ascending and unique
  lines.sort((a, b) => a - b);
  const out: number[] = [];
  for (const l of lines) if (out.length === 0 || out[out.length - 1] !== l) out.push(l);
  return out;
}

interface Draft {
  code: string;
  severity: Severity;
  lines: number[];
  message: Localized;
  cause?: Localized;
  fix?: Localized;
}

function finding(c: Connection, d: Draft): Finding {
  const { code, severity, message, cause, fix } = d;
  const lines = uniqueSorted(d.lines);
  const connection = c.id;
  // One literal per combination, so that every field sits inside the object (no separate property store).
  if (cause && fix) return { code, severity, lines, connection, message, cause, fix };
  if (cause) return { code, severity, lines, connection, message, cause };
  if (fix) return { code, severity, lines, connection, message, fix };
  return { code, severity, lines, connection, message };
}

// ---------------------------------------------------------------------------------------------------------------
// What the findings note while the rebuild runs.
//
// Every rule below reads a connection's segments. Instead of walking them again after the rebuild (a second pass
// over every segment), the collector is shown each segment as pass 3 goes (`replayed`) and keeps only what a rule
// will need: the delayed-ACK stalls found, the window reopenings, the data after a half-close. `emit` then writes a
// connection's findings from its notes, in the rules' order, with work proportional to what was noted. The flag
// findings are the exception: they read the flag bits of the connection's segments at `emit`, and only for a
// connection with one of their flags (noting them per connection cost more than the read: a list per flag and side).

/** What the collector noted about one connection (made for the connections that need it, each part on first use). */
export interface FindingNotes {
  /** Lines of the RSTs (not of a refused connection), and of the FINs of a simultaneous close (not the resent ones). */
  rstLines: number[] | undefined;
  finLines: number[] | undefined;
  stalls: StallNotes | undefined;
  window: WindowNotes | undefined;
  halfClose: HalfCloseNotes | undefined;
}

/** Delayed-ACK stalls per side (0: the client waited): their three lines each, and how long the sender waited. */
interface StallNotes {
  readonly lines: [number[], number[]];
  readonly waits: [number[], number[]];
}

/** Window reopenings per side: the last window seen, when it went to zero, the reopening lines and stall times. */
interface WindowNotes {
  readonly lastWindow: [number | undefined, number | undefined];
  readonly zeroAt: [number | undefined, number | undefined];
  readonly lines: [number[], number[]];
  readonly stalls: [number[], number[]];
}

/** After the first FIN (a half-close): the peer's new data (line, length pairs), where it ends, the closer's ACK. */
interface HalfCloseNotes {
  readonly dataAfter: number[];
  dataEnd: number | undefined;
  ackedTo: number | undefined;
  peerFinSeen: boolean;
}

const ZERO_WINDOW_BIT = flagBit('zero-window');
const KEEP_ALIVE_BIT = flagBit('keep-alive');
const RETRANSMISSION_BIT = flagBit('retransmission');
/** Flags that make the next segment's wait not a Nagle stall (see delayedAckStall). */
const RESENT_BITS = flagBit('retransmission') | flagBit('fast-retransmission') | flagBit('spurious-retransmission');
const RECOVERY_BITS = flagBit('window-full') | flagBit('retransmission') | flagBit('fast-retransmission');

/**
 * Shown every segment while the rebuild runs (see above); then writes each connection's findings. `flagBits` are the
 * per-segment analysis flags (analysis/segments.ts), `table` the replay's per-segment results.
 */
export class FindingCollector {
  /** What is noted per connection id while the replay runs (null: nothing yet), until `emit`. See `begin`. */
  private notes: (FindingNotes | null)[] = objectList();
  /** The context of `emit` (made at the first one). */
  private ctx: Ctx | undefined;

  constructor(
    private readonly norm: NormTable,
    private readonly table: ReplayTable,
    private readonly flagBits: Uint16Array,
  ) {}

  /** Before the replay: the number of connections (pass 1 is over). */
  begin(connections: number): void {
    this.notes = objectArray(connections);
  }

  private notesOf(conn: ConnBuilder): FindingNotes {
    return (this.notes[conn.id] ??= { rstLines: undefined, finLines: undefined, stalls: undefined, window: undefined, halfClose: undefined });
  }

  /**
   * Pass 3: segment i, at position k of its connection, was replayed (its step is known); `n` is its row, `indexes`
   * the connection's segments so far in capture order (Connection.segmentIndexes while the replay fills it), `open`
   * how it opened.
   */
  replayed(conn: ConnBuilder, i: number, k: number, n: NormalisedSegment, indexes: readonly number[], open: OpenOutcome): void {
    if (k >= 2) this.delayedAck(conn, indexes[k - 2]!, indexes[k - 1]!, i);
    if (n.rst && open !== 'refused') (this.notesOf(conn).rstLines ??= []).push(n.line);
    if (n.fin && closeOutcome(conn) === 'simultaneous' && !stepOf(this.table, i).again) (this.notesOf(conn).finLines ??= []).push(n.line);
    if (conn.flagBits & ZERO_WINDOW_BIT) {
      const notes = this.notesOf(conn);
      windowReopening((notes.window ??= { lastWindow: [undefined, undefined], zeroAt: [undefined, undefined], lines: [[], []], stalls: [[], []] }), n, this.norm);
    }
    if (conn.halfClose && conn.firstFin >= 0 && i > conn.firstFin) {
      const notes = this.notesOf(conn);
      halfCloseData((notes.halfClose ??= { dataAfter: [], dataEnd: undefined, ackedTo: undefined, peerFinSeen: false }), conn.firstFinSide, n);
    }
  }

  /**
   * Nagle + delayed ACK, on three consecutive segments of a connection: data from A, a pure ACK from B 30-500 ms
   * later with nothing from A in between, and A's next small segment right after the ACK (see delayedAckStall).
   */
  private delayedAck(conn: ConnBuilder, prevI: number, ackI: number, nextI: number): void {
    const norm = this.norm;
    const ackBits = norm.bits[ackI]!;
    if (norm.len[ackI]! > 0 || ackBits & (N_SYN | N_FIN | N_RST)) return;
    const prevBits = norm.bits[prevI]!;
    const pFromClient = (prevBits & N_CLIENT) !== 0;
    if (pFromClient === ((ackBits & N_CLIENT) !== 0) || norm.len[prevI] === 0) return;
    const nextBits = norm.bits[nextI]!;
    const nextLen = norm.len[nextI]!;
    if (((nextBits & N_CLIENT) !== 0) !== pFromClient || nextLen === 0 || stepOf(this.table, nextI).phase === 'handshake') return;
    if (this.flagBits[nextI]! & RESENT_BITS) return;
    // The ACK must cover the data segment.
    if ((ackBits & N_ACKNO) === 0 || (prevBits & N_SEQ) === 0 || norm.ack[ackI] !== norm.next(prevI)) return;
    if ((prevBits & N_TIME) === 0 || (ackBits & N_TIME) === 0 || (nextBits & N_TIME) === 0) return;
    const t0 = norm.time[prevI]!;
    const t1 = norm.time[ackI]!;
    const t2 = norm.time[nextI]!;
    const wait = t1 - t0;
    const resume = t2 - t1;
    if (wait < 0.03 || wait > 0.5) return;
    const irttMs = irttMsOf(conn);
    const irtt = irttMs !== undefined ? irttMs / 1000 : undefined;
    if (irtt !== undefined && wait < 5 * irtt) return;
    if (resume > Math.max(0.005, wait / 10)) return;
    // Nagle holds only segments smaller than a full one: the peer's MSS, less 12 bytes of timestamp option if used.
    const mss = (pFromClient ? conn.server : conn.client).options?.mss;
    const timestamps = conn.client.options?.timestamps === true && conn.server.options?.timestamps === true;
    const full = mss !== undefined ? mss - (timestamps ? 12 : 0) : undefined;
    if (full !== undefined && nextLen >= full) return;
    // Waiting because the window was full, or for a lost segment, is flow or loss recovery, not Nagle.
    if (this.flagBits[prevI]! & RECOVERY_BITS) return;
    const s = pFromClient ? 0 : 1;
    const stalls = (this.notesOf(conn).stalls ??= { lines: [[], []], waits: [[], []] });
    stalls.lines[s].push(norm.line[prevI]!, norm.line[ackI]!, norm.line[nextI]!);
    stalls.waits[s].push(wait);
  }

  /** The findings of connection `conn`, rebuilt as `c` (pass 3 is over), appended to `out`; returns the work done. */
  emit(conn: ConnBuilder, c: Connection, out: Finding[]): number {
    const notes = this.notes[conn.id] ?? undefined;
    // One context, filled again for each connection (the rules keep nothing of it).
    let ctx = this.ctx;
    if (ctx === undefined) {
      ctx = { c, builder: conn, notes, out, norm: this.norm, table: this.table, flagBits: this.flagBits, names: [undefined, undefined] };
      this.ctx = ctx;
    } else {
      ctx.c = c;
      ctx.builder = conn;
      ctx.notes = notes;
      ctx.out = out;
      ctx.names[0] = undefined;
      ctx.names[1] = undefined;
    }
    const before = out.length;
    openingFindings(ctx);
    let work = flagFindings(ctx);
    resetFinding(ctx);
    closingFindings(ctx);
    delayedAckStall(ctx);
    if (notes !== undefined) this.notes[conn.id] = null;
    for (let k = before; k < out.length; k++) work += out[k]!.lines.length;
    return work;
  }
}

/** Pass 3 for a connection with a zero window: when each side reopens it, and after how long. */
function windowReopening(notes: WindowNotes, n: NormalisedSegment, norm: NormTable): void {
  const s = n.side;
  const w = norm.windowOf(n.index);
  if (w === undefined) return;
  if (w === 0 && notes.zeroAt[s] === undefined) notes.zeroAt[s] = norm.timeOf(n.index) ?? NaN;
  if (w > 0 && notes.lastWindow[s] === 0) {
    notes.lines[s].push(n.line);
    const t0 = notes.zeroAt[s];
    const t1 = norm.timeOf(n.index);
    if (t0 !== undefined && !Number.isNaN(t0) && t1 !== undefined) notes.stalls[s].push(t1 - t0);
    notes.zeroAt[s] = undefined;
  }
  notes.lastWindow[s] = w;
}

/** Pass 3 after the first FIN of a half-closed connection: the peer's data up to its own FIN, the closer's ACKs. */
function halfCloseData(notes: HalfCloseNotes, closerSide: number, n: NormalisedSegment): void {
  if (n.side !== closerSide) {
    if (n.len > 0 && !notes.peerFinSeen && n.hasSeq) {
      notes.dataAfter.push(n.line, n.len);
      notes.dataEnd = n.relNext - (n.fin ? 1 : 0);
    }
    if (n.fin) notes.peerFinSeen = true;
  } else if (n.hasAck && !n.rst) {
    notes.ackedTo = n.relAck;
  }
}

interface Ctx {
  c: Connection;
  builder: ConnBuilder;
  notes: FindingNotes | undefined;
  out: Finding[];
  readonly norm: NormTable;
  readonly table: ReplayTable;
  readonly flagBits: Uint16Array;
  /** The connection's two ends as `sideName` words them (made on first use). */
  readonly names: [SideName | undefined, SideName | undefined];
}

function lineOf(ctx: Ctx, i: number): number {
  return ctx.norm.line[i]!;
}

function timeOf(ctx: Ctx, i: number): number | undefined {
  return ctx.norm.timeOf(i);
}

function intervals(ctx: Ctx, idx: readonly number[]): number[] | undefined {
  const out: number[] = [];
  for (let k = 1; k < idx.length; k++) {
    const a = timeOf(ctx, idx[k - 1]!);
    const b = timeOf(ctx, idx[k]!);
    if (a === undefined || b === undefined) return undefined;
    out.push(b - a);
  }
  return out;
}

function listIntervals(v: readonly number[]): string {
  return v.map((x) => (x >= 1 ? `${x.toFixed(1)} s` : formatDuration(x))).join(', ');
}

/** Does the series look like Linux 6.x: up to four ~1 s gaps, then doubling? Or classic doubling from ~1 s? */
function backoffShape(v: readonly number[]): 'linear-then-exponential' | 'exponential' | 'other' {
  if (v.length < 2) return 'other';
  const near = (x: number, y: number): boolean => Math.abs(x - y) <= Math.max(0.25, y * 0.25);
  // tcp_syn_linear_timeouts = 4: the timer stays at 1 s for the first retransmissions (five 1 s gaps were measured on
  // Linux 6.18: the initial timeout plus four linear ones), then doubles.
  let k = 0;
  while (k < v.length && k < 6 && near(v[k]!, 1)) k++;
  if (k >= 2) {
    let expect = 2;
    for (let j = k; j < v.length; j++, expect *= 2) if (!near(v[j]!, expect)) return 'other';
    return 'linear-then-exponential';
  }
  let expect = v[0]!;
  for (let j = 1; j < v.length; j++) {
    expect *= 2;
    if (!near(v[j]!, expect)) return 'other';
  }
  return 'exponential';
}

const HANDSHAKE_CAUSE = L(
  'SYN, SYN,ACK, ACK: connect() returned on the client when the SYN,ACK arrived; the server\'s accept() could return once the final ACK put the connection in the accept queue. The initial RTT is measured as Wireshark does, from the SYN to the ACK of the SYN,ACK.',
  'SYN、SYN,ACK、ACK：客户端收到 SYN,ACK 时 connect() 返回；最后一个 ACK 到达后连接进入服务端的全连接队列，accept() 才能取到它。初始 RTT 与 Wireshark 的算法一致：从 SYN 到对 SYN,ACK 的确认。',
);

/** The handshake finding's message (a LazyText writer): `p` and `q` are the client and server, `a` the iRTT in ms. */
function handshakeText(t: LazyText, lang: Lang): string {
  const c = { client: t.p, server: t.q!, irttMs: t.a };
  const client = endName('client', c.client);
  const server = endName('server', c.server);
  const irtt = c.irttMs !== undefined ? c.irttMs / 1000 : undefined;
  const opts: string[] = [];
  if (c.client.mss !== undefined && c.server.mss !== undefined) opts.push(`MSS ${c.client.mss}/${c.server.mss}`);
  if (c.client.wscale !== undefined && c.server.wscale !== undefined) opts.push(`wscale ${c.client.wscale}/${c.server.wscale}`);
  if (c.client.sackPermitted && c.server.sackPermitted) opts.push('SACK');
  if (c.client.timestamps && c.server.timestamps) opts.push('timestamps');
  const optsText = opts.join(', ');
  if (lang === 'en') {
    const rtt = irtt !== undefined ? ` (initial RTT ${formatDuration(irtt)})` : '';
    const o = opts.length > 0 ? `; options ${optsText}` : '';
    return `Three-way handshake: ${client.en} connected to ${server.en}${rtt}${o}.`;
  }
  const rttZh = irtt !== undefined ? `（初始往返时间 iRTT ${formatDuration(irtt)}）` : '';
  const oZh = opts.length > 0 ? `；协商选项 ${optsText}` : '';
  return `三次握手完成：${client.zh} 连接到${server.zh}${rttZh}${oZh}。`;
}

function openingFindings(ctx: Ctx): void {
  const { c } = ctx;
  const b = ctx.builder;
  const rstIndex = c.open === 'refused' ? b.firstRst : undefined;
  // The first SYN and SYN,ACK; whether there were more (EndFacts keeps a list once there is a second one).
  const firstSyn = b.client.firstSyn;
  const firstSynAck = b.server.firstSynAck;
  const synAgain = b.client.syns !== undefined;
  const synAckAgain = b.server.synAcks !== undefined;

  if (c.open === 'handshake' && c.handshakeComplete) {
    // The last SYN before the SYN,ACK (the one it answered), the first SYN,ACK, the client's ACK of it.
    const handshakeLines =
      b.handshakeAckIndex !== undefined && firstSynAck >= 0
        ? [lineOf(ctx, firstSyn >= 0 ? firstSyn : firstSynAck), lineOf(ctx, firstSynAck), lineOf(ctx, b.handshakeAckIndex)]
        : [];
    ctx.out.push(
      finding(c, {
        code: 'handshake',
        severity: 'info',
        lines: handshakeLines,
        message: new LazyText(handshakeText, c.client, c.server, c.irttMs, 0),
        cause: HANDSHAKE_CAUSE,
      }),
    );
  }

  if (c.open === 'simultaneous') {
    const client = nameOf(ctx, 'client');
    const server = nameOf(ctx, 'server');
    const lines = [...synIndexes(b.client), ...synIndexes(b.server)].map((i) => lineOf(ctx, i));
    ctx.out.push(
      finding(c, {
        code: 'simultaneous-open',
        severity: 'info',
        lines,
        message: L(
          `Simultaneous open: ${client.ep} and ${server.ep} both sent a SYN without ACK; each end went SYN-SENT -> SYN-RECEIVED -> ESTABLISHED.`,
          `同时打开：${client.ep} 和${server.ep} 都发送了不带 ACK 的 SYN；两端都经历 SYN-SENT -> SYN-RECEIVED -> ESTABLISHED。`,
        ),
        cause: L(
          'Both applications called connect() toward each other with fixed ports, or a NAT/peer-to-peer hole-punching program did so on purpose. RFC 9293 supports it; it is rare in client/server traffic. (Client and server here are only the first and second SYN sender.)',
          '双方应用都用固定端口互相 connect()，或者 NAT 打洞之类的点对点程序有意为之。RFC 9293 支持这种打开方式，但在普通的客户端/服务端通信中很少见。（这里的"客户端/服务端"只是第一个和第二个发送 SYN 的一方。）',
        ),
      }),
    );
  }

  if (c.open === 'mid-stream') {
    const first = c.segmentIndexes[0]!;
    ctx.out.push(
      finding(c, {
        code: 'mid-stream-start',
        severity: 'info',
        lines: [lineOf(ctx, first)],
        message: L(
          `The capture starts in the middle of the connection ${formatEndpoint(c.client.endpoint)} <-> ${formatEndpoint(c.server.endpoint)}: no SYN was captured${c.rolesGuessed ? '; client and server are guessed from the port numbers (the ephemeral port is taken as the client)' : ''}.`,
          `抓包从连接 ${formatEndpoint(c.client.endpoint)} <-> ${formatEndpoint(c.server.endpoint)} 的中途开始：没有抓到 SYN${c.rolesGuessed ? '；客户端/服务端是根据端口号猜测的（临时端口一侧视为客户端）' : ''}。`,
        ),
        cause: L(
          'The connection was opened before tcpdump/tshark started. Options negotiated in the handshake (window scale, MSS, SACK) are unknown, so window sizes cannot be scaled and the states of both ends before the first segment are assumed ESTABLISHED.',
          '连接在 tcpdump/tshark 启动之前就已建立。握手中协商的选项（窗口缩放、MSS、SACK）未知，因此窗口大小无法换算，第一个报文之前两端的状态按 ESTABLISHED 推定。',
        ),
        fix: L(
          'Start the capture before the connection opens (or reconnect while capturing) to see the handshake and real window sizes.',
          '在连接建立之前开始抓包（或在抓包时重新建立连接），才能看到握手过程和真实的窗口大小。',
        ),
      }),
    );
  }

  if (c.open === 'refused') {
    const client = nameOf(ctx, 'client');
    const server = nameOf(ctx, 'server');
    const lines = [...synIndexes(b.client).map((i) => lineOf(ctx, i))];
    if (rstIndex !== undefined) lines.push(lineOf(ctx, rstIndex));
    const port = String(c.server.endpoint.port);
    ctx.out.push(
      finding(c, {
        code: 'connection-refused',
        severity: 'error',
        lines,
        message: L(
          `Connection refused: ${server.en} answered the SYN from ${client.ep} with RST,ACK. connect() fails with ECONNREFUSED ("Connection refused").`,
          `连接被拒绝：${server.zh} 用 RST,ACK 回应了${client.ep} 的 SYN。connect() 失败，错误为 ECONNREFUSED（Connection refused）。`,
        ),
        cause: L(
          `Nothing was listening on port ${port} at ${c.server.endpoint.address} (the service is down, listens on another port or address, e.g. 127.0.0.1 instead of 0.0.0.0), or a firewall rule rejects with tcp-reset. The RST came back at once, so the host itself is reachable.`,
          `${c.server.endpoint.address} 的 ${port} 端口上没有进程在监听（服务没启动、监听在别的端口或地址上，例如只监听 127.0.0.1 而不是 0.0.0.0），或者防火墙规则以 tcp-reset 方式拒绝。RST 立即返回，说明主机本身是可达的。`,
        ),
        fix: L(
          `On the server: ss -lnt | grep ':${port}' to see whether (and on which address) something listens; start the service or fix its bind address; check iptables/nft rules with REJECT --reject-with tcp-reset.`,
          `在服务端执行 ss -lnt | grep ':${port}'，确认是否有进程监听以及监听的地址；启动服务或修正绑定地址；检查 iptables/nft 中带 REJECT --reject-with tcp-reset 的规则。`,
        ),
      }),
    );
  }

  if (synAgain) {
    const clientSyns = synIndexes(b.client);
    const client = nameOf(ctx, 'client');
    const v = intervals(ctx, clientSyns);
    const shape = v ? backoffShape(v) : 'other';
    const outcome =
      c.open === 'refused'
        ? L('then the server refused it', '随后被服务端拒绝')
        : c.handshakeComplete || firstSynAck >= 0
          ? L('then the server answered', '随后服务端作出了应答')
          : L('no answer was captured; connect() eventually fails with ETIMEDOUT ("Connection timed out")', '抓包中没有任何应答；connect() 最终会以 ETIMEDOUT（Connection timed out）失败');
    const gaps = v ? ` (intervals ${listIntervals(v)})` : '';
    const gapsZh = v ? `（间隔 ${listIntervals(v)}）` : '';
    const allLinear = v !== undefined && v.every((x) => Math.abs(x - 1) <= 0.25);
    const shapeText = allLinear
      ? L(
          ' They come every ~1 s: Linux 6.x keeps the first SYN retransmissions on a linear 1 s timer (tcp_syn_linear_timeouts, default 4) before exponential back-off.',
          ' 重传间隔约为 1 秒：Linux 6.x 的前几次 SYN 重传使用线性的 1 秒定时器（tcp_syn_linear_timeouts，默认 4），之后才指数退避。',
        )
      : shape === 'linear-then-exponential'
        ? L(
            ' The first retransmissions come every ~1 s and then double: Linux 6.x\'s tcp_syn_linear_timeouts (default 4) keeps the first SYN retransmissions on a linear 1 s timer before exponential back-off.',
            ' 前几次重传间隔约 1 秒，之后翻倍：这是 Linux 6.x 的 tcp_syn_linear_timeouts（默认 4）——前几次 SYN 重传使用线性的 1 秒定时器，之后才指数退避。',
          )
        : shape === 'exponential'
          ? L(' The intervals double each time: classic exponential back-off from a 1 s initial timeout.', ' 间隔逐次翻倍：从 1 秒初始超时开始的经典指数退避。')
          : L('', '');
    ctx.out.push(
      finding(c, {
        code: 'syn-retransmission',
        severity: c.handshakeComplete ? 'warning' : 'error',
        lines: clientSyns.map((i) => lineOf(ctx, i)),
        message: L(
          `${cap(client.en)} sent its SYN ${clientSyns.length} times${gaps}; ${outcome.en}.${shapeText.en}`,
          `${client.zh} 发送了 ${clientSyns.length} 次 SYN${gapsZh}；${outcome['zh-cn']}。${shapeText['zh-cn']}`,
        ),
        cause: L(
          'The SYN or the SYN,ACK was lost: the server host is down or unreachable, a firewall silently drops the SYN, or the listener drops SYNs because its SYN queue or accept queue is full (the application is not calling accept() fast enough).',
          'SYN 或 SYN,ACK 丢失：服务端主机宕机或不可达、防火墙静默丢弃了 SYN，或者监听端的半连接队列/全连接队列已满而丢弃 SYN（应用 accept() 太慢）。',
        ),
        fix: L(
          'Check reachability and firewall DROP rules; on the server, ss -lnt shows Recv-Q (queued connections) against Send-Q (the backlog) and netstat -s counts "SYNs to LISTEN sockets dropped" and "times the listen queue of a socket overflowed". Raise the backlog (listen(), net.core.somaxconn: 4096 since Linux 5.4, 128 before) and net.ipv4.tcp_max_syn_backlog; keep net.ipv4.tcp_syncookies=1. net.ipv4.tcp_syn_retries (default 6) bounds how long connect() keeps trying: lower it to fail faster, at the cost of giving up sooner on lossy paths.',
          '检查网络可达性和防火墙 DROP 规则；在服务端用 ss -lnt 对比 Recv-Q（排队的连接数）和 Send-Q（backlog），netstat -s 中的 "SYNs to LISTEN sockets dropped" 和 "times the listen queue of a socket overflowed" 也会计数。调大 backlog（listen() 参数和 net.core.somaxconn：Linux 5.4 起默认 4096，之前为 128）以及 net.ipv4.tcp_max_syn_backlog；保持 net.ipv4.tcp_syncookies=1。net.ipv4.tcp_syn_retries（默认 6）决定 connect() 重试多久：调小可以更快失败，代价是在丢包的链路上更早放弃。',
        ),
      }),
    );
  }

  if (synAckAgain) {
    const serverSynAcks = synAckIndexes(b.server);
    const server = nameOf(ctx, 'server');
    const v = intervals(ctx, serverSynAcks);
    const gaps = v ? ` (intervals ${listIntervals(v)})` : '';
    const gapsZh = v ? `（间隔 ${listIntervals(v)}）` : '';
    const answeredSyn = synAgain;
    ctx.out.push(
      finding(c, {
        code: 'synack-retransmission',
        severity: 'warning',
        lines: serverSynAcks.map((i) => lineOf(ctx, i)),
        message: L(
          `${cap(server.en)} sent its SYN,ACK ${serverSynAcks.length} times${gaps}${c.handshakeComplete ? '' : ' and never got the final ACK'}.`,
          `${server.zh} 发送了 ${serverSynAcks.length} 次 SYN,ACK${gapsZh}${c.handshakeComplete ? '' : '，始终没有收到最后的 ACK'}。`,
        ),
        cause: answeredSyn
          ? L(
              'The client retransmitted its SYN, and a listener answers every copy with its SYN,ACK; or the SYN,ACK itself was lost on the way back.',
              '客户端重传了 SYN，监听端对每一个 SYN 都会回复 SYN,ACK；或者 SYN,ACK 在返回途中丢失。',
            )
          : L(
              'The handshake\'s final ACK did not reach the server (lost, or the client is gone), so the half-open connection stayed in SYN-RECEIVED and the server retransmitted. Many of these across clients is the signature of a SYN flood with spoofed sources.',
              '握手最后的 ACK 没有到达服务端（丢失，或者客户端已不存在），半连接停留在 SYN-RECEIVED，服务端因此重传。如果大量客户端都是这样，通常是伪造源地址的 SYN 洪水攻击。',
            ),
        fix: L(
          'net.ipv4.tcp_synack_retries (default 5, about 1+2+4+8+16 s plus a final 32 s wait before the half-open connection is dropped) controls the retries; lowering it frees the SYN queue sooner under a flood. Keep net.ipv4.tcp_syncookies=1 so that a full SYN queue does not refuse legitimate clients.',
          'net.ipv4.tcp_synack_retries（默认 5，约 1+2+4+8+16 秒再加最后 32 秒等待，之后丢弃半连接）控制重试次数；在洪水攻击下调小它可以更快释放半连接队列。保持 net.ipv4.tcp_syncookies=1，半连接队列满时也不会拒绝正常客户端。',
        ),
      }),
    );
  }

  if (c.portReuse) {
    const first = c.segmentIndexes[0]!;
    const lines = [lineOf(ctx, first)];
    ctx.out.push(finding(c, { code: 'port-reuse', severity: 'info', lines, message: new LazyText(portReuseText, c.client, c.server, undefined, 0, c), cause: PORT_REUSE_CAUSE }));
  }
}

/**
 * The port-reuse finding's message (a LazyText writer): `p` and `q` are the client and server, `c` the connection,
 * whose `previous` is read when the text is written (an edit may have renumbered it since).
 */
function portReuseText(t: LazyText, lang: Lang): string {
  const c = { client: t.p, server: t.q!, previous: t.c!.previous };
  return lang === 'en'
    ? `Port reuse: the 4-tuple ${formatEndpoint(c.client.endpoint)} -> ${formatEndpoint(c.server.endpoint)} carried connection #${String((c.previous ?? 0) + 1)} earlier in this capture; this SYN starts a new connection on it (a new initial sequence number).`
    : `端口复用：四元组 ${formatEndpoint(c.client.endpoint)} -> ${formatEndpoint(c.server.endpoint)} 在本次抓包中先前承载过连接 #${String((c.previous ?? 0) + 1)}；这个 SYN（新的初始序列号）在它上面开始了新连接。`;
}

const PORT_REUSE_CAUSE = L(
  'The client bound the same source port again (bind() with SO_REUSEADDR, or the kernel picked it again from net.ipv4.ip_local_port_range). If the previous connection\'s TIME-WAIT was still on the client, Linux allows this only with net.ipv4.tcp_tw_reuse (for outgoing connections, with timestamps on) and the server side accepts a SYN for its TIME-WAIT socket when the new sequence number or timestamp is higher.',
  '客户端再次使用了同一个源端口（bind() 配合 SO_REUSEADDR，或内核从 net.ipv4.ip_local_port_range 中再次选中）。如果上一个连接的 TIME-WAIT 还在客户端，Linux 只有在开启 net.ipv4.tcp_tw_reuse（仅对主动发起的连接、需开启时间戳）时才允许；服务端对处于 TIME-WAIT 的套接字，只在新 SYN 的序列号或时间戳更大时接受。',
);

interface FlagText {
  readonly code: string;
  readonly severity: Severity;
  readonly flag: AnalysisFlag;
  /** The message in one language (for `count` segments of the side `who`). */
  readonly message: (count: number, who: { en: string; zh: string }, lang: Lang) => string;
  readonly cause: Localized;
  readonly fix?: Localized;
}

const FLAG_FINDINGS: readonly FlagText[] = [
  {
    code: 'retransmission',
    severity: 'warning',
    flag: 'retransmission',
    message: (n, who, lang) =>
      lang === 'en' ? `${cap(who.en)} retransmitted ${n} segment${n === 1 ? '' : 's'} after a timeout.` : `${who.zh} 因超时重传了 ${n} 个报文段。`,
    cause: L(
      'No ACK came back within the retransmission timeout (RTO): the segment or its ACK was lost (congestion, a bad link, a firewall), or the receiver was stalled. Timeout retransmissions cut the congestion window to its minimum, so throughput drops sharply.',
      '在重传超时（RTO）内没有收到 ACK：报文段或它的 ACK 丢失（拥塞、链路质量差、防火墙），或者接收端卡住了。超时重传会把拥塞窗口降到最小，吞吐量会明显下降。',
    ),
    fix: L(
      'Look for loss on the path (ping, mtr, interface error counters, netstat -s "segments retransmitted"); after about 15 tries (net.ipv4.tcp_retries2, ~15 minutes) Linux gives up with ETIMEDOUT.',
      '排查路径上的丢包（ping、mtr、网卡错误计数、netstat -s 的 "segments retransmitted"）；重试约 15 次（net.ipv4.tcp_retries2，约 15 分钟）后 Linux 会以 ETIMEDOUT 放弃连接。',
    ),
  },
  {
    code: 'fast-retransmission',
    severity: 'warning',
    flag: 'fast-retransmission',
    message: (n, who, lang) =>
      lang === 'en' ? `${cap(who.en)} fast-retransmitted ${n} segment${n === 1 ? '' : 's'} after duplicate ACKs.` : `${who.zh} 在收到重复 ACK 后快速重传了 ${n} 个报文段。`,
    cause: L(
      'The receiver kept acknowledging the same byte (duplicate ACKs, with SACK blocks telling what did arrive), so the sender resent the missing segment without waiting for the timeout. This is how TCP recovers from isolated losses; the congestion window is halved rather than reset.',
      '接收端一直确认同一个字节（重复 ACK，并用 SACK 块告知已收到的数据），发送端不等超时就重发缺失的报文段。这是 TCP 应对零星丢包的正常方式；拥塞窗口减半而不是重置。',
    ),
    fix: L(
      'Occasional fast retransmissions are normal; many of them mean steady packet loss on the path: check links, queues and NIC drops.',
      '偶尔的快速重传是正常的；大量出现说明路径上持续丢包：检查链路、队列和网卡丢包。',
    ),
  },
  {
    code: 'spurious-retransmission',
    severity: 'info',
    flag: 'spurious-retransmission',
    message: (n, who, lang) =>
      lang === 'en' ? `${cap(who.en)} resent ${n} segment${n === 1 ? '' : 's'} the peer had already acknowledged.` : `${who.zh} 重发了 ${n} 个对端已经确认过的报文段。`,
    cause: L(
      'The ACK was delayed or lost, or the RTO fired too early (a sudden RTT increase): the data had arrived and the retransmission was not needed. The receiver answers it with a duplicate ACK (a D-SACK block when SACK is on).',
      'ACK 被延迟或丢失，或者 RTO 过早触发（RTT 突然变大）：数据其实已经到达，这次重传是多余的。接收端会用重复 ACK（开启 SACK 时带 D-SACK 块）回应。',
    ),
  },
  {
    code: 'out-of-order',
    severity: 'warning',
    flag: 'out-of-order',
    message: (n, who, lang) =>
      lang === 'en' ? `${n} segment${n === 1 ? '' : 's'} from ${who.en} arrived out of order.` : `${who.zh} 发出的 ${n} 个报文段乱序到达。`,
    cause: L(
      'A segment with a lower sequence number showed up shortly (within one initial RTT) after a higher one, as Wireshark defines out-of-order. On the receiving side this is reordering or a quick retransmission of a lost segment; if the capture was taken on the sending host, it is a retransmission (a sender does not reorder its own segments; SACK recovery resends holes right after new data).',
      '一个序号较小的报文段在序号更大的报文段之后不久（一个初始 RTT 以内）出现，这是 Wireshark 对乱序的定义。在接收端这意味着网络乱序或丢包后的快速重传；如果是在发送端主机上抓的包，它其实是重传（发送端不会打乱自己的报文顺序，SACK 恢复会在发送新数据后立刻补发空洞）。',
    ),
  },
  {
    code: 'duplicate-ack',
    severity: 'info',
    flag: 'duplicate-ack',
    message: (n, who, lang) =>
      lang === 'en' ? `${cap(who.en)} sent ${n} duplicate ACK${n === 1 ? '' : 's'}.` : `${who.zh} 发送了 ${n} 个重复 ACK。`,
    cause: L(
      'Each duplicate ACK says "I am still missing the byte at this number" while later data keeps arriving: a segment was lost or reordered. Three of them trigger a fast retransmission.',
      '每个重复 ACK 都表示"这个序号处的数据我还没收到"，而后续的数据仍在到达：有报文段丢失或乱序。连续三个重复 ACK 会触发快速重传。',
    ),
  },
  {
    code: 'previous-segment-not-captured',
    severity: 'warning',
    flag: 'previous-segment-not-captured',
    message: (n, who, lang) =>
      lang === 'en' ? `${n} gap${n === 1 ? '' : 's'} in the sequence numbers from ${who.en}: data before ${n === 1 ? 'a segment' : 'these segments'} was not in the capture.` : `${who.zh} 的序号中有 ${n} 处缺口：这些报文段之前的数据不在抓包中。`,
    cause: L(
      'Either the network lost the missing segment before it reached the capture point (on the receiving host this is real loss; duplicate ACKs and a retransmission follow), or the capture itself dropped packets (tcpdump prints "packets dropped by kernel" when it stops).',
      '要么缺失的报文段在到达抓包点之前就被网络丢弃了（在接收端抓包时这就是真实的丢包，随后会出现重复 ACK 和重传），要么是抓包本身丢了包（tcpdump 结束时会打印 "packets dropped by kernel"）。',
    ),
  },
  {
    code: 'acked-unseen-segment',
    severity: 'warning',
    flag: 'acked-unseen-segment',
    message: (n, who, lang) =>
      lang === 'en' ? `${cap(who.en)} acknowledged data that is not in the capture (${n} time${n === 1 ? '' : 's'}).` : `${who.zh} 确认了抓包中看不到的数据（${n} 次）。`,
    cause: L(
      'The data did reach the peer, so the capture missed it: the capture started late, dropped packets, or runs where only part of the traffic passes (another path, offloading, a different interface).',
      '数据确实到达了对端，是抓包漏掉了它：抓包启动晚了、抓包丢了包，或者抓包点只能看到部分流量（另一条路径、网卡卸载、不同的网卡）。',
    ),
  },
  {
    code: 'zero-window',
    severity: 'warning',
    flag: 'zero-window',
    message: (n, who, lang) =>
      lang === 'en' ? `${cap(who.en)} advertised a zero receive window ${n} time${n === 1 ? '' : 's'}: its receive buffer was full.` : `${who.zh} 通告了 ${n} 次零接收窗口：它的接收缓冲区满了。`,
    cause: L(
      'The receiving application was not reading from the socket (busy, blocked, or too slow), so the kernel buffer filled and the sender had to stop. The sender then probes the window with its persist timer until the window opens.',
      '接收方应用没有及时从套接字读取数据（忙、阻塞或处理太慢），内核缓冲区被填满，发送方只能停下。之后发送方用坚持定时器（persist timer）探测窗口，直到窗口重新打开。',
    ),
    fix: L(
      'Make the receiver read faster (a dedicated reader thread, bigger reads); a bigger buffer (SO_RCVBUF, net.ipv4.tcp_rmem) only delays the stall if the reader is slower than the sender on average. ss -tni on the receiver shows the growing Recv-Q.',
      '让接收方读得更快（专门的读线程、更大的读缓冲）；如果接收方平均速度就比发送方慢，加大缓冲区（SO_RCVBUF、net.ipv4.tcp_rmem）只能推迟停顿。在接收端用 ss -tni 可以看到不断增长的 Recv-Q。',
    ),
  },
  {
    code: 'zero-window-probe',
    severity: 'info',
    flag: 'zero-window-probe',
    message: (n, who, lang) =>
      lang === 'en' ? `${cap(who.en)} sent ${n} zero-window probe${n === 1 ? '' : 's'} while the peer's window was closed.` : `${who.zh} 在对端窗口关闭期间发送了 ${n} 个零窗口探测。`,
    cause: L(
      'The persist timer: with a zero window the sender asks every so often (backing off like the RTO) whether the window has opened, so that a lost window update cannot deadlock the connection. Linux probes with an empty segment whose sequence number is one below the next (Wireshark 4.0 labels these "TCP Keep-Alive").',
      '坚持定时器：窗口为零时，发送方每隔一段时间（像 RTO 一样退避）询问窗口是否已打开，避免窗口更新报文丢失导致连接死锁。Linux 的探测报文不带数据、序号比下一个序号小 1（Wireshark 4.0 会把它标成 "TCP Keep-Alive"）。',
    ),
  },
  {
    code: 'window-full',
    severity: 'info',
    flag: 'window-full',
    message: (n, who, lang) =>
      lang === 'en' ? `${cap(who.en)} filled the peer's receive window ${n} time${n === 1 ? '' : 's'}.` : `${who.zh} ${n} 次发满了对端的接收窗口。`,
    cause: L(
      'The data in flight reached the right edge of the window the receiver advertised: the sender must wait for an ACK that opens more window. Throughput is limited by the receiver (window / RTT), not by the network.',
      '在途数据到达了接收方通告窗口的右边界：发送方必须等待能打开更多窗口的 ACK。吞吐量受限于接收方（窗口 / RTT），而不是网络。',
    ),
    fix: L(
      'If it happens all the time, the receive window is too small for the bandwidth-delay product: check net.ipv4.tcp_rmem, that window scaling is on (net.ipv4.tcp_window_scaling=1) and that the application does not set a small SO_RCVBUF (which also disables autotuning).',
      '如果一直如此，说明接收窗口相对带宽时延积太小：检查 net.ipv4.tcp_rmem、窗口缩放是否开启（net.ipv4.tcp_window_scaling=1），以及应用是否设置了过小的 SO_RCVBUF（这还会关闭自动调优）。',
    ),
  },
  {
    code: 'keep-alive',
    severity: 'info',
    flag: 'keep-alive',
    message: (n, who, lang) =>
      lang === 'en' ? `${cap(who.en)} sent ${n} keep-alive probe${n === 1 ? '' : 's'}.` : `${who.zh} 发送了 ${n} 个保活探测。`,
    cause: L(
      'TCP keep-alive (SO_KEEPALIVE): after the connection has been idle for tcp_keepalive_time the kernel sends an empty segment one byte below the next sequence number, which the peer must answer with an ACK; unanswered probes are repeated every tcp_keepalive_intvl, and after tcp_keepalive_probes the connection is dropped with ETIMEDOUT. Linux defaults: 7200 s, 75 s, 9 (over 2 hours to notice a dead peer).',
      'TCP 保活（SO_KEEPALIVE）：连接空闲 tcp_keepalive_time 之后，内核发送一个不带数据、序号比下一个序号小 1 的报文，对端必须回 ACK；没有应答时每隔 tcp_keepalive_intvl 重发一次，连续 tcp_keepalive_probes 次无应答则以 ETIMEDOUT 断开连接。Linux 默认值：7200 秒、75 秒、9 次（发现对端死掉要 2 小时以上）。',
    ),
    fix: L(
      'To detect dead peers or keep NAT/firewall entries alive sooner, set per socket TCP_KEEPIDLE, TCP_KEEPINTVL and TCP_KEEPCNT (or the sysctls net.ipv4.tcp_keepalive_time/_intvl/_probes); an application-level heartbeat gives the same with more control.',
      '想更快发现对端失效或保持 NAT/防火墙表项，可在套接字上设置 TCP_KEEPIDLE、TCP_KEEPINTVL、TCP_KEEPCNT（或系统参数 net.ipv4.tcp_keepalive_time/_intvl/_probes）；应用层心跳也能达到同样目的，而且更可控。',
    ),
  },
];

/** The bits of FLAG_FINDINGS' flags, in its order, and all of them. */
const FLAG_FINDING_BITS: readonly number[] = FLAG_FINDINGS.map((spec) => flagBit(spec.flag));
const FLAG_FINDING_MASK = FLAG_FINDING_BITS.reduce((mask, bit) => mask | bit, 0);
/**
 * flagFindings' working lists, per FLAG_FINDINGS entry and side (index 2 * entry + side): the connection's segments
 * with that flag, in capture order; FLAGGED_COUNT says how many of each list's entries are the current connection's
 * (the lists are reused from connection to connection, and only ever grow).
 */
const FLAGGED: number[][] = FLAG_FINDING_BITS.flatMap(() => [[], []]);
const FLAGGED_COUNT = new Int32Array(FLAGGED.length);

/** One finding per flag of FLAG_FINDINGS and side that the connection's segments have; returns the segments read. */
function flagFindings(ctx: Ctx): number {
  const { c } = ctx;
  let read = 0;
  if (ctx.builder.flagBits & FLAG_FINDING_MASK) {
    FLAGGED_COUNT.fill(0);
    // Which lists have segments (bit 2 * entry + side).
    let used = 0;
    const indexes = c.segmentIndexes;
    const flagBits = ctx.flagBits;
    const normBits = ctx.norm.bits;
    for (let k = 0; k < indexes.length; k++) {
      const i = indexes[k]!;
      const bits = flagBits[i]! & FLAG_FINDING_MASK;
      if (bits === 0) continue;
      const nb = normBits[i]!;
      const side = nb & N_CLIENT ? 0 : 1;
      for (let f = 0; f < FLAG_FINDING_BITS.length; f++) {
        const bit = FLAG_FINDING_BITS[f]!;
        if ((bits & bit) === 0) continue;
        // SYN retransmissions have their own findings.
        if (bit === RETRANSMISSION_BIT && nb & N_SYN) continue;
        const list = 2 * f + side;
        FLAGGED[list]![FLAGGED_COUNT[list]!++] = i;
        used |= 1 << list;
      }
    }
    read = indexes.length;
    for (let f = 0; f < FLAG_FINDINGS.length; f++) {
      const spec = FLAG_FINDINGS[f]!;
      for (let s = 0; s < 2; s++) {
        if ((used & (1 << (2 * f + s))) === 0) continue;
        const list = FLAGGED[2 * f + s]!;
        const count = FLAGGED_COUNT[2 * f + s]!;
        // Keep-alives and window probes list their intervals (read from the segments now); the others are written
        // when read.
        const message =
          spec.flag === 'keep-alive' || spec.flag === 'zero-window-probe'
            ? withIntervals(ctx, flagMessage(spec, count, nameOf(ctx, s === 0 ? 'client' : 'server')), list.slice(0, count))
            : new LazyText(flagText, s === 0 ? c.client : c.server, undefined, 2 * f + s, count);
        const lines = new Array<number>(count);
        for (let k = 0; k < count; k++) lines[k] = lineOf(ctx, list[k]!);
        ctx.out.push(finding(c, { code: spec.code, severity: spec.severity, lines, message, cause: spec.cause, fix: spec.fix }));
      }
    }
  }
  // A reopened window needs a zero window first.
  if (ctx.builder.flagBits & ZERO_WINDOW_BIT) windowReopened(ctx);
  return read;
}

/** A flag finding's message in both languages, made now. */
function flagMessage(spec: FlagText, count: number, who: SideName): Localized {
  return L(spec.message(count, who, 'en'), spec.message(count, who, 'zh-cn'));
}

/** A flag finding's message (a LazyText writer): `p` is the side's end, `a` 2 * its FLAG_FINDINGS index + side, `b` the count. */
function flagText(t: LazyText, lang: Lang): string {
  const a = t.a!;
  return FLAG_FINDINGS[a >> 1]!.message(t.b, endName(a & 1 ? 'server' : 'client', t.p), lang);
}

/** The message with the intervals between the segments `idx` (one side's keep-alives or window probes). */
function withIntervals(ctx: Ctx, message: Localized, idx: readonly number[]): Localized {
  const v = intervals(ctx, idx);
  if (!v || v.length === 0) return message;
  return L(`${message.en.slice(0, -1)} (intervals ${listIntervals(v)}).`, `${message['zh-cn'].slice(0, -1)}（间隔 ${listIntervals(v)}）。`);
}

/** `window-update` as a finding only when it reopens a zero window (routine updates are not news). */
function windowReopened(ctx: Ctx): void {
  const window = ctx.notes?.window;
  if (window === undefined) return;
  const c = ctx.c;
  const lines = window.lines;
  const stalls = window.stalls;
  for (let s = 0; s < 2; s++) {
    if (lines[s]!.length === 0) continue;
    const who = nameOf(ctx, s === 0 ? 'client' : 'server');
    let longest: number | undefined;
    for (const x of stalls[s]!) if (longest === undefined || x > longest) longest = x;
    const dur = longest !== undefined ? ` after a stall of ${formatDuration(longest)}` : '';
    const durZh = longest !== undefined ? `，停顿了 ${formatDuration(longest)}` : '';
    ctx.out.push(
      finding(c, {
        code: 'window-update',
        severity: 'info',
        lines: lines[s]!,
        message: L(`${cap(who.en)} reopened its zero window${dur}.`, `${who.zh} 重新打开了零窗口${durZh}。`),
        cause: L(
          'The receiving application read data from the socket, freeing buffer space; the window update lets the sender resume.',
          '接收方应用从套接字读取了数据，释放了缓冲区空间；窗口更新让发送方恢复发送。',
        ),
      }),
    );
  }
}

const APP_SEES_RESET: ReadonlySet<TcpState> = new Set<TcpState>(['ESTABLISHED', 'CLOSE-WAIT', 'FIN-WAIT-1', 'FIN-WAIT-2', 'SYN-RECEIVED']);

/** Keep-alive probes the RST's sender sent just before it, with no answer in between. */
function probesBefore(ctx: Ctx, rstIndex: number, fromClient: boolean): number {
  let probes = 0;
  const indexes = ctx.c.segmentIndexes;
  for (let k = indexes.lastIndexOf(rstIndex) - 1; k >= 0; k--) {
    const j = indexes[k]!;
    if (((ctx.norm.bits[j]! & N_CLIENT) !== 0) !== fromClient) break;
    if ((ctx.flagBits[j]! & KEEP_ALIVE_BIT) === 0) break;
    probes++;
  }
  return probes;
}

function resetFinding(ctx: Ctx): void {
  const { c } = ctx;
  if (c.reset === undefined || c.open === 'refused') return;
  const r = c.reset;
  const by = nameOf(ctx, r.by);
  const peer = nameOf(ctx, r.by === 'client' ? 'server' : 'client');
  const lines = ctx.notes?.rstLines ?? [];
  const rsts = lines.length;
  const sender = r.senderState;
  const receiver = r.receiverState;
  const keepAliveGaveUp = sender === 'ESTABLISHED' && probesBefore(ctx, ctx.builder.firstRst!, r.by === 'client') >= 2;
  let why: Localized;
  if (sender === 'CLOSED' || sender === 'LISTEN' || sender === 'TIME-WAIT') {
    why = L(
      `${cap(by.en)} had no connection for what it received (its socket was already closed, the process or host had restarted, or state was lost on a middlebox), so it answered with RST.`,
      `${by.zh} 对收到的报文没有对应的连接（套接字已经关闭、进程或主机重启过，或中间设备丢失了状态），于是回复了 RST。`,
    );
  } else if (sender === 'FIN-WAIT-1' || sender === 'FIN-WAIT-2' || sender === 'LAST-ACK' || sender === 'CLOSING') {
    why = L(
      `${cap(by.en)} had already closed the socket (${sender}) and more data arrived for it: Linux resets a connection when data arrives after close(), because no application can read it any more.`,
      `${by.zh} 已经关闭了套接字（${sender}），之后又有数据到达：Linux 在 close() 之后收到数据时会重置连接，因为已经没有应用能读取这些数据。`,
    );
  } else if (keepAliveGaveUp) {
    why = L(
      `${cap(by.en)} sent keep-alive probes that went unanswered (the peer or the path is gone); after the last one (TCP_KEEPCNT / net.ipv4.tcp_keepalive_probes) its kernel dropped the connection with this RST, and its application got ETIMEDOUT ("Connection timed out").`,
      `${by.zh} 发出的保活探测都没有得到应答（对端或链路已经不在了）；最后一次探测（TCP_KEEPCNT / net.ipv4.tcp_keepalive_probes）之后，内核发送这个 RST 断开连接，其应用得到 ETIMEDOUT（Connection timed out）。`,
    );
  } else if (sender === 'SYN-SENT' || sender === 'SYN-RECEIVED') {
    why = L(
      `${cap(by.en)} abandoned the connection during the handshake (${sender}), e.g. a timeout in the application, or an accept queue overflow with net.ipv4.tcp_abort_on_overflow=1.`,
      `${by.zh} 在握手阶段（${sender}）放弃了连接，例如应用层超时，或者全连接队列溢出且 net.ipv4.tcp_abort_on_overflow=1。`,
    );
  } else {
    why = L(
      `${cap(by.en)} aborted the connection while it was ${sender}: the application called close() with SO_LINGER {on, 0 s}, or closed the socket with unread data in its receive buffer (Linux then sends RST instead of FIN), or the process was killed.`,
      `${by.zh} 在 ${sender} 状态下中止了连接：应用以 SO_LINGER {on, 0 秒} 调用 close()，或者在接收缓冲区还有未读数据时关闭了套接字（此时 Linux 发送 RST 而不是 FIN），或者进程被杀掉了。`,
    );
  }
  const sees = APP_SEES_RESET.has(receiver)
    ? receiver === 'SYN-RECEIVED'
      ? L(`${cap(peer.en)} drops its half-open connection.`, `${peer.zh} 丢弃这个半连接。`)
      : L(
          `${cap(peer.en)} was ${receiver}; its application's next recv() or send() fails with ECONNRESET ("Connection reset by peer"), or, for a write, EPIPE ("Broken pipe", with SIGPIPE unless ignored).`,
          `${peer.zh} 当时处于 ${receiver}；其应用的下一次 recv() 或 send() 会失败，得到 ECONNRESET（Connection reset by peer），写操作也可能得到 EPIPE（Broken pipe，未忽略时伴随 SIGPIPE 信号）。`,
        )
    : receiver === 'SYN-SENT'
      ? L(`${cap(peer.en)} was connecting: connect() fails with ECONNREFUSED.`, `${peer.zh} 正在连接：connect() 失败，得到 ECONNREFUSED。`)
      : L(`${cap(peer.en)} was ${receiver}: its application had already finished with the connection, so nobody sees an error.`, `${peer.zh} 当时处于 ${receiver}：其应用已经用完了这个连接，不会看到错误。`);
  const abortive = sender === 'ESTABLISHED' || sender === 'CLOSE-WAIT';
  ctx.out.push(
    finding(c, {
      code: 'reset',
      severity: APP_SEES_RESET.has(receiver) || receiver === 'SYN-SENT' ? 'error' : 'warning',
      lines,
      message: L(
        `${cap(by.en)} reset the connection (RST${rsts > 1 ? ` x${rsts}` : ''}) in state ${sender}. ${sees.en}`,
        `${by.zh} 在 ${sender} 状态下重置了连接（RST${rsts > 1 ? ` x${rsts}` : ''}）。${sees['zh-cn']}`,
      ),
      cause: why,
      fix: keepAliveGaveUp
        ? L(
            'Find out why the peer stopped answering (host down or rebooted, a firewall or NAT that dropped the connection\'s state, a broken path). Keep-alive did its job: it turned a silently dead connection into an error. Its timing is TCP_KEEPIDLE/TCP_KEEPINTVL/TCP_KEEPCNT per socket, net.ipv4.tcp_keepalive_time/_intvl/_probes system-wide.',
            '查明对端为何不再应答（主机宕机或重启、防火墙/NAT 丢失了连接状态、链路中断）。保活机制起了作用：它把一个悄无声息死掉的连接变成了一个错误。其时间参数在套接字上是 TCP_KEEPIDLE/TCP_KEEPINTVL/TCP_KEEPCNT，系统级是 net.ipv4.tcp_keepalive_time/_intvl/_probes。',
          )
        : abortive
        ? L(
            'If the reset is not intended: read everything the peer sent before closing, call shutdown(SHUT_WR) and wait for EOF before close(), and do not set SO_LINGER to 0 s. SO_LINGER {on, 0} is sometimes used on purpose to skip TIME-WAIT, at the price of data loss and of this error on the peer.',
            '如果不是有意重置：关闭前读完对端发来的所有数据，先 shutdown(SHUT_WR) 并等到 EOF 再 close()，不要把 SO_LINGER 设为 0 秒。SO_LINGER {on, 0} 有时被有意用来跳过 TIME-WAIT，代价是可能丢数据，以及对端看到这个错误。',
          )
        : L(
            'Make the peer stop sending after close (an application protocol that says when the conversation is over), or reconnect on ECONNRESET.',
            '让对端在关闭后不再发送数据（在应用协议中明确对话何时结束），或者在遇到 ECONNRESET 时重新连接。',
          ),
    }),
  );
}

function closingFindings(ctx: Ctx): void {
  const { c, notes } = ctx;
  if (c.close === 'simultaneous') {
    const fins = ctx.notes?.finLines ?? [];
    ctx.out.push(
      finding(c, {
        code: 'simultaneous-close',
        severity: 'info',
        lines: fins,
        message: L(
          'Simultaneous close: both ends sent FIN before receiving the other\'s; each went FIN-WAIT-1 -> CLOSING -> TIME-WAIT, so both ends keep a TIME-WAIT entry.',
          '同时关闭：两端都在收到对方的 FIN 之前发送了自己的 FIN；两端都经历 FIN-WAIT-1 -> CLOSING -> TIME-WAIT，因此两端都会留下 TIME-WAIT。',
        ),
        cause: L(
          'Both applications closed at about the same time (for example both sides time out on an idle connection). It is harmless; it only costs a TIME-WAIT on each side instead of one.',
          '双方应用几乎同时关闭（例如双方都因空闲超时而关闭）。这没有害处，只是两端各留下一个 TIME-WAIT，而不是一个。',
        ),
      }),
    );
  }
  const half = notes?.halfClose;
  if (c.halfClose && c.firstFin !== undefined && half !== undefined) {
    const closer = nameOf(ctx, c.firstFin);
    const other = nameOf(ctx, c.firstFin === 'client' ? 'server' : 'client');
    const firstFinIdx = ctx.builder.firstFin;
    // Data the peer sent after the first FIN (up to its own FIN), and how far the closer acknowledged it: noted in
    // pass 3 as line, length pairs.
    const dataAfter = half.dataAfter;
    const dataEnd = half.dataEnd;
    const ackedTo = half.ackedTo;
    // A closer that answers the late data with RST had closed the socket completely: that is the reset finding.
    const acknowledged = dataEnd !== undefined && ackedTo !== undefined && ackedTo - dataEnd >= 0;
    if (!acknowledged) return;
    let bytes = 0;
    const lines = [lineOf(ctx, firstFinIdx)];
    for (let k = 0; k < dataAfter.length; k += 2) {
      lines.push(dataAfter[k]!);
      bytes += dataAfter[k + 1]!;
    }
    const count = dataAfter.length / 2;
    ctx.out.push(
      finding(c, {
        code: 'half-close',
        severity: 'info',
        lines,
        message: L(
          `Half-close: ${closer.en} sent FIN, then ${other.en} kept sending (${count} segment${count === 1 ? '' : 's'}, ${bytes} bytes) and ${closer.en} kept receiving and acknowledging.`,
          `半关闭：${closer.zh} 发送 FIN 之后，${other.zh} 继续发送数据（${count} 个报文段，${bytes} 字节），${closer.zh} 继续接收并确认。`,
        ),
        cause: L(
          `${cap(closer.en)} called shutdown(SHUT_WR): "I have nothing more to send" while still reading (FIN-WAIT-2 for it, CLOSE-WAIT for the peer, which may send as long as it likes and closes when done). With close() instead, data arriving afterwards would be answered with RST.`,
          `${closer.zh} 调用了 shutdown(SHUT_WR)：表示"我没有数据要发了"，但仍在读取（它处于 FIN-WAIT-2，对端处于 CLOSE-WAIT，对端可以继续发送，发完再关闭）。如果用的是 close()，之后到达的数据会被回复 RST。`,
        ),
      }),
    );
  }
}

/**
 * Nagle + delayed ACK. The sender has a small segment unacknowledged; Nagle's algorithm holds the next small write
 * until an ACK arrives; the receiver delays that ACK (Linux at least 40 ms, TCP_DELACK_MIN; Windows and many other
 * stacks 200 ms) hoping to piggyback it on a reply. On the wire: data from A, a pure ACK from B 30-500 ms later with
 * nothing from A in between, and A's next small segment right after the ACK (within 5 ms, or a tenth of the wait).
 * A wait that is merely the round-trip time is excluded (the ACK must come more than 5 initial RTTs later).
 */
function delayedAckStall(ctx: Ctx): void {
  // Noted in pass 3 (FindingCollector.delayedAck): three lines per stall, and the wait.
  const stalls = ctx.notes?.stalls;
  if (stalls === undefined) return;
  const c = ctx.c;
  const found = stalls.lines;
  const waits = stalls.waits;
  for (let s = 0; s < 2; s++) {
    if (found[s]!.length === 0) continue;
    const stalls = found[s]!.length / 3;
    const sender = nameOf(ctx, s === 0 ? 'client' : 'server');
    const receiver = nameOf(ctx, s === 0 ? 'server' : 'client');
    const w = waits[s]!;
    const avg = w.reduce((x, y) => x + y, 0) / w.length;
    const total = w.reduce((x, y) => x + y, 0);
    const flavour =
      avg < 0.09
        ? L('about 40 ms: the Linux minimum delayed-ACK timeout', '约 40 毫秒：Linux 延迟确认的最小超时')
        : avg > 0.15 && avg < 0.25
          ? L('about 200 ms: the delayed-ACK timer of Windows and many other stacks', '约 200 毫秒：Windows 及许多其他协议栈的延迟确认定时器')
          : L('a delayed-ACK timer', '延迟确认定时器');
    ctx.out.push(
      finding(c, {
        code: 'delayed-ack-stall',
        severity: 'warning',
        lines: found[s]!,
        message: L(
          `${stalls} stall${stalls === 1 ? '' : 's'} of ${formatDuration(avg)} on average (${formatDuration(total)} in total): ${sender.en} waited for ${receiver.en}'s delayed ACK before sending its next small segment (${flavour.en}).`,
          `出现 ${stalls} 次停顿，平均 ${formatDuration(avg)}（共 ${formatDuration(total)}）：${sender.zh} 要等${receiver.zh} 的延迟 ACK 到达才发送下一个小报文段（${flavour['zh-cn']}）。`,
        ),
        cause: L(
          `Nagle's algorithm on ${sender.en} holds a small write while earlier data is unacknowledged; ${receiver.en} delays its ACK hoping to send it with a reply, but the reply needs the held data. Both wait until the delayed-ACK timer fires. Typical trigger: a request written in two pieces (header, then body).`,
          `${sender.zh} 上的 Nagle 算法在前面的数据未被确认时会扣住小的写入；${receiver.zh} 延迟 ACK，希望和回复一起发送，而回复又需要被扣住的数据。双方一直等到延迟确认定时器超时。典型诱因：一个请求分两次写出（先写头部，再写正文）。`,
        ),
        fix: L(
          `Write each request or response with one send() (build it in a buffer, or use writev()); or set TCP_NODELAY on ${sender.en}'s socket to turn Nagle off; or, on Linux, set TCP_QUICKACK on ${receiver.en}'s socket (it is not permanent: set it again after each recv()).`,
          `每个请求或响应用一次 send() 写出（先拼到缓冲区，或用 writev()）；或者在${sender.zh} 的套接字上设置 TCP_NODELAY 关闭 Nagle 算法；或者在 Linux 上对${receiver.zh} 的套接字设置 TCP_QUICKACK（它不是永久生效的：每次 recv() 之后要重新设置）。`,
        ),
      }),
    );
  }
}
