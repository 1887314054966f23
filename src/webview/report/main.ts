/**
 * The "Explain this capture" webview: summary, findings, connections, and the paged sequence diagram of the selected
 * connection(s). It renders what the host sends and asks the host for everything else (pages, reveals, copies,
 * saves) with the messages of ../protocol.ts, which the host validates.
 */
import '../../../media/report.css';
import type {
  ConnectionRowView,
  DiagramView,
  FindingView,
  HostMessage,
  ReportView,
  ReportViewState,
  UiLang,
  WebviewMessage,
} from '../protocol';
import { DiagramRenderer, decorateArrows, RENDER_BUDGET_MS, standaloneSvg, svgToPng, themeFromBody, type ArrowElements } from './diagram';
import { activateOnKey, button, clear, formatBytes, formatMs, formatSeconds, h, lineRangesText } from './dom';
import { strings, type Strings } from './strings';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: ReportViewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const $ = (id: string): HTMLElement => document.getElementById(id) as HTMLElement;

const el = {
  title: $('title'),
  scope: $('scope'),
  toolbar: $('toolbar'),
  notice: $('notice'),
  summary: $('summary'),
  findings: $('findings'),
  connections: $('connections'),
  diagramHeading: $('diagram-h'),
  diagramToolbar: $('diagram-toolbar'),
  minimap: $('minimap'),
  status: $('status'),
  diagram: $('diagram'),
  details: $('details'),
  sockets: $('sockets'),
  unparsed: $('unparsed'),
};

let lang: UiLang = document.documentElement.lang === 'zh-CN' ? 'zh-cn' : 'en';
let s: Strings = strings(lang);
let report: ReportView | undefined;
let uri: string | undefined;
let textbook = false;
let view: DiagramView | undefined;
let rendered: DiagramView | undefined;
let arrowEls: ArrowElements[] | undefined;
let highlighted: number | null = null;
let checked = new Set<number>();
let sort: { key: SortKey; dir: 1 | -1 } = { key: 'id', dir: 1 };
let restoredScroll = false;
const saved = parseSaved(vscode.getState());

function parseSaved(value: unknown): ReportViewState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Partial<ReportViewState>;
  return v.v === 1 ? (v as ReportViewState) : undefined;
}

function post(message: WebviewMessage): void {
  vscode.postMessage(message);
}

function saveState(): void {
  vscode.setState({
    v: 1,
    ...(uri ? { uri } : {}),
    ...(report ? { scope: { kind: report.scope.kind, first: report.scope.firstLine, last: report.scope.lastLine } } : {}),
    connections: view?.connections ?? [],
    page: view?.page ?? 0,
    scrollY: Math.max(0, Math.round(window.scrollY)),
    ...(textbook ? { textbook: true } : {}),
  });
}

let scrollTimer: ReturnType<typeof setTimeout> | undefined;
window.addEventListener('scroll', () => {
  if (scrollTimer) clearTimeout(scrollTimer);
  scrollTimer = setTimeout(saveState, 200);
});

// ---------------------------------------------------------------------------------------------------------------
// Header and toolbars

function renderHeader(): void {
  clear(el.toolbar);
  if (textbook || !report) {
    el.scope.textContent = '';
    return;
  }
  el.title.textContent = report.title;
  el.scope.textContent = s.scope[report.scope.kind](report.scope.firstLine, report.scope.lastLine);
  el.toolbar.append(
    button(s.copyMarkdown, () => post({ type: 'copy', what: 'markdown' }), { id: 'copy-markdown' }),
    button(s.saveMarkdown, () => post({ type: 'save', what: 'markdown' }), { id: 'save-markdown' }),
  );
}

function notice(text: string): void {
  el.notice.textContent = text;
  setTimeout(() => {
    if (el.notice.textContent === text) el.notice.textContent = '';
  }, 4000);
}

// ---------------------------------------------------------------------------------------------------------------
// Summary

function bars(title: string, rows: readonly { label: string; count: number; cls?: string }[], id: string): HTMLElement {
  const max = Math.max(1, ...rows.map((r) => r.count));
  const list = h('div', { class: 'bars', role: 'list', id });
  for (const r of rows) {
    const fill = h('span', { class: `bar-fill ${r.cls ?? ''}` });
    fill.style.width = `${Math.max(2, Math.round((r.count / max) * 100))}%`;
    list.append(h('div', { class: 'bar', role: 'listitem' }, h('span', { class: 'bar-label' }, r.label), h('span', { class: 'bar-track' }, fill), h('span', { class: 'bar-count' }, String(r.count))));
  }
  return h('div', { class: 'chart' }, h('h3', {}, title), list);
}

function renderSummary(r: ReportView): void {
  clear(el.summary);
  el.summary.append(h('h2', { id: 'summary-h' }, s.summary));
  const formats = h('ul', { class: 'chips', id: 'formats', attrs: { 'aria-label': s.blocks } });
  for (const b of r.blocks) {
    const label = b.variant && b.variant !== b.format ? `${b.format} (${b.variant})` : b.format;
    const chip = h('li', { class: 'chip link', tabIndex: 0, title: `${s.lines(b.lastLine - b.firstLine + 1)}: ${b.firstLine + 1}–${b.lastLine + 1}` }, label);
    const reveal = (): void => post({ type: 'revealLines', lines: [b.firstLine] });
    chip.addEventListener('click', reveal);
    activateOnKey(chip, reveal);
    formats.append(chip);
  }
  const charts = h('div', { class: 'charts' });
  if (r.connections.length > 0) {
    const counts = new Map<string, number>();
    for (const c of r.connections) counts.set(c.outcome, (counts.get(c.outcome) ?? 0) + 1);
    const order = ['closed', 'open', 'reset', 'refused', 'unanswered'] as const;
    charts.append(bars(s.byOutcome, order.filter((o) => counts.has(o)).map((o) => ({ label: s.outcome[o], count: counts.get(o)!, cls: `outcome-${o}` })), 'chart-outcomes'));
  }
  if (r.stateCounts.length > 0) {
    charts.append(bars(s.byState, r.stateCounts.map((c) => ({ label: c.state, count: c.count })), 'chart-states'));
  }
  const sev = r.severityCounts;
  charts.append(
    bars(
      s.problems,
      (['error', 'warning', 'info'] as const).map((k) => ({ label: s.severity[k], count: sev[k], cls: `sev-${k}` })),
      'chart-severity',
    ),
  );
  el.summary.append(h('div', { class: 'formats' }, h('h3', {}, s.blocks), formats), charts);
}

// ---------------------------------------------------------------------------------------------------------------
// Findings

function renderFindings(r: ReportView): void {
  clear(el.findings);
  el.findings.append(h('h2', { id: 'findings-h' }, `${s.findings} (${r.findings.length})`));
  if (r.findings.length === 0) {
    el.findings.append(h('p', { class: 'muted' }, s.noFindings));
    return;
  }
  const list = h('ol', { class: 'findings' });
  r.findings.forEach((f, i) => list.append(findingItem(f, i)));
  el.findings.append(list);
}

function findingItem(f: FindingView, i: number): HTMLElement {
  const reveal = (): void => post({ type: 'revealLines', lines: f.lines });
  const lines = h('span', { class: 'link lines', tabIndex: 0, role: 'link', attrs: { 'data-finding': String(i) } }, s.showLines(lineRangesText(f.lines), f.lineCount));
  lines.addEventListener('click', reveal);
  activateOnKey(lines, reveal);
  // Cause and fix fold away so the diagram stays a short scroll away; errors show theirs open.
  const body = h('details', { class: 'finding-body' }, h('summary', {}, s.causeAndFix));
  if (f.severity === 'error') body.open = true;
  if (f.cause) body.append(h('p', {}, h('strong', {}, `${s.cause}: `), f.cause));
  if (f.fix) body.append(h('p', {}, h('strong', {}, `${s.fix}: `), f.fix));
  return h(
    'li',
    { class: `finding sev-${f.severity}` },
    h('div', { class: 'finding-head' }, h('span', { class: `badge sev-${f.severity}` }, s.badge[f.severity]), h('code', {}, f.code), lines),
    h('p', { class: 'finding-message' }, f.message),
    f.cause || f.fix ? body : null,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Connections table

type SortKey = 'id' | 'client' | 'server' | 'outcome' | 'segments' | 'duration' | 'bytes' | 'irtt' | 'retrans';

const SORTERS: Readonly<Record<SortKey, (c: ConnectionRowView) => number | string>> = {
  id: (c) => c.id,
  client: (c) => c.client,
  server: (c) => c.server,
  outcome: (c) => c.outcomeText,
  segments: (c) => c.segments,
  duration: (c) => c.durationSeconds ?? -1,
  bytes: (c) => c.bytesToServer + c.bytesToClient,
  irtt: (c) => c.irttMs ?? -1,
  retrans: (c) => c.retransmissions,
};

function renderConnections(r: ReportView): void {
  clear(el.connections);
  el.connections.append(h('h2', { id: 'connections-h' }, `${s.connections} (${r.connections.length})`));
  if (r.connections.length === 0) {
    el.connections.append(h('p', { class: 'muted' }, s.noConnections));
    return;
  }
  if (!r.connectionAnalysis) el.connections.append(h('p', { class: 'muted' }, s.grouped));
  const rows = [...r.connections].sort((a, b) => {
    const x = SORTERS[sort.key](a);
    const y = SORTERS[sort.key](b);
    return (x < y ? -1 : x > y ? 1 : a.id - b.id) * sort.dir;
  });
  const head = h('tr', {}, h('th', { class: 'check' }));
  for (const key of Object.keys(SORTERS) as SortKey[]) {
    const active = sort.key === key;
    const th = h('th', { attrs: { 'aria-sort': active ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none', 'data-sort': key } });
    const b = button(`${s.col[key]}${active ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}`, () => {
      sort = { key, dir: active ? (sort.dir === 1 ? -1 : 1) : 1 };
      renderConnections(r);
    });
    th.append(b);
    head.append(th);
  }
  const body = h('tbody', {});
  const shown = new Set(view?.connections ?? []);
  for (const c of rows) {
    const box = h('input', { attrs: { type: 'checkbox', 'aria-label': `#${c.id + 1}` } });
    box.checked = checked.has(c.id);
    box.addEventListener('click', (e) => e.stopPropagation());
    box.addEventListener('change', () => {
      if (box.checked) checked.add(c.id);
      else checked.delete(c.id);
      updateTogether();
    });
    const tr = h(
      'tr',
      { class: `conn outcome-${c.outcome}${shown.has(c.id) ? ' selected' : ''}`, tabIndex: 0, attrs: { 'data-id': String(c.id), 'aria-selected': String(shown.has(c.id)) } },
      h('td', { class: 'check' }, box),
      h('td', { class: 'num' }, `#${c.id + 1}`),
      h('td', {}, c.client),
      h('td', {}, c.server),
      h('td', {}, c.outcomeText),
      h('td', { class: 'num' }, String(c.segments)),
      h('td', { class: 'num' }, formatSeconds(c.durationSeconds)),
      h('td', { class: 'num', title: `→ ${c.bytesToServer} B, ← ${c.bytesToClient} B` }, formatBytes(c.bytesToServer + c.bytesToClient)),
      h('td', { class: 'num' }, formatMs(c.irttMs)),
      h('td', { class: `num${c.retransmissions > 0 ? ' warn' : ''}` }, String(c.retransmissions)),
    );
    const select = (): void => {
      wantedPage = undefined;
      post({ type: 'selectConnections', ids: [c.id] });
    };
    tr.addEventListener('click', select);
    activateOnKey(tr, select);
    body.append(tr);
  }
  const together = button(
    s.together,
    () => {
      wantedPage = undefined;
      post({ type: 'selectConnections', ids: [...checked].slice(0, 8) });
    },
    { id: 'together', title: s.togetherHint },
  );
  el.connections.append(h('div', { class: 'table-wrap' }, h('table', { class: 'connections', id: 'connections-table' }, h('thead', {}, head), body)), h('div', { class: 'row-actions' }, together));
  updateTogether();
}

function updateTogether(): void {
  const b = document.getElementById('together') as HTMLButtonElement | null;
  if (b) b.disabled = checked.size < 2 || checked.size > 8;
}

function markSelectedRows(): void {
  const shown = new Set(view?.connections ?? []);
  for (const tr of el.connections.querySelectorAll<HTMLTableRowElement>('tr.conn')) {
    const on = shown.has(Number(tr.dataset['id']));
    tr.classList.toggle('selected', on);
    tr.setAttribute('aria-selected', String(on));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Sockets and unparsed lines

function renderSockets(r: ReportView): void {
  clear(el.sockets);
  if (r.socketTotal === 0) return;
  el.sockets.append(h('h2', { id: 'sockets-h' }, `${s.sockets} (${r.socketTotal})`));
  const head = h('tr', {}, ...[s.line, s.proto, s.local, s.remote, s.state, s.queues, s.process].map((t) => h('th', {}, t)));
  const body = h('tbody', {});
  for (const row of r.sockets) {
    const tr = h(
      'tr',
      { class: 'socket', tabIndex: 0 },
      h('td', { class: 'num' }, String(row.line + 1)),
      h('td', {}, row.proto),
      h('td', {}, row.local),
      h('td', {}, row.remote),
      h('td', {}, row.state),
      h('td', { class: 'num' }, row.recvQ !== undefined || row.sendQ !== undefined ? `${row.recvQ ?? '–'} / ${row.sendQ ?? '–'}` : ''),
      h('td', {}, row.process ?? ''),
    );
    const reveal = (): void => post({ type: 'revealLines', lines: [row.line] });
    tr.addEventListener('click', reveal);
    activateOnKey(tr, reveal);
    body.append(tr);
  }
  el.sockets.append(h('div', { class: 'table-wrap' }, h('table', { class: 'sockets' }, h('thead', {}, head), body)));
  if (r.socketTotal > r.sockets.length) el.sockets.append(h('p', { class: 'muted' }, s.more(r.socketTotal - r.sockets.length)));
}

function renderUnparsed(r: ReportView): void {
  clear(el.unparsed);
  if (r.unparsedTotal === 0) return;
  el.unparsed.append(h('h2', { id: 'unparsed-h' }, `${s.unparsed} (${r.unparsedTotal})`));
  const list = h('ul', { class: 'unparsed' });
  for (const u of r.unparsed) {
    const item = h('li', { tabIndex: 0, class: 'link' }, h('span', { class: 'line-no' }, String(u.line + 1)), h('code', {}, u.text));
    const reveal = (): void => post({ type: 'revealLines', lines: [u.line] });
    item.addEventListener('click', reveal);
    activateOnKey(item, reveal);
    list.append(item);
  }
  el.unparsed.append(list);
  if (r.unparsedTotal > r.unparsed.length) el.unparsed.append(h('p', { class: 'muted' }, s.more(r.unparsedTotal - r.unparsed.length)));
}

// ---------------------------------------------------------------------------------------------------------------
// Diagram

const renderer = new DiagramRenderer(el.diagram, onRendered, () => {
  el.status.textContent = s.rendering;
  el.status.classList.remove('error');
});

function showDiagram(next: DiagramView): void {
  view = next;
  // Reached, or overtaken by a diagram the editor's cursor asked for.
  if (wantedPage === next.page || next.textbook || next.highlight !== undefined) wantedPage = undefined;
  highlighted = next.highlight ?? null;
  // The textbook diagram's title is already the page's heading.
  el.diagramHeading.textContent = next.textbook ? '' : `${s.diagram}: ${next.title}`;
  el.diagramHeading.hidden = next.textbook === true;
  el.diagram.setAttribute('aria-busy', 'true');
  renderDiagramToolbar(next);
  renderMinimap(next);
  markSelectedRows();
  saveState();
  renderer.request(next);
}

function onRendered(v: DiagramView, result: { ok: boolean; ms: number; error?: string; superseded?: boolean }): void {
  if (result.superseded) return;
  el.diagram.removeAttribute('aria-busy');
  if (!result.ok) {
    el.status.classList.add('error');
    el.status.textContent = result.error === 'budget' ? s.overBudget(RENDER_BUDGET_MS / 1000) : s.renderFailed(result.error ?? '');
    post({ type: 'rendered', ok: false, error: result.error ?? 'unknown', key: v.key, ms: result.ms });
    return;
  }
  el.status.textContent = '';
  rendered = v;
  const svg = el.diagram.querySelector('svg');
  arrowEls = svg ? decorateArrows(svg, v.arrows, (i) => arrowLabel(v, i)) : undefined;
  if (highlighted !== null) applyHighlight(highlighted, true);
  post({ type: 'rendered', ok: true, key: v.key, ms: Math.round(result.ms) });
  if (!restoredScroll && saved && saved.scrollY > 0) {
    restoredScroll = true;
    window.scrollTo(0, saved.scrollY);
  }
}

function arrowLabel(v: DiagramView, i: number): string {
  const a = v.arrows[i]!;
  return s.segmentLines(a.line, a.lastLine);
}

function renderDiagramToolbar(v: DiagramView): void {
  clear(el.diagramToolbar);
  if (v.textbook) {
    el.diagramToolbar.append(h('p', { class: 'muted' }, s.textbookNote));
    return;
  }
  const prev = button(s.prev, () => goPage(targetPage() - 1), { id: 'page-prev' });
  const next = button(s.next, () => goPage(targetPage() + 1), { id: 'page-next' });
  prev.disabled = v.page <= 0;
  next.disabled = v.page >= v.pageCount - 1;
  el.diagramToolbar.append(
    prev,
    h('span', { class: 'page-label', id: 'page-label', attrs: { 'data-page': String(v.page), 'data-pages': String(v.pageCount) } }, s.page(v.page, v.pageCount, v.from, v.to, v.total)),
    next,
    h('span', { class: 'spacer' }),
    button(s.copyMermaid, () => post({ type: 'copy', what: 'mermaid' }), { id: 'copy-mermaid' }),
    button(s.saveMermaid, () => post({ type: 'save', what: 'mermaid' }), { id: 'save-mermaid' }),
    button(s.saveSvg, () => exportSvg(), { id: 'save-svg' }),
    button(s.savePng, () => void exportPng(), { id: 'save-png' }),
    fitButton(),
  );
}

/** Fit the diagram to the panel's width (the default) or show it at its own size with scroll bars. */
let fit = true;
function fitButton(): HTMLButtonElement {
  const b = button(fit ? s.actualSize : s.fitWidth, () => {
    fit = !fit;
    el.diagram.classList.toggle('fit', fit);
    b.textContent = fit ? s.actualSize : s.fitWidth;
  }, { id: 'fit-toggle' });
  b.setAttribute('aria-pressed', String(!fit));
  return b;
}
el.diagram.classList.toggle('fit', fit);

/**
 * The page the user is heading to: clicks that come faster than pages are drawn add up (five clicks on "Previous"
 * go back five pages), and only the last page asked for is drawn.
 */
let wantedPage: number | undefined;
function targetPage(): number {
  return wantedPage ?? view?.page ?? 0;
}

function goPage(page: number): void {
  if (!view || view.textbook || page < 0 || page >= view.pageCount || page === targetPage()) return;
  wantedPage = page;
  post({ type: 'showPage', page });
}

function renderMinimap(v: DiagramView): void {
  clear(el.minimap);
  if (v.textbook || v.pageCount <= 1) {
    el.minimap.hidden = true;
    return;
  }
  el.minimap.hidden = false;
  const maxAnomalies = Math.max(1, ...v.overview.map((p) => p.anomalies));
  const strip = h('div', { class: 'minimap-strip', role: 'list' });
  for (const p of v.overview) {
    const cell = h('button', {
      class: `mm-cell${p.page === v.page ? ' current' : ''}${p.resets > 0 ? ' has-reset' : ''}${p.anomalies > 0 ? ' has-anomaly' : ''}`,
      title: s.minimapPage(p.page, p.from, p.to, p.anomalies, p.retransmissions, p.resets),
      attrs: { 'data-page': String(p.page), 'aria-label': s.minimapPage(p.page, p.from, p.to, p.anomalies, p.retransmissions, p.resets), role: 'listitem' },
      onClick: () => goPage(p.page),
    });
    cell.type = 'button';
    // Heat: how many problems the page has, relative to the worst page.
    cell.style.setProperty('--heat', (p.anomalies / maxAnomalies).toFixed(3));
    strip.append(cell);
  }
  el.minimap.append(strip);
}

function applyHighlight(arrow: number | null, scroll: boolean): void {
  for (const old of el.diagram.querySelectorAll('.tl-current')) old.classList.remove('tl-current');
  highlighted = arrow;
  el.diagram.removeAttribute('data-highlight');
  if (arrow === null || !arrowEls || !arrowEls[arrow]) return;
  const a = arrowEls[arrow];
  for (const t of a.texts) t.classList.add('tl-current');
  a.line.classList.add('tl-current');
  el.diagram.setAttribute('data-highlight', String(arrow));
  if (scroll) scrollToArrow(a.texts[0]!);
}

/**
 * Bring an arrow's label into view inside the diagram box only: the page itself does not jump (the user may be
 * reading the findings while moving the cursor in the editor).
 */
function scrollToArrow(target: SVGTextElement): void {
  const box = el.diagram.getBoundingClientRect();
  const r = target.getBoundingClientRect();
  const top = r.top - box.top + el.diagram.scrollTop;
  el.diagram.scrollTop = Math.max(0, top - el.diagram.clientHeight / 2);
  const left = r.left - box.left + el.diagram.scrollLeft;
  if (r.left < box.left || r.right > box.right) el.diagram.scrollLeft = Math.max(0, left + r.width / 2 - el.diagram.clientWidth / 2);
}

function arrowFromEvent(e: Event): number | undefined {
  const target = e.target as Element | null;
  const tagged = target?.closest?.('[data-arrow]');
  if (!tagged) return undefined;
  const n = Number(tagged.getAttribute('data-arrow'));
  return Number.isInteger(n) ? n : undefined;
}

function revealArrow(i: number): void {
  const v = rendered;
  if (!v || v.textbook) return;
  const a = v.arrows[i];
  if (!a) return;
  applyHighlight(i, false);
  const lines: number[] = [];
  for (let l = a.line; l <= a.lastLine && lines.length < 64; l++) lines.push(l);
  post({ type: 'revealLines', lines });
}

el.diagram.addEventListener('click', (e) => {
  const i = arrowFromEvent(e);
  if (i !== undefined) revealArrow(i);
});
el.diagram.addEventListener('keydown', (e) => {
  const i = arrowFromEvent(e);
  if (i === undefined) return;
  if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    revealArrow(i);
  } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
    e.preventDefault();
    const next = arrowEls?.[i + (e.key === 'ArrowDown' ? 1 : -1)];
    next?.texts[0]!.focus();
  }
});
document.addEventListener('keydown', (e) => {
  if (!view || view.textbook || (e.target as Element | null)?.closest?.('input, textarea')) return;
  if (e.key === 'PageDown' && e.altKey) goPage(targetPage() + 1);
  else if (e.key === 'PageUp' && e.altKey) goPage(targetPage() - 1);
});

function currentSvg(): SVGSVGElement | undefined {
  return el.diagram.querySelector('svg') ?? undefined;
}

function exportSvg(): void {
  const svg = currentSvg();
  if (!svg) return;
  post({ type: 'saveImage', format: 'svg', data: standaloneSvg(svg).text });
}

async function exportPng(): Promise<void> {
  const svg = currentSvg();
  if (!svg) return;
  try {
    post({ type: 'saveImage', format: 'png', data: await svgToPng(svg) });
  } catch (error) {
    notice(s.renderFailed(error instanceof Error ? error.message : String(error)));
  }
}

function showDetails(details: { line: number; lastLine: number; text: readonly string[] } | undefined): void {
  if (!details) {
    el.details.textContent = '';
    el.details.hidden = true;
    return;
  }
  el.details.hidden = false;
  el.details.textContent = `${s.segmentLines(details.line, details.lastLine)}\n${details.text.join('\n')}`;
}

// Theme changes: VS Code swaps the body classes; redraw the current page in the new theme.
let theme = themeFromBody();
new MutationObserver(() => {
  const now = themeFromBody();
  if (now === theme) return;
  theme = now;
  if (view) renderer.request(highlighted === null ? view : { ...view, highlight: highlighted });
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

// ---------------------------------------------------------------------------------------------------------------
// Messages from the host

function setLang(next: UiLang): void {
  if (next === lang) return;
  lang = next;
  s = strings(lang);
  document.documentElement.lang = lang === 'zh-cn' ? 'zh-CN' : 'en';
}

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  if (typeof message !== 'object' || message === null) return;
  switch (message.type) {
    case 'report': {
      textbook = false;
      setLang(message.report.lang);
      report = message.report;
      uri = message.uri;
      const ids = new Set(report.connections.map((c) => c.id));
      checked = new Set([...checked].filter((id) => ids.has(id)));
      document.body.classList.remove('textbook');
      renderHeader();
      renderSummary(report);
      renderFindings(report);
      renderConnections(report);
      renderSockets(report);
      renderUnparsed(report);
      el.diagram.parentElement!.hidden = report.connections.length === 0;
      saveState();
      return;
    }
    case 'textbook':
      textbook = true;
      report = undefined;
      uri = undefined;
      setLang(message.lang);
      document.body.classList.add('textbook');
      el.title.textContent = message.title;
      renderHeader();
      for (const section of [el.summary, el.findings, el.connections, el.sockets, el.unparsed]) clear(section);
      el.diagram.parentElement!.hidden = false;
      showDetails(undefined);
      saveState();
      return;
    case 'diagram':
      showDetails(undefined);
      showDiagram(message.diagram);
      return;
    case 'highlight':
      if (!view || message.key !== view.key) return;
      showDetails(message.details);
      if (rendered && rendered.key === message.key) applyHighlight(message.arrow, true);
      else highlighted = message.arrow;
      return;
    case 'notice':
      notice(message.text);
      return;
    case 'showDiagram':
      // The earlier diagram-only protocol: show the source as a one-page textbook diagram.
      showDiagram({ key: 0, title: message.title, connections: [], page: 0, pageCount: 1, pageSize: 0, from: 0, to: 0, total: 0, source: message.source, arrows: [], overview: [], textbook: true });
      return;
    case 'highlightLine':
      return;
  }
});

showDetails(undefined);
post({ type: 'ready' });
