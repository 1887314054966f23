import * as vscode from 'vscode';
import { type HoverLink } from '../core/render/hover';
import { COMMANDS } from './commandIds';
import { DocumentModels, TCP_LENS_SELECTOR } from './documentModels';
import { heavy } from './lazy';
import { explanationLanguage } from './i18n';

/** The only commands a hover may link to. Command URIs outside this list are not trusted, so they do not run. */
const HOVER_COMMANDS: Readonly<Record<HoverLink['command'], string>> = {
  showDiagram: COMMANDS.showDiagram,
  stepThrough: COMMANDS.stepThrough,
};

function linkMarkdown(document: vscode.TextDocument, link: HoverLink): string {
  const args = encodeURIComponent(JSON.stringify([{ uri: document.uri.toString(), connection: link.args.connection, line: link.args.line }]));
  return `[${link.title}](command:${HOVER_COMMANDS[link.command]}?${args})`;
}

export function registerHover(_context: vscode.ExtensionContext, models: DocumentModels): vscode.Disposable {
  return vscode.languages.registerHoverProvider(TCP_LENS_SELECTOR, {
    async provideHover(document, position) {
      // The async model: a large document is read in slices the first time instead of in one long task.
      const model = await models.model(document);
      const lineText = document.lineAt(position.line).text;
      const result = heavy().hoverAt(model, lineText, position.line, position.character, explanationLanguage());
      if (!result) return undefined;
      const links = result.links?.map((l) => linkMarkdown(document, l)).join(' · ');
      const markdown = new vscode.MarkdownString(links ? `${result.markdown}\n\n${links}` : result.markdown);
      // Our text plus user text in code spans; only the two commands above may run from a link, nothing else.
      markdown.isTrusted = { enabledCommands: Object.values(HOVER_COMMANDS) };
      markdown.supportHtml = false;
      const range = new vscode.Range(result.span.line, result.span.start, result.span.line, result.span.end);
      return new vscode.Hover(markdown, range);
    },
  });
}
