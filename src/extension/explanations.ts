/**
 * Read-only Markdown documents under the `tcp-lens:` scheme: the explanation of one finding (the target of each
 * diagnostic's code link, and the "Explain" code action when the report panel is not there) and Markdown reports
 * (the fallback of "Explain a capture file..." and of the Explain command). Served by a content provider, so opening
 * one needs no network, no command URI and no file on disk.
 */
import * as vscode from 'vscode';
import type { AnalysedModel } from '../core/analyse';
import type { Finding, Lang, TcpState } from '../core/model';
import type { DocumentModels } from './documentModels';
import { heavy } from './lazy';
import { explanationLanguage } from './i18n';

export const EXPLANATION_SCHEME = 'tcp-lens';

/** Socket pile-up codes and the state they are about (the explanation then includes the state's description). */
const CODE_STATE: Readonly<Record<string, TcpState>> = {
  'close-wait-pileup': 'CLOSE-WAIT',
  'time-wait-pileup': 'TIME-WAIT',
  'syn-recv-flood': 'SYN-RECEIVED',
  'syn-sent-stalled': 'SYN-SENT',
  'fin-wait-2-pileup': 'FIN-WAIT-2',
  'last-ack-pileup': 'LAST-ACK',
  'accept-queue-full': 'LISTEN',
};

const TEXT = {
  severity: { en: { error: 'Error', warning: 'Warning', info: 'Note' }, 'zh-cn': { error: '错误', warning: '警告', info: '提示' } },
  cause: { en: 'Why', 'zh-cn': '原因' },
  fix: { en: 'What to do', 'zh-cn': '怎么办' },
  lines: { en: 'Lines involved', 'zh-cn': '涉及的行' },
  snippet: { en: 'Suggested change (copy it with the quick fix; TCP Lens never applies it)', 'zh-cn': '建议的修改（可用快速修复复制；TCP Lens 不会自动应用）' },
  state: { en: 'About the state', 'zh-cn': '关于这个状态' },
  gone: {
    en: (code: string, line: number) => `The finding \`${code}\` at line ${line} is no longer in the document (it was edited or closed).`,
    'zh-cn': (code: string, line: number) => `第 ${line} 行的 \`${code}\` 已不在文档中（文档已修改或已关闭）。`,
  },
  in: { en: 'in', 'zh-cn': '位于' },
} as const;

interface FindingQuery {
  readonly uri: string;
  readonly line: number;
  readonly lang: Lang;
}

/** The URI of the explanation of the finding `code` whose first line is `line` in document `uri`. */
export function explanationUri(document: vscode.Uri, code: string, line: number, lang: Lang): vscode.Uri {
  const query: FindingQuery = { uri: document.toString(), line, lang };
  return vscode.Uri.from({ scheme: EXPLANATION_SCHEME, path: `/finding/${code}.md`, query: JSON.stringify(query) });
}

/** Markdown for one finding: message, cause, fix, lines, the state it is about, and the suggested change. */
export function findingMarkdown(finding: Finding, documentName: string, lang: Lang): string {
  const out: string[] = [];
  out.push(`# \`${finding.code}\` — ${TEXT.severity[lang][finding.severity]}`, '');
  out.push(`${TEXT.in[lang]} ${documentName}`, '');
  out.push(finding.message[lang], '');
  if (finding.cause) out.push(`## ${TEXT.cause[lang]}`, '', finding.cause[lang], '');
  if (finding.fix) out.push(`## ${TEXT.fix[lang]}`, '', finding.fix[lang], '');
  out.push(`## ${TEXT.lines[lang]}`, '', heavy().lineRanges(finding.lines, 12), '');
  const snippet = heavy().fixSnippet(finding, lang);
  if (snippet) out.push(`## ${TEXT.snippet[lang]}`, '', '```ini', snippet.text.trimEnd(), '```', '');
  const state = CODE_STATE[finding.code];
  if (state) out.push(`## ${TEXT.state[lang]}`, '', heavy().describeState(state, lang), '');
  return out.join('\n');
}

/** The finding with `code` anchored at `line` (or, failing that, involving it). */
export function findFinding(model: AnalysedModel, code: string, line: number): Finding | undefined {
  return model.findings.find((f) => f.code === code && f.lines[0] === line) ?? model.findings.find((f) => f.code === code && f.lines.includes(line));
}

export class Explanations implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly reports = new Map<string, string>();
  private next = 1;
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;

  constructor(private readonly models: DocumentModels) {}

  /** Keep a Markdown report and return the URI that shows it. */
  addReport(markdown: string, name: string): vscode.Uri {
    const id = `${this.next++}`;
    this.reports.set(id, markdown);
    // Keep the last few only: a report is opened right away and can be made again.
    if (this.reports.size > 8) this.reports.delete(this.reports.keys().next().value!);
    const safe = name.replace(/[^\w.-]+/g, '_').slice(0, 80) || 'report';
    return vscode.Uri.from({ scheme: EXPLANATION_SCHEME, path: `/report/${id}/${safe}.md` });
  }

  /** A Markdown report of a model. */
  reportMarkdown(model: AnalysedModel, title: string): string {
    return heavy().renderMarkdown(heavy().buildReport(model), explanationLanguage(), { title });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const parts = uri.path.split('/');
    if (parts[1] === 'report') return this.reports.get(parts[2] ?? '') ?? '';
    if (parts[1] === 'finding') {
      const code = (parts[2] ?? '').replace(/\.md$/, '');
      let query: FindingQuery;
      try {
        query = JSON.parse(uri.query) as FindingQuery;
      } catch {
        return '';
      }
      const lang: Lang = query.lang === 'zh-cn' ? 'zh-cn' : 'en';
      const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === query.uri);
      const finding = document ? findFinding(this.models.get(document), code, query.line) : undefined;
      if (!document || !finding) return TEXT.gone[lang](code, query.line + 1);
      return findingMarkdown(finding, vscode.workspace.asRelativePath(document.uri), lang);
    }
    return '';
  }

  dispose(): void {
    this.emitter.dispose();
    this.reports.clear();
  }
}

/** Show a `tcp-lens:` Markdown document rendered (the built-in Markdown preview), or as text if there is none. */
export async function showMarkdown(uri: vscode.Uri): Promise<void> {
  try {
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  } catch {
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  }
}
