/**
 * The report panel's views, built from the analysed model: what the host sends to the webview. Pure (no vscode, no
 * DOM) so the host, the unit tests and any other surface build exactly the same thing.
 */
import { severityRank, type AnalysedModel } from '../../core/analyse';
import { endpointText } from '../../core/analysis/sockets';
import {
  DEFAULT_PAGE_SIZE,
  endpointLabel,
  multiConnectionDiagram,
  pageOverview,
  visibleText,
  type Ladder,
} from '../../core/render/connectionDiagram';
import { renderSequenceDiagram } from '../../core/render/mermaid';
import { textbookConnectionDiagram } from '../../core/render/textbook';
import type { Lang } from '../../core/model';
import { TCP_STATES } from '../../core/tcp/states';
import type { ConnectionRowView, DiagramView, FindingView, ReportView, ScopeKind, SocketRowView } from '../protocol';

/** Rows sent to the webview at most; the panel says how many more there are. */
export const MAX_SOCKET_ROWS = 500;
export const MAX_UNPARSED_ROWS = 100;
export const MAX_FINDING_LINES = 2000;
export const MAX_CONNECTION_ROWS = 5000;

export interface ReportOptions {
  readonly title: string;
  readonly lang: Lang;
  readonly scope: { readonly kind: ScopeKind; readonly firstLine: number; readonly lastLine: number };
}

const OUTCOME_WORDS: Readonly<Record<Lang, Readonly<Record<string, string>>>> = {
  en: {
    closed: 'closed',
    reset: 'reset',
    refused: 'refused',
    unanswered: 'no answer',
    open: 'still open',
    'client-first': 'client closed first',
    'server-first': 'server closed first',
    simultaneous: 'simultaneous close',
    'mid-stream': 'joined mid-stream',
  },
  'zh-cn': {
    closed: '已关闭',
    reset: '被复位',
    refused: '被拒绝',
    unanswered: '无应答',
    open: '仍未关闭',
    'client-first': '客户端先关闭',
    'server-first': '服务端先关闭',
    simultaneous: '同时关闭',
    'mid-stream': '抓包时已在进行',
  },
};

export function outcomeText(l: Ladder, lang: Lang): string {
  const w = OUTCOME_WORDS[lang];
  const main = w[l.outcome]!;
  const details: string[] = [];
  if (l.outcome === 'closed' && l.close && l.close !== 'reset' && l.close !== 'open') details.push(w[l.close]!);
  if (l.open === 'mid-stream') details.push(w['mid-stream']!);
  return details.length > 0 ? `${main} (${details.join(lang === 'zh-cn' ? '，' : ', ')})` : main;
}

export function connectionRow(l: Ladder, lang: Lang): ConnectionRowView {
  return {
    id: l.id,
    client: endpointLabel(l.client),
    server: endpointLabel(l.server),
    outcome: l.outcome,
    outcomeText: outcomeText(l, lang),
    segments: l.segments.length,
    ...(l.durationSeconds !== undefined ? { durationSeconds: l.durationSeconds } : {}),
    bytesToServer: l.bytesToServer,
    bytesToClient: l.bytesToClient,
    ...(l.irttMs !== undefined ? { irttMs: l.irttMs } : {}),
    retransmissions: l.retransmissions,
    anomalies: l.anomalies,
    firstLine: l.firstLine,
    lastLine: l.lastLine,
  };
}

export function buildReportView(model: AnalysedModel, list: readonly Ladder[], options: ReportOptions): ReportView {
  const lang = options.lang;
  const perBlock = model.blocks.map((b) => ({ format: b.format as string, variant: b.variant, firstLine: b.firstLine, lastLine: b.lastLine, sockets: 0, segments: 0 }));
  for (const r of model.sockets) if (perBlock[r.block]) perBlock[r.block]!.sockets++;
  for (const s of model.segments) if (perBlock[s.block]) perBlock[s.block]!.segments++;
  const stateCounts: { state: string; count: number }[] = [];
  for (const state of TCP_STATES) {
    const n = model.stateCounts[state];
    if (n) stateCounts.push({ state, count: n });
  }
  const severityCounts = { error: 0, warning: 0, info: 0 };
  const findings: FindingView[] = [...model.findings]
    .sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || (a.lines[0] ?? 0) - (b.lines[0] ?? 0))
    .map((f) => {
      severityCounts[f.severity]++;
      return {
        code: f.code,
        severity: f.severity,
        lines: f.lines.slice(0, MAX_FINDING_LINES),
        lineCount: f.lines.length,
        // Messages can quote the capture (endpoints, process names).
        message: visibleText(f.message[lang]),
        ...(f.cause ? { cause: visibleText(f.cause[lang]) } : {}),
        ...(f.fix ? { fix: visibleText(f.fix[lang]) } : {}),
        ...(f.connection !== undefined ? { connection: f.connection } : {}),
      };
    });
  const sockets: SocketRowView[] = model.sockets.slice(0, MAX_SOCKET_ROWS).map((r) => ({
    line: r.line,
    proto: visibleText(r.proto),
    local: visibleText(endpointText(r.local)),
    remote: visibleText(endpointText(r.remote)),
    state: r.state ?? visibleText(r.stateText),
    ...(r.process ? { process: visibleText(r.process.pid !== undefined ? `${r.process.name}/${r.process.pid}` : r.process.name) } : {}),
    ...(r.recvQ !== undefined ? { recvQ: r.recvQ } : {}),
    ...(r.sendQ !== undefined ? { sendQ: r.sendQ } : {}),
  }));
  return {
    title: options.title,
    lang,
    scope: options.scope,
    lineCount: model.lineCount,
    blocks: perBlock,
    stateCounts,
    severityCounts,
    findings,
    connections: list.slice(0, MAX_CONNECTION_ROWS).map((l) => connectionRow(l, lang)),
    connectionAnalysis: model.connectionAnalysis,
    sockets,
    socketTotal: model.sockets.length,
    segmentTotal: model.segments.length,
    unparsed: model.unparsed.slice(0, MAX_UNPARSED_ROWS).map((u) => ({ line: u.line, text: visibleText(u.text.length > 240 ? u.text.slice(0, 240) + '…' : u.text) })),
    unparsedTotal: model.unparsed.length,
  };
}

export interface DiagramRequest {
  readonly key: number;
  readonly lang: Lang;
  readonly page: number;
  readonly pageSize?: number;
  readonly highlight?: number;
}

/** One page of the diagram of the given connections (one or several). */
export function buildDiagramView(selected: readonly Ladder[], request: DiagramRequest): DiagramView {
  const pageSize = request.pageSize ?? DEFAULT_PAGE_SIZE;
  const overview = pageOverview(selected, pageSize);
  const pageCount = Math.max(1, overview.length);
  const page = Math.min(Math.max(0, request.page), pageCount - 1);
  const from = page * pageSize;
  const d = multiConnectionDiagram(selected, { lang: request.lang, from, to: from + pageSize });
  const title =
    selected.length === 1
      ? `#${selected[0]!.id + 1} ${endpointLabel(selected[0]!.client)} → ${endpointLabel(selected[0]!.server)}`
      : selected.map((l) => `#${l.id + 1}`).join(' + ');
  return {
    key: request.key,
    title,
    connections: selected.map((l) => l.id),
    page,
    pageCount,
    pageSize,
    from: d.from,
    to: d.to,
    total: d.total,
    source: renderSequenceDiagram(d.diagram),
    arrows: d.arrows.map((a) => ({ line: a.line, lastLine: a.lastLine, kind: a.kind, connection: a.connection })),
    overview,
    ...(request.highlight !== undefined ? { highlight: request.highlight } : {}),
  };
}

/** The textbook handshake and close, for `tcpLens.showDiagram` on a document without a capture. */
export function textbookDiagramView(key: number, lang: Lang, title: string): DiagramView {
  return {
    key,
    title,
    connections: [],
    page: 0,
    pageCount: 1,
    pageSize: DEFAULT_PAGE_SIZE,
    from: 0,
    to: 0,
    total: 0,
    source: renderSequenceDiagram(textbookConnectionDiagram(lang)),
    arrows: [],
    overview: [],
    textbook: true,
  };
}

/**
 * Where a document line falls: the connection, and the position of its segment in the merged list of `selected`
 * when that connection is among them. Lines of a segment's continuation (tcpdump -v, -X dumps) count too.
 */
export function locateLine(list: readonly Ladder[], line: number): { readonly connection: number; readonly pos: number } | undefined {
  for (const l of list) {
    if (line < l.firstLine || line > l.lastLine) continue;
    const segs = l.segments;
    // Segments are in document order: binary search the last one starting at or before `line`.
    let lo = 0;
    let hi = segs.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (segs[mid]!.line <= line) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found >= 0 && segs[found]!.lastLine >= line) return { connection: l.id, pos: found };
  }
  return undefined;
}

/** Position of segment `pos` of connection `id` in the merged (document-order) list of `selected`. */
export function mergedPosition(selected: readonly Ladder[], id: number, pos: number): number | undefined {
  if (selected.length === 1) return selected[0]!.id === id ? pos : undefined;
  const target = selected.find((l) => l.id === id)?.segments[pos];
  if (!target) return undefined;
  let count = 0;
  for (const l of selected) {
    // Segments of each ladder are in document order, so count those before the target's model index.
    let lo = 0;
    let hi = l.segments.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (l.segments[mid]!.index < target.index) lo = mid + 1;
      else hi = mid;
    }
    count += lo;
  }
  return count;
}
