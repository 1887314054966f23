import * as vscode from 'vscode';
import { hoverAt } from '../core/render/hover';
import { DocumentModels, TCP_LENS_SELECTOR } from './documentModels';
import { explanationLanguage } from './i18n';

export function registerHover(_context: vscode.ExtensionContext, models: DocumentModels): vscode.Disposable {
  return vscode.languages.registerHoverProvider(TCP_LENS_SELECTOR, {
    provideHover(document, position) {
      const model = models.get(document);
      const lineText = document.lineAt(position.line).text;
      const result = hoverAt(model, lineText, position.line, position.character, explanationLanguage());
      if (!result) return undefined;
      const markdown = new vscode.MarkdownString(result.markdown);
      // Explanations are our own text; user text inside them is in code spans. No command links are trusted here.
      markdown.isTrusted = false;
      markdown.supportHtml = false;
      const range = new vscode.Range(result.span.line, result.span.start, result.span.line, result.span.end);
      return new vscode.Hover(markdown, range);
    },
  });
}
