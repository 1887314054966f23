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
import type { BlockReader, FormatReader, LineVerdict, RecordSink } from './reader';
import { READERS } from './registry';

/** How many foreign lines in a row a block tolerates before it is considered ended. */
const MAX_FOREIGN_RUN = 1;
/** How many blank lines in a row a block tolerates (Windows netstat puts one after its title). */
const MAX_BLANK_RUN = 2;

/**
 * What a line inside an open block does to it: `end` (the block ended before it), `held` (a blank line, or a foreign
 * line that is the block's only if a line of the block follows), or the reader's verdict on it. A forced format never
 * ends a block, and its reader's foreign lines are the block's unparsed lines.
 */
export type InBlockStep = 'end' | 'held' | Exclude<LineVerdict, 'other'>;

/**
 * The rules for the lines of an open block: the scanner's, and incremental.ts's when it reads a window of a block
 * again (one set of rules, so a window cannot end a block where a full read would not).
 */
export class BlockLines {
  private blankRun = 0;
  /** Foreign lines passed over, not yet known to belong to the block. */
  private readonly held: number[] = [];

  constructor(
    readonly format: FormatReader,
    readonly reader: BlockReader,
    private readonly forced: boolean,
  ) {}

  /**
   * Line j (`raw` as in the document). Foreign lines held before a line of the block turn out to be its unparsed
   * lines: they are handed to `unparsed` then.
   */
  feed(raw: string, j: number, unparsed: (line: number) => void): InBlockStep {
    if (isBlank(raw)) {
      this.blankRun++;
      return this.blankRun > MAX_BLANK_RUN && !this.forced ? 'end' : 'held';
    }
    const line = capLine(raw);
    if (isPromptLine(line)) return 'end';
    const verdict = this.reader.feed(line, j);
    if (verdict === 'other') {
      if (this.forced) return 'unparsed';
      if (startsOtherFormat(line, this.format)) return 'end';
      this.held.push(j);
      return this.held.length > MAX_FOREIGN_RUN ? 'end' : 'held';
    }
    for (const f of this.held) unparsed(f);
    this.held.length = 0;
    this.blankRun = 0;
    return verdict;
  }

  /** Blank or foreign lines are held: where the block ends depends on lines not read yet. */
  get undecided(): boolean {
    return this.held.length > 0 || this.blankRun > 0;
  }
}

interface OpenBlock {
  readonly lines: BlockLines;
  readonly first: number;
  last: number;
  next: number;
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
    const open: OpenBlock = { lines: new BlockLines(format, reader, this.forced !== undefined), first: i, last: i, next: i + 1, headers: [], unparsed: [] };
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
    const step = b.lines.feed(this.raw(j), j, (f) => b.unparsed.push(f));
    if (step === 'end') {
      this.closeBlock(b, j);
      return;
    }
    b.next = j + 1;
    if (step === 'held') return;
    note(b, step, j);
    b.last = j;
  }

  private closeBlock(b: OpenBlock, scanEnd: number): void {
    const out = this.out;
    b.unparsed.sort((x, y) => x - y);
    for (const h of b.headers) out.headerLines.push(h);
    for (const u of b.unparsed) out.unparsed.push({ line: u, text: echo(this.raw(u)) });
    const variant = b.lines.reader.finish(b.last);
    out.blocks.push({ format: b.lines.format.format, variant, firstLine: b.first, lastLine: b.last });
    out.scanEnds.push(scanEnd);
    this.open = undefined;
    this.i = b.last + 1;
  }
}

function note(b: OpenBlock, verdict: Exclude<LineVerdict, 'other'>, index: number): void {
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

function startsOtherFormat(line: string, current: FormatReader): boolean {
  for (const reader of READERS) {
    if (reader !== current && reader.startScore(line) === 2) return true;
  }
  return false;
}

export function forcedReader(format: FormatId | 'auto'): FormatReader | undefined {
  return format === 'auto' ? undefined : READERS.find((r) => r.format === format);
}
