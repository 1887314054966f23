/**
 * tcpdump's text output, every style we have seen in the wild:
 *
 * - timestamps: none (`-t`), time of day (`13:35:11.002394`, `--nano` adds three digits), epoch (`-tt`), delta
 *   from the previous packet (`-ttt`) or since the first (`-ttttt`) — both printed as ` 00:00:00.127522` with one
 *   more leading space than a time of day —, date and time (`-tttt`);
 * - `-#` packet numbers, `-i any` interface + direction columns, `-e` link-level prefixes, IPv4 and IPv6;
 * - the 4.x TCP summary `src > dst: Flags [P.], cksum ..., seq 1:9, ack 1, win 64, urg 1, options [...], length 8: HTTP`
 *   and the 3.x one `src > dst: P 1:9(8) ack 1 win 64 urg 1 <mss 1460,...>`; `-q`'s `src > dst: tcp 8`; `[|tcp]`;
 * - `-v`: an `IP (tos ..., proto TCP (6), length 60)` line and an indented summary line make ONE segment whose `line`
 *   is the first line and `lastLine` the second;
 * - hex (`-x`/`-X`, `\t0x0000:  4500 ...`), ASCII (`-A`) and protocol-decoder lines (indented text after a packet)
 *   are continuations of their packet and extend its segment's `lastLine`;
 * - tcpdump's own chatter (`listening on ...`, `N packets captured`, `reading from file ...`) is furniture.
 *
 * Verdicts: a TCP packet is a `record` (or, for the -v second line, a `continuation`). A packet line that is clearly
 * tcpdump's but not TCP (ARP, ICMP, UDP/DNS, STP, ...) is answered `header`: it is furniture of the block, so it is
 * neither a segment nor reported as unparsed, and the block goes on across it. A line that carries TCP markers
 * (`: Flags [`, `proto TCP (6)`) but does not read cleanly is `unparsed`.
 *
 * The dump and decoder lines of such a packet are furniture too.
 *
 * Numbers are kept as printed: relative or absolute sequence numbers alike (the connection rebuilder decides), and
 * `win` unscaled. `seqEnd` is the printed `b` of `seq a:b` (3.x: `a:b(n)`), or `seq + len` when only `seq a` is shown.
 * `-q` prints no flags: its segments have `flags: []` and `flagText: ''` (a `[none]` packet has `flagText: 'none'`).
 * `truncated` means the TCP header itself was cut (`:  [|tcp]`, options ending in `[|tcp]`); `length 58 [|tcp]` only
 * cut the decoding of the payload.
 *
 * Time: one scale per block. Time of day counts seconds from midnight (a capture running past midnight goes on past
 * 86400); `-tttt` reads the printed date and time as UTC seconds since 1970, computed without Date so that core does
 * not depend on the machine's time zone; `-tt` is taken as printed; `-ttt` gaps are summed; `-ttttt` is as printed.
 *
 * Tokens are built when first asked for, by scanning the lines again (see PacketSegment in packetTypes.ts).
 */
import type { Endpoint, Segment, TcpOptions, Token } from '../model';
import type { LineText } from '../text';
import type { BlockReader, FormatReader, LineVerdict, RecordSink } from './reader';
import {
  CH_COLON,
  CH_COMMA,
  CH_DOT,
  CH_GT,
  CH_LBRACE,
  CH_LBRACKET,
  CH_LPAREN,
  CH_LT,
  CH_RBRACE,
  CH_RBRACKET,
  CH_RPAREN,
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
  flagsOf,
  hasAt,
  isDigit,
  isFieldEnd,
  isSpace,
  optTok,
  type ParsedTime,
  readTime,
  readUint,
  readUintField,
  scan,
  skipSpaces,
  EndpointCache,
  endpoint,
  Interner,
  portOf,
  splitDottedEndpoint,
  tok,
  wordEnd,
} from './packetCommon';
import { addRaw, deferredOptions, finishOptions, TAGGED, type OptionsDraft, optionsDraft, type PacketSegment, segmentClass } from './packetTypes';

// ---------------------------------------------------------------------------------------------------------------
// Line prefix: `-#` number, timestamp, `-i any` interface + direction, link-level text, `IP`/`IP6 (...)`.
// ---------------------------------------------------------------------------------------------------------------

const DIRECTIONS = new Set(['In', 'Out', 'B', 'M', 'P']);

interface Prefix {
  number: number | undefined;
  time: ParsedTime | undefined;
  /** The time had one more leading space than usual: `-ttt` (delta) or `-ttttt` (since first). */
  lead: boolean;
  iface: string | undefined;
  direction: string | undefined;
  /** Where the text after number/time/interface starts. */
  rest: number;
  /** A link-level part (`-e` MACs/ethertype, encapsulations) was found. */
  link: boolean;
  /** The IP part is -v's parenthesised header. */
  verbose: boolean;
}

const pre: Prefix = {
  number: undefined,
  time: undefined,
  lead: false,
  iface: undefined,
  direction: undefined,
  rest: 0,
  link: false,
  verbose: false,
};

/** Reads number, time, interface and direction from the start of a line (up to `end`), adding their tokens. */
function readLead(line: string, end: number, index: number, tokens: Token[] | undefined): void {
  pre.number = undefined;
  pre.time = undefined;
  pre.lead = false;
  pre.iface = undefined;
  pre.direction = undefined;
  pre.link = false;
  pre.verbose = false;
  const indent = skipSpaces(line, 0);
  let i = indent;
  let spacesBeforeTime = indent;
  if (i < end && isDigit(line.charCodeAt(i))) {
    const n = readUint(line, i);
    const after = scan.end;
    if (!Number.isNaN(n) && after < end && isSpace(line.charCodeAt(after))) {
      pre.number = n;
      tokens?.push(tok('frameNumber', index, i, after));
      i = skipSpaces(line, after);
      spacesBeforeTime = i - after;
    }
  }
  if (i < end && isDigit(line.charCodeAt(i))) {
    const t = readTime(line, i);
    if (t !== undefined && t.end <= end) {
      pre.time = t;
      // tcpdump -# prints `%5u  ` then the time; -ttt/-ttttt put one more space before it. Without -#, a time of day
      // starts the line while a delta is preceded by a single space.
      pre.lead = t.kind === 'clock' && (pre.number !== undefined ? spacesBeforeTime >= 3 : spacesBeforeTime >= 1);
      tokens?.push(tok('time', index, t.start, t.end));
      i = skipSpaces(line, t.end);
    }
  }
  // `-i any`: `lo    In  IP ...`, older cooked captures with -e: `Out 00:16:3e:...`.
  if (i < end) {
    const w1End = wordEnd(line, i);
    if (w1End < end) {
      const w2 = skipSpaces(line, w1End);
      // Only a word of up to 3 letters can be a direction: the scan stops after 4.
      let w2End = w2;
      while (w2End < line.length && w2End - w2 <= 3 && !isSpace(line.charCodeAt(w2End))) w2End++;
      if (w2End < end && w2End - w2 <= 3 && DIRECTIONS.has(line.slice(w2, w2End)) && w1End - i <= 32) {
        const c = line.charCodeAt(w1End - 1);
        if (c !== CH_COLON && c !== CH_COMMA) {
          pre.iface = line.slice(i, w1End);
          pre.direction = line.slice(w2, w2End);
          tokens?.push(tok('interface', index, i, w1End));
          tokens?.push(tok('direction', index, w2, w2End));
          i = skipSpaces(line, w2End);
        }
      } else if (w1End - i <= 3 && isInOut(line, i)) {
        pre.direction = line.slice(i, w1End);
        tokens?.push(tok('direction', index, i, w1End));
        i = skipSpaces(line, w1End);
      }
    }
  }
  pre.rest = i;
}

function isLinkEnd(c: number): boolean {
  return c === CH_COLON || c === CH_RPAREN || c === CH_RBRACKET;
}

/** `In ` or `Out ` at i. */
function isInOut(line: string, i: number): boolean {
  const c = line.charCodeAt(i);
  if (c === 73 /* I */) return line.charCodeAt(i + 1) === 110 /* n */ && line.charCodeAt(i + 2) === CH_SPACE;
  return c === 79 /* O */ && hasAt(line, i, 'Out ');
}

/** Classifies the text between the lead and the source endpoint: link-level part and IP part. */
function readMiddle(line: string, start: number, end: number, index: number, tokens: Token[] | undefined): void {
  let e = end;
  while (e > start && isSpace(line.charCodeAt(e - 1))) e--;
  if (e <= start) return;
  let ip = -1;
  if (line.charCodeAt(e - 1) === CH_RPAREN || line.charCodeAt(e - 1) === CH_RBRACKET) {
    // -v: `IP (tos ...)`, `IP6 (flowlabel ...) [real length ...]`, or with -e `..., length 74: (tos ...)`.
    const a = line.lastIndexOf('IP (', e);
    const b = line.lastIndexOf('IP6 (', e);
    ip = Math.max(a, b);
    if (ip < start) {
      const p = line.lastIndexOf(': (', e);
      ip = p >= start ? p + 2 : -1;
    }
  } else {
    // The last word before the endpoints: `IP` / `IP6`.
    let w = e;
    while (w > start && !isSpace(line.charCodeAt(w - 1))) w--;
    if ((e - w === 2 && hasAt(line, w, 'IP')) || (e - w === 3 && hasAt(line, w, 'IP6'))) ip = w;
  }
  if (ip < start) ip = -1;
  const linkEnd = ip < 0 ? e : ip;
  let le = linkEnd;
  while (le > start && isSpace(line.charCodeAt(le - 1))) le--;
  // What tcpdump prints before the IP part (-e's MACs and ethertype, an encapsulation such as PPPoE, MPLS, Geneve)
  // ends with `:`, `)` or `]`. Anything else there is a damaged line (a typo such as `7IP`, or a time like
  // `13:070:00` that did not read as one): the packet is still read, but that text is not taken as evidence that
  // the whole block was printed with -e.
  if (le > start && isLinkEnd(line.charCodeAt(le - 1))) {
    pre.link = true;
    tokens?.push(tok('header', index, start, le));
  }
  if (ip >= 0) {
    if (line.charCodeAt(e - 1) === CH_RPAREN || line.charCodeAt(e - 1) === CH_RBRACKET) pre.verbose = true;
    tokens?.push(tok('ipHeader', index, ip, e));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Endpoints
// ---------------------------------------------------------------------------------------------------------------

/** Endpoints printed as bare ports after an earlier `addr > addr:` (IPv6 hop-by-hop jumbograms). */
function portsAfterAddresses(line: string, before: number): [Endpoint, Endpoint] | undefined {
  const sp = portOf(line.slice(where.srcStart, where.srcEnd));
  const dp = portOf(line.slice(where.dstStart, where.dstEnd));
  if (typeof sp !== 'number' || typeof dp !== 'number') return undefined;
  const g = line.lastIndexOf(' > ', before);
  if (g < 0) return undefined;
  const a0 = backToSpace(line, g);
  const b1 = wordEnd(line, g + 3);
  if (a0 === g || line.charCodeAt(b1 - 1) !== CH_COLON || b1 - 1 <= g + 3) return undefined;
  return [endpoint(line.slice(a0, g), sp), endpoint(line.slice(g + 3, b1 - 1), dp)];
}

interface Where {
  srcStart: number;
  srcEnd: number;
  dstStart: number;
  dstEnd: number;
  /** First character of the TCP part after `dst: `. */
  body: number;
  kind: 'flags' | 'old' | 'quiet' | 'trunc';
}

const where: Where = { srcStart: 0, srcEnd: 0, dstStart: 0, dstEnd: 0, body: 0, kind: 'flags' };

function backToSpace(line: string, i: number): number {
  while (i > 0 && !isSpace(line.charCodeAt(i - 1))) i--;
  return i;
}

/** Checks `src > dst` ending at `dstEnd` and fills `where`'s endpoints. */
function endpointsBefore(line: string, dstEnd: number): boolean {
  const dstStart = backToSpace(line, dstEnd);
  if (dstStart < 3 || dstStart === dstEnd) return false;
  if (line.charCodeAt(dstStart - 1) !== CH_SPACE || line.charCodeAt(dstStart - 2) !== CH_GT) return false;
  if (line.charCodeAt(dstStart - 3) !== CH_SPACE) return false;
  const srcEnd = dstStart - 3;
  const srcStart = backToSpace(line, srcEnd);
  if (srcStart === srcEnd) return false;
  where.srcStart = srcStart;
  where.srcEnd = srcEnd;
  where.dstStart = dstStart;
  where.dstEnd = dstEnd;
  return true;
}

const MAX_TRIES = 8;

/** Finds the TCP part of a line. Returns false when the line does not look like a TCP packet at all. */
function locateTcp(line: string): boolean {
  let k = line.indexOf(': Flags [');
  for (let n = 0; k >= 0 && n < MAX_TRIES; n++) {
    if (endpointsBefore(line, k)) {
      where.body = k + 2;
      where.kind = 'flags';
      return true;
    }
    k = line.indexOf(': Flags [', k + 1);
  }
  // 3.x summaries, -q, a header cut before the flags: `src > dst: <body>`.
  let g = line.indexOf(' > ');
  for (let n = 0; g >= 0 && n < MAX_TRIES; n++) {
    const dstStart = g + 3;
    const sp = wordEnd(line, dstStart);
    if (sp > dstStart + 1 && line.charCodeAt(sp - 1) === CH_COLON && sp < line.length) {
      const body = skipSpaces(line, sp);
      const kind = bodyKind(line, body);
      if (kind !== undefined && endpointsBefore(line, sp - 1)) {
        where.body = body;
        where.kind = kind;
        return true;
      }
    }
    g = line.indexOf(' > ', g + 1);
  }
  return false;
}

function bodyKind(line: string, i: number): Where['kind'] | undefined {
  if (hasAt(line, i, 'tcp ') && isDigit(line.charCodeAt(i + 4))) return 'quiet';
  if (hasAt(line, i, '[|tcp]')) return 'trunc';
  const j = oldFlagsEnd(line, i);
  return j > i ? 'old' : undefined;
}

/** 3.x flags: letters S F P R W E U, or a lone `.`; followed by a space, a comma or the end. Returns i when absent. */
function oldFlagsEnd(line: string, i: number): number {
  let j = i;
  if (line.charCodeAt(j) === CH_DOT) {
    j++;
  } else {
    while (j < line.length && j - i < 8 && OLD_FLAG_BITS[line.charCodeAt(j)] !== undefined) j++;
  }
  if (j === i) return i;
  if (j < line.length) {
    const c = line.charCodeAt(j);
    if (c !== CH_SPACE && c !== CH_COMMA) return i;
  }
  return j;
}

// Flag letters: 4.x `Flags [S.EWe]` and 3.x `S`, `FP`. W is CWR, E is ECE, e is AE (accurate ECN), `.` is ACK.
const FLAG_BITS: (number | undefined)[] = [];
FLAG_BITS['S'.charCodeAt(0)] = F_SYN;
FLAG_BITS['F'.charCodeAt(0)] = F_FIN;
FLAG_BITS['P'.charCodeAt(0)] = F_PSH;
FLAG_BITS['R'.charCodeAt(0)] = F_RST;
FLAG_BITS['U'.charCodeAt(0)] = F_URG;
FLAG_BITS['W'.charCodeAt(0)] = F_CWR;
FLAG_BITS['E'.charCodeAt(0)] = F_ECE;
FLAG_BITS['e'.charCodeAt(0)] = F_AE;
FLAG_BITS[CH_DOT] = F_ACK;
const OLD_FLAG_BITS: (number | undefined)[] = FLAG_BITS.slice();
OLD_FLAG_BITS[CH_DOT] = undefined;
OLD_FLAG_BITS['e'.charCodeAt(0)] = undefined;

// ---------------------------------------------------------------------------------------------------------------
// The TCP part
// ---------------------------------------------------------------------------------------------------------------

/** Outcome of reading the TCP part: a draft, or why not. */
const FAIL = 0;
const OK = 1;

/** The last `closingBracket` call met a `[` inside the brackets it closed (or before the line ended). */
let innerBracket = false;

/** Finds the `]` that closes the `[` at `open`, counting nested brackets; -1 when the line ends first. */
function closingBracket(line: string, open: number): number {
  // Usually no bracket inside: the first `]` closes it (two native scans instead of a loop).
  const first = line.charCodeAt(open) === CH_LBRACKET ? line.indexOf(']', open + 1) : -1;
  if (first >= 0) {
    const inner = line.indexOf('[', open + 1);
    if (inner < 0 || inner > first) {
      innerBracket = false;
      return first;
    }
  }
  let depth = 0;
  innerBracket = false;
  for (let i = open; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === CH_LBRACKET) {
      depth++;
      if (depth > 1) innerBracket = true;
    } else if (c === CH_RBRACKET) {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

// Field names after the flags, told apart by their first letter before one startsWith check.
const F_SEQ = 1;
const F_ACK_ = 2;
const F_WIN = 3;
const F_URG_ = 4;
const F_OPTIONS = 5;
const F_CKSUM = 6;
const F_LENGTH = 7;

/** The last options list read had brackets or braces inside (`mptcp ... flags [H]`, `[bad opt]`, `{a:b}`). */
let optionsNested = false;

/** Reads the options list between `start` and `end` (exclusive), separated by top-level commas. */
function readOptions(
  line: string,
  start: number,
  end: number,
  index: number,
  tokens: Token[] | undefined,
  old: boolean,
  intern: Interner | undefined,
): OptionsDraft {
  const o = optionsDraft();
  let depth = 0;
  let itemStart = start;
  optionsNested = false;
  for (let i = start; i <= end; i++) {
    const c = i < end ? line.charCodeAt(i) : CH_COMMA;
    if (c === CH_LBRACKET || c === CH_LBRACE || (c === CH_LT && i !== start)) {
      depth++;
      optionsNested = true;
    }
    else if (c === CH_RBRACKET || c === CH_RBRACE) depth--;
    else if (c === CH_COMMA && depth <= 0) {
      let s = itemStart;
      while (s < i && isSpace(line.charCodeAt(s))) s++;
      let e = i;
      while (e > s && isSpace(line.charCodeAt(e - 1))) e--;
      if (e > s) readOption(line, s, e, index, tokens, o, old, intern);
      itemStart = i + 1;
      depth = 0;
    }
  }
  return o;
}

/** Option names we read values from; anything else is kept as printed. */
const enum Opt {
  Other,
  Mss,
  Wscale,
  SackOk,
  Ts,
  Timestamp,
  Sack,
}

function optionKind(line: string, s: number, nameEnd: number): Opt {
  switch (nameEnd - s) {
    case 2:
      return hasAt(line, s, 'TS') ? Opt.Ts : Opt.Other;
    case 3:
      return hasAt(line, s, 'mss') ? Opt.Mss : Opt.Other;
    case 4:
      return hasAt(line, s, 'sack') ? Opt.Sack : Opt.Other;
    case 6:
      return hasAt(line, s, 'wscale') ? Opt.Wscale : hasAt(line, s, 'sackOK') ? Opt.SackOk : Opt.Other;
    case 9:
      return hasAt(line, s, 'timestamp') ? Opt.Timestamp : Opt.Other;
    default:
      return Opt.Other;
  }
}

const OPT_NAMES = ['', 'mss', 'wscale', 'sackOK', 'TS', 'TS', 'sack'];

function readOption(
  line: string,
  s: number,
  e: number,
  index: number,
  tokens: Token[] | undefined,
  o: OptionsDraft,
  old: boolean,
  intern: Interner | undefined,
): void {
  let nameEnd = s;
  while (nameEnd < e && !isSpace(line.charCodeAt(nameEnd))) nameEnd++;
  const kind = optionKind(line, s, nameEnd);
  // `nop`, `sackOK`, `mss 1460`, `wscale 7` repeat from packet to packet; timestamps and SACK blocks do not.
  const unique = kind === Opt.Ts || kind === Opt.Timestamp || kind === Opt.Sack || e - s > 24;
  addRaw(intern !== undefined && !unique ? intern.get(line, s, e) : line.slice(s, e));
  const v = nameEnd + 1;
  switch (kind) {
    case Opt.Mss: {
      const n = readUint(line, v);
      if (!Number.isNaN(n) && scan.end === e) o.mss = n;
      break;
    }
    case Opt.Wscale: {
      const n = readUint(line, v);
      if (!Number.isNaN(n) && scan.end === e) o.wscale = n;
      break;
    }
    case Opt.SackOk:
      o.sackPermitted = true;
      break;
    case Opt.Ts:
    case Opt.Timestamp: {
      // 4.x `TS val 1 ecr 0`; 3.x `timestamp 1 0`.
      let p = v;
      if (!old && kind === Opt.Ts) {
        if (!hasAt(line, p, 'val ')) break;
        p += 4;
      }
      const val = readUint(line, p);
      p = scan.end;
      if (Number.isNaN(val)) break;
      if (kind === Opt.Ts) {
        if (!hasAt(line, p, ' ecr ')) break;
        p += 5;
      } else {
        p += 1;
      }
      const ecr = readUint(line, p);
      if (Number.isNaN(ecr)) break;
      o.tsVal = val;
      o.tsEcr = ecr;
      break;
    }
    case Opt.Sack: {
      // `sack 2 {a:b}{c:d}`.
      let p = line.indexOf('{', v);
      while (p >= 0 && p < e) {
        const a = readUint(line, p + 1);
        if (Number.isNaN(a) || line.charCodeAt(scan.end) !== CH_COLON) break;
        const b = readUint(line, scan.end + 1);
        if (Number.isNaN(b) || line.charCodeAt(scan.end) !== CH_RBRACE) break;
        (o.sack ??= []).push([a, b]);
        p = scan.end + 1;
        if (line.charCodeAt(p) !== CH_LBRACE) break;
      }
      break;
    }
    default:
      break;
  }
  tokens?.push(optTok(index, s, e, kind === Opt.Other ? line.slice(s, nameEnd) : OPT_NAMES[kind]!));
}

/** The segment being built by `readBody`. */
interface Body {
  mask: number;
  flagText: string;
  seq: number | undefined;
  seqEnd: number | undefined;
  ack: number | undefined;
  win: number | undefined;
  urg: number | undefined;
  len: number;
  options: OptionsDraft | undefined;
  /** A 4.x `options [...]` list was seen but not read (see `readBody`'s `defer`); its `[` is at `optionsOpen`. */
  deferredOptions: boolean;
  optionsOpen: number;
  truncated: boolean;
  old: boolean;
  payloadEnd: number;
}

const body: Body = {
  mask: 0,
  flagText: '',
  seq: undefined,
  seqEnd: undefined,
  ack: undefined,
  win: undefined,
  urg: undefined,
  len: 0,
  options: undefined,
  deferredOptions: false,
  optionsOpen: -1,
  truncated: false,
  old: false,
  payloadEnd: 0,
};

function resetBody(): void {
  body.mask = 0;
  body.flagText = '';
  body.seq = undefined;
  body.seqEnd = undefined;
  body.ack = undefined;
  body.win = undefined;
  body.urg = undefined;
  body.len = 0;
  body.options = undefined;
  body.deferredOptions = false;
  body.truncated = false;
  body.old = false;
}

/** Reads the rest of the line after `length N` / `: `: payload decoder text, truncation marks. */
function readTail(line: string, i: number, index: number, tokens: Token[] | undefined): void {
  let p = i;
  if (line.charCodeAt(p) === CH_COLON) p++;
  p = skipSpaces(line, p);
  let e = line.length;
  while (e > p && isSpace(line.charCodeAt(e - 1))) e--;
  // A `[|tcp]` out here (`length 58 [|tcp]`) cut the decoding of the payload (RST diagnostic text), not the header.
  if (e > p) tokens?.push(tok('payload', index, p, e));
}

/** line[p + 1] and line[p + 2] are `b` and `c`, then a space: `seq `, `ack `, ... once their first letter is known. */
function rest3(line: string, p: number, b: number, c: number): boolean {
  return line.charCodeAt(p + 1) === b && line.charCodeAt(p + 2) === c && line.charCodeAt(p + 3) === CH_SPACE;
}

/** 4.x: `Flags [P.], cksum 0x1 (correct), seq 1:9, ack 1, win 64, urg 1, options [...], length 8: HTTP`. */
function readNewBody(line: string, start: number, index: number, tokens: Token[] | undefined, intern: Interner | undefined, defer: boolean): number {
  // start points at `Flags [`.
  const open = start + 6;
  const close = line.indexOf(']', open);
  if (close < 0 || close - open > 16) return FAIL;
  let mask = 0;
  if (close - open === 5 && hasAt(line, open + 1, 'none')) {
    mask = 0;
  } else {
    for (let i = open + 1; i < close; i++) {
      const bit = FLAG_BITS[line.charCodeAt(i)];
      if (bit === undefined) return FAIL;
      mask |= bit;
    }
    if (close === open + 1) return FAIL;
  }
  body.mask = mask;
  body.flagText = flagTextOf(line, open + 1, close, mask, intern);
  tokens?.push(tok('flags', index, start, close + 1));
  let p = close + 1;
  let sawLength = false;
  // tcpdump stops printing after `[bad opt]` / `[bad hdr length ...]`: no `length` follows.
  let cut = false;
  while (p < line.length) {
    if (line.charCodeAt(p) === CH_COMMA) p++;
    const q = skipSpaces(line, p);
    if (q === p && p < line.length) return FAIL;
    p = q;
    if (p >= line.length) break;
    const c = line.charCodeAt(p);
    if (c === CH_LBRACKET) {
      // `[|tcp]`, `[bad hdr length 4 - too short, < 20]`, `[remaining caplen(24) < header length(28)]` ...
      const e = closingBracket(line, p);
      if (hasAt(line, p, '[|tcp]')) body.truncated = true;
      else if (hasAt(line, p, '[bad ')) cut = true;
      if (e < 0) return body.truncated ? OK : FAIL;
      p = e + 1;
      continue;
    }
    const f = c === 115 /* s */ ? F_SEQ : c === 97 /* a */ ? F_ACK_ : c === 119 /* w */ ? F_WIN : c === 117 /* u */ ? F_URG_ : c === 111 /* o */ ? F_OPTIONS : c === 99 /* c */ ? F_CKSUM : c === 108 /* l */ ? F_LENGTH : 0;
    if (f === F_SEQ && rest3(line, p, 101, 113)) {
      const a = readUint(line, p + 4);
      if (Number.isNaN(a)) return FAIL;
      let e = scan.end;
      body.seq = a;
      if (line.charCodeAt(e) === CH_COLON) {
        const b = readUint(line, e + 1);
        if (Number.isNaN(b)) return FAIL;
        body.seqEnd = b;
        e = scan.end;
      }
      if (!isFieldEnd(line, e)) return FAIL;
      tokens?.push(tok('seq', index, p, e));
      p = e;
    } else if (f === F_ACK_ && rest3(line, p, 99, 107)) {
      const v = readUintField(line, p + 4);
      if (Number.isNaN(v)) return FAIL;
      body.ack = v;
      tokens?.push(tok('ack', index, p, scan.end));
      p = scan.end;
    } else if (f === F_WIN && rest3(line, p, 105, 110)) {
      const v = readUintField(line, p + 4);
      if (Number.isNaN(v)) return FAIL;
      body.win = v;
      tokens?.push(tok('win', index, p, scan.end));
      p = scan.end;
    } else if (f === F_URG_ && rest3(line, p, 114, 103)) {
      const v = readUintField(line, p + 4);
      if (Number.isNaN(v)) return FAIL;
      body.urg = v;
      tokens?.push(tok('urg', index, p, scan.end));
      p = scan.end;
    } else if (f === F_OPTIONS && hasAt(line, p, 'options [')) {
      const open2 = p + 8;
      const e = closingBracket(line, open2);
      const inner = e < 0 ? line.length : e;
      // A SYN's options (MSS, window scale, SACK permitted) are read by the connection rebuild: read them now, once.
      if (defer && (body.mask & F_SYN) === 0) {
        // What the list holds does not change whether the line reads; a `[bad opt]` inside it does (see below).
        body.deferredOptions = true;
        body.optionsOpen = open2;
        optionsNested = innerBracket;
      } else {
        body.options = readOptions(line, open2 + 1, inner, index, tokens, false, intern);
      }
      if (e < 0) {
        // Options cut by the snapshot length: `options [unknown-48 0x3030 [|tcp]`.
        if (line.indexOf('[|tcp]', open2) < 0) return FAIL;
        body.truncated = true;
        return OK;
      }
      if (optionsNested) {
        const bad = line.indexOf('[bad opt]', open2 + 1);
        if (bad >= 0 && bad < e) cut = true;
      }
      p = e + 1;
    } else if (f === F_CKSUM && hasAt(line, p, 'cksum ')) {
      let e = wordEnd(line, p + 6);
      if (line.charCodeAt(e) === CH_SPACE && line.charCodeAt(e + 1) === CH_LPAREN) {
        const close2 = line.indexOf(')', e);
        if (close2 < 0) return FAIL;
        e = close2 + 1;
      }
      if (line.charCodeAt(e - 1) === CH_COMMA) e--;
      tokens?.push(tok('checksum', index, p, e));
      p = e;
    } else if (f === F_LENGTH && hasAt(line, p, 'length ')) {
      const v = readUint(line, p + 7);
      if (Number.isNaN(v)) return FAIL;
      const e = scan.end;
      if (e < line.length) {
        const c2 = line.charCodeAt(e);
        if (c2 !== CH_COLON && c2 !== CH_SPACE) return FAIL;
      }
      body.len = v;
      if (tokens !== undefined) {
        tokens.push(tok('length', index, p, e));
        readTail(line, e, index, tokens);
      }
      sawLength = true;
      break;
    } else {
      return FAIL;
    }
  }
  return sawLength || body.truncated || cut ? OK : FAIL;
}

/** The flags as printed; the usual spelling of each set of flags is kept once and shared. */
function flagTextOf(line: string, s: number, e: number, mask: number, intern: Interner | undefined): string {
  if (intern === undefined) return line.slice(s, e);
  const seen = FLAG_TEXTS[mask];
  if (seen !== undefined && seen.length === e - s && line.startsWith(seen, s)) return seen;
  const text = intern.get(line, s, e);
  if (seen === undefined) FLAG_TEXTS[mask] = text.split('').join('');
  return text;
}

/** Flag texts by their bit mask (`S.` for SYN|ACK, `none` for 0): flat strings of their own, not slices of a document. */
const FLAG_TEXTS: (string | undefined)[] = [];

/** 3.x: `S 768512:768512(0) win 4096 <mss 1024>`, `. ack 1 win 4096`, `P, cksum 0x1 (correct), 1:2(1) ack 1 ...`. */
function readOldBody(line: string, start: number, index: number, tokens: Token[] | undefined, intern?: Interner): number {
  const fe = oldFlagsEnd(line, start);
  if (fe === start) return FAIL;
  let mask = 0;
  for (let i = start; i < fe; i++) mask |= OLD_FLAG_BITS[line.charCodeAt(i)] ?? 0;
  body.flagText = intern !== undefined ? intern.get(line, start, fe) : line.slice(start, fe);
  body.old = true;
  tokens?.push(tok('flags', index, start, fe));
  let fields = 0;
  let p = fe;
  while (p < line.length) {
    if (line.charCodeAt(p) === CH_COMMA) p++;
    p = skipSpaces(line, p);
    if (p >= line.length) break;
    const c = line.charCodeAt(p);
    if (isDigit(c)) {
      // first:last(nbytes)
      const a = readUint(line, p);
      if (Number.isNaN(a) || line.charCodeAt(scan.end) !== CH_COLON) return FAIL;
      const b = readUint(line, scan.end + 1);
      if (Number.isNaN(b) || line.charCodeAt(scan.end) !== CH_LPAREN) return FAIL;
      const n = readUint(line, scan.end + 1);
      if (Number.isNaN(n) || line.charCodeAt(scan.end) !== CH_RPAREN) return FAIL;
      body.seq = a;
      body.seqEnd = b;
      body.len = n;
      tokens?.push(tok('seq', index, p, scan.end + 1));
      p = scan.end + 1;
      fields++;
    } else if (hasAt(line, p, 'ack ')) {
      const v = readUintField(line, p + 4);
      if (Number.isNaN(v)) return FAIL;
      body.ack = v;
      mask |= F_ACK; // 3.x prints `ack` exactly when the ACK bit is set
      tokens?.push(tok('ack', index, p, scan.end));
      p = scan.end;
      fields++;
    } else if (hasAt(line, p, 'win ')) {
      const v = readUintField(line, p + 4);
      if (Number.isNaN(v)) return FAIL;
      body.win = v;
      tokens?.push(tok('win', index, p, scan.end));
      p = scan.end;
      fields++;
    } else if (hasAt(line, p, 'urg ')) {
      const v = readUintField(line, p + 4);
      if (Number.isNaN(v)) return FAIL;
      body.urg = v;
      tokens?.push(tok('urg', index, p, scan.end));
      p = scan.end;
    } else if (hasAt(line, p, 'cksum ')) {
      let e = wordEnd(line, p + 6);
      if (line.charCodeAt(e) === CH_SPACE && line.charCodeAt(e + 1) === CH_LPAREN) {
        const close2 = line.indexOf(')', e);
        if (close2 < 0) return FAIL;
        e = close2 + 1;
      }
      if (line.charCodeAt(e - 1) === CH_COMMA) e--;
      tokens?.push(tok('checksum', index, p, e));
      p = e;
    } else if (c === CH_LT) {
      const e = line.indexOf('>', p);
      if (e < 0) return FAIL;
      body.options = readOptions(line, p + 1, e, index, tokens, true, intern);
      p = e + 1;
      fields++;
    } else if (hasAt(line, p, '[|tcp]')) {
      body.truncated = true;
      p += 6;
      fields++;
    } else if (c === CH_COLON) {
      readTail(line, p, index, tokens);
      break;
    } else if (c === CH_LBRACKET || c === CH_LPAREN) {
      // `(DF)`, `[tos 0x10]`, `(ttl 64, id 1)`: IP notes 3.x printed after the TCP part.
      const e = line.indexOf(c === CH_LBRACKET ? ']' : ')', p);
      if (e < 0) return FAIL;
      p = e + 1;
    } else {
      return FAIL;
    }
  }
  if (fields === 0) return FAIL;
  body.mask = mask;
  return OK;
}

/** -q: `src > dst: tcp 8`. */
function readQuietBody(line: string, start: number, index: number, tokens: Token[] | undefined): number {
  const v = readUint(line, start + 4);
  if (Number.isNaN(v)) return FAIL;
  const e = scan.end;
  if (e < line.length && !isSpace(line.charCodeAt(e))) return FAIL;
  body.len = v;
  tokens?.push(tok('length', index, start, e));
  if (e < line.length) readTail(line, e, index, tokens);
  return OK;
}

// ---------------------------------------------------------------------------------------------------------------
// Furniture
// ---------------------------------------------------------------------------------------------------------------

const FURNITURE_PREFIXES = ['listening on ', 'reading from file ', 'reading from ', 'tcpdump: ', 'dropped privs to ', 'Warning: '];
const COUNT_SUFFIXES = [
  ' captured',
  ' received by filter',
  ' dropped by kernel',
  ' dropped by interface',
];

/** tcpdump's own lines: `listening on lo, link-type EN10MB ...`, `11 packets captured`, `tcpdump: verbose ...`. */
export function isTcpdumpFurniture(line: string): boolean {
  const c = line.charCodeAt(0);
  if (isDigit(c)) {
    const n = readUint(line, 0);
    if (Number.isNaN(n)) return false;
    const p = scan.end;
    if (line.charCodeAt(p + 1) !== 112 /* p */ || !hasAt(line, p, ' packet')) return false;
    let e = line.length;
    while (e > p && isSpace(line.charCodeAt(e - 1))) e--;
    for (const s of COUNT_SUFFIXES) if (line.endsWith(s, e) && e - p <= 40) return true;
    return false;
  }
  for (const p of FURNITURE_PREFIXES) {
    if (line.startsWith(p)) {
      if (p === 'listening on ' || p === 'reading from file ') return line.indexOf('link-type') > 0 || line.indexOf('capture size') > 0 || line.indexOf('snapshot length') > 0;
      if (p === 'reading from ') return line.indexOf('link-type') > 0;
      if (p === 'Warning: ') return line.indexOf('promiscuous') > 0 || line.indexOf('interface') > 0;
      return true;
    }
  }
  return false;
}

/** The command itself, pasted among its output without a shell prompt: `tcpdump -r x.pcap -nv host 10.0.0.1`. */
function isTcpdumpCommand(line: string): boolean {
  const c0 = line.charCodeAt(0);
  if (c0 !== 116 /* t */ && c0 !== 115 /* s */) return false;
  if (!line.startsWith('tcpdump ') && !line.startsWith('sudo tcpdump ')) return false;
  const d = line.indexOf(' -');
  if (d < 0) return false;
  const c = line.charCodeAt(d + 2);
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 35;
}

/** `\t0x0000:  4500 003c ...` (-x, -X, -xx, -XX). */
function isHexDump(line: string): boolean {
  const i = skipSpaces(line, 0);
  if (i === 0 || !hasAt(line, i, '0x')) return false;
  for (let k = i + 2; k < i + 6; k++) {
    const c = line.charCodeAt(k);
    const hex = isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
    if (!hex) return false;
  }
  return line.charCodeAt(i + 6) === CH_COLON;
}

/** First line of an -A / -AA dump: the IP header bytes come out as dots with a few printable characters. */
function looksLikeAsciiDump(line: string): boolean {
  const n = Math.min(line.length, 20);
  let dots = 0;
  for (let i = 0; i < n; i++) if (line.charCodeAt(i) === CH_DOT) dots++;
  return dots >= 4 && line.indexOf(' > ') < 0;
}

/** A line whose TCP-ness is written on it: garbled versions of these are reported, not passed over. */
function hasTcpMarker(line: string): boolean {
  return line.indexOf(': Flags [') >= 0 || line.indexOf('proto TCP (6)') >= 0;
}

/** `STP 802.1s, Rapid STP, ..., length 102`: a protocol name in capitals, then the decoder's fields. */
function isNestedFrame(line: string): boolean {
  let i = 0;
  while (i < line.length && i < 16) {
    const c = line.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || isDigit(c) || c === CH_DOT || c === 45)) break;
    i++;
  }
  if (i < 2 || i >= line.length) return false;
  const c = line.charCodeAt(i);
  return (c === CH_SPACE || c === CH_COMMA) && (line.indexOf(', length ', i) > 0 || hasAt(line, i, ' length '));
}

/** The shape of any tcpdump packet line: `src > dst: ...` or ARP's `ARP, Request ...`. */
function hasPacketShape(line: string, from: number): boolean {
  if (hasAt(line, from, 'ARP, ') || hasAt(line, from, 'RARP, ')) return true;
  const g = line.indexOf(' > ', from);
  if (g < 0) return false;
  const e = wordEnd(line, g + 3);
  if (e <= g + 4) return false;
  const c = line.charCodeAt(e - 1);
  // `a.b > c.d: UDP ...`, and with -e `00:1f:29:da:2d:79 > ff:ff:ff:ff:ff:ff, ethertype ARP ...`.
  return c === CH_COLON || c === CH_COMMA;
}

/** Reads the TCP part found by `locateTcp` into `body`. */
function readBody(line: string, index: number, tokens: Token[] | undefined, intern: Interner | undefined, defer = false): number {
  resetBody();
  switch (where.kind) {
    case 'flags':
      return readNewBody(line, where.body, index, tokens, intern, defer);
    case 'old':
      return readOldBody(line, where.body, index, tokens, intern);
    case 'quiet':
      return readQuietBody(line, where.body, index, tokens);
    default:
      body.truncated = true;
      tokens?.push(tok('payload', index, where.body, where.body + 6));
      return OK;
  }
}

/** Builds a tcpdump segment's tokens from its lines (see PacketSegment): the same scan, with tokens this time. */
function tcpdumpTokens(text: string, at: number, head: string | undefined, headAt: number, more: readonly (string | number)[] | undefined): Token[] {
  const tokens: Token[] = [];
  if (head !== undefined) {
    let e = head.length;
    while (e > 0 && isSpace(head.charCodeAt(e - 1))) e--;
    readLead(head, e, headAt, tokens);
    readMiddle(head, pre.rest, e, headAt, tokens);
  }
  if (locateTcp(text)) {
    readLead(text, where.srcStart, at, tokens);
    readMiddle(text, pre.rest, where.srcStart, at, tokens);
    tokens.push(tok('srcEndpoint', at, where.srcStart, where.srcEnd));
    tokens.push(tok('dstEndpoint', at, where.dstStart, where.dstEnd));
    readBody(text, at, tokens, undefined);
  }
  if (more !== undefined) {
    for (let k = 0; k + 1 < more.length; k += 2) {
      const line = more[k + 1] as string;
      const s = skipSpaces(line, 0);
      let e = line.length;
      while (e > s && isSpace(line.charCodeAt(e - 1))) e--;
      if (e > s) tokens.push(tok('payload', more[k] as number, s, e));
    }
  }
  return tokens;
}

const TcpdumpSegment = segmentClass(tcpdumpTokens);

/**
 * A 4.x segment's options, read from its summary line: the list whose `[` is at `open` (what readNewBody does
 * there), or, not knowing where, by reading the line again.
 */
function optionsAgain(text: string, open: number): TcpOptions | undefined {
  if (open >= 0 && text.charCodeAt(open) === CH_LBRACKET) {
    const e = closingBracket(text, open);
    return finishOptions(readOptions(text, open + 1, e < 0 ? text.length : e, -1, undefined, false, undefined));
  }
  if (!locateTcp(text) || where.kind !== 'flags') return undefined;
  resetBody();
  if (readNewBody(text, where.body, -1, undefined, undefined, false) !== OK) return undefined;
  return body.options !== undefined ? finishOptions(body.options) : undefined;
}

const DEFERRED_OPTIONS = deferredOptions(optionsAgain);

// ---------------------------------------------------------------------------------------------------------------
// The block reader
// ---------------------------------------------------------------------------------------------------------------

type TimeStyle = 'none' | 'clock' | 'date' | 'epoch' | 'lead';

interface PendingV {
  index: number;
  isTcp: boolean;
  text: string;
  number: number | undefined;
  timeText: string | undefined;
  timeSeconds: number | undefined;
  leadSlot: number;
  iface: string | undefined;
  direction: string | undefined;
}

class TcpdumpBlock implements BlockReader {
  private readonly segments: Segment[];
  /** Where the segments read their line again (when the document's lines stay as they are). */
  private readonly lines: LineText | undefined;
  /** Segments this block read (the sink's array is shared by every block of the document). */
  private ownSegments = 0;
  /** The packet the next continuation lines belong to; `seg` is its segment when it is TCP. */
  private inPacket = false;
  private seg: PacketSegment | undefined;
  /** The previous fed line was a packet line (an -A dump starts right after it). */
  private justPacket = false;
  private ascii = false;
  private asciiSeen = false;
  private pending: PendingV | undefined;
  /** Outer packet's number/time, for TCP packets printed inside another (-v tunnels). */
  private outerNumber: number | undefined;
  private outerTime: string | undefined;
  private outerSeconds: number | undefined;
  private outerSlot = -1;

  // Timing: one scale per block.
  private dayOffset = 0;
  private lastClock = -1;
  private readonly leadValues: number[] = [];
  private readonly leadSegments: (PacketSegment | undefined)[] = [];
  private readonly intern = new Interner();
  private readonly endpoints = new EndpointCache();

  // What the block showed, for its variant.
  private style: TimeStyle | undefined;
  private nano = false;
  private numbered = false;
  private verbose = false;
  private link = false;
  private anyIface = false;
  private oldStyle = false;
  private quiet = false;
  private hex = false;

  constructor(
    private readonly block: number,
    sink: RecordSink,
  ) {
    this.segments = sink.segments;
    this.lines = sink.lines;
  }

  feed(line: string, index: number): LineVerdict {
    const afterPacket = this.justPacket;
    this.justPacket = false;
    return this.read(line, index, afterPacket);
  }

  private read(line: string, index: number, afterPacket: boolean): LineVerdict {
    const indented = line.length > 0 && isSpace(line.charCodeAt(0));
    if (!indented && (isTcpdumpFurniture(line) || isTcpdumpCommand(line))) {
      this.endPacket();
      return 'header';
    }
    if (indented && isHexDump(line)) {
      this.hex = true;
      this.pending = undefined;
      return this.inPacket ? this.attach(index, line) : 'other';
    }
    const tcp = this.readTcp(line, index, indented);
    if (tcp !== undefined) return tcp;
    const v = this.readVHeader(line, index, indented);
    if (v !== undefined) return v;
    if (this.pending !== undefined) {
      const wasTcp = this.pending.isTcp;
      this.pending = undefined;
      if (indented) {
        // The second line of a -v packet: the TCP summary that failed to read, or another protocol's.
        return wasTcp ? 'unparsed' : 'header';
      }
    }
    if (this.isOtherPacket(line, indented)) {
      this.endPacket();
      this.inPacket = true;
      this.justPacket = true;
      return 'header';
    }
    if (this.inPacket) {
      if (indented || hasAt(line, 0, '[|')) {
        // Protocol decoder output (HTTP text, BGP attributes, DNS records, `[|BGP Update]` ...) belongs to the
        // packet above.
        return this.attach(index, line);
      }
      if (this.ascii || (afterPacket && looksLikeAsciiDump(line))) {
        this.ascii = true;
        this.asciiSeen = true;
        return this.attach(index, line);
      }
      // A frame decoded inside the packet (OpenFlow, VXLAN carry whole frames): `STP 802.1s, ..., length 102`,
      // `00:16:3e:37:f6:04 > 00:30:88:01:00:02, ethertype IPv4 (0x0800), length 98: ...`.
      if (isNestedFrame(line) || hasPacketShape(line, 0)) return 'header';
    }
    if (hasTcpMarker(line)) return 'unparsed';
    return 'other';
  }

  /** A TCP packet line: new segment ('record'), or the second line of a -v pair ('continuation'). */
  private readTcp(line: string, index: number, indented: boolean): LineVerdict | undefined {
    if (!locateTcp(line)) return undefined;
    const pending = this.pending !== undefined && this.pending.isTcp ? this.pending : undefined;
    readLead(line, where.srcStart, index, undefined);
    readMiddle(line, pre.rest, where.srcStart, index, undefined);
    let src = this.endpoints.get(line, where.srcStart, where.srcEnd, splitDottedEndpoint);
    let dst = this.endpoints.get(line, where.dstStart, where.dstEnd, splitDottedEndpoint);
    if (src === undefined && dst === undefined) {
      // IPv6 jumbograms: `a > b: HBH (jumbo: 80040)  41851 > 43913: Flags [P.]` — ports alone, addresses before.
      const pair = portsAfterAddresses(line, where.srcStart);
      if (pair !== undefined) [src, dst] = pair;
    }
    if (src === undefined || dst === undefined) {
      return where.kind === 'flags' ? 'unparsed' : undefined;
    }
    if (readBody(line, index, undefined, this.intern, true) !== OK) {
      // 3.x and friends were only guessed at from the shape: leave the verdict to the other checks.
      if (where.kind !== 'flags') return undefined;
      this.pending = undefined;
      this.endPacket();
      return 'unparsed';
    }
    this.pending = undefined;
    const number = pre.number;
    const time = pre.time;
    const lead = pre.lead;
    const iface = pre.iface;
    const direction = pre.direction;
    if (pre.link) this.link = true;
    if (pre.verbose) this.verbose = true;
    if (where.kind === 'old') this.oldStyle = true;
    if (where.kind === 'quiet') this.quiet = true;

    const seg = new TcpdumpSegment(this.block, index, index, src, dst, flagsOf(body.mask), body.flagText, body.len, 'tcpdump', this.lines ?? line);
    let slot = -1;
    let paired = false;
    if (pending !== undefined && time === undefined && number === undefined && pre.rest === where.srcStart) {
      // The -v second line: the record starts on the IP header line above.
      paired = true;
      seg.line = pending.index;
      seg.setHead(pending.text, pending.index);
      if (pending.number !== undefined) seg.number = pending.number;
      if (pending.timeText !== undefined) seg.time = pending.timeText;
      if (pending.timeSeconds !== undefined) seg.timeSeconds = pending.timeSeconds;
      slot = pending.leadSlot;
      if (pending.iface !== undefined) seg.iface = pending.iface;
      if (pending.direction !== undefined) seg.direction = pending.direction;
    } else {
      if (number !== undefined) {
        seg.number = number;
        this.numbered = true;
      }
      if (time !== undefined) {
        seg.time = line.slice(time.start, time.end);
        const secs = this.seconds(time, lead);
        if (lead) slot = this.leadValues.length - 1;
        else if (secs !== undefined) seg.timeSeconds = secs;
      } else if (indented && this.inPacket && this.outerTime !== undefined) {
        // A TCP packet inside another one (tunnels with -v): it shares the outer packet's number and time.
        seg.time = this.outerTime;
        if (this.outerSeconds !== undefined) seg.timeSeconds = this.outerSeconds;
        if (this.outerNumber !== undefined) seg.number = this.outerNumber;
        slot = this.outerSlot;
      } else if (this.style === undefined && !indented) {
        this.style = 'none';
      }
      if (iface !== undefined) {
        seg.iface = iface;
        this.anyIface = true;
      }
      if (direction !== undefined) seg.direction = direction;
    }
    if (slot >= 0 && this.leadSegments[slot] === undefined) this.leadSegments[slot] = seg;
    if (body.seq !== undefined) {
      seg.seq = TAGGED;
      seg.seq = body.seq;
      seg.seqEnd = TAGGED;
      seg.seqEnd = body.seqEnd ?? body.seq + body.len;
    }
    if (body.ack !== undefined) {
      seg.ack = TAGGED;
      seg.ack = body.ack;
    }
    if (body.win !== undefined) seg.win = body.win;
    if (body.urg !== undefined) seg.urg = body.urg;
    if (body.options !== undefined) seg.options = finishOptions(body.options);
    else if (body.deferredOptions) {
      seg.deferAt(body.optionsOpen);
      Reflect.defineProperty(seg, 'options', DEFERRED_OPTIONS);
    }
    if (body.truncated) seg.truncated = true;
    this.segments.push(seg);
    this.ownSegments++;
    // An indented TCP line inside a packet is a tunnelled one; but a line with its own time or number is a packet of
    // its own (-ttt and -ttttt put a space before every time, so every packet line there is "indented").
    const inner = indented && this.inPacket && time === undefined && number === undefined;
    if (!paired && !inner) this.startPacket(seg, number, seg.time, seg.timeSeconds, slot);
    else this.seg = seg;
    this.inPacket = true;
    this.justPacket = true;
    return paired ? 'continuation' : 'record';
  }

  /** The -v first line: `IP (tos 0x0, ttl 64, ..., proto TCP (6), length 60)`, with or without -e/-# before it. */
  private readVHeader(line: string, index: number, indented: boolean): LineVerdict | undefined {
    let e = line.length;
    while (e > 0 && isSpace(line.charCodeAt(e - 1))) e--;
    if (e === 0 || line.charCodeAt(e - 1) !== CH_RPAREN) return undefined;
    readLead(line, e, index, undefined);
    const rest = pre.rest;
    const ipStart = Math.max(line.indexOf('IP (', rest), line.indexOf('IP6 (', rest), line.indexOf(': (', rest));
    if (ipStart < 0) return undefined;
    const proto = line.indexOf('proto', ipStart);
    const next = line.indexOf('next-header', ipStart);
    if (proto < 0 && next < 0) return undefined;
    readMiddle(line, rest, e, index, undefined);
    const isTcp =
      line.indexOf('proto TCP (6)', ipStart) >= 0 ||
      line.indexOf('proto: TCP (6)', ipStart) >= 0 ||
      line.indexOf('next-header TCP (6)', ipStart) >= 0;
    this.verbose = true;
    if (pre.link) this.link = true;
    const time = pre.time;
    let timeText: string | undefined;
    let timeSeconds: number | undefined;
    let slot = -1;
    if (time !== undefined) {
      timeText = line.slice(time.start, time.end);
      timeSeconds = this.seconds(time, pre.lead);
      if (pre.lead) slot = this.leadValues.length - 1;
    } else if (indented && this.inPacket) {
      timeText = this.outerTime;
      timeSeconds = this.outerSeconds;
      slot = this.outerSlot;
    }
    let number = pre.number;
    if (number !== undefined) this.numbered = true;
    else if (indented && this.inPacket) number = this.outerNumber;
    if (pre.iface !== undefined) this.anyIface = true;
    this.pending = {
      index,
      isTcp,
      text: line,
      number,
      timeText,
      timeSeconds: pre.lead ? undefined : timeSeconds,
      leadSlot: slot,
      iface: pre.iface,
      direction: pre.direction,
    };
    if (!(indented && this.inPacket)) {
      this.startPacket(undefined, number, timeText, timeSeconds, slot);
    }
    this.inPacket = true;
    return isTcp ? 'record' : 'header';
  }

  /** A packet line of another protocol (ARP, ICMP, UDP ...): it carries a tcpdump timestamp or a packet's shape. */
  private isOtherPacket(line: string, indented: boolean): boolean {
    readLead(line, line.length, -1, undefined);
    const t = pre.time;
    if (t !== undefined) {
      if (pre.rest >= line.length) return false;
      const secs = this.seconds(t, pre.lead);
      this.outerTime = line.slice(t.start, t.end);
      this.outerSeconds = pre.lead ? undefined : secs;
      this.outerSlot = pre.lead ? this.leadValues.length - 1 : -1;
      this.outerNumber = pre.number;
      return true;
    }
    if (indented && pre.number === undefined) return false;
    if (this.style !== undefined && this.style !== 'none') return false;
    if (!hasPacketShape(line, pre.rest)) return false;
    this.outerTime = undefined;
    this.outerSeconds = undefined;
    this.outerSlot = -1;
    this.outerNumber = pre.number;
    return true;
  }

  private startPacket(
    seg: PacketSegment | undefined,
    number: number | undefined,
    time: string | undefined,
    seconds: number | undefined,
    slot: number,
  ): void {
    this.seg = seg;
    this.ascii = false;
    this.outerNumber = number;
    this.outerTime = time;
    this.outerSeconds = seconds;
    this.outerSlot = slot;
  }

  private endPacket(): void {
    this.inPacket = false;
    this.seg = undefined;
    this.ascii = false;
    this.pending = undefined;
  }

  /**
   * Extends the current packet over a dump/decoder line. A TCP packet's segment grows to cover it ('continuation'); the
   * lines of a packet of another protocol are furniture like the packet line itself ('header').
   */
  private attach(index: number, line: string): LineVerdict {
    const seg = this.seg;
    if (seg === undefined) return 'header';
    seg.lastLine = index;
    seg.addMore(index, line);
    return 'continuation';
  }

  /** Seconds on the block's scale; for -ttt/-ttttt the value is settled in `finish`. */
  private seconds(t: ParsedTime, lead: boolean): number | undefined {
    // tcpdump prints 6 fraction digits, or 9 with --nano; 7 or 8 are a typo, not a sign of --nano.
    if (t.fractionDigits === 9) this.nano = true;
    if (lead) {
      this.style ??= 'lead';
      this.leadValues.push(t.seconds);
      this.leadSegments.push(undefined);
      return undefined;
    }
    switch (t.kind) {
      case 'date':
        this.style ??= 'date';
        return t.seconds;
      case 'epoch':
        this.style ??= 'epoch';
        return t.seconds;
      default: {
        this.style ??= 'clock';
        // A capture that runs past midnight keeps counting up. A time of day of 24 h or more is a typo: it keeps its
        // text but gets no place on the capture's time line (it would move every later packet into the next day, or
        // become the capture's end, which every connection still open is judged against).
        if (t.seconds >= 86400) return undefined;
        if (this.lastClock >= 0 && t.seconds + 43200 < this.lastClock) this.dayOffset += 86400;
        this.lastClock = t.seconds;
        return t.seconds + this.dayOffset;
      }
    }
  }

  finish(): string {
    let style: string = this.style ?? 'none';
    if (this.leadValues.length > 0) {
      // -ttt prints the gap to the previous packet, -ttttt the time since the first; both look the same. Gaps that
      // ever shrink can only be -ttt; a non-decreasing series is read as -ttttt (for two packets both agree).
      const v = this.leadValues;
      let delta = false;
      for (let i = 1; i < v.length; i++) {
        if (v[i]! < v[i - 1]!) {
          delta = true;
          break;
        }
      }
      let sum = 0;
      for (let i = 0; i < v.length; i++) {
        sum = delta ? sum + v[i]! : v[i]!;
        const seg = this.leadSegments[i];
        if (seg !== undefined) seg.timeSeconds = sum;
      }
      if (this.style === 'lead') style = delta ? 'ttt' : 'ttttt';
    }
    const parts = ['tcpdump'];
    if (this.oldStyle) parts.push('3.x');
    if (this.numbered) parts.push('-#');
    switch (style) {
      case 'none':
        if (this.ownSegments > 0 || this.quiet) parts.push('-t');
        break;
      case 'epoch':
        parts.push('-tt');
        break;
      case 'ttt':
        parts.push('-ttt');
        break;
      case 'date':
        parts.push('-tttt');
        break;
      case 'ttttt':
        parts.push('-ttttt');
        break;
      default:
        break;
    }
    if (this.nano) parts.push('--nano');
    if (this.verbose) parts.push('-v');
    if (this.link) parts.push('-e');
    if (this.anyIface) parts.push('-i any');
    if (this.quiet) parts.push('-q');
    if (this.hex) parts.push('-x');
    if (this.asciiSeen) parts.push('-A');
    return parts.join(' ');
  }
}

/** How sure we are that a line opens a tcpdump block. */
function startScore(line: string): 0 | 1 | 2 {
  if (line.length === 0) return 0;
  if (isTcpdumpFurniture(line)) return 2;
  if (locateTcp(line)) {
    // Only commit when the line reads completely.
    const probe = new TcpdumpBlock(-1, { sockets: [], segments: [] });
    const v = probe.feed(line, 0);
    return v === 'record' ? 2 : 0;
  }
  if (line.indexOf('proto TCP (6)') >= 0 || line.indexOf('proto: TCP (6)') >= 0) {
    const probe = new TcpdumpBlock(-1, { sockets: [], segments: [] });
    return probe.feed(line, 0) === 'record' ? 2 : 0;
  }
  // A packet of another protocol with a tcpdump timestamp: plausible, but let a surer reader win.
  readLead(line, line.length, -1, undefined);
  if (pre.time === undefined || pre.rest >= line.length) return 0;
  const r = pre.rest;
  if (hasPacketShape(line, r)) return 1;
  if ((hasAt(line, r, 'IP (') || hasAt(line, r, 'IP6 (')) && line.indexOf('proto', r) > 0) return 1;
  if (isNestedFrame(line.slice(r))) return 1;
  return 0;
}

export const tcpdumpReader: FormatReader = {
  format: 'tcpdump',
  startScore,
  begin: (blockIndex, sink) => new TcpdumpBlock(blockIndex, sink),
};
