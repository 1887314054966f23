import * as vscode from 'vscode';
import { registerDiagramPanel } from './diagramPanel';
import { DocumentModels } from './documentModels';
import { registerHover } from './hover';
import { registerStepper } from './stepperView';
import { registerWalkthrough } from './walkthrough';

/**
 * Activation wires one feature per register call and nothing else: no parsing happens until a document asks.
 * A feature that fails to register is reported to the user instead of failing silently.
 */
export function activate(context: vscode.ExtensionContext): void {
  const models = new DocumentModels();
  context.subscriptions.push(models);
  const features: [string, (context: vscode.ExtensionContext, models: DocumentModels) => vscode.Disposable][] = [
    ['hover', registerHover],
    ['diagram', registerDiagramPanel],
    ['stepper', registerStepper],
    ['walkthrough', registerWalkthrough],
  ];
  for (const [name, register] of features) {
    try {
      context.subscriptions.push(register(context, models));
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      void vscode.window.showErrorMessage(vscode.l10n.t('TCP Lens could not start its {0} feature: {1}', name, detail));
    }
  }
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
