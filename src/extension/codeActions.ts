/**
 * Quick fixes on TCP Lens diagnostics: explain the finding, show its connection in the sequence diagram, step
 * through that connection, and copy the suggested sysctl / socket-option change to the clipboard. Nothing here
 * writes a file or changes the system.
 */
import * as vscode from 'vscode';
import { type AnalysedModel } from '../core/analyse';
import type { Finding } from '../core/model';
import { COMMANDS, isCommandAvailable, registerTcpLensCommand, type FindingArgs, type SnippetArgs } from './commandIds';
import { recordIndexAt } from '../core/lines';
import { DIAGNOSTIC_SOURCE, MORE_CODE } from './diagnostics';
import type { DocumentModels } from './documentModels';
import { TCP_LENS_SELECTOR } from './documentModels';
import { explanationUri, showMarkdown } from './explanations';
import { heavy } from './lazy';
import { explanationLanguage } from './i18n';

function diagnosticCode(d: vscode.Diagnostic): string | undefined {
  const code = d.code;
  if (typeof code === 'string') return code;
  if (typeof code === 'object' && code !== null) return String(code.value);
  return undefined;
}

/** The connection a finding is about: its own, else that of the segment on its first line. */
export function findingConnection(model: AnalysedModel, finding: Finding): number | undefined {
  if (finding.connection !== undefined) return finding.connection;
  const line = finding.lines[0];
  if (line === undefined) return undefined;
  const index = recordIndexAt(model.segments, line);
  if (index < 0) return undefined;
  return heavy().segmentConnection(model, index) ?? undefined;
}

export class TcpLensCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly models: DocumentModels) {}

  async provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE && diagnosticCode(d) !== MORE_CODE);
    if (ours.length === 0) return [];
    // The model of this version: right after a paste the debounced analysis may still be running.
    const model = await this.models.model(document);
    const lang = explanationLanguage();
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of ours) {
      const code = diagnosticCode(diagnostic)!;
      const line = diagnostic.range.start.line;
      const finding = model.findings.find((f) => f.code === code && f.lines[0] === line);
      if (!finding) continue;
      const args: FindingArgs = { uri: document.uri.toString(), line, code };

      const explain = new vscode.CodeAction(vscode.l10n.t('Explain {0}', code), vscode.CodeActionKind.QuickFix);
      explain.diagnostics = [diagnostic];
      explain.isPreferred = true;
      explain.command = isCommandAvailable(COMMANDS.explain)
        ? { command: COMMANDS.explain, title: explain.title, arguments: [document.uri, line] }
        : { command: COMMANDS.explainFinding, title: explain.title, arguments: [args] };
      actions.push(explain);

      // People count connections from 1, as the hover, report and CLI do; arguments keep the rebuild's id.
      const connection = findingConnection(model, finding);
      if (connection !== undefined && isCommandAvailable(COMMANDS.showDiagram)) {
        const diagram = new vscode.CodeAction(vscode.l10n.t('Show connection {0} in the sequence diagram', connection + 1), vscode.CodeActionKind.QuickFix);
        diagram.diagnostics = [diagnostic];
        diagram.command = { command: COMMANDS.showFindingDiagram, title: diagram.title, arguments: [args] };
        actions.push(diagram);
      }
      if (connection !== undefined && isCommandAvailable(COMMANDS.stepThrough)) {
        const step = new vscode.CodeAction(vscode.l10n.t('Step through connection {0}', connection + 1), vscode.CodeActionKind.QuickFix);
        step.diagnostics = [diagnostic];
        step.command = { command: COMMANDS.stepThrough, title: step.title, arguments: [{ uri: document.uri.toString(), connection, line }] };
        actions.push(step);
      }

      const snippet = heavy().fixSnippet(finding, lang);
      if (snippet) {
        const copy = new vscode.CodeAction(vscode.l10n.t('Copy the suggested change ({0})', snippet.what), vscode.CodeActionKind.QuickFix);
        copy.diagnostics = [diagnostic];
        const snippetArgs: SnippetArgs = { text: snippet.text, what: snippet.what };
        copy.command = { command: COMMANDS.copySnippet, title: copy.title, arguments: [snippetArgs] };
        actions.push(copy);
      }

      const ignore = new vscode.CodeAction(vscode.l10n.t('Do not show {0} problems', code), vscode.CodeActionKind.QuickFix);
      ignore.diagnostics = [diagnostic];
      ignore.command = { command: COMMANDS.ignoreCode, title: ignore.title, arguments: [{ code }] };
      actions.push(ignore);
    }
    return actions;
  }
}

function isFindingArgs(value: unknown): value is FindingArgs {
  const v = value as Partial<FindingArgs> | undefined;
  return typeof v === 'object' && v !== null && typeof v.uri === 'string' && typeof v.line === 'number' && typeof v.code === 'string';
}

async function openAt(args: FindingArgs): Promise<vscode.TextEditor> {
  const uri = vscode.Uri.parse(args.uri);
  const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === args.uri) ?? (await vscode.workspace.openTextDocument(uri));
  const editor = await vscode.window.showTextDocument(document, { preserveFocus: false });
  const position = new vscode.Position(Math.min(args.line, document.lineCount - 1), 0);
  editor.selection = new vscode.Selection(position, position);
  editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return editor;
}

export function registerCodeActions(_context: vscode.ExtensionContext, models: DocumentModels): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.languages.registerCodeActionsProvider(TCP_LENS_SELECTOR, new TcpLensCodeActions(models), {
      providedCodeActionKinds: TcpLensCodeActions.kinds,
    }),
    registerTcpLensCommand(COMMANDS.explainFinding, async (args?: FindingArgs) => {
      if (!isFindingArgs(args)) return;
      await showMarkdown(explanationUri(vscode.Uri.parse(args.uri), args.code, args.line, explanationLanguage()));
    }),
    registerTcpLensCommand(COMMANDS.showFindingDiagram, async (args?: FindingArgs) => {
      if (!isFindingArgs(args)) return;
      // The diagram command follows the cursor: put it on the finding's line first.
      await openAt(args);
      await vscode.commands.executeCommand(COMMANDS.showDiagram);
    }),
    registerTcpLensCommand(COMMANDS.ignoreCode, async (args?: { code?: unknown }) => {
      if (typeof args?.code !== 'string') return;
      const config = vscode.workspace.getConfiguration('tcpLens');
      const current = config.get<string[]>('diagnostics.ignore', []);
      if (current.includes(args.code)) return;
      await config.update('diagnostics.ignore', [...current, args.code], vscode.ConfigurationTarget.Global);
      void vscode.window.showInformationMessage(
        vscode.l10n.t('TCP Lens no longer shows {0} as a problem. The setting tcpLens.diagnostics.ignore brings it back; the Explain report still lists it.', args.code),
      );
    }),
    registerTcpLensCommand(COMMANDS.copySnippet, async (args?: SnippetArgs) => {
      if (typeof args?.text !== 'string') return;
      await vscode.env.clipboard.writeText(args.text);
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Copied the suggested change ({0}) to the clipboard. Review it before you apply it: TCP Lens changes nothing on your system.', args.what),
      );
    }),
  );
}
