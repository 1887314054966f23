/**
 * Windows `netstat -an` / `-ano` / `-anob`:
 *
 *   Active Connections
 *
 *     Proto  Local Address          Foreign Address        State           PID
 *     TCP    0.0.0.0:135            0.0.0.0:0              LISTENING       1712
 *     UDP    [::1]:5353             *:*                                    8844
 *
 * Lines arrive without their CR. UDP rows have no state. With -b each row is followed by owner lines: an optional
 * service name (`  RpcSs`), the executable in brackets (` [svchost.exe]`) or ` Can not obtain ownership information`;
 * they belong to the row above. Localized Windows translates the title and the column names (zh-CN: 活动连接,
 * 协议  本地地址  外部地址  状态  PID); the rows keep TCP/UDP and, in the samples we have, the English state names.
 * A state word we do not know is kept as printed with no canonical state.
 */
import type { Token } from '../model';
import type { BlockReader, FormatReader, LineVerdict, RecordSink } from './reader';
import {
  colonEndpoint,
  EndpointCache,
  intAt,
  looksColonEndpoint,
  OwnedRow,
  Row,
  RowPlaces,
  token,
  wordIn,
  Words,
  type RowTokenizer,
} from './socketCommon';

/** Titles Windows prints above the table, by language. */
const TITLES: ReadonlyMap<string, string> = new Map([
  ['Active Connections', 'en'],
  ['活动连接', 'zh-cn'],
]);

/** First word of the column header, by language. */
const HEADER_FIRST: ReadonlyMap<string, string> = new Map([
  ['Proto', 'en'],
  ['协议', 'zh-cn'],
]);

/** "Can not obtain ownership information" as -b prints it, by language. */
const NO_OWNER: readonly string[] = ['Can not obtain ownership information', '无法获取所有权信息'];

function isProto(t: string): boolean {
  return t === 'TCP' || t === 'UDP';
}

function isProtoAt(w: Words, i: number): boolean {
  return w.is(i, 'TCP') || w.is(i, 'UDP');
}

/** The state words Windows prints (shared between rows instead of one copy per row). */
const WINDOWS_STATES: readonly string[] = [
  'LISTENING',
  'ESTABLISHED',
  'TIME_WAIT',
  'CLOSE_WAIT',
  'SYN_SENT',
  'SYN_RECEIVED',
  'FIN_WAIT_1',
  'FIN_WAIT_2',
  'LAST_ACK',
  'CLOSING',
  'CLOSED',
  'DELETE_TCB',
  'BOUND',
];

function headerLanguage(w: Words): string | undefined {
  if (w.count < 4) return undefined;
  const lang = HEADER_FIRST.get(w.text(0));
  if (!lang) return undefined;
  const line = w.line;
  // Linux/BSD headers also start with Proto but carry Recv-Q; the Windows one never does.
  if (line.includes('Recv-Q')) return undefined;
  if (lang === 'en' && !(line.includes('Local Address') && line.includes('Foreign Address'))) return undefined;
  return lang;
}

/** A service name line of -b: one word of letters, digits, `_ - .`. */
function isServiceWord(t: string): boolean {
  if (t.length === 0 || t.length > 64) return false;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    const ok = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45 || c === 46;
    if (!ok) return false;
  }
  return true;
}

/** What an -b owner line says: the owner kind and value, or undefined when it is not one. */
function ownerLine(w: Words): { kind: 'owner' | 'service'; value: string; exe: boolean } | undefined {
  const trimmed = w.span(0, w.count - 1);
  if (trimmed.charCodeAt(0) === 91 /* [ */ && trimmed.charCodeAt(trimmed.length - 1) === 93 /* ] */ && trimmed.length > 2) {
    return { kind: 'owner', value: trimmed.slice(1, -1), exe: true };
  }
  if (NO_OWNER.includes(trimmed)) return { kind: 'owner', value: trimmed, exe: false };
  if (w.count === 1 && isServiceWord(trimmed)) return { kind: 'service', value: trimmed, exe: false };
  return undefined;
}

class NetstatWindowsBlock implements BlockReader, RowTokenizer {
  private readonly words = new Words();
  private readonly endpoints = new EndpointCache(colonEndpoint);
  private last: Row | undefined;
  private lang = '';
  private pidSeen = false;
  private ownerSeen = false;
  private readonly places: RowPlaces;

  constructor(
    block: number,
    private readonly sink: RecordSink,
  ) {
    this.places = new RowPlaces(this, block, sink.lines);
  }

  feed(line: string, index: number): LineVerdict {
    const w = this.words.split(line);
    if (w.count === 0) return 'other';
    const c0 = line.charCodeAt(w.start[0]!);
    if (c0 !== 84 /* T */ && c0 !== 85 /* U */) {
      const trimmed = w.span(0, w.count - 1);
      const titleLang = TITLES.get(trimmed);
      if (titleLang) {
        this.lang ||= titleLang;
        this.last = undefined;
        return 'header';
      }
      const headerLang = headerLanguage(w);
      if (headerLang) {
        this.lang ||= headerLang;
        if (line.includes('PID')) this.pidSeen = true;
        this.last = undefined;
        return 'header';
      }
    }
    if (isProtoAt(w, 0)) {
      const row = this.parse(index, w, undefined);
      if (typeof row === 'string') {
        this.last = undefined;
        return row;
      }
      if (row.process) this.pidSeen = true;
      this.sink.sockets.push(row);
      this.last = row;
      return 'record';
    }
    if (this.last && w.start[0]! > 0) return this.owner(line, index, w);
    return 'other';
  }

  /** An -b line under a row: service name, [executable], or "cannot obtain ownership". */
  private owner(line: string, index: number, w: Words): LineVerdict {
    const row = this.last!;
    const o = ownerLine(w);
    if (!o) {
      this.last = undefined;
      return 'unparsed';
    }
    if (o.exe) row.process = row.process?.pid !== undefined ? { name: o.value, pid: row.process.pid } : { name: o.value };
    (row.info ??= {})[o.kind] = o.value;
    row.addLine(line, index);
    this.ownerSeen = true;
    return 'continuation';
  }

  /** Reads one row; tokens go to `out` when given (the lazy token pass). No side effects. */
  private parse(index: number, w: Words, out: Token[] | undefined): Row | LineVerdict {
    if (w.count < 3 || w.count > 5) return 'unparsed';
    const line = w.line;
    const local = this.endpoints.get(line, w.start[1]!, w.end[1]!);
    const remote = this.endpoints.get(line, w.start[2]!, w.end[2]!);
    if (!local || !remote) return 'unparsed';
    const proto = line.charCodeAt(w.start[0]!) === 84 /* T */ ? 'tcp' : 'udp';
    if (out) {
      out.push(token('proto', index, w.start[0]!, w.end[0]!));
      out.push(token('localAddress', index, w.start[1]!, w.end[1]!));
      out.push(token('remoteAddress', index, w.start[2]!, w.end[2]!));
    }
    let i = 3;
    let stateText = '';
    if (i < w.count && intAt(line, w.start[i]!, w.end[i]!) < 0) {
      stateText = wordIn(line, w.start[i]!, w.end[i]!, WINDOWS_STATES) ?? w.text(i);
      if (out) out.push(token('state', index, w.start[i]!, w.end[i]!));
      i++;
    }
    if (proto === 'tcp' && stateText === '') return 'unparsed';
    let pid = -1;
    if (i < w.count) {
      pid = w.end[i]! - w.start[i]! <= 10 ? intAt(line, w.start[i]!, w.end[i]!) : -1;
      if (pid < 0) return 'unparsed';
      if (out) out.push(token('process', index, w.start[i]!, w.end[i]!));
      i++;
    }
    if (i !== w.count) return 'unparsed';
    const kind = this.places.kind(undefined, proto, stateText, undefined, undefined);
    const row = new (pid >= 0 ? OwnedRow : Row)(kind, line, index, local, remote);
    // Windows prints the PID only; the name comes from a -b owner line when there is one.
    if (pid >= 0) row.process = { name: '', pid };
    return row;
  }

  tokens(row: Row, _ctx: unknown, first: string, more: readonly string[] | undefined, moreLines: readonly number[] | undefined): Token[] {
    const out: Token[] = [];
    this.parse(row.line, new Words().split(first), out);
    if (more) {
      const w = new Words();
      for (let k = 0; k < more.length; k++) {
        w.split(more[k]!);
        const o = ownerLine(w);
        if (o) out.push(token('process', moreLines![k]!, w.start[0]!, w.end[w.count - 1]!, o.kind));
      }
    }
    return out;
  }

  finish(): string {
    this.endpoints.release();
    const parts = ['windows netstat'];
    if (this.pidSeen) parts.push('-o');
    if (this.ownerSeen) parts.push('-b');
    if (this.lang && this.lang !== 'en') parts.push(`(${this.lang})`);
    return parts.join(' ');
  }
}

function startScore(line: string): 0 | 1 | 2 {
  const w = new Words().split(line);
  if (w.count === 0) return 0;
  if (TITLES.has(line.slice(w.start[0], w.end[w.count - 1]))) return 2;
  if (headerLanguage(w)) return 2;
  if (w.count < 3 || w.count > 5 || !isProto(w.text(0))) return 0;
  const a = w.text(1);
  const b = w.text(2);
  return (looksColonEndpoint(a) || a.charCodeAt(0) === 91) && (looksColonEndpoint(b) || b.charCodeAt(0) === 91) ? 1 : 0;
}

export const netstatWindowsReader: FormatReader = {
  format: 'netstat-windows',
  startScore,
  begin: (blockIndex, sink) => new NetstatWindowsBlock(blockIndex, sink),
};
