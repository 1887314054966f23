/**
 * Linux net-tools `netstat` (and BusyBox's look-alike) Internet socket tables:
 *   Proto Recv-Q Send-Q Local Address           Foreign Address         State       [User Inode] [PID/Program name] [Timer]
 * Words are split on blanks. The State column is empty for UDP sockets that are not connected, so for UDP a word
 * is taken as the state only when it is a state word; TCP and raw rows always print one (raw prints a number).
 * `-e` adds User and Inode, `-p` PID/Program name (the name may hold blanks: `6492/sshd: kbrazil`), `-o` a timer
 * `kind (seconds/retransmits/probes)` at the end. The "Active UNIX domain sockets" section (not TCP) ends the block.
 */
import type { Token } from '../model';
import { KNOWN_NON_RFC_STATES, canonicalState } from '../tcp/states';
import type { BlockReader, FormatReader, LineVerdict, RecordSink } from './reader';
import {
  colonEndpoint,
  EndpointCache,
  intAt,
  isDigits,
  isNetToolsTimerKind,
  isOtherSectionTitle,
  looksColonEndpoint,
  netToolsTimer,
  token,
  wordIn,
  Words,
  OwnedRow,
  Row,
  RowPlaces,
  type RowTokenizer,
} from './socketCommon';

/** Protocol words net-tools prints (tcp_do_one, udp_do_one with udpl for UDP-Lite, raw_do_one). */
const PROTO_LIST: readonly string[] = ['tcp', 'tcp6', 'udp', 'udp6', 'udpl', 'udpl6', 'raw', 'raw6'];
const PROTOS: ReadonlySet<string> = new Set(PROTO_LIST);

/** net-tools' own state words (tcp_state[] in netstat.c), checked first and shared between rows. */
const NET_TOOLS_STATES: readonly string[] = [
  'ESTABLISHED',
  'SYN_SENT',
  'SYN_RECV',
  'FIN_WAIT1',
  'FIN_WAIT2',
  'TIME_WAIT',
  'CLOSE',
  'CLOSE_WAIT',
  'LAST_ACK',
  'LISTEN',
  'CLOSING',
];

/** Longest `PID/Program name` we accept: net-tools prints at most 19 characters; some slack for other builds. */
const MAX_PROGRAM_SPAN = 32;

/** Title suffixes net-tools prints after "Active Internet connections" (BSD prints none or "(including servers)"). */
const LINUX_TITLE_SUFFIXES = ['(servers and established)', '(only servers)', '(w/o servers)'];

function isLinuxTitle(t: string): boolean {
  if (t.startsWith('Active Internet connections ')) {
    const rest = t.slice(28).trim();
    return LINUX_TITLE_SUFFIXES.includes(rest);
  }
  // net-tools po/de.po: "Aktive Internetverbindungen (Server und stehende Verbindungen)" and its siblings.
  return t.startsWith('Aktive Internetverbindungen');
}

/** The column header: Proto Recv-Q Send-Q, then the address columns; `(state)` would be BSD's. */
function headerColumns(w: Words): Columns | undefined {
  if (w.count < 5 || !w.is(0, 'Proto') || !w.is(1, 'Recv-Q') || !w.is(2, 'Send-Q')) return undefined;
  const line = w.line;
  if (line.includes('(state)') || line.includes('Address:Port') || !line.includes(' State')) return undefined;
  return {
    user: line.includes(' User '),
    program: line.includes('PID/'),
    timer: line.includes(' Timer'),
  };
}

interface Columns {
  readonly user: boolean;
  readonly program: boolean;
  readonly timer: boolean;
}

/** Lines net-tools prints around -p when it cannot see every process. */
function isProgramNote(t: string): boolean {
  return (
    t.startsWith('(Not all processes could be identified') ||
    t.startsWith('will not be shown, you would have to be root') ||
    t.startsWith('(No info could be read for')
  );
}

function isStateWord(t: string): boolean {
  return canonicalState(t) !== undefined || KNOWN_NON_RFC_STATES.has(t.toUpperCase());
}

function isProgramStart(t: string): boolean {
  if (t === '-') return true;
  const slash = t.indexOf('/');
  return slash > 0 && isDigits(t.slice(0, slash));
}

/** What a row set about the block's variant. */
interface RowFlags {
  user: boolean;
  program: boolean;
  timer: boolean;
  busybox: boolean;
}

/**
 * Reads one row. Pure: `out` receives the tokens when given (the lazy token pass), `flags` what the row tells about
 * the variant. `cols` is the header the row was printed under, if one was seen.
 */
function readRow(
  index: number,
  w: Words,
  cols: Columns | undefined,
  endpoints: EndpointCache,
  how: NetstatLinuxBlock,
  out: Token[] | undefined,
  flags: RowFlags,
): Row | LineVerdict {
  const line = w.line;
  const st = w.start;
  const en = w.end;
  const proto = wordIn(line, st[0]!, en[0]!, PROTO_LIST);
  if (!proto) return w.text(0) === 'unix' ? 'other' : looksLikeRow(w) ? 'unparsed' : 'other';
  if (w.count < 5) return 'unparsed';
  const recvQ = intAt(line, st[1]!, en[1]!);
  const sendQ = intAt(line, st[2]!, en[2]!);
  const local = endpoints.get(line, st[3]!, en[3]!);
  const remote = endpoints.get(line, st[4]!, en[4]!);
  if (recvQ < 0 || sendQ < 0 || !local || !remote) return 'unparsed';
  if (out) {
    out.push(token('proto', index, st[0]!, en[0]!));
    out.push(token('recvQ', index, st[1]!, en[1]!));
    out.push(token('sendQ', index, st[2]!, en[2]!));
    out.push(token('localAddress', index, st[3]!, en[3]!));
    out.push(token('remoteAddress', index, st[4]!, en[4]!));
  }
  let i = 5;
  let stateText = '';
  const n = w.count;
  if (i < n) {
    // TCP and raw always print a state (raw as a number); for UDP the column is blank unless connected.
    const known = wordIn(line, st[i]!, en[i]!, NET_TOOLS_STATES);
    let take = known !== undefined;
    if (!take) {
      const t = w.text(i);
      const always = proto.startsWith('tcp') || proto.startsWith('raw');
      take = always ? !isProgramStart(t) || isStateWord(t) : isStateWord(t);
    }
    if (take) {
      stateText = known ?? w.text(i);
      if (out) out.push(token('state', index, st[i]!, en[i]!));
      i++;
    }
  }
  if (stateText === '' && proto.startsWith('tcp')) return 'unparsed';

  let end = n; // words [i, end) are what is left for User/Inode/Program
  let timer;
  if (end - i >= 2 && line.charCodeAt(st[end - 1]!) === 40 /* ( */ && isNetToolsTimerKind(w.text(end - 2))) {
    timer = netToolsTimer(w.text(end - 2), w.text(end - 1), w.span(end - 2, end - 1));
    if (!timer) return 'unparsed';
    if (out) out.push(token('timer', index, st[end - 2]!, en[end - 1]!));
    end -= 2;
    flags.timer = true;
  }
  let info: Record<string, string> | undefined;
  // User and Inode (-e): a user name or uid, then the inode number.
  if (end - i >= 2 && (cols ? cols.user : !isProgramStart(w.text(i))) && intAt(line, st[i + 1]!, en[i + 1]!) >= 0) {
    info = { user: w.text(i), inode: w.text(i + 1) };
    if (out) {
      out.push(token('user', index, st[i]!, en[i]!));
      out.push(token('inode', index, st[i + 1]!, en[i + 1]!));
    }
    i += 2;
    flags.user = true;
  }
  let process: { name: string; pid?: number } | undefined;
  if (i < end) {
    // net-tools fits `pid/name` in PROGNAME_WIDTH (20) columns; the name may hold blanks, but not a line's worth.
    if (en[end - 1]! - st[i]! > MAX_PROGRAM_SPAN) return 'unparsed';
    const first = w.text(i);
    if (!isProgramStart(first)) return 'unparsed';
    if (out) out.push(token('process', index, st[i]!, en[end - 1]!));
    if (first !== '-') {
      const text = w.span(i, end - 1);
      const slash = text.indexOf('/');
      process = { name: text.slice(slash + 1), pid: Number(text.slice(0, slash)) };
    }
    flags.program = true;
  }
  // BusyBox prints `tcp`/`udp` for IPv6 sockets too; net-tools would say tcp6/udp6.
  if ((proto === 'tcp' || proto === 'udp') && local.address.includes(':') && !local.address.startsWith('::ffff:')) {
    flags.busybox = true;
  }
  const owned = process !== undefined || timer !== undefined || info !== undefined;
  const kind = how.places.kind(cols, proto, stateText, recvQ, sendQ);
  const row = new (owned ? OwnedRow : Row)(kind, line, index, local, remote);
  if (process) row.process = process;
  if (timer) row.timer = timer;
  if (info) row.info = info;
  return row;
}

class NetstatLinuxBlock implements BlockReader, RowTokenizer {
  private readonly words = new Words();
  private columns: Columns | undefined;
  private ended = false;
  private readonly endpoints = new EndpointCache(colonEndpoint);
  private readonly seen: RowFlags = { user: false, program: false, timer: false, busybox: false };
  readonly places: RowPlaces;

  constructor(
    block: number,
    private readonly sink: RecordSink,
  ) {
    this.places = new RowPlaces(this, block, sink.lines);
  }

  feed(line: string, index: number): LineVerdict {
    if (this.ended) return 'other';
    const w = this.words.split(line);
    if (w.count === 0) return 'other';
    // Rows start with their protocol (tcp, udp, raw); only other lines can be titles, notes or headers.
    const c0 = line.charCodeAt(w.start[0]!);
    if (c0 !== 116 /* t */ && c0 !== 117 /* u */ && c0 !== 114 /* r */) {
      const trimmed = line.slice(w.start[0]);
      if (isLinuxTitle(trimmed) || isProgramNote(trimmed)) return 'header';
      if (isOtherSectionTitle(trimmed)) {
        this.ended = true;
        return 'other';
      }
      const columns = headerColumns(w);
      if (columns) {
        this.columns = columns;
        if (columns.user) this.seen.user = true;
        if (columns.program) this.seen.program = true;
        if (columns.timer) this.seen.timer = true;
        // BusyBox prints `State       ` (12 wide) and nothing after it without -p; net-tools pads State to 11.
        if (!columns.program && !columns.user && line.endsWith('State       ')) this.seen.busybox = true;
        return 'header';
      }
    }
    const row = readRow(index, w, this.columns, this.endpoints, this, undefined, this.seen);
    if (typeof row === 'string') return row;
    this.sink.sockets.push(row);
    return 'record';
  }

  tokens(row: Row, ctx: unknown, first: string): Token[] {
    const out: Token[] = [];
    const scratch: RowFlags = { user: false, program: false, timer: false, busybox: false };
    readRow(row.line, new Words().split(first), ctx as Columns | undefined, this.endpoints, this, out, scratch);
    return out;
  }

  finish(): string {
    this.endpoints.release();
    const base = this.seen.busybox ? 'busybox netstat' : 'netstat';
    const flags: string[] = [];
    if (this.seen.user) flags.push('-e');
    if (this.seen.program) flags.push('-p');
    if (this.seen.timer) flags.push('-o');
    return flags.length ? `${base} ${flags.join(' ')}` : base;
  }
}

/** A line that starts like a row (a protocol word and two numbers) but did not read as one. */
function looksLikeRow(w: Words): boolean {
  return w.count >= 3 && PROTOS.has(w.text(0).toLowerCase()) && isDigits(w.text(1));
}

function startScore(line: string): 0 | 1 | 2 {
  const w = new Words().split(line);
  if (w.count === 0) return 0;
  const trimmed = line.slice(w.start[0]);
  if (isLinuxTitle(trimmed)) return 2;
  if (headerColumns(w)) return 2;
  if (w.count < 5 || !PROTOS.has(w.text(0))) return 0;
  if (!isDigits(w.text(1)) || !isDigits(w.text(2))) return 0;
  return looksColonEndpoint(w.text(3)) && looksColonEndpoint(w.text(4)) ? 1 : 0;
}

export const netstatLinuxReader: FormatReader = {
  format: 'netstat-linux',
  startScore,
  begin: (blockIndex, sink) => new NetstatLinuxBlock(blockIndex, sink),
};
