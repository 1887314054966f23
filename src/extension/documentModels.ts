import * as vscode from 'vscode';
import { analyseText, type AnalysedModel } from '../core/analyse';

/**
 * The analysed model of each open document, cached by version so hovers, diagnostics, CodeLens, the status bar and
 * the panels all read one model and no feature parses on its own.
 */
export class DocumentModels implements vscode.Disposable {
  private readonly cache = new Map<string, { version: number; model: AnalysedModel }>();
  private readonly subscription: vscode.Disposable;

  constructor() {
    this.subscription = vscode.workspace.onDidCloseTextDocument((doc) => this.cache.delete(doc.uri.toString()));
  }

  get(document: vscode.TextDocument): AnalysedModel {
    const key = document.uri.toString();
    const hit = this.cache.get(key);
    if (hit && hit.version === document.version) return hit.model;
    const model = analyseText(document.getText());
    this.cache.set(key, { version: document.version, model });
    return model;
  }

  dispose(): void {
    this.subscription.dispose();
    this.cache.clear();
  }
}

/** The languages TCP Lens reads: plain text and logs (where users paste) and its own modes. */
export const TCP_LENS_SELECTOR: vscode.DocumentSelector = [
  { language: 'plaintext' },
  { language: 'log' },
  { language: 'netstat' },
  { language: 'ss' },
  { language: 'tcpdump' },
];
