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
  isDigits,
  isNetToolsTimerKind,
  isOtherSectionTitle,
  looksColonEndpoint,
  netToolsTimer,
  rowState,
  toInt,
  token,
  Words,
  type RowDraft,
} from './socketCommon';

/** Protocol words net-tools prints (tcp_do_one, udp_do_one with udpl for UDP-Lite, raw_do_one). */
const PROTOS: ReadonlySet<string> = new Set(['tcp', 'tcp6', 'udp', 'udp6', 'udpl', 'udpl6', 'raw', 'raw6']);

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

class NetstatLinuxBlock implements BlockReader {
  private readonly words = new Words();
  private columns: Columns | undefined;
  private ended = false;
  private busybox = false;
  private readonly flags = new Set<string>();

  constructor(
    private readonly block: number,
    private readonly sink: RecordSink,
  ) {}

  feed(line: string, index: number): LineVerdict {
    if (this.ended) return 'other';
    const w = this.words.split(line);
    if (w.count === 0) return 'other';
    const trimmed = line.slice(w.start[0]);
    if (isLinuxTitle(trimmed) || isProgramNote(trimmed)) return 'header';
    if (isOtherSectionTitle(trimmed)) {
      this.ended = true;
      return 'other';
    }
    const columns = headerColumns(w);
    if (columns) {
      this.columns = columns;
      if (columns.user) this.flags.add('-e');
      if (columns.program) this.flags.add('-p');
      if (columns.timer) this.flags.add('-o');
      // BusyBox prints `State       ` (12 wide) and nothing after it without -p; net-tools pads State to 11.
      if (!columns.program && !columns.user && line.endsWith('State       ')) this.busybox = true;
      return 'header';
    }
    return this.row(index, w);
  }

  private row(index: number, w: Words): LineVerdict {
    const proto = w.text(0);
    if (!PROTOS.has(proto)) return proto === 'unix' ? 'other' : looksLikeRow(w) ? 'unparsed' : 'other';
    if (w.count < 5) return 'unparsed';
    const recvQ = toInt(w.text(1));
    const sendQ = toInt(w.text(2));
    const local = colonEndpoint(w.text(3));
    const remote = colonEndpoint(w.text(4));
    if (recvQ === undefined || sendQ === undefined || !local || !remote) return 'unparsed';
    const tokens: Token[] = [
      token('proto', index, w.start[0]!, w.end[0]!),
      token('recvQ', index, w.start[1]!, w.end[1]!),
      token('sendQ', index, w.start[2]!, w.end[2]!),
      token('localAddress', index, w.start[3]!, w.end[3]!),
      token('remoteAddress', index, w.start[4]!, w.end[4]!),
    ];
    let i = 5;
    let stateText = '';
    const n = w.count;
    if (i < n) {
      const t = w.text(i);
      // TCP and raw always print a state (raw as a number); for UDP the column is blank unless connected.
      const always = proto.startsWith('tcp') || proto.startsWith('raw');
      if (always ? !isProgramStart(t) || isStateWord(t) : isStateWord(t)) {
        stateText = t;
        tokens.push(token('state', index, w.start[i]!, w.end[i]!));
        i++;
      }
    }
    if (stateText === '' && proto.startsWith('tcp')) return 'unparsed';

    let end = n; // words [i, end) are what is left for User/Inode/Program
    let timer;
    if (end - i >= 2 && isNetToolsTimerKind(w.text(end - 2)) && w.text(end - 1).startsWith('(')) {
      timer = netToolsTimer(w.text(end - 2), w.text(end - 1), w.span(end - 2, end - 1));
      if (!timer) return 'unparsed';
      tokens.push(token('timer', index, w.start[end - 2]!, w.end[end - 1]!));
      end -= 2;
      this.flags.add('-o');
    }
    let info: Record<string, string> | undefined;
    const cols = this.columns;
    // User and Inode (-e): a user name or uid, then the inode number.
    if (end - i >= 2 && (cols ? cols.user : !isProgramStart(w.text(i))) && isDigits(w.text(i + 1))) {
      info = { user: w.text(i), inode: w.text(i + 1) };
      tokens.push(token('user', index, w.start[i]!, w.end[i]!));
      tokens.push(token('inode', index, w.start[i + 1]!, w.end[i + 1]!));
      i += 2;
      this.flags.add('-e');
    }
    let process: { name: string; pid?: number } | undefined;
    if (i < end) {
      const first = w.text(i);
      // net-tools fits `pid/name` in PROGNAME_WIDTH (20) columns; the name may hold blanks, but not a line's worth.
      if (!isProgramStart(first) || w.end[end - 1]! - w.start[i]! > MAX_PROGRAM_SPAN) return 'unparsed';
      tokens.push(token('process', index, w.start[i]!, w.end[end - 1]!));
      if (first !== '-') {
        const text = w.span(i, end - 1);
        const slash = text.indexOf('/');
        process = { name: text.slice(slash + 1), pid: Number(text.slice(0, slash)) };
      }
      this.flags.add('-p');
    }
    if (proto === 'tcp' || proto === 'udp') {
      // BusyBox prints `tcp`/`udp` for IPv6 sockets too; net-tools would say tcp6/udp6.
      if (local.address.includes(':') && !local.address.startsWith('::ffff:')) this.busybox = true;
    }
    const row: RowDraft = {
      block: this.block,
      line: index,
      lastLine: index,
      proto,
      local,
      remote,
      stateText,
      recvQ,
      sendQ,
      tokens,
    };
    const state = rowState(proto, stateText);
    if (state) row.state = state;
    if (process) row.process = process;
    if (timer) row.timer = timer;
    if (info) row.info = info;
    this.sink.sockets.push(row);
    return 'record';
  }

  finish(): string {
    const base = this.busybox ? 'busybox netstat' : 'netstat';
    const flags = ['-e', '-p', '-o'].filter((f) => this.flags.has(f));
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
