/**
 * A status bar item for the active document: a compact count of socket states (socket tables) or of connections
 * (captures), and of problems. The tooltip has the full counts; clicking opens the Explain report.
 */
import * as vscode from 'vscode';
import type { AnalysedModel } from '../core/analyse';
import type { Severity, TcpState } from '../core/model';
import { TCP_STATES } from '../core/tcp/states';
import { COMMANDS, isCommandAvailable } from './commandIds';
import { DocumentModels, isCandidate } from './documentModels';
import { affects, statusBarEnabled } from './settings';

/** Short names for the status bar (the tooltip spells them out). */
const SHORT: Readonly<Record<TcpState, string>> = {
  CLOSED: 'CLOSED',
  LISTEN: 'LISTEN',
  'SYN-SENT': 'SYN-SENT',
  'SYN-RECEIVED': 'SYN-RCVD',
  ESTABLISHED: 'ESTAB',
  'FIN-WAIT-1': 'FIN-WAIT-1',
  'FIN-WAIT-2': 'FIN-WAIT-2',
  'CLOSE-WAIT': 'CLOSE-WAIT',
  CLOSING: 'CLOSING',
  'LAST-ACK': 'LAST-ACK',
  'TIME-WAIT': 'TIME-WAIT',
};

export interface StatusContent {
  readonly text: string;
  readonly tooltip: string;
}

/** What the item says for a model; undefined when the document holds nothing TCP Lens recognised. */
export function statusContent(model: AnalysedModel): StatusContent | undefined {
  if (model.blocks.length === 0) return undefined;
  const severities: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of model.findings) severities[f.severity]++;
  const parts: string[] = [];
  const states = TCP_STATES.filter((s) => (model.stateCounts[s] ?? 0) > 0)
    .map((s) => ({ s, n: model.stateCounts[s]! }))
    .sort((a, b) => b.n - a.n);
  if (model.segments.length > 0) {
    const n = model.connections.length;
    parts.push(n === 1 ? vscode.l10n.t('1 connection') : vscode.l10n.t('{0} connections', n));
  }
  if (states.length > 0) parts.push(states.slice(0, 3).map((x) => `${SHORT[x.s]} ${x.n}`).join(' '));
  if (parts.length === 0) parts.push(vscode.l10n.t('{0} sockets', model.sockets.length));
  const problems: string[] = [];
  if (severities.error > 0) problems.push(`$(error) ${severities.error}`);
  if (severities.warning > 0) problems.push(`$(warning) ${severities.warning}`);
  if (severities.info > 0) problems.push(`$(info) ${severities.info}`);
  const text = `$(pulse) ${parts.join(' · ')}${problems.length > 0 ? `  ${problems.join(' ')}` : ''}`;

  const tip: string[] = [vscode.l10n.t('TCP Lens: blocks {0} · sockets {1} · segments {2}', model.blocks.length, model.sockets.length, model.segments.length)];
  if (states.length > 0) tip.push(states.map((x) => `${x.s}: ${x.n}`).join(', '));
  if (model.segments.length > 0) tip.push(vscode.l10n.t('{0} connections', model.connections.length));
  tip.push(vscode.l10n.t('Problems: errors {0} · warnings {1} · notes {2}', severities.error, severities.warning, severities.info));
  tip.push(vscode.l10n.t('Click to open the Explain report.'));
  return { text, tooltip: tip.join('\n') };
}

export function registerStatusBar(_context: vscode.ExtensionContext, models: DocumentModels): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('tcpLens.status', vscode.StatusBarAlignment.Right, 100);
  item.name = 'TCP Lens';
  const update = (model?: AnalysedModel): void => {
    const editor = vscode.window.activeTextEditor;
    if (!statusBarEnabled() || !editor || !isCandidate(editor.document)) {
      item.hide();
      return;
    }
    const current = model ?? models.peek(editor.document);
    if (!current) {
      models.track(editor.document);
      return; // keep what is shown until the model arrives
    }
    const content = statusContent(current);
    if (!content) {
      item.hide();
      return;
    }
    item.text = content.text;
    item.tooltip = content.tooltip;
    item.command = isCommandAvailable(COMMANDS.explain)
      ? { command: COMMANDS.explain, title: vscode.l10n.t('Explain'), arguments: [editor.document.uri] }
      : { command: COMMANDS.markdownReport, title: vscode.l10n.t('Explain'), arguments: [editor.document.uri] };
    item.show();
  };
  return vscode.Disposable.from(
    item,
    vscode.window.onDidChangeActiveTextEditor(() => {
      item.hide();
      update();
    }),
    models.onDidChangeModel((e) => {
      if (vscode.window.activeTextEditor?.document.uri.toString() === e.document.uri.toString()) update(e.model);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (affects(e, 'statusBar')) update();
    }),
    // First paint after activation, without parsing during it.
    setTimeoutDisposable(() => update(), 0),
  );
}

function setTimeoutDisposable(fn: () => void, ms: number): vscode.Disposable {
  const t = setTimeout(fn, ms);
  return new vscode.Disposable(() => clearTimeout(t));
}
