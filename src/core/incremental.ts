/**
 * Incremental re-analysis: after an edit, re-read only what the edit can change and splice the result into the
 * previous model. The result is the same as a full `analyseLines` of the new lines (the property tests in
 * test/unit/incremental.test.ts check exactly that on real captures with random edits).
 *
 * Three paths, tried in this order:
 * - inside one long block, a window of a few records around the edit (`windowEdit`, accepted only when shown to
 *   read as a full read would);
 * - otherwise the blocks around the edit (`EditJob`). Block detection (formats/scanner.ts) is a loop whose only state
 *   between blocks is the index of the next line: at such a "top-level" position, everything that follows depends on
 *   the lines from there on and on nothing before. Inside a block, the reader's decisions depend on the lines from
 *   the block's first line up to the line where its scan stopped. So the re-read starts at the first block whose scan
 *   reached the edit (or at the edit), and stops at the first top-level position after the edit that was also one of
 *   the previous parse (shifted by the edit's line delta): from there on the previous parse is reused, moved;
 * - a full read when the format or the options changed.
 * Socket tables are judged on their own (analysis/sockets.ts), so only re-read tables are judged again. The connection
 * analysis is kept (moved) when no segment was re-read, redone for the changed segments' 4-tuples after a window
 * (incrementalConnections.ts), and run again in full otherwise. Every path runs in slices (see `Job`), so the editor
 * yields between them and no task runs much longer than a slice.
 */
import { connectionAnalysisJob, connectionFields, type ConnectionFields, failedConnectionFields, noConnections, resolveFormat, type AnalysedModel, type ConnectionRebuild, type ConnectionSummary, type FormatChoice } from './analyse';
import type { Job } from './job';
import { blocksRenumbered, reanalyseConnections } from './incrementalConnections';
import { inFindingOrder, mergeFindings } from './findingOrder';
import { moveFrom, spliceRuns } from './lineRuns';
import { firstAtLeast, firstIndex, resizeRange } from './lines';
import { socketFindings, type SocketThresholds } from './analysis/sockets';
import type { FormatReader, RecordSink } from './formats/reader';
import { BlockLines, BlockScanner, forcedReader } from './formats/scanner';
import type { Block, FormatId, Finding, ParsedDocument, Segment, SocketRow, TcpState, Token, UnparsedLine } from './model';
import type { Connection } from './tcp/connection';
import { TCP_STATES } from './tcp/states';
import { echo } from './text';


/** Replace old lines [startLine, endLine) with `newLines`. An insertion has startLine === endLine. */
export interface LineEdit {
  readonly startLine: number;
  readonly endLine: number;
  readonly newLines: readonly string[];
  /**
   * The lines [startLine, endLine) before the edit, when the caller edits its line array in place and hands the same
   * array over as the new lines (`applyTextChanges` gives them). Without them such an edit cannot be checked against
   * what was read before, so it takes the general path.
   */
  readonly oldLines?: readonly string[];
}

/** Everything an incremental update needs from the previous round; treat as opaque and immutable. */
export interface IncrementalState {
  readonly lines: readonly string[];
  readonly model: AnalysedModel;
  /** Per block: the last line its scan looked at (the line that ended it), or `lines.length` when it ran to the end. */
  readonly scanEnds: readonly number[];
  /** Per block: the socket-table findings of that block. */
  readonly tableFindings: readonly (readonly Finding[])[];
  /** Sockets per RFC state, in TCP_STATES order. */
  readonly stateTotals: readonly number[];
  /** What the connection analysis added (connections, per-segment results, their findings, any later field). */
  readonly connectionPart: ConnectionPart;
  readonly format: FormatChoice;
  readonly resolvedFormat: FormatId | 'auto';
  readonly thresholds: Partial<SocketThresholds> | undefined;
}

/** The fields analyseParsed adds for segments: everything of the model but the parsed document and socket counts. */
export type ConnectionPart = ConnectionFields;

/** What one incremental update did, for tests, logs and the bench. */
export interface EditStats {
  /** 'full' when the update had to read everything (format or options changed, or the edit reached every block). */
  readonly mode: 'incremental' | 'full';
  /** First line re-read (new coordinates). */
  readonly fromLine: number;
  /** Line where the previous parse was picked up again (new coordinates); the line count when it never was. */
  readonly resumedAt: number;
  readonly linesRead: number;
  readonly blocksRead: number;
  /** The connection analysis was reused (moved with its lines when needed): the edit re-read no segment. */
  readonly connectionsReused?: boolean;
  /** Only a window of records inside one block was read again (see `windowEdit`). */
  readonly window?: boolean;
  /**
   * The partial re-analysis of a few connections threw, and the full analysis was run instead: a bug, which the user
   * does not see (the result is right), but tests do.
   */
  readonly connectionsFault?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Full analysis through the scanner (sliceable)

export interface IncrementalOptions {
  readonly format?: FormatChoice;
  readonly thresholds?: Partial<SocketThresholds>;
}

export type { Job } from './job';

/**
 * Read and analyse `lines` from scratch, as a sliceable job: the block scan, then each socket table's findings, then
 * the connection analysis, each giving way whenever `shouldYield` says so.
 */
export function fullJob(lines: readonly string[], options: IncrementalOptions = {}): Job<IncrementalState> {
  const format = options.format ?? 'auto';
  const resolvedFormat = resolveFormat(lines, format);
  const sink: RecordSink = { sockets: [], segments: [] };
  const scanner = new BlockScanner(lines, 0, 0, sink, forcedReader(resolvedFormat));
  let doc: ParsedDocument | undefined;
  const tableFindings: Finding[][] = [];
  let nextRow = 0;
  let connections: Job<ConnectionPart> | undefined;
  let state: IncrementalState | undefined;
  return {
    step(shouldYield = () => false) {
      if (state) return true;
      if (doc === undefined) {
        if (!scanner.step(shouldYield)) return false;
        doc = scanner.document();
        if (shouldYield()) return false;
      }
      // Socket tables are judged one by one (each on its own, as analysis/sockets.ts does).
      while (tableFindings.length < doc.blocks.length) {
        const k = tableFindings.length;
        const from = nextRow;
        while (nextRow < doc.sockets.length && doc.sockets[nextRow]!.block === k) nextRow++;
        tableFindings.push(from === nextRow ? [] : socketFindings(doc.sockets.slice(from, nextRow), doc.blocks, options.thresholds));
        if (shouldYield()) return false;
      }
      connections ??= connectionPartJob(doc);
      if (!connections.step(shouldYield)) return false;
      state = assemble(lines, doc, scanner.out.scanEnds, tableFindings, totalsOf(doc.sockets, 0, doc.sockets.length), { format, resolvedFormat, thresholds: options.thresholds }, connections.result());
      return true;
    },
    result() {
      if (!state) throw new Error('fullJob: result() before the job finished');
      return state;
    },
  };
}

/** Read and analyse `lines` from scratch in one go. */
export function analyseIncremental(lines: readonly string[], options: IncrementalOptions = {}): IncrementalState {
  const job = fullJob(lines, options);
  job.step();
  return job.result();
}

// ---------------------------------------------------------------------------------------------------------------
// Edits

/** Apply `edit` to the lines of `prev` (pure). */
export function applyLineEdit(lines: readonly string[], edit: LineEdit): string[] {
  const out = lines.slice();
  spliceLines(out, edit);
  return out;
}

/** A text change as editors report them: a range in (line, UTF-16 column) coordinates and the text put there. */
export interface TextChange {
  readonly range: {
    readonly start: { readonly line: number; readonly character: number };
    readonly end: { readonly line: number; readonly character: number };
  };
  readonly text: string;
}

const LINE_BREAK = /\r\n|\r|\n/;

/**
 * Apply text changes to `lines` in place, in order (each relative to the text after the previous one, as VS Code's
 * extension host applies a change event), splitting on LF, CRLF and CR as editors do. Returns the one line edit that
 * takes the lines from before to after, for `editJob`; undefined when a change does not fit the lines.
 */
export function applyTextChanges(lines: string[], changes: readonly TextChange[]): LineEdit | undefined {
  // Where the changes reach depends on their line counts only: found first, so the lines they replace can be kept.
  const before = lines.length;
  let length = before;
  let prefix = before;
  let suffix = before;
  for (const change of changes) {
    const s = change.range.start.line;
    const e = change.range.end.line;
    if (s < 0 || e < s || e >= length) return undefined;
    suffix = Math.min(suffix, length - e - 1);
    prefix = Math.min(prefix, s);
    // A line holds no break, so the replaced text breaks where the inserted text does.
    length += change.text.split(LINE_BREAK).length - 1 - (e - s);
  }
  const after = length;
  prefix = Math.min(prefix, before, after);
  suffix = Math.min(suffix, before - prefix, after - prefix);
  const oldLines = lines.slice(prefix, before - suffix);
  for (const change of changes) {
    const s = change.range.start.line;
    const e = change.range.end.line;
    const head = lines[s]!.slice(0, change.range.start.character);
    const tail = lines[e]!.slice(change.range.end.character);
    replaceRange(lines, s, e + 1, (head + change.text + tail).split(LINE_BREAK));
  }
  return { startLine: prefix, endLine: before - suffix, newLines: lines.slice(prefix, after - suffix), oldLines };
}

/** Apply `edit` to `lines` in place (what an editor that keeps its own line array does). */
export function spliceLines(lines: string[], edit: LineEdit): void {
  replaceRange(lines, edit.startLine, edit.endLine, edit.newLines);
}

/**
 * The incremental update as a sliceable job. `lines` may be passed when the caller already built the new lines.
 *
 * The job TAKES OWNERSHIP of `prev`: when it finishes, the records and findings after the edit are shifted in place
 * and belong to the new state, so `prev` must not be used afterwards (until the job's last step it is untouched, so
 * an abandoned job leaves it valid).
 */
export function editJob(
  prev: IncrementalState,
  edit: LineEdit,
  options: IncrementalOptions = {},
  newLines?: readonly string[],
): Job<{ state: IncrementalState; stats: EditStats }> {
  const lines = newLines ?? applyLineEdit(prev.lines, edit);
  const format = options.format ?? 'auto';
  const sameOptions = format === prev.format && sameThresholds(options.thresholds, prev.thresholds);
  const resolvedFormat = resolveFormat(lines, format);
  if (!sameOptions || resolvedFormat !== prev.resolvedFormat || !validEdit(prev, edit)) {
    const full = fullJob(lines, options);
    return {
      step: (y) => full.step(y),
      result: () => {
        const state = full.result();
        return { state, stats: { mode: 'full', fromLine: 0, resumedAt: lines.length, linesRead: lines.length, blocksRead: state.model.blocks.length } };
      },
    };
  }
  // Inside one long block, re-read a few records around the edit (see `windowEdit`); the general re-read when that
  // cannot be shown to give what a full read gives. Tried on the first step: until then `prev` stays untouched.
  let job: Job<{ state: IncrementalState; stats: EditStats }> | undefined;
  return {
    step(shouldYield) {
      if (job === undefined) {
        const oldLine = oldLineReader(prev, edit, lines);
        const local = oldLine === undefined ? undefined : windowEdit(prev, edit, lines, oldLine, options);
        job = local !== undefined ? finishJob(local) : new EditJob(prev, edit, lines, options);
      }
      return job.step(shouldYield);
    },
    result() {
      if (job === undefined) throw new Error('editJob: result() before the job finished');
      return job.result();
    },
  };
}

/**
 * How to read the lines as they were before `edit`: the previous state's array, unless the caller edited that array
 * in place, in which case the edit's `oldLines` fill in the replaced range. Undefined when they are not known.
 */
function oldLineReader(prev: IncrementalState, edit: LineEdit, lines: readonly string[]): ((i: number) => string) | undefined {
  const before = prev.lines;
  if (before !== lines) return (i) => before[i]!;
  const old = edit.oldLines;
  const a = edit.startLine;
  const b = edit.endLine;
  if (old === undefined || old.length !== b - a) return undefined;
  const delta = edit.newLines.length - (b - a);
  return (i) => (i < a ? lines[i]! : i < b ? old[i - a]! : lines[i + delta]!);
}

/** Apply one edit synchronously. */
export function applyEdit(prev: IncrementalState, edit: LineEdit, options: IncrementalOptions = {}): { state: IncrementalState; stats: EditStats } {
  const job = editJob(prev, edit, options);
  job.step();
  return job.result();
}

function validEdit(prev: IncrementalState, edit: LineEdit): boolean {
  return (
    Number.isInteger(edit.startLine) &&
    Number.isInteger(edit.endLine) &&
    edit.startLine >= 0 &&
    edit.startLine <= edit.endLine &&
    edit.endLine <= prev.model.lineCount
  );
}

function sameThresholds(a: Partial<SocketThresholds> | undefined, b: Partial<SocketThresholds> | undefined): boolean {
  if (a === b) return true;
  const ka = a ? Object.keys(a).filter((k) => a[k as keyof SocketThresholds] !== undefined) : [];
  const kb = b ? Object.keys(b).filter((k) => b[k as keyof SocketThresholds] !== undefined) : [];
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (a![k as keyof SocketThresholds] !== b?.[k as keyof SocketThresholds]) return false;
  }
  return true;
}

class EditJob implements Job<{ state: IncrementalState; stats: EditStats }> {
  private readonly scanner: BlockScanner;
  private readonly k0: number;
  private readonly start: number;
  private readonly delta: number;
  private readonly prefixSockets: number;
  private readonly prefixSegments: number;
  private readonly seedSockets: boolean;
  private readonly seedSegments: boolean;
  private finishing: Job<{ state: IncrementalState; stats: EditStats }> | undefined;

  constructor(
    private readonly prev: IncrementalState,
    edit: LineEdit,
    private readonly lines: readonly string[],
    private readonly options: IncrementalOptions,
  ) {
    const old = prev.model;
    const a = edit.startLine;
    const b = edit.endLine;
    this.delta = edit.newLines.length - (b - a);
    // The first block whose scan reached the edit; blocks before it are untouched (scanEnds ascend with blocks).
    const k0 = firstAtLeast(prev.scanEnds, a);
    this.k0 = k0;
    this.start = k0 < old.blocks.length ? Math.min(a, old.blocks[k0]!.firstLine) : a;
    this.prefixSockets = firstIndex(old.sockets.length, (k) => old.sockets[k]!.block >= k0);
    this.prefixSegments = firstIndex(old.segments.length, (k) => old.segments[k]!.block >= k0);
    // Readers push into the sink and may look at what is already there (tcpdump's variant asks whether any segment
    // was read): seed it with the last record before the re-read, as a full parse would have it, and drop it after.
    this.seedSockets = this.prefixSockets > 0;
    this.seedSegments = this.prefixSegments > 0;
    const sink: RecordSink = {
      sockets: this.seedSockets ? [old.sockets[this.prefixSockets - 1]!] : [],
      segments: this.seedSegments ? [old.segments[this.prefixSegments - 1]!] : [],
    };
    const newEnd = a + edit.newLines.length;
    const delta = this.delta;
    const oldLineCount = old.lineCount;
    this.scanner = new BlockScanner(lines, this.start, k0, sink, forcedReader(prev.resolvedFormat), newEnd, (i) => {
      const p = i - delta;
      return p >= b && p <= oldLineCount && isTopLevel(old.blocks, p);
    });
  }

  step(shouldYield?: () => boolean): boolean {
    if (this.finishing === undefined) {
      if (!this.scanner.step(shouldYield)) return false;
      this.finishing = finishJob(this.splice());
    }
    return this.finishing.step(shouldYield);
  }

  result(): { state: IncrementalState; stats: EditStats } {
    if (this.finishing === undefined) throw new Error('editJob: result() before the job finished');
    return this.finishing.result();
  }

  private splice(): Spliced {
    const prev = this.prev;
    const old = prev.model;
    const lines = this.lines;
    const out = this.scanner.out;
    const delta = this.delta;
    const k0 = this.k0;
    const resumeNew = this.scanner.position;
    const resumeOld = resumeNew >= lines.length ? old.lineCount : resumeNew - delta;
    // Old blocks from k1 on (all at or after resumeOld) are reused.
    const k1 = firstIndex(old.blocks.length, (k) => old.blocks[k]!.firstLine >= resumeOld);
    const midBlocks = out.blocks.length;
    const blockDelta = k0 + midBlocks - k1;

    // The previous state is ours: its arrays are edited in place (a native move of the suffix, no per-item copy).
    const oldSocketsSuffix = firstIndex(old.sockets.length, (k) => old.sockets[k]!.block >= k1);
    const oldSegmentsSuffix = firstIndex(old.segments.length, (k) => old.segments[k]!.block >= k1);
    const oldMid = totalsOf(old.sockets, this.prefixSockets, oldSocketsSuffix);
    const midSockets = this.seedSockets ? out.sink.sockets.slice(1) : out.sink.sockets;
    const midSegments = this.seedSegments ? out.sink.segments.slice(1) : out.sink.segments;

    const blocks = old.blocks as Block[];
    replaceRange(blocks, k0, k1, out.blocks);
    shiftBlocks(blocks, k0 + midBlocks, delta);
    const scanEnds = prev.scanEnds as number[];
    replaceRange(scanEnds, k0, k1, out.scanEnds);
    addFrom(scanEnds, k0 + midBlocks, delta);

    const sockets = old.sockets as SocketRow[];
    replaceRecords(sockets, this.prefixSockets, oldSocketsSuffix, midSockets);
    shiftRecords(sockets, this.prefixSockets + midSockets.length, delta, blockDelta);
    const segments = old.segments as Segment[];
    replaceRecords(segments, this.prefixSegments, oldSegmentsSuffix, midSegments);
    shiftRecords(segments, this.prefixSegments + midSegments.length, delta, blockDelta);

    out.headerLines.sort((x, y) => x - y);
    const { unparsed, headerLines } = spliceLineLists(old, this.start, resumeOld, out.unparsed, out.headerLines, delta);

    const doc: ParsedDocument = { lineCount: lines.length, blocks, sockets, segments, unparsed, headerLines };

    // Socket findings: reuse the untouched tables', judge the re-read ones again.
    const midFindings = splitByBlock(socketFindings(midSockets, blocks, this.options.thresholds), blocks, k0, k0 + midBlocks);
    const tableFindings = prev.tableFindings as (readonly Finding[])[];
    replaceRange(tableFindings, k0, k1, midFindings);
    shiftTableFindings(tableFindings, k0 + midBlocks, delta);

    // State totals: take out the old re-read rows, add the new ones.
    const totals = prev.stateTotals.slice();
    const newMid = totalsOf(midSockets, 0, midSockets.length);
    for (let s = 0; s < totals.length; s++) totals[s] = totals[s]! - oldMid[s]! + newMid[s]!;

    // The connection analysis reads segments only: when the edit re-read none (same segment objects at the same
    // indices), its result stands; the connections after the edit only move with their lines and blocks.
    const untouched = oldSegmentsSuffix === this.prefixSegments && midSegments.length === 0;
    if (untouched) shiftConnectionPart(prev.connectionPart, k1, delta, blockDelta);
    return {
      lines,
      doc,
      scanEnds,
      tableFindings,
      totals,
      opts: { format: prev.format, resolvedFormat: prev.resolvedFormat, thresholds: this.options.thresholds },
      connections: untouched ? prev.connectionPart : undefined,
      stats: { mode: 'incremental', fromLine: this.start, resumedAt: resumeNew, linesRead: this.scanner.linesRead, blocksRead: midBlocks },
    };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Re-reading a window of records inside one block
//
// A reader's decisions inside a block depend on what it read before, so the general path re-reads a block from its
// first line. In a 200,000-line capture that is most of a second for one typed character. But most of a reader's
// state is settled by the block's first lines (column layout, time style), and one record rarely depends on the
// records before it. So: read a window of a few records before and after the edit with a fresh reader (fed the
// block's lines before its first record first, for the header), and accept the result only when it is shown to be
// what a full read gives:
//   1. the fresh reader, fed the OLD window, gives exactly the old records, furniture and unparsed lines there (so
//      starting at the window's first record loses nothing the reader would have carried over);
//   2. fed the NEW window, it gives the same last WINDOW_MARGIN records as the old window (moved by the edit), so
//      the edit's effect has died out before the window ends (a day wrap or -ttt running time would show here);
//   3. both windows end the block's reading the same way (same variant), every window line is claimed by the
//      reader (no blank, prompt or foreign line whose effect on the block's end the window cannot judge).
// Otherwise the general path runs. The property tests in test/unit/incremental.test.ts compare both with a full read.

/** Records read on each side of the edit. */
const WINDOW_MARGIN = 3;

type BlockRecord = SocketRow | Segment;

function windowEdit(
  prev: IncrementalState,
  edit: LineEdit,
  lines: readonly string[],
  oldLine: (i: number) => string,
  options: IncrementalOptions,
): Spliced | undefined {
  const old = prev.model;
  const a = edit.startLine;
  const b = edit.endLine;
  const delta = edit.newLines.length - (b - a);
  const k = firstIndex(old.blocks.length, (i) => old.blocks[i]!.firstLine > a) - 1;
  if (k < 0) return undefined;
  const block = old.blocks[k]!;
  if (block.firstLine >= a || b > block.lastLine) return undefined;
  const format = forcedReader(block.format);
  if (format === undefined) return undefined;
  const isTable = !(block.format === 'tcpdump' || block.format === 'tshark');
  const records: readonly BlockRecord[] = isTable ? old.sockets : old.segments;
  const r0 = firstIndex(records.length, (i) => records[i]!.block >= k);
  const r1 = firstIndex(records.length, (i) => records[i]!.block > k);
  if (r1 - r0 < 2 * WINDOW_MARGIN + 1) return undefined;
  // Records touching the line before the edit or later (a continuation line belongs to the record above it).
  const e0 = r0 + firstIndex(r1 - r0, (i) => records[r0 + i]!.lastLine >= a - 1);
  const e1 = r0 + firstIndex(r1 - r0, (i) => records[r0 + i]!.line >= b);
  // Near the block's first line the window starts there (a full read's own start); near its end the general path
  // decides how the block ends.
  const first = Math.max(r0, e0 - WINDOW_MARGIN);
  const last = e1 + WINDOW_MARGIN - 1;
  if (last >= r1) return undefined;
  const ws = first === r0 ? block.firstLine : records[first]!.line;
  const we = records[last]!.lastLine + 1;
  if (ws >= a || we <= b) return undefined;
  // Fed before the window: the block's lines up to its first record (the header), unless the window starts there.
  const head = first === r0 ? block.firstLine : records[r0]!.line;
  const seed = first > 0 ? records[first - 1] : undefined;

  const forced = prev.resolvedFormat !== 'auto';
  const oldRead = readWindow(format, k, oldLine, block.firstLine, head, ws, we, seed, isTable, forced);
  if (oldRead === undefined || !sameRead(oldRead, records, first, last + 1, old, ws, we)) return undefined;
  const newRead = readWindow(format, k, (i) => lines[i]!, block.firstLine, head, ws, we + delta, seed, isTable, forced);
  if (newRead === undefined || newRead.variant !== oldRead.variant) return undefined;
  const n = newRead.records.length;
  if (n < WINDOW_MARGIN) return undefined;
  for (let i = 1; i <= WINDOW_MARGIN; i++) {
    if (!sameRecord(newRead.records[n - i]!, oldRead.records[oldRead.records.length - i]!, delta)) return undefined;
  }

  // Accepted: splice the window's records, furniture and unparsed lines; move everything after it.
  const mid = newRead.records;
  const list = (isTable ? old.sockets : old.segments) as BlockRecord[];
  replaceRecords(list, first, last + 1, mid);
  shiftRecords(list, first + mid.length, delta, 0);
  const other = (isTable ? old.segments : old.sockets) as BlockRecord[];
  const otherFrom = firstIndex(other.length, (i) => other[i]!.line >= we);
  shiftRecords(other, otherFrom, delta, 0);

  const blocks = old.blocks as Block[];
  blocks[k] = { ...block, lastLine: block.lastLine + delta };
  shiftBlocks(blocks, k + 1, delta);
  const scanEnds = prev.scanEnds as number[];
  addFrom(scanEnds, k, delta);

  const reread = newRead.unparsed.map((line) => ({ line, text: echo(lines[line]!) }));
  const { unparsed, headerLines } = spliceLineLists(old, ws, we, reread, newRead.headers, delta);

  const doc: ParsedDocument = { lineCount: lines.length, blocks, sockets: old.sockets, segments: old.segments, unparsed, headerLines };

  const tableFindings = prev.tableFindings as (readonly Finding[])[];
  let totals = prev.stateTotals;
  if (isTable) {
    // A table is judged as a whole (counts, queues): judge this one again.
    const rows = doc.sockets.slice(r0, r1 + mid.length - (last + 1 - first));
    tableFindings[k] = socketFindings(rows, blocks, options.thresholds);
    const removed = totalsOf(oldRead.records as SocketRow[], 0, oldRead.records.length);
    const added = totalsOf(mid as SocketRow[], 0, mid.length);
    totals = prev.stateTotals.map((t, s) => t - removed[s]! + added[s]!);
  }
  shiftTableFindings(tableFindings, k + 1, delta);

  let reuse: ConnectionPart | undefined;
  let fault: string | undefined;
  if (isTable) {
    shiftConnectionPart(prev.connectionPart, k + 1, delta, 0);
    reuse = prev.connectionPart;
  } else {
    // The segments that changed: the window's records less those read the same on both sides of the edit.
    const o = oldRead.records;
    let same = 0;
    while (same < o.length && same < n && sameRecord(mid[same]!, o[same]!, 0)) same++;
    let tail = 0;
    while (tail < o.length - same && tail < n - same && sameRecord(mid[n - 1 - tail]!, o[o.length - 1 - tail]!, delta)) tail++;
    const removed = o.slice(same, o.length - tail) as Segment[];
    if (delta === 0 && unchangedForAnalysis(mid.slice(same, n - tail) as Segment[], removed)) {
      // A keystroke in a data segment's options, its payload text or its frame number: the analysis reads none of it.
      reuse = prev.connectionPart;
    } else {
      // A bug in the partial re-analysis must not lose the edit: the full analysis then runs (and reports any error).
      try {
        reuse = reanalyseConnections(prev.connectionPart, doc.segments, {
          block: k,
          start: first + same,
          oldEnd: first + o.length - tail,
          newEnd: first + n - tail,
          removed,
          // Records read the same after the edit moved by `delta`; so did every line after them.
          lineFrom: tail > 0 ? o[o.length - tail]!.line : b,
          lineDelta: delta,
        });
      } catch (e) {
        fault = e instanceof Error ? e.message : String(e);
      }
    }
  }
  return {
    lines,
    doc,
    scanEnds,
    tableFindings,
    totals,
    opts: { format: prev.format, resolvedFormat: prev.resolvedFormat, thresholds: options.thresholds },
    connections: reuse,
    stats: { mode: 'incremental', fromLine: ws, resumedAt: we + delta, linesRead: we + delta - ws + (head - block.firstLine), blocksRead: 0, window: true, ...(fault !== undefined && { connectionsFault: fault }) },
  };
}

interface WindowRead {
  readonly records: BlockRecord[];
  readonly headers: number[];
  readonly unparsed: number[];
  readonly variant: string;
}

/**
 * A fresh reader of block `k`: fed the block's lines before its first record ([firstLine, head)), then the window
 * [ws, we). Undefined when a line is not claimed by the reader or the lines before the first record made a record.
 */
function readWindow(
  format: FormatReader,
  k: number,
  lineAt: (i: number) => string,
  firstLine: number,
  head: number,
  ws: number,
  we: number,
  seed: BlockRecord | undefined,
  isTable: boolean,
  forced: boolean,
): WindowRead | undefined {
  // Seeded with the record before the window, as a full read would have it (see EditJob).
  const sink: RecordSink = { sockets: [], segments: [] };
  if (seed !== undefined) (isTable ? sink.sockets : sink.segments).push(seed as SocketRow & Segment);
  const seeded = seed !== undefined ? 1 : 0;
  const reader = format.begin(k, sink);
  const own = (): BlockRecord[] => (isTable ? sink.sockets : sink.segments);
  const headers: number[] = [];
  const unparsed: number[] = [];
  // The scanner's rules inside a block: where they would end the block, the window cannot judge.
  const block = new BlockLines(format, reader, forced);
  const feed = (i: number, keep: boolean): boolean => {
    const step = block.feed(lineAt(i), i, (f) => {
      if (keep) unparsed.push(f);
    });
    if (step === 'end') return false;
    if (keep && step === 'header') headers.push(i);
    else if (keep && step === 'unparsed') unparsed.push(i);
    return true;
  };
  for (let i = firstLine; i < head; i++) if (!feed(i, false)) return undefined;
  if (own().length !== seeded || (isTable ? sink.segments : sink.sockets).length !== 0) return undefined;
  for (let i = ws; i < we; i++) if (!feed(i, true)) return undefined;
  // The window ends on a record's last line, so a foreign line or blank run still open here cannot be.
  if (block.undecided) return undefined;
  unparsed.sort((x, y) => x - y);
  const variant = reader.finish(we - 1);
  if ((isTable ? sink.segments : sink.sockets).length !== 0) return undefined;
  return { records: own().slice(seeded), headers, unparsed, variant };
}

/** The fresh reader fed the old window gave exactly what the previous full read gave there. */
function sameRead(read: WindowRead, records: readonly BlockRecord[], from: number, to: number, old: ParsedDocument, ws: number, we: number): boolean {
  if (read.records.length !== to - from) return false;
  for (let i = from; i < to; i++) if (!sameRecord(read.records[i - from]!, records[i]!, 0)) return false;
  const h0 = firstAtLeast(old.headerLines, ws);
  const h1 = firstAtLeast(old.headerLines, we);
  if (h1 - h0 !== read.headers.length || read.headers.some((h, i) => old.headerLines[h0 + i] !== h)) return false;
  const u0 = firstIndex(old.unparsed.length, (i) => old.unparsed[i]!.line >= ws);
  const u1 = firstIndex(old.unparsed.length, (i) => old.unparsed[i]!.line >= we);
  return u1 - u0 === read.unparsed.length && read.unparsed.every((u, i) => old.unparsed[u0 + i]!.line === u);
}

/** Every field a surface can read, the lines moved by `delta` (a from the new read, b from the old one). */
const SEGMENT_FIELDS = ['block', 'number', 'time', 'timeSeconds', 'src', 'dst', 'flags', 'flagText', 'seq', 'seqEnd', 'ack', 'win', 'urg', 'len', 'options', 'truncated', 'iface', 'direction', 'toolAnalysis', 'source'] as const;
const SOCKET_FIELDS = ['block', 'proto', 'local', 'remote', 'state', 'stateText', 'recvQ', 'sendQ', 'process', 'timer', 'info'] as const;

/**
 * Segments read again that give the connection analysis (tcp/connection.ts, analysis/) exactly what it read before:
 * the same lines, block, tool, endpoints, flags, numbers, window, length and time, and for a SYN the options it
 * negotiates. Anything else on the line (a data segment's options, payload text, frame number) it does not read.
 */
function unchangedForAnalysis(now: readonly Segment[], before: readonly Segment[]): boolean {
  if (now.length !== before.length) return false;
  for (let i = 0; i < now.length; i++) {
    const a = now[i]!;
    const b = before[i]!;
    if (a.line !== b.line || a.lastLine !== b.lastLine || a.block !== b.block || a.source !== b.source) return false;
    if (a.seq !== b.seq || a.ack !== b.ack || a.win !== b.win || a.len !== b.len || a.timeSeconds !== b.timeSeconds) return false;
    if (a.src.address !== b.src.address || a.src.port !== b.src.port || a.dst.address !== b.dst.address || a.dst.port !== b.dst.port) return false;
    if (a.flags.length !== b.flags.length || a.flags.some((f, k) => f !== b.flags[k])) return false;
    if (!a.flags.includes('SYN')) continue;
    const x = a.options;
    const y = b.options;
    if (x?.mss !== y?.mss || x?.wscale !== y?.wscale || (x?.sackPermitted === true) !== (y?.sackPermitted === true) || (x?.tsVal !== undefined) !== (y?.tsVal !== undefined)) {
      return false;
    }
  }
  return true;
}

function sameRecord(a: BlockRecord, b: BlockRecord, delta: number): boolean {
  if (a.line !== b.line + delta || a.lastLine !== b.lastLine + delta) return false;
  const fields: readonly string[] = 'flagText' in a ? SEGMENT_FIELDS : SOCKET_FIELDS;
  const x = a as unknown as Record<string, unknown>;
  const y = b as unknown as Record<string, unknown>;
  for (const f of fields) if (!sameData(x[f], y[f])) return false;
  return true;
}

/**
 * Whether two values a reader made are the same data (plain objects, arrays and primitives; a property set to
 * undefined counts as absent). Compared in place: as JSON text, a keystroke made about 30 KB of strings comparing the
 * endpoints and options of the lines around it. NaN is never the same as itself here, which only reads a line again.
 */
function sameData(u: unknown, v: unknown): boolean {
  if (u === v) return true;
  if (typeof u !== 'object' || typeof v !== 'object' || u === null || v === null) return false;
  if (Array.isArray(u) || Array.isArray(v)) {
    if (!Array.isArray(u) || !Array.isArray(v) || u.length !== v.length) return false;
    for (let i = 0; i < u.length; i++) if (!sameData(u[i], v[i])) return false;
    return true;
  }
  const x = u as Record<string, unknown>;
  const y = v as Record<string, unknown>;
  let defined = 0;
  for (const key in x) {
    const value = x[key];
    if (value === undefined) continue;
    defined++;
    if (!sameData(value, y[key])) return false;
  }
  for (const key in y) if (y[key] !== undefined) defined--;
  return defined === 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Assembling the analysed model

function assemble(
  lines: readonly string[],
  doc: ParsedDocument,
  scanEnds: readonly number[],
  tableFindings: readonly (readonly Finding[])[],
  stateTotals: readonly number[],
  opts: { format: FormatChoice; resolvedFormat: FormatId | 'auto'; thresholds: Partial<SocketThresholds> | undefined },
  conn: ConnectionPart,
): IncrementalState {
  const tables: Finding[] = [];
  for (const fs of tableFindings) for (const f of fs) tables.push(f);
  // The order analyse.ts gives: first line, then severity; stable, so equal keys keep table-then-connection order.
  // The connection part's findings are kept in that order (connectionPartJob, reanalyseConnections).
  // A capture without tables: the connection part's own list (no copy of every finding per keystroke; the next
  // update takes it over with the rest of this state).
  const findings = tables.length === 0 ? inFindingOrder(conn.findings) : mergeFindings(inFindingOrder(tables), inFindingOrder(conn.findings));
  // Everything the analysis adds (connections, rebuild detail, any later field) comes from `conn`; the sockets, their
  // counts and the merged findings are ours.
  const model: AnalysedModel = {
    ...doc,
    ...conn,
    // As analyseLines counts them: the empty line after a final newline is not one.
    displayLineCount: lines.length > 0 && lines[lines.length - 1] === '' ? lines.length - 1 : lines.length,
    stateCounts: countsFromTotals(stateTotals),
    findings,
  };
  return {
    lines,
    model,
    scanEnds,
    tableFindings,
    stateTotals,
    connectionPart: conn,
    format: opts.format,
    resolvedFormat: opts.resolvedFormat,
    thresholds: opts.thresholds,
  };
}

type AssembleOptions = { format: FormatChoice; resolvedFormat: FormatId | 'auto'; thresholds: Partial<SocketThresholds> | undefined };

/** An update's document and socket-table results, waiting for the connection analysis (given when reused). */
interface Spliced {
  readonly lines: readonly string[];
  readonly doc: ParsedDocument;
  readonly scanEnds: readonly number[];
  readonly tableFindings: readonly (readonly Finding[])[];
  readonly totals: readonly number[];
  readonly opts: AssembleOptions;
  readonly connections: ConnectionPart | undefined;
  readonly stats: Omit<EditStats, 'connectionsReused'>;
}

/** The last part of an update: the connection analysis when it could not be reused (in slices), then the model. */
function finishJob(s: Spliced): Job<{ state: IncrementalState; stats: EditStats }> {
  const connections = s.connections !== undefined ? doneJob(s.connections) : connectionPartJob(s.doc);
  let output: { state: IncrementalState; stats: EditStats } | undefined;
  return {
    step(shouldYield) {
      if (output !== undefined) return true;
      if (!connections.step(shouldYield)) return false;
      const state = assemble(s.lines, s.doc, s.scanEnds, s.tableFindings, s.totals, s.opts, connections.result());
      output = { state, stats: { ...s.stats, connectionsReused: s.connections !== undefined } };
      return true;
    },
    result() {
      if (output === undefined) throw new Error('editJob: result() before the job finished');
      return output;
    },
  };
}

function doneJob<T>(value: T): Job<T> {
  return { step: () => true, result: () => value };
}

/**
 * The connection analysis of `doc`'s segments as a job, shaped as `analyseParsed` shapes it (which runs it on the
 * same segments; socket tables are judged elsewhere here).
 */
function connectionPartJob(doc: ParsedDocument): Job<ConnectionPart> {
  if (doc.segments.length === 0) return doneJob(noConnections());
  const job = connectionAnalysisJob(doc);
  let part: ConnectionPart | undefined;
  return {
    step(shouldYield) {
      if (part !== undefined) return true;
      try {
        if (!job.step(shouldYield)) return false;
        const fields = connectionFields(job.result());
        part = { ...fields, findings: inFindingOrder(fields.findings) };
      } catch (e) {
        part = failedConnectionFields(e);
      }
      return true;
    },
    result() {
      if (part === undefined) throw new Error('connectionPartJob: result() before the job finished');
      return part;
    },
  };
}

const STATE_INDEX: ReadonlyMap<TcpState, number> = new Map(TCP_STATES.map((s, i) => [s, i]));

function totalsOf(rows: readonly SocketRow[], from: number, to: number): number[] {
  const totals = TCP_STATES.map(() => 0);
  for (let k = from; k < to; k++) {
    const s = rows[k]!.state;
    if (s !== undefined) totals[STATE_INDEX.get(s)!]!++;
  }
  return totals;
}

function countsFromTotals(totals: readonly number[]): AnalysedModel['stateCounts'] {
  const out: Partial<Record<TcpState, number>> = {};
  for (let s = 0; s < TCP_STATES.length; s++) {
    const n = totals[s]!;
    if (n) out[TCP_STATES[s]!] = n;
  }
  return out;
}

/** Group findings by the block holding their first line; blocks [from, to) get an array each. */
function splitByBlock(findings: readonly Finding[], blocks: readonly Block[], from = 0, to = blocks.length): Finding[][] {
  const out: Finding[][] = [];
  for (let k = from; k < to; k++) out.push([]);
  for (const f of findings) {
    const line = f.lines[0] ?? 0;
    const k = firstIndex(blocks.length, (i) => blocks[i]!.lastLine >= line);
    const slot = Math.min(Math.max(k, from), to - 1) - from;
    if (slot >= 0) out[slot]!.push(f);
  }
  return out;
}

/** Whether the previous parse's top-level loop stood at line `p` (not strictly inside a block). */
function isTopLevel(blocks: readonly Block[], p: number): boolean {
  // The last block starting before p must have ended before p.
  const k = firstIndex(blocks.length, (i) => blocks[i]!.firstLine >= p) - 1;
  return k < 0 || blocks[k]!.lastLine < p;
}


// ---------------------------------------------------------------------------------------------------------------
// Shifting reused records
//
// Records after the edit keep their objects and get their line numbers (and block indices) moved IN PLACE: copying
// 100,000 rows with their tokens after every typed newline costs seconds of allocation, moving numbers costs
// milliseconds. This is why an update takes ownership of the previous state (see `editJob`).

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

// The loops over every block after an edit are functions of their own, with nothing after the loop: in the middle of
// an update, V8 compiled such a loop while it ran the first time (on the stack), before the code after it had ever
// run, and that code then sent the rest of every later update back to the interpreter (in a document of 3,877
// blocks, 15 to 36 times in 200 keystrokes).

/**
 * Blocks [from, end) moved by `delta` lines, in place like the records: a pasted line above 4,000 blocks would
 * otherwise copy 4,000 objects.
 */
function shiftBlocks(blocks: Block[], from: number, delta: number): void {
  if (delta === 0) return;
  for (let k = from; k < blocks.length; k++) {
    const m = blocks[k] as Mutable<Block>;
    m.firstLine += delta;
    m.lastLine += delta;
  }
}

/** `delta` added to list[from, end), in place. */
function addFrom(list: number[], from: number, delta: number): void {
  if (delta === 0) return;
  for (let k = from; k < list.length; k++) list[k] = list[k]! + delta;
}

/** The socket findings of blocks [from, end) moved by `delta` lines, in place. */
function shiftTableFindings(tableFindings: readonly (readonly Finding[])[], from: number, delta: number): void {
  if (delta === 0) return;
  for (let k = from; k < tableFindings.length; k++) for (const f of tableFindings[k]!) shiftFinding(f, delta);
}

/**
 * In place: the unparsed lines and header lines `old` has on its lines [from, to) (old numbering) are replaced by
 * those read again there (new numbering, headers in order), and the ones after move by `delta`.
 */
function spliceLineLists(
  old: ParsedDocument,
  from: number,
  to: number,
  reread: readonly UnparsedLine[],
  headers: readonly number[],
  delta: number,
): { unparsed: UnparsedLine[]; headerLines: number[] } {
  const unparsed = old.unparsed as UnparsedLine[];
  const u0 = firstIndex(unparsed.length, (k) => unparsed[k]!.line >= from);
  const u1 = firstIndex(unparsed.length, (k) => unparsed[k]!.line >= to);
  replaceRange(unparsed, u0, u1, reread);
  if (delta !== 0) {
    for (let k = u0 + reread.length; k < unparsed.length; k++) unparsed[k] = { ...unparsed[k]!, line: unparsed[k]!.line + delta };
  }
  const headerLines = old.headerLines as number[];
  const h0 = firstAtLeast(headerLines, from);
  const h1 = firstAtLeast(headerLines, to);
  replaceRange(headerLines, h0, h1, headers);
  addFrom(headerLines, h0 + headers.length, delta);
  return { unparsed, headerLines };
}

/** Replace arr[from, to) with `mid`, in place; the items after move with one native copy. */
function replaceRange<T>(arr: T[], from: number, to: number, mid: readonly T[]): void {
  resizeRange(arr, from, to, mid.length);
  for (let i = 0; i < mid.length; i++) arr[from + i] = mid[i]!;
}

function shiftTokens(tokens: readonly Token[], delta: number): void {
  if (delta === 0) return;
  for (let i = 0; i < tokens.length; i++) (tokens[i] as Mutable<Token>).line += delta;
}

/**
 * Records may build their tokens lazily. A record that can move itself without building them offers
 * `shiftLines(delta, blockDelta)`; otherwise its tokens are built BEFORE its line changes (so they are built for the
 * line they were read on, whichever line number the record's tokenizer uses) and then moved with it.
 */
interface Shiftable {
  shiftLines?(delta: number, blockDelta: number): void;
}

/**
 * Move records [from, end) of `list` (an edit above them): by their runs where the list keeps its records in runs
 * (lineRuns.ts), otherwise each record moves itself (or, without `shiftLines`, is moved as plain data).
 */
function shiftRecords(list: readonly (SocketRow | Segment)[], from: number, delta: number, blockDelta: number): void {
  moveFrom(list, from, delta, blockDelta, shiftRecord);
}

function shiftRecord(record: unknown, delta: number, blockDelta: number): void {
  const rec = record as (SocketRow | Segment) & Shiftable;
  if (rec.shiftLines !== undefined) rec.shiftLines(delta, blockDelta);
  else shiftPlainRecord(rec, delta, blockDelta);
}

/** Replace records[from, to) with `mid`, in place; the runs the records are kept in (lineRuns.ts) follow. */
function replaceRecords<T extends SocketRow | Segment>(list: T[], from: number, to: number, mid: readonly T[]): void {
  replaceRange(list, from, to, mid);
  spliceRuns(list, from, to - from, mid.length);
}

/** A record without `shiftLines`: its tokens are built for the line it was read on, then moved with it. */
function shiftPlainRecord(rec: SocketRow | Segment, delta: number, blockDelta: number): void {
  const tokens = delta === 0 ? undefined : rec.tokens;
  const r = rec as Mutable<SocketRow | Segment>;
  r.block += blockDelta;
  r.line += delta;
  r.lastLine += delta;
  if (tokens) shiftTokens(tokens, delta);
}

/**
 * Move the connections of blocks `fromBlock` and later (old numbering) by `delta` lines and `blockDelta` blocks, in
 * place, with their findings. Connections never span blocks, and an edit that re-read no segment left every
 * connection either before the re-read blocks or after them.
 */
function shiftConnectionPart(part: ConnectionPart, fromBlock: number, delta: number, blockDelta: number): void {
  if (delta === 0 && blockDelta === 0) return;
  const numbering = part.rebuild?.numbering;
  if (numbering !== undefined && blockDelta !== 0) {
    // Which segment decided each block's tcpdump numbering, under the blocks' new numbers (segments did not move).
    const moved = new Map<number, number>();
    for (const [b, i] of numbering) moved.set(b >= fromBlock ? b + blockDelta : b, i);
    (part.rebuild as Mutable<ConnectionRebuild>).numbering = moved;
  }
  const full = part.rebuild?.connections ?? [];
  if (blockDelta !== 0) blocksRenumbered(full);
  let firstMoved = -1;
  for (let c = 0; c < full.length; c++) {
    const conn = full[c] as Mutable<Connection>;
    if (conn.block < fromBlock) continue;
    if (firstMoved < 0) firstMoved = conn.firstLine;
    conn.block += blockDelta;
    if (delta === 0) continue;
    conn.firstLine += delta;
    conn.lastLine += delta;
    const summary = part.connections[c] as Mutable<ConnectionSummary> | undefined;
    if (summary !== undefined && summary !== (conn as unknown)) {
      summary.firstLine += delta;
      summary.lastLine += delta;
    }
  }
  if (delta === 0 || firstMoved < 0) return;
  // A connection finding names lines of one connection only, so its first line says whether it moved.
  for (const f of part.findings) if ((f.lines[0] ?? -1) >= firstMoved) shiftFinding(f, delta);
}

function shiftFinding(f: Finding, delta: number): Finding {
  const lines = f.lines as number[];
  for (let i = 0; i < lines.length; i++) lines[i] = lines[i]! + delta;
  return f;
}


