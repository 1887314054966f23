/** Line handling shared by every reader. */

/**
 * No regex ever sees more than this many characters of a line. Real tool lines stay far below it (ss -i with BBR
 * details is ~900); a 10 MB line is cut here so that reading it costs the same as reading a normal one.
 */
export const MAX_LINE_LENGTH = 4096;

/** How much of a line not understood is echoed back to the user. */
export const MAX_ECHO_LENGTH = 240;

/** Split on LF, CRLF or lone CR, keeping column numbers the editor uses (no trimming). */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.length > 0 && line.charCodeAt(line.length - 1) === 13) lines[i] = line.slice(0, -1);
  }
  // A trailing newline does not make a line of its own for our purposes, but it keeps indices stable to keep it.
  return lines;
}

/**
 * The lines of one text, cut out only when asked for. `at(i)` is exactly `splitLines(text)[i]`, but a line string
 * is made only when it is read, and only line starts are kept (4 bytes a line): a reader that does not keep a line
 * leaves young garbage instead of a million strings that live as long as the document. Records keep the TextLines
 * and their line number to read their text again later (for tokens), see `LineText`.
 */
export class TextLines implements LineText {
  readonly length: number;
  /** starts[i] is where line i starts; starts[length] is one past the end of the text (a virtual final newline). */
  private readonly starts: Uint32Array;

  constructor(readonly text: string) {
    let starts = new Uint32Array(Math.min(1 << 16, (text.length >>> 5) + 16));
    let n = 0;
    let p = 0;
    for (;;) {
      if (n + 1 >= starts.length) {
        const grown = new Uint32Array(starts.length * 2);
        grown.set(starts);
        starts = grown;
      }
      starts[n++] = p;
      const nl = text.indexOf('\n', p);
      if (nl < 0) break;
      p = nl + 1;
    }
    starts[n] = text.length + 1;
    this.length = n;
    this.starts = starts;
  }

  /** Line `i` as `splitLines` gives it (CR of CRLF removed). */
  at(i: number): string {
    const s = this.starts[i]!;
    let e = this.starts[i + 1]! - 1;
    if (e > s && this.text.charCodeAt(e - 1) === 13) e--;
    return this.text.slice(s, e);
  }

  /** Line `i` as a reader was given it: capped to MAX_LINE_LENGTH. */
  line(i: number): string {
    const s = this.starts[i]!;
    let e = this.starts[i + 1]! - 1;
    if (e > s && this.text.charCodeAt(e - 1) === 13) e--;
    return this.text.slice(s, Math.min(e, s + MAX_LINE_LENGTH));
  }
}

/** Where a record can read its line again: the text of line `index` as the reader saw it (capped). */
export interface LineText {
  line(index: number): string;
}

export function capLine(line: string): string {
  return line.length > MAX_LINE_LENGTH ? line.slice(0, MAX_LINE_LENGTH) : line;
}

export function echo(line: string): string {
  return line.length > MAX_ECHO_LENGTH ? line.slice(0, MAX_ECHO_LENGTH) + '…' : line;
}

export function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

/**
 * A shell prompt line that introduces a pasted command, e.g. `$ ss -tan`, `root@host:~# netstat -ant`,
 * `PS C:\> netstat -ano`, `C:\Users\me>netstat -ano`. These split blocks and are kept as furniture.
 */
export function isPromptLine(line: string): boolean {
  // Every line of every block passes here, so the regex runs only when a prompt character is followed by a word a
  // prompt line could hold; for the other lines this is four native scans.
  for (let m = 0; m < PROMPT_MARKS.length; m++) {
    const mark = PROMPT_MARKS[m]!;
    let i = line.indexOf(mark);
    while (i >= 0 && i < 90) {
      let j = i + 1;
      if (line.charCodeAt(j) === 32) j++;
      // Every word starts with one of b, n, s, t.
      const c = line.charCodeAt(j);
      if (c === 98 || c === 110 || c === 115 || c === 116) {
        for (const word of PROMPT_WORDS) {
          if (line.startsWith(word, j)) return PROMPT.test(line);
        }
      }
      i = line.indexOf(mark, i + 1);
    }
  }
  return false;
}

const PROMPT_MARKS = ['$', '#', '%', '>'];
const PROMPT_WORDS = ['netstat', 'ss', 'tcpdump', 'tshark', 'sudo', 'busybox'];

// Bounded, anchored alternatives; the command word must be one of the tools we read (or sudo + one).
const PROMPT =
  /^\s{0,8}[\w.@:~\-/\\[\] ]{0,80}[$#%>]\s?(?:sudo\s+)?(?:netstat|ss|tcpdump|tshark|busybox\s+netstat)(?:\.exe)?(?:\s|$)/;
