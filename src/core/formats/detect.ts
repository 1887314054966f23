import type { FormatId, ParsedDocument, Segment, SocketRow } from '../model';
import { TextLines } from '../text';
import type { BlockReader, FormatReader, RecordSink } from './reader';
import { BlockScanner, forcedReader } from './scanner';

export interface ParseOptions {
  /** Force one reader for every block instead of detecting per block. */
  readonly format?: FormatId | 'auto';
}

export function parseText(text: string, options: ParseOptions = {}): ParsedDocument {
  // The same scan as parseLines(splitLines(text)), without a string per line kept for the records' lifetime.
  const lines = new TextLines(text);
  const sink: RecordSink = { sockets: [] as SocketRow[], segments: [] as Segment[], lines };
  const scanner = new BlockScanner(lines, 0, 0, sink, forcedReader(options.format ?? 'auto'));
  scanner.step();
  return scanner.document();
}

/**
 * Detect blocks and read them (formats/scanner.ts holds the loop). Lines outside any block are the user's own notes
 * and prompts: they are not ours to judge. Every line inside a block is a record, a continuation, a header, or listed
 * in `unparsed`.
 */
export function parseLines(lines: readonly string[], options: ParseOptions = {}): ParsedDocument {
  const sink: RecordSink = { sockets: [] as SocketRow[], segments: [] as Segment[] };
  const scanner = new BlockScanner(lines, 0, 0, sink, forcedReader(options.format ?? 'auto'));
  scanner.step();
  return scanner.document();
}

export type { BlockReader, FormatReader };
