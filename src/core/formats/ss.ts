/**
 * iproute2 `ss` tables. Columns (misc/ss.c): Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port Process.
 * Netid is dropped when one table is shown (`ss -t`), State when one state is filtered (`ss state established`),
 * the header with -H. The header (when present) says which columns there are; each row is also read on its own
 * (a netid word, then a state word, then the two queues), so headerless output reads the same.
 * After the peer come the -p/-o/-e/-m items; `-i` prints its items on a second, tab-indented line that belongs to
 * the row above it; `-O` puts them on the row's own line.
 */
import type { RecordSink, BlockReader, FormatReader, LineVerdict } from './reader';
import type { Endpoint, Token } from '../model';
import { colonEndpoint, rowState, ssTimer, toInt, toPort, token, Words, type RowDraft } from './socketCommon';

/** ss's own state names (sstate_name[] in misc/ss.c, SCTP names from sctp_sstate_name[]). */
const SS_STATES: ReadonlySet<string> = new Set([
  'ESTAB',
  'SYN-SENT',
  'SYN-RECV',
  'FIN-WAIT-1',
  'FIN-WAIT-2',
  'TIME-WAIT',
  'UNCONN',
  'CLOSE-WAIT',
  'LAST-ACK',
  'LISTEN',
  'CLOSING',
  'UNKNOWN',
  'NEW-SYN-RECV',
  'BOUND-INACTIVE',
  'CLOSED',
  'COOKIE_WAIT',
  'COOKIE_ECHOED',
  'SHUTDOWN_PENDING',
  'SHUTDOWN_SENT',
  'SHUTDOWN_RECEIVED',
  'ACK_SENT',
]);

/** Netid names ss prints (proto_name(), unix_netid_name(), vsock/tipc names, p_raw/p_dgr, nl, xdp). */
const SS_NETIDS: ReadonlySet<string> = new Set([
  'tcp',
  'udp',
  'raw',
  'mptcp',
  'dccp',
  'sctp',
  'icmp6',
  'u_str',
  'u_dgr',
  'u_seq',
  'p_raw',
  'p_dgr',
  'nl',
  'v_str',
  'v_dgr',
  'ti_st',
  'ti_dg',
  'ti_rd',
  'ti_sq',
  'xdp',
  'unknown',
  '???',
]);

/** Congestion-control names ss prints bare in the -i items (the kernel's tcp_*.c modules). */
const CONGESTION_CONTROL: ReadonlySet<string> = new Set([
  'cubic',
  'reno',
  'bbr',
  'bbr2',
  'bbr3',
  'dctcp',
  'vegas',
  'westwood',
  'htcp',
  'hybla',
  'illinois',
  'scalable',
  'lp',
  'veno',
  'yeah',
  'bic',
  'highspeed',
  'cdg',
  'nv',
  'prague',
]);

/** Items printed as `name value` with a space (tcp_stats_print). */
const SPACED_PAIRS: ReadonlySet<string> = new Set(['send', 'pacing_rate', 'delivery_rate']);

/** Items of -e/--tos/-Z on the row's own line (everything else with a colon is -i/-O tcp info). */
const EXT_NAMES: ReadonlySet<string> = new Set(['ino', 'uid', 'sk', 'cgroup', 'v6only', 'fwmark', 'tos', 'tclass', 'class_id']);

/** Shutdown markers of ss -e (`<->` both directions open, `-->` read closed, `<--` write closed, `---`). */
const SHUTDOWN_MARKS: ReadonlySet<string> = new Set(['<->', '-->', '<--', '---']);

interface Header {
  readonly netid: boolean;
  readonly state: boolean;
}

function isHeaderLine(w: Words): Header | undefined {
  let recv = false;
  let send = false;
  let addr = false;
  let state = false;
  for (let i = 0; i < w.count && i < 16; i++) {
    const t = w.text(i);
    if (t === 'Recv-Q') recv = true;
    else if (t === 'Send-Q') send = true;
    else if (t === 'State') state = true;
    else if (t.startsWith('Address:Port')) addr = true;
  }
  if (!recv || !send || !addr) return undefined;
  return { netid: w.is(0, 'Netid'), state };
}

/** Where the row's fixed columns are. */
interface Layout {
  netid: number; // word index or -1
  state: number; // word index or -1
  recvQ: number;
}

/**
 * With a header, its columns decide (an unknown word in the State column is still the state). Without one, the row
 * speaks for itself: a netid word (followed by a non-number), then a state word, then the two queues.
 */
function layoutOf(w: Words, header: Header | undefined): Layout | undefined {
  let i = 0;
  let netid = -1;
  let state = -1;
  if (header) {
    if (header.netid) netid = i++;
    if (header.state) state = i++;
  } else {
    if (w.count > 1 && SS_NETIDS.has(w.text(0)) && !isNumberWord(w, 1)) netid = i++;
    if (i < w.count && SS_STATES.has(w.text(i))) state = i++;
  }
  if (i + 3 >= w.count || !isNumberWord(w, i) || !isNumberWord(w, i + 1)) return undefined;
  if (state >= 0 && isNumberWord(w, state)) return undefined;
  return { netid, state, recvQ: i };
}

function isNumberWord(w: Words, i: number): boolean {
  if (i >= w.count) return false;
  const s = w.start[i]!;
  const e = w.end[i]!;
  if (e - s > 15) return false;
  for (let k = s; k < e; k++) {
    const c = w.line.charCodeAt(k);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** One item of the extension part: [start, end) on the line. */
interface Item {
  start: number;
  end: number;
  /** Every parenthesis and quote opened in the item was closed. */
  balanced: boolean;
}

/**
 * Items after the peer: runs of non-blanks, except that parentheses and double quotes keep blanks inside one item
 * (`users:(("Web Content",pid=1,fd=3))`, `inet-sockopt: ( recverr)`). One pass, no backtracking.
 */
function scanItems(line: string, from: number, out: Item[]): void {
  out.length = 0;
  const len = line.length;
  let i = from;
  while (i < len) {
    let c = line.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    const start = i;
    let depth = 0;
    let quoted = false;
    while (i < len) {
      c = line.charCodeAt(i);
      if (quoted) {
        if (c === 34) quoted = false;
        else if (c === 92) i++;
      } else if (c === 34) quoted = true;
      else if (c === 40) depth++;
      else if (c === 41) {
        if (depth > 0) depth--;
      } else if ((c === 32 || c === 9) && depth === 0) break;
      i++;
    }
    if (i > len) i = len;
    out.push({ start, end: i, balanced: depth === 0 && !quoted });
  }
}

/** A flag word: a letter, then letters, digits, `_ - . /`. */
function isFlagWord(t: string): boolean {
  const c0 = t.charCodeAt(0);
  if (!((c0 >= 97 && c0 <= 122) || (c0 >= 65 && c0 <= 90))) return false;
  for (let i = 1; i < t.length; i++) {
    const c = t.charCodeAt(i);
    const ok =
      (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45 || c === 46 || c === 47;
    if (!ok) return false;
  }
  return true;
}

/** What the items of a line say, collected before anything is applied (a bad item leaves the row untouched). */
interface ItemReading {
  tokens: Token[];
  info: [string, string][];
  process?: { name: string; pid?: number };
  timer?: ReturnType<typeof ssTimer>;
  users: boolean;
  timerSeen: boolean;
  ext: boolean;
  mem: boolean;
  tcpInfo: boolean;
}

/** `(("nginx",pid=1,fd=6),("nginx",pid=2,fd=6))` -> the first user. */
function firstUser(value: string): { name: string; pid?: number } | undefined {
  const q1 = value.indexOf('"');
  if (q1 < 0) return undefined;
  const q2 = value.indexOf('"', q1 + 1);
  if (q2 < 0) return undefined;
  const name = value.slice(q1 + 1, q2);
  const p = value.indexOf('pid=', q2);
  if (p < 0) return { name };
  let e = p + 4;
  while (e < value.length && value.charCodeAt(e) >= 48 && value.charCodeAt(e) <= 57) e++;
  const pid = toInt(value.slice(p + 4, e));
  return pid === undefined ? { name } : { name, pid };
}

function readItems(line: string, index: number, items: readonly Item[]): ItemReading | undefined {
  const r: ItemReading = { tokens: [], info: [], users: false, timerSeen: false, ext: false, mem: false, tcpInfo: false };
  for (let k = 0; k < items.length; k++) {
    const it = items[k]!;
    if (!it.balanced) return undefined;
    const t = line.slice(it.start, it.end);
    if (t.startsWith('users:(')) {
      const user = firstUser(t.slice(6));
      if (!user) return undefined;
      r.process ??= user;
      r.users = true;
      r.info.push(['users', t.slice(6)]);
      r.tokens.push(token('process', index, it.start, it.end));
      continue;
    }
    if (t.startsWith('timer:(')) {
      const timer = ssTimer(t);
      if (!timer) return undefined;
      r.timer = timer;
      r.timerSeen = true;
      r.tokens.push(token('timer', index, it.start, it.end));
      continue;
    }
    if (SHUTDOWN_MARKS.has(t)) {
      r.ext = true;
      r.info.push(['shutdown', t]);
      r.tokens.push(token('ssInfo', index, it.start, it.end, 'shutdown'));
      continue;
    }
    const next = items[k + 1];
    if (next && (SPACED_PAIRS.has(t) || (t.length > 1 && t.endsWith(':') && t.indexOf(':') === t.length - 1))) {
      // `send 90112000000bps`, `pacing_rate 1.2Gbps`, `version: 1.2`, `inet-sockopt: ( recverr)`.
      const name = t.endsWith(':') ? t.slice(0, -1) : t;
      r.info.push([name, line.slice(next.start, next.end)]);
      r.tokens.push(token('ssInfo', index, it.start, next.end, name));
      r.tcpInfo = true;
      k++;
      continue;
    }
    const colon = t.indexOf(':');
    if (colon > 0) {
      const name = t.slice(0, colon);
      if (!isFlagWord(name)) return undefined;
      r.info.push([name, t.slice(colon + 1)]);
      r.tokens.push(token('ssInfo', index, it.start, it.end, name));
      if (EXT_NAMES.has(name)) r.ext = true;
      else if (name === 'skmem' || name === 'mem') r.mem = true;
      else r.tcpInfo = true;
      continue;
    }
    if (!isFlagWord(t)) return undefined;
    const name = CONGESTION_CONTROL.has(t) ? 'cc' : t;
    r.info.push([name, t]);
    r.tokens.push(token('ssInfo', index, it.start, it.end, name));
    r.tcpInfo = true;
  }
  return r;
}

class SsBlock implements BlockReader {
  private readonly words = new Words();
  private readonly items: Item[] = [];
  private header: Header | undefined;
  private sawHeader = false;
  private last: RowDraft | undefined;
  private readonly flags = new Set<string>();

  constructor(
    private readonly block: number,
    private readonly sink: RecordSink,
  ) {}

  feed(line: string, index: number): LineVerdict {
    const c0 = line.charCodeAt(0);
    const w = this.words.split(line);
    if (w.count === 0) return 'other';
    if ((c0 === 9 || c0 === 32) && this.last !== undefined && layoutOf(w, this.header) === undefined) {
      return this.continuation(line, index);
    }
    const header = isHeaderLine(w);
    if (header) {
      this.header = header;
      this.sawHeader = true;
      this.last = undefined;
      return 'header';
    }
    const verdict = this.row(line, index, w);
    if (verdict !== 'record') this.last = undefined;
    return verdict;
  }

  /** An -i line: tab, then items. They extend the row above. */
  private continuation(line: string, index: number): LineVerdict {
    const row = this.last!;
    scanItems(line, 0, this.items);
    if (this.items.length === 0) return 'other';
    const r = readItems(line, index, this.items);
    if (!r) {
      this.last = undefined;
      return line.charCodeAt(0) === 9 ? 'unparsed' : 'other';
    }
    this.apply(row, r);
    row.lastLine = index;
    this.flags.add(r.tcpInfo ? '-i' : r.mem ? '-m' : '-e');
    return 'continuation';
  }

  private apply(row: RowDraft, r: ItemReading): void {
    for (const t of r.tokens) row.tokens.push(t);
    if (r.info.length) {
      const info = (row.info ??= {});
      for (const [k, v] of r.info) info[k] = v;
    }
    if (r.process && !row.process) row.process = r.process;
    if (r.timer) row.timer = r.timer;
    if (r.users) this.flags.add('-p');
    if (r.timerSeen) this.flags.add('-o');
    if (r.ext) this.flags.add('-e');
    if (r.mem) this.flags.add('-m');
  }

  private row(line: string, index: number, w: Words): LineVerdict {
    const layout = layoutOf(w, this.header);
    if (!layout) return looksLikeRowStart(w) ? 'unparsed' : 'other';
    const proto = layout.netid >= 0 ? w.text(layout.netid) : 'tcp';
    const a = layout.recvQ + 2;
    const unixLike = proto === 'u_str' || proto === 'u_dgr' || proto === 'u_seq';
    const singlePeer = proto === 'nl' || proto === 'p_raw' || proto === 'p_dgr';
    const tokens: Token[] = [];
    let localEnd: number;
    let peerStart: number;
    let peerEnd: number;
    let local;
    let remote;
    if (unixLike) {
      // `path inode` / `* inode` on each side (sock_addr_print with a space as delimiter).
      if (a + 3 >= w.count || !isNumberWord(w, a + 1) || !isNumberWord(w, a + 3)) return 'unparsed';
      local = { address: w.text(a), port: toPort(w.text(a + 1)) };
      remote = { address: w.text(a + 2), port: toPort(w.text(a + 3)) };
      localEnd = a + 1;
      peerStart = a + 2;
      peerEnd = a + 3;
    } else {
      const lt = w.text(a);
      local = singlePeer ? linkLocal(proto, lt) : colonEndpoint(lt);
      if (!local) return 'unparsed';
      localEnd = a;
      peerStart = a + 1;
      peerEnd = a + 1;
      if (peerStart >= w.count) return 'unparsed';
      const pt = w.text(peerStart);
      remote = colonEndpoint(pt) ?? (singlePeer || pt === '*' ? { address: pt, port: '' } : undefined);
      if (!remote) return 'unparsed';
    }
    const rest = peerEnd + 1 < w.count ? w.start[peerEnd + 1]! : line.length;
    scanItems(line, rest, this.items);
    const r = readItems(line, index, this.items);
    if (!r) return 'unparsed';

    if (layout.netid >= 0) tokens.push(token('proto', index, w.start[layout.netid]!, w.end[layout.netid]!));
    const stateText = layout.state >= 0 ? w.text(layout.state) : '';
    if (layout.state >= 0) tokens.push(token('state', index, w.start[layout.state]!, w.end[layout.state]!));
    tokens.push(token('recvQ', index, w.start[layout.recvQ]!, w.end[layout.recvQ]!));
    tokens.push(token('sendQ', index, w.start[layout.recvQ + 1]!, w.end[layout.recvQ + 1]!));
    tokens.push(token('localAddress', index, w.start[a]!, w.end[localEnd]!));
    tokens.push(token('remoteAddress', index, w.start[peerStart]!, w.end[peerEnd]!));

    // Without a Netid column ss was asked for one table; `ss -t` is by far the common case, and UNCONN is what
    // ss prints for UDP (a TCP socket is never listed as UNCONN by ss -t).
    const rowProto = layout.netid >= 0 ? proto : stateText === 'UNCONN' ? 'udp' : 'tcp';
    const row: RowDraft = {
      block: this.block,
      line: index,
      lastLine: index,
      proto: rowProto,
      local,
      remote,
      stateText,
      recvQ: toInt(w.text(layout.recvQ))!,
      sendQ: toInt(w.text(layout.recvQ + 1))!,
      tokens,
    };
    const state = rowState(rowProto, stateText);
    if (state) row.state = state;
    if (proto === 'nl') {
      // A netlink socket's "port" is its owner: `kernel`, a port id, or `process/pid`.
      const owner = String(local.port);
      const slash = owner.lastIndexOf('/');
      const pid = slash > 0 ? toInt(owner.slice(slash + 1)) : undefined;
      if (pid !== undefined) row.process = { name: owner.slice(0, slash), pid };
    }
    this.apply(row, r);
    if (r.tcpInfo) this.flags.add('-O');
    this.sink.sockets.push(row);
    this.last = row;
    return 'record';
  }

  finish(): string {
    const flags: string[] = [];
    if (!this.sawHeader) flags.push('-H');
    for (const f of ['-p', '-o', '-e', '-m', '-i', '-O']) if (this.flags.has(f)) flags.push(f);
    return flags.length ? `ss ${flags.join(' ')}` : 'ss';
  }
}

/**
 * The local column of netlink and packet sockets: `rtnl:kernel`, `uevent:-4118`, `tcpdiag:ss/11360` (protocol,
 * owner) and `LLDP:ens33`, `*:ens33` (link protocol, interface: kept as the zone).
 */
function linkLocal(proto: string, text: string): Endpoint {
  const colon = text.lastIndexOf(':');
  if (colon <= 0) return { address: text, port: '' };
  const address = text.slice(0, colon);
  const rest = text.slice(colon + 1);
  if (proto === 'nl') return { address, port: toPort(rest) };
  return rest === '*' || rest === '' ? { address, port: '' } : { address, port: '', zone: rest };
}

/** A line that starts the way an ss row does (netid or state word) but did not read as one. */
function looksLikeRowStart(w: Words): boolean {
  const first = w.text(0);
  return SS_STATES.has(first) || (SS_NETIDS.has(first) && w.count > 1 && SS_STATES.has(w.text(1)));
}

function startScore(line: string): 0 | 1 | 2 {
  const c0 = line.charCodeAt(0);
  if (c0 === 9) return 0;
  const w = new Words().split(line);
  if (w.count < 4) return 0;
  if (isHeaderLine(w)) return 2;
  const layout = layoutOf(w, undefined);
  if (!layout) return 0;
  const a = layout.recvQ + 2;
  if (a + 1 >= w.count) return 0;
  const proto = layout.netid >= 0 ? w.text(0) : '';
  if (proto === 'u_str' || proto === 'u_dgr' || proto === 'u_seq' || proto === 'nl' || proto === 'p_raw' || proto === 'p_dgr') {
    return 1;
  }
  // Without netid and state words the row is just two numbers and two endpoints; ask for bracket/colon endpoints.
  return colonEndpoint(w.text(a)) && colonEndpoint(w.text(a + 1)) ? 1 : 0;
}

export const ssReader: FormatReader = {
  format: 'ss',
  startScore,
  begin: (blockIndex, sink) => new SsBlock(blockIndex, sink),
};
