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
import { colonEndpoint, isDigits, looksColonEndpoint, rowState, token, Words, type RowDraft } from './socketCommon';

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

class NetstatWindowsBlock implements BlockReader {
  private readonly words = new Words();
  private last: RowDraft | undefined;
  private lang = '';
  private readonly flags = new Set<string>();

  constructor(
    private readonly block: number,
    private readonly sink: RecordSink,
  ) {}

  feed(line: string, index: number): LineVerdict {
    const w = this.words.split(line);
    if (w.count === 0) return 'other';
    const trimmed = line.slice(w.start[0], w.end[w.count - 1]);
    const titleLang = TITLES.get(trimmed);
    if (titleLang) {
      this.lang ||= titleLang;
      this.last = undefined;
      return 'header';
    }
    const headerLang = headerLanguage(w);
    if (headerLang) {
      this.lang ||= headerLang;
      if (line.includes('PID')) this.flags.add('-o');
      this.last = undefined;
      return 'header';
    }
    if (isProto(w.text(0))) {
      const verdict = this.row(index, w);
      this.last = verdict === 'record' ? this.last : undefined;
      return verdict;
    }
    if (this.last && w.start[0]! > 0) return this.owner(index, w, trimmed);
    return 'other';
  }

  /** An -b line under a row: service name, [executable], or "cannot obtain ownership". */
  private owner(index: number, w: Words, trimmed: string): LineVerdict {
    const row = this.last!;
    const start = w.start[0]!;
    const end = w.end[w.count - 1]!;
    if (trimmed.charCodeAt(0) === 91 /* [ */ && trimmed.charCodeAt(trimmed.length - 1) === 93 /* ] */ && trimmed.length > 2) {
      const name = trimmed.slice(1, -1);
      row.process = row.process?.pid !== undefined ? { name, pid: row.process.pid } : { name };
      (row.info ??= {}).owner = name;
      row.tokens.push(token('process', index, start, end, 'owner'));
    } else if (NO_OWNER.includes(trimmed)) {
      (row.info ??= {}).owner = trimmed;
      row.tokens.push(token('process', index, start, end, 'owner'));
    } else if (w.count === 1 && isServiceWord(trimmed)) {
      (row.info ??= {}).service = trimmed;
      row.tokens.push(token('process', index, start, end, 'service'));
    } else {
      this.last = undefined;
      return 'unparsed';
    }
    row.lastLine = index;
    this.flags.add('-b');
    return 'continuation';
  }

  private row(index: number, w: Words): LineVerdict {
    if (w.count < 3 || w.count > 5) return 'unparsed';
    const protoText = w.text(0);
    const local = colonEndpoint(w.text(1));
    const remote = colonEndpoint(w.text(2));
    if (!local || !remote) return 'unparsed';
    const proto = protoText.toLowerCase();
    const tokens: Token[] = [
      token('proto', index, w.start[0]!, w.end[0]!),
      token('localAddress', index, w.start[1]!, w.end[1]!),
      token('remoteAddress', index, w.start[2]!, w.end[2]!),
    ];
    let i = 3;
    let stateText = '';
    if (i < w.count && !isDigits(w.text(i))) {
      stateText = w.text(i);
      tokens.push(token('state', index, w.start[i]!, w.end[i]!));
      i++;
    }
    if (proto === 'tcp' && stateText === '') return 'unparsed';
    let pid: number | undefined;
    if (i < w.count) {
      const t = w.text(i);
      if (!isDigits(t) || t.length > 10) return 'unparsed';
      pid = Number(t);
      tokens.push(token('process', index, w.start[i]!, w.end[i]!));
      this.flags.add('-o');
      i++;
    }
    if (i !== w.count) return 'unparsed';
    const row: RowDraft = { block: this.block, line: index, lastLine: index, proto, local, remote, stateText, tokens };
    const state = rowState(proto, stateText);
    if (state) row.state = state;
    // Windows prints the PID only; the name comes from a -b owner line when there is one.
    if (pid !== undefined) row.process = { name: '', pid };
    this.sink.sockets.push(row);
    this.last = row;
    return 'record';
  }

  finish(): string {
    const parts = ['windows netstat'];
    for (const f of ['-o', '-b']) if (this.flags.has(f)) parts.push(f);
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
