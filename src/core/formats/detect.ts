import type { FormatId, ParsedDocument, Segment, SocketRow } from '../model';
import { TextLines } from '../text';
import type { BlockReader, FormatReader, RecordSink } from './reader';
import { BlockScanner, forcedReader } from './scanner';

export interface ParseOptions {
  /** Force one reader for every block instead of detecting per block. */
  readonly format?: FormatId | 'auto';
}

export function parseText(text: string, options: ParseOptions = {}): ParsedDocument {
  // The same scan as parseLines(splitLines(text)), without a string per line kept for the records' lifetime, and
  // with the records gathered into arrays sized once (see Gathered).
  const lines = new TextLines(text);
  const sink: RecordSink = { sockets: [] as SocketRow[], segments: [] as Segment[], lines };
  const scanner = new BlockScanner(lines, 0, 0, sink, forcedReader(options.format ?? 'auto'));
  const sockets = new Gathered<SocketRow>(lines.length);
  const segments = new Gathered<Segment>(lines.length);
  for (;;) {
    const done = scanner.step(() => true);
    sockets.take(sink.sockets);
    segments.take(sink.segments);
    if (done) break;
  }
  return { ...scanner.document(), sockets: sockets.result(), segments: segments.result() };
}

/**
 * Records moved out of the readers' sink every few hundred lines into one array sized at once for the most there can
 * be (a record starts on a line of its own, after the first one seen). Pushing a million records into one array
 * leaves every smaller array it outgrew as garbage (twice the final size, which no collection frees while the parse
 * runs); this way the sink stays small and the result is allocated once, then cut to length.
 */
class Gathered<T extends { readonly line: number }> {
  private out: T[] | undefined;
  private n = 0;

  constructor(private readonly lineCount: number) {}

  take(from: T[]): void {
    if (from.length === 0) return;
    if (this.out === undefined) {
      const most = this.n + Math.max(0, this.lineCount - from[0]!.line);
      // (Beyond some 2^25 slots V8 would make a sparse array: grow those as usual.)
      this.out = most <= 1 << 24 ? new Array<T>(most) : [];
    }
    const out = this.out;
    for (let k = 0; k < from.length; k++) out[this.n++] = from[k]!;
    from.length = 0;
  }

  result(): T[] {
    const out = this.out ?? [];
    out.length = this.n;
    return out;
  }
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
