/**
 * tshark's one-line packet summaries (`tshark -r file`):
 *
 *     1   0.000000    127.0.0.1 → 127.0.0.1    TCP 74 46548 → 8080 [SYN] Seq=0 Win=65495 Len=0 MSS=65495 SACK_PERM ...
 *     1 0.000000000 172.17.120.253 -> 172.17.134.77 TCP 66 62232 > http [SYN] Seq=0 Win=64240 Len=0 ... SACK_PERM=1
 *
 * Columns: frame number, time (relative by default; `-t a/ad/e/d` print a clock, a date and clock, or epoch/delta
 * seconds), source → destination (`->` before 2.x), protocol, frame length (absent in some old builds), Info.
 *
 * Which rows are TCP segments: a row is a segment exactly when its Info column carries TCP's own summary — optional
 * `[analysis]` labels, `sport → dport`, then `[flags]` — whatever the Protocol column says. tshark names the protocol
 * of the highest layer it decoded, so a row can say `HTTP` and still show the TCP summary (e.g. port 8080 traffic it
 * took for HTTP, with `[TCP segment of a reassembled PDU]`), and that row is a segment. When a higher layer replaced
 * the Info text (`GET / HTTP/1.1`, `Client Hello`, `Standard query ...`) the row no longer shows ports, flags or
 * sequence numbers; such rows, like rows of other protocols (ARP, ICMP, UDP), are the block's furniture (`header`):
 * neither segments nor unparsed. That holds even under a `TCP` Protocol column: tshark 4.0 prints
 * `TCP 93 HTTP/1.0 200 OK  [TCP segment of a reassembled PDU]` for a segment whose payload it handed to HTTP. A row
 * whose Info starts as TCP's summary (ports, arrow, `[flags]`) but whose fields do not read is `unparsed`.
 *
 * Values are as printed: tshark's relative sequence numbers and its already-scaled window (`Win=`); `WS=128` is the
 * multiplier, stored as the shift (`wscale` 7). Analysis labels (`[TCP Retransmission]`, `[TCP Dup ACK 29#1]`,
 * `[TCP segment of a reassembled PDU]`, ...) go to `toolAnalysis` without their brackets, in the order printed.
 */
import type { Endpoint, Segment, Token, TokenKind } from '../model';
import type { LineText } from '../text';
import type { BlockReader, FormatReader, LineVerdict, RecordSink } from './reader';
import {
  CH_LBRACKET,
  CH_MINUS,
  CH_SPACE,
  F_ACK,
  F_AE,
  F_CWR,
  F_ECE,
  F_FIN,
  F_PSH,
  F_RST,
  F_SYN,
  F_URG,
  endpoint,
  flagsOf,
  Interner,
  hasAt,
  isDigit,
  isSpace,
  log2Exact,
  optTok,
  type ParsedTime,
  portOf,
  readTime,
  readUint,
  scan,
  skipSpaces,
  tok,
  wordEnd,
} from './packetCommon';
import { addRaw, finishOptions, type OptionsDraft, optionsDraft, type PacketSegment, segmentClass } from './packetTypes';


/** The columns before Info, found by `readRow`. */
interface Row {
  number: number;
  numberEnd: number;
  time: ParsedTime;
  negative: boolean;
  timeStart: number;
  srcStart: number;
  srcEnd: number;
  dstStart: number;
  dstEnd: number;
  protoStart: number;
  protoEnd: number;
  lenStart: number;
  lenEnd: number;
  info: number;
  oldArrow: boolean;
}

const row: Row = {
  number: 0,
  numberEnd: 0,
  time: { start: 0, end: 0, seconds: 0, kind: 'epoch', fractionDigits: 0 },
  negative: false,
  timeStart: 0,
  srcStart: 0,
  srcEnd: 0,
  dstStart: 0,
  dstEnd: 0,
  protoStart: 0,
  protoEnd: 0,
  lenStart: -1,
  lenEnd: -1,
  info: 0,
  oldArrow: false,
};

/** Reads `N  time  src → dst  PROTO [len] ` into `row`; false when the line is not a summary row. */
function readRow(line: string): boolean {
  let i = skipSpaces(line, 0);
  if (i >= line.length || !isDigit(line.charCodeAt(i))) return false;
  const n = readUint(line, i);
  if (Number.isNaN(n) || scan.end >= line.length || !isSpace(line.charCodeAt(scan.end))) return false;
  row.number = n;
  row.numberEnd = scan.end;
  i = skipSpaces(line, scan.end);
  row.timeStart = i;
  row.negative = line.charCodeAt(i) === CH_MINUS;
  const t = readTime(line, row.negative ? i + 1 : i);
  if (t === undefined) return false;
  row.time = t;
  i = skipSpaces(line, t.end);
  // Source, arrow, destination.
  const srcEnd = wordEnd(line, i);
  if (srcEnd === i) return false;
  row.srcStart = i;
  row.srcEnd = srcEnd;
  i = skipSpaces(line, srcEnd);
  if (line.charCodeAt(i) === 0x2192 && line.charCodeAt(i + 1) === CH_SPACE) {
    row.oldArrow = false;
    i += 1;
  } else if (hasAt(line, i, '-> ')) {
    row.oldArrow = true;
    i += 2;
  } else {
    return false;
  }
  i = skipSpaces(line, i);
  const dstEnd = wordEnd(line, i);
  if (dstEnd === i) return false;
  row.dstStart = i;
  row.dstEnd = dstEnd;
  i = skipSpaces(line, dstEnd);
  const protoEnd = wordEnd(line, i);
  if (protoEnd === i) return false;
  row.protoStart = i;
  row.protoEnd = protoEnd;
  i = skipSpaces(line, protoEnd);
  row.lenStart = -1;
  row.lenEnd = -1;
  if (i < line.length && isDigit(line.charCodeAt(i))) {
    const len = readUint(line, i);
    if (!Number.isNaN(len) && (scan.end >= line.length || isSpace(line.charCodeAt(scan.end)))) {
      // A frame length, unless it is the source port of a build that prints no Length column (`TCP 62232 > http`).
      const next = skipSpaces(line, scan.end);
      if (!(hasAt(line, next, '> ') || hasAt(line, next, '-> ') || line.charCodeAt(next) === 0x2192)) {
        row.lenStart = i;
        row.lenEnd = scan.end;
        i = next;
      }
    }
  }
  row.info = i;
  return true;
}

/** What `readInfo` found besides tokens (one scratch record, reset per row). */
interface Info {
  mask: number;
  flagStart: number;
  flagEnd: number;
  spStart: number;
  spEnd: number;
  dpStart: number;
  dpEnd: number;
  seq: number | undefined;
  ack: number | undefined;
  win: number | undefined;
  urg: number | undefined;
  len: number | undefined;
  options: OptionsDraft | undefined;
  analysis: string[] | undefined;
  truncated: boolean;
}

const info: Info = {
  mask: 0,
  flagStart: 0,
  flagEnd: 0,
  spStart: 0,
  spEnd: 0,
  dpStart: 0,
  dpEnd: 0,
  seq: undefined,
  ack: undefined,
  win: undefined,
  urg: undefined,
  len: undefined,
  options: undefined,
  analysis: undefined,
  truncated: false,
};

function resetInfo(): void {
  info.mask = 0;
  info.seq = undefined;
  info.ack = undefined;
  info.win = undefined;
  info.urg = undefined;
  info.len = undefined;
  info.options = undefined;
  info.analysis = undefined;
  info.truncated = false;
}

function addAnalysis(text: string): void {
  (info.analysis ??= []).push(text);
}

/**
 * Reads `value` after `KEY=` at `i` as an unsigned integer ending at a space, the line's end, or a `[` (tshark glues
 * expert labels on: `TSecr=2452861725[Reassembly error, ...]`). `scan.end` is left after the digits.
 */
function readValue(line: string, i: number): number {
  const v = readUint(line, i);
  if (Number.isNaN(v)) return NaN;
  if (scan.end < line.length) {
    const c = line.charCodeAt(scan.end);
    if (!isSpace(c) && c !== CH_LBRACKET) return NaN;
  }
  return v;
}

/** A flag name between `[` and `]`: its bit, or -1 when tshark has no such flag. */
function flagBit(line: string, s: number, e: number): number {
  switch (e - s) {
    case 2:
      if (hasAt(line, s, 'NS') || hasAt(line, s, 'AE')) return F_AE; // NS (RFC 3540) is AE since RFC 9768 / Wireshark 4.2
      return -1;
    case 3:
      if (hasAt(line, s, 'ACK')) return F_ACK;
      if (hasAt(line, s, 'SYN')) return F_SYN;
      if (hasAt(line, s, 'FIN')) return F_FIN;
      if (hasAt(line, s, 'PSH')) return F_PSH;
      if (hasAt(line, s, 'RST')) return F_RST;
      if (hasAt(line, s, 'URG')) return F_URG;
      if (hasAt(line, s, 'ECE') || hasAt(line, s, 'ECN')) return F_ECE; // ECN: tshark 1.x's name for ECE
      if (hasAt(line, s, 'CWR')) return F_CWR;
      return -1;
    case 8:
      return hasAt(line, s, 'Reserved') ? 0 : -1;
    default:
      return -1;
  }
}

const enum Key {
  Other,
  Seq,
  Ack,
  Win,
  Len,
  Urg,
  Mss,
  Ws,
  SackPerm,
  TsVal,
  TsEcr,
  Sle,
  Sre,
}

/** The field name in `line[s, e)` (before `=`). */
function keyOf(line: string, s: number, e: number): Key {
  switch (e - s) {
    case 2:
      return hasAt(line, s, 'WS') ? Key.Ws : Key.Other;
    case 3:
      if (hasAt(line, s, 'Seq')) return Key.Seq;
      if (hasAt(line, s, 'Ack')) return Key.Ack;
      if (hasAt(line, s, 'Win')) return Key.Win;
      if (hasAt(line, s, 'Len')) return Key.Len;
      if (hasAt(line, s, 'Urg')) return Key.Urg;
      if (hasAt(line, s, 'MSS')) return Key.Mss;
      if (hasAt(line, s, 'TSV')) return Key.TsVal; // 1.x
      if (hasAt(line, s, 'SLE')) return Key.Sle;
      if (hasAt(line, s, 'SRE')) return Key.Sre;
      return Key.Other;
    case 4:
      return hasAt(line, s, 'TSER') ? Key.TsEcr : Key.Other; // 1.x
    case 5:
      if (hasAt(line, s, 'TSval')) return Key.TsVal;
      if (hasAt(line, s, 'TSecr')) return Key.TsEcr;
      return Key.Other;
    case 9:
      return hasAt(line, s, 'SACK_PERM') ? Key.SackPerm : Key.Other;
    default:
      return Key.Other;
  }
}

const FIELD_KIND: (TokenKind | undefined)[] = [undefined, 'seq', 'ack', 'win', 'length', 'urg'];

/**
 * Reads TCP's Info summary starting at `start` into `info`. Returns OK, NOT_TCP when the Info column is not TCP's
 * (no ports + flags), or BROKEN when it starts like TCP's but a field does not read.
 */
function readInfo(line: string, start: number, index: number, tokens: Token[] | undefined, intern: Interner | undefined): number {
  resetInfo();
  let i = start;
  // Leading analysis labels.
  while (line.charCodeAt(i) === CH_LBRACKET) {
    const e = line.indexOf(']', i);
    if (e < 0) return NOT_TCP;
    addAnalysis(intern !== undefined ? intern.get(line, i + 1, e) : line.slice(i + 1, e));
    tokens?.push(tok('analysis', index, i, e + 1));
    i = skipSpaces(line, e + 1);
  }
  const spEnd = wordEnd(line, i);
  if (spEnd === i) return NOT_TCP;
  const spStart = i;
  i = skipSpaces(line, spEnd);
  if (line.charCodeAt(i) === 0x2192 && line.charCodeAt(i + 1) === CH_SPACE) i += 1;
  else if (hasAt(line, i, '> ')) i += 1;
  else if (hasAt(line, i, '-> ')) i += 2;
  else return NOT_TCP;
  i = skipSpaces(line, i);
  const dpStart = i;
  const dpEnd = wordEnd(line, i);
  if (dpEnd === i) return NOT_TCP;
  i = skipSpaces(line, dpEnd);
  if (line.charCodeAt(i) !== CH_LBRACKET) return NOT_TCP;
  const fClose = line.indexOf(']', i);
  if (fClose < 0 || fClose - i > 64) return NOT_TCP;
  // Flags: `SYN, ACK`, `FIN, PSH, ACK`, `<None>`.
  let mask = 0;
  if (!(fClose - i === 7 && hasAt(line, i + 1, '<None>'))) {
    let p = i + 1;
    while (p < fClose) {
      let e = line.indexOf(',', p);
      if (e < 0 || e > fClose) e = fClose;
      const bit = flagBit(line, p, e);
      if (bit < 0) return NOT_TCP;
      mask |= bit;
      p = e + 1;
      if (line.charCodeAt(p) === CH_SPACE) p++;
    }
  }
  info.spStart = spStart;
  info.spEnd = spEnd;
  info.dpStart = dpStart;
  info.dpEnd = dpEnd;
  tokens?.push(tok('srcEndpoint', index, spStart, spEnd));
  tokens?.push(tok('dstEndpoint', index, dpStart, dpEnd));
  info.mask = mask;
  info.flagStart = i + 1;
  info.flagEnd = fClose;
  tokens?.push(tok('flags', index, i, fClose + 1));
  i = skipSpaces(line, fClose + 1);
  let tsStart = -1;
  let tsVal: number | undefined;
  let sleStart = -1;
  let sle: number | undefined;
  while (i < line.length) {
    const c = line.charCodeAt(i);
    if (c === CH_LBRACKET) {
      const e = line.indexOf(']', i);
      if (e < 0) return BROKEN;
      addAnalysis(intern !== undefined ? intern.get(line, i + 1, e) : line.slice(i + 1, e));
      if (e - i - 1 === 34 && hasAt(line, i + 1, 'Packet size limited during capture')) info.truncated = true;
      tokens?.push(tok('analysis', index, i, e + 1));
      i = skipSpaces(line, e + 1);
      continue;
    }
    let end = wordEnd(line, i);
    const eq = line.indexOf('=', i);
    if (eq < 0 || eq > end) {
      // Bare words: `SACK_PERM` (4.x).
      if (end - i === 9 && hasAt(line, i, 'SACK_PERM')) {
        const o = (info.options ??= optionsDraft());
        o.sackPermitted = true;
        addRaw('SACK_PERM');
        tokens?.push(optTok(index, i, end, 'sackOK'));
        i = skipSpaces(line, end);
        continue;
      }
      return BROKEN;
    }
    if (eq === i) return BROKEN;
    const key = keyOf(line, i, eq);
    const v = eq + 1;
    const glued = line.indexOf('[', v);
    if (glued >= 0 && glued < end) end = glued;
    switch (key) {
      case Key.Seq:
      case Key.Ack:
      case Key.Win:
      case Key.Len:
      case Key.Urg: {
        const n = readValue(line, v);
        if (Number.isNaN(n)) return BROKEN;
        if (key === Key.Seq) info.seq = n;
        else if (key === Key.Ack) info.ack = n;
        else if (key === Key.Win) info.win = n;
        else if (key === Key.Len) info.len = n;
        else info.urg = n;
        tokens?.push(tok(FIELD_KIND[key]!, index, i, end));
        break;
      }
      case Key.Mss: {
        const n = readValue(line, v);
        if (Number.isNaN(n)) return BROKEN;
        const o = (info.options ??= optionsDraft());
        o.mss = n;
        addRaw(intern !== undefined ? intern.get(line, i, end) : line.slice(i, end));
        tokens?.push(optTok(index, i, end, 'mss'));
        break;
      }
      case Key.Ws: {
        const n = readValue(line, v);
        if (Number.isNaN(n)) return BROKEN;
        const o = (info.options ??= optionsDraft());
        const shift = log2Exact(n);
        if (shift !== undefined) o.wscale = shift;
        addRaw(intern !== undefined ? intern.get(line, i, end) : line.slice(i, end));
        tokens?.push(optTok(index, i, end, 'wscale'));
        break;
      }
      case Key.SackPerm: {
        const o = (info.options ??= optionsDraft());
        o.sackPermitted = true;
        addRaw(intern !== undefined ? intern.get(line, i, end) : line.slice(i, end));
        tokens?.push(optTok(index, i, end, 'sackOK'));
        break;
      }
      case Key.TsVal: {
        const n = readValue(line, v);
        if (Number.isNaN(n)) return BROKEN;
        tsStart = i;
        tsVal = n;
        break;
      }
      case Key.TsEcr: {
        const n = readValue(line, v);
        if (Number.isNaN(n) || tsVal === undefined || tsStart < 0) return BROKEN;
        const o = (info.options ??= optionsDraft());
        o.tsVal = tsVal;
        o.tsEcr = n;
        addRaw(line.slice(tsStart, end));
        tokens?.push(optTok(index, tsStart, end, 'TS'));
        tsStart = -1;
        tsVal = undefined;
        break;
      }
      case Key.Sle: {
        const n = readValue(line, v);
        if (Number.isNaN(n)) return BROKEN;
        sleStart = i;
        sle = n;
        break;
      }
      case Key.Sre: {
        const n = readValue(line, v);
        if (Number.isNaN(n) || sle === undefined || sleStart < 0) return BROKEN;
        const o = (info.options ??= optionsDraft());
        (o.sack ??= []).push([sle, n]);
        addRaw(line.slice(sleStart, end));
        tokens?.push(optTok(index, sleStart, end, 'sack'));
        sleStart = -1;
        sle = undefined;
        break;
      }
      default: {
        // Other `Key=value` fields tshark may add (TFO=R, ...): kept as printed among the options.
        info.options ??= optionsDraft();
        addRaw(line.slice(i, end));
        tokens?.push(optTok(index, i, end, line.slice(i, eq)));
        break;
      }
    }
    i = skipSpaces(line, end);
  }
  if (tsStart >= 0 || sleStart >= 0) return BROKEN;
  return OK;
}

const OK = 0;
const NOT_TCP = 1;
const BROKEN = 2;

/** tshark's own lines on stdout/stderr. */
function isTsharkFurniture(line: string): boolean {
  if (line.startsWith('Running as user ')) return true;
  if (line.startsWith('Capturing on ')) return true;
  if (line.startsWith('tshark: ')) return true;
  if (isDigit(line.charCodeAt(0))) {
    const n = readUint(line, 0);
    if (!Number.isNaN(n) && (line.endsWith(' packets captured') || line.endsWith(' packet captured')) && scan.end + 17 >= line.length - 1) {
      return true;
    }
  }
  return false;
}

/** `0000  00 00 03 04 00 06 ...` (tshark -x). */
function isHexLine(line: string): boolean {
  if (line.length < 10) return false;
  for (let k = 0; k < 4; k++) {
    const c = line.charCodeAt(k);
    if (!(isDigit(c) || (c >= 97 && c <= 102))) return false;
  }
  return line.charCodeAt(4) === CH_SPACE && line.charCodeAt(5) === CH_SPACE;
}

/** `Frame (72 bytes):`, `Reassembled TCP (21 bytes):`: -x names each data source it dumps. */
function isHexHeading(line: string): boolean {
  return line.length < 80 && line.endsWith(' bytes):') && line.indexOf(' (') > 0 && !isSpace(line.charCodeAt(0));
}

/** The tokens of a row's columns before Info (frame number, time, addresses, protocol, frame length). */
function rowTokens(line: string, index: number, tokens: Token[]): void {
  tokens.push(tok('frameNumber', index, skipSpaces(line, 0), row.numberEnd));
  tokens.push(tok('time', index, row.timeStart, row.time.end));
  tokens.push(tok('srcEndpoint', index, row.srcStart, row.srcEnd));
  tokens.push(tok('dstEndpoint', index, row.dstStart, row.dstEnd));
  tokens.push(tok('proto', index, row.protoStart, row.protoEnd));
  if (row.lenStart >= 0) tokens.push(tok('header', index, row.lenStart, row.lenEnd));
}

/** Builds a tshark segment's tokens from its row (and -x lines), as PacketSegment asks. */
function tsharkTokens(text: string, at: number, _head: string | undefined, _headAt: number, more: readonly (string | number)[] | undefined): Token[] {
  const tokens: Token[] = [];
  if (readRow(text)) {
    rowTokens(text, at, tokens);
    readInfo(text, row.info, at, tokens, undefined);
  }
  if (more !== undefined) {
    for (let k = 0; k + 1 < more.length; k += 2) tokens.push(tok('payload', more[k] as number, 0, (more[k + 1] as string).length));
  }
  return tokens;
}

const TsharkSegment = segmentClass(tsharkTokens);

/** A small cache of endpoints by (interned address, port text): repeated rows share their Endpoint objects. */
class Endpoints {
  private readonly addresses = new Interner();
  private readonly ports = new Interner(32);
  private readonly keys: string[] = [];
  private readonly values: Endpoint[] = [];
  private next = 0;

  get(line: string, as: number, ae: number, ps: number, pe: number): Endpoint {
    const address = this.addresses.get(line, as, ae);
    const port = this.ports.get(line, ps, pe);
    for (let k = 0; k < this.values.length; k++) {
      if (this.keys[2 * k] === address && this.keys[2 * k + 1] === port) return this.values[k]!;
    }
    const ep = endpoint(address, portOf(port));
    if (this.values.length < 32) {
      this.keys.push(address, port);
      this.values.push(ep);
    } else {
      this.keys[2 * this.next] = address;
      this.keys[2 * this.next + 1] = port;
      this.values[this.next] = ep;
      this.next = (this.next + 1) % 32;
    }
    return ep;
  }
}

class TsharkBlock implements BlockReader {
  private readonly segments: Segment[];
  /** Where the segments read their line again (when the document's lines stay as they are). */
  private readonly lines: LineText | undefined;
  private oldArrows = false;
  /** The segment the next -x lines belong to; null after a row that is not a segment, undefined before any row. */
  private last: PacketSegment | null | undefined;
  private readonly intern = new Interner();
  private readonly endpoints = new Endpoints();

  constructor(
    private readonly block: number,
    sink: RecordSink,
  ) {
    this.segments = sink.segments;
    this.lines = sink.lines;
  }

  feed(line: string, index: number): LineVerdict {
    if (isTsharkFurniture(line)) {
      this.last = undefined;
      return 'header';
    }
    if (isHexLine(line) || isHexHeading(line)) {
      // -x bytes: part of the segment above, or furniture like the non-TCP row above them.
      if (this.last === undefined) return 'other';
      if (this.last === null) return 'header';
      this.last.lastLine = index;
      this.last.addMore(index, line);
      return 'continuation';
    }
    if (!readRow(line)) return 'other';
    this.last = null;
    if (row.oldArrow) this.oldArrows = true;
    const result = readInfo(line, row.info, index, undefined, this.intern);
    if (result === BROKEN) return 'unparsed';
    if (result === NOT_TCP) return 'header';
    const src = this.endpoints.get(line, row.srcStart, row.srcEnd, info.spStart, info.spEnd);
    const dst = this.endpoints.get(line, row.dstStart, row.dstEnd, info.dpStart, info.dpEnd);
    const len = info.len ?? 0;
    const flagText = this.intern.get(line, info.flagStart, info.flagEnd);
    const seg = new TsharkSegment(this.block, index, index, src, dst, flagsOf(info.mask), flagText, len, 'tshark', this.lines ?? line);
    seg.number = row.number;
    seg.time = line.slice(row.timeStart, row.time.end);
    seg.timeSeconds = row.negative ? -row.time.seconds : row.time.seconds;
    if (info.seq !== undefined) {
      seg.seq = info.seq;
      seg.seqEnd = info.seq + len;
    }
    if (info.ack !== undefined) seg.ack = info.ack;
    if (info.win !== undefined) seg.win = info.win;
    if (info.urg !== undefined) seg.urg = info.urg;
    if (info.options !== undefined) seg.options = finishOptions(info.options);
    if (info.truncated) seg.truncated = true;
    if (info.analysis !== undefined) seg.toolAnalysis = info.analysis;
    this.segments.push(seg);
    this.last = seg;
    return 'record';
  }

  finish(): string {
    return this.oldArrows ? 'tshark 1.x' : 'tshark';
  }
}

function startScore(line: string): 0 | 1 | 2 {
  if (line.length === 0) return 0;
  if (line.startsWith('Running as user ') || line.startsWith('Capturing on ')) return 2;
  if (!readRow(line)) return 0;
  const result = readInfo(line, row.info, 0, undefined, undefined);
  return result === NOT_TCP ? 1 : result === BROKEN ? 0 : 2;
}

export const tsharkReader: FormatReader = {
  format: 'tshark',
  startScore,
  begin: (blockIndex, sink) => new TsharkBlock(blockIndex, sink),
};
