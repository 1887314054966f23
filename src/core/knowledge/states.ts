/**
 * The eleven RFC 9293 connection states in plain words: what each means, who waits for what, which side holds it,
 * how long it lasts, what a pile-up of it says, and what to do (code first, then sysctl keys). Also every spelling a
 * tool prints for a state and which tool prints it.
 *
 * Linux numbers are the defaults of Linux 6.18 (the kernel TCP Lens's samples were captured on); see sysctl.ts.
 */
import type { Lang, Localized, TcpState } from '../model';
import { L, tr, zhSpacing } from './lang';
import { transitionLabel, transitionsFrom, transitionsTo } from './transitions';

/** Who normally holds a state. */
export type StateHolder = 'client' | 'server' | 'active-closer' | 'passive-closer' | 'both' | 'none';

export interface StateInfo {
  readonly state: TcpState;
  /** RFC 9293 calls ESTABLISHED and every later state "synchronized"; RST handling differs before and after. */
  readonly synchronized: boolean;
  readonly holders: readonly StateHolder[];
  /** One line for a hover title or a table cell. */
  readonly summary: Localized;
  /** What the state means, in plain words. */
  readonly meaning: Localized;
  /** Who is waiting, and for what. */
  readonly waitingFor: Localized;
  /** Which side normally holds it (active/passive closer, client/server). */
  readonly heldBy: Localized;
  /** How long it normally lasts, with Linux's timers. */
  readonly duration: Localized;
  /** What many sockets in this state mean, and the likely cause. */
  readonly pileUp: Localized;
  /** What to do: the code fix first, then sysctl keys with their defaults and trade-offs. */
  readonly fix: Localized;
  /** sysctl keys the fix talks about (full names; every one is in sysctl.ts). */
  readonly sysctls: readonly string[];
  /** Socket options the fix talks about (every one is in socketOptions.ts). */
  readonly socketOptions: readonly string[];
  /** The socket-table finding raised when this state piles up (see shared/design.md), if any. */
  readonly pileUpFinding?: string;
}

const STATE_INFO: readonly StateInfo[] = [
  {
    state: 'LISTEN',
    synchronized: false,
    holders: ['server'],
    summary: L(
      'A server socket waiting for connection requests (SYNs) on its port.',
      '服务端的监听套接字，在端口上等待客户端发来的连接请求（SYN）。',
    ),
    meaning: L(
      'The program called `listen()`: the kernel now answers SYNs from any peer on this address and port. A LISTEN ' +
        'socket is not a connection; every accepted connection gets a socket of its own. In `ss`, a LISTEN row\'s ' +
        '**Recv-Q** is how many finished handshakes wait in the accept queue for `accept()`, and **Send-Q** is the ' +
        'limit of that queue (the backlog).',
      '程序调用了 `listen()`，内核开始在这个地址和端口上应答任何对端的 SYN。LISTEN 套接字本身不是一条连接，' +
        '每个被接受的连接都会有自己的套接字。在 `ss` 里，LISTEN 行的 **Recv-Q** 是全连接队列（accept 队列）中' +
        '已完成握手、等着 `accept()` 取走的连接数，**Send-Q** 是这个队列的上限（backlog）。',
    ),
    waitingFor: L(
      'The local server waits for a SYN from any client. Nobody waits on it.',
      '本机服务端在等任意客户端的 SYN，没有谁在等它。',
    ),
    heldBy: L(
      'The server (the passive opener): one row per listening address and port, more with `SO_REUSEPORT` workers.',
      '服务端（被动打开方）。每个监听地址和端口一行；用了 `SO_REUSEPORT` 的多个 worker 会各有一行。',
    ),
    duration: L(
      'As long as the server keeps the socket open, normally the whole life of the process.',
      '只要服务进程不关闭这个套接字就一直存在，通常与进程同寿。',
    ),
    pileUp: L(
      'Many LISTEN rows are normal (one per service, per address family, per reuseport worker). What matters is the ' +
        'queue: when **Recv-Q reaches Send-Q** in `ss -lnt`, the accept queue is full and the kernel drops new ' +
        'handshakes; `netstat -s` then counts "times the listen queue of a socket overflowed". A LISTEN port you did ' +
        'not expect is a service you did not expect: find its owner with `ss -lntp`.',
      'LISTEN 行多很正常（每个服务、每种地址族、每个 reuseport worker 各一行）。要看的是队列：`ss -lnt` 里 ' +
        '**Recv-Q 涨到 Send-Q**，说明全连接队列满了，内核会丢弃新完成的握手，`netstat -s` 里的 ' +
        '"times the listen queue of a socket overflowed" 计数会上涨。出现意料之外的监听端口，就是有意料之外的服务，' +
        '用 `ss -lntp` 查出是哪个进程。',
    ),
    fix: L(
      '1. In code: call `accept()` faster (more acceptor threads or an event loop; no slow work before `accept()`).\n' +
        '2. Pass a bigger backlog to `listen()` (nginx: `listen 80 backlog=4096;`). The real limit is ' +
        '`min(backlog, net.core.somaxconn)`; `somaxconn` defaults to 4096 since Linux 5.4 (128 before).\n' +
        '3. `net.ipv4.tcp_max_syn_backlog` bounds half-open handshakes per listener; keep `net.ipv4.tcp_syncookies=1` ' +
        '(default). `net.ipv4.tcp_abort_on_overflow=1` answers overflow with RST instead of a silent drop: useful to ' +
        'prove the diagnosis, harmful for bursty traffic (default 0, keep it).',
      '1. 先改代码：让 `accept()` 跟上（多开 acceptor 线程或用事件循环，`accept()` 之前不要做耗时的事）。\n' +
        '2. 给 `listen()` 传更大的 backlog（nginx：`listen 80 backlog=4096;`）。实际上限是 ' +
        '`min(backlog, net.core.somaxconn)`，`somaxconn` 自 Linux 5.4 起默认 4096（之前是 128）。\n' +
        '3. `net.ipv4.tcp_max_syn_backlog` 限制每个监听套接字的半连接数；`net.ipv4.tcp_syncookies` 保持默认的 1。' +
        '`net.ipv4.tcp_abort_on_overflow=1` 会在队列溢出时回 RST 而不是静默丢弃，适合用来验证判断，' +
        '但对突发流量不友好（默认 0，建议保持）。',
    ),
    sysctls: [
      'net.core.somaxconn',
      'net.ipv4.tcp_max_syn_backlog',
      'net.ipv4.tcp_syncookies',
      'net.ipv4.tcp_abort_on_overflow',
    ],
    socketOptions: ['SO_REUSEPORT', 'TCP_DEFER_ACCEPT'],
  },
  {
    state: 'SYN-SENT',
    synchronized: false,
    holders: ['client'],
    summary: L(
      'A client has sent its SYN and is waiting for the server\'s SYN-ACK.',
      '客户端已发出 SYN，正在等服务端回 SYN-ACK。',
    ),
    meaning: L(
      '`connect()` is in progress: the first segment of the three-way handshake is out and no answer has come back ' +
        'yet. A blocking `connect()` is still waiting; a non-blocking one has returned `EINPROGRESS`.',
      '`connect()` 正在进行：三次握手的第一个报文已经发出，还没有收到回应。阻塞式 `connect()` 仍卡在调用里；' +
        '非阻塞的已经返回了 `EINPROGRESS`。',
    ),
    waitingFor: L(
      'The local client waits for the server\'s SYN-ACK. An RST instead means "connection refused"; silence means ' +
        'the SYN or its answer is lost or dropped.',
      '本机客户端在等服务端的 SYN-ACK。如果等来的是 RST，就是"连接被拒绝"；什么都等不到，说明 SYN 或回包在路上丢了或被拦了。',
    ),
    heldBy: L('The client (the active opener).', '客户端（主动打开方）。'),
    duration: L(
      'One round trip: microseconds on loopback, milliseconds across a network. Without an answer Linux ' +
        'retransmits the SYN: with the defaults `tcp_syn_retries=6` and `tcp_syn_linear_timeouts=4` (Linux 6.5+) ' +
        'the retransmissions go out 1, 1, 1, 1, 1, 2, 4, 8, 16 and 32 s apart and `connect()` fails with ' +
        '`ETIMEDOUT` after about **131 s** (about 127 s on older kernels, which double the timeout from the start). ' +
        'Most applications give up earlier with their own connect timeout.',
      '正常只持续一个往返时间：本机回环是微秒级，跨网络是毫秒级。收不到回应时 Linux 会重传 SYN：' +
        '在默认的 `tcp_syn_retries=6`、`tcp_syn_linear_timeouts=4`（Linux 6.5 起）下，各次重传间隔依次为 ' +
        '1、1、1、1、1、2、4、8、16、32 秒，约 **131 秒**后 `connect()` 以 `ETIMEDOUT` 失败' +
        '（老内核从第一次就指数退避，约 127 秒）。多数应用会用自己的连接超时更早放弃。',
    ),
    pileUp: L(
      'This host cannot reach the servers it is calling. Usually the SYNs are silently dropped: a firewall or ' +
        'security group with a DROP rule, a missing route, a dead host, or a server whose SYN/accept queue is ' +
        'overflowing. (A closed port or a REJECT rule answers at once with RST or ICMP, so those fail fast instead of ' +
        'piling up.) SYN-SENT to many different addresses from one process can also be a scanner or malware.',
      '本机连不上它要访问的服务端。最常见的是 SYN 被悄悄丢弃：防火墙或安全组的 DROP 规则、缺路由、对端主机宕机，' +
        '或者服务端的半连接/全连接队列溢出。（端口没开或 REJECT 规则会立刻回 RST 或 ICMP，连接很快失败，不会堆积。）' +
        '如果一个进程对大量不同地址处于 SYN-SENT，也可能是扫描程序或恶意软件。',
    ),
    fix: L(
      '1. Test the path: `nc -vz HOST PORT`; capture with `tcpdump -nn \'tcp[tcpflags] & tcp-syn != 0 and host HOST\'`. ' +
        'SYNs leaving with nothing coming back point at firewalls, security groups or routing; on the server check ' +
        '`netstat -s` for listen-queue overflows.\n' +
        '2. In code: set a connect timeout well below the kernel\'s ~131 s and retry with backoff.\n' +
        '3. `net.ipv4.tcp_syn_retries` (default 6) sets how many times the SYN is retransmitted: lower fails faster ' +
        'but gives up sooner on lossy links. `net.ipv4.tcp_syn_linear_timeouts` (default 4) keeps the first retries ' +
        '1 s apart. Per socket: `TCP_SYNCNT`.',
      '1. 先查链路：`nc -vz HOST PORT`；抓包 `tcpdump -nn \'tcp[tcpflags] & tcp-syn != 0 and host HOST\'`。' +
        'SYN 发出去却没有任何回包，就去查防火墙、安全组和路由；在服务端用 `netstat -s` 看监听队列是否溢出。\n' +
        '2. 代码里设置连接超时（远小于内核的约 131 秒），失败后带退避重试。\n' +
        '3. `net.ipv4.tcp_syn_retries`（默认 6）决定 SYN 重传几次：调小能更快失败，但在丢包的链路上也更容易放弃。' +
        '`net.ipv4.tcp_syn_linear_timeouts`（默认 4）让前几次重传保持 1 秒间隔。单个套接字可用 `TCP_SYNCNT`。',
    ),
    sysctls: ['net.ipv4.tcp_syn_retries', 'net.ipv4.tcp_syn_linear_timeouts'],
    socketOptions: ['TCP_SYNCNT', 'TCP_USER_TIMEOUT'],
    pileUpFinding: 'syn-sent-stalled',
  },
  {
    state: 'SYN-RECEIVED',
    synchronized: false,
    holders: ['server'],
    summary: L(
      'A server got a SYN, answered SYN-ACK, and waits for the client\'s final ACK.',
      '服务端收到 SYN 并回了 SYN-ACK，正在等客户端的最后一个 ACK。',
    ),
    meaning: L(
      'A half-open connection: two of the three handshake segments are done. On Linux these are light "request ' +
        'sockets" in the listener\'s SYN queue (half-open queue); `ss` prints them as `SYN-RECV`, net-tools as ' +
        '`SYN_RECV`. A simultaneous open also passes through this state.',
      '半连接：三次握手完成了两步。在 Linux 上它们是监听套接字 SYN 队列（半连接队列）里的轻量 request sock，' +
        '`ss` 显示为 `SYN-RECV`，net-tools 显示为 `SYN_RECV`。同时打开时双方也会经过这个状态。',
    ),
    waitingFor: L(
      'The local server waits for the client to acknowledge its SYN-ACK.',
      '本机服务端在等客户端确认它发出的 SYN-ACK。',
    ),
    heldBy: L(
      'The server (the passive opener); a client only in a simultaneous open.',
      '服务端（被动打开方）；只有同时打开时客户端才会进入。',
    ),
    duration: L(
      'One round trip. Without the ACK, Linux resends the SYN-ACK (`tcp_synack_retries`, default 5: after 1, 2, 4, 8 ' +
        'and 16 s) and drops the request about 63 s after the SYN. With `TCP_DEFER_ACCEPT`, finished handshakes ' +
        'also stay listed here until the client sends data.',
      '一个往返时间。收不到 ACK 时 Linux 会重发 SYN-ACK（`tcp_synack_retries`，默认 5 次，间隔 1、2、4、8、16 秒），' +
        '大约在收到 SYN 后 63 秒丢弃这个请求。设置了 `TCP_DEFER_ACCEPT` 时，已完成握手但客户端还没发数据的连接也会留在这里。',
    ),
    pileUp: L(
      'Three usual causes: a **SYN flood** (spoofed sources never send the final ACK; the sources look random); the ' +
        'clients\' ACKs are lost on the way back (asymmetric routing, a firewall that lets the SYN-ACK out but drops ' +
        'the ACK); or the **accept queue is full**, in which case Linux drops the final ACK, keeps the request and ' +
        'resends SYN-ACKs. Check `netstat -s | grep -iE \'SYNs to LISTEN|overflow\'` and where the sources come from.',
      '常见原因有三种：**SYN 洪泛攻击**（源地址伪造，永远不会回最后的 ACK，源地址看起来很随机）；客户端的 ACK 在回程丢失' +
        '（路由不对称，或防火墙放行了 SYN-ACK 却拦了 ACK）；或者**全连接队列已满**，此时 Linux 会丢掉最后那个 ACK、' +
        '保留请求并重发 SYN-ACK。用 `netstat -s | grep -iE \'SYNs to LISTEN|overflow\'` 看计数，再看源地址分布。',
    ),
    fix: L(
      '1. If the accept queue is full, fix the application first: accept faster, pass a bigger `listen()` backlog ' +
        '(limited by `net.core.somaxconn`, default 4096). To prove an overflow, `net.ipv4.tcp_abort_on_overflow=1` ' +
        'turns the silent drops into resets the clients see; set it back to 0 afterwards.\n' +
        '2. Against floods keep `net.ipv4.tcp_syncookies=1` (default: cookies only when the SYN queue overflows), and ' +
        'filter or rate-limit at the edge.\n' +
        '3. `net.ipv4.tcp_max_syn_backlog` (scales with memory, at least 128) enlarges the SYN queue. ' +
        '`net.ipv4.tcp_synack_retries` (default 5, ~63 s) lower makes half-open entries expire sooner (2: ~7 s) but ' +
        'fails clients on lossy links.',
      '1. 如果是全连接队列满了，先改应用：更快地 `accept()`，给 `listen()` 更大的 backlog（受 `net.core.somaxconn` 限制，默认 4096）。' +
        '想证实是队列溢出，可临时设置 `net.ipv4.tcp_abort_on_overflow=1`，让静默丢弃变成客户端能看到的 RST，验证后改回 0。\n' +
        '2. 防 SYN 洪泛：保持 `net.ipv4.tcp_syncookies=1`（默认值，只在 SYN 队列溢出时才启用 cookie），并在入口处过滤或限速。\n' +
        '3. `net.ipv4.tcp_max_syn_backlog`（随内存增大，最少 128）可以加大 SYN 队列。`net.ipv4.tcp_synack_retries`' +
        '（默认 5，约 63 秒）调小能让半连接更快过期（设为 2 约 7 秒），代价是丢包链路上的正常客户端更容易连不上。',
    ),
    sysctls: [
      'net.ipv4.tcp_syncookies',
      'net.ipv4.tcp_max_syn_backlog',
      'net.ipv4.tcp_synack_retries',
      'net.core.somaxconn',
      'net.ipv4.tcp_abort_on_overflow',
    ],
    socketOptions: ['TCP_DEFER_ACCEPT'],
    pileUpFinding: 'syn-recv-flood',
  },
  {
    state: 'ESTABLISHED',
    synchronized: true,
    holders: ['both'],
    summary: L(
      'An open connection: the handshake is done and data can flow both ways.',
      '连接已建立：握手完成，双方可以互相收发数据。',
    ),
    meaning: L(
      'The normal data-transfer state, on both ends. It only says that this host has not been told otherwise: if ' +
        'the peer crashed, lost power, or a NAT or firewall dropped the flow, the row stays ESTABLISHED until sending ' +
        'data or keepalive probes fails (a **half-open** connection).',
      '正常的数据传输状态，两端都是它。它只代表本机还没有得到相反的消息：如果对端宕机、断电，或者中间的 NAT、防火墙' +
        '已经丢掉了这条流，这一行仍会显示 ESTABLISHED，直到发数据或保活探测失败为止（即**半打开**连接）。',
    ),
    waitingFor: L(
      'Nobody waits on the protocol; each side waits for its own application to send, read or close.',
      '协议层面没有谁在等谁，两端各自等自己的应用去发送、读取或关闭。',
    ),
    heldBy: L('Both the client and the server.', '客户端和服务端都是。'),
    duration: L(
      'As long as the applications keep the connection: milliseconds for one short request, hours or days for pooled, ' +
        'database or other long-lived connections.',
      '由应用决定：一次短请求只有几毫秒，连接池、数据库连接等长连接可以持续数小时乃至数天。',
    ),
    pileUp: L(
      'A large count is usually just load or the size of connection pools. Worry when: **Recv-Q keeps growing** (the ' +
        'application is not reading), **Send-Q keeps growing** (the peer or the network is not taking the data), ' +
        'the count grows with time and never falls (a connection leak), or many idle connections point at peers that ' +
        'no longer exist (half-open after a crash or a NAT timeout).',
      '数量多通常只是负载高或连接池大。需要警惕的是：**Recv-Q 持续增长**（应用没在读）、**Send-Q 持续增长**' +
        '（对端或网络收不动）、连接数随时间只涨不降（连接泄漏），或者大量空闲连接指向早已不存在的对端' +
        '（对端宕机或 NAT 超时后留下的半打开连接）。',
    ),
    fix: L(
      '1. In code: use connection pools with a maximum size and an idle timeout; set read/write timeouts; detect dead ' +
        'peers with application heartbeats or TCP keepalive (`SO_KEEPALIVE` plus `TCP_KEEPIDLE`, `TCP_KEEPINTVL`, ' +
        '`TCP_KEEPCNT`); bound unacknowledged data with `TCP_USER_TIMEOUT`.\n' +
        '2. System-wide keepalive timing: `net.ipv4.tcp_keepalive_time` (7200 s), `net.ipv4.tcp_keepalive_intvl` ' +
        '(75 s), `net.ipv4.tcp_keepalive_probes` (9). With these defaults a dead idle peer is found after 2 h 11 min ' +
        '15 s, and only on sockets that enabled `SO_KEEPALIVE`. To stay ahead of NAT/firewall idle timeouts, use an ' +
        'idle time of a few minutes.\n' +
        '3. `net.ipv4.tcp_retries2` (15, roughly 15 min) bounds how long unacknowledged data is retransmitted before ' +
        'the connection is dropped with `ETIMEDOUT`.',
      '1. 先改代码：连接池设置上限和空闲超时；设置读写超时；用应用层心跳或 TCP 保活（`SO_KEEPALIVE` 加 ' +
        '`TCP_KEEPIDLE`、`TCP_KEEPINTVL`、`TCP_KEEPCNT`）发现死掉的对端；用 `TCP_USER_TIMEOUT` 限制数据最长多久没被确认。\n' +
        '2. 系统级保活参数：`net.ipv4.tcp_keepalive_time`（7200 秒）、`net.ipv4.tcp_keepalive_intvl`（75 秒）、' +
        '`net.ipv4.tcp_keepalive_probes`（9 次）。按默认值，空闲连接的对端死掉后要 2 小时 11 分 15 秒才能发现，' +
        '而且只对开启了 `SO_KEEPALIVE` 的套接字生效。想赶在 NAT/防火墙的空闲超时之前，把空闲时间设成几分钟。\n' +
        '3. `net.ipv4.tcp_retries2`（15，约 15 分钟）决定未确认数据重传多久后放弃，连接以 `ETIMEDOUT` 断开。',
    ),
    sysctls: [
      'net.ipv4.tcp_keepalive_time',
      'net.ipv4.tcp_keepalive_intvl',
      'net.ipv4.tcp_keepalive_probes',
      'net.ipv4.tcp_retries2',
    ],
    socketOptions: ['SO_KEEPALIVE', 'TCP_KEEPIDLE', 'TCP_KEEPINTVL', 'TCP_KEEPCNT', 'TCP_USER_TIMEOUT'],
  },
  {
    state: 'FIN-WAIT-1',
    synchronized: true,
    holders: ['active-closer'],
    summary: L(
      'This side has closed (sent FIN) and waits for the peer to acknowledge it.',
      '本端已经关闭（发出了 FIN），正在等对端确认。',
    ),
    meaning: L(
      'The application called `close()` or `shutdown(SHUT_WR)`. The FIN goes out after any data still queued, and ' +
        'has not been acknowledged yet. Normally this passes within one round trip.',
      '应用调用了 `close()` 或 `shutdown(SHUT_WR)`。FIN 排在尚未发完的数据后面发出，目前还没被确认。正常情况下一个往返就过去了。',
    ),
    waitingFor: L(
      'The local side waits for the peer\'s ACK of its FIN (or for the peer\'s own FIN, in a simultaneous close).',
      '本端在等对端对自己 FIN 的 ACK（同时关闭时，也可能先等到对端的 FIN）。',
    ),
    heldBy: L(
      'The active closer: whichever side closes first, client or server.',
      '主动关闭方：谁先关闭就是谁，客户端或服务端都可能。',
    ),
    duration: L(
      'One round trip. It lasts longer when the FIN is stuck behind data the peer will not accept (zero window) or the ' +
        'peer is gone; Linux then retransmits, and for sockets the application already closed (orphans) gives up ' +
        'after `tcp_orphan_retries` retries.',
      '一个往返时间。如果 FIN 卡在对端不肯接收的数据后面（零窗口），或者对端已经不在了，就会持续更久；' +
        '这时 Linux 会重传，对于应用已经关闭的套接字（孤儿套接字），重传 `tcp_orphan_retries` 次后放弃。',
    ),
    pileUp: L(
      'Peers that vanished while this side was closing (client crashed, path broken), or peers that stopped reading so ' +
        'the remaining data and the FIN cannot be delivered (look for a large **Send-Q**). Typical right after a server ' +
        'restart or while a load balancer drains connections whose clients are gone.',
      '本端关闭时对端已经消失（客户端崩溃、链路中断），或者对端不再读数据，剩余数据和 FIN 发不出去（这时 **Send-Q** 会很大）。' +
        '常见于服务重启之后，或负载均衡摘除节点、而客户端早已离开的时候。',
    ),
    fix: L(
      '1. Look at Send-Q of these rows: a large Send-Q means the peer is not reading (zero window); find and fix the ' +
        'slow consumer.\n' +
        '2. `net.ipv4.tcp_orphan_retries` (default 0, which Linux treats as 8) sets how often the FIN of an orphaned ' +
        'socket is retransmitted; 2 or 3 frees memory sooner on busy servers. `net.ipv4.tcp_max_orphans` caps how many ' +
        'orphans may exist.',
      '1. 看这些行的 Send-Q：Send-Q 很大说明对端不读数据（零窗口），要找到并修复这个慢消费者。\n' +
        '2. `net.ipv4.tcp_orphan_retries`（默认 0，Linux 按 8 处理）决定孤儿套接字的 FIN 重传几次；' +
        '在繁忙的服务器上设为 2 或 3 可以更快释放内存。`net.ipv4.tcp_max_orphans` 限制孤儿套接字的总数。',
    ),
    sysctls: ['net.ipv4.tcp_orphan_retries', 'net.ipv4.tcp_max_orphans'],
    socketOptions: ['SO_LINGER'],
  },
  {
    state: 'FIN-WAIT-2',
    synchronized: true,
    holders: ['active-closer'],
    summary: L(
      'Our FIN is acknowledged; we wait for the peer to close its side.',
      '本端的 FIN 已被确认，正在等对端也关闭（发来 FIN）。',
    ),
    meaning: L(
      'Half-closed: our direction is finished, the peer may still send data and we still receive it. The connection ' +
        'ends when the peer\'s application closes too.',
      '半关闭：本端方向已经结束，对端仍可以继续发数据，本端也照常接收。等对端应用也关闭，连接才结束。',
    ),
    waitingFor: L(
      'The local side waits for the remote application to close (the peer\'s FIN).',
      '本端在等对端应用关闭（即对端的 FIN）。',
    ),
    heldBy: L('The active closer.', '主动关闭方。'),
    duration: L(
      'Until the peer closes. If our application fully closed the socket (`close()`, an orphan), Linux gives up after ' +
        '`tcp_fin_timeout` (default 60 s). After `shutdown(SHUT_WR)` with the socket still open it can last forever, ' +
        'by design.',
      '直到对端关闭为止。如果本端应用已经 `close()`（套接字成了孤儿），Linux 会在 `tcp_fin_timeout`（默认 60 秒）后放弃；' +
        '如果只是 `shutdown(SHUT_WR)` 而套接字还开着，它可以按设计一直保持下去。',
    ),
    pileUp: L(
      'The peers are not closing. On the other host these same connections sit in **CLOSE-WAIT**, which is almost ' +
        'always a bug in the peer\'s code (it never calls `close()`), or the peer is overloaded or dead. Many ' +
        'FIN-WAIT-2 on the clients of a server: look at the server for CLOSE-WAIT.',
      '对端一直不关闭。同一批连接在对端那台机器上处于 **CLOSE-WAIT**，几乎总是对端代码的 bug（从不调用 `close()`），' +
        '或者对端过载、已经挂掉。如果是某个服务的客户端上有大量 FIN-WAIT-2，就去服务端查 CLOSE-WAIT。',
    ),
    fix: L(
      '1. Fix the peer application so that it closes the socket after it reads EOF.\n' +
        '2. Locally, `net.ipv4.tcp_fin_timeout` (default 60 s) bounds orphaned FIN-WAIT-2; 15–30 s frees them sooner. ' +
        'It does **not** change TIME-WAIT, which is a fixed 60 s on Linux.',
      '1. 修复对端应用，让它在读到 EOF 后关闭套接字。\n' +
        '2. 本机可以用 `net.ipv4.tcp_fin_timeout`（默认 60 秒）限制孤儿 FIN-WAIT-2 的时长，调到 15–30 秒能更快释放。' +
        '它**不**影响 TIME-WAIT，Linux 的 TIME-WAIT 固定为 60 秒。',
    ),
    sysctls: ['net.ipv4.tcp_fin_timeout'],
    socketOptions: [],
    pileUpFinding: 'fin-wait-2-pileup',
  },
  {
    state: 'CLOSE-WAIT',
    synchronized: true,
    holders: ['passive-closer'],
    summary: L(
      'The peer has closed its side; the local application has not closed yet.',
      '对端已经关闭了它那一侧，本机应用还没有关闭。',
    ),
    meaning: L(
      'The kernel acknowledged the peer\'s FIN and `read()` now returns 0 (EOF). The connection stays here until the ' +
        'local program calls `close()` (or `shutdown()`). No timer ends this state: only the application can.',
      '内核已经确认了对端的 FIN，此后 `read()` 会返回 0（EOF）。连接会一直停在这里，直到本机程序调用 `close()`' +
        '（或 `shutdown()`）。没有任何定时器会结束这个状态，只有应用自己能。',
    ),
    waitingFor: L(
      'TCP waits for the **local application** to close the socket.',
      'TCP 在等**本机应用**关闭套接字。',
    ),
    heldBy: L(
      'The passive closer: often a server whose clients hung up, or a client whose server closed idle keep-alive ' +
        'connections.',
      '被动关闭方：常见的是客户端断开后的服务端，或者服务端关闭了空闲长连接后的客户端。',
    ),
    duration: L(
      'Should be very short: the time the application needs to notice EOF and close. Minutes or more mean the ' +
        'application is leaking sockets.',
      '应该非常短，就是应用发现 EOF 并关闭所需的时间。持续几分钟甚至更久，说明应用在泄漏套接字。',
    ),
    pileUp: L(
      'Almost always a **bug in the program that owns these sockets**: it does not handle `read()` returning 0, it ' +
        'forgets `close()` on an error path, a pool keeps connections the server already closed, or the threads that ' +
        'should close them are blocked elsewhere. Each one holds a file descriptor until the process hits `EMFILE` ' +
        '("Too many open files").',
      '几乎总是**持有这些套接字的程序有 bug**：没处理 `read()` 返回 0 的情况、出错分支忘了 `close()`、' +
        '连接池里留着服务端早已关闭的连接，或者负责关闭的线程被阻塞在别处。每一个都占着一个文件描述符，' +
        '直到进程报 `EMFILE`（"Too many open files"）。',
    ),
    fix: L(
      '1. Fix the code: when `read()` returns 0, close the socket; close in `finally` / `defer` / `with` / ' +
        'try-with-resources; make pools validate or evict connections, with an idle timeout shorter than the ' +
        'server\'s.\n' +
        '2. Find the owner: `ss -tanp state close-wait`, then count per process and per peer.\n' +
        '3. No sysctl fixes CLOSE-WAIT. Restarting the process only hides the leak until it builds up again.',
      '1. 改代码：`read()` 返回 0 时关闭套接字；把关闭放进 `finally` / `defer` / `with` / try-with-resources；' +
        '连接池要校验或淘汰连接，空闲超时要比服务端的短。\n' +
        '2. 找出持有者：`ss -tanp state close-wait`，再按进程和对端统计。\n' +
        '3. 没有任何内核参数能解决 CLOSE-WAIT。重启进程只是把泄漏暂时藏起来，过一阵还会再堆起来。',
    ),
    sysctls: [],
    socketOptions: [],
    pileUpFinding: 'close-wait-pileup',
  },
  {
    state: 'CLOSING',
    synchronized: true,
    holders: ['active-closer'],
    summary: L(
      'Both sides sent FIN at about the same time; we wait for the ACK of our FIN.',
      '双方几乎同时发出了 FIN，本端在等对端确认自己的 FIN。',
    ),
    meaning: L(
      'A simultaneous close: we sent FIN, then received the peer\'s FIN before the ACK of ours. We acknowledged their ' +
        'FIN and now wait for ours to be acknowledged; then we go to TIME-WAIT.',
      '同时关闭：本端发出 FIN 后，还没收到对它的 ACK，就先收到了对端的 FIN。本端已确认对端的 FIN，' +
        '现在等自己的 FIN 被确认，之后进入 TIME-WAIT。',
    ),
    waitingFor: L(
      'The local side waits for the peer\'s ACK of its FIN.',
      '本端在等对端对自己 FIN 的 ACK。',
    ),
    heldBy: L(
      'Either side in a simultaneous close (both are active closers).',
      '同时关闭时的任一方（双方都是主动关闭方）。',
    ),
    duration: L('About one round trip; rare and brief.', '大约一个往返时间，少见且短暂。'),
    pileUp: L(
      'Rare. Many CLOSING rows usually mean the ACKs of our FINs are lost (a lossy path or a firewall dropping them), ' +
        'or both ends routinely close at the same moment (for example both sides time out together).',
      '很少见。大量 CLOSING 通常说明对本端 FIN 的 ACK 丢了（链路丢包或被防火墙拦截），' +
        '或者两端总在同一时刻关闭（比如双方同时超时）。',
    ),
    fix: L(
      'Capture the close to see whether the ACKs arrive. Orphaned CLOSING sockets are retransmitted per ' +
        '`net.ipv4.tcp_orphan_retries` and then freed.',
      '抓包看关闭过程中的 ACK 是否到达。孤儿 CLOSING 套接字按 `net.ipv4.tcp_orphan_retries` 重传后会被释放。',
    ),
    sysctls: ['net.ipv4.tcp_orphan_retries'],
    socketOptions: [],
  },
  {
    state: 'LAST-ACK',
    synchronized: true,
    holders: ['passive-closer'],
    summary: L(
      'The passive closer has sent its own FIN and waits for the last ACK.',
      '被动关闭方已发出自己的 FIN，正在等最后一个 ACK。',
    ),
    meaning: L(
      'The peer closed first; then our application closed, so we sent our FIN. When its ACK arrives the connection is ' +
        'gone (CLOSED). The passive closer never enters TIME-WAIT.',
      '对端先关闭，随后本机应用也关闭了，于是本端发出 FIN。等这个 FIN 的 ACK 一到，连接就彻底消失（CLOSED）。' +
        '被动关闭方不会进入 TIME-WAIT。',
    ),
    waitingFor: L(
      'The local side (passive closer) waits for the peer\'s ACK of its FIN.',
      '本端（被动关闭方）在等对端对自己 FIN 的 ACK。',
    ),
    heldBy: L('The passive closer.', '被动关闭方。'),
    duration: L(
      'One round trip. If the ACK is lost the FIN is retransmitted (`tcp_orphan_retries`) until the peer answers or ' +
        'Linux gives up.',
      '一个往返时间。ACK 丢了就重传 FIN（次数由 `tcp_orphan_retries` 决定），直到对端回应或 Linux 放弃。',
    ),
    pileUp: L(
      'The final ACKs are not arriving: the peer vanished right after sending its FIN (crashed or killed, e.g. a ' +
        'load-test client stopped abruptly, or its NAT entry expired), or a firewall drops them.',
      '最后的 ACK 没有到达：对端发出 FIN 后就消失了（崩溃或被杀掉，比如压测客户端被突然停止，或者 NAT 表项已过期），' +
        '或者被防火墙丢弃了。',
    ),
    fix: L(
      'Capture the close sequence and check firewalls and NAT timeouts on the path. `net.ipv4.tcp_orphan_retries` ' +
        'bounds the FIN retransmissions; lowering it frees these sockets sooner.',
      '抓包看关闭过程，检查路径上的防火墙和 NAT 超时设置。`net.ipv4.tcp_orphan_retries` 限制 FIN 的重传次数，调小它可以更快释放这些套接字。',
    ),
    sysctls: ['net.ipv4.tcp_orphan_retries'],
    socketOptions: [],
    pileUpFinding: 'last-ack-pileup',
  },
  {
    state: 'TIME-WAIT',
    synchronized: true,
    holders: ['active-closer'],
    summary: L(
      'The side that closed first waits a while so late packets die out and a lost final ACK can be resent.',
      '先关闭的一方要再等一段时间，让网络中迟到的报文消失，并在最后的 ACK 丢失时能重发。',
    ),
    meaning: L(
      'The normal end of a connection for the side that closed first. It has two jobs (RFC 9293): if the final ACK ' +
        'was lost, the peer resends its FIN and we can ACK it again; and delayed segments of this connection cannot ' +
        'be mistaken for data of a new connection on the same address/port pair. Nothing is wrong with a socket in ' +
        'TIME-WAIT; it has no process and costs little memory.',
      '先关闭一方的正常收尾状态。按 RFC 9293，它有两个作用：最后的 ACK 如果丢了，对端会重发 FIN，本端还能再确认一次；' +
        '同时防止这条连接迟到的报文被同一地址端口四元组上的新连接误收。TIME-WAIT 本身不是故障，它不属于任何进程，占用的内存也很少。',
    ),
    waitingFor: L(
      'The local side waits for time to pass; it waits for no application and no peer.',
      '本端只是在等时间过去，不等应用，也不等对端。',
    ),
    heldBy: L(
      'The active closer, i.e. whichever side called `close()` first: the client in most protocols; the server for ' +
        'HTTP/1.0, `Connection: close` or idle keep-alive timeouts.',
      '主动关闭方，也就是先调用 `close()` 的一方：多数协议里是客户端；HTTP/1.0、`Connection: close` ' +
        '或长连接空闲超时的场景下是服务端。',
    ),
    duration: L(
      'Linux: a fixed **60 s** (`TCP_TIMEWAIT_LEN`, not tunable; `tcp_fin_timeout` does not change it). RFC 9293 ' +
        'asks for 2×MSL with an MSL of 2 minutes, i.e. 4 minutes; other systems use between 30 s and 4 min.',
      'Linux 上固定为 **60 秒**（`TCP_TIMEWAIT_LEN`，不可调；`tcp_fin_timeout` 改不了它）。RFC 9293 要求 2×MSL，' +
        'MSL 取 2 分钟即 4 分钟；其他系统从 30 秒到 4 分钟不等。',
    ),
    pileUp: L(
      'This host closes many short connections. That is harmless by itself. It hurts a **client** that opens many ' +
        'connections to the same server address and port: each TIME-WAIT keeps one local port of ' +
        '`ip_local_port_range` (28232 ports by default) busy for 60 s, so above roughly 470 new connections per second ' +
        'to one destination the ports run out and `connect()` fails with `EADDRNOTAVAIL` ("Cannot assign requested ' +
        'address"). On a server (one listening port) it costs only memory.',
      '本机主动关闭了大量短连接，这本身无害。受影响的是**客户端**：它向同一个服务端地址和端口发起大量连接时，' +
        '每个 TIME-WAIT 都会占住 `ip_local_port_range` 中的一个本地端口 60 秒（默认共 28232 个），' +
        '对同一目的地每秒新建连接超过约 470 个时端口就会耗尽，`connect()` 报 `EADDRNOTAVAIL`（"Cannot assign requested address"）。' +
        '在服务端（只用一个监听端口）它只占一点内存。',
    ),
    fix: L(
      '1. Reuse instead of tuning: HTTP keep-alive and connection pools; let the client close first so TIME-WAIT lands ' +
        'on the many clients, not on the server.\n' +
        '2. If a client still runs out of ports: `net.ipv4.tcp_tw_reuse=1` lets new outgoing connections take over a ' +
        'TIME-WAIT port when TCP timestamps prove it safe (default 2 = loopback only; needs `net.ipv4.tcp_timestamps=1`); ' +
        'widen `net.ipv4.ip_local_port_range`; spread connections over several destination addresses or ports.\n' +
        '3. `net.ipv4.tcp_max_tw_buckets` caps the count; extra sockets skip TIME-WAIT and the kernel logs "time wait ' +
        'bucket table overflow".\n\n' +
        'Do not use `SO_LINGER` with timeout 0 to dodge TIME-WAIT (it resets the connection and can lose data), and do ' +
        'not look for `tcp_tw_recycle`: it broke clients behind NAT and was removed in Linux 4.12.',
      '1. 复用优先于调参：用 HTTP 长连接和连接池；让客户端先关闭，把 TIME-WAIT 留在众多客户端上，而不是服务端。\n' +
        '2. 客户端仍然端口不够时：`net.ipv4.tcp_tw_reuse=1` 允许新的出向连接在 TCP 时间戳能证明安全时复用 TIME-WAIT 端口' +
        '（默认 2，仅对回环地址生效；需要 `net.ipv4.tcp_timestamps=1`）；扩大 `net.ipv4.ip_local_port_range`；' +
        '把连接分散到多个目的地址或端口。\n' +
        '3. `net.ipv4.tcp_max_tw_buckets` 限制 TIME-WAIT 总数，超出的套接字直接跳过 TIME-WAIT，内核日志会出现 ' +
        '"time wait bucket table overflow"。\n\n' +
        '不要用超时为 0 的 `SO_LINGER` 来规避 TIME-WAIT（那会用 RST 重置连接，可能丢数据）；也别再找 `tcp_tw_recycle`：' +
        '它会让 NAT 后面的客户端连不上，已在 Linux 4.12 中删除。',
    ),
    sysctls: [
      'net.ipv4.tcp_tw_reuse',
      'net.ipv4.tcp_timestamps',
      'net.ipv4.ip_local_port_range',
      'net.ipv4.tcp_max_tw_buckets',
      'net.ipv4.tcp_tw_recycle',
    ],
    socketOptions: ['SO_LINGER', 'SO_REUSEADDR'],
    pileUpFinding: 'time-wait-pileup',
  },
  {
    state: 'CLOSED',
    synchronized: false,
    holders: ['none'],
    summary: L(
      'No connection: there is no control block. RFC 9293 calls it a fictional state.',
      '没有连接：不存在传输控制块（TCB）。RFC 9293 称之为"虚构"的状态。',
    ),
    meaning: L(
      'Where every connection starts and ends. Tools list it for sockets that exist but are neither listening nor ' +
        'connected: net-tools and busybox print `CLOSE`, `ss` prints `UNCONN` for such a TCP socket, Windows and BSD ' +
        'print `CLOSED`.',
      '每条连接的起点和终点。工具会把"存在但既没监听也没连接"的套接字显示成它：net-tools 和 busybox 显示 `CLOSE`，' +
        '`ss` 对这种 TCP 套接字显示 `UNCONN`，Windows 和 BSD 显示 `CLOSED`。',
    ),
    waitingFor: L('Nothing and nobody.', '没有谁在等什么。'),
    heldBy: L(
      'Neither end. A listed CLOSED socket belongs to a process that created (maybe bound) it without calling ' +
        '`listen()` or `connect()`, or whose connection just ended (reset, refused or timed out).',
      '不属于连接的任何一端。列出来的 CLOSED 套接字，属于创建了它（也许还 bind 了）却没调用 `listen()` 或 `connect()` 的进程，' +
        '或者连接刚刚结束（被重置、被拒绝或超时）的进程。',
    ),
    duration: L(
      'Momentary for a connection that just ended; for a created socket, until the program connects, listens or ' +
        'closes it.',
      '刚结束的连接只会一闪而过；新建的套接字会一直保持，直到程序去连接、监听或关闭它。',
    ),
    pileUp: L(
      'A process creates sockets (maybe binds them) and never uses or closes them, or keeps sockets whose ' +
        '`connect()` failed: a descriptor leak.',
      '某个进程创建了套接字（也许 bind 了）却从不使用也不关闭，或者 `connect()` 失败后没有关闭套接字：文件描述符泄漏。',
    ),
    fix: L(
      'Close the socket on every error path, `connect()` failures included. Watch the number of open descriptors per ' +
        'process (`ls /proc/PID/fd | wc -l`) against its limit (`ulimit -n`).',
      '在每个出错分支都关闭套接字，包括 `connect()` 失败的情况。关注每个进程打开的描述符数（`ls /proc/PID/fd | wc -l`）' +
        '和它的上限（`ulimit -n`）。',
    ),
    sysctls: [],
    socketOptions: [],
  },
];

const BY_STATE: ReadonlyMap<TcpState, StateInfo> = new Map(STATE_INFO.map((s) => [s.state, s]));

/** Every state's knowledge, in RFC 9293 order. */
export const STATES: readonly StateInfo[] = STATE_INFO;

/** Knowledge about one RFC 9293 state. */
export function stateInfo(state: TcpState): StateInfo {
  const info = BY_STATE.get(state);
  if (!info) throw new Error(`unknown TCP state ${state}`);
  return info;
}

// ---------------------------------------------------------------------------------------------------------------
// Printed spellings

/** Who prints a spelling. */
export type StateTool =
  | 'rfc9293'
  | 'ss'
  | 'net-tools'
  | 'busybox'
  | 'bsd'
  | 'windows'
  | 'windows-docs'
  | 'solaris'
  | 'net-tools-de';

export const STATE_TOOL_NAMES: Readonly<Record<StateTool, Localized>> = {
  rfc9293: L('RFC 9293', 'RFC 9293 标准'),
  ss: L('`ss` (iproute2)', 'iproute2 的 `ss`'),
  'net-tools': L('Linux `netstat` (net-tools)', 'Linux 的 `netstat`（net-tools）'),
  busybox: L('busybox `netstat`', 'busybox 的 `netstat`'),
  bsd: L('macOS / FreeBSD `netstat`', 'macOS / FreeBSD 的 `netstat`'),
  windows: L('Windows `netstat`', 'Windows 的 `netstat`'),
  'windows-docs': L('old Windows documentation (a misspelling)', '旧版 Windows 文档（拼写错误）'),
  solaris: L('Solaris / illumos `netstat`', 'Solaris / illumos 的 `netstat`'),
  'net-tools-de': L('net-tools `netstat` under a German locale', '德语环境下的 net-tools `netstat`'),
};

export interface StateSpelling {
  /** Upper-case, as printed. */
  readonly text: string;
  /** The RFC 9293 state; undefined for column values that are not a TCP state (UNCONN on UDP, BOUND, ...). */
  readonly state?: TcpState;
  readonly tools: readonly StateTool[];
  /** Something worth knowing about this spelling. */
  readonly note?: Localized;
}

const SPELLINGS: readonly StateSpelling[] = [
  { text: 'LISTEN', state: 'LISTEN', tools: ['rfc9293', 'ss', 'net-tools', 'busybox', 'bsd'] },
  { text: 'LISTENING', state: 'LISTEN', tools: ['windows'] },
  { text: 'SYN-SENT', state: 'SYN-SENT', tools: ['rfc9293', 'ss'] },
  { text: 'SYN_SENT', state: 'SYN-SENT', tools: ['net-tools', 'busybox', 'bsd', 'windows'] },
  { text: 'SYN_SEND', state: 'SYN-SENT', tools: ['windows-docs'] },
  {
    text: 'SYN-RECV',
    state: 'SYN-RECEIVED',
    tools: ['ss'],
    note: L(
      'On Linux these rows are request sockets in the listener\'s SYN queue, not full sockets.',
      '在 Linux 上，这些行是监听套接字 SYN 队列里的 request sock，并不是完整的套接字。',
    ),
  },
  { text: 'SYN_RECV', state: 'SYN-RECEIVED', tools: ['net-tools', 'busybox'] },
  { text: 'SYN_RCVD', state: 'SYN-RECEIVED', tools: ['bsd'] },
  { text: 'SYN_RECEIVED', state: 'SYN-RECEIVED', tools: ['windows'] },
  { text: 'SYN-RECEIVED', state: 'SYN-RECEIVED', tools: ['rfc9293'] },
  { text: 'ESTAB', state: 'ESTABLISHED', tools: ['ss'] },
  { text: 'ESTABLISHED', state: 'ESTABLISHED', tools: ['rfc9293', 'net-tools', 'busybox', 'bsd', 'windows'] },
  {
    text: 'VERBUNDEN',
    state: 'ESTABLISHED',
    tools: ['net-tools-de'],
    note: L(
      'net-tools translates its state names with the locale; run `LC_ALL=C netstat ...` to get the English names.',
      'net-tools 会按语言环境翻译状态名；用 `LC_ALL=C netstat ...` 可以得到英文名。',
    ),
  },
  { text: 'FIN-WAIT-1', state: 'FIN-WAIT-1', tools: ['rfc9293', 'ss'] },
  {
    text: 'FIN_WAIT1',
    state: 'FIN-WAIT-1',
    tools: ['net-tools', 'busybox'],
    note: L('No underscore before the digit: that is how net-tools spells it.', '数字前没有下划线，这是 net-tools 的写法。'),
  },
  { text: 'FIN_WAIT_1', state: 'FIN-WAIT-1', tools: ['bsd', 'windows'] },
  { text: 'FIN-WAIT-2', state: 'FIN-WAIT-2', tools: ['rfc9293', 'ss'] },
  { text: 'FIN_WAIT2', state: 'FIN-WAIT-2', tools: ['net-tools', 'busybox'] },
  { text: 'FIN_WAIT_2', state: 'FIN-WAIT-2', tools: ['bsd', 'windows'] },
  { text: 'CLOSE-WAIT', state: 'CLOSE-WAIT', tools: ['rfc9293', 'ss'] },
  { text: 'CLOSE_WAIT', state: 'CLOSE-WAIT', tools: ['net-tools', 'busybox', 'bsd', 'windows'] },
  { text: 'CLOSING', state: 'CLOSING', tools: ['rfc9293', 'ss', 'net-tools', 'busybox', 'bsd', 'windows'] },
  { text: 'LAST-ACK', state: 'LAST-ACK', tools: ['rfc9293', 'ss'] },
  { text: 'LAST_ACK', state: 'LAST-ACK', tools: ['net-tools', 'busybox', 'bsd', 'windows'] },
  { text: 'TIME-WAIT', state: 'TIME-WAIT', tools: ['rfc9293', 'ss'] },
  { text: 'TIME_WAIT', state: 'TIME-WAIT', tools: ['net-tools', 'busybox', 'bsd', 'windows'] },
  { text: 'TIMED_WAIT', state: 'TIME-WAIT', tools: ['windows-docs'] },
  { text: 'CLOSED', state: 'CLOSED', tools: ['rfc9293', 'bsd', 'windows'] },
  {
    text: 'CLOSE',
    state: 'CLOSED',
    tools: ['net-tools', 'busybox'],
    note: L(
      'net-tools prints `CLOSE` for CLOSED: the kernel\'s own name is `TCP_CLOSE`.',
      'net-tools 把 CLOSED 显示为 `CLOSE`，因为内核里这个状态就叫 `TCP_CLOSE`。',
    ),
  },
  {
    text: 'UNCONN',
    tools: ['ss'],
    note: L(
      'Not a TCP state name: `ss` prints `UNCONN` for sockets that are not connected. For UDP that is the normal ' +
        'state of a bound socket; for a TCP socket it means the kernel state `TCP_CLOSE` (created or bound, but ' +
        'neither listening nor connected).',
      '不是 TCP 状态名：`ss` 用 `UNCONN` 表示未连接的套接字。对 UDP 来说这是已绑定套接字的正常状态；' +
        '对 TCP 套接字则表示内核状态 `TCP_CLOSE`（已创建或已绑定，但既没监听也没连接）。',
    ),
  },
  {
    text: 'BOUND',
    tools: ['windows', 'solaris'],
    note: L(
      'Not an RFC 9293 state: a socket bound to a port but neither listening nor connected (Windows lists them with ' +
        '`netstat -q`). Thousands of them usually mean a program binds sockets and never connects or closes them.',
      '不是 RFC 9293 的状态：已绑定端口、但既没监听也没连接的套接字（Windows 用 `netstat -q` 才会列出）。' +
        '成千上万个通常说明某个程序绑定了套接字，却从不连接也不关闭。',
    ),
  },
  {
    text: 'DELETE_TCB',
    tools: ['windows'],
    note: L(
      'Not an RFC 9293 state: Windows shows it for a moment while it deletes a connection\'s control block.',
      '不是 RFC 9293 的状态：Windows 在删除连接控制块（TCB）的瞬间会显示它。',
    ),
  },
  {
    text: 'IDLE',
    tools: ['solaris'],
    note: L(
      'Not an RFC 9293 state: Solaris/illumos `netstat` prints it for a socket that is open but not bound yet.',
      '不是 RFC 9293 的状态：Solaris/illumos 的 `netstat` 用它表示已打开但尚未绑定的套接字。',
    ),
  },
  {
    text: 'UNKNOWN',
    tools: ['net-tools'],
    note: L(
      'net-tools prints it when the kernel reports a state number it does not know.',
      '内核报告了 net-tools 不认识的状态编号时，它会显示 `UNKNOWN`。',
    ),
  },
];

const SPELLING_BY_TEXT: ReadonlyMap<string, StateSpelling> = new Map(SPELLINGS.map((s) => [s.text, s]));

/** Every spelling we know, with the tools that print it. */
export const STATE_SPELLINGS: readonly StateSpelling[] = SPELLINGS;

/** Look up a printed state (case-insensitive, surrounding spaces ignored). */
export function lookupStateSpelling(printed: string): StateSpelling | undefined {
  return SPELLING_BY_TEXT.get(printed.trim().toUpperCase());
}

/**
 * Explain a printed state: which tool prints this spelling, what RFC 9293 state it is, and the one-line meaning.
 * Undefined when the text is not a spelling we know (an unknown translation, a typo).
 */
export function explainStateSpelling(printed: string, lang: Lang): string | undefined {
  const sp = lookupStateSpelling(printed);
  if (!sp) return undefined;
  const isRfcName = sp.state !== undefined && sp.state === sp.text;
  // For RFC 9293's own spelling, list the tools besides the RFC that print it the same way.
  const tools = sp.tools.filter((t) => !(isRfcName && t === 'rfc9293')).map((t) => tr(STATE_TOOL_NAMES[t], lang));
  const toolList = joinList(tools, lang);
  const shown = printed.trim();
  const zh = lang === 'zh-cn';
  const lines: string[] = [];
  if (sp.state) {
    const info = stateInfo(sp.state);
    if (isRfcName && tools.length === 0) {
      lines.push(zh ? `\`${shown}\` 是 RFC 9293 中这个状态的名称。` : `\`${shown}\` is this state's name in RFC 9293.`);
    } else if (isRfcName) {
      lines.push(
        zh
          ? `\`${shown}\`：RFC 9293 的 **${sp.state}** 状态，${toolList} 也这样写。`
          : `\`${shown}\` is RFC 9293's **${sp.state}**, spelled the same way by ${toolList}.`,
      );
    } else {
      lines.push(
        zh
          ? `\`${shown}\` 是 ${toolList} 对 RFC 9293 **${sp.state}** 状态的写法。`
          : `\`${shown}\` is how ${toolList} ${tools.length > 1 ? 'print' : 'prints'} RFC 9293's **${sp.state}**.`,
      );
    }
    lines.push(tr(info.summary, lang));
  } else {
    lines.push(zh ? `\`${shown}\` 由 ${toolList} 输出。` : `\`${shown}\` is printed by ${toolList}.`);
  }
  if (zh) lines[0] = zhSpacing(lines[0]!);
  if (sp.note) lines.push(tr(sp.note, lang));
  return lines.join('\n\n');
}

function joinList(items: readonly string[], lang: Lang): string {
  if (items.length <= 1) return items.join('');
  if (lang === 'zh-cn') {
    const last = items[items.length - 1]!;
    return `${items.slice(0, -1).join('、')}和${/^[a-z`]/i.test(last) ? ' ' : ''}${last}`;
  }
  if (items.length === 2) return `${items[0]} and ${items[1]}`;
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * The ways into and out of a state, as RFC 9293 labels them (`rcv SYN / snd SYN,ACK`): the figure's arrows, the ones
 * its notes leave out (RST, FIN-WAIT-1 -> TIME-WAIT) and Linux's FIN-WAIT-2 timeout. ABORT and user timeouts, which
 * lead from most states to CLOSED, are summed up in one line.
 */
export function describeStateTransitions(state: TcpState, lang: Lang): string {
  const zh = lang === 'zh-cn';
  const shown = (origin: string): boolean => origin !== 'event';
  const item = (label: string, other: TcpState, dir: 'in' | 'out'): string =>
    dir === 'in'
      ? zh
        ? `- 从 ${other}：\`${label}\``
        : `- from ${other}: \`${label}\``
      : other === state
        ? zh
          ? `- 留在 ${other}：\`${label}\``
          : `- stays in ${other}: \`${label}\``
        : zh
          ? `- 到 ${other}：\`${label}\``
          : `- to ${other}: \`${label}\``;
  const ins = transitionsTo(state).filter((t) => shown(t.origin) && t.from !== t.to);
  const outs = transitionsFrom(state).filter((t) => shown(t.origin) || t.from === t.to);
  const lines: string[] = [];
  if (ins.length > 0) {
    lines.push(`**${zh ? '怎么进入：' : 'Ways in:'}**\n${ins.map((t) => item(transitionLabel(t), t.from, 'in')).join('\n')}`);
  }
  if (outs.length > 0) {
    lines.push(`**${zh ? '怎么离开：' : 'Ways out:'}**\n${outs.map((t) => item(transitionLabel(t), t.to, 'out')).join('\n')}`);
  }
  if (transitionsFrom(state).some((t) => t.origin === 'event' && t.to === 'CLOSED')) {
    lines.push(
      zh
        ? 'RFC 9293 第 3.10 节另有 `ABORT`（中止，必要时发 RST）和用户超时，都会直接进入 CLOSED。'
        : 'RFC 9293 section 3.10 adds `ABORT` (sending RST where needed) and the user timeout, both straight to CLOSED.',
    );
  }
  return lines.join('\n\n');
}

/** Full Markdown for a state hover: summary, meaning, who waits, holder, duration, pile-up, fix. */
export function describeState(state: TcpState, lang: Lang): string {
  const s = stateInfo(state);
  const zh = lang === 'zh-cn';
  const head = (en: string, z: string): string => `**${zh ? z : en}**`;
  return [
    `**${state}**${zh ? '：' : ': '}${tr(s.summary, lang)}`,
    tr(s.meaning, lang),
    `${head('Who waits for what:', '谁在等什么：')} ${tr(s.waitingFor, lang)}`,
    `${head('Held by:', '通常由谁持有：')} ${tr(s.heldBy, lang)}`,
    `${head('How long:', '持续多久：')} ${tr(s.duration, lang)}`,
    `${head('When many pile up:', '大量堆积时：')} ${tr(s.pileUp, lang)}`,
    `${head('What to do:', '怎么处理：')}\n\n${tr(s.fix, lang)}`,
  ].join('\n\n');
}
