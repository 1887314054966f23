/**
 * The CLI's JSON contract (shared/design.md, schema 1). Line numbers and connection ids are 1-based here and only
 * here (the model counts both from 0): `connections[].id`, `segments[].connection` and `findings[].connection` all
 * name connection 1 for the model's connection 0, the same number `tcp-lens diagram --connection N` takes.
 * Keys always appear in the contract's order; keys marked optional in the contract (`time`, `seq`, `process`, ...)
 * are left out when the tool did not print the value, and `state`, `recvQ`, `sendQ` are null when a table has no
 * such column (Windows netstat has no queues; UDP rows have no TCP state).
 *
 * `jsonChunks` yields the document piece by piece so a million-row table is written without building one huge
 * string; `renderJson` joins them for small inputs and tests.
 */
import { segmentAnalysis, segmentConnection, type AnalysedModel, type ConnectionSummary } from '../analyse';
import type { Block, Endpoint, Finding, Lang, Segment, SocketRow, TcpOptions, UnparsedLine } from '../model';

export const JSON_SCHEMA_VERSION = 1;

export interface JsonEndpoint {
  readonly address: string;
  readonly port: number | string;
}

export interface JsonBlock {
  readonly format: Block['format'];
  readonly variant: string;
  readonly firstLine: number;
  readonly lastLine: number;
}

export interface JsonSocket {
  readonly line: number;
  readonly proto: string;
  readonly local: JsonEndpoint;
  readonly remote: JsonEndpoint;
  readonly state: string | null;
  readonly stateText: string;
  readonly recvQ: number | null;
  readonly sendQ: number | null;
  readonly process?: { readonly name: string; readonly pid?: number };
  readonly timer?: { readonly kind: string; readonly expiresMs?: number; readonly retransmits?: number; readonly text: string };
}

export interface JsonSegment {
  readonly line: number;
  readonly time?: string;
  readonly src: JsonEndpoint;
  readonly dst: JsonEndpoint;
  readonly flags: readonly string[];
  readonly seq?: number;
  readonly ack?: number;
  readonly win?: number;
  readonly len: number;
  readonly options?: TcpOptions;
  readonly connection: number | null;
  readonly analysis: readonly string[];
}

export interface JsonConnection {
  readonly id: number;
  readonly client: JsonEndpoint;
  readonly server: JsonEndpoint;
  readonly firstLine: number;
  readonly lastLine: number;
  readonly segments: number;
  readonly open: ConnectionSummary['open'];
  readonly close: ConnectionSummary['close'];
  readonly finalStates: ConnectionSummary['finalStates'];
  readonly irttMs?: number;
}

export interface JsonFinding {
  readonly code: string;
  readonly severity: Finding['severity'];
  readonly lines: readonly number[];
  readonly connection?: number;
  readonly message: string;
}

export interface JsonUnparsed {
  readonly line: number;
  readonly text: string;
}

export interface JsonReport {
  readonly schema: typeof JSON_SCHEMA_VERSION;
  readonly blocks: readonly JsonBlock[];
  readonly sockets: readonly JsonSocket[];
  readonly stateCounts: Readonly<Record<string, number>>;
  readonly segments: readonly JsonSegment[];
  readonly connections: readonly JsonConnection[];
  readonly findings: readonly JsonFinding[];
  readonly unparsed: readonly JsonUnparsed[];
}

function endpoint(e: Endpoint): JsonEndpoint {
  return { address: e.address, port: e.port };
}

export function jsonBlock(b: Block): JsonBlock {
  return { format: b.format, variant: b.variant, firstLine: b.firstLine + 1, lastLine: b.lastLine + 1 };
}

export function jsonSocket(row: SocketRow): JsonSocket {
  const t = row.timer;
  // Contract order: line, proto, local, remote, state, stateText, recvQ, sendQ, process?, timer?.
  return {
    line: row.line + 1,
    proto: row.proto,
    local: endpoint(row.local),
    remote: endpoint(row.remote),
    state: row.state ?? null,
    stateText: row.stateText,
    recvQ: row.recvQ ?? null,
    sendQ: row.sendQ ?? null,
    ...(row.process
      ? { process: row.process.pid !== undefined ? { name: row.process.name, pid: row.process.pid } : { name: row.process.name } }
      : {}),
    ...(t
      ? {
          timer: {
            kind: t.kind,
            ...(t.expiresMs !== undefined ? { expiresMs: t.expiresMs } : {}),
            ...(t.retransmits !== undefined ? { retransmits: t.retransmits } : {}),
            text: t.text,
          },
        }
      : {}),
  };
}

export function jsonSegment(seg: Segment, connection: number | null, analysis: readonly string[]): JsonSegment {
  // Contract order: line, time?, src, dst, flags, seq?, ack?, win?, len, options?, connection, analysis.
  return {
    line: seg.line + 1,
    ...(seg.time !== undefined ? { time: seg.time } : {}),
    src: endpoint(seg.src),
    dst: endpoint(seg.dst),
    flags: seg.flags,
    ...(seg.seq !== undefined ? { seq: seg.seq } : {}),
    ...(seg.ack !== undefined ? { ack: seg.ack } : {}),
    ...(seg.win !== undefined ? { win: seg.win } : {}),
    len: seg.len,
    ...(seg.options !== undefined ? { options: seg.options } : {}),
    connection: connection === null ? null : connection + 1,
    analysis,
  };
}

export function jsonConnection(c: ConnectionSummary): JsonConnection {
  return {
    id: c.id + 1,
    client: endpoint(c.client),
    server: endpoint(c.server),
    firstLine: c.firstLine + 1,
    lastLine: c.lastLine + 1,
    segments: c.segments,
    open: c.open,
    close: c.close,
    finalStates: { client: c.finalStates.client, server: c.finalStates.server },
    ...(c.irttMs !== undefined ? { irttMs: c.irttMs } : {}),
  };
}

export function jsonFinding(f: Finding, lang: Lang): JsonFinding {
  return {
    code: f.code,
    severity: f.severity,
    lines: f.lines.map((l) => l + 1),
    ...(f.connection !== undefined ? { connection: f.connection + 1 } : {}),
    message: f.message[lang],
  };
}

export function jsonUnparsed(u: UnparsedLine): JsonUnparsed {
  return { line: u.line + 1, text: u.text };
}

/** The whole report as one object (fine for documents of ordinary size; the CLI streams with `jsonChunks`). */
export function toJsonReport(model: AnalysedModel, lang: Lang = 'en'): JsonReport {
  return {
    schema: JSON_SCHEMA_VERSION,
    blocks: model.blocks.map(jsonBlock),
    sockets: model.sockets.map(jsonSocket),
    stateCounts: { ...model.stateCounts },
    segments: model.segments.map((s, i) => jsonSegment(s, segmentConnection(model, i), segmentAnalysis(model, i))),
    connections: model.connections.map(jsonConnection),
    findings: model.findings.map((f) => jsonFinding(f, lang)),
    unparsed: model.unparsed.map(jsonUnparsed),
  };
}

export interface JsonOptions {
  /** Language of `findings[].message`. Default en. */
  readonly lang?: Lang;
}

/**
 * The report as a sequence of string pieces whose concatenation is one JSON object. Each array element is
 * serialised on its own line, so output stays greppable and memory stays flat.
 */
export function* jsonChunks(model: AnalysedModel, options: JsonOptions = {}): Generator<string> {
  const lang = options.lang ?? 'en';
  const item = (v: unknown): string => JSON.stringify(v);
  function* array<T>(name: string, list: readonly T[], map: (v: T, i: number) => unknown, last = false): Generator<string> {
    if (list.length === 0) {
      yield `  ${JSON.stringify(name)}: []${last ? '' : ','}\n`;
      return;
    }
    yield `  ${JSON.stringify(name)}: [\n`;
    for (let i = 0; i < list.length; i++) {
      yield `    ${item(map(list[i]!, i))}${i + 1 < list.length ? ',' : ''}\n`;
    }
    yield `  ]${last ? '' : ','}\n`;
  }
  yield `{\n  "schema": ${JSON_SCHEMA_VERSION},\n`;
  yield* array('blocks', model.blocks, jsonBlock);
  yield* array('sockets', model.sockets, jsonSocket);
  yield `  "stateCounts": ${JSON.stringify(model.stateCounts)},\n`;
  yield* array('segments', model.segments, (s, i) => jsonSegment(s, segmentConnection(model, i), segmentAnalysis(model, i)));
  yield* array('connections', model.connections, jsonConnection);
  yield* array('findings', model.findings, (f) => jsonFinding(f, lang));
  yield* array('unparsed', model.unparsed, jsonUnparsed, true);
  yield '}\n';
}

export function renderJson(model: AnalysedModel, options: JsonOptions = {}): string {
  let out = '';
  for (const chunk of jsonChunks(model, options)) out += chunk;
  return out;
}
