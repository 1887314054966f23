/**
 * Findings as diagnostics: the code (linking to its explanation), the severity, the range of the token the finding
 * is about (the state cell, the queue, the flags...), and related information for every line involved. Updated from
 * the shared model whenever it changes (debounced and incremental in DocumentModels); at most MAX_DIAGNOSTICS per
 * file, most severe first, plus one diagnostic saying what was left out.
 */
import * as vscode from 'vscode';
import { recordAt } from '../core/lines';
import { type AnalysedModel } from '../core/analyse';
import type { Finding, Lang, Segment, Severity, SocketRow, Token, TokenKind } from '../core/model';
import { explanationLanguage } from './i18n';
import { explanationUri } from './explanations';
import { DocumentModels, isCandidate } from './documentModels';
import { heavy } from './lazy';
import { affects, diagnosticSettings, type DiagnosticSettings } from './settings';

export const DIAGNOSTIC_SOURCE = 'TCP Lens';
/** VS Code shows at most this many diagnostics of one file. */
export const MAX_DIAGNOSTICS = 1000;
/** Related-information entries per diagnostic (a 30,000-socket pile-up would otherwise list 30,000). */
export const MAX_RELATED = 100;
/** The code of the summary diagnostic that says how many were left out. */
export const MORE_CODE = 'more-problems';

/** Which token a finding is about, by code; the first kind the line has wins. */
const ANCHOR_KINDS: Readonly<Record<string, readonly TokenKind[]>> = {
  'accept-queue-full': ['recvQ', 'state'],
  'recv-queue-backlog': ['recvQ'],
  'send-queue-backlog': ['sendQ'],
  'ephemeral-port-pressure': ['localAddress', 'remoteAddress'],
  'zero-window': ['win'],
  'zero-window-probe': ['seq', 'flags'],
  'window-full': ['seq', 'win'],
  'window-update': ['win'],
  'duplicate-ack': ['ack'],
  'acked-unseen-segment': ['ack'],
  retransmission: ['seq', 'flags'],
  'fast-retransmission': ['seq', 'flags'],
  'spurious-retransmission': ['seq', 'flags'],
  'out-of-order': ['seq'],
  'previous-segment-not-captured': ['seq'],
  'keep-alive': ['seq', 'flags'],
  'delayed-ack-stall': ['time', 'flags'],
};
/** Socket rows: the state cell; segments: the flags. */
const DEFAULT_SOCKET_KINDS: readonly TokenKind[] = ['state'];
const DEFAULT_SEGMENT_KINDS: readonly TokenKind[] = ['flags'];

const SEVERITY: Readonly<Record<Severity, vscode.DiagnosticSeverity>> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

const TEXT = {
  cause: { en: 'Cause', 'zh-cn': '原因' },
  fix: { en: 'What to do', 'zh-cn': '怎么办' },
  involved: { en: 'involved', 'zh-cn': '涉及' },
  moreLines: {
    en: (n: number) => `… and ${n} more lines (the Explain report lists them all)`,
    'zh-cn': (n: number) => `……还有 ${n} 行（“解释”报告中列出了全部）`,
  },
  more: {
    en: (shown: number, total: number, left: string) =>
      `TCP Lens shows ${shown} of ${total} problems in this file, the most severe first; not shown: ${left}. The Explain report lists them all.`,
    'zh-cn': (shown: number, total: number, left: string) =>
      `TCP Lens 在这个文件里显示了 ${total} 个问题中的 ${shown} 个（最严重的在前）；未显示：${left}。“解释”报告中列出了全部。`,
  },
  severities: {
    en: { error: 'errors', warning: 'warnings', info: 'notes' },
    'zh-cn': { error: '个错误', warning: '个警告', info: '条提示' },
  },
} as const;


/** The range a finding points at on `line`: its anchor token, else the line's text without surrounding blanks. */
export function anchorRange(model: AnalysedModel, lines: readonly string[], code: string, line: number): vscode.Range {
  const record: SocketRow | Segment | undefined = recordAt(model.sockets, line) ?? recordAt(model.segments, line);
  if (record) {
    const isSocket = 'stateText' in record;
    const kinds = ANCHOR_KINDS[code] ?? (isSocket ? DEFAULT_SOCKET_KINDS : DEFAULT_SEGMENT_KINDS);
    const token = pickToken(record.tokens, line, kinds) ?? pickToken(record.tokens, line, isSocket ? DEFAULT_SOCKET_KINDS : DEFAULT_SEGMENT_KINDS);
    if (token) return new vscode.Range(line, token.start, line, token.end);
  }
  const text = lines[line] ?? '';
  let start = 0;
  while (start < text.length && (text.charCodeAt(start) === 32 || text.charCodeAt(start) === 9)) start++;
  let end = text.length;
  while (end > start && (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 9)) end--;
  return new vscode.Range(line, start, line, Math.max(end, start));
}

function pickToken(tokens: readonly Token[], line: number, kinds: readonly TokenKind[]): Token | undefined {
  for (const kind of kinds) {
    for (const t of tokens) if (t.kind === kind && t.line === line) return t;
  }
  return undefined;
}

/** One line of related information: what that line is, in a few words. */
function describeLine(model: AnalysedModel, lines: readonly string[], line: number): string {
  const row = recordAt(model.sockets, line);
  if (row && row.line === line) {
    const state = row.stateText || row.proto;
    return `${state} ${endpoint(row.local)} ↔ ${endpoint(row.remote)}`;
  }
  const seg = recordAt(model.segments, line);
  if (seg && seg.line === line) return `${seg.flagText} ${endpoint(seg.src)} > ${endpoint(seg.dst)}${seg.len ? ` len ${seg.len}` : ''}`;
  const text = (lines[line] ?? '').trim();
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

function endpoint(e: { readonly address: string; readonly port: number | string }): string {
  return e.address.indexOf(':') >= 0 ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`;
}

/** The full text of a diagnostic: message, then cause and fix when the finding has them. */
export function diagnosticMessage(finding: Finding, lang: Lang): string {
  const parts = [finding.message[lang]];
  if (finding.cause) parts.push(`${TEXT.cause[lang]}: ${finding.cause[lang]}`);
  if (finding.fix) parts.push(`${TEXT.fix[lang]}: ${finding.fix[lang]}`);
  return parts.join('\n');
}

/**
 * Diagnostics for a model (pure apart from vscode value types, so the tests can call it). Findings the settings turn
 * off are skipped; past MAX_DIAGNOSTICS the most severe are kept and a summary says what was left out.
 */
export function buildDiagnostics(
  uri: vscode.Uri,
  model: AnalysedModel,
  lines: readonly string[],
  settings: DiagnosticSettings,
  lang: Lang,
): vscode.Diagnostic[] {
  const { severityRank } = heavy();
  const minRank = severityRank(settings.minimumSeverity);
  let findings = model.findings.filter((f) => !settings.ignore.has(f.code) && severityRank(f.severity) <= minRank);
  let left: Finding[] = [];
  if (findings.length > MAX_DIAGNOSTICS) {
    // Most severe first, then document order (findings are already in document order; sort is stable).
    const ranked = findings.slice().sort((a, b) => severityRank(a.severity) - severityRank(b.severity));
    left = ranked.slice(MAX_DIAGNOSTICS - 1);
    findings = ranked.slice(0, MAX_DIAGNOSTICS - 1);
  }
  const out = findings.map((f) => toDiagnostic(uri, model, lines, f, lang));
  if (left.length > 0) out.push(summaryDiagnostic(model, lines, findings.length, findings.length + left.length, left, lang));
  return out;
}

function toDiagnostic(uri: vscode.Uri, model: AnalysedModel, lines: readonly string[], f: Finding, lang: Lang): vscode.Diagnostic {
  const anchor = f.lines[0] ?? 0;
  const d = new vscode.Diagnostic(anchorRange(model, lines, f.code, anchor), diagnosticMessage(f, lang), SEVERITY[f.severity]);
  d.source = DIAGNOSTIC_SOURCE;
  d.code = { value: f.code, target: explanationUri(uri, f.code, anchor, lang) };
  if (f.lines.length > 1) {
    const related: vscode.DiagnosticRelatedInformation[] = [];
    const shown = Math.min(f.lines.length, MAX_RELATED);
    for (let i = 0; i < shown; i++) {
      const line = f.lines[i]!;
      related.push(
        new vscode.DiagnosticRelatedInformation(
          new vscode.Location(uri, anchorRange(model, lines, f.code, line)),
          `${f.code} ${TEXT.involved[lang]}: ${describeLine(model, lines, line)}`,
        ),
      );
    }
    if (f.lines.length > shown) {
      const last = f.lines[f.lines.length - 1]!;
      related.push(
        new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, anchorRange(model, lines, f.code, last)), TEXT.moreLines[lang](f.lines.length - shown)),
      );
    }
    d.relatedInformation = related;
  }
  return d;
}

function summaryDiagnostic(model: AnalysedModel, lines: readonly string[], shown: number, total: number, left: readonly Finding[], lang: Lang): vscode.Diagnostic {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of left) counts[f.severity]++;
  const names = TEXT.severities[lang];
  const parts = (['error', 'warning', 'info'] as const).filter((s) => counts[s] > 0).map((s) => (lang === 'zh-cn' ? `${counts[s]} ${names[s]}` : `${counts[s]} ${names[s]}`));
  const first = left.reduce((min, f) => Math.min(min, f.lines[0] ?? 0), Number.POSITIVE_INFINITY);
  const line = Number.isFinite(first) ? first : 0;
  const d = new vscode.Diagnostic(anchorRange(model, lines, MORE_CODE, line), TEXT.more[lang](shown, total, parts.join(lang === 'zh-cn' ? '，' : ', ')), vscode.DiagnosticSeverity.Information);
  d.source = DIAGNOSTIC_SOURCE;
  d.code = MORE_CODE;
  return d;
}

export function registerDiagnostics(_context: vscode.ExtensionContext, models: DocumentModels): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('tcpLens');
  const refresh = (document: vscode.TextDocument, model: AnalysedModel | undefined): void => {
    const settings = diagnosticSettings(document.uri);
    const lines = models.lines(document);
    if (!settings.enabled || !model || !lines || !isCandidate(document)) {
      collection.delete(document.uri);
      return;
    }
    collection.set(document.uri, buildDiagnostics(document.uri, model, lines, settings, explanationLanguage()));
  };
  const refreshAll = (): void => {
    for (const document of vscode.workspace.textDocuments) {
      if (!isCandidate(document)) continue;
      const model = models.peek(document);
      if (model) refresh(document, model);
      else models.track(document);
    }
  };
  return vscode.Disposable.from(
    collection,
    models.onDidChangeModel((e) => refresh(e.document, e.model)),
    models.onDidForget((uri) => collection.delete(uri)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (affects(e, 'diagnostics', 'language')) refreshAll();
    }),
  );
}
