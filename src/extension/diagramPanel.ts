/**
 * The sequence-diagram commands. The diagram view lives in the report panel (src/extension/reportPanel.ts): one
 * webview shows the summary, the findings, the connections and the diagram of the selected connection(s), so the
 * diagram and the table it comes from stay together. `tcpLens.showDiagram` opens that panel on the connection at the
 * cursor, or on the textbook handshake-and-close diagram when the active document holds no capture.
 */
import * as vscode from 'vscode';
import { COMMANDS } from './commandIds';
import type { DocumentModels } from './documentModels';
import { explainCommand, LEGACY_DIAGRAM_VIEW_TYPE, REPORT_VIEW_TYPE, reviveReportPanel, showDiagramCommand } from './reportPanel';

export function registerDiagramPanel(context: vscode.ExtensionContext, models: DocumentModels): vscode.Disposable {
  const revive: vscode.WebviewPanelSerializer = {
    deserializeWebviewPanel: (panel, state: unknown) => reviveReportPanel(panel, context.extensionUri, models, state),
  };
  return vscode.Disposable.from(
    vscode.commands.registerCommand(COMMANDS.explain, (uri?: unknown, where?: unknown) => explainCommand(context.extensionUri, models, uri, where)),
    vscode.commands.registerCommand(COMMANDS.showDiagram, () => showDiagramCommand(context.extensionUri, models)),
    vscode.window.registerWebviewPanelSerializer(REPORT_VIEW_TYPE, revive),
    // Panels saved by the earlier diagram-only view come back as the report panel's textbook diagram.
    vscode.window.registerWebviewPanelSerializer(LEGACY_DIAGRAM_VIEW_TYPE, revive),
  );
}
