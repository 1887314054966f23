import type { Block, FormatId, Segment, SocketRow } from '../model';
import type { LineText } from '../text';

/** What a block reader says about each line it is fed. */
export type LineVerdict =
  /** A header, title or summary line of this format (kept as furniture). */
  | 'header'
  /** A line that produced (or started) a record. */
  | 'record'
  /** A line that belongs to the previous record: ss -i second line, tcpdump -v second line, hex dump, -b owner. */
  | 'continuation'
  /** Clearly of this format but not understood: the driver lists it in `unparsed` and the block goes on. */
  | 'unparsed'
  /** Not of this format: the reader recorded nothing for it. The driver decides whether the block ends. */
  | 'other';

/** Where readers put what they read. Block index is fixed for the reader's lifetime. */
export interface RecordSink {
  readonly sockets: SocketRow[];
  readonly segments: Segment[];
  /**
   * The document's lines, when they stay as they are for as long as the records live (parseText): records then keep
   * this and their line number instead of their line's string, and read the text again when asked for tokens.
   */
  readonly lines?: LineText;
}

/** Reads one block, line by line, in order. Created per block so it can hold state (column layout, -v pairing). */
export interface BlockReader {
  /**
   * `line` is already capped to MAX_LINE_LENGTH; `index` is its 0-based line number in the document.
   * A reader must record nothing for a line it answers 'other' to.
   */
  feed(line: string, index: number): LineVerdict;
  /** Called once when the block ends; `lastLine` is the block's last claimed line. Returns the block's variant. */
  finish(lastLine: number): string;
}

export interface FormatReader {
  readonly format: FormatId;
  /**
   * How sure the reader is that `line` opens a block of its format: 0 not at all, 1 a data row it can read,
   * 2 a header that only this format prints. Called only on lines outside any block.
   */
  startScore(line: string): 0 | 1 | 2;
  begin(blockIndex: number, sink: RecordSink): BlockReader;
}

export type BlockFormat = Block['format'];
