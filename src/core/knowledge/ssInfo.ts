/**
 * Every `name:value` and flag that `ss -i`, `-e`, `-m`, `-p` and `-o` print after a socket row (tcp_info, sock_diag):
 * what it measures, its unit, and what a printed value means (`rtt:0.24/0.112`, `retrans:0/183`, `wscale:7,7`,
 * `skmem:(r0,rb131072,...)`, `send 48395815385bps`).
 */
import type { Lang, Localized } from '../model';
import { explainTimer } from './fields';
import { humanBytes, L, tr } from './lang';

export type SsUnit = 'flag' | 'ms' | 'bytes' | 'segments' | 'count' | 'bps' | 'text';

export interface SsFieldInfo {
  /** As printed before `:` (or the flag word). Subfields of `skmem:(...)` are `skmem.r`, `skmem.rb`, ...; of `bbr:(...)`, `bbr.bw`, ... */
  readonly name: string;
  readonly unit: SsUnit;
  /** The `ss` option that prints it. */
  readonly option: '-i' | '-e' | '-m' | '-p' | '-o';
  readonly meaning: Localized;
}

const F = (name: string, unit: SsUnit, option: SsFieldInfo['option'], en: string, zh: string): SsFieldInfo => ({
  name,
  unit,
  option,
  meaning: L(en, zh),
});

const CC = (name: string, en: string, zh: string): SsFieldInfo =>
  F(name, 'flag', '-i', `Congestion control algorithm: ${en}`, `拥塞控制算法：${zh}`);

const LIST: readonly SsFieldInfo[] = [
  // ---- -i flags
  F('ts', 'flag', '-i', 'TCP timestamps were negotiated on this connection.', '这条连接协商了 TCP 时间戳。'),
  F('sack', 'flag', '-i', 'Selective acknowledgments (SACK) were negotiated.', '协商了选择性确认（SACK）。'),
  F('ecn', 'flag', '-i', 'ECN was negotiated.', '协商了 ECN。'),
  F('ecnseen', 'flag', '-i', 'A packet with an ECN congestion mark (CE) was received.', '收到过带 ECN 拥塞标记（CE）的报文。'),
  F('fastopen', 'flag', '-i', 'The connection was opened with TCP Fast Open.', '这条连接是通过 TCP 快速打开建立的。'),
  F(
    'app_limited',
    'flag',
    '-i',
    'The last rate sample was limited by the application (it did not give TCP enough data to fill the pipe), not ' +
      'by the network.',
    '最近一次速率采样受限于应用（应用给 TCP 的数据不够填满链路），而不是受限于网络。',
  ),
  CC('cubic', 'CUBIC, the Linux default (loss-based).', 'CUBIC，Linux 默认算法（基于丢包）。'),
  CC('reno', 'Reno, the classic loss-based algorithm.', 'Reno，经典的基于丢包的算法。'),
  CC('dctcp', 'DCTCP, for data centers with ECN marking.', 'DCTCP，用于支持 ECN 标记的数据中心。'),
  CC('bic', 'BIC, the predecessor of CUBIC.', 'BIC，CUBIC 的前身。'),
  CC('htcp', 'H-TCP, for high-speed long-distance paths.', 'H-TCP，用于高速长距离链路。'),
  CC('vegas', 'Vegas, delay-based.', 'Vegas，基于时延。'),
  CC('westwood', 'Westwood+, for lossy wireless links.', 'Westwood+，用于有丢包的无线链路。'),
  // ---- -i name:value
  F(
    'wscale',
    'text',
    '-i',
    'Window scale shifts `snd,rcv`: the first is the peer\'s (applied to the windows it advertises, which limit what ' +
      'this side sends); the second is this side\'s own.',
    '窗口扩大因子 `snd,rcv`：第一个是对端的（用于换算对端通告的窗口，它限制本端能发多少）；第二个是本端自己的。',
  ),
  F('rto', 'ms', '-i', 'Retransmission timeout: how long to wait for an ACK before retransmitting (ms). At least 200 ms on Linux.', '重传超时：等 ACK 多久后重传（毫秒）。Linux 上至少 200 毫秒。'),
  F('backoff', 'count', '-i', 'How many times the RTO has been doubled in a row by consecutive timeouts.', 'RTO 因连续超时已经翻倍了几次。'),
  F('rtt', 'text', '-i', 'Smoothed round-trip time / its mean deviation, in ms (`rtt:0.24/0.112`).', '平滑往返时间 / 平均偏差，单位毫秒（`rtt:0.24/0.112`）。'),
  F('rttvar', 'ms', '-i', 'RTT variation (ms): the second number of `rtt:srtt/rttvar`; a large one means jittery delay and a higher RTO.', 'RTT 波动（毫秒）：`rtt:srtt/rttvar` 中的第二个数；值大说明时延抖动大，RTO 也会随之变大。'),
  F('ato', 'ms', '-i', 'Delayed-ACK timeout (ms): the longest this side holds back an ACK.', '延迟确认超时（毫秒）：本端最多把 ACK 扣住多久。'),
  F('qack', 'count', '-i', 'Quick-ACK credit: how many ACKs will still be sent without delay.', '快速确认额度：还有多少个 ACK 会立即发送而不延迟。'),
  F('mss', 'bytes', '-i', 'Current send MSS: the largest payload this side puts in one segment.', '当前发送 MSS：本端一个报文里放的最大负载。'),
  F('pmtu', 'bytes', '-i', 'Path MTU the kernel currently assumes towards the peer.', '内核当前认定的到对端的路径 MTU。'),
  F('rcvmss', 'bytes', '-i', 'Estimate of the peer\'s MSS from the segments received (starts at 536 until data arrives).', '根据收到的报文估计的对端 MSS（收到数据之前是 536）。'),
  F('advmss', 'bytes', '-i', 'The MSS this side advertised on its SYN.', '本端在 SYN 上通告的 MSS。'),
  F('cwnd', 'segments', '-i', 'Congestion window, in segments: how many unacknowledged segments the sender allows itself. Starts at 10.', '拥塞窗口，单位是报文段：发送方允许自己有多少个未确认的报文段。初始为 10。'),
  F('ssthresh', 'segments', '-i', 'Slow-start threshold: below it cwnd grows exponentially, above it linearly. Appears after the first loss.', '慢启动阈值：cwnd 低于它时指数增长，高于它时线性增长。第一次丢包后才会出现。'),
  F('bytes_sent', 'bytes', '-i', 'Bytes sent, retransmissions included.', '已发送的字节数，包括重传。'),
  F('bytes_retrans', 'bytes', '-i', 'Bytes retransmitted.', '重传的字节数。'),
  F('bytes_acked', 'bytes', '-i', 'Bytes acknowledged by the peer.', '已被对端确认的字节数。'),
  F('bytes_received', 'bytes', '-i', 'Bytes received from the peer.', '从对端收到的字节数。'),
  F('segs_out', 'count', '-i', 'Segments sent (including pure ACKs and retransmissions).', '发出的报文段数（包括纯 ACK 和重传）。'),
  F('segs_in', 'count', '-i', 'Segments received.', '收到的报文段数。'),
  F('data_segs_out', 'count', '-i', 'Segments sent that carried data.', '发出的带数据的报文段数。'),
  F('data_segs_in', 'count', '-i', 'Segments received that carried data.', '收到的带数据的报文段数。'),
  F('send', 'bps', '-i', 'Estimated sending rate, cwnd × mss / rtt (what the window allows, not what is sent).', '估算的发送速率 cwnd × mss / rtt（是窗口允许的速率，不是实际发送的速率）。'),
  F('lastsnd', 'ms', '-i', 'Milliseconds since data was last sent.', '距离上次发送数据过去的毫秒数。'),
  F('lastrcv', 'ms', '-i', 'Milliseconds since data was last received.', '距离上次收到数据过去的毫秒数。'),
  F('lastack', 'ms', '-i', 'Milliseconds since an ACK was last received.', '距离上次收到 ACK 过去的毫秒数。'),
  F('pacing_rate', 'bps', '-i', 'Rate the kernel paces packets at (and `/max` if capped with `SO_MAX_PACING_RATE`).', '内核对报文做节奏控制的速率（如果用 `SO_MAX_PACING_RATE` 限制了，会带 `/上限`）。'),
  F('delivery_rate', 'bps', '-i', 'Most recent measured delivery rate (data acknowledged per time).', '最近一次测得的交付速率（单位时间内被确认的数据）。'),
  F('delivered', 'segments', '-i', 'Segments delivered to the peer (acknowledged, SACKed included).', '已交付给对端的报文段数（已确认的，包括 SACK 的）。'),
  F('delivered_ce', 'segments', '-i', 'Delivered segments that carried an ECN congestion mark.', '已交付的报文段中带 ECN 拥塞标记的数量。'),
  F('busy', 'ms', '-i', 'Time the connection spent with data outstanding (ms).', '连接有数据在途的总时间（毫秒）。'),
  F('rwnd_limited', 'text', '-i', 'Time (and share of busy time) the sender was held back by the **receiver\'s window**: the peer reads too slowly or its buffer is too small.', '发送方受**接收方窗口**限制的时间（以及占忙碌时间的比例）：对端读得太慢或缓冲区太小。'),
  F('sndbuf_limited', 'text', '-i', 'Time (and share of busy time) the sender was held back by **its own send buffer** (`tcp_wmem`, `SO_SNDBUF`).', '发送方受**自身发送缓冲区**（`tcp_wmem`、`SO_SNDBUF`）限制的时间（以及占忙碌时间的比例）。'),
  F('unacked', 'segments', '-i', 'Segments sent and not yet acknowledged (in flight).', '已发出但尚未确认的报文段数（在途）。'),
  F('retrans', 'text', '-i', '`current/total`: segments being retransmitted right now / all retransmissions over the connection\'s life.', '`当前/累计`：此刻正在重传的报文段数 / 连接生命周期内的全部重传次数。'),
  F('lost', 'segments', '-i', 'Segments currently considered lost.', '当前被判定为丢失的报文段数。'),
  F('sacked', 'segments', '-i', 'Segments the peer has selectively acknowledged (received beyond a hole).', '对端选择性确认过的报文段数（在空缺之后收到的）。'),
  F('fackets', 'segments', '-i', 'Forward-acknowledged segments (older kernels).', '前向确认的报文段数（旧内核）。'),
  F('reordering', 'segments', '-i', 'How far out of order segments may arrive before being treated as lost (default 3; higher means reordering was seen).', '报文乱序到什么程度才被当作丢失（默认 3；更高说明观察到了乱序）。'),
  F('reord_seen', 'count', '-i', 'Times reordering was detected.', '检测到乱序的次数。'),
  F('rcv_rtt', 'ms', '-i', 'Round-trip time as estimated by the receiving side (ms), used for receive-buffer autotuning.', '接收方估计的往返时间（毫秒），用于接收缓冲区自动调整。'),
  F('rcv_space', 'bytes', '-i', 'Receive-buffer autotuning\'s estimate of what the peer sends per RTT.', '接收缓冲区自动调整对"对端每个 RTT 发多少"的估计。'),
  F('rcv_ssthresh', 'bytes', '-i', 'The current clamp on the window this side advertises; grows as the application reads.', '本端当前通告窗口的上限；随应用读取而增大。'),
  F('notsent', 'bytes', '-i', 'Bytes written by the application but not sent yet.', '应用已写入但尚未发出的字节数。'),
  F('minrtt', 'ms', '-i', 'Minimum RTT seen recently (ms): the path\'s delay without queueing.', '近期观察到的最小 RTT（毫秒）：不含排队的路径时延。'),
  F('rcv_ooopack', 'count', '-i', 'Out-of-order packets received.', '收到的乱序报文数。'),
  F('snd_wnd', 'bytes', '-i', 'The peer\'s advertised receive window, scaled, in bytes: the most this side may have in flight.', '对端通告的接收窗口（已换算，字节）：本端最多能有多少数据在途。'),
  F('rcv_wnd', 'bytes', '-i', 'The receive window this side advertises, in bytes.', '本端通告的接收窗口（字节）。'),
  F('rehash', 'count', '-i', 'Times the flow label/path hash was changed to escape a bad path.', '为避开故障路径而更换流标签/路径哈希的次数。'),
  F('dsack_dups', 'count', '-i', 'Duplicate segments the peer reported with D-SACK (spurious retransmissions).', '对端通过 D-SACK 报告的重复报文数（多余的重传）。'),
  F(
    'bbr',
    'text',
    '-i',
    'Congestion control algorithm: BBR (models bottleneck bandwidth and round-trip time). `bbr:(...)` shows its ' +
      'model: `bw` bottleneck bandwidth, `mrtt` min RTT (ms), `pacing_gain`, `cwnd_gain`.',
    '拥塞控制算法：BBR（对瓶颈带宽和往返时间建模）。`bbr:(...)` 显示它的模型：`bw` 瓶颈带宽，`mrtt` 最小 RTT（毫秒），' +
      '`pacing_gain`，`cwnd_gain`。',
  ),
  F('bbr.bw', 'bps', '-i', 'BBR\'s estimate of the bottleneck bandwidth.', 'BBR 估计的瓶颈带宽。'),
  F('bbr.mrtt', 'ms', '-i', 'BBR\'s minimum RTT (ms).', 'BBR 的最小 RTT（毫秒）。'),
  F('bbr.pacing_gain', 'text', '-i', 'BBR\'s pacing gain: 2.89 while starting up, 1.25 / 0.75 while probing, 1 when cruising.', 'BBR 的节奏增益：启动阶段 2.89，探测阶段 1.25 / 0.75，平稳时为 1。'),
  F('bbr.cwnd_gain', 'text', '-i', 'BBR\'s congestion-window gain (cwnd = gain × bandwidth-delay product).', 'BBR 的拥塞窗口增益（cwnd = 增益 × 带宽时延积）。'),
  // ---- -e
  F('uid', 'text', '-e', 'User id that owns the socket.', '套接字所属用户的 uid。'),
  F('ino', 'text', '-e', 'Socket inode number (`ls -l /proc/PID/fd` shows `socket:[ino]`); 0 for TIME-WAIT and request sockets, which belong to no process.', '套接字的 inode 号（`ls -l /proc/PID/fd` 里显示为 `socket:[ino]`）；TIME-WAIT 和 request sock 不属于任何进程，显示 0。'),
  F('sk', 'text', '-e', 'Kernel socket id (cookie), unique while the socket lives.', '内核套接字标识（cookie），在套接字存续期间唯一。'),
  F('cgroup', 'text', '-e', 'cgroup v2 path of the owner; `unreachable:N` when ss cannot see the cgroup mount (e.g. inside a namespace).', '所属进程的 cgroup v2 路径；ss 看不到 cgroup 挂载点时（例如在命名空间内）显示 `unreachable:N`。'),
  F('<->', 'flag', '-e', 'Shutdown state: neither direction is shut down.', '关闭状态：两个方向都没有关闭。'),
  F('<--', 'flag', '-e', 'Shutdown state: this side shut down sending (it sent FIN) but can still receive.', '关闭状态：本端关闭了发送方向（已发 FIN），仍可接收。'),
  F('-->', 'flag', '-e', 'Shutdown state: the receive direction is shut down (the peer\'s FIN arrived), this side can still send.', '关闭状态：接收方向已关闭（收到了对端的 FIN），本端仍可发送。'),
  F('---', 'flag', '-e', 'Shutdown state: both directions are shut down.', '关闭状态：两个方向都已关闭。'),
  // ---- -m
  F('skmem', 'text', '-m', 'Socket memory: `r` receive queue, `rb` receive buffer limit, `t` transmit memory, `tb` send buffer limit, `f` forward-allocated, `w` queued for sending, `o` option memory, `bl` backlog, `d` drops.', '套接字内存：`r` 接收队列，`rb` 接收缓冲区上限，`t` 发送中的内存，`tb` 发送缓冲区上限，`f` 预分配，`w` 排队待发，`o` 选项内存，`bl` backlog，`d` 丢弃数。'),
  F('skmem.r', 'bytes', '-m', 'Memory used by received data not yet read by the application.', '已收到、应用还没读走的数据占用的内存。'),
  F('skmem.rb', 'bytes', '-m', 'Receive buffer limit (`SO_RCVBUF`, or the autotuned size).', '接收缓冲区上限（`SO_RCVBUF` 或自动调整后的大小）。'),
  F('skmem.t', 'bytes', '-m', 'Memory of data handed to the network layer and not yet freed (in the qdisc or the NIC).', '已交给网络层、尚未释放的数据占用的内存（在队列规则或网卡中）。'),
  F('skmem.tb', 'bytes', '-m', 'Send buffer limit (`SO_SNDBUF`, or the autotuned size).', '发送缓冲区上限（`SO_SNDBUF` 或自动调整后的大小）。'),
  F('skmem.f', 'bytes', '-m', 'Memory reserved for the socket but not used yet (forward allocation).', '为套接字预留但尚未使用的内存（预分配）。'),
  F('skmem.w', 'bytes', '-m', 'Memory of data queued for sending (sent-unacknowledged plus not yet sent).', '排队待发数据占用的内存（已发未确认的加上尚未发送的）。'),
  F('skmem.o', 'bytes', '-m', 'Memory for socket options and ancillary data.', '套接字选项和辅助数据占用的内存。'),
  F('skmem.bl', 'bytes', '-m', 'Backlog: packets received while the socket was locked by the application, waiting to be processed.', 'backlog：应用锁住套接字期间收到、等待处理的报文。'),
  F('skmem.d', 'count', '-m', 'Packets dropped for this socket (e.g. receive buffer full). Growing drops mean the application reads too slowly.', '这个套接字丢弃的报文数（例如接收缓冲区已满）。持续增长说明应用读得太慢。'),
  // ---- -p, -o
  F('users', 'text', '-p', 'Processes holding the socket: `("name",pid=N,fd=M)`. Empty for TIME-WAIT and other sockets no process owns, and for other users\' sockets without root.', '持有这个套接字的进程：`("名称",pid=N,fd=M)`。TIME-WAIT 等不属于任何进程的套接字没有这一项；非 root 时也看不到其他用户的套接字。'),
  F('timer', 'text', '-o', 'The TCP timer running: `timer:(name,time left,count)`.', '正在运行的 TCP 定时器：`timer:(名称,剩余时间,次数)`。'),
];

const BY_NAME: ReadonlyMap<string, SsFieldInfo> = new Map(LIST.map((f) => [f.name, f]));

export const SS_FIELDS: readonly SsFieldInfo[] = LIST;

/** A field by name: `rtt`, `skmem`, `skmem.rb`, `bbr.bw`, `cubic`, `<->`. A trailing `:` is ignored. */
export function ssFieldInfo(name: string): SsFieldInfo | undefined {
  let n = name.trim();
  if (n.endsWith(':')) n = n.slice(0, -1);
  return BY_NAME.get(n);
}

/** `48395815385bps` -> `48.4 Gbit/s`. */
export function humanBps(text: string): string | undefined {
  let t = text.trim();
  if (t.endsWith('bps')) t = t.slice(0, -3);
  if (!/^\d+(?:\.\d+)?$/.test(t)) return undefined;
  const n = Number(t);
  const units: [number, string][] = [
    [1e12, 'Tbit/s'],
    [1e9, 'Gbit/s'],
    [1e6, 'Mbit/s'],
    [1e3, 'kbit/s'],
  ];
  for (const [f, u] of units) if (n >= f) return `${(n / f).toFixed(n / f >= 100 ? 0 : 1)} ${u}`;
  return `${n} bit/s`;
}

const SKMEM_KEYS = ['rb', 'tb', 'bl', 'r', 't', 'f', 'w', 'o', 'd'] as const;

/** `(r0,rb131072,t0,tb2626560,f0,w0,o0,bl0,d0)` -> [['r', 0], ['rb', 131072], ...]. */
export function parseSkmem(text: string): [string, number][] | undefined {
  let t = text.trim();
  if (t.startsWith('skmem:')) t = t.slice(6);
  if (!t.startsWith('(') || !t.endsWith(')')) return undefined;
  const out: [string, number][] = [];
  for (const part of t.slice(1, -1).split(',')) {
    const key = SKMEM_KEYS.find((k) => part.startsWith(k) && /^\d+$/.test(part.slice(k.length)));
    if (!key) return undefined;
    out.push([key, Number(part.slice(key.length))]);
  }
  return out;
}

/**
 * Explain one field with its printed value (the value without the `name:` prefix, e.g. `0.24/0.112`, `0/183`,
 * `(r0,rb131072,...)`, `48395815385bps`, `96ms`, `2ms(5.1%)`). Without a value, only the field's meaning.
 */
export function explainSsField(name: string, value: string | undefined, lang: Lang): string | undefined {
  const info = ssFieldInfo(name);
  if (!info) return undefined;
  const zh = lang === 'zh-cn';
  const lines = [`\`${info.name}\`${zh ? '：' : ': '}${tr(info.meaning, lang)}`];
  const v = value?.trim();
  if (v) {
    const extra = valueText(info, v, zh);
    if (extra) lines.push(extra);
  }
  return lines.join('\n\n');
}

function valueText(info: SsFieldInfo, v: string, zh: boolean): string | undefined {
  const isNum = /^\d+(?:\.\d+)?$/.test(v);
  switch (info.name) {
    case 'rtt': {
      const [a, b] = v.split('/');
      if (a && b) return zh ? `平滑 RTT ${a} 毫秒，波动 ${b} 毫秒。` : `Smoothed RTT ${a} ms, varying by ${b} ms.`;
      return undefined;
    }
    case 'wscale': {
      const [a, b] = v.split(',').map(Number);
      if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b)) return undefined;
      return zh
        ? `对端的移位 ${a}（它通告的窗口要乘以 ${2 ** a}），本端的移位 ${b}（本端通告的窗口要乘以 ${2 ** b}）。`
        : `Peer's shift ${a} (its advertised windows are multiplied by ${2 ** a}); this side's shift ${b} ` +
            `(multiplier ${2 ** b}).`;
    }
    case 'retrans': {
      const [a, b] = v.split('/');
      if (a === undefined || b === undefined) return undefined;
      return zh
        ? `此刻有 ${a} 个报文段在重传，连接至今共重传 ${b} 次。${Number(b) > 0 ? '有重传说明路径上有丢包（或 RTO 过于激进）。' : ''}`
        : `${a} segment(s) being retransmitted now, ${b} retransmissions in total.` +
            (Number(b) > 0 ? ' Retransmissions mean loss on the path (or an aggressive RTO).' : '');
    }
    case 'skmem': {
      const parts = parseSkmem(v);
      if (!parts) return undefined;
      return parts
        .map(([k, n]) => {
          const sub = BY_NAME.get(`skmem.${k}`);
          const amount = k === 'd' ? String(n) : humanBytes(n);
          return `- \`${k}${n}\` = ${amount}${sub ? `${zh ? '：' : ': '}${tr(sub.meaning, zh ? 'zh-cn' : 'en')}` : ''}`;
        })
        .join('\n');
    }
    case 'rwnd_limited':
    case 'sndbuf_limited': {
      const open = v.indexOf('(');
      const time = open >= 0 ? v.slice(0, open) : v;
      const pct = open >= 0 && v.endsWith(')') ? v.slice(open + 1, -1) : undefined;
      return zh
        ? `受限 ${time}${pct ? `，占忙碌时间的 ${pct}` : ''}。`
        : `Limited for ${time}${pct ? `, ${pct} of the busy time` : ''}.`;
    }
    default:
      break;
  }
  switch (info.unit) {
    case 'bytes':
      if (isNum) {
        const n = Number(v);
        return n >= 1024 ? `${v} ${zh ? '字节' : 'bytes'} (${humanBytes(n)})` : `${v} ${zh ? '字节' : 'bytes'}`;
      }
      return undefined;
    case 'ms':
      if (isNum) return zh ? `${v} 毫秒。` : `${v} ms.`;
      if (v.endsWith('ms')) return zh ? `${v.slice(0, -2)} 毫秒。` : `${v.slice(0, -2)} ms.`;
      return undefined;
    case 'bps': {
      const [rate, max] = v.split('/');
      const h = rate ? humanBps(rate) : undefined;
      if (!h) return undefined;
      const hm = max ? humanBps(max) : undefined;
      return hm ? (zh ? `${h}（上限 ${hm}）。` : `${h} (max ${hm}).`) : `${h}.`;
    }
    case 'segments':
      if (isNum) return zh ? `${v} 个报文段。` : `${v} segments.`;
      return undefined;
    default:
      if (info.name === 'timer') return explainTimer(`timer:${v}`, zh ? 'zh-cn' : 'en');
      return undefined;
  }
}
