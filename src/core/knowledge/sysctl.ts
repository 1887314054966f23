/**
 * Linux sysctl keys a user meets when a socket table or a capture looks wrong: what each does, its default, when to
 * change it and what it costs. Defaults are those of Linux 6.18 (the kernel of TCP Lens's samples, checked in
 * /proc/sys); `variesBy` marks the ones that scale with memory, depend on the kernel build, or changed with versions.
 *
 * `lookupSysctl` accepts `net.ipv4.tcp_fin_timeout`, `tcp_fin_timeout`, `/proc/sys/net/ipv4/tcp_fin_timeout`,
 * a sysctl.conf line `net.ipv4.tcp_tw_reuse = 1`, `sysctl -w key=value` and `echo V > /proc/sys/...`, and returns the
 * key's span in the input plus an explanation of the value when one is given.
 */
import type { Lang, Localized } from '../model';
import { humanSeconds, L, tr } from './lang';

/** How a value is read, to explain a number the user typed. */
export type SysctlValueKind =
  | 'seconds'
  | 'count'
  | 'bytes'
  | 'enum'
  | 'triple-bytes' // min default max
  | 'port-range'
  | 'name'
  | 'syn-retries'
  | 'synack-retries'
  | 'retries'
  | 'orphan-retries';

export interface SysctlValue {
  readonly value: string;
  readonly meaning: Localized;
}

export interface SysctlInfo {
  /** Full dotted name, e.g. `net.ipv4.tcp_fin_timeout`. */
  readonly key: string;
  /** The default as `sysctl` prints it (fields separated by one space). `''` for a removed key. */
  readonly default: string;
  /** Set when the default is not the same on every machine. */
  readonly variesBy?: 'memory' | 'build' | 'version';
  /** Explains a default that varies, or anything else about it. */
  readonly defaultNote?: Localized;
  readonly kind: SysctlValueKind;
  /** Enumerated values and what each does. */
  readonly values?: readonly SysctlValue[];
  /** The kernel version that added or removed the key, when that matters. */
  readonly since?: string;
  readonly removedIn?: string;
  readonly what: Localized;
  readonly whenToChange: Localized;
  readonly tradeOff: Localized;
}

const V = (value: string, en: string, zh: string): SysctlValue => ({ value, meaning: L(en, zh) });

const LIST: readonly SysctlInfo[] = [
  {
    key: 'net.ipv4.tcp_syn_retries',
    default: '6',
    kind: 'syn-retries',
    what: L(
      'How many times `connect()` retransmits an unanswered SYN before it fails with `ETIMEDOUT`. Since Linux 6.5 the ' +
        '`tcp_syn_linear_timeouts` retries (default 4) come on top, 1 s apart; with both defaults the attempt gives up ' +
        'after about 131 s (127 s on older kernels).',
      '`connect()` 在 SYN 得不到回应时重传几次，之后以 `ETIMEDOUT` 失败。从 Linux 6.5 起还要加上 `tcp_syn_linear_timeouts` ' +
        '次间隔 1 秒的重传（默认 4 次）；两者都取默认值时，大约 131 秒后放弃（老内核约 127 秒）。',
    ),
    whenToChange: L(
      'Lower it (2–3) on clients that must fail over quickly inside a data center. An application connect timeout ' +
        'is usually the better tool; per socket use `TCP_SYNCNT`.',
      '数据中心内部需要快速故障切换的客户端可以调低到 2–3。通常更好的办法是在应用里设置连接超时；单个套接字可以用 `TCP_SYNCNT`。',
    ),
    tradeOff: L(
      'Lower values give up sooner on slow or lossy paths, where one more SYN would have succeeded.',
      '调低后，在慢速或丢包的链路上会更早放弃，而再多发一个 SYN 本来可能就成功了。',
    ),
  },
  {
    key: 'net.ipv4.tcp_synack_retries',
    default: '5',
    kind: 'synack-retries',
    what: L(
      'How many times the server retransmits its SYN-ACK when the client\'s final ACK does not come. With 5, a ' +
        'half-open (SYN-RECV) entry lives about 63 s.',
      '服务端收不到客户端最后的 ACK 时重发 SYN-ACK 的次数。取 5 时，一个半连接（SYN-RECV）大约存活 63 秒。',
    ),
    whenToChange: L(
      'Lower it (2–3) on servers that see many half-open connections from floods or broken clients, so the SYN queue ' +
        'drains faster.',
      '服务端因 SYN 洪泛或异常客户端出现大量半连接时，可调低到 2–3，让 SYN 队列更快腾空。',
    ),
    tradeOff: L(
      'Legitimate clients on lossy links are dropped sooner.',
      '丢包链路上的正常客户端会更早被放弃。',
    ),
  },
  {
    key: 'net.ipv4.tcp_syn_linear_timeouts',
    default: '4',
    kind: 'count',
    since: 'Linux 6.5',
    what: L(
      'How many SYN retransmissions of `connect()` use a flat 1 s timeout before exponential backoff starts. They come ' +
        'on top of `tcp_syn_retries`: with both defaults the SYN is sent 11 times, 1, 1, 1, 1, 1, 2, 4, 8, 16 and 32 s ' +
        'apart. It does not affect SYN-ACKs.',
      '`connect()` 的 SYN 重传中，有几次使用固定的 1 秒超时、之后才开始指数退避。这些重传是在 `tcp_syn_retries` 之外额外增加的：' +
        '两者都取默认值时，SYN 一共发 11 次，间隔依次为 1、1、1、1、1、2、4、8、16、32 秒。它不影响 SYN-ACK。',
    ),
    whenToChange: L(
      'Set 0 to get the classic doubling (1, 2, 4, ... s) back, for example to match older kernels in tests.',
      '设为 0 可以恢复传统的翻倍退避（1、2、4…… 秒），例如在测试中与老内核保持一致。',
    ),
    tradeOff: L(
      'Linear retries recover faster from one lost SYN, at the cost of a few extra SYNs towards hosts that are down.',
      '线性重传能更快地从单个 SYN 丢失中恢复，代价是对已宕机的主机多发几个 SYN。',
    ),
  },
  {
    key: 'net.ipv4.tcp_fin_timeout',
    default: '60',
    kind: 'seconds',
    what: L(
      'How long an orphaned connection (its application already called `close()`) may stay in FIN-WAIT-2 waiting for ' +
        'the peer\'s FIN. It does **not** set the TIME-WAIT length, which is fixed at 60 s on Linux.',
      '孤儿连接（应用已经调用了 `close()`）在 FIN-WAIT-2 等待对端 FIN 的最长时间。它**不**决定 TIME-WAIT 的时长，' +
        'Linux 的 TIME-WAIT 固定为 60 秒。',
    ),
    whenToChange: L(
      'Many FIN-WAIT-2 sockets because peers do not close: 15–30 s frees them sooner (the real fix is in the peer).',
      '对端不关闭导致大量 FIN-WAIT-2 时，调到 15–30 秒能更快释放（根本的修复在对端）。',
    ),
    tradeOff: L(
      'A peer that closes late gets an RST instead of a clean close.',
      '关闭得晚的对端会收到 RST，而不是正常关闭。',
    ),
  },
  {
    key: 'net.ipv4.tcp_tw_reuse',
    default: '2',
    kind: 'enum',
    values: [
      V('0', 'off: a new outgoing connection never reuses a TIME-WAIT port.', '关闭：新的出向连接从不复用 TIME-WAIT 端口。'),
      V(
        '1',
        'on: a new outgoing connection (`connect()`) may take over a TIME-WAIT socket\'s port pair when TCP timestamps ' +
          'prove it safe (the TIME-WAIT socket must be at least about 1 s old).',
        '开启：新的出向连接（`connect()`）在 TCP 时间戳能证明安全时，可以接管 TIME-WAIT 套接字的端口组合' +
          '（该 TIME-WAIT 至少已存在约 1 秒）。',
      ),
      V('2', 'on for loopback traffic only (the default).', '只对回环地址的连接开启（默认值）。'),
    ],
    what: L(
      'Lets clients reuse ports held by TIME-WAIT for new outgoing connections. Needs `tcp_timestamps` on both ends. ' +
        'It has no effect on the accepting (server) side.',
      '允许客户端把处于 TIME-WAIT 的端口用于新的出向连接。需要两端都开启 `tcp_timestamps`。对接受连接的服务端一侧没有作用。',
    ),
    whenToChange: L(
      'Set 1 on a client that runs out of local ports (`EADDRNOTAVAIL`) because of TIME-WAIT towards the same server ' +
        'address and port.',
      '客户端因为连同一个服务端地址端口而堆积大量 TIME-WAIT、导致本地端口耗尽（`EADDRNOTAVAIL`）时，设为 1。',
    ),
    tradeOff: L(
      'Safe in practice: timestamps (PAWS) reject old duplicates. It does nothing if the peer does not send ' +
        'timestamps, and it does not replace connection reuse.',
      '实践中是安全的：时间戳（PAWS）会拒绝旧的重复报文。对端不发时间戳时不起作用，也替代不了连接复用。',
    ),
  },
  {
    key: 'net.ipv4.tcp_max_tw_buckets',
    default: '131072',
    variesBy: 'memory',
    defaultNote: L(
      'Scales with memory at boot (131072 on a 24 GiB machine running Linux 6.18).',
      '开机时按内存大小计算（24 GiB 内存、Linux 6.18 的机器上为 131072）。',
    ),
    kind: 'count',
    what: L(
      'The most TIME-WAIT sockets the system keeps. Beyond it, closing connections skip TIME-WAIT and the kernel logs ' +
        '"TCP: time wait bucket table overflow".',
      '系统最多保留的 TIME-WAIT 套接字数。超出后，新关闭的连接直接跳过 TIME-WAIT，内核日志会出现 "TCP: time wait bucket table overflow"。',
    ),
    whenToChange: L(
      'Rarely. Lower it only when TIME-WAIT memory is a real problem and connection reuse is impossible; raise it if ' +
        'the overflow message appears on a busy but healthy host.',
      '很少需要改。只有 TIME-WAIT 占用的内存确实成了问题、又无法复用连接时才调低；繁忙但健康的主机上出现溢出日志时可以调高。',
    ),
    tradeOff: L(
      'Sockets that skip TIME-WAIT lose its protection: a lost final ACK turns into an RST for the peer, and old ' +
        'duplicates may reach a new connection on the same ports.',
      '跳过 TIME-WAIT 的连接失去了它的保护：最后的 ACK 一旦丢失，对端会收到 RST；旧的重复报文也可能落到相同端口的新连接上。',
    ),
  },
  {
    key: 'net.ipv4.tcp_max_syn_backlog',
    default: '2048',
    variesBy: 'memory',
    defaultNote: L(
      'At least 128, larger with more memory (2048 on a 24 GiB machine running Linux 6.18).',
      '最少 128，内存越大值越大（24 GiB 内存、Linux 6.18 的机器上为 2048）。',
    ),
    kind: 'count',
    what: L(
      'Per listener, how many half-open connections (SYN-RECV) are remembered. Without syncookies, Linux starts ' +
        'dropping SYNs when the queue is three quarters full.',
      '每个监听套接字最多记住多少个半连接（SYN-RECV）。不启用 syncookies 时，队列满四分之三 Linux 就开始丢弃 SYN。',
    ),
    whenToChange: L(
      'Raise it when `netstat -s` shows "SYNs to LISTEN sockets dropped" under legitimate load; raise ' +
        '`net.core.somaxconn` and the `listen()` backlog with it.',
      '正常负载下 `netstat -s` 出现 "SYNs to LISTEN sockets dropped" 时调高，并同时调高 `net.core.somaxconn` 和 `listen()` 的 backlog。',
    ),
    tradeOff: L(
      'Each entry costs a few hundred bytes; a bigger queue absorbs floods but does not stop them (syncookies do).',
      '每个半连接占几百字节；队列大一些能扛住洪泛，但挡不住它（挡住它靠 syncookies）。',
    ),
  },
  {
    key: 'net.core.somaxconn',
    default: '4096',
    defaultNote: L('4096 since Linux 5.4; 128 before.', '自 Linux 5.4 起为 4096，之前是 128。'),
    kind: 'count',
    what: L(
      'The upper limit of the `listen()` backlog, i.e. of the accept queue of finished handshakes waiting for ' +
        '`accept()`. The effective length is `min(backlog, somaxconn)`; `ss -lnt` shows it as Send-Q of LISTEN rows.',
      '`listen()` backlog 的上限，也就是全连接队列（已完成握手、等待 `accept()` 的连接）的上限。实际长度是 ' +
        '`min(backlog, somaxconn)`，在 `ss -lnt` 中显示为 LISTEN 行的 Send-Q。',
    ),
    whenToChange: L(
      'When Recv-Q of a LISTEN row reaches its Send-Q and "times the listen queue of a socket overflowed" grows in ' +
        '`netstat -s`. Raise the application\'s backlog too, or nothing changes.',
      '当 LISTEN 行的 Recv-Q 顶到 Send-Q，且 `netstat -s` 里 "times the listen queue of a socket overflowed" 不断增长时。' +
        '应用的 backlog 也要一起调大，否则不会有任何变化。',
    ),
    tradeOff: L(
      'A longer queue hides a slow application and adds waiting time; fix the accept loop first.',
      '队列越长越容易掩盖应用处理慢的问题，并增加排队时间；应先优化 accept 循环。',
    ),
  },
  {
    key: 'net.ipv4.tcp_abort_on_overflow',
    default: '0',
    kind: 'enum',
    values: [
      V(
        '0',
        'when the accept queue is full, drop the client\'s final ACK; the client retransmits and the handshake can ' +
          'still complete once there is room (the default).',
        '全连接队列满时丢弃客户端最后的 ACK；客户端会重传，等队列有空位时握手仍可完成（默认值）。',
      ),
      V(
        '1',
        'when the accept queue is full, answer with RST: clients see "Connection reset by peer" at once.',
        '全连接队列满时直接回 RST：客户端立刻看到 "Connection reset by peer"。',
      ),
    ],
    what: L(
      'What Linux does when a handshake completes but the listener\'s accept queue is full.',
      '握手已完成、但监听套接字的全连接队列已满时，Linux 怎么处理。',
    ),
    whenToChange: L(
      'Set 1 only to prove an accept-queue overflow (resets appear on the clients) or when overload must fail fast.',
      '只在需要证实全连接队列溢出（客户端会出现 reset）或希望过载时快速失败的情况下设为 1。',
    ),
    tradeOff: L(
      'With 1, short bursts that the default would absorb become client errors.',
      '设为 1 后，原本默认行为能扛过去的短时突发会变成客户端报错。',
    ),
  },
  {
    key: 'net.ipv4.tcp_syncookies',
    default: '1',
    kind: 'enum',
    values: [
      V('0', 'off: when the SYN queue is full, new SYNs are dropped.', '关闭：SYN 队列满后新的 SYN 直接丢弃。'),
      V(
        '1',
        'send syncookies only when a listener\'s SYN queue overflows (the default); the kernel logs "Possible SYN ' +
          'flooding on port N. Sending cookies."',
        '只在监听套接字的 SYN 队列溢出时才发送 syncookie（默认值），内核日志会出现 "Possible SYN flooding on port N. Sending cookies."',
      ),
      V('2', 'always send syncookies (for testing).', '总是发送 syncookie（用于测试）。'),
    ],
    what: L(
      'SYN cookies encode the connection in the SYN-ACK\'s sequence number so the server keeps no state until the ' +
        'final ACK: a SYN flood cannot fill the SYN queue.',
      'SYN cookie 把连接信息编码进 SYN-ACK 的序列号里，服务端在收到最后的 ACK 之前不保存任何状态，因此 SYN 洪泛无法塞满 SYN 队列。',
    ),
    whenToChange: L('Keep 1.', '保持 1。'),
    tradeOff: L(
      'Connections set up by a cookie can lose TCP options that do not fit in it (window scale and SACK survive only ' +
        'when timestamps are on).',
      '通过 cookie 建立的连接会丢失 cookie 装不下的 TCP 选项（只有开启时间戳时，窗口扩大因子和 SACK 才能保留）。',
    ),
  },
  {
    key: 'net.ipv4.tcp_keepalive_time',
    default: '7200',
    kind: 'seconds',
    what: L(
      'Idle time before the first keepalive probe, for sockets that enabled `SO_KEEPALIVE` (per socket: ' +
        '`TCP_KEEPIDLE`). With the defaults a dead idle peer is found after 7200 + 9 × 75 s = 2 h 11 min 15 s.',
      '开启了 `SO_KEEPALIVE` 的套接字空闲多久后发出第一个保活探测（单个套接字用 `TCP_KEEPIDLE`）。按默认值，' +
        '空闲连接的对端死掉后要 7200 + 9 × 75 秒 = 2 小时 11 分 15 秒才能发现。',
    ),
    whenToChange: L(
      'Set it below the idle timeout of NATs, firewalls and load balancers on the path (often 5 to 60 min), e.g. ' +
        '300–600 s, so idle connections are not silently dropped.',
      '调到路径上 NAT、防火墙、负载均衡空闲超时（常见 5 到 60 分钟）以下，例如 300–600 秒，避免空闲连接被悄悄丢弃。',
    ),
    tradeOff: L(
      'More probe packets on many idle connections; it only helps sockets with `SO_KEEPALIVE`. Setting it per socket ' +
        'is more precise.',
      '大量空闲连接时探测包会增多；而且只对开了 `SO_KEEPALIVE` 的套接字有效。按套接字设置更精准。',
    ),
  },
  {
    key: 'net.ipv4.tcp_keepalive_intvl',
    default: '75',
    kind: 'seconds',
    what: L(
      'Seconds between keepalive probes that get no answer (per socket: `TCP_KEEPINTVL`).',
      '保活探测没有回应时，两次探测之间间隔的秒数（单个套接字用 `TCP_KEEPINTVL`）。',
    ),
    whenToChange: L(
      'Lower it (10–30 s) together with `tcp_keepalive_time` to detect dead peers in minutes instead of hours.',
      '与 `tcp_keepalive_time` 一起调低（10–30 秒），让死连接在几分钟而不是几小时内被发现。',
    ),
    tradeOff: L('Too short declares a peer dead during a brief outage.', '太短会在短暂的网络抖动中误判对端已死。'),
  },
  {
    key: 'net.ipv4.tcp_keepalive_probes',
    default: '9',
    kind: 'count',
    what: L(
      'How many unanswered keepalive probes end the connection; the application then gets `ETIMEDOUT` (per socket: ' +
        '`TCP_KEEPCNT`).',
      '连续多少个保活探测没有回应就断开连接，应用随后收到 `ETIMEDOUT`（单个套接字用 `TCP_KEEPCNT`）。',
    ),
    whenToChange: L('Lower it (3–5) to detect dead peers sooner.', '调低到 3–5 可以更快发现死连接。'),
    tradeOff: L('Fewer probes tolerate less packet loss.', '次数越少，越经不起丢包。'),
  },
  {
    key: 'net.ipv4.ip_local_port_range',
    default: '32768 60999',
    kind: 'port-range',
    what: L(
      'The ephemeral ports used for outgoing connections (and `bind()` to port 0): 28232 ports by default. A port can ' +
        'be reused towards different destinations; what runs out is ports per destination address and port.',
      '出向连接（以及 bind 到 0 端口）使用的临时端口范围，默认共 28232 个。同一个端口可以用于不同的目的地，' +
        '真正会耗尽的是"同一目的地址和端口"可用的本地端口。',
    ),
    whenToChange: L(
      'Widen it (e.g. `10240 65535`) on clients or proxies that keep many connections or TIME-WAIT sockets to the same ' +
        'destination and hit `EADDRNOTAVAIL`.',
      '客户端或代理对同一目的地保持大量连接或 TIME-WAIT、出现 `EADDRNOTAVAIL` 时，扩大范围（例如 `10240 65535`）。',
    ),
    tradeOff: L(
      'The range may then cover ports that local services want to listen on; protect those with ' +
        '`net.ipv4.ip_local_reserved_ports`.',
      '范围扩大后可能覆盖本机服务要监听的端口，需要用 `net.ipv4.ip_local_reserved_ports` 把它们保留出来。',
    ),
  },
  {
    key: 'net.ipv4.tcp_timestamps',
    default: '1',
    kind: 'enum',
    values: [
      V('0', 'off.', '关闭。'),
      V('1', 'on, with a random offset per connection (the default).', '开启，每个连接使用随机偏移（默认值）。'),
      V('2', 'on, without random offsets.', '开启，但不使用随机偏移。'),
    ],
    what: L(
      'TCP timestamps (RFC 7323, the `TS val/ecr` option): better RTT measurement, protection against wrapped sequence ' +
        'numbers (PAWS) on fast links, and the safety proof that `tcp_tw_reuse` relies on.',
      'TCP 时间戳（RFC 7323，即 `TS val/ecr` 选项）：更准确地测量 RTT，在高速链路上防止序列号回绕（PAWS），也是 `tcp_tw_reuse` 赖以保证安全的依据。',
    ),
    whenToChange: L('Keep it on.', '保持开启。'),
    tradeOff: L(
      '12 bytes of option per segment. Turning it off disables `tcp_tw_reuse` and weakens syncookies.',
      '每个报文多 12 字节选项。关掉它会让 `tcp_tw_reuse` 失效，也会削弱 syncookies。',
    ),
  },
  {
    key: 'net.ipv4.tcp_sack',
    default: '1',
    kind: 'enum',
    values: [V('0', 'off.', '关闭。'), V('1', 'on (the default).', '开启（默认值）。')],
    what: L(
      'Selective acknowledgments (RFC 2018): the receiver reports which blocks arrived after a gap, so the sender ' +
        'retransmits only what is missing. Negotiated with `sackOK` / `SACK_PERM` on the SYN.',
      '选择性确认（RFC 2018）：接收方报告缺口之后已经收到了哪些数据块，发送方只需重传缺失部分。在 SYN 上通过 `sackOK` / `SACK_PERM` 协商。',
    ),
    whenToChange: L(
      'Keep it on. Turning it off was a temporary mitigation for old kernel bugs (CVE-2019-11477); patch instead.',
      '保持开启。关闭它曾是应对旧内核漏洞（CVE-2019-11477）的临时措施，正确做法是打补丁。',
    ),
    tradeOff: L(
      'Without SACK, several losses in one window recover slowly, one round trip per hole.',
      '没有 SACK 时，一个窗口内的多处丢包要每个往返补一个洞，恢复很慢。',
    ),
  },
  {
    key: 'net.ipv4.tcp_window_scaling',
    default: '1',
    kind: 'enum',
    values: [V('0', 'off.', '关闭。'), V('1', 'on (the default).', '开启（默认值）。')],
    what: L(
      'The window scale option (RFC 7323, `wscale` / `WS`): lets windows grow past 64 KiB. The printed `win` field is ' +
        'then multiplied by 2 to the power of the scale announced on the SYN.',
      '窗口扩大选项（RFC 7323，`wscale` / `WS`）：让窗口可以超过 64 KiB。此后报文里的 `win` 字段要乘以 SYN 上通告的 2 的 wscale 次方。',
    ),
    whenToChange: L('Keep it on.', '保持开启。'),
    tradeOff: L(
      'Off caps each connection at 64 KiB per round trip (about 5 Mbit/s at 100 ms RTT). Middleboxes that strip the ' +
        'option from SYNs cause the same slowdown.',
      '关闭后每条连接每个往返最多发 64 KiB（RTT 100 毫秒时约 5 Mbit/s）。中间设备从 SYN 上剥掉这个选项也会造成同样的降速。',
    ),
  },
  {
    key: 'net.ipv4.tcp_rmem',
    default: '4096 131072 33554432',
    variesBy: 'memory',
    defaultNote: L(
      'The maximum scales with RAM, up to 32 MiB on recent kernels (the value above is from a 24 GiB ' +
        'machine running Linux 6.18); older kernels print `4096 131072 6291456` or `4096 87380 6291456`.',
      '最大值随内存大小变化，较新的内核最高 32 MiB（上面是 24 GiB 内存、Linux 6.18 的机器上的值）；老内核为 ' +
        '`4096 131072 6291456` 或 `4096 87380 6291456`。',
    ),
    kind: 'triple-bytes',
    what: L(
      'Receive buffer per TCP socket in bytes: minimum, initial, and the maximum that autotuning may reach. The ' +
        'advertised window comes out of this buffer.',
      '每个 TCP 套接字的接收缓冲区（字节）：最小值、初始值，以及自动调整所能达到的最大值。通告的接收窗口就取自这个缓冲区。',
    ),
    whenToChange: L(
      'Raise the maximum on long, fast paths: it should be about twice the bandwidth-delay product (1 Gbit/s × 100 ms ' +
        '= 12.5 MB, so ~25 MB).',
      '在长距离高带宽链路上调高最大值，大约为带宽时延积的两倍（1 Gbit/s × 100 毫秒 = 12.5 MB，所以约 25 MB）。',
    ),
    tradeOff: L(
      'More memory per busy connection. A program that sets `SO_RCVBUF` turns autotuning off for that socket.',
      '繁忙连接占用的内存更多。程序自己设置 `SO_RCVBUF` 会关闭该套接字的自动调整。',
    ),
  },
  {
    key: 'net.ipv4.tcp_wmem',
    default: '4096 16384 4194304',
    kind: 'triple-bytes',
    what: L(
      'Send buffer per TCP socket in bytes: minimum, initial, and the autotuning maximum. It holds data written but ' +
        'not yet acknowledged (Send-Q) plus data not yet sent.',
      '每个 TCP 套接字的发送缓冲区（字节）：最小值、初始值和自动调整的最大值。它装着已写入但未被确认的数据（Send-Q）以及尚未发送的数据。',
    ),
    whenToChange: L(
      'Raise the maximum for bulk senders on high bandwidth-delay paths.',
      '在高带宽时延积的链路上做大批量发送时，调高最大值。',
    ),
    tradeOff: L(
      'More memory per connection and more data queued in the kernel (higher latency for interactive traffic; see ' +
        '`TCP_NOTSENT_LOWAT`).',
      '每条连接占用更多内存，内核里排队的数据也更多（交互式流量的时延会变高，可参考 `TCP_NOTSENT_LOWAT`）。',
    ),
  },
  {
    key: 'net.core.rmem_max',
    default: '4194304',
    variesBy: 'version',
    defaultNote: L('4 MiB since Linux 6.18; 212992 (208 KiB) before.', '自 Linux 6.18 起为 4 MiB，之前是 212992（208 KiB）。'),
    kind: 'bytes',
    what: L(
      'The largest receive buffer a program may request with `SO_RCVBUF` (the kernel doubles the request, up to ' +
        'this). It does not limit TCP autotuning, which follows `tcp_rmem`.',
      '程序用 `SO_RCVBUF` 能申请到的最大接收缓冲区（内核会把申请值翻倍，但不超过它）。它不限制 TCP 自动调整，自动调整看 `tcp_rmem`。',
    ),
    whenToChange: L(
      'When an application sets `SO_RCVBUF` explicitly (UDP receivers, tools like `iperf -w`) and needs more.',
      '应用显式设置了 `SO_RCVBUF`（如 UDP 接收程序、`iperf -w` 之类的工具）并且需要更大缓冲时。',
    ),
    tradeOff: L('Lets any program pin more kernel memory per socket.', '任何程序都能为每个套接字占住更多内核内存。'),
  },
  {
    key: 'net.core.wmem_max',
    default: '4194304',
    variesBy: 'version',
    defaultNote: L('4 MiB since Linux 6.18; 212992 (208 KiB) before.', '自 Linux 6.18 起为 4 MiB，之前是 212992（208 KiB）。'),
    kind: 'bytes',
    what: L(
      'The largest send buffer a program may request with `SO_SNDBUF`. TCP autotuning follows `tcp_wmem` instead.',
      '程序用 `SO_SNDBUF` 能申请到的最大发送缓冲区。TCP 自动调整则看 `tcp_wmem`。',
    ),
    whenToChange: L(
      'When an application sets `SO_SNDBUF` explicitly and needs more.',
      '应用显式设置 `SO_SNDBUF` 并需要更大缓冲时。',
    ),
    tradeOff: L('Lets any program pin more kernel memory per socket.', '任何程序都能为每个套接字占住更多内核内存。'),
  },
  {
    key: 'net.ipv4.tcp_congestion_control',
    default: 'cubic',
    variesBy: 'build',
    defaultNote: L(
      '`cubic` in mainline kernels; kernels built with a different default print that one (the machine TCP Lens\'s ' +
        'samples came from prints `bbr`). `net.ipv4.tcp_available_congestion_control` lists what is loaded.',
      '主线内核默认 `cubic`；以其他默认值编译的内核会显示那个值（TCP Lens 采样所用的机器显示 `bbr`）。' +
        '`net.ipv4.tcp_available_congestion_control` 列出已加载的算法。',
    ),
    kind: 'name',
    values: [
      V('cubic', 'CUBIC (RFC 9438): loss-based, the Linux default.', 'CUBIC（RFC 9438）：基于丢包，Linux 默认算法。'),
      V(
        'bbr',
        'BBR: models bottleneck bandwidth and RTT instead of reacting to loss; good on long, lossy paths.',
        'BBR：根据瓶颈带宽和 RTT 建模，而不是对丢包做反应；适合长距离、有丢包的链路。',
      ),
      V('reno', 'Reno: the classic algorithm, always built in.', 'Reno：经典算法，总是内置。'),
    ],
    what: L(
      'The congestion control algorithm for new connections (per socket: `TCP_CONGESTION`). `ss -i` prints the one ' +
        'each connection uses.',
      '新连接使用的拥塞控制算法（单个套接字用 `TCP_CONGESTION`）。`ss -i` 会显示每条连接实际使用的算法。',
    ),
    whenToChange: L(
      'Try `bbr` for bulk transfers over long or lossy paths where `cubic` collapses after random loss.',
      '长距离或有随机丢包的链路上做大批量传输、而 `cubic` 一遇丢包就大幅降速时，可以试试 `bbr`。',
    ),
    tradeOff: L(
      'BBR can take more than its share from `cubic` flows on a shared bottleneck; older kernels want the `fq` qdisc ' +
        'with it.',
      '在共享瓶颈上，BBR 可能挤占 `cubic` 流的份额；较老的内核搭配 BBR 时需要 `fq` 队列规则。',
    ),
  },
  {
    key: 'net.ipv4.tcp_slow_start_after_idle',
    default: '1',
    kind: 'enum',
    values: [
      V('0', 'keep the congestion window across idle periods.', '空闲之后保留拥塞窗口。'),
      V(
        '1',
        'after an idle period longer than the RTO, restart from the initial window (10 segments), the default.',
        '空闲时间超过 RTO 后，从初始窗口（10 个报文段）重新开始（默认值）。',
      ),
    ],
    what: L(
      'Whether a connection that was idle goes back to slow start.',
      '连接空闲一段时间后是否重新进入慢启动。',
    ),
    whenToChange: L(
      'Set 0 for long-lived connections that send in bursts (HTTP/2, gRPC, database pools), so each burst does not ' +
        'start slow again.',
      '对突发式发送的长连接（HTTP/2、gRPC、数据库连接池）设为 0，避免每次突发都重新慢启动。',
    ),
    tradeOff: L(
      'A burst after idle may overrun a path whose conditions changed meanwhile.',
      '如果空闲期间路径状况变了，空闲后的突发可能压垮链路。',
    ),
  },
  {
    key: 'net.ipv4.tcp_retries1',
    default: '3',
    kind: 'retries',
    what: L(
      'After this many unanswered retransmissions the kernel suspects the route and asks the network layer to ' +
        're-check it (and may start MTU probing). It does not close the connection.',
      '连续这么多次重传没有回应后，内核怀疑路由有问题，让网络层重新检查路由（也可能开始 MTU 探测）。它不会关闭连接。',
    ),
    whenToChange: L('Almost never.', '几乎不需要改。'),
    tradeOff: L('None worth tuning for.', '没有值得为之调整的收益。'),
  },
  {
    key: 'net.ipv4.tcp_retries2',
    default: '15',
    kind: 'retries',
    what: L(
      'How many times unacknowledged data is retransmitted before an established connection is dropped with ' +
        '`ETIMEDOUT`. The limit is really a time computed from it: with 15 and the 200 ms minimum RTO, about 924.6 s ' +
        '(15.4 min) at least.',
      '已建立连接上未被确认的数据最多重传多少次，之后连接以 `ETIMEDOUT` 断开。实际限制的是由它算出来的时间：取 15、' +
        '最小 RTO 为 200 毫秒时，至少约 924.6 秒（15.4 分钟）。',
    ),
    whenToChange: L(
      'Lower it (5–8) so connections with data in flight to a dead peer fail in about a minute or two instead of ' +
        '15 minutes; per socket, `TCP_USER_TIMEOUT` is more precise.',
      '调低到 5–8，让向已死对端发数据的连接在一两分钟而不是 15 分钟内失败；单个套接字用 `TCP_USER_TIMEOUT` 更精确。',
    ),
    tradeOff: L(
      'Short network outages (a failover, a flapping link) then kill connections that would have survived. RFC 1122 ' +
        'asks for at least 100 s.',
      '短暂的网络中断（切换、链路抖动）会杀掉本可以挺过去的连接。RFC 1122 要求至少 100 秒。',
    ),
  },
  {
    key: 'net.ipv4.tcp_orphan_retries',
    default: '0',
    kind: 'orphan-retries',
    what: L(
      'Retransmissions allowed for an orphaned connection (its application already closed it), e.g. a FIN nobody ' +
        'acknowledges. 0 means the kernel\'s built-in value, 8.',
      '孤儿连接（应用已经关闭）允许的重传次数，例如一直没人确认的 FIN。0 表示使用内核内置值 8。',
    ),
    whenToChange: L(
      'Busy web servers with many FIN-WAIT-1, CLOSING or LAST-ACK sockets towards vanished clients: 1–3.',
      '繁忙的 Web 服务器上有大量指向已消失客户端的 FIN-WAIT-1、CLOSING 或 LAST-ACK 时，设为 1–3。',
    ),
    tradeOff: L(
      'A slow or lossy client may miss the end of the response.',
      '慢速或丢包的客户端可能收不完响应的末尾。',
    ),
  },
  {
    key: 'net.ipv4.tcp_max_orphans',
    default: '131072',
    variesBy: 'memory',
    defaultNote: L('Scales with memory (131072 on a 24 GiB machine running Linux 6.18).', '随内存大小变化（24 GiB 内存、Linux 6.18 的机器上为 131072）。'),
    kind: 'count',
    what: L(
      'The most orphaned sockets (closed by their application, still finishing the TCP close) the system keeps. ' +
        'Beyond it, orphans are reset at once and the kernel logs "too many orphaned sockets".',
      '系统最多保留的孤儿套接字数（应用已关闭、但 TCP 关闭流程还没走完）。超出后孤儿套接字会被立刻重置，内核日志出现 "too many orphaned sockets"。',
    ),
    whenToChange: L(
      'Raise it only if that message appears under legitimate load.',
      '只有正常负载下出现这条日志时才调高。',
    ),
    tradeOff: L(
      'Each orphan can hold tens of KiB of kernel memory that cannot be swapped.',
      '每个孤儿套接字可能占用几十 KiB 无法换出的内核内存。',
    ),
  },
  {
    key: 'net.ipv4.tcp_mtu_probing',
    default: '0',
    kind: 'enum',
    values: [
      V('0', 'off (the default).', '关闭（默认值）。'),
      V(
        '1',
        'on after an ICMP black hole is detected (big segments keep getting lost).',
        '检测到 ICMP 黑洞（大报文反复丢失）后开启。',
      ),
      V('2', 'always on.', '始终开启。'),
    ],
    what: L(
      'Packetization-layer path MTU discovery (RFC 4821): find the usable segment size by probing when the ICMP ' +
        '"fragmentation needed" messages are blocked.',
      '分组层路径 MTU 发现（RFC 4821）：当 ICMP "需要分片" 消息被拦截时，通过探测找到可用的报文大小。',
    ),
    whenToChange: L(
      'Set 1 when connections hang right after the handshake, as soon as big segments are sent (VPNs, tunnels, ' +
        'firewalls that drop ICMP).',
      '连接握手成功、一发大报文就卡住时（VPN、隧道、丢弃 ICMP 的防火墙）设为 1。',
    ),
    tradeOff: L('Small: a few probes and a temporarily smaller MSS.', '代价很小：几个探测包和暂时偏小的 MSS。'),
  },
  {
    key: 'net.ipv4.tcp_ecn',
    default: '2',
    kind: 'enum',
    values: [
      V('0', 'off.', '关闭。'),
      V('1', 'request ECN on outgoing connections and accept it on incoming ones.', '出向连接请求 ECN，入向连接也接受。'),
      V('2', 'accept ECN when the peer asks, never ask (the default).', '对端请求时接受 ECN，自己从不请求（默认值）。'),
    ],
    what: L(
      'Explicit Congestion Notification (RFC 3168): routers mark packets instead of dropping them, and the flags ' +
        'ECE/CWR carry the signal back. Newer kernels add values for Accurate ECN.',
      '显式拥塞通知（RFC 3168）：路由器给报文打标记而不是丢弃，再由 ECE/CWR 标志把信号带回来。较新的内核还增加了精确 ECN 的取值。',
    ),
    whenToChange: L(
      'Set 1 in networks whose routers or switches mark ECN (data centers, L4S deployments).',
      '路由器或交换机会打 ECN 标记的网络（数据中心、L4S 部署）中设为 1。',
    ),
    tradeOff: L(
      'Some old middleboxes mishandle ECN bits; Linux falls back when a SYN with ECN goes unanswered ' +
        '(`tcp_ecn_fallback`).',
      '一些老旧的中间设备处理不好 ECN 位；带 ECN 的 SYN 没有回应时 Linux 会回退（`tcp_ecn_fallback`）。',
    ),
  },
  {
    key: 'net.ipv4.tcp_no_metrics_save',
    default: '0',
    kind: 'enum',
    values: [
      V(
        '0',
        'remember per-destination metrics (RTT, reordering) when a connection closes and start new connections with ' +
          'them (the default).',
        '连接关闭时记住按目的地统计的指标（RTT、乱序程度），新连接以此为起点（默认值）。',
      ),
      V('1', 'do not remember them: every connection starts fresh.', '不记住：每条连接都从头开始。'),
    ],
    what: L(
      'Whether Linux caches TCP metrics per destination (`ip tcp_metrics show` lists them).',
      'Linux 是否按目的地缓存 TCP 指标（用 `ip tcp_metrics show` 查看）。',
    ),
    whenToChange: L(
      'Set 1 for repeatable benchmarks, or when one bad episode keeps slowing new connections to a host.',
      '需要可重复的基准测试，或者一次糟糕的经历总在拖慢到某台主机的新连接时，设为 1。',
    ),
    tradeOff: L('New connections lose a good starting estimate.', '新连接失去了一个不错的初始估计。'),
  },
  {
    key: 'net.ipv4.tcp_tw_recycle',
    default: '',
    removedIn: 'Linux 4.12',
    kind: 'enum',
    values: [
      V('0', 'off (the only safe value while it existed).', '关闭（在它存在时唯一安全的取值）。'),
      V(
        '1',
        'recycle TIME-WAIT sockets fast and drop SYNs whose timestamp is older than the last one seen from that ' +
          'address: clients behind NAT fail at random. Removed in Linux 4.12.',
        '快速回收 TIME-WAIT，并丢弃时间戳比该地址上次所见更旧的 SYN：NAT 后面的客户端会随机连不上。已在 Linux 4.12 中删除。',
      ),
    ],
    what: L(
      '**Removed in Linux 4.12.** It shortened TIME-WAIT to a few RTOs and, to stay safe, remembered the last TCP ' +
        'timestamp seen from each remote address and silently dropped SYNs with an older one. Behind a NAT many ' +
        'clients share one address but have unrelated timestamp clocks, so their SYNs were dropped at random: ' +
        'mysterious connect timeouts for some users. Random per-connection timestamp offsets (Linux 4.10) made it ' +
        'unusable, and it was deleted. A sysctl.conf line setting it now fails with "cannot stat ' +
        '/proc/sys/net/ipv4/tcp_tw_recycle".',
      '**已在 Linux 4.12 中删除。** 它把 TIME-WAIT 缩短到几个 RTO，并为了"安全"记住每个远端地址最近一次的 TCP 时间戳，' +
        '悄悄丢弃时间戳更旧的 SYN。NAT 后面的众多客户端共用一个地址，但各自的时间戳时钟互不相关，它们的 SYN 就会被随机丢弃：' +
        '一部分用户莫名其妙地连接超时。Linux 4.10 引入按连接随机的时间戳偏移后它已无法使用，随后被删除。' +
        '现在 sysctl.conf 里再设置它会报 "cannot stat /proc/sys/net/ipv4/tcp_tw_recycle"。',
    ),
    whenToChange: L(
      'Never: delete the line. For TIME-WAIT pressure use connection reuse and `tcp_tw_reuse`.',
      '永远不要：删掉这一行。TIME-WAIT 太多请用连接复用和 `tcp_tw_reuse`。',
    ),
    tradeOff: L('It broke clients behind NAT.', '它会让 NAT 后面的客户端连不上。'),
  },
  {
    key: 'net.ipv4.tcp_fastopen',
    default: '1',
    kind: 'enum',
    values: [
      V('0', 'off.', '关闭。'),
      V('1', 'client side on (the default).', '开启客户端（默认值）。'),
      V('2', 'server side on.', '开启服务端。'),
      V('3', 'client and server on.', '客户端和服务端都开启。'),
    ],
    what: L(
      'TCP Fast Open (RFC 7413): a returning client sends data in its SYN with a cookie from an earlier connection, ' +
        'saving one round trip. It is a bit mask; the application must also ask for it (`TCP_FASTOPEN`, ' +
        '`MSG_FASTOPEN`).',
      'TCP 快速打开（RFC 7413）：再次连接的客户端带着上次拿到的 cookie，在 SYN 里直接发送数据，省掉一个往返。' +
        '这是一个位掩码；应用也必须主动使用（`TCP_FASTOPEN`、`MSG_FASTOPEN`）。',
    ),
    whenToChange: L(
      'Set 3 on servers whose clients reconnect often and whose requests are idempotent.',
      '客户端频繁重连、且请求是幂等的服务端可以设为 3。',
    ),
    tradeOff: L(
      'Data in a SYN may be delivered twice (a retransmitted SYN), so only idempotent requests are safe; some ' +
        'middleboxes drop SYNs with data.',
      'SYN 里的数据可能被投递两次（SYN 重传时），所以只有幂等请求才安全；一些中间设备会丢弃带数据的 SYN。',
    ),
  },
  {
    key: 'net.ipv4.tcp_rfc1337',
    default: '0',
    kind: 'enum',
    values: [
      V('0', 'an RST received in TIME-WAIT ends it early (the default).', '在 TIME-WAIT 中收到 RST 会提前结束它（默认值）。'),
      V('1', 'ignore RSTs in TIME-WAIT, as RFC 1337 recommends.', '按 RFC 1337 的建议，忽略 TIME-WAIT 中收到的 RST。'),
    ],
    what: L(
      'Protects TIME-WAIT from being cut short by a stray RST ("TIME-WAIT assassination").',
      '防止 TIME-WAIT 被迷途的 RST 提前终结（"TIME-WAIT 暗杀"）。',
    ),
    whenToChange: L('Set 1 for stricter correctness; rarely matters.', '追求更严格的正确性时设为 1；实际很少有影响。'),
    tradeOff: L('TIME-WAIT sockets can no longer be cleared by a reset.', 'TIME-WAIT 套接字无法再被 RST 清除。'),
  },
  {
    key: 'net.ipv4.tcp_moderate_rcvbuf',
    default: '1',
    kind: 'enum',
    values: [V('0', 'off.', '关闭。'), V('1', 'on (the default).', '开启（默认值）。')],
    what: L(
      'Receive buffer autotuning: grow each connection\'s receive buffer (up to the `tcp_rmem` maximum) to fit its ' +
        'bandwidth-delay product. `ss -i` shows its estimate as `rcv_space`.',
      '接收缓冲区自动调整：按带宽时延积逐步增大每条连接的接收缓冲区（最多到 `tcp_rmem` 的最大值）。`ss -i` 中的 `rcv_space` 就是它的估计值。',
    ),
    whenToChange: L('Keep it on.', '保持开启。'),
    tradeOff: L('Off pins every connection to the initial buffer size.', '关闭后每条连接都固定在初始缓冲区大小。'),
  },
  {
    key: 'net.core.netdev_max_backlog',
    default: '1000',
    kind: 'count',
    what: L(
      'Per CPU, how many received packets may wait for the network stack before new ones are dropped (before TCP ' +
        'ever sees them).',
      '每个 CPU 上最多有多少个收到的报文排队等待协议栈处理，超出后新报文被丢弃（TCP 根本看不到它们）。',
    ),
    whenToChange: L(
      'Raise it (e.g. 5000–10000) on hosts with high packet rates when the second column of ' +
        '`/proc/net/softnet_stat` keeps growing.',
      '高包量的主机上 `/proc/net/softnet_stat` 的第二列持续增长时调高（例如 5000–10000）。',
    ),
    tradeOff: L('More memory and more queueing delay under overload.', '过载时占用更多内存，排队时延也更长。'),
  },
];

const BY_KEY: ReadonlyMap<string, SysctlInfo> = new Map(LIST.map((s) => [s.key, s]));
const BY_SHORT: ReadonlyMap<string, SysctlInfo> = new Map(LIST.map((s) => [s.key.slice(s.key.lastIndexOf('.') + 1), s]));

export const SYSCTLS: readonly SysctlInfo[] = LIST;

/** Exact lookup by full dotted key (`net.ipv4.tcp_fin_timeout`). */
export function sysctlInfo(key: string): SysctlInfo | undefined {
  return BY_KEY.get(key);
}

export interface SysctlMatch {
  readonly info: SysctlInfo;
  /** The key as written in the input and its [start, end) columns. */
  readonly keyText: string;
  readonly keyStart: number;
  readonly keyEnd: number;
  /** The value, when the input assigns one (`= 1`, `-w key=1`, `echo 1 >`), with its columns. */
  readonly value?: string;
  readonly valueStart?: number;
  readonly valueEnd?: number;
  /** What that value does; undefined when no value was given. */
  readonly valueExplanation?: Localized;
}

function isKeyChar(c: number): boolean {
  // a-z A-Z 0-9 _ . / -
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 47 || c === 45
  );
}

/** Normalise any written form of a key to the dotted name: `/proc/sys/net/ipv4/x` and `net/ipv4/x` -> `net.ipv4.x`. */
function normaliseKey(raw: string): SysctlInfo | undefined {
  let k = raw.trim();
  if (k.startsWith('/proc/sys/')) k = k.slice('/proc/sys/'.length);
  if (k.indexOf('/') >= 0) k = k.split('/').join('.');
  const exact = BY_KEY.get(k);
  if (exact) return exact;
  if (k.indexOf('.') < 0) return BY_SHORT.get(k);
  return undefined;
}

/**
 * Find a sysctl key in a short text: a bare key (full, short or `/proc/sys` path), a sysctl.conf line
 * `key = value` (leading `-` allowed), `sysctl -w key=value` / `sysctl key`, or `echo value > /proc/sys/...`.
 * Comments (`#`, `;`) and unknown keys give undefined. Columns are UTF-16 offsets into `input`.
 */
export function lookupSysctl(input: string): SysctlMatch | undefined {
  const text = input.length > 4096 ? input.slice(0, 4096) : input;
  const first = firstNonSpace(text);
  if (first < 0) return undefined;
  const c0 = text.charCodeAt(first);
  if (c0 === 35 || c0 === 59) return undefined; // # ;

  // echo VALUE > /proc/sys/...
  if (text.startsWith('echo', first)) {
    const gt = text.indexOf('>', first);
    if (gt < 0) return undefined;
    const valueSpan = trimSpan(text, first + 4, gt);
    const keySpan = tokenAt(text, skipSpaces(text, gt + 1));
    if (!keySpan) return undefined;
    let vs = valueSpan.start;
    let ve = valueSpan.end;
    if (ve - vs >= 2 && (text[vs] === '"' || text[vs] === "'") && text[ve - 1] === text[vs]) {
      vs++;
      ve--;
    }
    return build(text, keySpan.start, keySpan.end, vs < ve ? { start: vs, end: ve } : undefined);
  }

  let pos = first;
  // sysctl [-w|-q|-n ...] key[=value]
  if (text.startsWith('sysctl', pos) && (pos + 6 === text.length || text.charCodeAt(pos + 6) === 32)) {
    pos = skipSpaces(text, pos + 6);
    while (pos < text.length && text.charCodeAt(pos) === 45) {
      const opt = tokenAt(text, pos);
      if (!opt) return undefined;
      pos = skipSpaces(text, opt.end);
    }
  } else if (c0 === 45) {
    pos++; // sysctl.conf: a leading '-' means "ignore errors for this key"
  }
  const keyStart = pos;
  let keyEnd = pos;
  while (keyEnd < text.length && isKeyChar(text.charCodeAt(keyEnd))) keyEnd++;
  if (keyEnd === keyStart) return undefined;
  let p = skipSpaces(text, keyEnd);
  if (p < text.length && text.charCodeAt(p) === 61) {
    // '='
    const v = trimSpan(text, p + 1, commentStart(text, p + 1));
    return build(text, keyStart, keyEnd, v.start < v.end ? v : undefined);
  }
  p = skipSpaces(text, p);
  if (p < text.length && text.charCodeAt(p) !== 35) return undefined; // trailing junk: not a key on its own
  return build(text, keyStart, keyEnd, undefined);
}

function build(
  text: string,
  keyStart: number,
  keyEnd: number,
  value: { start: number; end: number } | undefined,
): SysctlMatch | undefined {
  const keyText = text.slice(keyStart, keyEnd);
  const info = normaliseKey(keyText);
  if (!info) return undefined;
  if (!value) return { info, keyText, keyStart, keyEnd };
  const v = text.slice(value.start, value.end).split(/[ \t]+/).filter(Boolean).join(' ');
  return {
    info,
    keyText,
    keyStart,
    keyEnd,
    value: v,
    valueStart: value.start,
    valueEnd: value.end,
    valueExplanation: explainSysctlValue(info, v),
  };
}

function firstNonSpace(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9) return i;
  }
  return -1;
}

function skipSpaces(s: string, i: number): number {
  while (i < s.length && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9)) i++;
  return i;
}

function tokenAt(s: string, i: number): { start: number; end: number } | undefined {
  let e = i;
  while (e < s.length && s.charCodeAt(e) !== 32 && s.charCodeAt(e) !== 9) e++;
  return e > i ? { start: i, end: e } : undefined;
}

function trimSpan(s: string, start: number, end: number): { start: number; end: number } {
  while (start < end && (s.charCodeAt(start) === 32 || s.charCodeAt(start) === 9)) start++;
  while (end > start && (s.charCodeAt(end - 1) === 32 || s.charCodeAt(end - 1) === 9 || s.charCodeAt(end - 1) === 13))
    end--;
  return { start, end };
}

function commentStart(s: string, from: number): number {
  const h = s.indexOf('#', from);
  return h < 0 ? s.length : h;
}

// ---------------------------------------------------------------------------------------------------------------
// Values

/** Seconds until `connect()` gives up with `retries` SYN retransmissions and `linear` flat 1 s timeouts. */
export function synGiveUpSeconds(retries: number, linear = 4): number {
  const total = retries + linear;
  let rto = 1;
  let t = 0;
  for (let i = 0; i <= total; i++) {
    t += rto;
    if (i >= linear) rto = Math.min(rto * 2, 120);
  }
  return t;
}

/** Seconds until a half-open connection is dropped with `retries` SYN-ACK retransmissions (1 s initial RTO). */
export function synackGiveUpSeconds(retries: number): number {
  let t = 0;
  let rto = 1;
  for (let i = 0; i <= retries; i++) {
    t += rto;
    rto = Math.min(rto * 2, 120);
  }
  return t;
}

/** The least time `tcp_retries2`-style retries take with the 200 ms minimum RTO, doubling up to 120 s. */
export function retriesSeconds(retries: number): number {
  let t = 0;
  let rto = 0.2;
  for (let i = 0; i <= retries; i++) {
    t += rto;
    rto = Math.min(rto * 2, 120);
  }
  return Math.round(t * 10) / 10;
}

/** Explain a value for a key: enumerated meaning, or what the number works out to. */
export function explainSysctlValue(info: SysctlInfo, value: string): Localized {
  const v = value.trim();
  const isDefault = info.default !== '' && v === info.default;
  const dflt = isDefault
    ? L(' This is the default.', '这是默认值。')
    : info.default
      ? L(` The default is \`${info.default}\`.`, `默认值是 \`${info.default}\`。`)
      : L('', '');
  const withDefault = (m: Localized): Localized => L(m.en + dflt.en, m['zh-cn'] + dflt['zh-cn']);
  if (info.removedIn) {
    return L(
      `\`${info.key}\` no longer exists (removed in ${info.removedIn}); setting it fails. Delete the line.`,
      `\`${info.key}\` 已不存在（${info.removedIn} 中已删除），设置它会报错，请删掉这一行。`,
    );
  }
  if (info.values) {
    const hit = info.values.find((x) => x.value === v);
    if (hit) {
      const zh = hit.meaning['zh-cn'];
      const gap = /^[a-z`]/i.test(zh) ? ' ' : '';
      return withDefault(L(`\`${v}\` = ${hit.meaning.en}`, `\`${v}\` 表示${gap}${zh}`));
    }
    if (info.kind !== 'name') {
      return withDefault(L(`\`${v}\` is not one of the documented values.`, `\`${v}\` 不是文档列出的取值。`));
    }
  }
  const n = Number(v);
  const num = /^\d+$/.test(v) ? n : undefined;
  switch (info.kind) {
    case 'seconds':
      if (num !== undefined) {
        return withDefault(L(`${humanSeconds(num, 'en')}.`, `${humanSeconds(num, 'zh-cn')}。`));
      }
      break;
    case 'syn-retries':
      if (num !== undefined) {
        const s = synGiveUpSeconds(num);
        return withDefault(
          L(
            `${num} SYN retransmissions (plus the 4 linear ones of Linux 6.5+): \`connect()\` gives up after about ` +
              `${humanSeconds(s, 'en')}.`,
            `重传 SYN ${num} 次（另加 Linux 6.5+ 的 4 次线性重传）：\`connect()\` 约 ${humanSeconds(s, 'zh-cn')}后放弃。`,
          ),
        );
      }
      break;
    case 'synack-retries':
      if (num !== undefined) {
        const s = synackGiveUpSeconds(num);
        return withDefault(
          L(
            `${num} SYN-ACK retransmissions: a half-open connection is dropped after about ${humanSeconds(s, 'en')}.`,
            `重发 SYN-ACK ${num} 次：半连接约 ${humanSeconds(s, 'zh-cn')}后被丢弃。`,
          ),
        );
      }
      break;
    case 'retries':
      if (num !== undefined) {
        const s = retriesSeconds(num);
        return withDefault(
          L(
            `${num} retransmissions: at least about ${humanSeconds(s, 'en')} with the 200 ms minimum RTO.`,
            `重传 ${num} 次：按最小 RTO 200 毫秒计算，至少约 ${humanSeconds(s, 'zh-cn')}。`,
          ),
        );
      }
      break;
    case 'orphan-retries':
      if (num !== undefined) {
        return withDefault(
          num === 0
            ? L('0: the built-in value, 8 retransmissions for orphaned connections.', '0：使用内置值，孤儿连接重传 8 次。')
            : L(`${num} retransmissions for orphaned connections.`, `孤儿连接重传 ${num} 次。`),
        );
      }
      break;
    case 'port-range': {
      const parts = v.split(' ');
      const lo = Number(parts[0]);
      const hi = Number(parts[1]);
      if (parts.length === 2 && Number.isInteger(lo) && Number.isInteger(hi) && lo <= hi) {
        const count = hi - lo + 1;
        const rate = Math.floor(count / 60);
        return withDefault(
          L(
            `Ports ${lo}–${hi}: ${count} ports. With TIME-WAIT lasting 60 s, that allows about ${rate} new connections ` +
              'per second to one destination address and port.',
            `端口 ${lo}–${hi}，共 ${count} 个。TIME-WAIT 持续 60 秒，因此对同一目的地址和端口每秒最多新建约 ${rate} 个连接。`,
          ),
        );
      }
      break;
    }
    case 'triple-bytes': {
      const parts = v.split(' ').map(Number);
      if (parts.length === 3 && parts.every((x) => Number.isInteger(x) && x >= 0)) {
        const [a, b, c] = parts as [number, number, number];
        return withDefault(
          L(
            `Minimum ${fmtBytes(a)}, initial ${fmtBytes(b)}, maximum ${fmtBytes(c)} per socket.`,
            `每个套接字最小 ${fmtBytes(a)}，初始 ${fmtBytes(b)}，最大 ${fmtBytes(c)}。`,
          ),
        );
      }
      break;
    }
    case 'bytes':
      if (num !== undefined) return withDefault(L(`${fmtBytes(num)}.`, `${fmtBytes(num)}。`));
      break;
    case 'count':
      if (num !== undefined) return withDefault(L(`Set to ${num}.`, `设为 ${num}。`));
      break;
    case 'name':
      return withDefault(L(`Use \`${v}\`.`, `使用 \`${v}\`。`));
    case 'enum':
      break;
  }
  return withDefault(L(`Set to \`${v}\`.`, `设为 \`${v}\`。`));
}

function fmtBytes(n: number): string {
  if (n >= 1048576 && n % 1048576 === 0) return `${n / 1048576} MiB (${n})`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB (${n})`;
  return `${n} B`;
}

/** Markdown for a sysctl hover; with a value, the value's meaning comes first. */
export function describeSysctl(info: SysctlInfo, lang: Lang, value?: string): string {
  const zh = lang === 'zh-cn';
  const head = (en: string, z: string): string => `**${zh ? z : en}**`;
  const lines: string[] = [`\`${info.key}\``];
  if (value !== undefined) lines.push(tr(explainSysctlValue(info, value), lang));
  lines.push(tr(info.what, lang));
  if (info.values && value === undefined) {
    lines.push(info.values.map((x) => `- \`${x.value}\`${zh ? '：' : ': '}${tr(x.meaning, lang)}`).join('\n'));
  }
  if (!info.removedIn) {
    const d = `\`${info.default}\`${info.since ? (zh ? `（${info.since} 起）` : ` (since ${info.since})`) : ''}`;
    lines.push(`${head('Default:', '默认值：')} ${d}${info.defaultNote ? ` ${tr(info.defaultNote, lang)}` : ''}`);
  }
  lines.push(`${head('When to change it:', '什么时候改：')} ${tr(info.whenToChange, lang)}`);
  lines.push(`${head('Trade-off:', '代价：')} ${tr(info.tradeOff, lang)}`);
  return lines.join('\n\n');
}
