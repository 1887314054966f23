/**
 * Block detection: the loop that finds where each pasted output starts and ends and feeds its lines to the reader of
 * its format, as a resumable state machine. `parseLines` (formats/detect.ts) runs it from the first line to the last;
 * incremental.ts runs it in slices and from the middle of a document after an edit.
 *
 * Lines outside any block are the user's own notes and prompts: they are not ours to judge. Every line inside a block
 * is a record, a continuation, a header, or listed in `unparsed`.
 */
import type { Block, FormatId, ParsedDocument, UnparsedLine } from '../model';
import { capLine, echo, isBlank, isPromptLine, TextLines } from '../text';
import type { FormatReader, LineVerdict, RecordSink } from './reader';
import { READERS } from './registry';

/** How many foreign lines in a row a block tolerates before it is considered ended. */
export const MAX_FOREIGN_RUN = 1;
/** How many blank lines in a row a block tolerates (Windows netstat puts one after its title). */
export const MAX_BLANK_RUN = 2;

interface OpenBlock {
  readonly format: FormatReader;
  readonly reader: ReturnType<FormatReader['begin']>;
  readonly first: number;
  last: number;
  next: number;
  blankRun: number;
  pendingForeign: number[];
  headers: number[];
  unparsed: number[];
}

export interface ScannerOutput {
  readonly blocks: Block[];
  readonly scanEnds: number[];
  readonly sink: RecordSink;
  readonly unparsed: UnparsedLine[];
  readonly headerLines: number[];
}

/**
 * The block-detection driver as a state machine. `stopAt(i)` is asked at every top-level position at or after `minStop`;
 * returning true ends the scan there. `step` reads until `shouldYield()` says to stop for now (asked every few lines).
 */
export class BlockScanner {
  /** The lines as given: an array (incremental.ts keeps one), or a text cut into lines on demand (parseText). */
  private readonly array: readonly string[] | undefined;
  private readonly text: TextLines | undefined;
  private readonly count: number;
  private i: number;
  private open: OpenBlock | undefined;
  private done = false;
  /** Lines handed to a reader or looked at by the top level. */
  linesRead = 0;
  readonly out: ScannerOutput;

  constructor(
    lines: readonly string[] | TextLines,
    start: number,
    private readonly blockBase: number,
    sink: RecordSink,
    private readonly forced: FormatReader | undefined,
    private readonly minStop = Number.POSITIVE_INFINITY,
    private readonly stopAt: (i: number) => boolean = () => false,
  ) {
    if (lines instanceof TextLines) this.text = lines;
    else this.array = lines;
    this.count = lines.length;
    this.i = start;
    this.out = { blocks: [], scanEnds: [], sink, unparsed: [], headerLines: [] };
  }

  /** Where the scan stopped: a top-level line index (lines.length at the end). Valid once `finished`. */
  get position(): number {
    return this.i;
  }

  get finished(): boolean {
    return this.done;
  }

  /** The document a scan from the first line read (header lines in order). Call once `finished`. */
  document(): ParsedDocument {
    const out = this.out;
    out.headerLines.sort((a, b) => a - b);
    return { lineCount: this.count, blocks: out.blocks, sockets: out.sink.sockets, segments: out.sink.segments, unparsed: out.unparsed, headerLines: out.headerLines };
  }

  /** Runs until done or until `shouldYield()` (checked every 256 lines) is true. Returns `finished`. */
  step(shouldYield: () => boolean = () => false): boolean {
    let budget = 256;
    while (!this.done) {
      if (--budget === 0) {
        budget = 256;
        if (shouldYield()) break;
      }
      if (this.open) this.blockStep(this.open);
      else this.topStep();
    }
    return this.done;
  }

  /** Line `i` as it is in the document (not capped). */
  private raw(i: number): string {
    return this.array !== undefined ? this.array[i]! : this.text!.at(i);
  }

  private topStep(): void {
    const i = this.i;
    if (i >= this.count) {
      this.done = true;
      return;
    }
    if (i >= this.minStop && this.stopAt(i)) {
      this.done = true;
      return;
    }
    this.linesRead++;
    const raw = this.raw(i);
    if (isBlank(raw)) {
      this.i = i + 1;
      return;
    }
    const line = capLine(raw);
    if (isPromptLine(line)) {
      this.out.headerLines.push(i);
      this.i = i + 1;
      return;
    }
    const format = this.forced ?? pickReader(line);
    if (!format) {
      this.i = i + 1;
      return;
    }
    const reader = format.begin(this.blockBase + this.out.blocks.length, this.out.sink);
    const verdict = reader.feed(line, i);
    if (verdict === 'other') {
      this.i = i + 1;
      return;
    }
    const open: OpenBlock = { format, reader, first: i, last: i, next: i + 1, blankRun: 0, pendingForeign: [], headers: [], unparsed: [] };
    note(open, verdict, i);
    this.open = open;
  }

  private blockStep(b: OpenBlock): void {
    const j = b.next;
    if (j >= this.count) {
      this.closeBlock(b, this.count);
      return;
    }
    this.linesRead++;
    const raw = this.raw(j);
    const forced = this.forced !== undefined;
    if (isBlank(raw)) {
      b.blankRun++;
      if (b.blankRun > MAX_BLANK_RUN && !forced) this.closeBlock(b, j);
      else b.next = j + 1;
      return;
    }
    const line = capLine(raw);
    if (isPromptLine(line)) {
      this.closeBlock(b, j);
      return;
    }
    const verdict = b.reader.feed(line, j);
    if (verdict === 'other') {
      if (forced) {
        b.unparsed.push(j);
        b.last = j;
        b.next = j + 1;
        return;
      }
      if (startsOtherFormat(line, b.format)) {
        this.closeBlock(b, j);
        return;
      }
      b.pendingForeign.push(j);
      if (b.pendingForeign.length > MAX_FOREIGN_RUN) this.closeBlock(b, j);
      else b.next = j + 1;
      return;
    }
    for (const f of b.pendingForeign) b.unparsed.push(f);
    b.pendingForeign = [];
    b.blankRun = 0;
    note(b, verdict, j);
    b.last = j;
    b.next = j + 1;
  }

  private closeBlock(b: OpenBlock, scanEnd: number): void {
    const out = this.out;
    b.unparsed.sort((x, y) => x - y);
    for (const h of b.headers) out.headerLines.push(h);
    for (const u of b.unparsed) out.unparsed.push({ line: u, text: echo(this.raw(u)) });
    const variant = b.reader.finish(b.last);
    out.blocks.push({ format: b.format.format, variant, firstLine: b.first, lastLine: b.last });
    out.scanEnds.push(scanEnd);
    this.open = undefined;
    this.i = b.last + 1;
  }
}

function note(b: OpenBlock, verdict: LineVerdict, index: number): void {
  if (verdict === 'header') b.headers.push(index);
  else if (verdict === 'unparsed') b.unparsed.push(index);
}

function pickReader(line: string): FormatReader | undefined {
  let best: FormatReader | undefined;
  let bestScore = 0;
  for (const reader of READERS) {
    const score = reader.startScore(line);
    if (score > bestScore) {
      best = reader;
      bestScore = score;
      if (score === 2) break;
    }
  }
  return best;
}

export function startsOtherFormat(line: string, current: FormatReader): boolean {
  for (const reader of READERS) {
    if (reader !== current && reader.startScore(line) === 2) return true;
  }
  return false;
}

export function forcedReader(format: FormatId | 'auto'): FormatReader | undefined {
  return format === 'auto' ? undefined : READERS.find((r) => r.format === format);
}
