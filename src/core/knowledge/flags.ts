/**
 * TCP flags and the way tools print a flag set: tcpdump 4.x `[S.]`, old tcpdump 3.x `S` / `.`, tshark `[SYN, ACK]`.
 * `explainFlagSet` says what the segment is doing: opening, answering a SYN, carrying data, closing, resetting.
 */
import type { Lang, Localized, TcpFlag } from '../model';
import { L, tr } from './lang';

export interface FlagInfo {
  readonly flag: TcpFlag;
  /** Bit value in the 12-bit flags field (AE is the old NS bit, 0x100). */
  readonly bit: number;
  /** tcpdump 4.x letter (`.` for ACK, `e` for AE in recent versions). */
  readonly tcpdump: string;
  /** tshark / Wireshark name. */
  readonly tshark: string;
  readonly name: Localized;
  readonly meaning: Localized;
}

const FLAG_LIST: readonly FlagInfo[] = [
  {
    flag: 'FIN',
    bit: 0x001,
    tcpdump: 'F',
    tshark: 'FIN',
    name: L('FIN (finish)', 'FIN（结束）'),
    meaning: L(
      'The sender has no more data to send: it closes its direction of the connection. FIN takes one sequence number, ' +
        'so the peer acknowledges it with ack = seq + 1. The other direction stays open until the peer sends its own ' +
        'FIN.',
      '发送方没有数据要发了，关闭自己这个方向。FIN 占用一个序列号，所以对端用 ack = seq + 1 来确认它。' +
        '另一个方向仍然是通的，直到对端也发出 FIN。',
    ),
  },
  {
    flag: 'SYN',
    bit: 0x002,
    tcpdump: 'S',
    tshark: 'SYN',
    name: L('SYN (synchronize)', 'SYN（同步）'),
    meaning: L(
      'Opens a connection and carries the sender\'s initial sequence number (ISN). It takes one sequence number. Only ' +
        'the first two segments of a handshake carry it; options such as MSS, window scale and SACK-permitted are ' +
        'negotiated only here.',
      '发起连接，携带发送方的初始序列号（ISN），本身占用一个序列号。只有握手的前两个报文带 SYN；' +
        'MSS、窗口扩大因子、SACK 许可等选项也只在这里协商。',
    ),
  },
  {
    flag: 'RST',
    bit: 0x004,
    tcpdump: 'R',
    tshark: 'RST',
    name: L('RST (reset)', 'RST（重置）'),
    meaning: L(
      'Aborts the connection at once; nothing acknowledges a reset. Sent to refuse a connection (no listener on the ' +
        'port), to answer a segment that belongs to no connection here, or to abort (`SO_LINGER` timeout 0, `close()` ' +
        'with unread data, a crash of the peer\'s connection state, a full accept queue with ' +
        '`tcp_abort_on_overflow=1`). The application sees `ECONNREFUSED` or `ECONNRESET`.',
      '立即中止连接，RST 不需要也不会被确认。用于拒绝连接（端口上没有监听）、回应不属于任何连接的报文，或中止连接' +
        '（超时为 0 的 `SO_LINGER`、接收队列有未读数据时 `close()`、对端丢失了连接状态、开启 `tcp_abort_on_overflow=1` ' +
        '时全连接队列已满）。应用看到的是 `ECONNREFUSED` 或 `ECONNRESET`。',
    ),
  },
  {
    flag: 'PSH',
    bit: 0x008,
    tcpdump: 'P',
    tshark: 'PSH',
    name: L('PSH (push)', 'PSH（推送）'),
    meaning: L(
      'Asks the receiver to hand the buffered data to the application now. Linux sets it on the last segment of each ' +
        'write; it does not change the connection state and its absence is not an error.',
      '提示接收方立即把缓冲的数据交给应用。Linux 在每次写入的最后一个报文上设置它；它不改变连接状态，没有它也不算错误。',
    ),
  },
  {
    flag: 'ACK',
    bit: 0x010,
    tcpdump: '.',
    tshark: 'ACK',
    name: L('ACK (acknowledgment)', 'ACK（确认）'),
    meaning: L(
      'The acknowledgment number is valid. Every segment after the first SYN carries it; an ACK alone with length 0 ' +
        'is a "pure" acknowledgment.',
      '确认号字段有效。除了第一个 SYN，之后的每个报文都带 ACK；只带 ACK 且长度为 0 的报文就是"纯确认"。',
    ),
  },
  {
    flag: 'URG',
    bit: 0x020,
    tcpdump: 'U',
    tshark: 'URG',
    name: L('URG (urgent)', 'URG（紧急）'),
    meaning: L(
      'The urgent pointer is valid (out-of-band data from the telnet/rlogin era). Rare today; RFC 6093 advises new ' +
        'applications not to use it. Unexpected URG flags often come from scanners.',
      '紧急指针有效（telnet/rlogin 时代的带外数据）。如今很少见，RFC 6093 建议新应用不要使用。意外出现的 URG 多半来自扫描工具。',
    ),
  },
  {
    flag: 'ECE',
    bit: 0x040,
    tcpdump: 'E',
    tshark: 'ECE',
    name: L('ECE (ECN-Echo)', 'ECE（ECN 回显）'),
    meaning: L(
      'Explicit Congestion Notification (RFC 3168). On a SYN or SYN-ACK it says "I support ECN". On other segments ' +
        'it tells the sender that a router marked congestion on packets it sent: slow down, as if a packet had been ' +
        'lost, but without the loss.',
      '显式拥塞通知（RFC 3168）。在 SYN 或 SYN-ACK 上表示"我支持 ECN"；在其他报文上表示路由器给对方发来的报文打了拥塞标记：' +
        '请像丢了包一样降速，但实际上并没有丢包。',
    ),
  },
  {
    flag: 'CWR',
    bit: 0x080,
    tcpdump: 'W',
    tshark: 'CWR',
    name: L('CWR (Congestion Window Reduced)', 'CWR（拥塞窗口已减小）'),
    meaning: L(
      'The sender has reacted to an ECE by reducing its congestion window. On a SYN together with ECE, it is the ' +
        'request to use ECN.',
      '发送方已经响应 ECE、减小了拥塞窗口。与 ECE 一起出现在 SYN 上时，表示请求使用 ECN。',
    ),
  },
  {
    flag: 'AE',
    bit: 0x100,
    tcpdump: 'e',
    tshark: 'AE',
    name: L('AE (Accurate ECN)', 'AE（精确 ECN）'),
    meaning: L(
      'Used by Accurate ECN (AccECN) to negotiate and to count congestion marks precisely. The bit was once the ' +
        'experimental NS (ECN nonce) flag, now historic; Wireshark showed it as `NS`.',
      '供精确 ECN（AccECN）协商和精确统计拥塞标记使用。这一位过去是实验性的 NS（ECN nonce）标志，现已废弃；' +
        'Wireshark 曾把它显示为 `NS`。',
    ),
  },
];

const BY_FLAG: ReadonlyMap<TcpFlag, FlagInfo> = new Map(FLAG_LIST.map((f) => [f.flag, f]));

export const FLAGS: readonly FlagInfo[] = FLAG_LIST;

export function flagInfo(flag: TcpFlag): FlagInfo {
  const f = BY_FLAG.get(flag);
  if (!f) throw new Error(`unknown TCP flag ${flag}`);
  return f;
}

/** A single flag by any name a tool prints: `SYN`, `syn`, `S`, `.`, `ECN`, `NS`, `e`. */
export function lookupFlag(name: string): FlagInfo | undefined {
  const t = name.trim();
  if (t.length === 1) {
    const byLetter = FLAG_LIST.find((f) => f.tcpdump === t);
    if (byLetter) return byLetter;
  }
  const up = t.toUpperCase();
  const alias = TSHARK_ALIASES.get(up);
  return alias ? BY_FLAG.get(alias) : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Flag-set text

/** Which tool style printed a flag set. */
export type FlagStyle = 'tcpdump' | 'tcpdump-3' | 'tshark';

export interface ParsedFlagSet {
  /** Flags in bit order (FIN, SYN, RST, PSH, ACK, URG, ECE, CWR, AE). */
  readonly flags: readonly TcpFlag[];
  readonly style: FlagStyle;
  /** The text between the brackets, as printed. */
  readonly text: string;
  /** Letters or words we did not understand (never guessed). */
  readonly unknown: readonly string[];
}

const TSHARK_ALIASES: ReadonlyMap<string, TcpFlag> = new Map<string, TcpFlag>([
  ['FIN', 'FIN'],
  ['SYN', 'SYN'],
  ['RST', 'RST'],
  ['PSH', 'PSH'],
  ['ACK', 'ACK'],
  ['URG', 'URG'],
  ['ECE', 'ECE'],
  ['ECN', 'ECE'],
  ['CWR', 'CWR'],
  ['AE', 'AE'],
  ['NS', 'AE'],
]);

const TCPDUMP_LETTERS: ReadonlyMap<string, TcpFlag> = new Map(FLAG_LIST.map((f) => [f.tcpdump, f.flag]));

/** tcpdump 3.x letters: S F R P and, in later 3.x releases, W and E. ACK is not a letter there. */
const TCPDUMP3_LETTERS: ReadonlyMap<string, TcpFlag> = new Map<string, TcpFlag>([
  ['S', 'SYN'],
  ['F', 'FIN'],
  ['R', 'RST'],
  ['P', 'PSH'],
  ['W', 'CWR'],
  ['E', 'ECE'],
]);

function order(flags: Iterable<TcpFlag>): TcpFlag[] {
  const set = new Set(flags);
  return FLAG_LIST.filter((f) => set.has(f.flag)).map((f) => f.flag);
}

/** Strip `Flags `, brackets and spaces: `Flags [S.],` -> `S.`, `[SYN, ACK]` -> `SYN, ACK`. */
function inner(text: string): string {
  let t = text.trim();
  if (t.startsWith('Flags')) t = t.slice(5).trim();
  if (t.endsWith(',')) t = t.slice(0, -1).trim();
  if (t.startsWith('[') && t.endsWith(']')) t = t.slice(1, -1).trim();
  return t;
}

function looksTshark(t: string): boolean {
  if (t.indexOf(',') >= 0 || t === '<None>') return true;
  return TSHARK_ALIASES.has(t.toUpperCase()) && t.length >= 3 && t.toUpperCase() === t;
}

/**
 * Parse a printed flag set. `style` forces an interpretation; without it, words or commas mean tshark and letters
 * mean tcpdump 4.x. Pass `hasAck` for tcpdump 3.x lines (3.x shows ACK only as an `ack N` field, and `.` there means
 * "none of S, F, R, P").
 */
export function parseFlagSet(
  text: string,
  opts: { readonly style?: FlagStyle; readonly hasAck?: boolean } = {},
): ParsedFlagSet | undefined {
  const t = inner(text);
  if (t.length === 0) return undefined;
  const style: FlagStyle = opts.style ?? (looksTshark(t) ? 'tshark' : 'tcpdump');
  const flags: TcpFlag[] = [];
  const unknown: string[] = [];
  if (style === 'tshark') {
    if (t !== '<None>') {
      for (const raw of t.split(',')) {
        const w = raw.trim();
        if (!w) continue;
        const f = TSHARK_ALIASES.get(w.toUpperCase());
        if (f) flags.push(f);
        else unknown.push(w);
      }
    }
  } else if (t === 'none') {
    // tcpdump 4.x prints [none] when no flag bit is set.
  } else {
    const table = style === 'tcpdump-3' ? TCPDUMP3_LETTERS : TCPDUMP_LETTERS;
    for (const ch of t) {
      if (style === 'tcpdump-3' && ch === '.') continue;
      const f = table.get(ch);
      if (f) flags.push(f);
      else unknown.push(ch);
    }
    if (style === 'tcpdump-3' && opts.hasAck) flags.push('ACK');
  }
  return { flags: order(flags), style, text: t, unknown };
}

/** What a segment is doing, judged from its flags (and its length when known). */
export type SegmentRole =
  | 'open' // SYN: first step of a handshake (or its retransmission)
  | 'answer-syn' // SYN+ACK: second step
  | 'reset' // RST (with or without ACK)
  | 'close' // FIN without data
  | 'close-with-data' // FIN carrying the last data
  | 'data' // payload
  | 'ack' // pure acknowledgment (length 0 or unknown, no PSH)
  | 'no-flags' // [none]: no flag at all
  | 'unusual'; // a combination a normal stack does not send (FIN without ACK, SYN+FIN, ...)

export interface FlagSetExplanation extends ParsedFlagSet {
  readonly role: SegmentRole;
  /** What this segment is doing, in one or two sentences. */
  readonly meaning: Localized;
  /** One line per flag present. */
  readonly perFlag: readonly { readonly flag: TcpFlag; readonly text: Localized }[];
}

export interface FlagContext {
  readonly style?: FlagStyle;
  /** TCP payload length, if known (`length 0`, `Len=0`). */
  readonly len?: number;
  /** For tcpdump 3.x: the line has an `ack N` field. */
  readonly hasAck?: boolean;
}

/** Explain a flag-set text such as `[S.]`, `P.`, `[R]`, `[none]`, `SYN, ACK`, `<None>`, or a 3.x `S`. */
export function explainFlagSet(text: string, ctx: FlagContext = {}): FlagSetExplanation | undefined {
  const parsed = parseFlagSet(text, { style: ctx.style, hasAck: ctx.hasAck });
  if (!parsed) return undefined;
  if (parsed.unknown.length > 0 && parsed.flags.length === 0) return undefined;
  const has = new Set(parsed.flags);
  const len = ctx.len;
  const { role, meaning } = classify(has, len, parsed.style);
  const perFlag = parsed.flags.map((f) => ({ flag: f, text: flagInfo(f).meaning }));
  return { ...parsed, role, meaning, perFlag };
}

function classify(
  has: ReadonlySet<TcpFlag>,
  len: number | undefined,
  style: FlagStyle,
): { role: SegmentRole; meaning: Localized } {
  const ack = has.has('ACK');
  const ecnNote = ecn(has);
  const withEcn = (m: Localized): Localized => (ecnNote ? L(`${m.en} ${ecnNote.en}`, `${m['zh-cn']}${ecnNote['zh-cn']}`) : m);
  if (has.size === 0 && style === 'tcpdump-3') {
    return {
      role: 'ack',
      meaning: L(
        'An ordinary segment: in tcpdump 3.x output `.` means none of SYN, FIN, RST and PSH. If the line has an ' +
          '`ack N` field it acknowledges data; `a:b(n)` shows the bytes it carries.',
        '普通报文：在 tcpdump 3.x 的输出里，`.` 表示 SYN、FIN、RST、PSH 都没有。行里有 `ack N` 字段就说明它在确认数据；' +
          '`a:b(n)` 表示它携带的字节。',
      ),
    };
  }
  if (has.size === 0) {
    return {
      role: 'no-flags',
      meaning: L(
        'No flag at all. A normal TCP stack never sends this (every segment after the SYN carries ACK): it is ' +
          'usually a "null scan" by a port scanner, or a corrupted or crafted packet.',
        '一个标志都没有。正常的 TCP 协议栈不会发这种报文（SYN 之后的每个报文都带 ACK）：' +
          '通常是端口扫描工具的"NULL 扫描"，或者是损坏、伪造的报文。',
      ),
    };
  }
  if (has.has('RST')) {
    if (has.has('SYN') || has.has('FIN')) {
      return { role: 'unusual', meaning: unusualMeaning() };
    }
    return {
      role: 'reset',
      meaning: ack
        ? L(
            '**Reset** with ACK: the connection is refused or aborted. As the answer to a SYN (`seq 0`, ack = their ' +
              'ISN + 1) it means nobody listens on that port: `connect()` fails with `ECONNREFUSED`. On a live ' +
              'connection it is an abort (Linux sets ACK on the resets it sends); the peer gets `ECONNRESET`.',
            '带 ACK 的**重置**：连接被拒绝或被中止。如果是对 SYN 的回应（`seq 0`，ack = 对方 ISN + 1），说明该端口没有监听，' +
              '`connect()` 会以 `ECONNREFUSED` 失败。如果出现在已建立的连接上，就是中止连接（Linux 发出的 RST 都带 ACK），' +
              '对端会收到 `ECONNRESET`。',
          )
        : L(
            '**Reset** without ACK: the answer to a segment that carried an ACK but matches no connection on this host ' +
              '(the socket is gone, the host rebooted, or state was lost on a NAT or firewall); its seq is copied from ' +
              'that segment\'s ack. The peer\'s application gets `ECONNRESET`.',
            '不带 ACK 的**重置**：对一个带 ACK、但在本机找不到对应连接的报文的回应（套接字已关闭、主机重启过，' +
              '或 NAT/防火墙丢了状态）；它的 seq 取自那个报文的 ack。对端应用会收到 `ECONNRESET`。',
          ),
    };
  }
  if (has.has('SYN')) {
    if (has.has('FIN')) return { role: 'unusual', meaning: unusualMeaning() };
    if (ack) {
      return {
        role: 'answer-syn',
        meaning: withEcn(
          L(
            '**Answering a SYN** (handshake step 2): the server accepts the connection, acknowledges the client\'s ' +
              'SYN (ack = client ISN + 1) and sends its own ISN and options. Seen again only if the client\'s ACK was ' +
              'lost (a SYN-ACK retransmission).',
            '**应答 SYN**（握手第二步）：服务端接受连接，确认客户端的 SYN（ack = 客户端 ISN + 1），并发出自己的 ISN 和选项。' +
              '只有客户端的 ACK 丢失时才会再次出现（SYN-ACK 重传）。',
          ),
        ),
      };
    }
    return {
      role: 'open',
      meaning: withEcn(
        L(
          '**Opening a connection** (handshake step 1): the client asks to connect and sends its initial sequence ' +
            'number and options (MSS, window scale, SACK, timestamps). The same SYN seen again means it was not ' +
            'answered: a retransmission.',
          '**发起连接**（握手第一步）：客户端请求建立连接，带上初始序列号和选项（MSS、窗口扩大因子、SACK、时间戳）。' +
            '同一个 SYN 再次出现说明没有收到回应，是重传。',
        ),
      ),
    };
  }
  if (has.has('FIN')) {
    if (!ack) return { role: 'unusual', meaning: unusualMeaning() };
    if (len !== undefined && len > 0) {
      return {
        role: 'close-with-data',
        meaning: L(
          `**Closing**, with the last ${len} bytes of data: the sender is done sending. Its FIN takes one more ` +
            'sequence number after the data.',
          `**关闭**，同时带着最后 ${len} 字节数据：发送方已发完所有数据。FIN 在数据之后再占一个序列号。`,
        ),
      };
    }
    return {
      role: 'close',
      meaning: L(
        '**Closing** its direction: the sender has no more data (its application called `close()` or `shutdown()`). ' +
          'The peer acknowledges with ack = seq + 1 and may keep sending until it closes too.',
        '**关闭**自己的方向：发送方不再有数据（应用调用了 `close()` 或 `shutdown()`）。' +
          '对端用 ack = seq + 1 确认，在它自己关闭之前仍可继续发送。',
      ),
    };
  }
  if (!ack && style !== 'tcpdump-3') {
    return { role: 'unusual', meaning: unusualMeaning() };
  }
  if ((len !== undefined && len > 0) || (len === undefined && has.has('PSH'))) {
    const sized = len !== undefined ? L(` (${len} bytes)`, `（${len} 字节）`) : L('', '');
    return {
      role: 'data',
      meaning: withEcn(
        L(
          `**Carrying data**${sized.en}${has.has('PSH') ? ', with PSH: the sender\'s write ended here' : ''}. ` +
            'The ack field also acknowledges what the peer sent.',
          `**携带数据**${sized['zh-cn']}${has.has('PSH') ? '，带 PSH：发送方的一次写入到此结束' : ''}。` +
            '其中的 ack 字段同时确认了对端发来的数据。',
        ),
      ),
    };
  }
  return {
    role: 'ack',
    meaning: withEcn(
      len === 0
        ? L(
            '**Acknowledging** only (no data): it confirms what the peer sent, or completes a handshake (step 3), or ' +
              'updates the window. Repeated identical ACKs are duplicate ACKs, a sign of loss or reordering.',
            '**纯确认**（不带数据）：确认对端发来的数据，或完成握手（第三步），或通告窗口变化。' +
              '连续出现相同的 ACK 就是重复确认，意味着丢包或乱序。',
          )
        : L(
            '**Acknowledging**: with length 0 it only confirms what the peer sent (or completes a handshake, or ' +
              'updates the window); with a non-zero length it also carries data.',
            '**确认**：长度为 0 时只是确认对端的数据（或完成握手、通告窗口）；长度不为 0 时同时携带数据。',
          ),
    ),
  };
}

function ecn(has: ReadonlySet<TcpFlag>): Localized | undefined {
  const e = has.has('ECE');
  const w = has.has('CWR');
  const ae = has.has('AE');
  if (has.has('SYN') && !has.has('ACK') && e && w && ae) {
    return L(
      'AE, CWR and ECE on a SYN: the client asks for Accurate ECN (AccECN), or classic ECN if the server only knows that.',
      'SYN 上同时带 AE、CWR 和 ECE：客户端请求使用精确 ECN（AccECN），服务端只支持经典 ECN 时则退回经典 ECN。',
    );
  }
  if (has.has('SYN') && !has.has('ACK') && e && w) {
    return L('ECE and CWR on a SYN: the client asks to use ECN.', 'SYN 上同时带 ECE 和 CWR：客户端请求使用 ECN。');
  }
  if (has.has('SYN') && has.has('ACK') && (ae || w)) {
    return L(
      'AE/CWR on a SYN-ACK: the server agrees to Accurate ECN (the bits echo the ECN marking of the SYN it received).',
      'SYN-ACK 上带 AE/CWR：服务端同意使用精确 ECN（这几位回显了它收到的 SYN 的 ECN 标记）。',
    );
  }
  if (has.has('SYN') && has.has('ACK') && e) {
    return L('ECE on a SYN-ACK: the server agrees to use ECN.', 'SYN-ACK 上带 ECE：服务端同意使用 ECN。');
  }
  if (has.has('SYN')) return undefined;
  if (e && w) {
    return L(
      'It also carries ECE (congestion was marked on the path) and CWR (the sender already slowed down).',
      '同时带有 ECE（路径上出现了拥塞标记）和 CWR（发送方已经降速）。',
    );
  }
  if (e) {
    return L(
      'ECE: a router marked congestion on packets the peer sent; the peer should slow down.',
      'ECE：路由器给对端发出的报文打了拥塞标记，对端应当降速。',
    );
  }
  if (w) {
    return L(
      'CWR: the sender has reduced its congestion window after an ECE.',
      'CWR：发送方收到 ECE 后已经减小了拥塞窗口。',
    );
  }
  return undefined;
}

function unusualMeaning(): Localized {
  return L(
    'An **unusual combination** that normal stacks do not send (for example FIN without ACK, SYN with FIN or RST, or ' +
      'FIN+PSH+URG, the "Xmas" scan). It usually comes from a port scanner, a crafted packet or a broken middlebox.',
    '一种**不寻常的组合**，正常协议栈不会发送（例如不带 ACK 的 FIN、SYN 同时带 FIN 或 RST，或 FIN+PSH+URG 的"圣诞树"扫描）。' +
      '通常来自端口扫描工具、伪造的报文或有问题的中间设备。',
  );
}

/** Markdown for a flag-set hover: what the segment does, then one line per flag and how the tool spells it. */
export function describeFlagSet(text: string, lang: Lang, ctx: FlagContext = {}): string | undefined {
  const ex = explainFlagSet(text, ctx);
  if (!ex) return undefined;
  const zh = lang === 'zh-cn';
  const lines: string[] = [tr(ex.meaning, lang)];
  if (ex.flags.length > 0) {
    const items = ex.flags.map((f) => {
      const info = flagInfo(f);
      const spell = ex.style === 'tshark' ? info.tshark : ex.style === 'tcpdump-3' && f === 'ACK' ? 'ack N' : info.tcpdump;
      return `- \`${spell}\` ${tr(info.name, lang)}${zh ? '：' : ': '}${tr(info.meaning, lang)}`;
    });
    lines.push(items.join('\n'));
  }
  if (ex.style === 'tcpdump-3') {
    lines.push(
      zh
        ? 'tcpdump 3.x 的写法：字母只表示 S、F、R、P（以及 W、E），`.` 表示这四个都没有；ACK 要看行里有没有 `ack N` 字段。'
        : 'tcpdump 3.x style: letters show only S, F, R, P (and W, E); `.` means none of those four; ACK shows as an ' +
            '`ack N` field on the line.',
    );
  }
  if (ex.unknown.length > 0) {
    lines.push(
      zh
        ? `未识别的部分：${ex.unknown.map((u) => `\`${u}\``).join('、')}`
        : `Not understood: ${ex.unknown.map((u) => `\`${u}\``).join(', ')}`,
    );
  }
  return lines.join('\n\n');
}

/** The way each tool prints a flag set, for reference tables. */
export function spellFlags(flags: readonly TcpFlag[], style: FlagStyle): string {
  const ordered = order(flags);
  if (style === 'tshark') return ordered.length === 0 ? '<None>' : ordered.map((f) => flagInfo(f).tshark).join(', ');
  if (style === 'tcpdump-3') {
    // tcpdump 3.x prints S F R P W E in that order, and `.` when none of them is set.
    const set = new Set(ordered);
    let out = '';
    for (const [letter, flag] of TCPDUMP3_LETTERS) if (set.has(flag)) out += letter;
    return out || '.';
  }
  // tcpdump 4.x prints in bit order: F S R P . U E W e
  return ordered.length === 0 ? 'none' : ordered.map((f) => flagInfo(f).tcpdump).join('');
}
