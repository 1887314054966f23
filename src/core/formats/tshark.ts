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
import type { Endpoint, Segment, Token } from '../model';
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
import { finishOptions, type OptionsDraft, type SegmentDraft } from './packetTypes';

const FLAG_NAMES: Record<string, number> = {
  FIN: F_FIN,
  SYN: F_SYN,
  RST: F_RST,
  PSH: F_PSH,
  ACK: F_ACK,
  URG: F_URG,
  ECE: F_ECE,
  ECN: F_ECE, // tshark 1.x's name for ECE
  CWR: F_CWR,
  NS: F_AE, // the bit RFC 3540 called NS is AE since RFC 9768; Wireshark renamed it in 4.2
  AE: F_AE,
  Reserved: 0,
};

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

/** What `readInfo` found besides tokens. */
interface Info {
  mask: number;
  flagText: string;
  sport: string;
  dport: string;
  seq: number | undefined;
  ack: number | undefined;
  win: number | undefined;
  urg: number | undefined;
  len: number | undefined;
  options: OptionsDraft | undefined;
  analysis: string[] | undefined;
  truncated: boolean;
}

function newInfo(): Info {
  return {
    mask: 0,
    flagText: '',
    sport: '',
    dport: '',
    seq: undefined,
    ack: undefined,
    win: undefined,
    urg: undefined,
    len: undefined,
    options: undefined,
    analysis: undefined,
    truncated: false,
  };
}

function addAnalysis(info: Info, text: string): void {
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

/**
 * Reads TCP's Info summary starting at `i`. Returns undefined when the Info column is not TCP's (no ports + flags),
 * null when it starts like TCP's but a field does not read.
 */
function readInfo(line: string, start: number, index: number, tokens: Token[]): Info | undefined | null {
  const info = newInfo();
  let i = start;
  // Leading analysis labels.
  while (line.charCodeAt(i) === CH_LBRACKET) {
    const e = line.indexOf(']', i);
    if (e < 0) return undefined;
    addAnalysis(info, line.slice(i + 1, e));
    tokens.push(tok('analysis', index, i, e + 1));
    i = skipSpaces(line, e + 1);
  }
  const spEnd = wordEnd(line, i);
  if (spEnd === i) return undefined;
  const spStart = i;
  i = skipSpaces(line, spEnd);
  if (line.charCodeAt(i) === 0x2192 && line.charCodeAt(i + 1) === CH_SPACE) i += 1;
  else if (hasAt(line, i, '> ')) i += 1;
  else if (hasAt(line, i, '-> ')) i += 2;
  else return undefined;
  i = skipSpaces(line, i);
  const dpStart = i;
  const dpEnd = wordEnd(line, i);
  if (dpEnd === i) return undefined;
  i = skipSpaces(line, dpEnd);
  if (line.charCodeAt(i) !== CH_LBRACKET) return undefined;
  const fClose = line.indexOf(']', i);
  if (fClose < 0 || fClose - i > 64) return undefined;
  // Flags: `SYN, ACK`, `FIN, PSH, ACK`, `<None>`.
  let mask = 0;
  const flagText = line.slice(i + 1, fClose);
  if (flagText !== '<None>') {
    let p = i + 1;
    while (p < fClose) {
      let e = line.indexOf(',', p);
      if (e < 0 || e > fClose) e = fClose;
      const name = line.slice(p, e);
      const bit = FLAG_NAMES[name];
      if (bit === undefined) return undefined;
      mask |= bit;
      p = e + 1;
      if (line.charCodeAt(p) === CH_SPACE) p++;
    }
  }
  info.sport = line.slice(spStart, spEnd);
  info.dport = line.slice(dpStart, dpEnd);
  tokens.push(tok('srcEndpoint', index, spStart, spEnd));
  tokens.push(tok('dstEndpoint', index, dpStart, dpEnd));
  info.mask = mask;
  info.flagText = flagText;
  tokens.push(tok('flags', index, i, fClose + 1));
  i = skipSpaces(line, fClose + 1);
  let tsStart = -1;
  let tsVal: number | undefined;
  let sleStart = -1;
  let sle: number | undefined;
  const opts = (): OptionsDraft => (info.options ??= { raw: [] });
  while (i < line.length) {
    const c = line.charCodeAt(i);
    if (c === CH_LBRACKET) {
      const e = line.indexOf(']', i);
      if (e < 0) return null;
      const label = line.slice(i + 1, e);
      addAnalysis(info, label);
      if (label === 'Packet size limited during capture') info.truncated = true;
      tokens.push(tok('analysis', index, i, e + 1));
      i = skipSpaces(line, e + 1);
      continue;
    }
    let end = wordEnd(line, i);
    const eq = line.indexOf('=', i);
    if (eq < 0 || eq > end) {
      // Bare words: `SACK_PERM` (4.x).
      if (end - i === 9 && hasAt(line, i, 'SACK_PERM')) {
        opts().sackPermitted = true;
        opts().raw.push('SACK_PERM');
        tokens.push(optTok(index, i, end, 'sackOK'));
        i = skipSpaces(line, end);
        continue;
      }
      return null;
    }
    const key = line.slice(i, eq);
    const v = eq + 1;
    const glued = line.indexOf('[', v);
    if (glued >= 0 && glued < end) end = glued;
    switch (key) {
      case 'Seq':
      case 'Ack':
      case 'Win':
      case 'Len':
      case 'Urg': {
        const n = readValue(line, v);
        if (Number.isNaN(n)) return null;
        if (key === 'Seq') {
          info.seq = n;
          tokens.push(tok('seq', index, i, end));
        } else if (key === 'Ack') {
          info.ack = n;
          tokens.push(tok('ack', index, i, end));
        } else if (key === 'Win') {
          info.win = n;
          tokens.push(tok('win', index, i, end));
        } else if (key === 'Len') {
          info.len = n;
          tokens.push(tok('length', index, i, end));
        } else {
          info.urg = n;
          tokens.push(tok('urg', index, i, end));
        }
        break;
      }
      case 'MSS': {
        const n = readValue(line, v);
        if (Number.isNaN(n)) return null;
        opts().mss = n;
        opts().raw.push(line.slice(i, end));
        tokens.push(optTok(index, i, end, 'mss'));
        break;
      }
      case 'WS': {
        const n = readValue(line, v);
        if (Number.isNaN(n)) return null;
        const shift = log2Exact(n);
        if (shift !== undefined) opts().wscale = shift;
        opts().raw.push(line.slice(i, end));
        tokens.push(optTok(index, i, end, 'wscale'));
        break;
      }
      case 'SACK_PERM':
        opts().sackPermitted = true;
        opts().raw.push(line.slice(i, end));
        tokens.push(optTok(index, i, end, 'sackOK'));
        break;
      case 'TSval':
      case 'TSV': {
        const n = readValue(line, v);
        if (Number.isNaN(n)) return null;
        tsStart = i;
        tsVal = n;
        break;
      }
      case 'TSecr':
      case 'TSER': {
        const n = readValue(line, v);
        if (Number.isNaN(n) || tsVal === undefined || tsStart < 0) return null;
        opts().tsVal = tsVal;
        opts().tsEcr = n;
        opts().raw.push(line.slice(tsStart, end));
        tokens.push(optTok(index, tsStart, end, 'TS'));
        tsStart = -1;
        tsVal = undefined;
        break;
      }
      case 'SLE': {
        const n = readValue(line, v);
        if (Number.isNaN(n)) return null;
        sleStart = i;
        sle = n;
        break;
      }
      case 'SRE': {
        const n = readValue(line, v);
        if (Number.isNaN(n) || sle === undefined || sleStart < 0) return null;
        const o = opts();
        (o.sack ??= []).push([sle, n]);
        o.raw.push(line.slice(sleStart, end));
        tokens.push(optTok(index, sleStart, end, 'sack'));
        sleStart = -1;
        sle = undefined;
        break;
      }
      default:
        // Other `Key=value` fields tshark may add (TFO=R, ...): kept as printed among the options.
        if (eq === i) return null;
        opts().raw.push(line.slice(i, end));
        tokens.push(optTok(index, i, end, key));
        break;
    }
    i = skipSpaces(line, end);
  }
  if (tsStart >= 0 || sleStart >= 0) return null;
  return info;
}

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

class TsharkBlock implements BlockReader {
  private readonly segments: Segment[];
  private oldArrows = false;
  /** The segment the next -x lines belong to; null after a row that is not a segment, undefined before any row. */
  private last: SegmentDraft | null | undefined;

  constructor(
    private readonly block: number,
    sink: RecordSink,
  ) {
    this.segments = sink.segments;
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
      (this.last.tokens as Token[]).push(tok('payload', index, 0, line.length));
      return 'continuation';
    }
    if (!readRow(line)) return 'other';
    this.last = null;
    const tokens: Token[] = [];
    tokens.push(tok('frameNumber', index, skipSpaces(line, 0), row.numberEnd));
    tokens.push(tok('time', index, row.timeStart, row.time.end));
    tokens.push(tok('srcEndpoint', index, row.srcStart, row.srcEnd));
    tokens.push(tok('dstEndpoint', index, row.dstStart, row.dstEnd));
    tokens.push(tok('proto', index, row.protoStart, row.protoEnd));
    if (row.lenStart >= 0) tokens.push(tok('header', index, row.lenStart, row.lenEnd));
    if (row.oldArrow) this.oldArrows = true;
    const info = readInfo(line, row.info, index, tokens);
    if (info === null) return 'unparsed';
    if (info === undefined) return 'header';
    const src: Endpoint = endpoint(line.slice(row.srcStart, row.srcEnd), portOf(info.sport));
    const dst: Endpoint = endpoint(line.slice(row.dstStart, row.dstEnd), portOf(info.dport));
    const len = info.len ?? 0;
    const seg: SegmentDraft = {
      block: this.block,
      line: index,
      lastLine: index,
      number: row.number,
      time: line.slice(row.timeStart, row.time.end),
      timeSeconds: row.negative ? -row.time.seconds : row.time.seconds,
      src,
      dst,
      flags: flagsOf(info.mask),
      flagText: info.flagText,
      len,
      source: 'tshark',
      tokens,
    };
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
  const info = readInfo(line, row.info, 0, []);
  if (info === undefined) return 1;
  return info === null ? 0 : 2;
}

export const tsharkReader: FormatReader = {
  format: 'tshark',
  startScore,
  begin: (blockIndex, sink) => new TsharkBlock(blockIndex, sink),
};
