/**
 * macOS / FreeBSD `netstat` Internet socket tables:
 *   [Socket Flowhash | Tcpcb] Proto Recv-Q Send-Q  Local Address          Foreign Address        (state)  [extras]
 * The port is joined to the host with a dot (`192.168.1.221.5442`, `*.*`), names and IPv6 addresses are cut to the
 * column width. -A puts the pcb address (and on macOS the flow hash) first; -T replaces the queues with Rexmit/OOORcv/
 * 0-win (blank for UDP) and drops the state; -b adds rxbytes/txbytes, -x buffer and timer columns, -v on macOS
 * rhiwat/shiwat/pid/epid/state/options, -P on FreeBSD a Log ID. UDP rows leave (state) blank. The next "Active ..."
 * section (UNIX domain, multipath, kernel sockets) ends the block.
 */
import type { Token } from '../model';
import type { BlockReader, FormatReader, LineVerdict, RecordSink } from './reader';
import {
  dotEndpoint,
  isDigits,
  isHex,
  isOtherSectionTitle,
  looksDotEndpoint,
  EndpointCache,
  intAt,
  wordIn,
  OwnedRow,
  Row,
  RowPlaces,
  token,
  Words,
  type RowTokenizer,
} from './socketCommon';

const PROTO_STEMS = ['tcp', 'udp', 'icm', 'raw', 'sctp', 'div', 'ip'];

/** The protocol and state words of nearly every row, shared between rows instead of one copy each. */
const COMMON_PROTOS: readonly string[] = ['tcp4', 'tcp6', 'tcp46', 'udp4', 'udp6', 'udp46', 'icm4', 'icm6'];
const BSD_STATES: readonly string[] = [
  'ESTABLISHED',
  'LISTEN',
  'TIME_WAIT',
  'CLOSE_WAIT',
  'SYN_SENT',
  'SYN_RCVD',
  'FIN_WAIT_1',
  'FIN_WAIT_2',
  'LAST_ACK',
  'CLOSING',
  'CLOSED',
];

/** tcp4, tcp6, tcp46, udp4, udp46, icm4, ... (the stem, then only digits). */
function isBsdProto(t: string): boolean {
  for (const stem of PROTO_STEMS) {
    if (t.startsWith(stem)) {
      const rest = t.slice(stem.length);
      return rest === '' || isDigits(rest);
    }
  }
  return false;
}

function isBsdTitle(t: string): boolean {
  if (!t.startsWith('Active Internet connections')) return false;
  const rest = t.slice(27).trim();
  return rest === '' || rest === '(including servers)';
}

interface Header {
  /** Names of the columns before Proto (Tcpcb; Socket Flowhash). */
  readonly lead: readonly string[];
  /** Names of the numeric columns between Proto and Local Address. */
  readonly counters: readonly string[];
  readonly hasState: boolean;
  /** Names of the columns after the addresses and (state). */
  readonly extras: readonly string[];
}

function readHeader(w: Words): Header | undefined {
  let proto = -1;
  for (let i = 0; i < w.count && i < 3; i++) {
    if (w.is(i, 'Proto')) {
      proto = i;
      break;
    }
  }
  if (proto < 0) return undefined;
  let local = -1;
  for (let i = proto + 1; i + 3 < w.count; i++) {
    if (w.is(i, 'Local') && w.is(i + 1, 'Address') && w.is(i + 2, 'Foreign') && w.is(i + 3, 'Address')) {
      local = i;
      break;
    }
  }
  if (local < 0) return undefined;
  const lead: string[] = [];
  for (let i = 0; i < proto; i++) lead.push(w.text(i));
  const counters: string[] = [];
  for (let i = proto + 1; i < local; i++) counters.push(w.text(i));
  let i = local + 4;
  let hasState = false;
  if (i < w.count && w.is(i, '(state)')) {
    hasState = true;
    i++;
  }
  const extras: string[] = [];
  for (; i < w.count; i++) {
    const name = w.text(i);
    if (name === 'State') return undefined; // Linux net-tools prints `State`, BSD `(state)`
    if (name === 'Log' && i + 1 < w.count && w.is(i + 1, 'ID')) {
      extras.push('Log ID');
      i++;
    } else extras.push(name);
  }
  if (!hasState && counters.length === 2 && extras.length === 0) return undefined;
  return { lead, counters, hasState, extras };
}

/** An uppercase state word: LISTEN, ESTABLISHED, CLOSE_WAIT, FIN_WAIT_1, Solaris BOUND/IDLE. */
function isStateWord(t: string): boolean {
  const c0 = t.charCodeAt(0);
  if (c0 < 65 || c0 > 90) return false;
  for (let i = 1; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95)) return false;
  }
  return true;
}

class NetstatBsdBlock implements BlockReader, RowTokenizer {
  private readonly words = new Words();
  private header: Header | undefined;
  private ended = false;
  private os: 'macos' | 'freebsd' | '' = '';
  private readonly flags = new Set<string>();
  private readonly endpoints = new EndpointCache(dotEndpoint, '.');
  private readonly places: RowPlaces;

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
    const trimmed = line.slice(w.start[0]);
    if (trimmed.startsWith('Active Internet connections')) {
      if (trimmed.includes('(including servers)')) this.os ||= 'freebsd';
      return 'header';
    }
    if (isOtherSectionTitle(trimmed)) {
      this.ended = true;
      return 'other';
    }
    const header = readHeader(w);
    if (header) {
      this.header = header;
      this.noteHeader(header);
      return 'header';
    }
    const row = this.parse(index, w, this.header, undefined);
    if (typeof row === 'string') return row;
    this.sink.sockets.push(row);
    return 'record';
  }

  tokens(row: Row, ctx: unknown, first: string): Token[] {
    const out: Token[] = [];
    this.parse(row.line, new Words().split(first), ctx as Header | undefined, out);
    return out;
  }

  private noteHeader(h: Header): void {
    if (h.lead.length) this.flags.add('-A');
    if (h.lead.includes('Flowhash') || h.extras.includes('rhiwat') || h.extras.includes('rxbytes')) this.os = 'macos';
    if (h.lead.includes('Tcpcb') || h.extras.includes('Log ID') || h.extras.includes('R-MBUF')) this.os = 'freebsd';
    if (h.counters.includes('Rexmit')) this.flags.add('-T');
    if (h.extras.includes('rxbytes')) this.flags.add('-b');
    if (h.extras.includes('R-MBUF')) this.flags.add('-x');
    if (h.extras.includes('rhiwat')) this.flags.add('-v');
    if (h.extras.includes('Log ID')) this.flags.add('-P');
  }

  /** Reads one row under header `h`; tokens go to `out` when given (the lazy token pass). No side effects. */
  private parse(index: number, w: Words, h: Header | undefined, out: Token[] | undefined): Row | LineVerdict {
    // The protocol word: after the header's lead columns, or after up to two hex words.
    let p = -1;
    if (h) {
      if (h.lead.length < w.count && isBsdProto(w.text(h.lead.length))) p = h.lead.length;
    } else {
      for (let i = 0; i < 3 && i < w.count; i++) {
        const t = w.text(i);
        if (isBsdProto(t)) {
          p = i;
          break;
        }
        if (!isHex(t)) break;
      }
    }
    if (p < 0) return looksLikeRow(w) ? 'unparsed' : 'other';
    for (let i = 0; i < p; i++) if (!isHex(w.text(i))) return 'unparsed';
    const proto = wordIn(w.line, w.start[p]!, w.end[p]!, COMMON_PROTOS) ?? w.text(p);
    // Counters: the numeric words before the local address (2 queues, 3 for -T, none for UDP under -T).
    let a = p + 1;
    while (a < w.count && a - p - 1 < 3 && intAt(w.line, w.start[a]!, w.end[a]!) >= 0) a++;
    const counters = a - p - 1;
    if (a + 1 >= w.count) return 'unparsed';
    const expected = h ? h.counters.length : 2;
    if (counters !== expected && counters !== 0) return 'unparsed';
    if (counters === 0 && !proto.startsWith('udp') && expected !== 0) return 'unparsed';
    const local = this.endpoints.get(w.line, w.start[a]!, w.end[a]!);
    const remote = this.endpoints.get(w.line, w.start[a + 1]!, w.end[a + 1]!);
    if (!local || !remote) return 'unparsed';

    let info: Record<string, string> | undefined;
    const put = (name: string, i: number): void => {
      (info ??= {})[name] = w.text(i);
      if (out) out.push(token('ssInfo', index, w.start[i]!, w.end[i]!, name));
    };
    for (let i = 0; i < p; i++) put(h?.lead[i] ?? (p === 2 && i === 1 ? 'Flowhash' : 'Socket'), i);
    if (out) out.push(token('proto', index, w.start[p]!, w.end[p]!));
    let recvQ: number | undefined;
    let sendQ: number | undefined;
    const counterNames = h?.counters ?? ['Recv-Q', 'Send-Q'];
    if (counters === 2 && counterNames[0] === 'Recv-Q') {
      recvQ = intAt(w.line, w.start[p + 1]!, w.end[p + 1]!);
      sendQ = intAt(w.line, w.start[p + 2]!, w.end[p + 2]!);
      if (out) {
        out.push(token('recvQ', index, w.start[p + 1]!, w.end[p + 1]!));
        out.push(token('sendQ', index, w.start[p + 2]!, w.end[p + 2]!));
      }
    } else {
      for (let i = 0; i < counters; i++) put(counterNames[i] ?? `counter${i + 1}`, p + 1 + i);
    }
    if (out) {
      out.push(token('localAddress', index, w.start[a]!, w.end[a]!));
      out.push(token('remoteAddress', index, w.start[a + 1]!, w.end[a + 1]!));
    }
    let i = a + 2;
    let stateText = '';
    const known = i < w.count ? wordIn(w.line, w.start[i]!, w.end[i]!, BSD_STATES) : undefined;
    if (i < w.count && (h ? h.hasState : true) && (known !== undefined || isStateWord(w.text(i)))) {
      stateText = known ?? w.text(i);
      if (out) out.push(token('state', index, w.start[i]!, w.end[i]!));
      i++;
    }
    if (stateText === '' && proto.startsWith('tcp') && (h ? h.hasState : true)) return 'unparsed';
    const extraNames = h?.extras ?? [];
    if (w.count - i > extraNames.length && h) return 'unparsed';
    let process: { name: string; pid?: number } | undefined;
    for (let k = 0; i < w.count; i++, k++) {
      const name = extraNames[k] ?? `extra${k + 1}`;
      if (name === 'pid' && isDigits(w.text(i))) {
        process = { name: '', pid: Number(w.text(i)) };
        (info ??= {})[name] = w.text(i);
        if (out) out.push(token('process', index, w.start[i]!, w.end[i]!));
      } else put(name, i);
    }
    const kind = this.places.kind(h, proto, stateText, recvQ, sendQ);
    const row = new (process !== undefined || info !== undefined ? OwnedRow : Row)(kind, w.line, index, local, remote);
    if (process) row.process = process;
    if (info) row.info = info;
    return row;
  }

  finish(): string {
    this.endpoints.release();
    const flags = ['-A', '-T', '-b', '-x', '-v', '-P'].filter((f) => this.flags.has(f));
    const base = this.os ? `${this.os} netstat` : 'bsd netstat';
    return flags.length ? `${base} ${flags.join(' ')}` : base;
  }
}

/** A protocol word with two numbers after it: a BSD row that did not read. */
function looksLikeRow(w: Words): boolean {
  for (let i = 0; i < 3 && i < w.count; i++) {
    if (isBsdProto(w.text(i))) return i + 1 < w.count && isDigits(w.text(i + 1));
    if (!isHex(w.text(i))) return false;
  }
  return false;
}

function startScore(line: string): 0 | 1 | 2 {
  const w = new Words().split(line);
  if (w.count === 0) return 0;
  const trimmed = line.slice(w.start[0]);
  if (isBsdTitle(trimmed)) return 2;
  if (readHeader(w)) return 2;
  for (let i = 0; i < 3 && i < w.count; i++) {
    const t = w.text(i);
    if (isBsdProto(t)) {
      // proto, numbers, then two dot-style endpoints.
      let a = i + 1;
      while (a < w.count && a - i - 1 < 3 && isDigits(w.text(a))) a++;
      if (a === i + 1 && !t.startsWith('udp')) return 0;
      return a + 1 < w.count && looksDotEndpoint(w.text(a)) && looksDotEndpoint(w.text(a + 1)) ? 1 : 0;
    }
    if (!isHex(t) || t.length < 6) return 0;
  }
  return 0;
}

export const netstatBsdReader: FormatReader = {
  format: 'netstat-bsd',
  startScore,
  begin: (blockIndex, sink) => new NetstatBsdBlock(blockIndex, sink),
};
