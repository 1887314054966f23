/**
 * Scanning helpers shared by the packet-text readers (tcpdump, tshark). Everything here walks strings with
 * charCodeAt/indexOf: no regex on the hot path, few allocations. Functions that read a value out of a line return it
 * and leave the position just past it in `scan.end`, so callers can go on without building intermediate strings.
 */
import type { Endpoint, TcpFlag, Token, TokenKind } from '../model';
import { EndpointTable, RangeCache } from './rangeCache';

/** Where the last successful `read*` call stopped. Module-level to avoid allocating a result object per call. */
export const scan = { end: 0 };

export const CH_SPACE = 32;
export const CH_TAB = 9;
export const CH_0 = 48;
export const CH_9 = 57;
export const CH_DOT = 46;
export const CH_COLON = 58;
export const CH_COMMA = 44;
export const CH_LBRACKET = 91;
export const CH_RBRACKET = 93;
export const CH_LPAREN = 40;
export const CH_RPAREN = 41;
export const CH_LBRACE = 123;
export const CH_RBRACE = 125;
export const CH_MINUS = 45;
export const CH_EQUALS = 61;
export const CH_LT = 60;
export const CH_GT = 62;

export function isDigit(c: number): boolean {
  return c >= CH_0 && c <= CH_9;
}

export function isSpace(c: number): boolean {
  return c === CH_SPACE || c === CH_TAB;
}

export function skipSpaces(line: string, i: number): number {
  while (i < line.length && isSpace(line.charCodeAt(i))) i++;
  return i;
}

/** Index of the first space or tab at or after `i` (or the line's length). */
export function wordEnd(line: string, i: number): number {
  while (i < line.length && !isSpace(line.charCodeAt(i))) i++;
  return i;
}

/** Longest digit run we turn into a number: 2^53 has 16 digits; anything longer is not a TCP field. */
const MAX_DIGITS = 15;

/**
 * Reads an unsigned decimal integer starting at `i`. Returns NaN when there is no digit there or the run is absurdly
 * long. `scan.end` is set past the last digit.
 */
export function readUint(line: string, i: number): number {
  let v = 0;
  let n = 0;
  while (i < line.length) {
    const c = line.charCodeAt(i);
    if (c < CH_0 || c > CH_9) break;
    v = v * 10 + (c - CH_0);
    i++;
    n++;
  }
  scan.end = i;
  if (n === 0 || n > MAX_DIGITS) return NaN;
  return v;
}

/** True when position `i` is the end of a field: end of line, space, comma, colon, closing brackets. */
export function isFieldEnd(line: string, i: number): boolean {
  if (i >= line.length) return true;
  const c = line.charCodeAt(i);
  return c === CH_SPACE || c === CH_TAB || c === CH_COMMA || c === CH_COLON || c === CH_RBRACKET || c === CH_RPAREN;
}

/** Reads an unsigned integer that must end at a field boundary (so `12ab` is refused). */
export function readUintField(line: string, i: number): number {
  const v = readUint(line, i);
  if (Number.isNaN(v) || !isFieldEnd(line, scan.end)) return NaN;
  return v;
}

/** `startsWith` at an offset without allocating. */
export function hasAt(line: string, i: number, s: string): boolean {
  return line.startsWith(s, i);
}

// ---------------------------------------------------------------------------------------------------------------
// Time
// ---------------------------------------------------------------------------------------------------------------

/** A parsed timestamp: its extent on the line and its value. */
export interface ParsedTime {
  readonly start: number;
  readonly end: number;
  /** Seconds: since midnight for a clock, since 1970-01-01 (UTC reading of the printed civil time) for a date. */
  readonly seconds: number;
  readonly kind: 'clock' | 'date' | 'epoch';
  /** Digits after the decimal point (6 micro, 9 nano). */
  readonly fractionDigits: number;
}

/** Reads `.ffffff` after a whole-seconds value; returns the fraction (0 when absent). Sets `scan.end`. */
function readFraction(line: string, i: number): number {
  if (i < line.length && line.charCodeAt(i) === CH_DOT) {
    let v = 0;
    let scale = 1;
    let j = i + 1;
    while (j < line.length && j - i <= 12) {
      const c = line.charCodeAt(j);
      if (c < CH_0 || c > CH_9) break;
      v = v * 10 + (c - CH_0);
      scale *= 10;
      j++;
    }
    if (j === i + 1) {
      scan.end = i;
      return NaN;
    }
    scan.end = j;
    return v / scale;
  }
  scan.end = i;
  return 0;
}

let lastFractionDigits = 0;

/** Reads `H+:MM:SS[.frac]` at `i` (hours may have more than two digits for long deltas). NaN if not a clock. */
export function readClock(line: string, i: number): number {
  const h = readUint(line, i);
  let j = scan.end;
  if (Number.isNaN(h) || j - i > 6 || line.charCodeAt(j) !== CH_COLON) return NaN;
  const m = readUint(line, j + 1);
  if (Number.isNaN(m) || scan.end !== j + 3 || m > 59) return NaN;
  j = scan.end;
  if (line.charCodeAt(j) !== CH_COLON) return NaN;
  const s = readUint(line, j + 1);
  if (Number.isNaN(s) || scan.end !== j + 3 || s > 60) return NaN;
  j = scan.end;
  const f = readFraction(line, j);
  if (Number.isNaN(f)) return NaN;
  lastFractionDigits = scan.end === j ? 0 : scan.end - j - 1;
  return h * 3600 + m * 60 + s + f;
}

/** Days from 1970-01-01 to a proleptic Gregorian civil date; pure arithmetic, independent of any time zone. */
export function daysFromCivil(year: number, month: number, day: number): number {
  // Shift the year so that it starts in March: the leap day then falls at the end of the shifted year.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400; // 0..399
  const shiftedMonth = month > 2 ? month - 3 : month + 9; // March = 0 ... February = 11
  const dayOfYear = Math.floor((153 * shiftedMonth + 2) / 5) + day - 1; // 0..365
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468; // 719468 = days from 0000-03-01 to 1970-01-01
}

/** Reads `YYYY-MM-DD` at `i`; returns days since 1970-01-01 or NaN. */
export function readDate(line: string, i: number): number {
  const y = readUint(line, i);
  if (Number.isNaN(y) || scan.end !== i + 4 || line.charCodeAt(i + 4) !== CH_MINUS) return NaN;
  const mo = readUint(line, i + 5);
  if (Number.isNaN(mo) || scan.end !== i + 7 || line.charCodeAt(i + 7) !== CH_MINUS || mo < 1 || mo > 12) return NaN;
  const d = readUint(line, i + 8);
  if (Number.isNaN(d) || scan.end !== i + 10 || d < 1 || d > 31) return NaN;
  return daysFromCivil(y, mo, d);
}

/**
 * Reads a timestamp at `i` in any of the forms tcpdump and tshark print: `2026-11-21 13:35:11.002393` (date),
 * `13:35:11.002393` (clock; also deltas), `1418145369.924505` (epoch or relative seconds). The value must be followed
 * by a space or the end of the line. Returns undefined when there is no timestamp at `i`.
 */
const timeScratch: { -readonly [K in keyof ParsedTime]: ParsedTime[K] } = { start: 0, end: 0, seconds: 0, kind: 'clock', fractionDigits: 0 };

function timeResult(start: number, end: number, seconds: number, kind: ParsedTime['kind'], fractionDigits: number): ParsedTime {
  timeScratch.start = start;
  timeScratch.end = end;
  timeScratch.seconds = seconds;
  timeScratch.kind = kind;
  timeScratch.fractionDigits = fractionDigits;
  return timeScratch;
}

/** (The result is one shared record, overwritten by the next call: copy what you keep.) */
export function readTime(line: string, i: number): ParsedTime | undefined {
  const c = line.charCodeAt(i);
  if (!isDigit(c)) return undefined;
  // Date + clock.
  if (i + 10 < line.length && line.charCodeAt(i + 4) === CH_MINUS && line.charCodeAt(i + 10) === CH_SPACE) {
    const days = readDate(line, i);
    if (!Number.isNaN(days)) {
      const secs = readClock(line, i + 11);
      if (!Number.isNaN(secs) && isTimeEnd(line, scan.end)) {
        return timeResult(i, scan.end, days * 86400 + secs, 'date', lastFractionDigits);
      }
    }
    return undefined;
  }
  const clock = readClock(line, i);
  if (!Number.isNaN(clock)) {
    return isTimeEnd(line, scan.end) ? timeResult(i, scan.end, clock, 'clock', lastFractionDigits) : undefined;
  }
  // Seconds with a fraction: exactly one dot, digits on both sides.
  const whole = readUint(line, i);
  const j = scan.end;
  if (Number.isNaN(whole) || line.charCodeAt(j) !== CH_DOT) return undefined;
  const f = readFraction(line, j);
  if (Number.isNaN(f) || !isTimeEnd(line, scan.end)) return undefined;
  return timeResult(i, scan.end, whole + f, 'epoch', scan.end - j - 1);
}

function isTimeEnd(line: string, i: number): boolean {
  return i >= line.length || isSpace(line.charCodeAt(i));
}

// ---------------------------------------------------------------------------------------------------------------
// Flags
// ---------------------------------------------------------------------------------------------------------------

export const F_FIN = 0x01;
export const F_SYN = 0x02;
export const F_RST = 0x04;
export const F_PSH = 0x08;
export const F_ACK = 0x10;
export const F_URG = 0x20;
export const F_ECE = 0x40;
export const F_CWR = 0x80;
export const F_AE = 0x100;

const FLAG_ORDER: readonly (readonly [number, TcpFlag])[] = [
  [F_FIN, 'FIN'],
  [F_SYN, 'SYN'],
  [F_RST, 'RST'],
  [F_PSH, 'PSH'],
  [F_ACK, 'ACK'],
  [F_URG, 'URG'],
  [F_ECE, 'ECE'],
  [F_CWR, 'CWR'],
  [F_AE, 'AE'],
];

const FLAG_ARRAYS: (readonly TcpFlag[])[] = [];

/**
 * The flags of a bit mask as a shared, frozen array in TCP header bit order (FIN, SYN, RST, PSH, ACK, URG, ECE, CWR,
 * AE — the order tshark prints them in). Shared so that a million segments do not allocate a million arrays.
 */
export function flagsOf(mask: number): readonly TcpFlag[] {
  let arr = FLAG_ARRAYS[mask];
  if (!arr) {
    const list: TcpFlag[] = [];
    for (const [bit, name] of FLAG_ORDER) if (mask & bit) list.push(name);
    arr = Object.freeze(list);
    FLAG_ARRAYS[mask] = arr;
  }
  return arr;
}

// ---------------------------------------------------------------------------------------------------------------
// Tokens and endpoints
// ---------------------------------------------------------------------------------------------------------------

export function tok(kind: TokenKind, line: number, start: number, end: number): Token {
  return { kind, line, start, end };
}

export function optTok(line: number, start: number, end: number, name: string): Token {
  return { kind: 'option', line, start, end, name };
}

/** A port as printed: a number when it is all digits, otherwise the service name (`http`, `login`). */
export function portOf(text: string): number | string {
  if (text.length === 0 || text.length > 5) return text;
  let v = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < CH_0 || c > CH_9) return text;
    v = v * 10 + (c - CH_0);
  }
  return v;
}

/**
 * Splits tcpdump's `address.port` (`127.0.0.1.46548`, `::1.8080`, `csam.login`) at its last dot. An address with a
 * `%zone` keeps the zone apart. Returns undefined when there is no dot to split at.
 */
export function splitDottedEndpoint(text: string): Endpoint | undefined {
  const dot = text.lastIndexOf('.');
  if (dot <= 0 || dot === text.length - 1) return undefined;
  return endpoint(text.slice(0, dot), portOf(text.slice(dot + 1)));
}

export function endpoint(addressText: string, port: number | string): Endpoint {
  let address = addressText;
  if (address.length > 1 && address.charCodeAt(0) === CH_LBRACKET && address.charCodeAt(address.length - 1) === CH_RBRACKET) {
    address = address.slice(1, -1);
  }
  const pct = address.indexOf('%');
  if (pct > 0) return { address: address.slice(0, pct), port, zone: address.slice(pct + 1) };
  return { address, port };
}

/*
 * A port is a number or, printed by name, a string (`http`, or a port someone is typing into). V8 keeps a field that
 * has only held small integers as one, and the first name then throws away every optimised function that read a port
 * (the grouping, the editor's re-analysis: a few hundred milliseconds of compiling again, in the middle of a keystroke
 * in a big capture). An endpoint of each kind, made when the module loads, gives the field both from the start.
 */
endpoint('', 'name');
endpoint('', 0);

/** log2 of a power of two (tshark prints the window-scale multiplier `WS=128`, tcpdump the shift `wscale 7`). */
export function log2Exact(v: number): number | undefined {
  if (!(v >= 1) || v > 2 ** 30) return undefined;
  let n = 0;
  let x = v;
  while (x > 1) {
    if (x % 2 !== 0) return undefined;
    x /= 2;
    n++;
  }
  return n;
}

/**
 * Hands out one string for text that repeats (flag texts, `nop`, `mss 1460`, endpoints): a few recent strings are
 * compared in place, so a repeat costs no allocation. Per block: the strings keep their document alive.
 */
export class Interner {
  private readonly items: string[] = [];
  private next = 0;

  constructor(private readonly size = 16) {}

  get(line: string, s: number, e: number): string {
    const n = e - s;
    const items = this.items;
    for (let k = 0; k < items.length; k++) {
      const t = items[k]!;
      if (t.length === n && line.startsWith(t, s)) return t;
    }
    const t = line.slice(s, e);
    if (items.length < this.size) items.push(t);
    else {
      items[this.next] = t;
      this.next = (this.next + 1) % this.size;
    }
    return t;
  }
}

/** Like `Interner`, for endpoints: the same `address.port` text gives the same (read-only) Endpoint object. */
export class EndpointCache {
  private readonly cache = new RangeCache<Endpoint>();
  /** `address.port` with a numeric port, as `splitDottedEndpoint` reads it (see EndpointTable). */
  private readonly dotted = new EndpointTable(CH_DOT);

  /** The endpoint printed as `line[s, e)`, split by `split`; undefined when it does not split. */
  get(line: string, s: number, e: number, split: (text: string) => Endpoint | undefined): Endpoint | undefined {
    if (split === splitDottedEndpoint) {
      const ep = this.dotted.get(line, s, e);
      if (ep !== undefined) return ep;
    }
    return this.cache.get(line, s, e, split);
  }
}
