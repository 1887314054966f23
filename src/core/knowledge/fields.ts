/**
 * The fields of a tcpdump/tshark line (seq, ack, win, urg, length, checksum) and of a socket table (Recv-Q, Send-Q,
 * timers), with functions that explain a printed value: `seq 1:9` is bytes 1..8 (8 bytes), `ack 9` acknowledges up
 * to byte 8, `win 512` with wscale 7 is 65536 bytes, ss `timer:(on,6.060ms,0)` fires in 6.06 s.
 */
import type { Lang, Localized, TcpState } from '../model';
import { L, tr } from './lang';

export type FieldId =
  | 'seq'
  | 'ack'
  | 'win'
  | 'urg'
  | 'length'
  | 'checksum'
  | 'relative'
  | 'recvQ'
  | 'sendQ'
  | 'timer'
  | 'options'
  | 'flags';

export interface FieldInfo {
  readonly id: FieldId;
  readonly name: Localized;
  readonly meaning: Localized;
}

const LIST: readonly FieldInfo[] = [
  {
    id: 'seq',
    name: L('Sequence number', '序列号'),
    meaning: L(
      'Every byte a side sends has a number; `seq` is the number of the first byte in this segment. tcpdump prints ' +
        '`seq A:B` for a segment with data: bytes A up to B - 1, so `seq 1:9` carries bytes 1 to 8, 8 bytes. SYN and ' +
        'FIN each take one number too.',
      '每一方发送的每个字节都有编号，`seq` 是这个报文第一个字节的编号。带数据的报文 tcpdump 显示为 `seq A:B`，' +
        '表示从 A 到 B - 1 的字节，所以 `seq 1:9` 携带第 1 到第 8 字节，共 8 字节。SYN 和 FIN 也各占一个编号。',
    ),
  },
  {
    id: 'ack',
    name: L('Acknowledgment number', '确认号'),
    meaning: L(
      '`ack N` acknowledges every byte up to N - 1 and says "I expect byte N next". Acknowledgments are cumulative: ' +
        'one ACK confirms everything before it. The same ack repeated while data keeps arriving is a duplicate ACK, ' +
        'a sign of a hole (loss or reordering).',
      '`ack N` 表示 N - 1 及之前的所有字节都已收到，"下一个期望收到第 N 字节"。确认是累计的：一个 ACK 确认它之前的全部数据。' +
        '数据不断到达而 ack 一直不变，就是重复确认，说明出现了空缺（丢包或乱序）。',
    ),
  },
  {
    id: 'win',
    name: L('Window', '窗口'),
    meaning: L(
      'How many more bytes the sender of this segment can receive, counted from its ack. tcpdump prints the raw ' +
        '16-bit field: the real window is `win << wscale`, with the wscale this side announced on its SYN (the SYN\'s ' +
        'own window is never scaled). tshark prints `Win=` already scaled when it saw the handshake. `win 0` is a ' +
        'zero window: the receiving application is not reading.',
      '本报文的发送方还能再接收多少字节（从它的 ack 算起）。tcpdump 打印的是原始的 16 位字段，实际窗口为 `win << wscale`，' +
        'wscale 取这一方在自己 SYN 上通告的值（SYN 本身的窗口从不缩放）。tshark 在看到握手的情况下，`Win=` 已经是缩放后的值。' +
        '`win 0` 是零窗口：接收方的应用没有在读数据。',
    ),
  },
  {
    id: 'urg',
    name: L('Urgent pointer', '紧急指针'),
    meaning: L(
      'Only meaningful with the URG flag: the offset of the end of urgent (out-of-band) data. Rare today.',
      '只有带 URG 标志时才有意义：紧急（带外）数据结束位置的偏移。如今很少见。',
    ),
  },
  {
    id: 'length',
    name: L('Payload length', '负载长度'),
    meaning: L(
      'Bytes of TCP payload in this segment (headers not counted). `length 0` is a pure control segment (ACK, SYN, ' +
        'FIN, RST). Text after it (`HTTP`, DNS fields) is tcpdump decoding the payload by port number, which may be ' +
        'wrong for non-standard uses of a port.',
      '本报文的 TCP 负载字节数（不含头部）。`length 0` 表示纯控制报文（ACK、SYN、FIN、RST）。后面跟的文字（`HTTP`、DNS 字段）' +
        '是 tcpdump 按端口号解码负载的结果，端口被挪作他用时可能并不准确。',
    ),
  },
  {
    id: 'checksum',
    name: L('Checksum', '校验和'),
    meaning: L(
      'With `-v`, tcpdump checks the TCP checksum. `(incorrect -> 0x...)` on packets **sent by the capturing host** ' +
        '(and on loopback and veth) is normal: with checksum offload the kernel leaves the field for the network card ' +
        'to fill in after tcpdump has seen the packet. Incorrect checksums on received packets from a real network ' +
        'are worth a look.',
      '加 `-v` 时 tcpdump 会校验 TCP 校验和。对于**抓包主机自己发出**的报文（以及回环、veth 接口上的报文），' +
        '`(incorrect -> 0x...)` 是正常的：开启校验和卸载时，内核把这个字段留给网卡去填，而 tcpdump 看到报文时网卡还没填。' +
        '从真实网络收到的报文如果校验和错误，才值得关注。',
    ),
  },
  {
    id: 'relative',
    name: L('Relative and absolute sequence numbers', '相对序列号与绝对序列号'),
    meaning: L(
      'tcpdump prints the real (absolute) 32-bit numbers on SYNs and then, per connection, numbers relative to the ' +
        'initial sequence number, so data starts at 1. `-S` prints absolute numbers throughout. tshark shows relative ' +
        'numbers by default (`Seq=0` on the SYN). Compare numbers only within one style.',
      'tcpdump 在 SYN 上打印真实的（绝对的）32 位序号，之后对每条连接打印相对于初始序列号的值，所以数据从 1 开始。' +
        '`-S` 让它始终打印绝对序号。tshark 默认显示相对序号（SYN 上为 `Seq=0`）。只在同一种风格内比较序号。',
    ),
  },
  {
    id: 'recvQ',
    name: L('Recv-Q', 'Recv-Q（接收队列）'),
    meaning: L(
      'For a connection: bytes received by the kernel that the application has **not read yet**. For a LISTEN row in ' +
        '`ss`: the number of connections in the accept queue waiting for `accept()`. A value that stays high means ' +
        'the application is slow or stuck.',
      '对连接而言：内核已收到、但应用**还没读走**的字节数。对 `ss` 中的 LISTEN 行：全连接队列中等待 `accept()` 的连接数。' +
        '长时间居高不下说明应用处理慢或卡住了。',
    ),
  },
  {
    id: 'sendQ',
    name: L('Send-Q', 'Send-Q（发送队列）'),
    meaning: L(
      'For a connection: bytes the application wrote that the peer has **not acknowledged yet** (sent and in flight, ' +
        'or still waiting to be sent). For a LISTEN row in `ss`: the accept-queue limit (the backlog, capped by ' +
        '`net.core.somaxconn`); net-tools `netstat` prints 0 there. A value that stays high means the peer or the ' +
        'network is not keeping up.',
      '对连接而言：应用已写入、但对端**还没确认**的字节数（已发出在途的，或仍在等待发送的）。对 `ss` 中的 LISTEN 行：' +
        '全连接队列的上限（backlog，受 `net.core.somaxconn` 限制）；net-tools 的 `netstat` 在这里显示 0。' +
        '长时间居高不下说明对端或网络跟不上。',
    ),
  },
  {
    id: 'timer',
    name: L('Timer', '定时器'),
    meaning: L(
      'The TCP timer running on the socket: `ss -o` prints `timer:(name,time left,count)`, net-tools `netstat -o` ' +
        'prints `name (seconds left/retransmits/probes)`.',
      '套接字上正在运行的 TCP 定时器：`ss -o` 显示为 `timer:(名称,剩余时间,次数)`，net-tools 的 `netstat -o` 显示为 ' +
        '`名称 (剩余秒数/重传次数/探测次数)`。',
    ),
  },
  {
    id: 'options',
    name: L('TCP options', 'TCP 选项'),
    meaning: L(
      'Extra header fields: MSS, window scale and SACK-permitted are negotiated on the SYNs; timestamps and SACK blocks ' +
        'appear on later segments.',
      '头部的附加字段：MSS、窗口扩大因子和 SACK 许可在 SYN 上协商；时间戳和 SACK 块出现在之后的报文上。',
    ),
  },
  {
    id: 'flags',
    name: L('Flags', '标志位'),
    meaning: L(
      'The control bits of the segment: SYN, ACK, FIN, RST, PSH, URG, ECE, CWR. tcpdump abbreviates them (`S`, `.`, ' +
        '`F`, `R`, `P`), tshark spells them out.',
      '报文的控制位：SYN、ACK、FIN、RST、PSH、URG、ECE、CWR。tcpdump 用缩写（`S`、`.`、`F`、`R`、`P`），tshark 写全称。',
    ),
  },
];

const BY_ID: ReadonlyMap<FieldId, FieldInfo> = new Map(LIST.map((f) => [f.id, f]));

export const FIELDS: readonly FieldInfo[] = LIST;

export function fieldInfo(id: FieldId): FieldInfo {
  const f = BY_ID.get(id);
  if (!f) throw new Error(`unknown field ${id}`);
  return f;
}

// ---------------------------------------------------------------------------------------------------------------
// Values

function digitsAt(s: string, i: number): number {
  let e = i;
  while (e < s.length && s.charCodeAt(e) >= 48 && s.charCodeAt(e) <= 57) e++;
  return e;
}

export interface SeqRange {
  /** First sequence number. */
  readonly first: number;
  /** One past the last byte (`seq 1:9` -> 9); equals `first` for a segment without data. */
  readonly end: number;
  /** Bytes of data: end - first (modulo 2^32). */
  readonly bytes: number;
}

/**
 * Read a printed sequence field: tcpdump `seq 1:9`, `1:9`, `seq 3132968866`, 3.x `768512:768512(0)` or
 * `2:21(19)`, tshark `Seq=1`. Undefined when it is not one.
 */
export function parseSeq(text: string): SeqRange | undefined {
  let t = text.trim();
  if (t.startsWith('seq ')) t = t.slice(4).trim();
  else if (t.startsWith('Seq=')) t = t.slice(4);
  if (t.endsWith(',')) t = t.slice(0, -1);
  const aEnd = digitsAt(t, 0);
  if (aEnd === 0 || aEnd > 10) return undefined;
  const first = Number(t.slice(0, aEnd));
  if (aEnd === t.length) return { first, end: first, bytes: 0 };
  if (t[aEnd] !== ':') return undefined;
  const bEnd = digitsAt(t, aEnd + 1);
  if (bEnd === aEnd + 1 || bEnd - aEnd - 1 > 10) return undefined;
  const end = Number(t.slice(aEnd + 1, bEnd));
  let rest = t.slice(bEnd);
  if (rest.startsWith('(') && rest.endsWith(')')) rest = '';
  if (rest !== '') return undefined;
  const bytes = (end - first + 0x100000000) % 0x100000000;
  return { first, end, bytes };
}

/** `seq 1:9` -> "Bytes 1 to 8 of this direction: 8 bytes; the next segment should start at 9." */
export function explainSeq(text: string, lang: Lang): string | undefined {
  const r = parseSeq(text);
  if (!r) return undefined;
  const zh = lang === 'zh-cn';
  if (r.bytes === 0) {
    return zh
      ? `序列号 ${r.first}：本报文不带数据（SYN 或 FIN 会占用这个编号）。`
      : `Sequence number ${r.first}: no data in this segment (a SYN or FIN takes this number).`;
  }
  const last = (r.end - 1 + 0x100000000) % 0x100000000;
  return zh
    ? `携带本方向的第 ${r.first} 到第 ${last} 字节，共 ${r.bytes} 字节；下一个报文应从 ${r.end} 开始。`
    : `Bytes ${r.first} to ${last} of this direction: ${r.bytes} byte${r.bytes === 1 ? '' : 's'}; the next segment ` +
        `should start at ${r.end}.`;
}

/** `ack 9` -> "Acknowledges every byte up to 8; expects byte 9 next." */
export function explainAck(ack: number, lang: Lang): string {
  const prev = (ack - 1 + 0x100000000) % 0x100000000;
  return lang === 'zh-cn'
    ? `确认对端第 ${prev} 字节及之前的全部数据；下一个期望收到第 ${ack} 字节。`
    : `Acknowledges every byte up to ${prev}; expects byte ${ack} next.`;
}

export interface WinContext {
  /** The shift this side announced on its SYN (`wscale 7`), if known. */
  readonly wscale?: number;
  /** Who printed it: tcpdump prints the raw field, tshark the scaled window. */
  readonly source?: 'tcpdump' | 'tshark';
  /** The segment is a SYN or SYN-ACK (whose window is never scaled). */
  readonly syn?: boolean;
}

/** `win 512` with wscale 7 -> 65536 bytes. Returns the byte count it computed, if any, with the text. */
export function explainWin(win: number, lang: Lang, ctx: WinContext = {}): { readonly text: string; readonly bytes?: number } {
  const zh = lang === 'zh-cn';
  if (win === 0) {
    return {
      bytes: 0,
      text: zh
        ? '**零窗口**：发送方的接收缓冲区已满，对端必须停止发送，等它通告窗口更新（期间对端会发零窗口探测）。' +
          '通常是接收方应用读得太慢。'
        : '**Zero window**: the sender\'s receive buffer is full; the peer must stop sending until a window update ' +
          '(meanwhile it sends zero-window probes). Usually the receiving application is reading too slowly.',
    };
  }
  if (ctx.source === 'tshark') {
    return {
      bytes: win,
      text: zh
        ? `接收窗口 ${win} 字节（tshark 看到握手时已按窗口扩大因子换算）。`
        : `Receive window of ${win} bytes (tshark already applied the window scale when it saw the handshake).`,
    };
  }
  if (ctx.syn) {
    return {
      bytes: win,
      text: zh
        ? `SYN 报文上的窗口从不缩放：${win} 字节。`
        : `The window of a SYN is never scaled: ${win} bytes.`,
    };
  }
  if (ctx.wscale !== undefined) {
    const shift = Math.min(ctx.wscale, 14);
    const bytes = win * 2 ** shift;
    return {
      bytes,
      text: zh
        ? `原始窗口字段 ${win}，按 wscale ${shift} 换算：${win} × ${2 ** shift} = ${bytes} 字节。`
        : `Raw window field ${win}; with wscale ${shift}: ${win} × ${2 ** shift} = ${bytes} bytes.`,
    };
  }
  return {
    text: zh
      ? `原始窗口字段 ${win}。实际窗口是 \`${win} << wscale\`，wscale 见这一方的 SYN；没看到握手就无法确定。`
      : `Raw window field ${win}. The real window is \`${win} << wscale\`, with the wscale from this side's SYN; ` +
        'without the handshake it cannot be known.',
  };
}

/**
 * tcpdump -v checksum text: `cksum 0xfe30 (incorrect -> 0x83db)`, `cksum 0xca1d (correct)`. `outgoing` tells whether
 * the capturing host sent the packet (or it is loopback), where incorrect checksums are normal (offload).
 */
export function explainChecksum(text: string, lang: Lang, opts: { readonly outgoing?: boolean } = {}): string | undefined {
  const zh = lang === 'zh-cn';
  if (text.indexOf('(correct)') >= 0) {
    return zh ? '校验和正确。' : 'The checksum is correct.';
  }
  if (text.indexOf('incorrect') >= 0) {
    if (opts.outgoing === false) {
      return zh
        ? '校验和错误，而且是从网络上收到的报文：可能是报文在途中损坏，也可能是网卡接收卸载在 tcpdump 之前没有校验。' +
            '在接收端用 `ethtool -K IFACE rx off` 关掉接收卸载后再抓一次可以区分。'
        : 'Incorrect checksum on a packet received from the network: corruption on the way, or receive offload ' +
            'interfering. Capture again with `ethtool -K IFACE rx off` on the receiver to tell them apart.';
    }
    return zh
      ? '校验和"错误"是正常的：这是本机发出（或回环、veth 上）的报文，开启了校验和卸载，内核把校验和留给网卡计算，' +
          'tcpdump 抓到时还没填好。不是报文损坏。'
      : 'An "incorrect" checksum is normal here: on packets the capturing host sends (and on loopback and veth) the ' +
          'kernel leaves the checksum for the network card to fill in (checksum offload), after tcpdump has seen the ' +
          'packet. It is not corruption.';
  }
  return undefined;
}

export interface QueueContext {
  /** The row's state. LISTEN rows mean something else in ss. */
  readonly state?: TcpState;
  /** The tool that printed the row. */
  readonly tool?: 'ss' | 'netstat-linux' | 'netstat-bsd' | 'netstat-windows' | 'busybox';
  /** The other queue column of the same row (Send-Q when explaining Recv-Q, and the reverse). */
  readonly other?: number;
}

export function explainRecvQ(value: number, lang: Lang, ctx: QueueContext = {}): string {
  const zh = lang === 'zh-cn';
  if (ctx.state === 'LISTEN' && ctx.tool === 'ss') {
    const limit = ctx.other;
    const full = limit !== undefined && limit > 0 && value >= limit;
    const base = zh
      ? `全连接队列中有 ${value} 个已完成握手的连接在等应用 \`accept()\`${limit !== undefined ? `（上限 ${limit}，即 Send-Q）` : ''}。`
      : `${value} finished handshake${value === 1 ? '' : 's'} waiting in the accept queue for \`accept()\`` +
        `${limit !== undefined ? ` (limit ${limit}, the Send-Q)` : ''}.`;
    if (full) {
      return (
        base +
        (zh
          ? '\n\n**队列已满**：新的握手会被丢弃，客户端会看到连接超时或重传。让应用更快地 `accept()`，并调大 backlog 和 `net.core.somaxconn`。'
          : '\n\n**The queue is full**: new handshakes are dropped and clients see retransmissions or timeouts. Make the ' +
            'application accept faster; raise the backlog and `net.core.somaxconn`.')
      );
    }
    return base + (value === 0 ? (zh ? '应用跟得上。' : ' The application keeps up.') : '');
  }
  if (ctx.state === 'LISTEN') {
    return zh
      ? `监听套接字的 Recv-Q：${value}。在 Linux 上它是全连接队列中等待 \`accept()\` 的连接数。`
      : `Recv-Q of a listening socket: ${value}. On Linux it counts connections waiting in the accept queue for \`accept()\`.`;
  }
  if (value === 0) {
    return zh ? '没有未读数据：应用已经读走了收到的全部数据。' : 'No unread data: the application has read everything that arrived.';
  }
  return zh
    ? `${value} 字节已到达本机、但应用还没读走。如果一直不降，说明应用读得慢或者卡住了；读不完时窗口会缩小直至为零。`
    : `${value} bytes arrived but the application has not read them yet. If it does not drain, the application is slow ` +
        'or stuck; as it fills, the advertised window shrinks to zero.';
}

export function explainSendQ(value: number, lang: Lang, ctx: QueueContext = {}): string {
  const zh = lang === 'zh-cn';
  if (ctx.state === 'LISTEN' && ctx.tool === 'ss') {
    return zh
      ? `全连接队列的上限：${value}，即 \`min(listen() 的 backlog, net.core.somaxconn)\`。`
      : `The accept-queue limit: ${value}, i.e. \`min(backlog passed to listen(), net.core.somaxconn)\`.`;
  }
  if (ctx.state === 'LISTEN') {
    return zh
      ? `监听套接字的 Send-Q：${value}。net-tools 的 \`netstat\` 在 LISTEN 行上总是显示 0；要看队列上限请用 \`ss -lnt\`。`
      : `Send-Q of a listening socket: ${value}. net-tools \`netstat\` always prints 0 on LISTEN rows; \`ss -lnt\` ` +
          'shows the queue limit there.';
  }
  if (value === 0) {
    return zh ? '没有待确认的数据：对端已确认本端发出的全部数据。' : 'Nothing unacknowledged: the peer has acknowledged everything sent.';
  }
  return zh
    ? `${value} 字节已由应用写入、但对端还没确认（在途中或还在排队）。如果一直不降，说明对端读得慢（零窗口）、网络在丢包，或者对端已经不在了。`
    : `${value} bytes written by the application are not acknowledged by the peer yet (in flight or still queued). ` +
        'If it does not drain, the peer reads slowly (zero window), the network is losing packets, or the peer is gone.';
}

// ---------------------------------------------------------------------------------------------------------------
// Timers

/**
 * ss prints timer times with its own format (print_ms_timer): `59sec`, `2min5sec`, `118min`, `020ms` (20 ms),
 * `6.060ms` (6 s and 60 ms), `1.595ms` (1.595 s) and an empty field for 0. Returns milliseconds.
 */
export function ssDurationMs(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return 0;
  let i = 0;
  let ms = 0;
  let any = false;
  while (i < t.length) {
    const e = digitsAt(t, i);
    if (e === i || e - i > 9) return undefined;
    const n = Number(t.slice(i, e));
    const rest = t.slice(e);
    if (rest.startsWith('min')) {
      ms += n * 60000;
      i = e + 3;
    } else if (rest.startsWith('sec')) {
      ms += n * 1000;
      i = e + 3;
    } else if (rest.startsWith('ms')) {
      ms += n;
      i = e + 2;
    } else if (rest.startsWith('.')) {
      // "<secs>.<msecs>ms"
      ms += n * 1000;
      i = e + 1;
    } else {
      return undefined;
    }
    any = true;
  }
  return any ? ms : undefined;
}

export interface TimerKindInfo {
  readonly kind: string;
  readonly meaning: Localized;
}

const TIMER_KINDS: readonly TimerKindInfo[] = [
  {
    kind: 'on',
    meaning: L(
      'The retransmission timer (for SYN-RECV rows: the SYN-ACK retransmission timer). The count is how many times ' +
        'the current data has been retransmitted: above 0 means segments are being lost or the peer is not answering.',
      '重传定时器（SYN-RECV 行上是 SYN-ACK 重传定时器）。次数表示当前数据已经重传了几次：大于 0 说明有报文丢失或对端没有回应。',
    ),
  },
  {
    kind: 'off',
    meaning: L('No timer is running (an idle connection without keepalive).', '没有定时器在运行（没开保活的空闲连接）。'),
  },
  {
    kind: 'keepalive',
    meaning: L(
      'The keepalive timer: time until the next keepalive probe (the count is unanswered probes). Linux also runs ' +
        'some FIN-WAIT-2 timeouts on this timer.',
      '保活定时器：距离下一次保活探测的时间（次数是未获回应的探测数）。Linux 的部分 FIN-WAIT-2 超时也由这个定时器处理。',
    ),
  },
  {
    kind: 'timewait',
    meaning: L(
      'Time left in TIME-WAIT (at most 60 s on Linux), or before an orphaned FIN-WAIT-2 is dropped.',
      'TIME-WAIT 剩余的时间（Linux 上最多 60 秒），或孤儿 FIN-WAIT-2 被丢弃前剩余的时间。',
    ),
  },
  {
    kind: 'persist',
    meaning: L(
      'The persist (zero-window probe) timer: the peer advertised a zero window and this side probes until it opens. ' +
        'The count is unanswered probes. net-tools calls it `probe`.',
      '坚持定时器（零窗口探测）：对端通告了零窗口，本端不断探测直到窗口打开。次数是未获回应的探测数。net-tools 称之为 `probe`。',
    ),
  },
  {
    kind: 'probe',
    meaning: L(
      'net-tools\' name for the zero-window probe (persist) timer: the peer\'s window is zero.',
      'net-tools 对零窗口探测（坚持）定时器的叫法：对端窗口为零。',
    ),
  },
  {
    kind: 'unknown',
    meaning: L('A timer ss does not know by name.', 'ss 不认识名称的定时器。'),
  },
];

export const TIMER_KIND_INFO: readonly TimerKindInfo[] = TIMER_KINDS;

export function timerKindInfo(kind: string): TimerKindInfo | undefined {
  const k = kind.trim().toLowerCase();
  if (k.startsWith('unkn')) return TIMER_KINDS.find((t) => t.kind === 'unknown');
  return TIMER_KINDS.find((t) => t.kind === k);
}

export interface ParsedTimer {
  readonly kind: string;
  readonly expiresMs?: number;
  readonly retransmits?: number;
  readonly probes?: number;
  readonly style: 'ss' | 'netstat';
}

/** `timer:(on,200ms,0)`, `(keepalive,29sec,0)`, `on (0.30/2/0)`, `timewait (19.58/0/0)`, `off (0.00/0/0)`. */
export function parseTimer(text: string): ParsedTimer | undefined {
  let t = text.trim();
  if (t.startsWith('timer:')) t = t.slice(6);
  if (t.startsWith('(') && t.endsWith(')')) {
    const parts = t.slice(1, -1).split(',');
    if (parts.length < 1 || parts.length > 3) return undefined;
    const kind = parts[0]!.trim();
    const expiresMs = parts.length > 1 ? ssDurationMs(parts[1]!) : undefined;
    const count = parts.length > 2 && /^\d{1,9}$/.test(parts[2]!.trim()) ? Number(parts[2]!.trim()) : undefined;
    if (!kind) return undefined;
    return {
      kind,
      style: 'ss',
      ...(expiresMs !== undefined ? { expiresMs } : {}),
      ...(count !== undefined ? (kind === 'on' ? { retransmits: count } : { probes: count }) : {}),
    };
  }
  const open = t.indexOf('(');
  if (open <= 0 || !t.endsWith(')')) return undefined;
  const kind = t.slice(0, open).trim();
  const nums = t.slice(open + 1, -1).split('/');
  if (nums.length !== 3 || !kind) return undefined;
  const secs = Number(nums[0]);
  const retr = Number(nums[1]);
  const probes = Number(nums[2]);
  if (![secs, retr, probes].every((n) => Number.isFinite(n))) return undefined;
  return { kind, style: 'netstat', expiresMs: Math.round(secs * 1000), retransmits: retr, probes };
}

export function explainTimer(text: string, lang: Lang): string | undefined {
  const p = parseTimer(text);
  if (!p) return undefined;
  const zh = lang === 'zh-cn';
  const info = timerKindInfo(p.kind);
  const lines: string[] = [];
  lines.push(info ? `\`${p.kind}\`${zh ? '：' : ': '}${tr(info.meaning, lang)}` : `\`${p.kind}\``);
  const parts: string[] = [];
  if (p.expiresMs !== undefined) {
    const s = p.expiresMs / 1000;
    parts.push(zh ? `${trimNum(s)} 秒后触发` : `fires in ${trimNum(s)} s`);
  }
  if (p.retransmits !== undefined && p.retransmits > 0) {
    parts.push(zh ? `已重传 ${p.retransmits} 次` : `${p.retransmits} retransmission${p.retransmits === 1 ? '' : 's'} so far`);
  }
  if (p.probes !== undefined && p.probes > 0) {
    parts.push(zh ? `${p.probes} 个探测未获回应` : `${p.probes} unanswered probe${p.probes === 1 ? '' : 's'}`);
  }
  if (parts.length > 0) lines.push((zh ? parts.join('，') : parts.join(', ')) + (zh ? '。' : '.'));
  if (p.style === 'ss') {
    lines.push(
      zh
        ? 'ss 的时间写法：`59sec` 是 59 秒，`2min5sec` 是 2 分 5 秒，`020ms` 是 20 毫秒，`6.060ms` 是 6 秒 60 毫秒；字段为空表示 0。'
        : 'ss writes times its own way: `59sec` is 59 s, `2min5sec` is 2 min 5 s, `020ms` is 20 ms, `6.060ms` is 6 s ' +
            'and 60 ms; an empty field means 0.',
    );
  } else {
    lines.push(
      zh
        ? 'netstat 的格式：`(剩余秒数/重传次数/保活或零窗口探测次数)`。'
        : 'netstat\'s format: `(seconds left/retransmissions/keepalive or zero-window probes)`.',
    );
  }
  return lines.join('\n\n');
}

function trimNum(n: number): string {
  const s = n.toFixed(3);
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 48) end--;
  if (end > 0 && s.charCodeAt(end - 1) === 46) end--;
  return s.slice(0, end);
}
