/**
 * Socket options that change what a socket table or a capture shows: what each does, when to use it, and how to set
 * it in C, Go, Java, Python and Node.js (only where the runtime offers it; nothing is invented).
 */
import type { Lang, Localized } from '../model';
import { L, tr } from './lang';

export type CodeLang = 'c' | 'go' | 'java' | 'python' | 'node';

export interface SocketOptionInfo {
  /** `SO_LINGER`, `TCP_NODELAY`, ... */
  readonly name: string;
  /** `SOL_SOCKET` or `IPPROTO_TCP`. */
  readonly level: 'SOL_SOCKET' | 'IPPROTO_TCP';
  /** Where it exists beyond Linux, when it does not everywhere. */
  readonly platforms: string;
  readonly what: Localized;
  /** What it looks like in a capture or a socket table. */
  readonly seenAs: Localized;
  readonly when: Localized;
  readonly caution: Localized;
  readonly code: Readonly<Partial<Record<CodeLang, string>>>;
  /** sysctl keys that set the system-wide default or limit (full names; all in sysctl.ts). */
  readonly sysctls: readonly string[];
}

const LIST: readonly SocketOptionInfo[] = [
  {
    name: 'SO_LINGER',
    level: 'SOL_SOCKET',
    platforms: 'Linux, BSD, macOS, Windows',
    what: L(
      'Controls what `close()` does with unsent data. Off (the default): `close()` returns at once and the kernel ' +
        'finishes sending and closes with FIN. On with a timeout: `close()` blocks until the data is acknowledged or ' +
        'the timeout ends. **On with timeout 0: `close()` aborts: it discards unsent data and sends RST**, with no ' +
        'FIN and no TIME-WAIT.',
      '控制 `close()` 如何处理未发完的数据。关闭（默认）：`close()` 立即返回，由内核发完数据并用 FIN 关闭。开启并设置超时：' +
        '`close()` 会阻塞，直到数据被确认或超时。**开启且超时为 0：`close()` 直接中止连接，丢弃未发数据并发送 RST**，' +
        '没有 FIN，也没有 TIME-WAIT。',
    ),
    seenAs: L(
      'With timeout 0: the connection ends with `[R.]` instead of `[F.]`; the peer gets `ECONNRESET`.',
      '超时为 0 时：连接以 `[R.]` 而不是 `[F.]` 结束，对端收到 `ECONNRESET`。',
    ),
    when: L(
      'Timeout 0 only to abort a connection on purpose (a protocol error, a load test), not to avoid TIME-WAIT.',
      '超时为 0 只用于有意中止连接（协议出错、压测），不要用来规避 TIME-WAIT。',
    ),
    caution: L(
      'The peer may lose the last response, and a reset is reported as an error on its side.',
      '对端可能收不到最后的响应，而且会把 RST 当成错误上报。',
    ),
    code: {
      c: 'struct linger lg = { .l_onoff = 1, .l_linger = 0 };\nsetsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);',
      go: 'conn.(*net.TCPConn).SetLinger(0)',
      java: 'socket.setSoLinger(true, 0);',
      python: "s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))",
      node: 'socket.resetAndDestroy(); // Node.js 18.3+: closes with RST',
    },
    sysctls: [],
  },
  {
    name: 'TCP_NODELAY',
    level: 'IPPROTO_TCP',
    platforms: 'Linux, BSD, macOS, Windows',
    what: L(
      'Turns off Nagle\'s algorithm: small writes are sent at once instead of waiting until earlier data is ' +
        'acknowledged.',
      '关闭 Nagle 算法：小块数据立即发送，而不是等之前的数据被确认之后再发。',
    ),
    seenAs: L(
      'Without it, request/response protocols that write in several small pieces show ~40 ms (Linux) or ~200 ms ' +
        'gaps: Nagle waits for an ACK that the peer\'s delayed-ACK timer holds back.',
      '不设置时，分几次小块写入的请求/响应协议会出现约 40 毫秒（Linux）或约 200 毫秒的停顿：Nagle 在等一个被对端延迟确认计时器扣住的 ACK。',
    ),
    when: L(
      'Interactive and RPC traffic (SSH, databases, HTTP clients, games). Go sets it by default on every TCP ' +
        'connection; many HTTP libraries do too.',
      '交互式和 RPC 流量（SSH、数据库、HTTP 客户端、游戏）。Go 默认对所有 TCP 连接开启它，许多 HTTP 库也是如此。',
    ),
    caution: L(
      'Many tiny writes then become many tiny packets; batch writes in the application (or use `TCP_CORK` / ' +
        '`MSG_MORE`).',
      '这样一来大量小写入会变成大量小包；应在应用里合并写入（或使用 `TCP_CORK` / `MSG_MORE`）。',
    ),
    code: {
      c: 'int one = 1;\nsetsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);',
      go: 'conn.(*net.TCPConn).SetNoDelay(true) // already the default in Go',
      java: 'socket.setTcpNoDelay(true);',
      python: 's.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)',
      node: 'socket.setNoDelay(true);',
    },
    sysctls: [],
  },
  {
    name: 'TCP_QUICKACK',
    level: 'IPPROTO_TCP',
    platforms: 'Linux only',
    what: L(
      'Sends ACKs immediately instead of delaying them (`ss -i` shows the delayed-ACK timeout as `ato`). Not ' +
        'permanent: the kernel may go back to delayed ACKs, so programs set it again after each read.',
      '立即发送 ACK，而不是延迟确认（`ss -i` 中的 `ato` 就是延迟确认超时）。它不是永久的：内核可能又切回延迟确认，' +
        '所以程序通常在每次读取后重新设置。',
    ),
    seenAs: L(
      'Removes the 40 ms pauses where the receiver held back its ACK.',
      '消除接收方扣住 ACK 造成的 40 毫秒停顿。',
    ),
    when: L(
      'On the receiving side of request/response traffic when you cannot set `TCP_NODELAY` on the sender.',
      '无法在发送端设置 `TCP_NODELAY` 时，在请求/响应流量的接收端使用。',
    ),
    caution: L('More pure ACK packets.', '纯 ACK 报文会增多。'),
    code: {
      c: 'int one = 1;\nsetsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);',
      python: 's.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)',
    },
    sysctls: [],
  },
  {
    name: 'SO_KEEPALIVE',
    level: 'SOL_SOCKET',
    platforms: 'Linux, BSD, macOS, Windows',
    what: L(
      'Enables TCP keepalive on this socket: after an idle period the kernel sends empty probes (`seq` = next - 1); ' +
        'a dead or unreachable peer makes the connection fail with `ETIMEDOUT`. Linux timing comes from ' +
        '`tcp_keepalive_time/intvl/probes` (2 h + 9 × 75 s) unless overridden per socket.',
      '为这个套接字开启 TCP 保活：空闲一段时间后内核发送空的探测报文（`seq` = 下一个序号 - 1）；对端已死或不可达时，' +
        '连接以 `ETIMEDOUT` 失败。Linux 的时间参数来自 `tcp_keepalive_time/intvl/probes`（2 小时 + 9 × 75 秒），可按套接字覆盖。',
    ),
    seenAs: L(
      '`ss -o` shows `timer:(keepalive,...)`; tshark labels the probes `[TCP Keep-Alive]` and the answers ' +
        '`[TCP Keep-Alive ACK]`.',
      '`ss -o` 显示 `timer:(keepalive,...)`；tshark 把探测标为 `[TCP Keep-Alive]`，回应标为 `[TCP Keep-Alive ACK]`。',
    ),
    when: L(
      'Long-lived, often idle connections (database pools, message brokers, RPC channels) through NATs and firewalls ' +
        'that forget idle flows.',
      '经常空闲的长连接（数据库连接池、消息中间件、RPC 通道），尤其是要经过会遗忘空闲连接的 NAT 和防火墙时。',
    ),
    caution: L(
      'With the Linux defaults the first probe comes after 2 hours: set `TCP_KEEPIDLE` too.',
      '按 Linux 默认值，第一个探测要 2 小时后才发：记得同时设置 `TCP_KEEPIDLE`。',
    ),
    code: {
      c: 'int one = 1;\nsetsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);',
      go: 'conn.(*net.TCPConn).SetKeepAlive(true) // net.Dialer enables 15 s keepalive by default',
      java: 'socket.setKeepAlive(true);',
      python: 's.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)',
      node: 'socket.setKeepAlive(true, 60000); // also sets the idle time, in ms',
    },
    sysctls: ['net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'],
  },
  {
    name: 'TCP_KEEPIDLE',
    level: 'IPPROTO_TCP',
    platforms: 'Linux, FreeBSD, Windows 10 1709+ (macOS: TCP_KEEPALIVE)',
    what: L(
      'Idle seconds before the first keepalive probe, for this socket (overrides `tcp_keepalive_time`).',
      '该套接字空闲多少秒后发出第一个保活探测（覆盖 `tcp_keepalive_time`）。',
    ),
    seenAs: L('The first `[TCP Keep-Alive]` after that much idle time.', '空闲这么久之后出现第一个 `[TCP Keep-Alive]`。'),
    when: L(
      'Set it below the idle timeout of NATs and firewalls on the path (e.g. 60–300 s).',
      '设为低于路径上 NAT 和防火墙空闲超时的值（例如 60–300 秒）。',
    ),
    caution: L('Only effective with `SO_KEEPALIVE` on.', '只有开启了 `SO_KEEPALIVE` 才生效。'),
    code: {
      c: 'int idle = 60;\nsetsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);',
      go: 'conn.(*net.TCPConn).SetKeepAliveConfig(net.KeepAliveConfig{Enable: true, Idle: 60 * time.Second, Interval: 10 * time.Second, Count: 5}) // Go 1.23+',
      java: 'socket.setOption(jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE, 60);',
      python: 's.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 60)',
      node: 'socket.setKeepAlive(true, 60000);',
    },
    sysctls: ['net.ipv4.tcp_keepalive_time'],
  },
  {
    name: 'TCP_KEEPINTVL',
    level: 'IPPROTO_TCP',
    platforms: 'Linux, FreeBSD, macOS, Windows 10 1709+',
    what: L(
      'Seconds between unanswered keepalive probes, for this socket (overrides `tcp_keepalive_intvl`).',
      '该套接字两次未获回应的保活探测之间的间隔秒数（覆盖 `tcp_keepalive_intvl`）。',
    ),
    seenAs: L('Repeated `[TCP Keep-Alive]` this far apart when the peer is silent.', '对端没有回应时，`[TCP Keep-Alive]` 按这个间隔重复出现。'),
    when: L('Together with `TCP_KEEPIDLE` and `TCP_KEEPCNT`.', '与 `TCP_KEEPIDLE`、`TCP_KEEPCNT` 一起设置。'),
    caution: L('Too short declares peers dead during brief outages.', '太短会在短暂中断时误判对端已死。'),
    code: {
      c: 'int intvl = 10;\nsetsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof intvl);',
      java: 'socket.setOption(jdk.net.ExtendedSocketOptions.TCP_KEEPINTERVAL, 10);',
      python: 's.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 10)',
    },
    sysctls: ['net.ipv4.tcp_keepalive_intvl'],
  },
  {
    name: 'TCP_KEEPCNT',
    level: 'IPPROTO_TCP',
    platforms: 'Linux, FreeBSD, macOS, Windows 10 1703+',
    what: L(
      'How many unanswered probes end the connection, for this socket (overrides `tcp_keepalive_probes`). Dead-peer ' +
        'detection takes `TCP_KEEPIDLE + TCP_KEEPINTVL × TCP_KEEPCNT`.',
      '该套接字连续多少个探测无回应就断开连接（覆盖 `tcp_keepalive_probes`）。发现死连接所需时间为 ' +
        '`TCP_KEEPIDLE + TCP_KEEPINTVL × TCP_KEEPCNT`。',
    ),
    seenAs: L('After the last unanswered probe the connection is gone (often with an RST).', '最后一个探测没有回应后，连接消失（通常伴随 RST）。'),
    when: L('Together with `TCP_KEEPIDLE` and `TCP_KEEPINTVL`.', '与 `TCP_KEEPIDLE`、`TCP_KEEPINTVL` 一起设置。'),
    caution: L('Few probes tolerate little loss.', '次数少就经不起丢包。'),
    code: {
      c: 'int cnt = 5;\nsetsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof cnt);',
      java: 'socket.setOption(jdk.net.ExtendedSocketOptions.TCP_KEEPCOUNT, 5);',
      python: 's.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 5)',
    },
    sysctls: ['net.ipv4.tcp_keepalive_probes'],
  },
  {
    name: 'SO_REUSEADDR',
    level: 'SOL_SOCKET',
    platforms: 'Linux, BSD, macOS; Windows has different, dangerous semantics',
    what: L(
      'On Linux and BSD: lets a server `bind()` its port while old connections on that port are still in TIME-WAIT, ' +
        'so a restart does not fail with `EADDRINUSE`. It does not let two processes listen on the same port.',
      '在 Linux 和 BSD 上：允许服务端在该端口仍有处于 TIME-WAIT 的旧连接时 `bind()`，重启时就不会报 `EADDRINUSE`。' +
        '它不能让两个进程监听同一个端口。',
    ),
    seenAs: L(
      'A restarted server binds although `ss -tan` still lists TIME-WAIT rows on its port.',
      '即使 `ss -tan` 里该端口还有 TIME-WAIT 行，重启的服务端也能绑定成功。',
    ),
    when: L(
      'Every TCP server. Go, Node.js (libuv) and Python\'s asyncio and socketserver already set it for listeners.',
      '所有 TCP 服务端都应设置。Go、Node.js（libuv）以及 Python 的 asyncio 和 socketserver 已经为监听套接字默认设置。',
    ),
    caution: L(
      'On Windows it allows another process to steal a bound port; use `SO_EXCLUSIVEADDRUSE` there.',
      '在 Windows 上它会允许其他进程抢占已绑定的端口；Windows 上应使用 `SO_EXCLUSIVEADDRUSE`。',
    ),
    code: {
      c: 'int one = 1;\nsetsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one); /* before bind() */',
      java: 'serverSocket.setReuseAddress(true); // before bind()',
      python: 's.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # before bind()',
    },
    sysctls: [],
  },
  {
    name: 'SO_REUSEPORT',
    level: 'SOL_SOCKET',
    platforms: 'Linux 3.9+, BSD, macOS (different balancing)',
    what: L(
      'Lets several sockets (same user) bind and listen on the same address and port; on Linux the kernel spreads ' +
        'incoming connections across them, each with its own accept queue.',
      '允许多个套接字（同一用户）绑定并监听同一个地址和端口；在 Linux 上内核会把新连接分散给它们，每个套接字有自己的全连接队列。',
    ),
    seenAs: L(
      'Several LISTEN rows for the same address and port in `ss -lnt`, each with its own Recv-Q/Send-Q.',
      '`ss -lnt` 中同一地址端口有多行 LISTEN，各自有自己的 Recv-Q/Send-Q。',
    ),
    when: L(
      'Multi-process or multi-threaded servers that want one accept queue per worker (nginx `listen 80 reuseport;`).',
      '多进程或多线程服务端希望每个 worker 有独立全连接队列时（nginx：`listen 80 reuseport;`）。',
    ),
    caution: L(
      'A stalled worker keeps receiving its share of connections, which then wait in its queue.',
      '某个 worker 卡住时仍会分到它那份连接，这些连接只能在它的队列里干等。',
    ),
    code: {
      c: 'int one = 1;\nsetsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one); /* before bind() */',
      python: 's.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)  # before bind()',
    },
    sysctls: [],
  },
  {
    name: 'TCP_USER_TIMEOUT',
    level: 'IPPROTO_TCP',
    platforms: 'Linux 2.6.37+',
    what: L(
      'Milliseconds that transmitted data may stay unacknowledged (or keepalive probes unanswered) before the kernel ' +
        'drops the connection with `ETIMEDOUT`. Replaces the ~15 min of `tcp_retries2` for this socket.',
      '已发送的数据最多可以多少毫秒不被确认（或保活探测不被回应），超时后内核以 `ETIMEDOUT` 断开连接。对这个套接字取代 ' +
        '`tcp_retries2` 约 15 分钟的限制。',
    ),
    seenAs: L(
      'Retransmissions stop after that time and the socket disappears; the application gets `ETIMEDOUT`.',
      '超过这个时间后重传停止，套接字消失，应用收到 `ETIMEDOUT`。',
    ),
    when: L(
      'Clients that must notice a dead server within seconds while data is in flight (databases, RPC, message ' +
        'brokers).',
      '需要在数据传输中几秒内就发现服务端已死的客户端（数据库、RPC、消息中间件）。',
    ),
    caution: L(
      'Too short kills connections during brief outages; set it above the keepalive detection time when both are ' +
        'used.',
      '太短会在短暂中断时断开连接；与保活一起使用时，应大于保活的检测时间。',
    ),
    code: {
      c: 'unsigned int ms = 30000;\nsetsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &ms, sizeof ms);',
      python: 's.setsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT, 30000)',
    },
    sysctls: ['net.ipv4.tcp_retries2'],
  },
  {
    name: 'SO_RCVBUF',
    level: 'SOL_SOCKET',
    platforms: 'Linux, BSD, macOS, Windows',
    what: L(
      'Sets the receive buffer size. Linux doubles the value (for bookkeeping) and caps it at `net.core.rmem_max`; ' +
        'setting it turns off receive autotuning for the socket. Set it before `connect()`/`listen()` so the window ' +
        'scale chosen on the SYN fits.',
      '设置接收缓冲区大小。Linux 会把数值翻倍（用于簿记开销）并以 `net.core.rmem_max` 为上限；设置后该套接字的接收自动调整会被关闭。' +
        '要在 `connect()`/`listen()` 之前设置，SYN 上选定的窗口扩大因子才够用。',
    ),
    seenAs: L('`ss -m` shows it as `rb` in `skmem:(...)`.', '`ss -m` 中 `skmem:(...)` 的 `rb` 就是它。'),
    when: L(
      'Rarely for TCP: autotuning usually does better. Mostly for UDP receivers.',
      'TCP 很少需要：自动调整通常做得更好。主要用于 UDP 接收端。',
    ),
    caution: L(
      'A fixed small buffer caps throughput at buffer / RTT.',
      '固定的小缓冲区会把吞吐量限制在 缓冲区 / RTT。',
    ),
    code: {
      c: 'int size = 4 << 20;\nsetsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);',
      go: 'conn.(*net.TCPConn).SetReadBuffer(4 << 20)',
      java: 'socket.setReceiveBufferSize(4 << 20);',
      python: 's.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)',
    },
    sysctls: ['net.core.rmem_max', 'net.ipv4.tcp_rmem'],
  },
  {
    name: 'SO_SNDBUF',
    level: 'SOL_SOCKET',
    platforms: 'Linux, BSD, macOS, Windows',
    what: L(
      'Sets the send buffer size (doubled by Linux, capped at `net.core.wmem_max`); turns off send autotuning for the ' +
        'socket. Writes block (or return `EAGAIN`) when it is full.',
      '设置发送缓冲区大小（Linux 会翻倍，上限为 `net.core.wmem_max`），同时关闭该套接字的发送自动调整。缓冲区满时写入会阻塞（或返回 `EAGAIN`）。',
    ),
    seenAs: L('`ss -m` shows it as `tb` in `skmem:(...)`.', '`ss -m` 中 `skmem:(...)` 的 `tb` 就是它。'),
    when: L('Rarely for TCP; autotuning usually does better.', 'TCP 很少需要，自动调整通常做得更好。'),
    caution: L('Too small caps throughput; too large queues a lot of data in the kernel.', '太小会限制吞吐量，太大会让大量数据堆在内核里。'),
    code: {
      c: 'int size = 4 << 20;\nsetsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);',
      go: 'conn.(*net.TCPConn).SetWriteBuffer(4 << 20)',
      java: 'socket.setSendBufferSize(4 << 20);',
      python: 's.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)',
    },
    sysctls: ['net.core.wmem_max', 'net.ipv4.tcp_wmem'],
  },
  {
    name: 'TCP_DEFER_ACCEPT',
    level: 'IPPROTO_TCP',
    platforms: 'Linux only (FreeBSD has accept filters)',
    what: L(
      'On a listener: wake `accept()` only when the client has sent data, waiting up to this many seconds. Until then ' +
        'the finished handshake stays a request socket.',
      '用于监听套接字：客户端发来数据后才唤醒 `accept()`，最多等这么多秒。在此之前，已完成的握手仍以 request sock 的形式存在。',
    ),
    seenAs: L(
      'Connections waiting for their first data are listed as SYN-RECV although the client considers them established.',
      '等待首个数据的连接显示为 SYN-RECV，尽管客户端认为连接早已建立。',
    ),
    when: L(
      'Servers for protocols where the client speaks first (HTTP), to avoid waking workers for idle connections.',
      '客户端先发言的协议（HTTP）的服务端，避免为空闲连接唤醒 worker。',
    ),
    caution: L(
      'Breaks protocols where the server speaks first (SMTP, FTP, MySQL).',
      '会破坏服务端先发言的协议（SMTP、FTP、MySQL）。',
    ),
    code: {
      c: 'int secs = 5;\nsetsockopt(fd, IPPROTO_TCP, TCP_DEFER_ACCEPT, &secs, sizeof secs);',
      python: 's.setsockopt(socket.IPPROTO_TCP, socket.TCP_DEFER_ACCEPT, 5)',
    },
    sysctls: [],
  },
  {
    name: 'TCP_FASTOPEN',
    level: 'IPPROTO_TCP',
    platforms: 'Linux 3.7+, FreeBSD, macOS (via connectx), Windows 10+',
    what: L(
      'On a listener: accept data in SYNs from clients that hold a valid Fast Open cookie; the value is the length of ' +
        'the queue of such pending connections. Clients use `sendto(..., MSG_FASTOPEN, ...)` or `TCP_FASTOPEN_CONNECT`.',
      '用于监听套接字：接受持有有效快速打开 cookie 的客户端在 SYN 中携带的数据；取值是这类待处理连接的队列长度。' +
        '客户端使用 `sendto(..., MSG_FASTOPEN, ...)` 或 `TCP_FASTOPEN_CONNECT`。',
    ),
    seenAs: L(
      'The SYN carries a `tfo` option (tcpdump: `tfo cookiereq` or `tfo cookie ...`) and sometimes data (`length` > 0).',
      'SYN 带有 `tfo` 选项（tcpdump：`tfo cookiereq` 或 `tfo cookie ...`），有时还带数据（`length` > 0）。',
    ),
    when: L(
      'Short repeated connections with idempotent first requests, where one round trip matters.',
      '反复建立的短连接、首个请求是幂等的、并且一个往返时间很关键的场景。',
    ),
    caution: L(
      'Needs `net.ipv4.tcp_fastopen` to enable the side (2 for servers); SYN data may be replayed.',
      '需要在 `net.ipv4.tcp_fastopen` 中开启对应的一侧（服务端为 2）；SYN 中的数据可能被重放。',
    ),
    code: {
      c: 'int qlen = 16;\nsetsockopt(fd, IPPROTO_TCP, TCP_FASTOPEN, &qlen, sizeof qlen);',
      python: 's.setsockopt(socket.IPPROTO_TCP, socket.TCP_FASTOPEN, 16)',
    },
    sysctls: ['net.ipv4.tcp_fastopen'],
  },
  {
    name: 'TCP_SYNCNT',
    level: 'IPPROTO_TCP',
    platforms: 'Linux only',
    what: L(
      'How many SYN retransmissions `connect()` makes on this socket before giving up (overrides `tcp_syn_retries`).',
      '该套接字 `connect()` 时最多重传几次 SYN 后放弃（覆盖 `tcp_syn_retries`）。',
    ),
    seenAs: L('Fewer repeated `[S]` before the connection attempt fails.', '连接失败前重复出现的 `[S]` 变少。'),
    when: L('Clients that must fail over fast when a server is unreachable.', '服务端不可达时需要快速切换的客户端。'),
    caution: L('Gives up sooner on lossy paths.', '在丢包链路上会更早放弃。'),
    code: {
      c: 'int n = 2;\nsetsockopt(fd, IPPROTO_TCP, TCP_SYNCNT, &n, sizeof n);',
      python: 's.setsockopt(socket.IPPROTO_TCP, socket.TCP_SYNCNT, 2)',
    },
    sysctls: ['net.ipv4.tcp_syn_retries'],
  },
];

const BY_NAME: ReadonlyMap<string, SocketOptionInfo> = new Map(LIST.map((o) => [o.name, o]));

export const SOCKET_OPTIONS: readonly SocketOptionInfo[] = LIST;

/** By name, case-insensitive: `so_linger`, `TCP_NODELAY`. */
export function socketOptionInfo(name: string): SocketOptionInfo | undefined {
  return BY_NAME.get(name.trim().toUpperCase());
}

const CODE_LABEL: Readonly<Record<CodeLang, string>> = { c: 'C', go: 'Go', java: 'Java', python: 'Python', node: 'Node.js' };

/** Markdown for a socket option hover, with a fenced snippet per language. */
export function describeSocketOption(o: SocketOptionInfo, lang: Lang): string {
  const zh = lang === 'zh-cn';
  const head = (en: string, z: string): string => `**${zh ? z : en}**`;
  const lines = [
    `\`${o.name}\` (\`${o.level}\`, ${o.platforms})`,
    tr(o.what, lang),
    `${head('In captures and socket tables:', '在抓包和套接字表中：')} ${tr(o.seenAs, lang)}`,
    `${head('When to use it:', '什么时候用：')} ${tr(o.when, lang)}`,
    `${head('Careful:', '注意：')} ${tr(o.caution, lang)}`,
  ];
  for (const k of ['c', 'go', 'java', 'python', 'node'] as const) {
    const code = o.code[k];
    if (code) lines.push(`${CODE_LABEL[k]}:\n\n\`\`\`${k === 'node' ? 'js' : k}\n${code}\n\`\`\``);
  }
  return lines.join('\n\n');
}
