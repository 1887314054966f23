/**
 * TCP Lens's own language modes (`netstat`, `ss`, `tcpdump`) give pasted output its colours. An UNTITLED plain-text
 * document whose content TCP Lens recognises is switched to the matching mode once, when `tcpLens.autoLanguageMode`
 * allows (default on: an untitled plain-text editor has no colours to lose, every TCP Lens feature works the same in
 * both, and the user can switch back, which TCP Lens then respects). A saved file's language is never changed.
 */
import * as vscode from 'vscode';
import type { AnalysedModel } from '../core/analyse';
import type { FormatId } from '../core/model';
import { isBlank } from '../core/text';
import type { DocumentModels } from './documentModels';
import { autoLanguageMode } from './settings';

const MODE_OF: Readonly<Record<FormatId, string | undefined>> = {
  ss: 'ss',
  'netstat-linux': 'netstat',
  'netstat-bsd': 'netstat',
  'netstat-windows': 'netstat',
  tcpdump: 'tcpdump',
  // tshark's columns are not tcpdump's: no mode of ours colours them correctly, so it stays plain text.
  tshark: undefined,
};

/**
 * The mode for a document's content: every block must map to the same mode and the blocks must hold at least half
 * of the non-blank lines (a long note with one pasted line stays plain text). Undefined otherwise.
 */
export function languageModeFor(model: AnalysedModel, lines: readonly string[]): string | undefined {
  if (model.blocks.length === 0) return undefined;
  let mode: string | undefined;
  let inBlocks = 0;
  for (const b of model.blocks) {
    const m = MODE_OF[b.format];
    if (!m || (mode !== undefined && m !== mode)) return undefined;
    mode = m;
    inBlocks += b.lastLine - b.firstLine + 1;
  }
  let nonBlank = 0;
  for (const l of lines) if (!isBlank(l)) nonBlank++;
  return inBlocks * 2 >= nonBlank ? mode : undefined;
}

export function registerLanguageModes(_context: vscode.ExtensionContext, models: DocumentModels): vscode.Disposable {
  /** Untitled documents already decided (switched, or left alone because the user chose a language). */
  const decided = new Set<string>();
  return vscode.Disposable.from(
    models.onDidChangeModel(async (e) => {
      const document = e.document;
      const key = document.uri.toString();
      if (!document.isUntitled || document.languageId !== 'plaintext' || decided.has(key) || !autoLanguageMode()) return;
      const lines = models.lines(document);
      if (!lines) return;
      const mode = languageModeFor(e.model, lines);
      if (!mode) return;
      decided.add(key);
      try {
        await vscode.languages.setTextDocumentLanguage(document, mode);
      } catch {
        // The document was closed meanwhile: nothing to do.
      }
    }),
    // When the user picks a language for an untitled document, leave it alone from then on.
    vscode.workspace.onDidOpenTextDocument((document) => {
      if (document.isUntitled && document.languageId !== 'plaintext') decided.add(document.uri.toString());
    }),
    vscode.workspace.onDidCloseTextDocument((document) => {
      if (document.isUntitled && document.isClosed && !vscode.workspace.textDocuments.includes(document)) {
        // Closing an untitled document ends it; a language change closes and reopens it with the same URI.
        setTimeout(() => {
          if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === document.uri.toString())) decided.delete(document.uri.toString());
        }, 5000);
      }
    }),
  );
}
