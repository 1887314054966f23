/**
 * iproute2 `ss` tables. Columns (misc/ss.c): Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port Process.
 * Netid is dropped when one table is shown (`ss -t`), State when one state is filtered (`ss state established`),
 * the header with -H. The header (when present) says which columns there are; each row is also read on its own
 * (a netid word, then a state word, then the two queues), so headerless output reads the same.
 * After the peer come the -p/-o/-e/-m items; `-i` prints its items on a second, tab-indented line that belongs to
 * the row above it; `-O` puts them on the row's own line.
 */
import type { RecordSink, BlockReader, FormatReader, LineVerdict } from './reader';
import type { Endpoint, SocketTimer, Token } from '../model';
import {
  colonEndpoint,
  EndpointCache,
  intAt,
  OwnedRow,
  Row,
  RowPlaces,
  ssTimer,
  TextCache,
  WordTable,
  toInt,
  toPort,
  token,
  Words,
  type RowTokenizer,
} from './socketCommon';

/** ss's own state names (sstate_name[] in misc/ss.c, SCTP names from sctp_sstate_name[]). */
const SS_STATE_LIST: readonly string[] = [
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
];
const SS_STATES: ReadonlySet<string> = new Set(SS_STATE_LIST);
const SS_STATE_TABLE = new WordTable(SS_STATE_LIST);

/** Netid names ss prints (proto_name(), unix_netid_name(), vsock/tipc names, p_raw/p_dgr, nl, xdp). */
const SS_NETID_LIST: readonly string[] = [
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
];
const SS_NETIDS: ReadonlySet<string> = new Set(SS_NETID_LIST);
const SS_NETID_TABLE = new WordTable(SS_NETID_LIST);

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
  readonly netid: number; // word index or -1
  readonly state: number; // word index or -1
  readonly recvQ: number;
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
    if (w.count > 1 && SS_NETID_TABLE.find(w.line, w.start[0]!, w.end[0]!) && !isNumberWord(w, 1)) netid = i++;
    if (i < w.count && SS_STATE_TABLE.find(w.line, w.start[i]!, w.end[i]!)) state = i++;
  }
  if (i + 3 >= w.count || !isNumberWord(w, i) || !isNumberWord(w, i + 1)) return undefined;
  if (state >= 0 && isNumberWord(w, state)) return undefined;
  return LAYOUTS[(netid >= 0 ? 2 : 0) + (state >= 0 ? 1 : 0)];
}

/** The four layouts there are (with or without Netid, with or without State), shared by every row. */
const LAYOUTS: readonly Layout[] = [
  { netid: -1, state: -1, recvQ: 0 },
  { netid: -1, state: 0, recvQ: 1 },
  { netid: 0, state: -1, recvQ: 1 },
  { netid: 0, state: 1, recvQ: 2 },
];

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

/**
 * The items after the peer, as [start, end) pairs on the line, reused from line to line. Runs of non-blanks, except
 * that parentheses and double quotes keep blanks inside one item (`users:(("Web Content",pid=1,fd=3))`,
 * `inet-sockopt: ( recverr)`). One pass, no backtracking.
 */
class Items {
  readonly start: number[] = [];
  readonly end: number[] = [];
  /** Every parenthesis and quote opened in the item was closed. */
  readonly balanced: boolean[] = [];
  count = 0;

  scan(line: string, from: number): this {
    let n = 0;
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
      this.start[n] = start;
      this.end[n] = i;
      this.balanced[n] = depth === 0 && !quoted;
      n++;
    }
    this.count = n;
    return this;
  }
}

/** What the items of one line say, collected before anything is applied (a bad item leaves the row untouched). */
interface ItemReading {
  info: Record<string, string> | undefined;
  process?: { name: string; pid?: number };
  timer?: SocketTimer;
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

/**
 * Item names ss prints (tcp_stats_print, sock_details_print, print_skmeminfo, timer/users, mptcp/tls items), so
 * that the info objects of a million rows share one shape. Names not listed still work (sliced from the line).
 */
const INFO_NAMES = new WordTable([
  'users', 'shutdown', 'cc', 'ts', 'sack', 'ecn', 'ecnseen', 'fastopen', 'wscale', 'rto', 'backoff', 'rtt', 'ato',
  'qack', 'bidir', 'mss', 'pmtu', 'rcvmss', 'advmss', 'cwnd', 'ssthresh', 'bytes_sent', 'bytes_retrans',
  'bytes_acked', 'bytes_received', 'segs_out', 'segs_in', 'data_segs_out', 'data_segs_in', 'dctcp', 'bbr', 'send',
  'lastsnd', 'lastrcv', 'lastack', 'pacing_rate', 'delivery_rate', 'delivered', 'delivered_ce', 'app_limited',
  'busy', 'rwnd_limited', 'sndbuf_limited', 'unacked', 'retrans', 'lost', 'sacked', 'dsack_dups', 'fackets',
  'reordering', 'reord_seen', 'rcv_rtt', 'rcv_space', 'rcv_ssthresh', 'notsent', 'minrtt', 'snd_wnd', 'rcv_wnd',
  'rehash', 'skmem', 'mem', 'ino', 'uid', 'sk', 'cgroup', 'v6only', 'fwmark', 'tos', 'tclass', 'class_id',
]);
const CC_NAMES = new WordTable([...CONGESTION_CONTROL]);
const SHUTDOWN_TABLE = new WordTable([...SHUTDOWN_MARKS]);
const SPACED_TABLE = new WordTable([...SPACED_PAIRS]);

/** A flag word on line[s, e): a letter, then letters, digits, `_ - . /`. */
function isFlagAt(line: string, s: number, e: number): boolean {
  if (e <= s) return false;
  const c0 = line.charCodeAt(s);
  if (!((c0 >= 97 && c0 <= 122) || (c0 >= 65 && c0 <= 90))) return false;
  for (let i = s + 1; i < e; i++) {
    const c = line.charCodeAt(i);
    const ok =
      (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45 || c === 46 || c === 47;
    if (!ok) return false;
  }
  return true;
}

function nameAt(line: string, s: number, e: number): string {
  return INFO_NAMES.find(line, s, e) ?? line.slice(s, e);
}

/** Keys written into an existing info object by the current line, to undo them if a later item is bad. */
class Undo {
  readonly keys: string[] = [];
  readonly values: (string | undefined)[] = [];
  count = 0;
  note(info: Record<string, string>, key: string): void {
    this.keys[this.count] = key;
    this.values[this.count] = Object.prototype.hasOwnProperty.call(info, key) ? info[key] : undefined;
    this.count++;
  }
  rollback(info: Record<string, string>): void {
    for (let i = this.count - 1; i >= 0; i--) {
      const v = this.values[i];
      if (v === undefined) delete info[this.keys[i]!];
      else info[this.keys[i]!] = v;
    }
    this.count = 0;
  }
}

/**
 * Reads the items; their tokens go to `out` when given (the lazy token pass). Info items go into `target` when
 * given (an -i line into its row's info; undone if an item turns out bad), else into a new object.
 */
function readItems(
  line: string,
  index: number,
  items: Items,
  timers: TextCache<SocketTimer>,
  out: Token[] | undefined,
  target?: Record<string, string>,
  undo?: Undo,
): ItemReading | undefined {
  if (items.count === 0 && target === undefined) return NO_ITEMS;
  const r: ItemReading = { info: undefined, users: false, timerSeen: false, ext: false, mem: false, tcpInfo: false };
  let info: Record<string, string> | undefined = target;
  if (undo) undo.count = 0;
  const put = (name: string, value: string): void => {
    info ??= {};
    if (undo && target) undo.note(info, name);
    info[name] = value;
  };
  const fail = (): undefined => {
    if (undo && target) undo.rollback(target);
    return undefined;
  };
  for (let k = 0; k < items.count; k++) {
    if (!items.balanced[k]) return fail();
    const s = items.start[k]!;
    const e = items.end[k]!;
    const c0 = line.charCodeAt(s);
    if (c0 === 116 /* t */ && line.startsWith('timer:(', s)) {
      const timer = timers.get(line, s, e);
      if (!timer) return fail();
      r.timer = timer;
      r.timerSeen = true;
      if (out) out.push(token('timer', index, s, e));
      continue;
    }
    if (c0 === 117 /* u */ && line.startsWith('users:(', s)) {
      const value = line.slice(s + 6, e);
      const user = firstUser(value);
      if (!user) return fail();
      r.process ??= user;
      r.users = true;
      put('users', value);
      if (out) out.push(token('process', index, s, e));
      continue;
    }
    const mark = c0 === 60 /* < */ || c0 === 45 /* - */ ? SHUTDOWN_TABLE.find(line, s, e) : undefined;
    if (mark) {
      r.ext = true;
      put('shutdown', mark);
      if (out) out.push(token('ssInfo', index, s, e, 'shutdown'));
      continue;
    }
    const colon = line.indexOf(':', s);
    const inside = colon >= 0 && colon < e;
    const spaced = !inside && (c0 === 115 /* s */ || c0 === 112 /* p */ || c0 === 100 /* d */) && SPACED_TABLE.find(line, s, e);
    if (k + 1 < items.count && (spaced || (inside && colon === e - 1 && e - s > 1))) {
      // `send 90112000000bps`, `pacing_rate 1.2Gbps`, `version: 1.2`, `inet-sockopt: ( recverr)`.
      if (!items.balanced[k + 1]) return fail();
      const name = inside ? nameAt(line, s, e - 1) : nameAt(line, s, e);
      put(name, line.slice(items.start[k + 1], items.end[k + 1]));
      if (out) out.push(token('ssInfo', index, s, items.end[k + 1]!, name));
      r.tcpInfo = true;
      k++;
      continue;
    }
    if (inside && colon > s) {
      if (!isFlagAt(line, s, colon)) return fail();
      const name = nameAt(line, s, colon);
      put(name, line.slice(colon + 1, e));
      if (out) out.push(token('ssInfo', index, s, e, name));
      if (EXT_NAMES.has(name)) r.ext = true;
      else if (name === 'skmem' || name === 'mem') r.mem = true;
      else r.tcpInfo = true;
      continue;
    }
    if (!isFlagAt(line, s, e)) return fail();
    const cc = CC_NAMES.find(line, s, e);
    const name = cc ? 'cc' : nameAt(line, s, e);
    put(name, cc ?? name);
    if (out) out.push(token('ssInfo', index, s, e, name));
    r.tcpInfo = true;
  }
  r.info = info;
  return r;
}

/** What a line without items says (most rows of a big table). */
const NO_ITEMS: Readonly<ItemReading> = Object.freeze({ info: undefined, users: false, timerSeen: false, ext: false, mem: false, tcpInfo: false });

/** What rows told about the block's variant. */
interface Seen {
  users: boolean;
  timer: boolean;
  ext: boolean;
  mem: boolean;
  infoLine: boolean;
  oneLine: boolean;
}

function noteItems(seen: Seen, r: ItemReading): void {
  if (r.users) seen.users = true;
  if (r.timerSeen) seen.timer = true;
  if (r.ext) seen.ext = true;
  if (r.mem) seen.mem = true;
}

/** Puts what the items said on the row (the first process kept). */
function applyItems(row: Row, r: ItemReading): void {
  if (r.info && !row.info) row.info = r.info;
  if (r.process && !row.process) row.process = r.process;
  if (r.timer) row.timer = r.timer;
}

/**
 * Reads one row line. Pure: tokens go to `out` when given, what the row says about the variant to `seen`.
 * `header` is the header the row was printed under, if one was seen.
 */
function readRow(
  index: number,
  w: Words,
  header: Header | undefined,
  items: Items,
  endpoints: EndpointCache,
  timers: TextCache<SocketTimer>,
  how: SsBlock,
  out: Token[] | undefined,
  seen: Seen,
): Row | LineVerdict {
  const line = w.line;
  const layout = layoutOf(w, header);
  if (!layout) return looksLikeRowStart(w) ? 'unparsed' : 'other';
  const netid = layout.netid >= 0 ? (SS_NETID_TABLE.find(line, w.start[0]!, w.end[0]!) ?? w.text(0)) : '';
  const a = layout.recvQ + 2;
  const unixLike = netid === 'u_str' || netid === 'u_dgr' || netid === 'u_seq';
  const singlePeer = netid === 'nl' || netid === 'p_raw' || netid === 'p_dgr';
  let localEnd: number;
  let peerStart: number;
  let peerEnd: number;
  let local: Endpoint | undefined;
  let remote: Endpoint | undefined;
  if (unixLike) {
    // `path inode` / `* inode` on each side (sock_addr_print with a space as delimiter).
    if (a + 3 >= w.count || !isNumberWord(w, a + 1) || !isNumberWord(w, a + 3)) return 'unparsed';
    local = { address: w.text(a), port: toPort(w.text(a + 1)) };
    remote = { address: w.text(a + 2), port: toPort(w.text(a + 3)) };
    localEnd = a + 1;
    peerStart = a + 2;
    peerEnd = a + 3;
  } else {
    local = singlePeer ? linkLocal(netid, w.text(a)) : endpoints.get(line, w.start[a]!, w.end[a]!);
    if (!local) return 'unparsed';
    localEnd = a;
    peerStart = a + 1;
    peerEnd = a + 1;
    if (peerStart >= w.count) return 'unparsed';
    remote = endpoints.get(line, w.start[peerStart]!, w.end[peerStart]!);
    if (!remote) {
      const pt = w.text(peerStart);
      if (singlePeer || pt === '*') remote = { address: pt, port: '' };
      else return 'unparsed';
    }
  }
  const rest = peerEnd + 1 < w.count ? w.start[peerEnd + 1]! : line.length;
  if (out) {
    if (layout.netid >= 0) out.push(token('proto', index, w.start[layout.netid]!, w.end[layout.netid]!));
    if (layout.state >= 0) out.push(token('state', index, w.start[layout.state]!, w.end[layout.state]!));
    out.push(token('recvQ', index, w.start[layout.recvQ]!, w.end[layout.recvQ]!));
    out.push(token('sendQ', index, w.start[layout.recvQ + 1]!, w.end[layout.recvQ + 1]!));
    out.push(token('localAddress', index, w.start[a]!, w.end[localEnd]!));
    out.push(token('remoteAddress', index, w.start[peerStart]!, w.end[peerEnd]!));
  }
  const r = readItems(line, index, items.scan(line, rest), timers, out);
  if (!r) return 'unparsed';

  const stateText =
    layout.state >= 0 ? (SS_STATE_TABLE.find(line, w.start[layout.state]!, w.end[layout.state]!) ?? w.text(layout.state)) : '';
  // Without a Netid column ss was asked for one table; `ss -t` is by far the common case, and UNCONN is what
  // ss prints for UDP (a TCP socket is never listed as UNCONN by ss -t).
  const proto = layout.netid >= 0 ? netid : stateText === 'UNCONN' ? 'udp' : 'tcp';
  const owned = r.info !== undefined || r.process !== undefined || r.timer !== undefined || netid === 'nl';
  const recvQ = intAt(line, w.start[layout.recvQ]!, w.end[layout.recvQ]!);
  const sendQ = intAt(line, w.start[layout.recvQ + 1]!, w.end[layout.recvQ + 1]!);
  const kind = how.places.kind(header, proto, stateText, recvQ, sendQ);
  const row = new (owned ? OwnedRow : Row)(kind, line, index, local, remote);
  if (netid === 'nl') {
    // A netlink socket's "port" is its owner: `kernel`, a port id, or `process/pid`.
    const owner = String(local.port);
    const slash = owner.lastIndexOf('/');
    const pid = slash > 0 ? toInt(owner.slice(slash + 1)) : undefined;
    if (pid !== undefined) row.process = { name: owner.slice(0, slash), pid };
  }
  applyItems(row, r);
  noteItems(seen, r);
  if (r.tcpInfo) seen.oneLine = true;
  return row;
}

class SsBlock implements BlockReader, RowTokenizer {
  private readonly words = new Words();
  private readonly items = new Items();
  private readonly endpoints = new EndpointCache(colonEndpoint);
  private readonly timers = new TextCache<SocketTimer>(ssTimer);
  private readonly undo = new Undo();
  private header: Header | undefined;
  private sawHeader = false;
  private last: Row | undefined;
  private readonly seen: Seen = { users: false, timer: false, ext: false, mem: false, infoLine: false, oneLine: false };
  readonly places: RowPlaces;

  constructor(
    block: number,
    private readonly sink: RecordSink,
  ) {
    this.places = new RowPlaces(this, block, sink.lines);
  }

  feed(line: string, index: number): LineVerdict {
    const c0 = line.charCodeAt(0);
    // ss starts the -i line with a tab; no row or header does.
    if (c0 === 9 && this.last !== undefined) return this.continuation(line, index);
    const w = this.words.split(line);
    if (w.count === 0) return 'other';
    if ((c0 === 9 || c0 === 32) && this.last !== undefined && layoutOf(w, this.header) === undefined) {
      return this.continuation(line, index);
    }
    if (c0 === 83 /* S */ || c0 === 78 /* N */ || c0 === 82 /* R */ || c0 === 32 || c0 === 9) {
      const header = isHeaderLine(w);
      if (header) {
        this.header = header;
        this.sawHeader = true;
        this.last = undefined;
        return 'header';
      }
    }
    const row = readRow(index, w, this.header, this.items, this.endpoints, this.timers, this, undefined, this.seen);
    if (typeof row === 'string') {
      this.last = undefined;
      return row;
    }
    this.sink.sockets.push(row);
    this.last = row;
    return 'record';
  }

  /** An -i line: tab, then items. They extend the row above. */
  private continuation(line: string, index: number): LineVerdict {
    const row = this.last!;
    this.items.scan(line, 0);
    if (this.items.count === 0) return 'other';
    // Written straight into the row's info (no second object to merge), undone if an item is bad.
    const r = readItems(line, index, this.items, this.timers, undefined, (row.info ??= {}), this.undo);
    if (!r) {
      this.last = undefined;
      return line.charCodeAt(0) === 9 ? 'unparsed' : 'other';
    }
    applyItems(row, r);
    noteItems(this.seen, r);
    if (r.tcpInfo) this.seen.infoLine = true;
    else if (!r.mem) this.seen.ext = true;
    row.addLine(line, index);
    return 'continuation';
  }

  tokens(row: Row, ctx: unknown, first: string, more: readonly string[] | undefined, moreLines: readonly number[] | undefined): Token[] {
    const out: Token[] = [];
    const scratch: Seen = { users: false, timer: false, ext: false, mem: false, infoLine: false, oneLine: false };
    const items = new Items();
    readRow(row.line, new Words().split(first), ctx as Header | undefined, items, this.endpoints, this.timers, this, out, scratch);
    if (more) {
      for (let k = 0; k < more.length; k++) readItems(more[k]!, moreLines![k]!, items.scan(more[k]!, 0), this.timers, out);
    }
    return out;
  }

  finish(): string {
    this.endpoints.release();
    this.timers.release();
    const s = this.seen;
    const flags: string[] = [];
    if (!this.sawHeader) flags.push('-H');
    if (s.users) flags.push('-p');
    if (s.timer) flags.push('-o');
    if (s.ext) flags.push('-e');
    if (s.mem) flags.push('-m');
    if (s.infoLine) flags.push('-i');
    if (s.oneLine) flags.push('-O');
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
