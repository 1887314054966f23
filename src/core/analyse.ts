/**
 * The one entry every surface uses: text -> parsed document -> counts, findings and connections.
 * The CLI, the extension's diagnostics/hover/report and the tests all call `analyse` (or `analyseParsed` on a
 * document they parsed and cached themselves), so they can never disagree.
 */
import { analyseSegmentsJob, flagList, type SegmentAnalysis, type SegmentsAnalysis } from './analysis/segments';
import { socketFindings, type SocketThresholds } from './analysis/sockets';
import { compareFindings, severityRank } from './findingOrder';
import { parseLines, parseText, type ParseOptions } from './formats/detect';
import { JOB_CHUNK, runJob, type Job } from './job';
import { READERS } from './formats/registry';
import type { Endpoint, Finding, FormatId, ParsedDocument, TcpState } from './model';
import { objectArray, preallocate, type Connection, type RecordStore } from './tcp/connection';
import { TCP_STATES } from './tcp/states';
import { capLine, isBlank, splitLines } from './text';

/** `netstat` asks for one of the three netstat families, chosen by detection among them. */
export type FormatChoice = FormatId | 'auto' | 'netstat';

export const FORMAT_CHOICES: readonly FormatChoice[] = [
  'auto',
  'netstat',
  'ss',
  'tcpdump',
  'tshark',
  'netstat-linux',
  'netstat-bsd',
  'netstat-windows',
];

export interface AnalyseOptions {
  /** Force a reader for every block; `auto` (default) detects per block. */
  readonly format?: FormatChoice;
  /** Socket-table thresholds; missing keys keep their defaults. */
  readonly thresholds?: Partial<SocketThresholds>;
}

/** Counts per RFC 9293 state, in RFC order; states with no socket are left out. */
export type StateCounts = Readonly<Partial<Record<TcpState, number>>>;

export type ConnectionOpen = 'handshake' | 'refused' | 'unanswered' | 'simultaneous' | 'mid-stream';
export type ConnectionClose = 'client-first' | 'server-first' | 'simultaneous' | 'reset' | 'open';

/** One TCP connection rebuilt from segments, as the CLI contract describes it (lines 0-based here). */
export interface ConnectionSummary {
  readonly id: number;
  readonly client: Endpoint;
  readonly server: Endpoint;
  readonly firstLine: number;
  readonly lastLine: number;
  readonly segments: number;
  readonly open: ConnectionOpen;
  readonly close: ConnectionClose;
  readonly finalStates: { readonly client: TcpState; readonly server: TcpState };
  readonly irttMs?: number;
}

/** What the connection rebuild adds to a parsed document. */
export interface ConnectionAnalysis {
  readonly connections: readonly ConnectionSummary[];
  /** Parallel to `segments`: the connection id of each segment, or null. */
  readonly segmentConnections: readonly (number | null)[];
  /** Parallel to `segments`: Wireshark-style analysis names (retransmission, duplicate-ack, ...). */
  readonly segmentAnalysis: readonly (readonly string[])[];
  readonly findings: readonly Finding[];
  /** The rebuild's full detail (both ends' states per segment, steps, ISNs, options) for the diagram and stepper. */
  readonly rebuild: ConnectionRebuild;
}

export interface ConnectionRebuild {
  /** Index-aligned with `connections` (same ids). */
  readonly connections: readonly Connection[];
  /** Index-aligned with `segments`. */
  readonly perSegment: readonly SegmentAnalysis[];
  /** Per block: the index of the segment that decided how tcpdump numbered it (for incremental re-analysis). */
  readonly numbering?: ReadonlyMap<number, number>;
}

export interface AnalysedModel extends ParsedDocument {
  /**
   * Lines as a person counts them (`wc -l`): the empty line after a final newline is not one. Optional so models
   * assembled elsewhere (incremental.ts) stay valid; readers fall back to `lineCount`.
   */
  readonly displayLineCount?: number;
  readonly stateCounts: StateCounts;
  /** Socket-table and connection findings, in document order (first line, then severity). */
  readonly findings: readonly Finding[];
  readonly connections: readonly ConnectionSummary[];
  /**
   * Parallel to `segments` when the connection rebuild ran; EMPTY when it did not (then every segment has
   * connection null and no analysis). Read them through `segmentConnection` / `segmentAnalysis` below.
   */
  readonly segmentConnections: readonly (number | null)[];
  readonly segmentAnalysis: readonly (readonly string[])[];
  /** Whether segments went through the connection rebuild (false while that module is not part of the build). */
  readonly connectionAnalysis: boolean;
  /** The rebuild's full detail, when segments went through it (undefined for documents without segments). */
  readonly rebuild?: ConnectionRebuild;
  /** Set when the connection rebuild failed (a bug): everything else in the model is still valid. */
  readonly analysisError?: string;
}

/**
 * The connection rebuild (src/core/tcp/connection.ts + analysis/segments.ts + connectionFindings.ts), adapted to the
 * model: contract-shaped summaries for every surface, and the full rebuild kept alongside for the diagram/stepper.
 */
export function analyseConnections(doc: ParsedDocument): ConnectionAnalysis {
  return runJob(connectionAnalysisJob(doc));
}

/** `analyseConnections` as a sliceable job (see src/core/job.ts): the rebuild's job, then the model's arrays. */
export function connectionAnalysisJob(doc: ParsedDocument): Job<ConnectionAnalysis> {
  return new ConnectionAnalysisJob(doc);
}

class ConnectionAnalysisJob implements Job<ConnectionAnalysis> {
  /** The rebuild, until it is done (then only its result is kept: the rest is garbage). */
  private rebuildJob: Job<SegmentsAnalysis> | undefined;
  private rebuilt: SegmentsAnalysis | undefined;
  /** Segments whose model entries are made, then connections summarised. */
  private nextSegment = 0;
  private nextConnection = 0;
  // From the rebuild's compact tables, not its per-segment records (those are built only when a surface reads one).
  private readonly segmentConnections: (number | null)[];
  private readonly segmentAnalysis: (readonly string[])[];
  private summaries: ConnectionSummary[] = [];
  private output: ConnectionAnalysis | undefined;

  constructor(private readonly doc: ParsedDocument) {
    this.rebuildJob = analyseSegmentsJob(doc.segments);
    const n = doc.segments.length;
    this.segmentConnections = preallocate(n) ? new Array<number | null>(n) : [];
    this.segmentAnalysis = objectArray(n);
  }

  step(shouldYield?: () => boolean): boolean {
    if (this.output !== undefined) return true;
    if (this.rebuilt === undefined) {
      const job = this.rebuildJob!;
      if (!job.step(shouldYield)) return false;
      this.rebuilt = job.result();
      this.rebuildJob = undefined;
      const count = this.rebuilt.connections.length;
      this.summaries = objectArray(count);
      if (shouldYield !== undefined && shouldYield()) return false;
    }
    const r = this.rebuilt;
    const size = this.doc.segments.length;
    // The loops are functions of their own: inside this one, V8 compiled them on the stack (OSR) on every edit's
    // small analysis and threw the code away at the first read after them, once per keystroke in the editor.
    while (this.nextSegment < size) {
      const to = Math.min(size, this.nextSegment + JOB_CHUNK);
      modelSegmentFields(r, this.nextSegment, to, this.segmentConnections, this.segmentAnalysis);
      this.nextSegment = to;
      if (shouldYield !== undefined && shouldYield()) return false;
    }
    const connections = r.connections;
    while (this.nextConnection < connections.length) {
      const to = Math.min(connections.length, this.nextConnection + JOB_CHUNK);
      summariseRange(connections, this.nextConnection, to, this.summaries);
      this.nextConnection = to;
      if (to < connections.length && shouldYield !== undefined && shouldYield()) return false;
    }
    const rebuild: ConnectionRebuild = {
      connections: r.connections,
      numbering: r.numbering,
      get perSegment() {
        return r.perSegment;
      },
    };
    RECORD_STORES.set(rebuild, r.store);
    this.output = {
      connections: this.summaries,
      segmentConnections: this.segmentConnections,
      segmentAnalysis: this.segmentAnalysis,
      findings: r.findings,
      rebuild,
    };
    return true;
  }

  result(): ConnectionAnalysis {
    if (this.output === undefined) throw new Error('connectionAnalysisJob: result() before the job finished');
    return this.output;
  }
}

/** The tables behind the records of the rebuilds made here (kept off the model, which is data). */
const RECORD_STORES = new WeakMap<ConnectionRebuild, RecordStore>();

/** The tables `rebuild`'s records read (see SegmentsAnalysis.store), when it was made here. */
export function recordStore(rebuild: ConnectionRebuild): RecordStore | undefined {
  return RECORD_STORES.get(rebuild);
}

/** The model's per-segment fields of segments [from, to), from the rebuild's compact tables. */
function modelSegmentFields(r: SegmentsAnalysis, from: number, to: number, ids: (number | null)[], flags: (readonly string[])[]): void {
  for (let i = from; i < to; i++) {
    const id = r.segmentConnections[i];
    ids[i] = id === undefined || id < 0 ? null : id;
    flags[i] = flagList(r.segmentFlagBits[i] ?? 0);
  }
}

function summariseRange(connections: readonly Connection[], from: number, to: number, out: ConnectionSummary[]): void {
  for (let c = from; c < to; c++) out[c] = summariseConnection(connections[c]!);
}

export function summariseConnection(c: Connection): ConnectionSummary {
  const id = c.id;
  const client = c.client.endpoint;
  const server = c.server.endpoint;
  const { firstLine, lastLine, open, close, irttMs } = c;
  const segments = c.segmentIndexes.length;
  const finalStates = statePair(c.finalStates.client.state, c.finalStates.server.state);
  if (irttMs !== undefined) return { id, client, server, firstLine, lastLine, segments, open, close, finalStates, irttMs };
  return { id, client, server, firstLine, lastLine, segments, open, close, finalStates };
}

/** Summaries share one frozen object per pair of final states (a capture has a few of them and many connections). */
const STATE_PAIRS = new Map<TcpState, Map<TcpState, ConnectionSummary['finalStates']>>();
function statePair(client: TcpState, server: TcpState): ConnectionSummary['finalStates'] {
  let byServer = STATE_PAIRS.get(client);
  if (byServer === undefined) {
    byServer = new Map();
    STATE_PAIRS.set(client, byServer);
  }
  let pair = byServer.get(server);
  if (pair === undefined) {
    pair = Object.freeze({ client, server });
    byServer.set(server, pair);
  }
  return pair;
}

const CONNECTION_ANALYSER: (doc: ParsedDocument) => ConnectionAnalysis = analyseConnections;

export function analyse(text: string, options: AnalyseOptions = {}): AnalysedModel {
  // parseText reads the same as parseLines(splitLines(text)) but keeps no string per line while the records live.
  const format = options.format === 'netstat' ? resolveFormat(splitLines(text), 'netstat') : (options.format ?? 'auto');
  const model = analyseParsed(parseText(text, { format }), options);
  // As analyseLines counts lines: the empty line after a final line break is not one.
  return text === '' || text.endsWith('\n') || text.endsWith('\r') ? { ...model, displayLineCount: model.lineCount - 1 } : model;
}

/** Same as `analyse` (the name the extension's document cache uses). */
export const analyseText: (text: string, options?: AnalyseOptions) => AnalysedModel = analyse;

export function analyseLines(lines: readonly string[], options: AnalyseOptions = {}): AnalysedModel {
  const parseOptions: ParseOptions = { format: resolveFormat(lines, options.format) };
  const model = analyseParsed(parseLines(lines, parseOptions), options);
  const last = lines.length > 0 ? lines[lines.length - 1] : undefined;
  return last === '' ? { ...model, displayLineCount: lines.length - 1 } : model;
}

/** What the connection analysis adds to a model (incremental.ts keeps it apart from the socket tables' part). */
export type ConnectionFields = Pick<AnalysedModel, 'findings' | 'connections' | 'segmentConnections' | 'segmentAnalysis' | 'connectionAnalysis' | 'rebuild' | 'analysisError'>;

/** The fields of a document without segments (new arrays each time: an update edits a model's arrays in place). */
export function noConnections(): ConnectionFields {
  return { findings: [], connections: [], segmentConnections: [], segmentAnalysis: [], connectionAnalysis: true };
}

export function connectionFields(result: ConnectionAnalysis): ConnectionFields {
  const { findings, connections, segmentConnections, segmentAnalysis, rebuild } = result;
  return { findings, connections, segmentConnections, segmentAnalysis, connectionAnalysis: true, rebuild };
}

/**
 * A bug in the rebuild must not take the sockets, segments and socket findings down with it: they are kept, and the
 * model says what failed so every surface can show it.
 */
export function failedConnectionFields(error: unknown): ConnectionFields {
  return { ...noConnections(), connectionAnalysis: false, analysisError: error instanceof Error ? error.message : String(error) };
}

/** Analyse a document parsed elsewhere (the extension caches parsing per document version). */
export function analyseParsed(doc: ParsedDocument, options: AnalyseOptions = {}): AnalysedModel {
  let part = noConnections();
  if (doc.segments.length > 0) {
    try {
      part = connectionFields(CONNECTION_ANALYSER(doc));
    } catch (e) {
      part = failedConnectionFields(e);
    }
  }
  // One concat, not a for-of with push: this runs once per analysis, before V8 optimizes it, and there every step of
  // an iterator makes a result object (and the pushes grow the array several times).
  const findings: Finding[] = socketFindings(doc.sockets, doc.blocks, options.thresholds).concat(part.findings);
  findings.sort(compareFindings);
  return {
    ...doc,
    displayLineCount: doc.lineCount,
    stateCounts: countStates(doc),
    findings,
    connections: part.connections,
    segmentConnections: part.segmentConnections,
    segmentAnalysis: part.segmentAnalysis,
    connectionAnalysis: part.connectionAnalysis,
    ...(part.rebuild ? { rebuild: part.rebuild } : {}),
    ...(part.analysisError !== undefined ? { analysisError: part.analysisError } : {}),
  };
}

export function segmentConnection(model: AnalysedModel, index: number): number | null {
  return model.segmentConnections[index] ?? null;
}

const NO_ANALYSIS: readonly string[] = [];

export function segmentAnalysis(model: AnalysedModel, index: number): readonly string[] {
  return model.segmentAnalysis[index] ?? NO_ANALYSIS;
}

export function countStates(doc: ParsedDocument): StateCounts {
  const counts = new Map<TcpState, number>();
  for (const row of doc.sockets) {
    if (row.state !== undefined) counts.set(row.state, (counts.get(row.state) ?? 0) + 1);
  }
  const out: Partial<Record<TcpState, number>> = {};
  for (const state of TCP_STATES) {
    const n = counts.get(state);
    if (n) out[state] = n;
  }
  return out;
}

export { severityRank };

/** How many lines `--format netstat` looks at to tell Linux, BSD and Windows netstat apart. */
const NETSTAT_PROBE_LINES = 5000;

/**
 * Turn a format choice into what the parser takes. `netstat` picks the netstat family whose reader is surest about
 * the first line any of them recognises (a header that only one family prints wins at once); Linux when none does.
 */
export function resolveFormat(lines: readonly string[], choice: FormatChoice | undefined): FormatId | 'auto' {
  if (choice === undefined || choice === 'auto') return 'auto';
  if (choice !== 'netstat') return choice;
  const netstats = READERS.filter((r) => r.format.startsWith('netstat-'));
  let best: FormatId | undefined;
  let bestScore = 0;
  const end = Math.min(lines.length, NETSTAT_PROBE_LINES);
  for (let i = 0; i < end; i++) {
    const raw = lines[i]!;
    if (isBlank(raw)) continue;
    const line = capLine(raw);
    for (const reader of netstats) {
      const score = reader.startScore(line);
      if (score > bestScore) {
        bestScore = score;
        best = reader.format;
      }
    }
    if (bestScore === 2) break;
    // A data row settles it when no header came first.
    if (bestScore === 1) break;
  }
  return best ?? 'netstat-linux';
}
