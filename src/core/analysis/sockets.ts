/**
 * Findings on socket tables (ss, netstat): state pile-ups, full accept queues, unread or unacknowledged bytes, and
 * local-port pressure towards one destination.
 *
 * Every table (block) is judged on its own: a block is one snapshot, and a document often holds the same moment
 * twice (`ss -tan` and `netstat -ant` pasted one after the other), which must not double the counts.
 * One pass over the rows buckets them by block and state; the work after that is proportional to the rows a
 * finding is about.
 */
import type { Block, Endpoint, Finding, FormatId, Localized, Severity, SocketRow, TcpState } from '../model';

export interface SocketThresholds {
  /** CLOSE-WAIT sockets in one table for a warning; 1 to closeWait-1 give an info finding. */
  readonly closeWait: number;
  readonly timeWait: number;
  readonly synReceived: number;
  readonly synSent: number;
  readonly finWait2: number;
  readonly lastAck: number;
  /** Bytes in Recv-Q of a connected socket (not LISTEN) for recv-queue-backlog. */
  readonly recvQueueBytes: number;
  /** Bytes in Send-Q of a connected socket for send-queue-backlog (any Send-Q > 0 counts while a persist timer runs). */
  readonly sendQueueBytes: number;
  /** Share of the ephemeral port range one local address uses towards one destination: warning at or above. */
  readonly ephemeralPortWarnRatio: number;
  /** ... and error at or above. */
  readonly ephemeralPortErrorRatio: number;
  /**
   * Size of the local port range to measure against. Undefined: the default of the platform that printed the table
   * (Linux ip_local_port_range 32768-60999 = 28232 ports; Windows, macOS and FreeBSD 49152-65535 = 16384 ports).
   */
  readonly ephemeralPortRange?: number;
}

/**
 * Why these numbers:
 * - closeWait 5: CLOSE-WAIT never times out in the kernel, so even one that stays is a leak; a handful in one snapshot
 *   is already a pattern worth a warning, while 1-4 may be connections the application is about to close (info).
 * - timeWait 200: TIME-WAIT lasts 60 s on Linux, so 200 is a steady 3+ connections per second closed by this side;
 *   below that it is background noise of any client.
 * - synReceived 20: a healthy server completes handshakes in one round trip; 20 half-open at one instant means
 *   final ACKs are not coming back (flood or path problem).
 * - synSent 5: SYN-SENT is normally too short to catch in a snapshot; five at once are stuck attempts.
 * - finWait2 20, lastAck 20: both are short-lived when peers behave; 20 marks a peer-side pattern, not one slow peer.
 * - 65536 bytes for the queues: the largest window a peer can advertise without window scaling. A reader that is a
 *   whole unscaled window behind is not keeping up; a healthy bulk transfer in the samples showed Send-Q 18288.
 * - port ratio 0.5 / 0.9: at half the range a doubling of the connection rate exhausts the ports; at 90% connect()
 *   is about to fail with EADDRNOTAVAIL.
 */
export const DEFAULT_SOCKET_THRESHOLDS: SocketThresholds = {
  closeWait: 5,
  timeWait: 200,
  synReceived: 20,
  synSent: 5,
  finWait2: 20,
  lastAck: 20,
  recvQueueBytes: 65536,
  sendQueueBytes: 65536,
  ephemeralPortWarnRatio: 0.5,
  ephemeralPortErrorRatio: 0.9,
};

/** The codes this module can produce, in the order findings of one table are emitted. */
export const SOCKET_FINDING_CODES = [
  'close-wait-pileup',
  'time-wait-pileup',
  'syn-recv-flood',
  'syn-sent-stalled',
  'fin-wait-2-pileup',
  'last-ack-pileup',
  'accept-queue-full',
  'recv-queue-backlog',
  'send-queue-backlog',
  'ephemeral-port-pressure',
] as const;

export type SocketFindingCode = (typeof SOCKET_FINDING_CODES)[number];

/** Default local port range per tool family (the platform that prints that table). */
export function defaultEphemeralRange(format: FormatId): number {
  switch (format) {
    case 'ss':
    case 'netstat-linux':
      return 60999 - 32768 + 1;
    default:
      return 65535 - 49152 + 1;
  }
}

export function resolveThresholds(partial?: Partial<SocketThresholds>): SocketThresholds {
  if (!partial) return DEFAULT_SOCKET_THRESHOLDS;
  const merged: Record<string, number | undefined> = { ...DEFAULT_SOCKET_THRESHOLDS };
  for (const [key, value] of Object.entries(partial)) {
    // Ignore holes and nonsense (a settings UI can hand us null or NaN): keep the default then.
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) merged[key] = value;
  }
  return merged as unknown as SocketThresholds;
}

/** Sockets of one table, bucketed by canonical state. */
interface TableRows {
  readonly block: number;
  readonly format: FormatId | undefined;
  readonly byState: Map<TcpState, SocketRow[]>;
  readonly listen: SocketRow[];
  /** Connected rows with a queue or timer worth a look (cheap pre-filter). */
  readonly queued: SocketRow[];
  readonly all: SocketRow[];
}

/**
 * Findings over the socket rows of a parsed document. `blocks` gives each row's table format (accept-queue-full
 * applies to ss only; the port range depends on the platform). Lines in findings are 0-based and ascending.
 */
export function socketFindings(
  rows: readonly SocketRow[],
  blocks: readonly Block[],
  thresholds?: Partial<SocketThresholds>,
): Finding[] {
  const t = resolveThresholds(thresholds);
  const tables = bucket(rows, blocks);
  const findings: Finding[] = [];
  for (const table of tables) {
    pileups(table, t, findings);
    acceptQueues(table, findings);
    queueBacklogs(table, t, findings);
    portPressure(table, t, findings);
  }
  return findings;
}

function bucket(rows: readonly SocketRow[], blocks: readonly Block[]): TableRows[] {
  const tables: TableRows[] = [];
  let current: TableRows | undefined;
  for (const row of rows) {
    if (!current || current.block !== row.block) {
      current = tables.find((tb) => tb.block === row.block);
      if (!current) {
        current = { block: row.block, format: blocks[row.block]?.format, byState: new Map(), listen: [], queued: [], all: [] };
        tables.push(current);
      }
    }
    const state = row.state;
    if (state === undefined || !isTcp(row.proto)) continue;
    current.all.push(row);
    let list = current.byState.get(state);
    if (!list) current.byState.set(state, (list = []));
    list.push(row);
    if (state === 'LISTEN') current.listen.push(row);
    else if ((row.recvQ ?? 0) > 0 || (row.sendQ ?? 0) > 0) current.queued.push(row);
  }
  return tables;
}

function isTcp(proto: string): boolean {
  // ss without a Netid column leaves proto to the reader ('tcp'); netstat prints tcp, tcp4, tcp6, tcp46, TCP.
  if (proto.length === 0) return true;
  if (proto.length < 3) return false;
  return (proto.charCodeAt(0) | 32) === 116 && (proto.charCodeAt(1) | 32) === 99 && (proto.charCodeAt(2) | 32) === 112;
}

// ---------------------------------------------------------------------------------------------------------------
// State pile-ups

interface PileupRule {
  readonly code: SocketFindingCode;
  readonly state: TcpState;
  readonly threshold: (t: SocketThresholds) => number;
  /** Severity below the threshold (CLOSE-WAIT only); undefined: no finding below it. */
  readonly below?: Severity;
  readonly severity: Severity;
  /** Which end is the shared one in a typical pile-up: the service port (local) or the destination (remote). */
  readonly side: 'local' | 'remote';
  readonly text: (n: number, limit: number, where: Where) => { message: Localized; cause: Localized; fix: Localized };
}

interface Where {
  /** 'on local 127.0.0.1:1080' style phrase, or '' when no endpoint dominates. */
  readonly en: string;
  readonly zh: string;
}

const PILEUPS: readonly PileupRule[] = [
  {
    code: 'close-wait-pileup',
    state: 'CLOSE-WAIT',
    threshold: (t) => t.closeWait,
    below: 'info',
    severity: 'warning',
    side: 'local',
    text: (n, limit, where) =>
      n >= limit
        ? {
            message: {
              en: `${n} sockets in CLOSE-WAIT (threshold ${limit})${where.en}: the peers closed, but this application never called close().`,
              'zh-cn': `${n} 个套接字处于 CLOSE-WAIT（阈值 ${limit}）${where.zh}：对端已经关闭，本机应用程序却一直没有调用 close()。`,
            },
            cause: CLOSE_WAIT_CAUSE,
            fix: CLOSE_WAIT_FIX,
          }
        : {
            message: {
              en: `${n} ${n === 1 ? 'socket' : 'sockets'} in CLOSE-WAIT${where.en}: the ${n === 1 ? 'peer has' : 'peers have'} closed, and ${n === 1 ? 'the socket waits' : 'the sockets wait'} for this application to close too. If ${n === 1 ? 'it is' : 'they are'} still there in a later snapshot, that is a leak.`,
              'zh-cn': `${n} 个套接字处于 CLOSE-WAIT${where.zh}：对端已经关闭，套接字在等本机应用程序也把它关闭。如果过一会儿再看还在，那就是连接泄漏。`,
            },
            cause: CLOSE_WAIT_CAUSE,
            fix: CLOSE_WAIT_FIX,
          },
  },
  {
    code: 'time-wait-pileup',
    state: 'TIME-WAIT',
    threshold: (t) => t.timeWait,
    severity: 'info',
    side: 'remote',
    text: (n, limit, where) => ({
      message: {
        en: `${n} sockets in TIME-WAIT (threshold ${limit})${where.en}: this side closed these connections first; many short connections.`,
        'zh-cn': `${n} 个套接字处于 TIME-WAIT（阈值 ${limit}）${where.zh}：这些连接都是本端先关闭的，说明有大量短连接。`,
      },
      cause: {
        en: 'TIME-WAIT itself is normal: the side that closes first keeps each connection for 2×MSL (60 s on Linux) so that a lost final ACK can be sent again and old segments die out. Many of them mean this host opens and closes many short connections: a client without keep-alive or a connection pool, or a server that closes first (HTTP keep-alive off, keep-alive timeout, request limit per connection).',
        'zh-cn': 'TIME-WAIT 本身是正常的：先关闭连接的一方要把连接保留 2×MSL（Linux 上是 60 秒），以便最后一个 ACK 丢失时可以重发，并让网络中的旧报文自然消失。数量多说明本机频繁地建立又关闭短连接：客户端没有用长连接或连接池，或者服务端主动关闭连接（关闭了 HTTP keep-alive、keep-alive 超时、单个连接的请求数达到上限）。',
      },
      fix: {
        en: 'Reuse connections: HTTP keep-alive and connection pools. On a server, let the clients close first. For outgoing connections on Linux, net.ipv4.tcp_tw_reuse=1 lets connect() take over a TIME-WAIT port that is more than 1 s old (needs net.ipv4.tcp_timestamps=1; it does nothing for incoming connections). If local ports run short, widen net.ipv4.ip_local_port_range; net.ipv4.tcp_max_tw_buckets caps how many TIME-WAIT sockets the kernel keeps. Never use tcp_tw_recycle: it broke clients behind NAT and was removed in Linux 4.12.',
        'zh-cn': '复用连接：使用 HTTP keep-alive 和连接池。服务端尽量让客户端先关闭。Linux 上对外发起的连接可以设置 net.ipv4.tcp_tw_reuse=1，让 connect() 复用已经超过 1 秒的 TIME-WAIT 端口（需要 net.ipv4.tcp_timestamps=1，对接入的连接无效）。本地端口不够用时调大 net.ipv4.ip_local_port_range；net.ipv4.tcp_max_tw_buckets 限制内核保留的 TIME-WAIT 数量。不要使用 tcp_tw_recycle：它会让 NAT 后面的客户端连不上，Linux 4.12 已将其删除。',
      },
    }),
  },
  {
    code: 'syn-recv-flood',
    state: 'SYN-RECEIVED',
    threshold: (t) => t.synReceived,
    severity: 'warning',
    side: 'local',
    text: (n, limit, where) => ({
      message: {
        en: `${n} sockets in SYN-RECEIVED (threshold ${limit})${where.en}: half-open handshakes waiting for the client's final ACK.`,
        'zh-cn': `${n} 个套接字处于 SYN-RECEIVED（阈值 ${limit}）${where.zh}：半连接在等待客户端的第三次握手 ACK。`,
      },
      cause: {
        en: "Each SYN-RECEIVED socket sits in the listener's SYN queue: the server sent SYN-ACK and no ACK came back yet. Many at once mean a SYN flood (forged source addresses that never answer) or clients whose final ACK is lost or slow (a firewall or an asymmetric route dropping the return traffic).",
        'zh-cn': '每个 SYN-RECEIVED 套接字都在监听套接字的 SYN 队列（半连接队列）里：服务端已经发出 SYN-ACK，但还没有收到 ACK。同时出现很多，要么是 SYN 洪水攻击（伪造的源地址永远不会回应），要么是客户端的最后一个 ACK 丢失或很慢（防火墙或非对称路由丢掉了回程报文）。',
      },
      fix: {
        en: "Keep net.ipv4.tcp_syncookies=1 so handshakes still succeed when the SYN queue is full; raise net.ipv4.tcp_max_syn_backlog together with net.core.somaxconn and the listen() backlog; lower net.ipv4.tcp_synack_retries so half-open entries expire sooner. `netstat -s | grep -i 'SYNs to LISTEN'` counts dropped SYNs. Look at the remote addresses: many different ones point to a flood, a few repeating ones to a path problem.",
        'zh-cn': "保持 net.ipv4.tcp_syncookies=1，这样 SYN 队列满了握手仍能完成；同时调大 net.ipv4.tcp_max_syn_backlog、net.core.somaxconn 和 listen() 的 backlog；调小 net.ipv4.tcp_synack_retries，让半连接更快过期。`netstat -s | grep -i 'SYNs to LISTEN'` 可以看到被丢弃的 SYN 数。再看远端地址：大量不同地址多半是洪水攻击，少数地址反复出现多半是网络路径问题。",
      },
    }),
  },
  {
    code: 'syn-sent-stalled',
    state: 'SYN-SENT',
    threshold: (t) => t.synSent,
    severity: 'warning',
    side: 'remote',
    text: (n, limit, where) => ({
      message: {
        en: `${n} sockets in SYN-SENT (threshold ${limit})${where.en}: connection attempts that have had no answer yet.`,
        'zh-cn': `${n} 个套接字处于 SYN-SENT（阈值 ${limit}）${where.zh}：发出的连接请求一直没有得到回应。`,
      },
      cause: {
        en: 'SYN-SENT normally lasts one round trip and is rarely seen. Several at once mean the peer does not answer at all: the host is down or unreachable, or a firewall silently drops the SYN (a closed port would answer RST and fail at once). Many different destinations can also be a scanner or malware.',
        'zh-cn': 'SYN-SENT 正常情况下只持续一个往返时间，很难看到。同时出现好几个，说明对端根本没有回应：主机宕机或不可达，或者防火墙把 SYN 悄悄丢掉了（端口没开的话对端会回 RST，连接会立即失败）。如果目的地址五花八门，也可能是扫描程序或病毒。',
      },
      fix: {
        en: 'Check the destination: ping or traceroute it, try `nc -vz HOST PORT`, and check firewall rules and security groups on both sides. The kernel resends the SYN net.ipv4.tcp_syn_retries times (6 by default, about two minutes on Linux) before connect() fails with ETIMEDOUT; set a connect timeout in the application, or lower tcp_syn_retries, so callers fail fast.',
        'zh-cn': '检查目的地：ping 或 traceroute 一下，试试 `nc -vz 主机 端口`，再检查两端的防火墙规则和安全组。内核会重发 SYN net.ipv4.tcp_syn_retries 次（默认 6 次，Linux 上大约两分钟）之后 connect() 才以 ETIMEDOUT 失败；在应用里设置连接超时，或调小 tcp_syn_retries，让调用方尽快失败。',
      },
    }),
  },
  {
    code: 'fin-wait-2-pileup',
    state: 'FIN-WAIT-2',
    threshold: (t) => t.finWait2,
    severity: 'warning',
    side: 'remote',
    text: (n, limit, where) => ({
      message: {
        en: `${n} sockets in FIN-WAIT-2 (threshold ${limit})${where.en}: this side closed and the peers acknowledged, but they never close their side.`,
        'zh-cn': `${n} 个套接字处于 FIN-WAIT-2（阈值 ${limit}）${where.zh}：本端已经关闭，对端也确认了，但对端一直不关闭它那一侧。`,
      },
      cause: {
        en: "After sending FIN and getting its ACK, this side waits for the peer's FIN. The peer application has not closed its socket (it sits in CLOSE-WAIT over there), or the peer went away without a word.",
        'zh-cn': '本端发出 FIN 并收到 ACK 后，要等对端的 FIN。对端应用程序没有关闭它的套接字（在对端那边处于 CLOSE-WAIT），或者对端已经不声不响地消失了。',
      },
      fix: {
        en: 'Look at the peer: its process is probably leaking sockets in CLOSE-WAIT. For sockets this application has fully closed (orphans), net.ipv4.tcp_fin_timeout (60 s by default) limits the wait; a socket only half-closed with shutdown() waits as long as the peer does.',
        'zh-cn': '去看对端：它的进程多半在 CLOSE-WAIT 上泄漏连接。对本机应用已经 close() 的套接字（孤儿连接），net.ipv4.tcp_fin_timeout（默认 60 秒）限制等待时间；只用 shutdown() 半关闭的套接字会一直等到对端关闭为止。',
      },
    }),
  },
  {
    code: 'last-ack-pileup',
    state: 'LAST-ACK',
    threshold: (t) => t.lastAck,
    severity: 'warning',
    side: 'local',
    text: (n, limit, where) => ({
      message: {
        en: `${n} sockets in LAST-ACK (threshold ${limit})${where.en}: this side closed after the peers did, and their final ACK has not arrived.`,
        'zh-cn': `${n} 个套接字处于 LAST-ACK（阈值 ${limit}）${where.zh}：对端先关闭、本端随后也关闭了，但对端的最后一个 ACK 一直没有到。`,
      },
      cause: {
        en: 'The peer closed first, this application closed too, and its FIN is not being acknowledged: the peers went away (crashed, rebooted, or a load test was stopped abruptly) or the path drops packets. The kernel resends the FIN a few times, then gives up.',
        'zh-cn': '对端先关闭，本机应用随后也关闭了，但发出的 FIN 没有被确认：对端已经不在了（崩溃、重启，或者压测客户端被突然停掉），或者网络路径在丢包。内核会重发几次 FIN，然后放弃。',
      },
      fix: {
        en: 'Check that the peers are still reachable and the path is clean. net.ipv4.tcp_orphan_retries limits how often the FIN is resent before the socket is dropped. A short burst right after stopping a load test is harmless.',
        'zh-cn': '检查对端是否还可达、路径是否丢包。net.ipv4.tcp_orphan_retries 限制 FIN 重发的次数，超过后套接字会被丢弃。压测刚停掉时短暂出现一批是无害的。',
      },
    }),
  },
];

const CLOSE_WAIT_CAUSE: Localized = {
  en: 'CLOSE-WAIT means the peer sent FIN and the kernel acknowledged it. The socket leaves CLOSE-WAIT only when the application calls close(); no kernel setting times it out. Sockets piling up here are a leak in the program: a code path (an error, a timeout, an early return) that never closes the connection, or a pool that never notices the peer went away.',
  'zh-cn': 'CLOSE-WAIT 表示对端发来了 FIN，内核已经回了 ACK。只有应用程序调用 close() 之后，套接字才会离开 CLOSE-WAIT，没有任何内核参数能让它超时。在这里堆积说明程序有连接泄漏：某条代码路径（出错、超时、提前返回）没有关闭连接，或者连接池没有发现对端已经断开。',
};

const CLOSE_WAIT_FIX: Localized = {
  en: 'Fix it in the code: close the socket on every path (finally, defer, with, using); when a read returns 0 bytes (end of stream), close. Give connection pools an idle check or validate connections when borrowing them. Find the owner with `ss -tanp state close-wait` (Linux) or `netstat -ano | findstr CLOSE_WAIT` (Windows) and read that program. Restarting it frees the sockets, but the leak comes back.',
  'zh-cn': '要在代码里修：保证每条路径都会关闭套接字（finally、defer、with、using）；读到 0 字节（对端已关闭）时立即 close。给连接池加空闲检测，或在借出连接时做校验。用 `ss -tanp state close-wait`（Linux）或 `netstat -ano | findstr CLOSE_WAIT`（Windows）找到所属进程，再去查它的代码。重启进程能暂时释放这些连接，但泄漏还会再来。',
};

function pileups(table: TableRows, t: SocketThresholds, out: Finding[]): void {
  for (const rule of PILEUPS) {
    const rows = table.byState.get(rule.state);
    if (!rows || rows.length === 0) continue;
    const limit = rule.threshold(t);
    const over = rows.length >= limit;
    if (!over && rule.below === undefined) continue;
    const where = describeWhere(rows, rule.side);
    const text = rule.text(rows.length, limit, where);
    out.push({
      code: rule.code,
      severity: over ? rule.severity : rule.below!,
      lines: rows.map((r) => r.line),
      message: text.message,
      cause: text.cause,
      fix: text.fix,
    });
  }
}

/**
 * Name the endpoint most rows share (the service port of a server, the destination of a client) and the owning
 * process when the table shows one, so the message points somewhere.
 */
function describeWhere(rows: readonly SocketRow[], side: 'local' | 'remote'): Where {
  const { local, remote, owner } = majorities(rows);
  // Prefer the rule's side on a tie; otherwise whichever end is shared by more rows.
  const pickLocal = side === 'local' ? local.count >= remote.count : local.count > remote.count;
  const best = pickLocal ? local : remote;
  let en = '';
  let zh = '';
  if (best.value && (best.count >= 2 || rows.length === 1)) {
    const key = endpointText(best.value);
    const all = best.count === rows.length;
    if (pickLocal) {
      en = all ? `, on local ${key}` : `, ${best.count} of them on local ${key}`;
      zh = all ? `，${rows.length > 1 ? '都' : ''}在本地 ${key} 上` : `，其中 ${best.count} 个在本地 ${key} 上`;
    } else {
      en = all ? `, towards ${key}` : `, ${best.count} of them towards ${key}`;
      zh = all ? `，${rows.length > 1 ? '都' : ''}连向 ${key}` : `，其中 ${best.count} 个连向 ${key}`;
    }
  }
  if (owner.value) {
    const key = processText(owner.value);
    en += owner.count === rows.length ? `, owned by ${key}` : `, ${owner.count} owned by ${key}`;
    zh += owner.count === rows.length ? `，属于进程 ${key}` : `，其中 ${owner.count} 个属于进程 ${key}`;
  }
  return { en, zh };
}

function sameEndpoint(a: Endpoint, b: Endpoint): boolean {
  return a.port === b.port && a.address === b.address;
}

type Owner = NonNullable<SocketRow['process']>;

function sameOwner(a: Owner, b: Owner): boolean {
  return a.pid === b.pid && a.name === b.name;
}

interface Majority<T> {
  readonly value: T | undefined;
  readonly count: number;
}

/**
 * The local endpoint, remote endpoint and owner that more than half of the rows share, each with its count
 * (Boyer-Moore votes in one pass, counts in a second; no allocation per row). `value` is undefined when nothing
 * has a strict majority.
 */
function majorities(rows: readonly SocketRow[]): { local: Majority<Endpoint>; remote: Majority<Endpoint>; owner: Majority<Owner> } {
  let local: Endpoint | undefined;
  let remote: Endpoint | undefined;
  let owner: Owner | undefined;
  let lv = 0;
  let rv = 0;
  let ov = 0;
  for (const r of rows) {
    if (lv === 0) {
      local = r.local;
      lv = 1;
    } else if (sameEndpoint(local!, r.local)) lv++;
    else lv--;
    if (rv === 0) {
      remote = r.remote;
      rv = 1;
    } else if (sameEndpoint(remote!, r.remote)) rv++;
    else rv--;
    const p = r.process;
    if (p !== undefined) {
      if (ov === 0) {
        owner = p;
        ov = 1;
      } else if (sameOwner(owner!, p)) ov++;
      else ov--;
    }
  }
  let lc = 0;
  let rc = 0;
  let oc = 0;
  for (const r of rows) {
    if (local && sameEndpoint(local, r.local)) lc++;
    if (remote && sameEndpoint(remote, r.remote)) rc++;
    if (owner && r.process !== undefined && sameOwner(owner, r.process)) oc++;
  }
  const half = rows.length / 2;
  const pick = <T>(value: T | undefined, count: number): Majority<T> => (count > half ? { value, count } : { value: undefined, count: 0 });
  return { local: pick(local, lc), remote: pick(remote, rc), owner: pick(owner, oc) };
}

/** `127.0.0.1:8080`, `[::1]:8080`, `*:*`. */
export function endpointText(e: Endpoint): string {
  const address = e.address.includes(':') ? `[${e.address}]` : e.address;
  return `${address}:${e.port}`;
}

function processText(p: { readonly name: string; readonly pid?: number }): string {
  if (p.name && p.pid !== undefined) return `${p.name} (pid ${p.pid})`;
  if (p.pid !== undefined) return `pid ${p.pid}`;
  return p.name;
}

// ---------------------------------------------------------------------------------------------------------------
// Accept queues (ss only: on a LISTEN row ss prints the accept-queue length as Recv-Q and its limit as Send-Q;
// netstat prints Send-Q 0 for LISTEN, so the comparison would be meaningless there).

function acceptQueues(table: TableRows, out: Finding[]): void {
  if (table.format !== 'ss') return;
  for (const row of table.listen) {
    const queued = row.recvQ;
    const limit = row.sendQ;
    if (queued === undefined || limit === undefined || queued === 0) continue;
    // The kernel refuses a new connection only when the queue already holds MORE than the backlog, so a queue at
    // its limit still takes one more: Recv-Q == Send-Q is full-but-not-yet-dropping (warning), Recv-Q > Send-Q is
    // overflowing and the kernel is dropping handshakes right now (error).
    if (queued < limit) continue;
    const overflowing = queued > limit;
    const where = endpointText(row.local);
    out.push({
      code: 'accept-queue-full',
      severity: overflowing ? 'error' : 'warning',
      lines: [row.line],
      message: overflowing
        ? {
            en: `Listener ${where}: the accept queue is overflowing (Recv-Q ${queued} > backlog ${limit}); new connections are being dropped.`,
            'zh-cn': `监听 ${where}：全连接（accept）队列已溢出（Recv-Q ${queued} > backlog ${limit}），新连接正在被丢弃。`,
          }
        : {
            en: `Listener ${where}: the accept queue is full (Recv-Q ${queued} = backlog ${limit}); the next connections will be dropped.`,
            'zh-cn': `监听 ${where}：全连接（accept）队列已满（Recv-Q ${queued} = backlog ${limit}），接下来的新连接会被丢弃。`,
          },
      cause: {
        en: "On a LISTEN row ss shows the accept queue: Recv-Q is the number of completed connections waiting for accept(), Send-Q is the queue's limit, min(listen() backlog, net.core.somaxconn). When it is full the kernel drops the client's final ACK (or answers RST when net.ipv4.tcp_abort_on_overflow=1). The application calls accept() too slowly: blocked or too few worker threads, or a backlog too small for bursts.",
        'zh-cn': 'ss 的 LISTEN 行显示的是全连接队列：Recv-Q 是已完成三次握手、等待 accept() 取走的连接数，Send-Q 是队列上限，即 listen() 的 backlog 与 net.core.somaxconn 两者中较小的那个。队列满了以后，内核会丢掉客户端的第三次握手 ACK（net.ipv4.tcp_abort_on_overflow=1 时则回 RST）。原因是应用程序调用 accept() 太慢：工作线程被阻塞或太少，或者 backlog 太小，扛不住突发流量。',
      },
      fix: {
        en: "Make the application accept faster (more workers, nothing blocking in the accept loop). Raise the listen() backlog (nginx: `listen ... backlog=N`) and net.core.somaxconn, which caps it. `netstat -s | grep -i 'listen queue'` ('times the listen queue of a socket overflowed') shows whether drops keep happening. Keep tcp_abort_on_overflow=0 unless clients should see resets at once.",
        'zh-cn': "让应用程序更快地 accept（增加工作线程，accept 循环里不要有阻塞操作）。调大 listen() 的 backlog（nginx：`listen ... backlog=N`）以及限制它的 net.core.somaxconn。`netstat -s | grep -i 'listen queue'`（times the listen queue of a socket overflowed）可以看到溢出是否还在持续。除非希望客户端立刻收到 RST，否则 tcp_abort_on_overflow 保持 0。",
      },
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Queue backlogs on connected sockets

function queueBacklogs(table: TableRows, t: SocketThresholds, out: Finding[]): void {
  for (const row of table.queued) {
    const pair = `${endpointText(row.local)} ⇄ ${endpointText(row.remote)}`;
    const recvQ = row.recvQ ?? 0;
    if (recvQ >= t.recvQueueBytes) {
      out.push({
        code: 'recv-queue-backlog',
        severity: 'warning',
        lines: [row.line],
        message: {
          en: `${pair} (${row.stateText}): ${recvQ} bytes received but not yet read by the application (Recv-Q ≥ ${t.recvQueueBytes}).`,
          'zh-cn': `${pair}（${row.stateText}）：有 ${recvQ} 字节已经收到，应用程序还没有读取（Recv-Q ≥ ${t.recvQueueBytes}）。`,
        },
        cause: {
          en: 'On a connected socket Recv-Q counts bytes the kernel has received and acknowledged but the application has not read. A large value means the reader is slow or stuck: busy, blocked, deadlocked, or not reading this socket at all. Once the receive buffer is full the advertised window drops to zero and the sender stalls.',
          'zh-cn': '已连接套接字的 Recv-Q 是内核已经收到并确认、但应用程序还没有读走的字节数。数值大说明读取方太慢或卡住了：忙不过来、被阻塞、死锁，或者根本没有读这个套接字。接收缓冲区满了以后，通告窗口会降到 0，发送方随之停下。',
        },
        fix: {
          en: 'Find the owner (`ss -tanp`) and see why it does not read: take a thread dump, look for a blocked event loop or a consumer that is too slow. Bigger buffers only delay the stall.',
          'zh-cn': '找到所属进程（`ss -tanp`），查清它为什么不读：抓线程栈，看事件循环是否被阻塞、消费者是否太慢。加大缓冲区只会推迟卡住的时间。',
        },
      });
    }
    const sendQ = row.sendQ ?? 0;
    const kind = row.timer?.kind.toLowerCase();
    // ss -o names the zero-window probe timer `persist`; net-tools netstat -o calls it `probe`.
    const persist = kind === 'persist' || kind === 'probe';
    if (sendQ >= t.sendQueueBytes || (persist && sendQ > 0)) {
      out.push({
        code: 'send-queue-backlog',
        severity: persist ? 'warning' : 'info',
        lines: [row.line],
        message: persist
          ? {
              en: `${pair} (${row.stateText}): ${sendQ} bytes not yet acknowledged, and the persist timer is running: the peer advertises a zero window.`,
              'zh-cn': `${pair}（${row.stateText}）：有 ${sendQ} 字节还没有被确认，而且坚持（persist）定时器在运行：对端通告的窗口为 0。`,
            }
          : {
              en: `${pair} (${row.stateText}): ${sendQ} bytes sent or queued but not yet acknowledged by the peer (Send-Q ≥ ${t.sendQueueBytes}).`,
              'zh-cn': `${pair}（${row.stateText}）：有 ${sendQ} 字节已发送或排队，但对端还没有确认（Send-Q ≥ ${t.sendQueueBytes}）。`,
            },
        cause: {
          en: 'On a connected socket Send-Q counts bytes the peer has not acknowledged yet. It grows when the peer reads slowly and advertises a small or zero window (ss -o then shows timer:(persist,...)), or when the network loses packets or is slower than the sender. During a bulk transfer a large Send-Q alone can be normal.',
          'zh-cn': '已连接套接字的 Send-Q 是对端还没有确认的字节数。对端读得慢、通告的窗口很小甚至为 0 时它会增长（这时 ss -o 显示 timer:(persist,...)），网络丢包或带宽比发送方慢时也会增长。大批量传输过程中，单看 Send-Q 大可能是正常的。',
        },
        fix: {
          en: 'With a persist timer, look at the peer application: it is not reading (its Recv-Q will be high). Otherwise look for loss: `ss -ti` (retrans:, lost:), the retransmission counters in `netstat -s`, and a capture of this connection.',
          'zh-cn': '如果有 persist 定时器，去看对端应用程序：它没有在读数据（它那边的 Recv-Q 会很高）。否则查丢包：`ss -ti`（retrans:、lost:）、`netstat -s` 里的重传计数，再对这个连接抓包。',
        },
      });
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Local-port pressure: towards one destination address and port, every socket needs its own local port, and
// TIME-WAIT keeps ports busy for a minute after close.

interface PortGroup {
  readonly rows: SocketRow[];
  timeWait: number;
}

function portPressure(table: TableRows, t: SocketThresholds, out: Finding[]): void {
  const range = t.ephemeralPortRange ?? defaultEphemeralRange(table.format ?? 'netstat-linux');
  if (range <= 0) return;
  const warnAt = Math.max(1, Math.ceil(range * t.ephemeralPortWarnRatio));
  // Not worth grouping a table that cannot reach the threshold.
  if (table.all.length < warnAt) return;
  // local address -> remote address -> remote port -> sockets (nested maps: no key string built per row).
  const byLocal = new Map<string, Map<string, Map<number, PortGroup>>>();
  const groups: PortGroup[] = [];
  for (const row of table.all) {
    const port = row.remote.port;
    if (row.state === 'LISTEN' || typeof port !== 'number' || port === 0) continue;
    let byRemote = byLocal.get(row.local.address);
    if (!byRemote) byLocal.set(row.local.address, (byRemote = new Map()));
    let byPort = byRemote.get(row.remote.address);
    if (!byPort) byRemote.set(row.remote.address, (byPort = new Map()));
    let g = byPort.get(port);
    if (!g) {
      byPort.set(port, (g = { rows: [], timeWait: 0 }));
      groups.push(g);
    }
    g.rows.push(row);
    if (row.state === 'TIME-WAIT') g.timeWait++;
  }
  for (const g of groups) {
    const n = g.rows.length;
    if (n < warnAt) continue;
    const first = g.rows[0]!;
    const share = Math.round((n / range) * 100);
    const error = n >= Math.ceil(range * t.ephemeralPortErrorRatio);
    const dest = endpointText(first.remote);
    const source = first.local.address.includes(':') ? `[${first.local.address}]` : first.local.address;
    const rangeText = t.ephemeralPortRange === undefined ? `the default ${range}-port range` : `the ${range}-port range`;
    const rangeZh = t.ephemeralPortRange === undefined ? `默认端口范围（共 ${range} 个）` : `端口范围（共 ${range} 个）`;
    out.push({
      code: 'ephemeral-port-pressure',
      severity: error ? 'error' : 'warning',
      lines: g.rows.map((r) => r.line),
      message: {
        en: `${source} uses ${n} local ports towards ${dest} (${share}% of ${rangeText}; ${g.timeWait} in TIME-WAIT).`,
        'zh-cn': `${source} 连向 ${dest} 占用了 ${n} 个本地端口，达到${rangeZh}的 ${share}%，其中 ${g.timeWait} 个处于 TIME-WAIT。`,
      },
      cause: {
        en: 'A connection is identified by its four addresses and ports, so towards one destination address and port every socket needs its own local port, and TIME-WAIT keeps a port busy for 60 s after close. When the range is used up, connect() fails with EADDRNOTAVAIL ("Cannot assign requested address").',
        'zh-cn': '一个连接由四元组（源地址、源端口、目的地址、目的端口）确定，所以连向同一个目的地址和端口时，每个套接字都要占用一个自己的本地端口，而 TIME-WAIT 在关闭后还会占住端口 60 秒。端口用完以后，connect() 会以 EADDRNOTAVAIL（Cannot assign requested address）失败。',
      },
      fix: {
        en: 'Reuse connections (keep-alive, pools) instead of opening one per request. On Linux, widen net.ipv4.ip_local_port_range (check yours with `sysctl net.ipv4.ip_local_port_range`) and set net.ipv4.tcp_tw_reuse=1 for outgoing connections (needs tcp_timestamps). Spreading the load over several destination or source addresses multiplies the available port pairs.',
        'zh-cn': '复用连接（keep-alive、连接池），不要每个请求都新建连接。Linux 上调大 net.ipv4.ip_local_port_range（用 `sysctl net.ipv4.ip_local_port_range` 查看当前值），并为对外连接设置 net.ipv4.tcp_tw_reuse=1（需要开启 tcp_timestamps）。把流量分散到多个目的地址或源地址上，可用的端口组合也会成倍增加。',
      },
    });
  }
}
