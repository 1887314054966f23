/**
 * Socket errors as applications report them: the Linux errno (name, number, message), its BSD/macOS number, its
 * Windows WSAE twin, the TCP event behind it and what to check. Lookup by name, number or message text (including
 * the shapes runtimes print: `[Errno 104]`, `read ECONNRESET`, `java.net.ConnectException: Connection refused`,
 * Windows' "An existing connection was forcibly closed by the remote host", and its Chinese message).
 */
import type { Lang, Localized } from '../model';
import { L, tr } from './lang';

export interface ErrnoInfo {
  /** Linux name, e.g. `ECONNRESET`. */
  readonly name: string;
  /** Other names for the same error (`EWOULDBLOCK` for `EAGAIN`). */
  readonly aliases: readonly string[];
  /** Linux number (x86-64, arm64 and the other asm-generic architectures). */
  readonly linux: number;
  /** macOS / FreeBSD number. */
  readonly bsd?: number;
  /** Linux strerror() text. */
  readonly message: string;
  /** Windows Sockets twin, when there is one. */
  readonly windows?: { readonly name: string; readonly code: number; readonly message: string; readonly messageZh?: string };
  /**
   * Other text that names this error, matched case-insensitively: runtime exception names (Python, Java, Node.js) and
   * the glibc zh_CN translation of the message, which Chinese-locale tools print.
   */
  readonly phrases: readonly string[];
  /** The TCP event behind it. */
  readonly tcpEvent: Localized;
  /** What to check. */
  readonly check: Localized;
}

const LIST: readonly ErrnoInfo[] = [
  {
    name: 'ECONNRESET',
    aliases: [],
    linux: 104,
    bsd: 54,
    message: 'Connection reset by peer',
    windows: {
      name: 'WSAECONNRESET',
      code: 10054,
      message: 'An existing connection was forcibly closed by the remote host',
      messageZh: '远程主机强迫关闭了一个现有的连接',
    },
    phrases: ['ConnectionResetError', 'java.net.SocketException: Connection reset', 'socket hang up', '连接被对方重设'],
    tcpEvent: L(
      'An **RST arrived** on an open connection: the peer (or a firewall, NAT or load balancer in the middle) aborted ' +
        'it. Typical reasons: the peer closed with unread data or `SO_LINGER` 0, its process crashed and the host ' +
        'answered later segments with RST, an idle connection was forgotten by a middlebox, or the server\'s accept ' +
        'queue overflowed with `tcp_abort_on_overflow=1`.',
      '已建立的连接上**收到了 RST**：对端（或中间的防火墙、NAT、负载均衡）中止了连接。常见原因：对端在还有未读数据时关闭或用了 ' +
        '`SO_LINGER` 0；对端进程崩溃，主机对后续报文回了 RST；空闲连接被中间设备遗忘；或者服务端在 `tcp_abort_on_overflow=1` ' +
        '时全连接队列溢出。',
    ),
    check: L(
      'Capture and find who sent the RST (`tcpdump -nn \'tcp[tcpflags] & tcp-rst != 0\'`): the server itself, or a ' +
        'device in between (TTL or MAC differing from the server\'s packets). Compare idle timeouts of pools and ' +
        'keep-alives with the server\'s and the middleboxes\'; retry idempotent requests on a fresh connection.',
      '抓包找出是谁发的 RST（`tcpdump -nn \'tcp[tcpflags] & tcp-rst != 0\'`）：是服务端本身，还是中间设备' +
        '（TTL 或 MAC 与服务端的报文不同）。对比连接池/长连接的空闲超时与服务端和中间设备的超时；幂等请求在新连接上重试。',
    ),
  },
  {
    name: 'ECONNREFUSED',
    aliases: [],
    linux: 111,
    bsd: 61,
    message: 'Connection refused',
    windows: {
      name: 'WSAECONNREFUSED',
      code: 10061,
      message: 'No connection could be made because the target machine actively refused it',
      messageZh: '由于目标计算机积极拒绝，无法连接',
    },
    phrases: ['ConnectionRefusedError', '拒绝连接'],
    tcpEvent: L(
      'The SYN was answered with an **RST** (`[R.]` with ack = ISN + 1): nothing listens on that address and port. An ' +
        'ICMP "port unreachable" (e.g. from an iptables REJECT rule) gives the same error.',
      'SYN 收到的回应是 **RST**（`[R.]`，ack = ISN + 1）：该地址和端口上没有程序在监听。收到 ICMP "端口不可达"' +
        '（例如 iptables 的 REJECT 规则）也会得到同样的错误。',
    ),
    check: L(
      'Is the service running and listening on that address (`ss -lntp`)? A server bound to `127.0.0.1` refuses ' +
        'connections to the host\'s other addresses. Check the port number, container port mappings and REJECT ' +
        'firewall rules.',
      '服务是否在运行、是否监听了这个地址（`ss -lntp`）？只绑定 `127.0.0.1` 的服务会拒绝发往本机其他地址的连接。' +
        '检查端口号、容器端口映射和带 REJECT 的防火墙规则。',
    ),
  },
  {
    name: 'ETIMEDOUT',
    aliases: [],
    linux: 110,
    bsd: 60,
    message: 'Connection timed out',
    windows: {
      name: 'WSAETIMEDOUT',
      code: 10060,
      message:
        'A connection attempt failed because the connected party did not properly respond after a period of time, or ' +
        'established connection failed because connected host has failed to respond',
      messageZh: '由于连接方在一段时间后没有正确答复或连接的主机没有反应，连接尝试失败',
    },
    phrases: ['连接超时'],
    tcpEvent: L(
      'The kernel gave up after retransmitting with no answer: SYNs during `connect()` (about 131 s with Linux 6.5+ ' +
        'defaults), data on an established connection (`tcp_retries2`, ~15 min, or `TCP_USER_TIMEOUT`), or keepalive ' +
        'probes.',
      '内核重传后一直得不到回应，只好放弃：`connect()` 时的 SYN（Linux 6.5+ 默认约 131 秒）、已建立连接上的数据' +
        '（`tcp_retries2`，约 15 分钟，或 `TCP_USER_TIMEOUT`），或者保活探测。',
    ),
    check: L(
      'Packets are silently dropped somewhere: a firewall or security group with DROP, a down host, a broken route, or ' +
        'a full SYN queue on the server. Capture on both sides to see where they stop. (An application\'s own timeout, ' +
        'like Go\'s "i/o timeout", is a deadline, not this errno.)',
      '报文在某处被悄悄丢弃了：带 DROP 规则的防火墙或安全组、宕机的主机、断掉的路由，或服务端 SYN 队列已满。' +
        '在两端同时抓包，看报文在哪里消失。（应用自己的超时，比如 Go 的 "i/o timeout"，是截止时间，不是这个错误码。）',
    ),
  },
  {
    name: 'EPIPE',
    aliases: [],
    linux: 32,
    bsd: 32,
    message: 'Broken pipe',
    phrases: ['BrokenPipeError', '断开的管道'],
    tcpEvent: L(
      'The application wrote to a connection that is already closed for writing: usually the peer reset it (an RST ' +
        'arrived after the peer closed), or this side already called `shutdown(SHUT_WR)`. The process also gets ' +
        '`SIGPIPE` unless it ignores it or sends with `MSG_NOSIGNAL`.',
      '应用向一个已不能写的连接写数据：通常是对端已经重置了连接（对端关闭后又回了 RST），或者本端已经调用过 ' +
        '`shutdown(SHUT_WR)`。除非进程忽略了 `SIGPIPE` 或发送时带 `MSG_NOSIGNAL`，它还会收到 `SIGPIPE` 信号。',
    ),
    check: L(
      'The peer closed first: handle EOF on reads before writing more, check server-side idle and request timeouts, ' +
        'and do not reuse a connection the peer already closed (pool validation).',
      '对端先关闭了：先处理读到的 EOF 再继续写，检查服务端的空闲和请求超时，不要复用对端已经关闭的连接（连接池要校验）。',
    ),
  },
  {
    name: 'EADDRINUSE',
    aliases: [],
    linux: 98,
    bsd: 48,
    message: 'Address already in use',
    windows: {
      name: 'WSAEADDRINUSE',
      code: 10048,
      message: 'Only one usage of each socket address (protocol/network address/port) is normally permitted',
      messageZh: '通常每个套接字地址(协议/网络地址/端口)只允许使用一次',
    },
    phrases: ['地址已在使用'],
    tcpEvent: L(
      '`bind()` or `listen()` found the address and port taken: another process listens there, or the previous ' +
        'instance left connections in TIME-WAIT on that port and the new one did not set `SO_REUSEADDR`.',
      '`bind()` 或 `listen()` 发现地址和端口已被占用：另一个进程正在那里监听，或者上一个实例在该端口留下了 TIME-WAIT 连接，' +
        '而新实例没有设置 `SO_REUSEADDR`。',
    ),
    check: L(
      '`ss -lntp \'sport = :PORT\'` shows who listens. If only TIME-WAIT rows remain, set `SO_REUSEADDR` before ' +
        '`bind()` (most runtimes already do for servers).',
      '用 `ss -lntp \'sport = :PORT\'` 查谁在监听。如果只剩 TIME-WAIT 行，在 `bind()` 之前设置 `SO_REUSEADDR`（多数运行时对服务端已默认设置）。',
    ),
  },
  {
    name: 'EADDRNOTAVAIL',
    aliases: [],
    linux: 99,
    bsd: 49,
    message: 'Cannot assign requested address',
    windows: {
      name: 'WSAEADDRNOTAVAIL',
      code: 10049,
      message: 'The requested address is not valid in its context',
      messageZh: '在其上下文中，该请求的地址无效',
    },
    phrases: ['无法指定被请求的地址'],
    tcpEvent: L(
      'On `connect()`: no free local port for this destination: the ephemeral range (`ip_local_port_range`) is used ' +
        'up by open and TIME-WAIT connections to the same server address and port. On `bind()`: the address is not ' +
        'configured on this host.',
      '在 `connect()` 时：到这个目的地已经没有空闲的本地端口，临时端口范围（`ip_local_port_range`）被指向同一服务端地址端口的' +
        '活动连接和 TIME-WAIT 占满了。在 `bind()` 时：本机没有配置这个地址。',
    ),
    check: L(
      'Count connections per destination: `ss -tan state time-wait dst IP | wc -l`. Reuse connections (keep-alive, ' +
        'pools); then consider `net.ipv4.tcp_tw_reuse=1` and a wider `net.ipv4.ip_local_port_range`. For `bind()`, ' +
        'check `ip addr`.',
      '按目的地统计连接数：`ss -tan state time-wait dst IP | wc -l`。先复用连接（长连接、连接池），再考虑 ' +
        '`net.ipv4.tcp_tw_reuse=1` 和更大的 `net.ipv4.ip_local_port_range`。如果是 `bind()` 报错，检查 `ip addr`。',
    ),
  },
  {
    name: 'ECONNABORTED',
    aliases: [],
    linux: 103,
    bsd: 53,
    message: 'Software caused connection abort',
    windows: {
      name: 'WSAECONNABORTED',
      code: 10053,
      message: 'An established connection was aborted by the software in your host machine',
      messageZh: '你的主机中的软件中止了一个已建立的连接',
    },
    phrases: ['ConnectionAbortedError'],
    tcpEvent: L(
      'The local stack aborted the connection. Rare on Linux: a connection killed locally (`ss -K`), or one that ' +
        'was aborted while it waited in the accept queue (`accept()` may report it). Common on Windows: a local ' +
        'timeout or too many retransmissions ended the connection, or security software cut it.',
      '本机协议栈中止了连接。在 Linux 上很少见：连接在本机被强行关闭（`ss -K`），或者在全连接队列里等待时被中止' +
        '（`accept()` 可能报这个错）。在 Windows 上很常见：本地超时或重传次数过多结束了连接，或者安全软件切断了它。',
    ),
    check: L(
      'On a server\'s `accept()`, just accept the next connection: this client gave up. Otherwise look for ' +
        'retransmissions before the error and for local firewall or antivirus software.',
      '如果是服务端 `accept()` 报的，继续接受下一个连接即可：这个客户端已经放弃了。否则检查出错前有没有重传，以及本机的防火墙或杀毒软件。',
    ),
  },
  {
    name: 'EHOSTUNREACH',
    aliases: [],
    linux: 113,
    bsd: 65,
    message: 'No route to host',
    windows: {
      name: 'WSAEHOSTUNREACH',
      code: 10065,
      message: 'A socket operation was attempted to an unreachable host',
      messageZh: '套接字操作尝试一个无法连接的主机',
    },
    phrases: ['没有到主机的路由'],
    tcpEvent: L(
      'An ICMP "host unreachable" or "administratively prohibited" came back (a router or an iptables REJECT with ' +
        '`icmp-host-prohibited`), or ARP/neighbour discovery failed for a host on the local network.',
      '收到了 ICMP "主机不可达" 或 "管理性禁止"（来自路由器，或带 `icmp-host-prohibited` 的 iptables REJECT 规则），' +
        '或者本地网段上的主机 ARP/邻居发现失败。',
    ),
    check: L(
      'Is the host up and on the expected network (`ip neigh`, `ping`)? Look for REJECT rules on the target and on ' +
        'routers in between; check routes (`ip route get IP`).',
      '目标主机是否在线、是否在预期的网络上（`ip neigh`、`ping`）？检查目标主机和中间路由器上的 REJECT 规则，以及路由（`ip route get IP`）。',
    ),
  },
  {
    name: 'ENETUNREACH',
    aliases: [],
    linux: 101,
    bsd: 51,
    message: 'Network is unreachable',
    windows: {
      name: 'WSAENETUNREACH',
      code: 10051,
      message: 'A socket operation was attempted to an unreachable network',
      messageZh: '向一个无法连接的网络尝试了一个套接字操作',
    },
    phrases: ['网络不可达'],
    tcpEvent: L(
      'No route matches the destination (no default route, the interface is down), or a router answered ICMP ' +
        '"network unreachable". No SYN may have left the host at all.',
      '没有匹配目的地址的路由（没有默认路由、网卡已断开），或者路由器回了 ICMP "网络不可达"。SYN 可能根本没离开本机。',
    ),
    check: L(
      '`ip route get DEST`; is the interface up; IPv6 destinations on a host without IPv6 connectivity are a common ' +
        'case (prefer IPv4 or fix IPv6 routing).',
      '执行 `ip route get DEST`；确认网卡已启用；常见情形是本机没有 IPv6 连通性却去连 IPv6 地址（改用 IPv4 或修好 IPv6 路由）。',
    ),
  },
  {
    name: 'EAGAIN',
    aliases: ['EWOULDBLOCK'],
    linux: 11,
    bsd: 35,
    message: 'Resource temporarily unavailable',
    windows: {
      name: 'WSAEWOULDBLOCK',
      code: 10035,
      message: 'A non-blocking socket operation could not be completed immediately',
      messageZh: '无法立即完成一个非阻止性套接字操作',
    },
    phrases: ['BlockingIOError'],
    tcpEvent: L(
      'No TCP event: a non-blocking socket has nothing to read yet, or its send buffer is full (the peer or the ' +
        'network is slower than the writer). With `SO_RCVTIMEO`/`SO_SNDTIMEO` it means the timeout expired.',
      '不对应任何 TCP 事件：非阻塞套接字暂时没有数据可读，或者发送缓冲区已满（对端或网络比写入方慢）。设置了 ' +
        '`SO_RCVTIMEO`/`SO_SNDTIMEO` 时，表示超时已到。',
    ),
    check: L(
      'Normal for non-blocking I/O: wait for readiness (epoll, select) and retry. Frequent send-side EAGAIN with a ' +
        'growing Send-Q means the peer reads slowly.',
      '对非阻塞 I/O 来说是正常的：等就绪（epoll、select）后重试。发送端频繁 EAGAIN 且 Send-Q 不断增长，说明对端读得慢。',
    ),
  },
  {
    name: 'EINPROGRESS',
    aliases: [],
    linux: 115,
    bsd: 36,
    message: 'Operation now in progress',
    windows: {
      name: 'WSAEINPROGRESS',
      code: 10036,
      message: 'A blocking operation is currently executing',
    },
    phrases: [],
    tcpEvent: L(
      'Not a failure: a non-blocking `connect()` sent its SYN and returned at once; the socket is in SYN-SENT. ' +
        '(Windows reports this case as `WSAEWOULDBLOCK`; its `WSAEINPROGRESS` means something else.)',
      '不是失败：非阻塞的 `connect()` 发出 SYN 后立即返回，套接字处于 SYN-SENT。' +
        '（Windows 在这种情况下返回 `WSAEWOULDBLOCK`；它的 `WSAEINPROGRESS` 含义不同。）',
    ),
    check: L(
      'Wait until the socket is writable, then read `SO_ERROR` to learn whether the connection succeeded.',
      '等套接字变为可写，再读取 `SO_ERROR` 判断连接是否成功。',
    ),
  },
  {
    name: 'EALREADY',
    aliases: [],
    linux: 114,
    bsd: 37,
    message: 'Operation already in progress',
    windows: {
      name: 'WSAEALREADY',
      code: 10037,
      message: 'An operation was attempted on a non-blocking socket that already had an operation in progress',
    },
    phrases: [],
    tcpEvent: L(
      '`connect()` was called again while the first non-blocking attempt is still in SYN-SENT.',
      '第一次非阻塞连接仍处于 SYN-SENT 时，又调用了一次 `connect()`。',
    ),
    check: L('Wait for writability and `SO_ERROR` instead of calling `connect()` again.', '等待可写并读取 `SO_ERROR`，不要重复调用 `connect()`。'),
  },
  {
    name: 'EMFILE',
    aliases: [],
    linux: 24,
    bsd: 24,
    message: 'Too many open files',
    windows: {
      name: 'WSAEMFILE',
      code: 10024,
      message: 'Too many open sockets',
    },
    phrases: ['打开的文件过多'],
    tcpEvent: L(
      'No TCP event: the process hit its file-descriptor limit (`ulimit -n`), so `socket()` or `accept()` fails. ' +
        'Handshakes keep completing in the kernel and pile up in the accept queue.',
      '不对应任何 TCP 事件：进程打开的文件描述符达到上限（`ulimit -n`），`socket()` 或 `accept()` 失败。' +
        '内核仍在完成握手，连接会堆积在全连接队列里。',
    ),
    check: L(
      'Look for a leak first: `ls /proc/PID/fd | wc -l` over time, and CLOSE-WAIT rows owned by the process. Then raise ' +
        '`LimitNOFILE` / `ulimit -n` if the load is real.',
      '先查泄漏：持续观察 `ls /proc/PID/fd | wc -l`，以及该进程名下的 CLOSE-WAIT 行。确属负载需要，再调高 `LimitNOFILE` / `ulimit -n`。',
    ),
  },
  {
    name: 'ENFILE',
    aliases: [],
    linux: 23,
    bsd: 23,
    message: 'Too many open files in system',
    phrases: [],
    tcpEvent: L(
      'No TCP event: the whole system reached `fs.file-max` open files.',
      '不对应任何 TCP 事件：整个系统打开的文件数达到了 `fs.file-max`。',
    ),
    check: L('Find the process holding the most descriptors; raise `fs.file-max` only for real load.', '找出占用描述符最多的进程；确属负载需要才调高 `fs.file-max`。'),
  },
  {
    name: 'ENOBUFS',
    aliases: [],
    linux: 105,
    bsd: 55,
    message: 'No buffer space available',
    windows: {
      name: 'WSAENOBUFS',
      code: 10055,
      message:
        'An operation on a socket could not be performed because the system lacked sufficient buffer space or because ' +
        'a queue was full',
      messageZh: '由于系统缓冲区空间不足或队列已满，不能执行套接字上的操作',
    },
    phrases: [],
    tcpEvent: L(
      'The kernel could not allocate socket memory (TCP memory pressure, `net.ipv4.tcp_mem`), or a local queue is ' +
        'full. On Windows it classically means the ephemeral ports are exhausted.',
      '内核分配不到套接字内存（TCP 内存压力，`net.ipv4.tcp_mem`），或本地某个队列已满。在 Windows 上它通常意味着临时端口耗尽。',
    ),
    check: L(
      '`ss -s` and `cat /proc/net/sockstat` for socket memory; on Windows count connections in TIME_WAIT and BOUND.',
      '用 `ss -s` 和 `cat /proc/net/sockstat` 查看套接字内存；Windows 上统计 TIME_WAIT 和 BOUND 状态的连接数。',
    ),
  },
  {
    name: 'ENOTCONN',
    aliases: [],
    linux: 107,
    bsd: 57,
    message: 'Transport endpoint is not connected',
    windows: {
      name: 'WSAENOTCONN',
      code: 10057,
      message: 'A request to send or receive data was disallowed because the socket is not connected',
    },
    phrases: [],
    tcpEvent: L(
      'The socket has no connection: it never connected, the connection was reset or timed out, or `shutdown()` was ' +
        'called on an already closed connection.',
      '套接字没有连接：从未连上、连接已被重置或超时，或者对已关闭的连接调用了 `shutdown()`。',
    ),
    check: L(
      'Check the earlier error on this socket (often an ECONNRESET or ETIMEDOUT you ignored) and the order of calls.',
      '查看这个套接字之前的错误（常常是被忽略的 ECONNRESET 或 ETIMEDOUT）以及调用顺序。',
    ),
  },
  {
    name: 'EISCONN',
    aliases: [],
    linux: 106,
    bsd: 56,
    message: 'Transport endpoint is already connected',
    windows: {
      name: 'WSAEISCONN',
      code: 10056,
      message: 'A connect request was made on an already connected socket',
    },
    phrases: [],
    tcpEvent: L(
      '`connect()` on a socket that is already connected. After a non-blocking `connect()`, it is how a second call ' +
        'reports success.',
      '对已连接的套接字调用了 `connect()`。在非阻塞 `connect()` 之后再调用一次时，它表示连接已成功。',
    ),
    check: L('Use a new socket for each connection attempt.', '每次连接尝试都使用新的套接字。'),
  },
  {
    name: 'ENETDOWN',
    aliases: [],
    linux: 100,
    bsd: 50,
    message: 'Network is down',
    windows: { name: 'WSAENETDOWN', code: 10050, message: 'A socket operation encountered a dead network' },
    phrases: [],
    tcpEvent: L('The local interface used for the route is down.', '路由所用的本机网卡处于断开状态。'),
    check: L('`ip link`, cables, Wi-Fi, VPN state.', '检查 `ip link`、网线、Wi-Fi 和 VPN 状态。'),
  },
  {
    name: 'EHOSTDOWN',
    aliases: [],
    linux: 112,
    bsd: 64,
    message: 'Host is down',
    windows: { name: 'WSAEHOSTDOWN', code: 10064, message: 'A socket operation failed because the destination host was down' },
    phrases: [],
    tcpEvent: L('The destination host was reported down (no answer to neighbour discovery).', '目标主机被报告为不在线（邻居发现没有回应）。'),
    check: L('Is the host powered on and on this network?', '目标主机是否开机、是否在这个网络上？'),
  },
  {
    name: 'ENETRESET',
    aliases: [],
    linux: 102,
    bsd: 52,
    message: 'Network dropped connection on reset',
    windows: {
      name: 'WSAENETRESET',
      code: 10052,
      message: 'The connection has been broken due to keep-alive activity detecting a failure while the operation was in progress',
    },
    phrases: [],
    tcpEvent: L(
      'On Windows: keepalive probes found the peer dead during the operation. Rare on Linux.',
      '在 Windows 上：操作进行中，保活探测发现对端已经失联。Linux 上很少见。',
    ),
    check: L('The peer or the path died: check the other host and the network in between.', '对端或链路出了问题：检查另一台主机和中间网络。'),
  },
  {
    name: 'ESHUTDOWN',
    aliases: [],
    linux: 108,
    bsd: 58,
    message: 'Cannot send after transport endpoint shutdown',
    windows: {
      name: 'WSAESHUTDOWN',
      code: 10058,
      message: 'A request to send or receive data was disallowed because the socket had already been shut down in that direction with a previous shutdown call',
    },
    phrases: [],
    tcpEvent: L(
      'Sending after this side called `shutdown(SHUT_WR)` (Linux reports that as EPIPE; Windows as WSAESHUTDOWN).',
      '本端调用 `shutdown(SHUT_WR)` 之后还在发送（Linux 报 EPIPE，Windows 报 WSAESHUTDOWN）。',
    ),
    check: L('Do not write after shutting down the write side.', '关闭写方向后不要再写。'),
  },
];

const BY_NAME: ReadonlyMap<string, ErrnoInfo> = new Map(
  LIST.flatMap((e) => [
    [e.name, e] as const,
    ...e.aliases.map((a) => [a, e] as const),
    ...(e.windows ? [[e.windows.name, e] as const] : []),
  ]),
);
const BY_LINUX: ReadonlyMap<number, ErrnoInfo> = new Map(LIST.map((e) => [e.linux, e]));
const BY_BSD: ReadonlyMap<number, ErrnoInfo> = new Map(LIST.filter((e) => e.bsd !== undefined).map((e) => [e.bsd!, e]));
const BY_WINDOWS: ReadonlyMap<number, ErrnoInfo> = new Map(
  LIST.filter((e) => e.windows).map((e) => [e.windows!.code, e]),
);

export const ERRNOS: readonly ErrnoInfo[] = LIST;

export type ErrnoPlatform = 'linux' | 'bsd' | 'windows';

/** By number: Linux numbers by default; Windows codes (10000+) are recognised whatever the platform. */
export function errnoByNumber(n: number, platform: ErrnoPlatform = 'linux'): ErrnoInfo | undefined {
  if (n >= 10000) return BY_WINDOWS.get(n);
  if (platform === 'windows') return undefined;
  return platform === 'bsd' ? BY_BSD.get(n) : BY_LINUX.get(n);
}

/** By name: `ECONNRESET`, `EWOULDBLOCK`, `WSAECONNRESET` (case-insensitive). */
export function errnoByName(name: string): ErrnoInfo | undefined {
  return BY_NAME.get(name.trim().toUpperCase());
}

export interface ErrnoMatch {
  readonly info: ErrnoInfo;
  /** [start, end) of the text that named it. */
  readonly start: number;
  readonly end: number;
  readonly by: 'name' | 'number' | 'message' | 'phrase';
}

/** Messages and phrases, lower-cased, longest first so "too many open files in system" wins over its prefix. */
const TEXTS: readonly { readonly text: string; readonly info: ErrnoInfo; readonly by: 'message' | 'phrase' }[] = LIST.flatMap(
  (e) => [
    { text: e.message.toLowerCase(), info: e, by: 'message' as const },
    ...(e.windows ? [{ text: e.windows.message.toLowerCase(), info: e, by: 'message' as const }] : []),
    ...(e.windows?.messageZh ? [{ text: e.windows.messageZh, info: e, by: 'message' as const }] : []),
    ...e.phrases.map((p) => ({ text: p.toLowerCase(), info: e, by: 'phrase' as const })),
  ],
).sort((a, b) => b.text.length - a.text.length);

function isWordChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95;
}

/**
 * Every error named in a text (a log line, an exception): by name (`ECONNRESET`, `WSAECONNRESET`), by number where
 * the text says it is one (`[Errno 104]`, `errno 111`, `errno=110`, `error 10054`, `WSA error 10061`), or by message.
 * Sorted by position; overlapping matches keep the earliest, longest.
 */
export function findErrnos(text: string, platform: ErrnoPlatform = 'linux'): ErrnoMatch[] {
  const s = text.length > 4096 ? text.slice(0, 4096) : text;
  const found: ErrnoMatch[] = [];
  // Names: scan words.
  let i = 0;
  while (i < s.length) {
    if (!isWordChar(s.charCodeAt(i))) {
      i++;
      continue;
    }
    let j = i;
    while (j < s.length && isWordChar(s.charCodeAt(j))) j++;
    const word = s.slice(i, j);
    const c = word.charCodeAt(0);
    if (c === 69 || c === 87) {
      // 'E' or 'W' (WSAE...): names are upper case as printed
      const info = BY_NAME.get(word);
      if (info) found.push({ info, start: i, end: j, by: 'name' });
    }
    i = j;
  }
  // Numbers that a nearby word marks as an error number.
  const lower = s.toLowerCase();
  for (const marker of ['errno', 'error', 'err']) {
    let from = 0;
    for (;;) {
      const at = lower.indexOf(marker, from);
      if (at < 0) break;
      from = at + marker.length;
      if (at > 0 && isWordChar(lower.charCodeAt(at - 1))) continue;
      let k = at + marker.length;
      if (k < lower.length && isWordChar(lower.charCodeAt(k))) continue;
      // skip separators: spaces, '=', ':', '#', '-'
      while (k < lower.length && ' =:#-'.indexOf(lower[k]!) >= 0) k++;
      const ns = k;
      while (k < lower.length && lower.charCodeAt(k) >= 48 && lower.charCodeAt(k) <= 57) k++;
      if (k === ns || k - ns > 5) continue;
      const info = errnoByNumber(Number(lower.slice(ns, k)), platform);
      if (info) found.push({ info, start: ns, end: k, by: 'number' });
    }
  }
  // Messages and phrases (case-insensitive).
  for (const t of TEXTS) {
    let from = 0;
    for (;;) {
      const at = lower.indexOf(t.text, from);
      if (at < 0) break;
      found.push({ info: t.info, start: at, end: at + t.text.length, by: t.by });
      from = at + t.text.length;
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start));
  const kept: ErrnoMatch[] = [];
  let lastEnd = -1;
  for (const m of found) {
    if (m.start < lastEnd) continue;
    kept.push(m);
    lastEnd = m.end;
  }
  return kept;
}

/**
 * One error from a query: a name, a number (`104`, `10054`), or any text that names one (the first match wins).
 */
export function lookupErrno(query: string | number, platform: ErrnoPlatform = 'linux'): ErrnoInfo | undefined {
  if (typeof query === 'number') return errnoByNumber(query, platform);
  const q = query.trim();
  if (q.length === 0) return undefined;
  if (/^\d{1,5}$/.test(q)) return errnoByNumber(Number(q), platform);
  const byName = errnoByName(q);
  if (byName) return byName;
  return findErrnos(q, platform)[0]?.info;
}

/** Markdown for an errno hover. */
export function describeErrno(e: ErrnoInfo, lang: Lang): string {
  const zh = lang === 'zh-cn';
  const head = (en: string, z: string): string => `**${zh ? z : en}**`;
  const names = [e.name, ...e.aliases].map((n) => `\`${n}\``).join(' / ');
  const nums = zh
    ? `Linux ${e.linux}${e.bsd !== undefined ? `，macOS/FreeBSD ${e.bsd}` : ''}`
    : `Linux ${e.linux}${e.bsd !== undefined ? `, macOS/FreeBSD ${e.bsd}` : ''}`;
  const lines = [`${names} (${nums}): "${e.message}"`];
  if (e.windows) {
    lines.push(
      zh
        ? `Windows 对应 \`${e.windows.name}\`（${e.windows.code}）："${e.windows.messageZh ?? e.windows.message}"`
        : `Windows twin: \`${e.windows.name}\` (${e.windows.code}): "${e.windows.message}"`,
    );
  }
  lines.push(`${head('What happened in TCP:', 'TCP 层发生了什么：')} ${tr(e.tcpEvent, lang)}`);
  lines.push(`${head('What to check:', '检查什么：')} ${tr(e.check, lang)}`);
  return lines.join('\n\n');
}
