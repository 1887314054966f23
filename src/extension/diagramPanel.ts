import * as vscode from 'vscode';
import { renderSequenceDiagram } from '../core/render/mermaid';
import { textbookConnectionDiagram } from '../core/render/textbook';
import { parseWebviewMessage, type DiagramViewState, type HostMessage } from '../webview/protocol';
import { explanationLanguage } from './i18n';
import { buildWebviewHtml, webviewOptions } from './webviewHtml';

export const DIAGRAM_VIEW_TYPE = 'tcpLens.diagram';

/** One sequence-diagram panel at a time; reopening reveals it. */
class DiagramPanel {
  private static current: DiagramPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  static show(extensionUri: vscode.Uri, message: HostMessage & { type: 'showDiagram' }): void {
    if (DiagramPanel.current) {
      DiagramPanel.current.panel.reveal(vscode.ViewColumn.Beside, true);
      void DiagramPanel.current.panel.webview.postMessage(message);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      DIAGRAM_VIEW_TYPE,
      message.title,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      webviewOptions(extensionUri),
    );
    DiagramPanel.current = new DiagramPanel(panel, extensionUri, message);
  }

  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, state: DiagramViewState | undefined): void {
    panel.webview.options = webviewOptions(extensionUri);
    const lang = state?.lang ?? explanationLanguage();
    const message: HostMessage & { type: 'showDiagram' } =
      state?.source !== undefined
        ? { type: 'showDiagram', source: state.source, title: state.title ?? panel.title, lang }
        : textbookMessage();
    DiagramPanel.current?.dispose();
    DiagramPanel.current = new DiagramPanel(panel, extensionUri, message);
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private pending: HostMessage & { type: 'showDiagram' },
  ) {
    panel.webview.html = buildWebviewHtml(panel.webview, extensionUri, {
      script: 'diagram',
      title: pending.title,
      lang: pending.lang === 'zh-cn' ? 'zh-CN' : 'en',
      body: '<h1 id="title"></h1><div id="status" role="status"></div><div id="diagram" aria-live="polite"></div>',
    });
    panel.onDidDispose(() => this.dispose(), undefined, this.disposables);
    panel.webview.onDidReceiveMessage(
      (raw: unknown) => {
        const message = parseWebviewMessage(raw);
        if (message?.type === 'ready') void panel.webview.postMessage(this.pending);
      },
      undefined,
      this.disposables,
    );
  }

  dispose(): void {
    if (DiagramPanel.current === this) DiagramPanel.current = undefined;
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function textbookMessage(): HostMessage & { type: 'showDiagram' } {
  const lang = explanationLanguage();
  return {
    type: 'showDiagram',
    source: renderSequenceDiagram(textbookConnectionDiagram(lang)),
    title: vscode.l10n.t('TCP connection: handshake and close'),
    lang,
  };
}

export function registerDiagramPanel(context: vscode.ExtensionContext): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('tcpLens.showDiagram', () => DiagramPanel.show(context.extensionUri, textbookMessage())),
    vscode.window.registerWebviewPanelSerializer(DIAGRAM_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: unknown) => {
        DiagramPanel.revive(panel, context.extensionUri, state as DiagramViewState | undefined);
      },
    }),
  );
}
