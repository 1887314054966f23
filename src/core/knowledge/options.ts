/**
 * TCP options as tcpdump (`options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7]`, 3.x `<mss 1024>`) and tshark
 * (`MSS=1460 SACK_PERM TSval=1 TSecr=0 WS=128`, `SLE=1 SRE=2`) print them.
 */
import type { Lang, Localized } from '../model';
import { L, tr } from './lang';

export type TcpOptionId =
  | 'mss'
  | 'sackOK'
  | 'sack'
  | 'TS'
  | 'wscale'
  | 'nop'
  | 'eol'
  | 'md5'
  | 'tcp-ao'
  | 'mptcp'
  | 'tfo'
  | 'exp'
  | 'uto'
  | 'unknown';

export interface TcpOptionInfo {
  readonly id: TcpOptionId;
  /** TCP option kind number(s) (RFC / IANA). */
  readonly kinds: readonly number[];
  /** How tcpdump prints it (first word). */
  readonly tcpdump: readonly string[];
  /** How tshark's summary line prints it. */
  readonly tshark: readonly string[];
  readonly name: Localized;
  readonly meaning: Localized;
}

const LIST: readonly TcpOptionInfo[] = [
  {
    id: 'mss',
    kinds: [2],
    tcpdump: ['mss'],
    tshark: ['MSS'],
    name: L('Maximum Segment Size', '最大报文段长度（MSS）'),
    meaning: L(
      'Sent only on SYN and SYN-ACK: the largest TCP payload the sender is willing to **receive** in one segment, ' +
        'normally the interface MTU minus 40 bytes of IPv4 + TCP headers (1460 on Ethernet; 60 more for IPv6: 1440). ' +
        'Loopback shows 65495. Each side sends at most the other side\'s MSS (less the options it adds).',
      '只出现在 SYN 和 SYN-ACK 上：发送方在一个报文里愿意**接收**的最大 TCP 负载，通常是网卡 MTU 减去 40 字节的 IPv4 + TCP 头' +
        '（以太网为 1460；IPv6 再减 20 为 1440）。回环接口上是 65495。每一端发送时最多用对方通告的 MSS（再减去自己加的选项）。',
    ),
  },
  {
    id: 'sackOK',
    kinds: [4],
    tcpdump: ['sackOK'],
    tshark: ['SACK_PERM'],
    name: L('SACK permitted', '允许 SACK'),
    meaning: L(
      'Sent only on SYN and SYN-ACK: "I understand selective acknowledgments". SACK is used only if both sides send ' +
        'it. Old tshark prints `SACK_PERM=1`.',
      '只出现在 SYN 和 SYN-ACK 上，表示"我支持选择性确认"。只有双方都发了它，连接才会使用 SACK。旧版 tshark 显示为 `SACK_PERM=1`。',
    ),
  },
  {
    id: 'sack',
    kinds: [5],
    tcpdump: ['sack'],
    tshark: ['SLE', 'SRE'],
    name: L('SACK blocks', 'SACK 块'),
    meaning: L(
      'Selective acknowledgment: blocks of data received beyond the cumulative ack, each from its left edge (SLE) up to ' +
        'but not including its right edge (SRE). Between the ack number and the first block is the hole that is ' +
        'missing: a loss or reordering. tcpdump prints `sack 1 {1449:2897}`; tshark `SLE=1449 SRE=2897`.',
      '选择性确认：累计确认号之后、已经收到的数据块，每块从左边界（SLE）到右边界（SRE，不含）。确认号与第一个块之间的空缺' +
        '就是缺失的数据：丢包或乱序。tcpdump 显示为 `sack 1 {1449:2897}`，tshark 显示为 `SLE=1449 SRE=2897`。',
    ),
  },
  {
    id: 'TS',
    kinds: [8],
    tcpdump: ['TS', 'timestamp'],
    tshark: ['TSval', 'TSecr'],
    name: L('Timestamps', '时间戳'),
    meaning: L(
      '`TS val` (tcpdump 3.x: `timestamp VAL ECR`) is the sender\'s timestamp clock (milliseconds on Linux, with a random offset per connection, so it is ' +
        'not the time of day); `ecr` echoes the latest `val` received from the peer (0 on the first SYN). Used to ' +
        'measure RTT and to reject old duplicate segments (PAWS). Costs 12 bytes with its two padding `nop`s.',
      '`TS val`（tcpdump 3.x 写作 `timestamp VAL ECR`）是发送方的时间戳时钟（Linux 上以毫秒计，每个连接有随机偏移，所以不是当前时刻）；`ecr` 回显最近一次从对端收到的 `val`' +
        '（第一个 SYN 上为 0）。用于测量 RTT 和拒绝旧的重复报文（PAWS）。连同两个填充用的 `nop` 共占 12 字节。',
    ),
  },
  {
    id: 'wscale',
    kinds: [3],
    tcpdump: ['wscale'],
    tshark: ['WS'],
    name: L('Window scale', '窗口扩大因子'),
    meaning: L(
      'Sent only on SYN and SYN-ACK: from now on, the window field of every segment **this side sends** is to be ' +
        'multiplied by 2^wscale. tcpdump prints the shift (`wscale 7`), tshark the multiplier (`WS=128`). Used only if ' +
        'both SYNs carry it; the SYN segments themselves are never scaled.',
      '只出现在 SYN 和 SYN-ACK 上：此后**本端发出**的每个报文的窗口字段都要乘以 2 的 wscale 次方。tcpdump 显示移位数（`wscale 7`），' +
        'tshark 显示倍数（`WS=128`）。只有两个 SYN 都带它才会生效；SYN 报文本身的窗口从不缩放。',
    ),
  },
  {
    id: 'nop',
    kinds: [1],
    tcpdump: ['nop'],
    tshark: [],
    name: L('No-operation (padding)', '空操作（填充）'),
    meaning: L(
      'One byte of padding that aligns the next option on a 4-byte boundary. Means nothing by itself.',
      '一个字节的填充，让下一个选项按 4 字节对齐，本身没有含义。',
    ),
  },
  {
    id: 'eol',
    kinds: [0],
    tcpdump: ['eol'],
    tshark: [],
    name: L('End of option list', '选项列表结束'),
    meaning: L('Marks the end of the options; the rest of the option space is padding.', '标记选项到此结束，剩余的选项空间都是填充。'),
  },
  {
    id: 'md5',
    kinds: [19],
    tcpdump: ['md5'],
    tshark: [],
    name: L('TCP MD5 signature', 'TCP MD5 签名'),
    meaning: L(
      'RFC 2385 signature over each segment with a shared secret, mostly to protect BGP sessions. tcpdump can check it ' +
        'only when given the secret with `-M`; otherwise it prints "shared secret not supplied with -M, can\'t check".',
      'RFC 2385 定义的、用共享密钥对每个报文做的签名，主要用来保护 BGP 会话。只有用 `-M` 提供了密钥，tcpdump 才能校验；' +
        '否则它会提示 "shared secret not supplied with -M, can\'t check"。',
    ),
  },
  {
    id: 'tcp-ao',
    kinds: [29],
    tcpdump: ['tcp-ao'],
    tshark: [],
    name: L('TCP Authentication Option', 'TCP 认证选项（TCP-AO）'),
    meaning: L(
      'RFC 5925, the successor of the MD5 signature, with key rollover and stronger algorithms (Linux 6.7+).',
      'RFC 5925 定义，MD5 签名的继任者，支持密钥轮换和更强的算法（Linux 6.7 起支持）。',
    ),
  },
  {
    id: 'mptcp',
    kinds: [30],
    tcpdump: ['mptcp'],
    tshark: [],
    name: L('Multipath TCP', '多路径 TCP（MPTCP）'),
    meaning: L(
      'Multipath TCP (RFC 8684): one connection spread over several paths (subflows). tcpdump shows the subtype: ' +
        '`capable` (set up on the SYNs), `join` (add a subflow), `dss` (data sequence mapping and data ack), `add-addr`, ' +
        '`tcprst`.',
      '多路径 TCP（RFC 8684）：一个连接分布在多条路径（子流）上。tcpdump 会显示子类型：`capable`（在 SYN 上建立）、' +
        '`join`（增加子流）、`dss`（数据序列映射和数据确认）、`add-addr`、`tcprst`。',
    ),
  },
  {
    id: 'tfo',
    kinds: [34],
    tcpdump: ['tfo', 'exp-tfo'],
    tshark: [],
    name: L('TCP Fast Open cookie', 'TCP 快速打开 cookie'),
    meaning: L(
      'TCP Fast Open (RFC 7413). `tfo cookiereq`: a client asks the server for a cookie on its first SYN. ' +
        '`tfo cookie ...`: the server hands one out on the SYN-ACK, or a returning client presents it on a SYN that ' +
        'may carry data. `exp-tfo` is the older experimental encoding (kind 254).',
      'TCP 快速打开（RFC 7413）。`tfo cookiereq`：客户端在首次 SYN 上向服务端索取 cookie。`tfo cookie ...`：服务端在 SYN-ACK 上发放 cookie，' +
        '或者再次连接的客户端在可能带数据的 SYN 上出示它。`exp-tfo` 是早期的实验编码（类型 254）。',
    ),
  },
  {
    id: 'uto',
    kinds: [28],
    tcpdump: ['uto'],
    tshark: [],
    name: L('User Timeout Option', '用户超时选项'),
    meaning: L(
      'RFC 5482: tells the peer how long this side will wait for acknowledgments before giving up. Rarely used.',
      'RFC 5482：告诉对端本端在放弃之前会等待确认多久。很少使用。',
    ),
  },
  {
    id: 'exp',
    kinds: [253, 254],
    tcpdump: ['exp'],
    tshark: [],
    name: L('Experimental option', '实验性选项'),
    meaning: L(
      'Kinds 253 and 254 are reserved for experiments (RFC 6994); tcpdump prints `exp-` and the experiment id, e.g. ' +
        '`exp-acc0` for an Accurate ECN test option.',
      '类型 253 和 254 保留给实验使用（RFC 6994）；tcpdump 会打印 `exp-` 加实验编号，例如精确 ECN 测试选项 `exp-acc0`。',
    ),
  },
  {
    id: 'unknown',
    kinds: [],
    tcpdump: ['unknown'],
    tshark: [],
    name: L('Unknown option', '未知选项'),
    meaning: L(
      'An option kind tcpdump does not decode; it prints `unknown-N` with the kind number. Usually a vendor or ' +
        'experimental option. `[bad opt]` means the option\'s length did not fit.',
      'tcpdump 不认识的选项类型，打印为 `unknown-N`（N 是类型号）。通常是厂商自定义或实验性选项。`[bad opt]` 表示选项长度不合法。',
    ),
  },
];

const BY_ID: ReadonlyMap<TcpOptionId, TcpOptionInfo> = new Map(LIST.map((o) => [o.id, o]));

export const TCP_OPTIONS: readonly TcpOptionInfo[] = LIST;

export function tcpOptionInfo(id: TcpOptionId): TcpOptionInfo {
  const o = BY_ID.get(id);
  if (!o) throw new Error(`unknown option ${id}`);
  return o;
}

/**
 * Which option a printed token is: tcpdump (`mss 1460`, `sackOK`, `TS val 1 ecr 0`, `wscale 7`, `sack 1 {a:b}`,
 * `unknown-161`, `exp-tfo cookiereq`, `mss 1024` from 3.x `<mss 1024>`) or tshark (`MSS=1460`, `SACK_PERM`,
 * `SACK_PERM=1`, `TSval=1`, `TSecr=0`, `WS=128`, `SLE=1`, `SRE=2`).
 */
export function lookupTcpOption(printed: string): TcpOptionInfo | undefined {
  let t = printed.trim();
  if (t.startsWith('<')) t = t.slice(1);
  if (t.endsWith('>')) t = t.slice(0, -1);
  // first word, and the part before '=' for tshark
  let end = 0;
  while (end < t.length && t.charCodeAt(end) !== 32 && t.charCodeAt(end) !== 61 && t.charCodeAt(end) !== 91) end++;
  const word = t.slice(0, end);
  if (word.startsWith('unknown-')) return BY_ID.get('unknown');
  if (word === 'exp-tfo') return BY_ID.get('tfo');
  if (word.startsWith('exp-') || word === 'exp') return BY_ID.get('exp');
  for (const o of LIST) {
    if (o.tcpdump.includes(word) || o.tshark.includes(word)) return o;
  }
  return undefined;
}

/**
 * Explain one printed option with its values: `wscale 7` says the multiplier is 128, `mss 1460` the MTU it implies,
 * `sack 1 {1449:2897}` the bytes covered, `TS val 5 ecr 0` that this is a first SYN.
 */
export function explainTcpOption(printed: string, lang: Lang): string | undefined {
  const info = lookupTcpOption(printed);
  if (!info) return undefined;
  const zh = lang === 'zh-cn';
  const t = printed.trim();
  const lines = [`**${tr(info.name, lang)}**${zh ? '：' : ': '}${tr(info.meaning, lang)}`];
  const num = (s: string | undefined): number | undefined => (s !== undefined && /^\d{1,10}$/.test(s) ? Number(s) : undefined);
  const words = t.split(/[ =]+/);
  switch (info.id) {
    case 'mss': {
      const v = num(words[1]);
      if (v !== undefined) {
        lines.push(
          zh
            ? `MSS ${v}：对应 IPv4 上 MTU ${v + 40}，IPv6 上 MTU ${v + 60}。`
            : `MSS ${v} matches an MTU of ${v + 40} over IPv4, ${v + 60} over IPv6.`,
        );
      }
      break;
    }
    case 'wscale': {
      const raw = num(words[1]);
      if (raw !== undefined) {
        const isMultiplier = words[0] === 'WS';
        const shift = isMultiplier ? Math.round(Math.log2(raw)) : raw;
        const mult = isMultiplier ? raw : 2 ** raw;
        lines.push(
          zh
            ? `移位 ${shift}，即窗口乘以 ${mult}：报文里的 \`win 512\` 表示 ${512 * mult} 字节。${shift > 14 ? '超过 14 是非法值，按 14 处理。' : ''}`
            : `Shift ${shift}, a multiplier of ${mult}: a printed \`win 512\` means ${512 * mult} bytes.` +
                (shift > 14 ? ' Values above 14 are invalid and treated as 14.' : ''),
        );
      }
      break;
    }
    case 'TS': {
      // `TS val 1 ecr 0`, tshark `TSecr=0`, tcpdump 3.x `timestamp 1 0`
      const ecrAt = words.indexOf(words[0] === 'TSecr' ? 'TSecr' : 'ecr');
      const ecr = words[0] === 'timestamp' ? num(words[2]) : ecrAt >= 0 ? num(words[ecrAt + 1]) : undefined;
      if (ecr === 0) {
        lines.push(
          zh ? '`ecr 0`：还没有从对端收到过时间戳，这通常是第一个 SYN。' : '`ecr 0`: nothing received from the peer yet, so this is normally the first SYN.',
        );
      }
      break;
    }
    case 'sack': {
      const blocks = sackBlocks(t);
      if (blocks.length > 0) {
        const parts = blocks.map(([a, b]) => (zh ? `${a}–${b - 1}（${b - a} 字节）` : `${a}–${b - 1} (${b - a} bytes)`));
        lines.push(zh ? `已收到的数据块：${parts.join('，')}。` : `Blocks received: ${parts.join(', ')}.`);
      }
      break;
    }
    default:
      break;
  }
  return lines.join('\n\n');
}

/** `sack 1 {1449:2897}{4345:5793}` or `SLE=1449 SRE=2897` -> [[1449, 2897], ...]. Simple scanning, no regex. */
export function sackBlocks(printed: string): [number, number][] {
  const out: [number, number][] = [];
  const t = printed.length > 1024 ? printed.slice(0, 1024) : printed;
  let i = t.indexOf('{');
  while (i >= 0) {
    const colon = t.indexOf(':', i);
    const close = t.indexOf('}', i);
    if (colon < 0 || close < 0 || colon > close) break;
    const a = Number(t.slice(i + 1, colon));
    const b = Number(t.slice(colon + 1, close));
    if (Number.isFinite(a) && Number.isFinite(b)) out.push([a, b]);
    i = t.indexOf('{', close);
  }
  if (out.length === 0) {
    let p = t.indexOf('SLE=');
    while (p >= 0) {
      const q = t.indexOf('SRE=', p);
      if (q < 0) break;
      const a = Number(readDigits(t, p + 4));
      const b = Number(readDigits(t, q + 4));
      if (Number.isFinite(a) && Number.isFinite(b)) out.push([a, b]);
      p = t.indexOf('SLE=', q);
    }
  }
  return out;
}

function readDigits(s: string, i: number): string {
  let e = i;
  while (e < s.length && s.charCodeAt(e) >= 48 && s.charCodeAt(e) <= 57) e++;
  return s.slice(i, e);
}
