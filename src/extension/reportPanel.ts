/**
 * "TCP Lens: Explain this capture": a webview panel beside the editor with the summary, the findings, the
 * connections table and the mermaid sequence diagram of the selected connection(s), kept in step with the editor.
 *
 * The host owns the model: it analyses the scope (selection, block at the cursor, or the document), builds the views
 * (src/webview/report/view.ts) and answers the webview's validated requests. The webview only renders and asks. The
 * panel also hosts the textbook diagram of `tcpLens.showDiagram` when the active document has no capture.
 */
import * as vscode from 'vscode';
import type { AnalysedModel } from '../core/analyse';
import type { Ladder } from '../core/render/connectionDiagram';
import type { Lang } from '../core/model';
import {
  parseReportState,
  parseWebviewMessage,
  PNG_DATA_URL_PREFIX,
  type HostMessage,
  type ReportViewState,
  type ScopeKind,
  type WebviewMessage,
} from '../webview/protocol';
import type { DocumentModels } from './documentModels';
import { explanationLanguage } from './i18n';
import { heavy } from './lazy';
import { buildWebviewHtml, webviewOptions } from './webviewHtml';

export const REPORT_VIEW_TYPE = 'tcpLens.report';
/** The view type of the diagram panel before it merged into the report; old panels are revived as reports. */
export const LEGACY_DIAGRAM_VIEW_TYPE = 'tcpLens.diagram';

const PAGE_SIZE = 50;
const EDIT_DEBOUNCE_MS = 300;
const MAX_SELECTIONS = 1000;
const MAX_DETAIL_LINES = 16;
const MAX_DETAIL_CHARS = 400;

interface Scope {
  readonly kind: ScopeKind;
  /** 0-based, inclusive. */
  readonly first: number;
  readonly last: number;
}

/** The static skeleton of the page: trusted markup only; the script fills every element. */
const BODY = `<header id="header"><h1 id="title"></h1><div id="scope"></div><div id="toolbar" role="toolbar"></div></header>
<div id="notice" role="status" aria-live="polite"></div>
<main id="report">
<section id="summary" aria-labelledby="summary-h"></section>
<section id="findings" aria-labelledby="findings-h"></section>
<section id="connections" aria-labelledby="connections-h"></section>
<section id="diagram-section" aria-labelledby="diagram-h">
<h2 id="diagram-h"></h2>
<div id="diagram-toolbar" role="toolbar"></div>
<div id="minimap" role="navigation"></div>
<div id="status" role="status"></div>
<div id="diagram" aria-live="polite"></div>
<pre id="details"></pre>
</section>
<section id="sockets" aria-labelledby="sockets-h"></section>
<section id="unparsed" aria-labelledby="unparsed-h"></section>
</main>`;

export class ReportPanel {
  private static current: ReportPanel | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  private readonly queue: HostMessage[] = [];
  private key = 0;
  private uri: string | undefined;
  private document: vscode.TextDocument | undefined;
  private scope: Scope = { kind: 'document', first: 0, last: 0 };
  private model: AnalysedModel | undefined;
  private list: Ladder[] = [];
  private selected: number[] = [];
  private page = 0;
  private textbook = false;
  private highlighted: { key: number; arrow: number } | undefined;
  private editTimer: ReturnType<typeof setTimeout> | undefined;
  private cursorAfterEdit: number | undefined;
  private lang: Lang = explanationLanguage();
  private saving = false;
  /** Time the last diagram took to render in the webview (ms), as it reported. */
  lastRenderMs: number | undefined;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly models: DocumentModels,
  ) {
    panel.webview.options = webviewOptions(extensionUri);
    panel.iconPath = undefined;
    panel.webview.html = buildWebviewHtml(panel.webview, extensionUri, {
      script: 'report',
      title: 'TCP Lens',
      lang: this.lang === 'zh-cn' ? 'zh-CN' : 'en',
      body: BODY,
    });
    panel.onDidDispose(() => this.dispose(), undefined, this.disposables);
    panel.webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw), undefined, this.disposables);
    vscode.window.onDidChangeTextEditorSelection((e) => this.onEditorSelection(e), undefined, this.disposables);
    vscode.workspace.onDidChangeTextDocument((e) => this.onDocumentChange(e), undefined, this.disposables);
    vscode.workspace.onDidChangeConfiguration(
      (e) => {
        if (!e.affectsConfiguration('tcpLens.language')) return;
        this.lang = explanationLanguage();
        this.refresh();
      },
      undefined,
      this.disposables,
    );
  }

  // -------------------------------------------------------------------------------------------------------------
  // Opening

  static explain(extensionUri: vscode.Uri, models: DocumentModels, document: vscode.TextDocument, scope: Scope, cursorLine?: number): ReportPanel {
    const panel = ReportPanel.reveal(extensionUri, models);
    panel.load(document, scope, cursorLine);
    return panel;
  }

  static showTextbook(extensionUri: vscode.Uri, models: DocumentModels): ReportPanel {
    const panel = ReportPanel.reveal(extensionUri, models);
    panel.loadTextbook();
    return panel;
  }

  private static reveal(extensionUri: vscode.Uri, models: DocumentModels): ReportPanel {
    if (ReportPanel.current) {
      ReportPanel.current.panel.reveal(vscode.ViewColumn.Beside, true);
      return ReportPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(
      REPORT_VIEW_TYPE,
      'TCP Lens',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      webviewOptions(extensionUri),
    );
    ReportPanel.current = new ReportPanel(panel, extensionUri, models);
    return ReportPanel.current;
  }

  /** Restore a panel after a reload from the state its webview saved (validated: it comes from the webview). */
  static async revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, models: DocumentModels, raw: unknown): Promise<void> {
    ReportPanel.current?.dispose();
    const restored = new ReportPanel(panel, extensionUri, models);
    ReportPanel.current = restored;
    const state = parseReportState(raw);
    const document = state?.uri !== undefined ? await openKnownDocument(state.uri) : undefined;
    if (!state || state.textbook || !document) {
      restored.loadTextbook();
      return;
    }
    const scope = state.scope && state.scope.last < document.lineCount ? state.scope : documentScope(document);
    restored.load(document, scope, undefined, state);
  }

  private load(document: vscode.TextDocument, scope: Scope, cursorLine?: number, restore?: ReportViewState): void {
    this.textbook = false;
    this.document = document;
    this.uri = document.uri.toString();
    this.scope = scope;
    this.analyse();
    const ids = new Set(this.list.map((l) => l.id));
    let selected = (restore?.connections ?? []).filter((id) => ids.has(id));
    let page = restore?.page ?? 0;
    let highlight: number | undefined;
    if (selected.length === 0 && cursorLine !== undefined) {
      const hit = heavy().locateLine(this.list, cursorLine);
      if (hit) {
        selected = [hit.connection];
        page = Math.floor(hit.pos / PAGE_SIZE);
        highlight = hit.pos - page * PAGE_SIZE;
      }
    }
    if (selected.length === 0 && this.list.length > 0) selected = [this.list[0]!.id];
    this.selected = selected;
    this.page = page;
    this.panel.title = vscode.l10n.t('Explain: {0}', baseName(document.uri));
    this.postReport();
    this.postDiagram(highlight);
  }

  private loadTextbook(): void {
    this.textbook = true;
    this.document = undefined;
    this.uri = undefined;
    this.model = undefined;
    this.list = [];
    this.selected = [];
    this.page = 0;
    const title = vscode.l10n.t('TCP connection: handshake and close');
    this.panel.title = title;
    this.post({ type: 'textbook', lang: this.lang, title });
    this.post({ type: 'diagram', diagram: heavy().textbookDiagramView(++this.key, this.lang, title) });
  }

  // -------------------------------------------------------------------------------------------------------------
  // Model and views

  private analyse(): void {
    const document = this.document;
    if (!document) return;
    if (this.scope.kind === 'document') {
      this.model = this.models.get(document);
      this.scope = documentScope(document);
    } else {
      const lines = heavy().splitLines(document.getText());
      const last = Math.min(this.scope.last, lines.length - 1);
      const first = Math.min(this.scope.first, last);
      // Blank lines before the scope keep every line number a document line number (they cost nothing to read).
      const padded: string[] = new Array<string>(first).fill('');
      for (let i = first; i <= last; i++) padded.push(lines[i]!);
      this.model = heavy().analyseLines(padded);
      this.scope = { kind: this.scope.kind, first, last };
    }
    this.list = heavy().ladders(this.model);
  }

  private selectedLadders(): Ladder[] {
    const byId = new Map(this.list.map((l) => [l.id, l]));
    return this.selected.map((id) => byId.get(id)).filter((l): l is Ladder => l !== undefined);
  }

  private postReport(): void {
    if (!this.model || !this.document) return;
    const report = heavy().buildReportView(this.model, this.list, {
      title: baseName(this.document.uri),
      lang: this.lang,
      scope: { kind: this.scope.kind, firstLine: this.scope.first, lastLine: this.scope.last },
    });
    this.post({ type: 'report', report, selection: { connections: this.selected, page: this.page }, ...(this.uri ? { uri: this.uri } : {}) });
  }

  private postDiagram(highlight?: number): void {
    const selected = this.selectedLadders();
    if (selected.length === 0) return;
    const view = heavy().buildDiagramView(selected, { key: ++this.key, lang: this.lang, page: this.page, pageSize: PAGE_SIZE, ...(highlight !== undefined ? { highlight } : {}) });
    this.page = view.page;
    this.highlighted = highlight !== undefined ? { key: view.key, arrow: highlight } : undefined;
    this.post({ type: 'diagram', diagram: view });
    if (highlight !== undefined) this.postDetails(view.key, highlight, view.arrows[highlight]);
  }

  private postDetails(key: number, arrow: number, target: { line: number; lastLine: number } | undefined): void {
    if (!target || !this.document) return;
    const last = Math.min(target.lastLine, target.line + MAX_DETAIL_LINES - 1, this.document.lineCount - 1);
    const text: string[] = [];
    for (let l = target.line; l <= last; l++) {
      const t = this.document.lineAt(l).text;
      text.push(heavy().visibleText(t.length > MAX_DETAIL_CHARS ? t.slice(0, MAX_DETAIL_CHARS) + '…' : t));
    }
    this.post({ type: 'highlight', key, arrow, details: { line: target.line, lastLine: target.lastLine, text } });
  }

  /** Send the current report and diagram again (the webview reloaded), keeping the highlighted arrow. */
  private resend(): void {
    if (this.textbook) {
      this.loadTextbook();
      return;
    }
    if (!this.document) return;
    this.postReport();
    this.postDiagram(this.highlighted?.arrow);
  }

  private refresh(): void {
    if (this.textbook) {
      this.loadTextbook();
      return;
    }
    if (!this.document) return;
    // Keep the user's place: the same connections (matched by endpoints, ids may shift after an edit) and page.
    const before = this.selectedLadders().map(connectionKey);
    this.analyse();
    const byKey = new Map(this.list.map((l) => [connectionKey(l), l.id]));
    const kept = before.map((k) => byKey.get(k)).filter((id): id is number => id !== undefined);
    this.selected = kept.length > 0 ? kept : this.list.length > 0 ? [this.list[0]!.id] : [];
    if (kept.length === 0) this.page = 0;
    this.postReport();
    this.postDiagram(this.highlighted?.arrow);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Editor -> panel

  private onEditorSelection(e: vscode.TextEditorSelectionChangeEvent): void {
    if (this.textbook || !this.uri || e.textEditor.document.uri.toString() !== this.uri) return;
    const line = e.selections[0]?.active.line;
    if (line === undefined) return;
    // While an edit waits to be analysed, the model's lines are stale: look the cursor up after the refresh.
    if (this.editTimer) {
      this.cursorAfterEdit = line;
      return;
    }
    this.followCursor(line);
  }

  private followCursor(line: number): void {
    if (line < this.scope.first || line > this.scope.last) return;
    const hit = heavy().locateLine(this.list, line);
    if (!hit) return;
    let selected = this.selectedLadders();
    let merged = heavy().mergedPosition(selected, hit.connection, hit.pos);
    let switched = false;
    if (merged === undefined) {
      this.selected = [hit.connection];
      selected = this.selectedLadders();
      merged = hit.pos;
      switched = true;
    }
    const page = Math.floor(merged / PAGE_SIZE);
    const arrow = merged - page * PAGE_SIZE;
    if (switched || page !== this.page) {
      this.page = page;
      // The diagram names its connections: the webview marks their table rows from it.
      this.postDiagram(arrow);
      return;
    }
    if (this.highlighted && this.highlighted.key === this.key && this.highlighted.arrow === arrow) return;
    this.highlighted = { key: this.key, arrow };
    const target = selected.length === 1 ? selected[0]!.segments[merged] : undefined;
    this.postDetails(this.key, arrow, target ?? this.arrowLines(selected, merged));
  }

  private arrowLines(selected: readonly Ladder[], merged: number): { line: number; lastLine: number } | undefined {
    const all = selected.flatMap((l) => l.segments).sort((a, b) => a.index - b.index);
    return all[merged];
  }

  private onDocumentChange(e: vscode.TextDocumentChangeEvent): void {
    if (this.textbook || !this.uri || e.document.uri.toString() !== this.uri || e.contentChanges.length === 0) return;
    this.document = e.document;
    if (this.scope.kind !== 'document') this.scope = shiftScope(this.scope, e.contentChanges);
    if (this.editTimer) clearTimeout(this.editTimer);
    this.editTimer = setTimeout(() => {
      this.editTimer = undefined;
      if (this.scope.kind === 'block') this.scope = blockScopeAt(this.models.get(e.document), this.scope.first) ?? documentScope(e.document);
      this.refresh();
      const cursor = this.cursorAfterEdit;
      this.cursorAfterEdit = undefined;
      if (cursor !== undefined) this.followCursor(cursor);
    }, EDIT_DEBOUNCE_MS);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Panel -> host

  private async onMessage(raw: unknown): Promise<void> {
    const message = parseWebviewMessage(raw);
    if (!message) return;
    switch (message.type) {
      case 'ready': {
        // A webview reloads whenever its panel comes back from the background (no retainContextWhenHidden), so every
        // `ready` gets the whole current view again; before the first one, what was queued is the same thing.
        const first = !this.ready;
        this.ready = true;
        if (first && this.queue.length > 0) {
          for (const m of this.queue.splice(0)) void this.panel.webview.postMessage(m);
          return;
        }
        this.resend();
        return;
      }
      case 'rendered':
        if (message.ms !== undefined) this.lastRenderMs = message.ms;
        return;
      case 'revealLine':
        await this.revealLines([message.line]);
        return;
      case 'revealLines':
        await this.revealLines(message.lines);
        return;
      case 'selectConnections': {
        const ids = new Set(this.list.map((l) => l.id));
        const chosen = message.ids.filter((id) => ids.has(id));
        if (chosen.length === 0) return;
        this.selected = chosen;
        this.page = 0;
        this.postDiagram();
        return;
      }
      case 'showPage':
        if (this.selected.length === 0) return;
        this.page = message.page;
        this.postDiagram();
        return;
      case 'copy':
        await this.copy(message.what);
        return;
      case 'save':
        await this.saveText(message.what);
        return;
      case 'saveImage':
        await this.saveImage(message);
        return;
    }
  }

  private async revealLines(lines: readonly number[]): Promise<void> {
    const document = this.document;
    if (!document) return;
    const valid = [...new Set(lines)].filter((l) => l < document.lineCount).sort((a, b) => a - b).slice(0, MAX_SELECTIONS);
    if (valid.length === 0) return;
    let editor = vscode.window.visibleTextEditors.find((ed) => ed.document.uri.toString() === this.uri);
    if (!editor) {
      const column = this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One;
      editor = await vscode.window.showTextDocument(document, { viewColumn: column, preserveFocus: true });
    }
    // Contiguous runs become one selection each: a segment with continuation lines is selected as a whole.
    const selections: vscode.Selection[] = [];
    let start = valid[0]!;
    let prev = start;
    const flush = (): void => {
      selections.push(new vscode.Selection(start, 0, prev, document.lineAt(prev).text.length));
    };
    for (const l of valid.slice(1)) {
      if (l === prev + 1) {
        prev = l;
        continue;
      }
      flush();
      start = l;
      prev = l;
    }
    flush();
    editor.selections = selections;
    editor.revealRange(selections[0]!, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private mermaidText(): string | undefined {
    const selected = this.selectedLadders();
    if (this.textbook || selected.length === 0) return undefined;
    return heavy().renderSequenceDiagram(heavy().multiConnectionDiagram(selected, { lang: this.lang }).diagram);
  }

  private markdownText(): string | undefined {
    if (!this.model || !this.document) return undefined;
    return heavy().renderMarkdown(heavy().buildReport(this.model), this.lang, { title: baseName(this.document.uri) });
  }

  private async copy(what: 'mermaid' | 'markdown'): Promise<void> {
    const text = what === 'mermaid' ? this.mermaidText() : this.markdownText();
    if (text === undefined) return;
    await vscode.env.clipboard.writeText(text);
    this.post({ type: 'notice', text: what === 'mermaid' ? vscode.l10n.t('Mermaid source copied') : vscode.l10n.t('Report copied as Markdown') });
  }

  private async saveText(what: 'mermaid' | 'markdown'): Promise<void> {
    const text = what === 'mermaid' ? this.mermaidText() : this.markdownText();
    if (text === undefined) return;
    const ext = what === 'mermaid' ? 'mmd' : 'md';
    await this.saveBytes(new TextEncoder().encode(text), ext, what === 'mermaid' ? 'Mermaid' : 'Markdown');
  }

  private async saveImage(message: Extract<WebviewMessage, { type: 'saveImage' }>): Promise<void> {
    let bytes: Uint8Array;
    if (message.format === 'svg') {
      bytes = new TextEncoder().encode(message.data);
    } else {
      const decoded = decodeBase64(message.data.slice(PNG_DATA_URL_PREFIX.length));
      if (!decoded || !isPng(decoded)) return;
      bytes = decoded;
    }
    await this.saveBytes(bytes, message.format, message.format.toUpperCase());
  }

  /** Writes only to the file the user picks; one dialog at a time. */
  private async saveBytes(bytes: Uint8Array, ext: string, filterName: string): Promise<void> {
    if (this.saving) return;
    this.saving = true;
    try {
      const base = this.document ? baseName(this.document.uri).replace(/\.[^.]*$/, '') : 'tcp-lens';
      const suffix = ext === 'md' ? '-report' : this.selected.length > 0 ? `-connection-${this.selected.join('-')}` : '-diagram';
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const defaultUri = folder ? vscode.Uri.joinPath(folder, `${base}${suffix}.${ext}`) : undefined;
      const target = await vscode.window.showSaveDialog({ ...(defaultUri ? { defaultUri } : {}), filters: { [filterName]: [ext] } });
      if (!target) return;
      await vscode.workspace.fs.writeFile(target, bytes);
      this.post({ type: 'notice', text: vscode.l10n.t('Saved {0}', baseName(target)) });
    } catch (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('TCP Lens could not save the file: {0}', error instanceof Error ? error.message : String(error)));
    } finally {
      this.saving = false;
    }
  }

  private post(message: HostMessage): void {
    if (!this.ready) {
      // Only the newest report/diagram matters once the webview is up.
      const replaceable = message.type === 'report' || message.type === 'diagram' || message.type === 'textbook';
      if (replaceable) {
        const at = this.queue.findIndex((m) => m.type === message.type);
        if (at >= 0) this.queue.splice(at, 1);
      }
      this.queue.push(message);
      return;
    }
    void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (ReportPanel.current === this) ReportPanel.current = undefined;
    if (this.editTimer) clearTimeout(this.editTimer);
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  /** For tests and the bench: the panel currently open, if any. */
  static active(): ReportPanel | undefined {
    return ReportPanel.current;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers

function connectionKey(l: Ladder): string {
  return `${l.client.address}|${l.client.port}|${l.server.address}|${l.server.port}|${l.segments[0]?.flags.join(',') ?? ''}`;
}

function baseName(uri: vscode.Uri): string {
  const path = uri.path;
  return path.slice(path.lastIndexOf('/') + 1) || path;
}

export function documentScope(document: vscode.TextDocument): Scope {
  return { kind: 'document', first: 0, last: lastLine(document) };
}

/** The last line a person counts: the empty line after a final newline is not one. */
function lastLine(document: vscode.TextDocument): number {
  const last = document.lineCount - 1;
  return last > 0 && document.lineAt(last).text.length === 0 ? last - 1 : Math.max(0, last);
}

export function blockScopeAt(model: AnalysedModel, line: number): Scope | undefined {
  if (model.blocks.length <= 1) return undefined;
  const block = model.blocks.find((b) => b.firstLine <= line && line <= b.lastLine);
  return block ? { kind: 'block', first: block.firstLine, last: block.lastLine } : undefined;
}

/** Move a line range along with edits: lines added or removed before it shift it; inside it they grow or shrink it. */
function shiftScope(scope: Scope, changes: readonly vscode.TextDocumentContentChangeEvent[]): Scope {
  let { first, last } = scope;
  // Changes of one event do not overlap; applying them from the bottom up keeps earlier positions valid.
  const sorted = [...changes].sort((a, b) => b.range.start.line - a.range.start.line);
  for (const c of sorted) {
    const removed = c.range.end.line - c.range.start.line;
    const added = c.text.split('\n').length - 1;
    const delta = added - removed;
    if (c.range.start.line > last) continue;
    if (c.range.end.line < first) {
      first += delta;
      last += delta;
    } else {
      last = Math.max(first, last + delta);
    }
  }
  return { kind: scope.kind, first: Math.max(0, first), last: Math.max(0, last) };
}

/** Only documents the user has open, or files inside the workspace, are reopened for a restored panel. */
async function openKnownDocument(uriText: string): Promise<vscode.TextDocument | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uriText);
  if (open) return open;
  let uri: vscode.Uri;
  try {
    uri = vscode.Uri.parse(uriText, true);
  } catch {
    return undefined;
  }
  if (!vscode.workspace.getWorkspaceFolder(uri)) return undefined;
  try {
    return await vscode.workspace.openTextDocument(uri);
  } catch {
    return undefined;
  }
}

function decodeBase64(text: string): Uint8Array | undefined {
  if (!/^[\d+/a-z]*={0,2}$/i.test(text)) return undefined;
  try {
    const binary = atob(text);
    const out = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  } catch {
    return undefined;
  }
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function isPng(bytes: Uint8Array): boolean {
  return bytes.length > PNG_SIGNATURE.length && PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

// ---------------------------------------------------------------------------------------------------------------
// Commands

/** What the explain command was invoked on: CodeLens and menus pass a URI and a line or a range. */
function scopeFromArgs(models: DocumentModels, document: vscode.TextDocument, editor: vscode.TextEditor | undefined, arg: unknown): { scope: Scope; cursor?: number } {
  if (arg instanceof vscode.Range && !arg.isEmpty) return { scope: selectionScope(arg) };
  if (typeof arg === 'number' && Number.isInteger(arg) && arg >= 0 && arg < document.lineCount) {
    return { scope: blockScopeAt(models.get(document), arg) ?? documentScope(document), cursor: arg };
  }
  if (editor && editor.document === document) {
    const sel = editor.selection;
    if (!sel.isEmpty && sel.end.line > sel.start.line) return { scope: selectionScope(sel), cursor: sel.active.line };
    const line = sel.active.line;
    return { scope: blockScopeAt(models.get(document), line) ?? documentScope(document), cursor: line };
  }
  return { scope: documentScope(document) };
}

function selectionScope(range: vscode.Range): Scope {
  // A selection that ends at the start of a line does not include that line.
  const last = range.end.character === 0 && range.end.line > range.start.line ? range.end.line - 1 : range.end.line;
  return { kind: 'selection', first: range.start.line, last };
}

export async function explainCommand(extensionUri: vscode.Uri, models: DocumentModels, uriArg?: unknown, where?: unknown): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  let document = editor?.document;
  if (uriArg instanceof vscode.Uri) {
    document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uriArg.toString()) ?? (await vscode.workspace.openTextDocument(uriArg));
  }
  if (!document) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a file with netstat, ss, tcpdump or tshark output first.'));
    return;
  }
  const { scope, cursor } = scopeFromArgs(models, document, editor, where);
  ReportPanel.explain(extensionUri, models, document, scope, cursor);
}

/** The diagram command: the connection at the cursor when the active document has one, else the textbook diagram. */
export function showDiagramCommand(extensionUri: vscode.Uri, models: DocumentModels): void {
  const editor = vscode.window.activeTextEditor;
  if (editor) {
    const model = models.get(editor.document);
    if (model.segments.length > 0) {
      const line = editor.selection.active.line;
      ReportPanel.explain(extensionUri, models, editor.document, blockScopeAt(model, line) ?? documentScope(editor.document), line);
      return;
    }
  }
  ReportPanel.showTextbook(extensionUri, models);
}

export function reviveReportPanel(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, models: DocumentModels, state: unknown): Promise<void> {
  return ReportPanel.revive(panel, extensionUri, models, state);
}

export function reportPanelForTests(): ReportPanel | undefined {
  return ReportPanel.active();
}
