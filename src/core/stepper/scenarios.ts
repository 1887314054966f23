/**
 * Textbook scenarios for the stepper. Each is a script of application calls and network faults; the engine and the
 * RFC 9293 machine do the rest. The text says what the scenario teaches and which sysctl keys govern it.
 */
import type { Localized } from '../model';
import type { ScriptItem, SegmentMatch } from './engine';

export interface Scenario {
  readonly id: string;
  readonly title: Localized;
  readonly lesson: Localized;
  readonly sysctls: readonly string[];
  readonly script: readonly ScriptItem[];
}

const L = (en: string, zh: string): Localized => ({ en, 'zh-cn': zh });
const settle: ScriptItem = { kind: 'settle' };
const listen: ScriptItem = { kind: 'app', side: 'server', call: 'listen' };
const connect: ScriptItem = { kind: 'app', side: 'client', call: 'connect' };
const open: readonly ScriptItem[] = [listen, connect, settle];
const request: readonly ScriptItem[] = [{ kind: 'app', side: 'client', call: 'send', len: 100 }, settle, { kind: 'app', side: 'server', call: 'send', len: 300 }, settle];
const lose = (match: SegmentMatch, why: Localized, times = 1): ScriptItem => ({ kind: 'lose', match, times, why });

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'normal-open',
    title: L('Normal open (three-way handshake)', '正常建立连接（三次握手）'),
    lesson: L(
      'The server listens; the client connects. SYN, SYN-ACK, ACK: each side learns the other\'s initial sequence number and both reach ESTABLISHED.',
      '服务端监听，客户端发起连接。SYN、SYN-ACK、ACK 三个报文让双方交换初始序号，最终都进入 ESTABLISHED。',
    ),
    sysctls: ['net.core.somaxconn', 'net.ipv4.tcp_max_syn_backlog'],
    script: [...open],
  },
  {
    id: 'close-client-first',
    title: L('Normal close, client first', '正常关闭：客户端先关'),
    lesson: L(
      'The client closes first, so the client is the one that ends in TIME-WAIT for 2MSL; the server passes through CLOSE-WAIT and LAST-ACK.',
      '客户端先关闭，所以停在 TIME-WAIT（2MSL）的是客户端；服务端依次经过 CLOSE-WAIT 和 LAST-ACK。',
    ),
    sysctls: ['net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_tw_reuse', 'net.ipv4.tcp_max_tw_buckets'],
    script: [...open, ...request, { kind: 'app', side: 'client', call: 'close' }, settle, { kind: 'app', side: 'server', call: 'close' }, settle],
  },
  {
    id: 'close-server-first',
    title: L('Normal close, server first', '正常关闭：服务端先关'),
    lesson: L(
      'When the server closes first (an idle timeout, HTTP/1.0 without keep-alive), TIME-WAIT lands on the server: this is how a busy server collects thousands of TIME-WAIT sockets.',
      '服务端先关闭时（空闲超时、不带 keep-alive 的 HTTP/1.0），TIME-WAIT 落在服务端：繁忙的服务器就是这样攒下成千上万个 TIME-WAIT。',
    ),
    sysctls: ['net.ipv4.tcp_max_tw_buckets', 'net.ipv4.tcp_tw_reuse'],
    script: [...open, ...request, { kind: 'app', side: 'server', call: 'close' }, settle, { kind: 'app', side: 'client', call: 'close' }, settle],
  },
  {
    id: 'three-segment-close',
    title: L('Three-segment close (FIN and ACK merged)', '三次挥手（FIN 与 ACK 合并）'),
    lesson: L(
      'If the server closes while its ACK of the client\'s FIN is still delayed, one FIN,ACK segment carries both, and the close takes three segments instead of four.',
      '如果服务端在对客户端 FIN 的 ACK 还处于延迟确认时就关闭，一个 FIN,ACK 报文同时完成两件事，四次挥手变成三次。',
    ),
    sysctls: ['net.ipv4.tcp_fin_timeout'],
    script: [
      ...open,
      ...request,
      { kind: 'app', side: 'client', call: 'close' },
      { kind: 'deliver' },
      { kind: 'app', side: 'server', call: 'close', mergeWithPendingAck: true },
      settle,
    ],
  },
  {
    id: 'half-close',
    title: L('Half-close: data after the first FIN', '半关闭：先发 FIN 的一方仍在接收数据'),
    lesson: L(
      'shutdown(SHUT_WR) sends FIN but keeps reading: the server, now in CLOSE-WAIT, can still send data until it closes too.',
      'shutdown(SHUT_WR) 发出 FIN 但仍然可以读：处于 CLOSE-WAIT 的服务端还能继续发送数据，直到它也关闭。',
    ),
    sysctls: ['net.ipv4.tcp_fin_timeout'],
    script: [
      ...open,
      { kind: 'app', side: 'client', call: 'send', len: 100 },
      settle,
      { kind: 'app', side: 'client', call: 'close' },
      settle,
      { kind: 'app', side: 'server', call: 'send', len: 1000 },
      settle,
      { kind: 'app', side: 'server', call: 'send', len: 1000 },
      settle,
      { kind: 'app', side: 'server', call: 'close' },
      settle,
    ],
  },
  {
    id: 'simultaneous-open',
    title: L('Simultaneous open', '同时打开'),
    lesson: L(
      'Both ends connect() to each other at once. Each SYN crosses the other, both go SYN-SENT -> SYN-RECEIVED -> ESTABLISHED, and four segments replace the three-way handshake.',
      '双方同时向对方 connect()。两个 SYN 在途中交错，双方都经历 SYN-SENT -> SYN-RECEIVED -> ESTABLISHED，用四个报文代替三次握手。',
    ),
    sysctls: [],
    script: [connect, { kind: 'app', side: 'server', call: 'connect' }, settle],
  },
  {
    id: 'simultaneous-close',
    title: L('Simultaneous close (CLOSING)', '同时关闭（CLOSING）'),
    lesson: L(
      'Both ends close at once: each receives a FIN while its own is unacknowledged, passes through CLOSING, and both end in TIME-WAIT.',
      '双方同时关闭：各自在自己的 FIN 还未被确认时收到对方的 FIN，进入 CLOSING，最后双方都进入 TIME-WAIT。',
    ),
    sysctls: [],
    script: [...open, { kind: 'app', side: 'client', call: 'close' }, { kind: 'app', side: 'server', call: 'close' }, settle],
  },
  {
    id: 'refused',
    title: L('RST on a closed port (connection refused)', '端口未监听：RST（连接被拒绝）'),
    lesson: L(
      'Nothing listens on the port, so the server\'s stack answers the SYN with RST,ACK and connect() fails with ECONNREFUSED at once.',
      '端口上没有程序监听，服务端协议栈用 RST,ACK 回应 SYN，connect() 立刻以 ECONNREFUSED 失败。',
    ),
    sysctls: [],
    script: [connect, settle],
  },
  {
    id: 'rst-abort',
    title: L('RST abort (SO_LINGER 0)', 'RST 中止（SO_LINGER 为 0）'),
    lesson: L(
      'close() with SO_LINGER {on, 0} skips the FIN handshake: a RST goes out, no TIME-WAIT is left, and the peer\'s next read fails with ECONNRESET.',
      '设置 SO_LINGER {on, 0} 后 close() 跳过 FIN 挥手：直接发送 RST，不留 TIME-WAIT，对端下一次读会得到 ECONNRESET。',
    ),
    sysctls: [],
    script: [...open, ...request, { kind: 'app', side: 'client', call: 'abort' }, settle],
  },
  {
    id: 'lost-syn',
    title: L('Lost SYN (retransmission with back-off)', 'SYN 丢失（退避重传）'),
    lesson: L(
      'The first SYNs are lost. Linux retransmits them on a 1 s timer (tcp_syn_linear_timeouts) before doubling; after tcp_syn_retries connect() gives up with ETIMEDOUT.',
      '前几个 SYN 丢失。Linux 先按 1 秒的固定间隔重传（tcp_syn_linear_timeouts），之后翻倍退避；超过 tcp_syn_retries 次后 connect() 以 ETIMEDOUT 放弃。',
    ),
    sysctls: ['net.ipv4.tcp_syn_retries', 'net.ipv4.tcp_syn_linear_timeouts'],
    script: [listen, lose({ from: 'client', kind: 'syn' }, L('a firewall drops it.', '被防火墙丢弃。'), 2), connect, settle],
  },
  {
    id: 'lost-syn-ack',
    title: L('Lost SYN-ACK', 'SYN-ACK 丢失'),
    lesson: L(
      'The SYN-ACK is lost. Both ends now wait: the client retransmits its SYN and the server its SYN-ACK, whichever timer fires first.',
      'SYN-ACK 丢失。双方都在等待：客户端重传 SYN，服务端重传 SYN-ACK，看谁的计时器先到期。',
    ),
    sysctls: ['net.ipv4.tcp_synack_retries', 'net.ipv4.tcp_syn_retries'],
    script: [listen, lose({ from: 'server', kind: 'syn-ack' }, L('congestion on the return path.', '回程路径拥塞。')), connect, settle],
  },
  {
    id: 'lost-final-ack',
    title: L('Lost final ACK (why TIME-WAIT lasts 2MSL)', '最后的 ACK 丢失（TIME-WAIT 为何要等 2MSL）'),
    lesson: L(
      'The client\'s last ACK is lost. The server, still in LAST-ACK, retransmits its FIN; because the client waited in TIME-WAIT it can acknowledge it again. Without TIME-WAIT the FIN would meet a RST.',
      '客户端最后的 ACK 丢了。仍处于 LAST-ACK 的服务端重传 FIN；正因为客户端还在 TIME-WAIT，它能再次确认。没有 TIME-WAIT，这个 FIN 只会换来 RST。',
    ),
    sysctls: ['net.ipv4.tcp_tw_reuse', 'net.ipv4.tcp_max_tw_buckets'],
    script: [
      ...open,
      { kind: 'app', side: 'client', call: 'close' },
      settle,
      lose({ from: 'client', kind: 'ack', receiverState: 'LAST-ACK' }, L('the last ACK never arrives.', '最后的 ACK 没有到达。')),
      { kind: 'app', side: 'server', call: 'close' },
      settle,
    ],
  },
  {
    id: 'syn-flood',
    title: L('SYN flood filling the SYN queue', 'SYN 洪水填满半连接队列'),
    lesson: L(
      'A SYN from a spoofed address: the SYN-ACK goes nowhere, the server keeps a half-open connection in SYN-RECEIVED and retransmits tcp_synack_retries times before dropping it. Thousands of these fill the SYN queue; tcp_syncookies answers without keeping state.',
      '来自伪造地址的 SYN：SYN-ACK 无处可去，服务端在 SYN-RECEIVED 保留半连接并重传 tcp_synack_retries 次才丢弃。成千上万个这样的 SYN 会占满半连接队列；tcp_syncookies 可以不保存状态地应答。',
    ),
    sysctls: ['net.ipv4.tcp_syncookies', 'net.ipv4.tcp_max_syn_backlog', 'net.ipv4.tcp_synack_retries'],
    script: [listen, connect, { kind: 'crash', side: 'client' }, settle],
  },
  {
    id: 'accept-queue-full',
    title: L('Full accept queue', '全连接队列已满'),
    lesson: L(
      'The application does not accept() fast enough. Linux drops the handshake\'s final ACK while the accept queue is full: the client believes it is ESTABLISHED, the server stays in SYN-RECEIVED and retransmits SYN-ACK until there is room.',
      '应用 accept() 不够快。全连接队列满时 Linux 丢弃握手的最后一个 ACK：客户端以为已经 ESTABLISHED，服务端却停在 SYN-RECEIVED 并重传 SYN-ACK，直到队列有空位。',
    ),
    sysctls: ['net.core.somaxconn', 'net.ipv4.tcp_abort_on_overflow'],
    script: [
      listen,
      lose({ from: 'client', kind: 'ack', receiverState: 'SYN-RECEIVED' }, L('the accept queue is full, so the server drops the ACK.', '全连接队列已满，服务端丢弃该 ACK。'), 2),
      connect,
      settle,
    ],
  },
  {
    id: 'keepalive-dead-peer',
    title: L('Keep-alive probing a dead peer', '保活探测已失联的对端'),
    lesson: L(
      'The server\'s host dies without a word. Only keep-alive notices: after tcp_keepalive_time idle the client probes every tcp_keepalive_intvl, and after tcp_keepalive_probes unanswered probes the connection is dropped with ETIMEDOUT (probes shortened to 3 here).',
      '服务端主机悄无声息地宕机了。只有保活机制能发现：空闲 tcp_keepalive_time 后客户端每隔 tcp_keepalive_intvl 探测一次，连续 tcp_keepalive_probes 次无应答后以 ETIMEDOUT 断开（这里把探测次数缩短为 3）。',
    ),
    sysctls: ['net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'],
    script: [...open, ...request, { kind: 'keepalive', side: 'client' }, { kind: 'crash', side: 'server' }, settle],
  },
  {
    id: 'zero-window',
    title: L('Zero window and probes', '零窗口与窗口探测'),
    lesson: L(
      'The server\'s application stops reading, and its receive buffer holds only 1000 bytes (SO_RCVBUF, capped by ' +
        'net.core.rmem_max; by default the size comes from net.ipv4.tcp_rmem and autotuning, net.ipv4.tcp_moderate_rcvbuf). ' +
        'The client\'s first 1000 bytes fill the window (window-full), the next 1000 wait, and the server\'s ACK says ' +
        'win 0. The client then sends no data, only zero-window probes from its persist timer (Linux: no data, SEQ = ' +
        'SND.UNA - 1, like a keep-alive; first after one RTO, then backing off; given up after net.ipv4.tcp_retries2 ' +
        'unanswered probes), until the application reads and a window update reopens the window. Both ends stay ' +
        'ESTABLISHED. In ss you would see Recv-Q growing on the receiver and Send-Q on the sender; in tcpdump, `win 0`. ' +
        'Here the whole buffer is window; Linux advertises only part of it (net.ipv4.tcp_adv_win_scale, a measured ratio ' +
        'since Linux 6.6).',
      '服务端应用不再读取，而它的接收缓冲区只有 1000 字节（SO_RCVBUF，上限为 net.core.rmem_max；默认大小来自 ' +
        'net.ipv4.tcp_rmem 和自动调整 net.ipv4.tcp_moderate_rcvbuf）。客户端的前 1000 字节填满窗口（window-full），' +
        '后 1000 字节只能等待，服务端的 ACK 通告 win 0。此后客户端不再发送数据，只由坚持（persist）计时器发送零窗口探测' +
        '（Linux：不带数据，SEQ = SND.UNA - 1，和保活探测一样；第一次在一个 RTO 之后，之后指数退避；连续 ' +
        'net.ipv4.tcp_retries2 次无应答则放弃），直到应用读取数据、窗口更新重新打开窗口。两端始终是 ESTABLISHED。' +
        '用 ss 会看到接收方的 Recv-Q 和发送方的 Send-Q 不断增长；用 tcpdump 会看到 `win 0`。这里把整个缓冲区都算作窗口；' +
        'Linux 只通告其中一部分（net.ipv4.tcp_adv_win_scale，自 Linux 6.6 起改为按实测比例计算）。',
    ),
    sysctls: ['net.ipv4.tcp_rmem', 'net.core.rmem_max', 'net.ipv4.tcp_adv_win_scale', 'net.ipv4.tcp_moderate_rcvbuf', 'net.ipv4.tcp_retries2'],
    script: [
      { kind: 'rcvbuf', side: 'server', bytes: 1000 },
      ...open,
      { kind: 'app', side: 'client', call: 'send', len: 1000 },
      { kind: 'app', side: 'client', call: 'send', len: 1000 },
      settle,
      // The server's application sleeps for 1.6 s: long enough for three probes (after 200, 400 and 800 ms).
      { kind: 'wait', ms: 1600 },
      { kind: 'app', side: 'server', call: 'read', len: 1000 },
      settle,
      { kind: 'app', side: 'server', call: 'read', len: 1000 },
      settle,
    ],
  },
];

export function scenarioById(id: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.id === id);
}
