/**
 * Transitions between the RFC 9293 states, labelled as RFC 9293 writes them (`rcv SYN / snd SYN,ACK`).
 *
 * `origin` says where a transition comes from:
 * - `figure`: drawn in RFC 9293 section 3.3.2, Figure 5 (20 arrows);
 * - `note`: the figure's own notes name it but leave it out (Note 2: FIN-WAIT-1 -> TIME-WAIT on FIN plus the ACK of
 *   our FIN; Note 3: a received RST moves any state to LISTEN or CLOSED);
 * - `event`: RFC 9293 section 3.10 event processing (ABORT, user timeout, a retransmitted FIN in TIME-WAIT, ...);
 * - `linux`: what Linux adds (the FIN-WAIT-2 timeout of orphaned sockets).
 */
import type { Lang, Localized, TcpState } from '../model';
import { L, tr } from './lang';

export type TransitionOrigin = 'figure' | 'note' | 'event' | 'linux';

export interface Transition {
  readonly from: TcpState;
  readonly to: TcpState;
  /** The event, as RFC 9293 writes it: `rcv SYN`, `CLOSE`, `Timeout=2MSL`, `passive OPEN`. */
  readonly event: string;
  /** The action, as RFC 9293 writes it: `snd SYN,ACK`, `delete TCB`; `x` when nothing is sent; '' when unlabelled. */
  readonly action: string;
  readonly origin: TransitionOrigin;
  /** What happens, in plain words. */
  readonly explanation: Localized;
}

/** `event / action` as a diagram label; just the event when there is no action. */
export function transitionLabel(t: Transition): string {
  return t.action ? `${t.event} / ${t.action}` : t.event;
}

const T = (
  from: TcpState,
  to: TcpState,
  event: string,
  action: string,
  origin: TransitionOrigin,
  explanation: Localized,
): Transition => ({ from, to, event, action, origin, explanation });

const ALL: readonly Transition[] = [
  // --- RFC 9293 Figure 5 -----------------------------------------------------------------------------------------
  T('CLOSED', 'LISTEN', 'passive OPEN', 'create TCB', 'figure', L(
    'A server calls `listen()`: the socket starts waiting for SYNs.',
    '服务端调用 `listen()`，套接字开始等待 SYN。',
  )),
  T('CLOSED', 'SYN-SENT', 'active OPEN', 'create TCB, snd SYN', 'figure', L(
    'A client calls `connect()`: the kernel sends a SYN with its initial sequence number.',
    '客户端调用 `connect()`，内核发出带初始序列号的 SYN。',
  )),
  T('LISTEN', 'CLOSED', 'CLOSE', 'delete TCB', 'figure', L(
    'The server closes its listening socket; handshakes still queued are reset.',
    '服务端关闭监听套接字，队列里尚未被取走的连接会被重置。',
  )),
  T('LISTEN', 'SYN-RECEIVED', 'rcv SYN', 'snd SYN,ACK', 'figure', L(
    'A SYN arrives: the server acknowledges it and sends its own SYN in the same segment (handshake step 2).',
    '收到 SYN：服务端确认它，并在同一个报文里带上自己的 SYN（握手第二步）。',
  )),
  T('LISTEN', 'SYN-SENT', 'SEND', 'snd SYN', 'figure', L(
    'The user sends on a listening connection, which turns it into an active open. Socket APIs do not offer this.',
    '用户在监听中的连接上发送数据，使它变成主动打开。常见的套接字 API 不支持这种用法。',
  )),
  T('SYN-RECEIVED', 'LISTEN', 'rcv RST', '', 'figure', L(
    'The client resets the half-open connection; because it came from a passive OPEN, the server goes back to ' +
      'listening (RFC 9293 Note 1).',
    '客户端重置了这个半连接；由于它来自被动打开，服务端回到监听状态（RFC 9293 注 1）。',
  )),
  T('SYN-SENT', 'SYN-RECEIVED', 'rcv SYN', 'snd SYN,ACK', 'figure', L(
    'Simultaneous open: while waiting for a SYN-ACK, a bare SYN arrives from the peer, which is connecting at the ' +
      'same time. Each side answers SYN-ACK.',
    '同时打开：在等 SYN-ACK 时，收到了对端同时发起连接的 SYN，双方各自回复 SYN-ACK。',
  )),
  T('SYN-SENT', 'CLOSED', 'CLOSE', 'delete TCB', 'figure', L(
    'The client gives up connecting (closes the socket before the handshake completes).',
    '客户端放弃连接（握手完成前就关闭了套接字）。',
  )),
  T('SYN-RECEIVED', 'ESTABLISHED', 'rcv ACK of SYN', 'x', 'figure', L(
    'The client\'s ACK completes the handshake on the server (step 3); the connection waits in the accept queue.',
    '客户端的 ACK 让服务端完成握手（第三步），连接进入全连接队列等待 `accept()`。',
  )),
  T('SYN-SENT', 'ESTABLISHED', 'rcv SYN,ACK', 'snd ACK', 'figure', L(
    'The SYN-ACK arrives: the client acknowledges it (step 3) and `connect()` returns.',
    '收到 SYN-ACK：客户端回复 ACK（第三步），`connect()` 返回。',
  )),
  T('SYN-RECEIVED', 'FIN-WAIT-1', 'CLOSE', 'snd FIN', 'figure', L(
    'The local side closes before the handshake has completed on its side; it sends FIN right away.',
    '本端在握手尚未完成时就关闭，直接发出 FIN。',
  )),
  T('ESTABLISHED', 'FIN-WAIT-1', 'CLOSE', 'snd FIN', 'figure', L(
    'The application closes first (active close): FIN goes out after any queued data.',
    '应用先关闭（主动关闭）：FIN 排在待发数据之后发出。',
  )),
  T('ESTABLISHED', 'CLOSE-WAIT', 'rcv FIN', 'snd ACK', 'figure', L(
    'The peer closes first: the kernel acknowledges the FIN and `read()` returns 0 (EOF). Now the application must ' +
      'close.',
    '对端先关闭：内核确认它的 FIN，`read()` 返回 0（EOF）。接下来该本机应用关闭了。',
  )),
  T('FIN-WAIT-1', 'FIN-WAIT-2', 'rcv ACK of FIN', 'x', 'figure', L(
    'The peer acknowledges our FIN; we now wait for its FIN.',
    '对端确认了本端的 FIN，接下来等它的 FIN。',
  )),
  T('FIN-WAIT-1', 'CLOSING', 'rcv FIN', 'snd ACK', 'figure', L(
    'Simultaneous close: the peer\'s FIN arrives before the ACK of ours; we acknowledge it.',
    '同时关闭：对端的 FIN 比对本端 FIN 的 ACK 先到，本端确认它。',
  )),
  T('CLOSE-WAIT', 'LAST-ACK', 'CLOSE', 'snd FIN', 'figure', L(
    'The application finally closes: the passive closer sends its FIN.',
    '应用终于关闭：被动关闭方发出自己的 FIN。',
  )),
  T('FIN-WAIT-2', 'TIME-WAIT', 'rcv FIN', 'snd ACK', 'figure', L(
    'The peer\'s FIN arrives; we send the last ACK and start the TIME-WAIT timer.',
    '收到对端的 FIN，本端发出最后一个 ACK，开始 TIME-WAIT 计时。',
  )),
  T('CLOSING', 'TIME-WAIT', 'rcv ACK of FIN', 'x', 'figure', L(
    'Our FIN is acknowledged after a simultaneous close; both sides end in TIME-WAIT.',
    '同时关闭后本端的 FIN 被确认，双方都进入 TIME-WAIT。',
  )),
  T('LAST-ACK', 'CLOSED', 'rcv ACK of FIN', 'x', 'figure', L(
    'The last ACK arrives: the passive closer deletes the connection at once (no TIME-WAIT on this side).',
    '最后的 ACK 到达：被动关闭方立刻删除连接（这一侧没有 TIME-WAIT）。',
  )),
  T('TIME-WAIT', 'CLOSED', 'Timeout=2MSL', 'delete TCB', 'figure', L(
    'The TIME-WAIT timer expires (60 s on Linux) and the connection is gone.',
    'TIME-WAIT 计时结束（Linux 上为 60 秒），连接彻底消失。',
  )),

  // --- Left out of the figure, named by its notes -----------------------------------------------------------------
  T('FIN-WAIT-1', 'TIME-WAIT', 'rcv FIN + ACK of FIN', 'snd ACK', 'note', L(
    'One segment carries both the peer\'s FIN and the ACK of our FIN (the peer had nothing left to send): we skip ' +
      'FIN-WAIT-2 and CLOSING (RFC 9293 Note 2). This is the common "three-segment close" seen in captures.',
    '一个报文同时带着对端的 FIN 和对本端 FIN 的 ACK（对端已无数据要发）：跳过 FIN-WAIT-2 和 CLOSING（RFC 9293 注 2）。' +
      '抓包里常见的"三次挥手"就是这种情况。',
  )),
  T('SYN-SENT', 'CLOSED', 'rcv RST', 'delete TCB', 'note', L(
    'An RST that acknowledges our SYN: nobody listens on that port (or a firewall rejects). `connect()` fails with ' +
      '`ECONNREFUSED`.',
    '收到确认了本端 SYN 的 RST：对端端口没有监听（或被防火墙拒绝）。`connect()` 以 `ECONNREFUSED` 失败。',
  )),
  T('SYN-RECEIVED', 'CLOSED', 'rcv RST', 'delete TCB', 'note', L(
    'A reset during a handshake that began with an active OPEN (simultaneous open): the attempt is refused.',
    '由主动打开开始的握手（同时打开）中收到 RST：这次连接被拒绝。',
  )),
  T('ESTABLISHED', 'CLOSED', 'rcv RST', 'delete TCB', 'note', L(
    'The peer resets the connection: pending data is discarded and the application gets `ECONNRESET` ' +
      '("Connection reset by peer").',
    '对端重置了连接：未处理的数据被丢弃，应用收到 `ECONNRESET`（"Connection reset by peer"）。',
  )),
  T('FIN-WAIT-1', 'CLOSED', 'rcv RST', 'delete TCB', 'note', L(
    'The peer resets instead of acknowledging our FIN (often: it received data after it had closed).',
    '对端没有确认本端的 FIN，而是发来 RST（常见原因：它关闭后又收到了数据）。',
  )),
  T('FIN-WAIT-2', 'CLOSED', 'rcv RST', 'delete TCB', 'note', L(
    'The peer resets instead of sending its FIN.',
    '对端没有发 FIN，而是发来 RST。',
  )),
  T('CLOSE-WAIT', 'CLOSED', 'rcv RST', 'delete TCB', 'note', L(
    'The peer, already closed, resets: typically our application wrote after the peer had closed, and the next ' +
      'write fails with `EPIPE`.',
    '已关闭的对端发来 RST：通常是本机应用在对端关闭后还在写，之后再写就会报 `EPIPE`。',
  )),
  T('CLOSING', 'CLOSED', 'rcv RST', 'delete TCB', 'note', L(
    'A reset ends a simultaneous close early.',
    'RST 提前结束了同时关闭。',
  )),
  T('LAST-ACK', 'CLOSED', 'rcv RST', 'delete TCB', 'note', L(
    'A reset instead of the last ACK; the result is the same: the connection is gone.',
    '等来的不是最后的 ACK 而是 RST，结果一样：连接消失。',
  )),
  T('TIME-WAIT', 'CLOSED', 'rcv RST', 'delete TCB', 'note', L(
    'A reset kills TIME-WAIT early ("TIME-WAIT assassination", RFC 1337). Linux allows it unless ' +
      '`net.ipv4.tcp_rfc1337=1`.',
    'RST 提前结束了 TIME-WAIT（"TIME-WAIT 暗杀"，见 RFC 1337）。除非设置 `net.ipv4.tcp_rfc1337=1`，Linux 允许这样做。',
  )),

  // --- RFC 9293 section 3.10 event processing ---------------------------------------------------------------------
  T('TIME-WAIT', 'TIME-WAIT', 'rcv FIN', 'snd ACK, restart 2MSL timer', 'event', L(
    'The peer did not get our last ACK and resent its FIN: we acknowledge again and restart the wait. This is why ' +
      'TIME-WAIT exists.',
    '对端没收到本端最后的 ACK，重发了 FIN：本端再确认一次并重新计时。这正是 TIME-WAIT 存在的原因。',
  )),
  T('LISTEN', 'CLOSED', 'ABORT', 'delete TCB', 'event', L(
    'Abort on a listening socket: nothing is sent.',
    '中止监听套接字：不发送任何报文。',
  )),
  T('SYN-SENT', 'CLOSED', 'ABORT', 'delete TCB', 'event', L(
    'Abort while connecting: nothing is sent.',
    '连接过程中中止：不发送任何报文。',
  )),
  T('SYN-RECEIVED', 'CLOSED', 'ABORT', 'snd RST, delete TCB', 'event', L(
    'Abort during the handshake: an RST tells the peer.',
    '握手过程中中止：发 RST 通知对端。',
  )),
  T('ESTABLISHED', 'CLOSED', 'ABORT', 'snd RST, delete TCB', 'event', L(
    'Abort: queued data is thrown away and an RST is sent (for example `close()` with `SO_LINGER` timeout 0, or ' +
      '`close()` with unread data in the receive queue on Linux).',
    '中止：丢弃待发数据并发送 RST（例如设置了超时为 0 的 `SO_LINGER` 后 `close()`，或 Linux 上接收队列还有未读数据时 `close()`）。',
  )),
  T('FIN-WAIT-1', 'CLOSED', 'ABORT', 'snd RST, delete TCB', 'event', L(
    'Abort while our FIN is unacknowledged: an RST replaces the orderly close.',
    '本端 FIN 尚未被确认时中止：用 RST 代替正常关闭。',
  )),
  T('FIN-WAIT-2', 'CLOSED', 'ABORT', 'snd RST, delete TCB', 'event', L(
    'Abort while waiting for the peer\'s FIN: an RST is sent.',
    '等对端 FIN 时中止：发送 RST。',
  )),
  T('CLOSE-WAIT', 'CLOSED', 'ABORT', 'snd RST, delete TCB', 'event', L(
    'Abort after the peer closed: an RST is sent instead of our FIN.',
    '对端关闭后本端中止：发送 RST 而不是 FIN。',
  )),
  T('CLOSING', 'CLOSED', 'ABORT', 'delete TCB', 'event', L(
    'Abort while closing: the connection is simply deleted.',
    '关闭过程中中止：直接删除连接。',
  )),
  T('LAST-ACK', 'CLOSED', 'ABORT', 'delete TCB', 'event', L(
    'Abort while waiting for the last ACK: the connection is simply deleted.',
    '等最后的 ACK 时中止：直接删除连接。',
  )),
  T('TIME-WAIT', 'CLOSED', 'ABORT', 'delete TCB', 'event', L(
    'Abort during TIME-WAIT: the connection is simply deleted.',
    'TIME-WAIT 期间中止：直接删除连接。',
  )),
  T('SYN-SENT', 'CLOSED', 'USER TIMEOUT', 'delete TCB', 'event', L(
    'The SYN was never answered: after the last retransmission (about 131 s on Linux 6.5+ defaults) `connect()` ' +
      'fails with `ETIMEDOUT`.',
    'SYN 始终没有回应：最后一次重传之后（Linux 6.5+ 默认约 131 秒），`connect()` 以 `ETIMEDOUT` 失败。',
  )),
  T('SYN-RECEIVED', 'CLOSED', 'USER TIMEOUT', 'delete TCB', 'event', L(
    'The final ACK never came: after `tcp_synack_retries` SYN-ACKs (about 63 s by default) Linux drops the request.',
    '最后的 ACK 一直没来：重发 `tcp_synack_retries` 次 SYN-ACK 后（默认约 63 秒），Linux 丢弃这个请求。',
  )),
  T('ESTABLISHED', 'CLOSED', 'USER TIMEOUT', 'delete TCB', 'event', L(
    'Data stayed unacknowledged too long (`tcp_retries2`, `TCP_USER_TIMEOUT`) or keepalive probes went unanswered: ' +
      'the connection is dropped and the application gets `ETIMEDOUT`.',
    '数据太久没有被确认（`tcp_retries2`、`TCP_USER_TIMEOUT`），或保活探测一直没有回应：连接被丢弃，应用收到 `ETIMEDOUT`。',
  )),

  // --- Linux --------------------------------------------------------------------------------------------------------
  T('FIN-WAIT-2', 'CLOSED', 'Timeout=tcp_fin_timeout', 'delete TCB', 'linux', L(
    'Linux only: when the application has already closed the socket (an orphan), FIN-WAIT-2 ends after ' +
      '`tcp_fin_timeout` (60 s) even if the peer never sends its FIN.',
    '仅 Linux：应用已经关闭套接字（孤儿套接字）时，即使对端一直不发 FIN，FIN-WAIT-2 也会在 `tcp_fin_timeout`（60 秒）后结束。',
  )),
];

/** Every transition we describe. */
export const TRANSITIONS: readonly Transition[] = ALL;

/** The 20 transitions drawn in RFC 9293 Figure 5. */
export const FIGURE_TRANSITIONS: readonly Transition[] = ALL.filter((t) => t.origin === 'figure');

export function transitionsFrom(state: TcpState): readonly Transition[] {
  return ALL.filter((t) => t.from === state);
}

export function transitionsTo(state: TcpState): readonly Transition[] {
  return ALL.filter((t) => t.to === state);
}

/** Every transition from `from` to `to` (there can be several, e.g. ESTABLISHED -> CLOSED by RST, ABORT, timeout). */
export function findTransitions(from: TcpState, to: TcpState): readonly Transition[] {
  return ALL.filter((t) => t.from === from && t.to === to);
}

/** One line for a diagram tooltip or an event log: the RFC label, then the explanation. */
export function describeTransition(t: Transition, lang: Lang): string {
  const arrow = `${t.from} → ${t.to}`;
  const origin =
    t.origin === 'figure'
      ? ''
      : lang === 'zh-cn'
        ? { note: '（RFC 9293 图 5 未画出，见其注释）', event: '（RFC 9293 第 3.10 节事件处理）', linux: '（Linux 行为）', figure: '' }[t.origin]
        : { note: ' (left out of RFC 9293 Figure 5; see its notes)', event: ' (RFC 9293 section 3.10)', linux: ' (Linux behaviour)', figure: '' }[t.origin];
  return `**${arrow}** \`${transitionLabel(t)}\`${origin}\n\n${tr(t.explanation, lang)}`;
}
