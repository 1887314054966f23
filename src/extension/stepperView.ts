import * as vscode from 'vscode';
import { type Track } from '../core/stepper/track';
import { parseStepperMessage, type StepperHostMessage, type StepperState } from '../webview/stepperProtocol';
import { COMMANDS } from './commandIds';
import type { DocumentModels } from './documentModels';
import { explanationLanguage } from './i18n';
import { heavy } from './lazy';
import { buildWebviewHtml, webviewOptions } from './webviewHtml';

export const STEPPER_VIEW_ID = 'tcpLens.stepper';
export const STEPPER_PANEL_TYPE = 'tcpLens.stepperPanel';
export const OPEN_STEPPER_COMMAND = 'tcpLens.openStepper';

/**
 * One stepper webview (the side view or a panel), with what it is replaying: the document and connection of a
 * capture replay, so a step's line can be selected in the right editor.
 */
class StepperHost {
  private ready = false;
  private queue: StepperHostMessage[] = [];
  replaying: { uri: vscode.Uri } | undefined;

  constructor(readonly webview: vscode.Webview, extensionUri: vscode.Uri, disposables: vscode.Disposable[]) {
    webview.options = webviewOptions(extensionUri);
    const lang = explanationLanguage();
    webview.html = buildWebviewHtml(webview, extensionUri, {
      script: 'stepper',
      title: vscode.l10n.t('TCP state machine'),
      lang: lang === 'zh-cn' ? 'zh-CN' : 'en',
      body: '<main id="stepper" aria-label="TCP state machine stepper"></main>',
    });
    webview.onDidReceiveMessage((raw: unknown) => this.receive(raw), undefined, disposables);
  }

  /** A hidden webview is torn down (no retained context): messages wait until it loads again and says ready. */
  markHidden(): void {
    this.ready = false;
  }

  post(message: StepperHostMessage): void {
    if (this.ready) void this.webview.postMessage(message);
    else this.queue.push(message);
  }

  private receive(raw: unknown): void {
    const message = parseStepperMessage(raw);
    if (!message) return;
    switch (message.type) {
      case 'ready':
        this.ready = true;
        void this.webview.postMessage({ type: 'init', lang: explanationLanguage() } satisfies StepperHostMessage);
        for (const m of this.queue.splice(0)) void this.webview.postMessage(m);
        break;
      case 'revealLine':
        void revealLine(this.replaying?.uri, message.line);
        break;
      case 'stepChanged':
        break;
    }
  }
}

async function revealLine(uri: vscode.Uri | undefined, line: number): Promise<void> {
  if (!uri) return;
  const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
  if (!editor || line >= editor.document.lineCount) return;
  const range = editor.document.lineAt(line).range;
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

/** Arguments of tcpLens.stepThrough, from a hover link, a CodeLens or a code action. All optional. */
interface StepThroughArgs {
  readonly uri?: string;
  readonly connection?: number;
  readonly line?: number;
}

async function captureTrack(models: DocumentModels, args: StepThroughArgs | undefined): Promise<{ track: Track; uri: vscode.Uri } | undefined> {
  const uri = args?.uri ? vscode.Uri.parse(args.uri) : vscode.window.activeTextEditor?.document.uri;
  const document = uri ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) : undefined;
  if (!document) return undefined;
  const model = await models.model(document);
  const rebuild = model.rebuild;
  if (!rebuild || rebuild.connections.length === 0) return undefined;
  const line = args?.line ?? (vscode.window.activeTextEditor?.document === document ? vscode.window.activeTextEditor.selection.active.line : undefined);
  let connection = args?.connection !== undefined ? rebuild.connections.find((c) => c.id === args.connection) : undefined;
  if (!connection && line !== undefined) connection = rebuild.connections.find((c) => line >= c.firstLine && line <= c.lastLine);
  connection ??= rebuild.connections[0]!;
  return { track: heavy().trackFromConnection(connection, model.segments, rebuild.perSegment), uri: document.uri };
}

export function registerStepper(context: vscode.ExtensionContext, models: DocumentModels): vscode.Disposable {
  const disposables: vscode.Disposable[] = [];
  let view: StepperHost | undefined;
  let panel: { host: StepperHost; panel: vscode.WebviewPanel } | undefined;

  const openPanel = (): StepperHost => {
    if (panel) {
      panel.panel.reveal(vscode.ViewColumn.Beside, true);
      return panel.host;
    }
    const created = vscode.window.createWebviewPanel(STEPPER_PANEL_TYPE, vscode.l10n.t('TCP state machine'), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(context.extensionUri));
    return adoptPanel(created);
  };

  const adoptPanel = (created: vscode.WebviewPanel): StepperHost => {
    const host = new StepperHost(created.webview, context.extensionUri, disposables);
    panel = { host, panel: created };
    created.onDidDispose(() => (panel = undefined), undefined, disposables);
    created.onDidChangeViewState((e) => e.webviewPanel.visible || host.markHidden(), undefined, disposables);
    return host;
  };

  /** The webview a replay goes to: an open panel, else the side view (revealed first). */
  const target = async (): Promise<StepperHost> => {
    if (panel) {
      // Beside the editor, so the replayed lines stay visible while the panel steps.
      panel.panel.reveal(vscode.ViewColumn.Beside, true);
      return panel.host;
    }
    await vscode.commands.executeCommand(`${STEPPER_VIEW_ID}.focus`);
    return view ?? openPanel();
  };

  disposables.push(
    vscode.window.registerWebviewViewProvider(STEPPER_VIEW_ID, {
      resolveWebviewView(webviewView) {
        const host = new StepperHost(webviewView.webview, context.extensionUri, disposables);
        view = host;
        webviewView.onDidDispose(() => (view = undefined), undefined, disposables);
        webviewView.onDidChangeVisibility(() => webviewView.visible || host.markHidden(), undefined, disposables);
      },
    }),
    vscode.window.registerWebviewPanelSerializer(STEPPER_PANEL_TYPE, {
      async deserializeWebviewPanel(restored: vscode.WebviewPanel, _state: StepperState | undefined) {
        // The webview restores its own step and scenario from getState(); the host only reattaches.
        adoptPanel(restored);
      },
    }),
    vscode.commands.registerCommand(OPEN_STEPPER_COMMAND, (scenarioId?: unknown) => {
      const host = openPanel();
      if (typeof scenarioId === 'string') host.post({ type: 'showScenario', scenarioId });
    }),
    vscode.commands.registerCommand(COMMANDS.stepThrough, async (args?: StepThroughArgs) => {
      const replay = await captureTrack(models, typeof args === 'object' && args !== null ? args : undefined);
      if (!replay) {
        void vscode.window.showInformationMessage(vscode.l10n.t('TCP Lens found no TCP connection to step through in this document.'));
        return;
      }
      const host = await target();
      host.replaying = { uri: replay.uri };
      host.post({ type: 'showTrack', track: replay.track, lang: explanationLanguage() });
    }),
  );
  return vscode.Disposable.from(...disposables);
}
