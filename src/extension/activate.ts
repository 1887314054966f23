import * as vscode from 'vscode';
import { registerCodeActions } from './codeActions';
import { registerCodeLens } from './codeLens';
import { COMMANDS, markCommandsAvailable, type CommandId } from './commandIds';
import { registerDiagnostics } from './diagnostics';
import { registerDiagramPanel } from './diagramPanel';
import { DocumentModels } from './documentModels';
import { registerExplainFile } from './explainFile';
import { EXPLANATION_SCHEME, Explanations } from './explanations';
import { registerHover } from './hover';
import { registerLanguageModes } from './languageModes';
import { registerStatusBar } from './statusBar';
import { registerStepper } from './stepperView';
import { registerWalkthrough } from './walkthrough';

type Register = (context: vscode.ExtensionContext, models: DocumentModels) => vscode.Disposable;

/**
 * Activation wires one feature per register call and nothing else: no parsing happens until a document asks.
 * A feature that fails to register is reported to the user instead of failing silently. Each entry names the
 * commands its feature registers with vscode.commands directly, so the others can tell whether they are there
 * (see commandIds.ts; features that use registerTcpLensCommand need not list theirs).
 */
export function activate(context: vscode.ExtensionContext): void {
  const models = new DocumentModels();
  context.subscriptions.push(models);
  const explanations = new Explanations(models);
  context.subscriptions.push(explanations);
  const features: [string, Register, readonly CommandId[]][] = [
    ['hover', registerHover, []],
    ['diagram', registerDiagramPanel, [COMMANDS.explain, COMMANDS.showDiagram]],
    ['stepper', registerStepper, [COMMANDS.stepThrough]],
    ['walkthrough', registerWalkthrough, []],
    ['explanations', () => vscode.workspace.registerTextDocumentContentProvider(EXPLANATION_SCHEME, explanations), []],
    ['diagnostics', registerDiagnostics, []],
    ['codeActions', registerCodeActions, []],
    ['codeLens', registerCodeLens, []],
    ['statusBar', registerStatusBar, []],
    ['languageModes', registerLanguageModes, []],
    ['explainFile', (c, m) => registerExplainFile(c, m, explanations), []],
  ];
  for (const [name, register, commands] of features) {
    try {
      context.subscriptions.push(register(context, models));
      if (commands.length > 0) context.subscriptions.push(markCommandsAvailable(commands));
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      void vscode.window.showErrorMessage(vscode.l10n.t('TCP Lens could not start its {0} feature: {1}', name, detail));
    }
  }
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
