import type { Block, FormatId, ParsedDocument, Segment, SocketRow, UnparsedLine } from '../model';
import { capLine, echo, isBlank, isPromptLine, splitLines } from '../text';
import type { BlockReader, FormatReader, LineVerdict, RecordSink } from './reader';
import { READERS } from './registry';

export interface ParseOptions {
  /** Force one reader for every block instead of detecting per block. */
  readonly format?: FormatId | 'auto';
}

/** How many foreign lines in a row a block tolerates before it is considered ended. */
const MAX_FOREIGN_RUN = 1;
/** How many blank lines in a row a block tolerates (Windows netstat puts one after its title). */
const MAX_BLANK_RUN = 2;

export function parseText(text: string, options: ParseOptions = {}): ParsedDocument {
  return parseLines(splitLines(text), options);
}

/**
 * Detect blocks and read them. Lines outside any block are the user's own notes and prompts: they are not ours to
 * judge. Every line inside a block is a record, a continuation, a header, or listed in `unparsed`.
 */
export function parseLines(lines: readonly string[], options: ParseOptions = {}): ParsedDocument {
  const blocks: Block[] = [];
  const sink: RecordSink = { sockets: [] as SocketRow[], segments: [] as Segment[] };
  const unparsed: UnparsedLine[] = [];
  const headerLines: number[] = [];
  const forced = options.format && options.format !== 'auto' ? READERS.find((r) => r.format === options.format) : undefined;

  let i = 0;
  while (i < lines.length) {
    const raw = lines[i]!;
    if (isBlank(raw)) {
      i++;
      continue;
    }
    const line = capLine(raw);
    if (isPromptLine(line)) {
      headerLines.push(i);
      i++;
      continue;
    }
    const reader = forced ?? pickReader(line);
    if (!reader) {
      i++;
      continue;
    }
    const blockIndex = blocks.length;
    const blockReader = reader.begin(blockIndex, sink);
    const first = i;
    const firstVerdict = blockReader.feed(line, i);
    if (firstVerdict === 'other') {
      // The start score promised more than the reader could read: leave the line as chatter.
      i++;
      continue;
    }
    const result = extendBlock(lines, i, firstVerdict, blockReader, reader, forced !== undefined);
    for (const h of result.headers) headerLines.push(h);
    for (const u of result.unparsed) unparsed.push({ line: u, text: echo(lines[u]!) });
    const variant = blockReader.finish(result.last);
    blocks.push({ format: reader.format, variant, firstLine: first, lastLine: result.last });
    i = result.last + 1;
  }
  headerLines.sort((a, b) => a - b);
  return { lineCount: lines.length, blocks, sockets: sink.sockets, segments: sink.segments, unparsed, headerLines };
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

interface Extent {
  last: number;
  headers: number[];
  unparsed: number[];
}

function extendBlock(
  lines: readonly string[],
  start: number,
  firstVerdict: LineVerdict,
  reader: BlockReader,
  format: FormatReader,
  forced: boolean,
): Extent {
  const headers: number[] = [];
  const unparsed: number[] = [];
  const note = (verdict: LineVerdict, index: number): void => {
    if (verdict === 'header') headers.push(index);
    else if (verdict === 'unparsed') unparsed.push(index);
  };
  note(firstVerdict, start);
  let last = start;
  let pendingForeign: number[] = [];
  let blankRun = 0;
  for (let i = start + 1; i < lines.length; i++) {
    const raw = lines[i]!;
    if (isBlank(raw)) {
      blankRun++;
      if (blankRun > MAX_BLANK_RUN && !forced) break;
      continue;
    }
    const line = capLine(raw);
    if (isPromptLine(line)) break;
    const verdict = reader.feed(line, i);
    if (verdict === 'other') {
      if (forced) {
        unparsed.push(i);
        last = i;
        continue;
      }
      // A header that only another format prints starts a new block even without a blank line before it.
      if (startsOtherFormat(line, format)) break;
      pendingForeign.push(i);
      if (pendingForeign.length > MAX_FOREIGN_RUN) break;
      continue;
    }
    // The block goes on: a foreign line sandwiched between lines of ours was ours but garbled.
    for (const f of pendingForeign) unparsed.push(f);
    pendingForeign = [];
    blankRun = 0;
    note(verdict, i);
    last = i;
  }
  unparsed.sort((a, b) => a - b);
  return { last, headers, unparsed };
}

function startsOtherFormat(line: string, current: FormatReader): boolean {
  for (const reader of READERS) {
    if (reader !== current && reader.startScore(line) === 2) return true;
  }
  return false;
}

export type { BlockReader, FormatReader };
