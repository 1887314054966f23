/**
 * The Explain report: one model built from the analysed document, rendered for a terminal (`renderText`) or as
 * Markdown (`renderMarkdown`, which the panel offers to copy or save). Every line number shown to a person is
 * 1-based. Findings come first, errors before warnings before info: the reader at 3 a.m. wants the problem, then
 * the evidence.
 */
import { severityRank, type AnalysedModel, type ConnectionSummary, type StateCounts } from '../analyse';
import { endpointText } from '../analysis/sockets';
import type { Block, Finding, Lang, Localized, Severity, TcpState, UnparsedLine } from '../model';
import { stateInfo } from '../knowledge/states';
import { TCP_STATES } from '../tcp/states';

export interface ReportBlock {
  readonly index: number;
  readonly format: Block['format'];
  readonly variant: string;
  /** 0-based, like the model; renderers add 1. */
  readonly firstLine: number;
  readonly lastLine: number;
  readonly sockets: number;
  readonly segments: number;
  readonly stateCounts: StateCounts;
}

export interface ReportState {
  readonly state: TcpState;
  readonly count: number;
  /** One line from the knowledge base (src/core/knowledge/states.ts): what a socket in this state waits for. */
  readonly note: Localized;
}

export interface ReportConnection {
  /** The model's id (0-based). */
  readonly id: number;
  /** What people and the CLI call it: id + 1. */
  readonly number: number;
  readonly title: string;
  readonly firstLine: number;
  readonly lastLine: number;
  /** A few sentences telling what happened, in both languages. */
  readonly story: Localized;
}

export interface ReportModel {
  /** Lines as a person counts them (no phantom line after the final newline). */
  readonly lineCount: number;
  readonly blocks: readonly ReportBlock[];
  readonly socketCount: number;
  readonly segmentCount: number;
  readonly states: readonly ReportState[];
  /** Sorted: errors, warnings, info; then by first line. */
  readonly findings: readonly Finding[];
  readonly severityCounts: Readonly<Record<Severity, number>>;
  readonly connections: readonly ReportConnection[];
  /** False when the connection rebuild is not part of this build (segments are then not grouped). */
  readonly connectionAnalysis: boolean;
  /** The connection rebuild failed (a bug); the rest of the report stands. */
  readonly analysisError?: string;
  readonly unparsed: readonly UnparsedLine[];
}

export function buildReport(model: AnalysedModel): ReportModel {
  const perBlock = model.blocks.map((b, index) => ({ index, sockets: 0, segments: 0, counts: new Map<TcpState, number>(), block: b }));
  for (const row of model.sockets) {
    const b = perBlock[row.block];
    if (!b) continue;
    b.sockets++;
    if (row.state !== undefined) b.counts.set(row.state, (b.counts.get(row.state) ?? 0) + 1);
  }
  for (const seg of model.segments) {
    const b = perBlock[seg.block];
    if (b) b.segments++;
  }
  const blocks: ReportBlock[] = perBlock.map((b) => ({
    index: b.index,
    format: b.block.format,
    variant: b.block.variant,
    firstLine: b.block.firstLine,
    lastLine: b.block.lastLine,
    sockets: b.sockets,
    segments: b.segments,
    stateCounts: orderedCounts(b.counts),
  }));
  const states: ReportState[] = [];
  for (const state of TCP_STATES) {
    const count = model.stateCounts[state];
    if (count) states.push({ state, count, note: stateInfo(state).summary });
  }
  // Errors, then warnings, then info; inside a severity, findings of one code stay together (in the order the codes
  // first appear in the document), then by line.
  const firstOfCode = new Map<string, number>();
  for (const f of model.findings) {
    const key = `${f.severity}\u0000${f.code}`;
    const line = f.lines[0] ?? 0;
    if (!(firstOfCode.get(key)! <= line)) firstOfCode.set(key, line);
  }
  const codeRank = (f: Finding): number => firstOfCode.get(`${f.severity}\u0000${f.code}`) ?? 0;
  const findings = [...model.findings].sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      codeRank(a) - codeRank(b) ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) ||
      (a.lines[0] ?? 0) - (b.lines[0] ?? 0),
  );
  const severityCounts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) severityCounts[f.severity]++;
  return {
    lineCount: model.displayLineCount ?? model.lineCount,
    blocks,
    socketCount: model.sockets.length,
    segmentCount: model.segments.length,
    states,
    findings,
    severityCounts,
    connections: model.connections.map(connectionStory),
    connectionAnalysis: model.connectionAnalysis,
    ...(model.analysisError !== undefined ? { analysisError: model.analysisError } : {}),
    unparsed: model.unparsed,
  };
}

function orderedCounts(counts: Map<TcpState, number>): StateCounts {
  const out: Partial<Record<TcpState, number>> = {};
  for (const state of TCP_STATES) {
    const n = counts.get(state);
    if (n) out[state] = n;
  }
  return out;
}

const OPEN_TEXT: Readonly<Record<ConnectionSummary['open'], Localized>> = {
  handshake: { en: 'opened with a three-way handshake', 'zh-cn': '经三次握手建立' },
  refused: { en: 'refused: the SYN was answered with RST', 'zh-cn': '被拒绝：SYN 收到的是 RST' },
  unanswered: { en: 'never answered: the SYN got no reply in the capture', 'zh-cn': '无人应答：抓包里 SYN 没有得到回应' },
  simultaneous: { en: 'opened by both sides at once (simultaneous open)', 'zh-cn': '双方同时发起（同时打开）' },
  'mid-stream': { en: 'already open when the capture started', 'zh-cn': '抓包开始时连接已经建立' },
};

const CLOSE_TEXT: Readonly<Record<ConnectionSummary['close'], Localized>> = {
  'client-first': { en: 'the client closed first', 'zh-cn': '客户端先关闭' },
  'server-first': { en: 'the server closed first', 'zh-cn': '服务端先关闭' },
  simultaneous: { en: 'both sides closed at once', 'zh-cn': '双方同时关闭' },
  reset: { en: 'ended by a reset (RST)', 'zh-cn': '以 RST 复位结束' },
  open: { en: 'still open at the end of the capture', 'zh-cn': '抓包结束时仍未关闭' },
};

function connectionStory(c: ConnectionSummary): ReportConnection {
  const title = `${endpointText(c.client)} → ${endpointText(c.server)}`;
  const irtt = c.irttMs !== undefined ? `, iRTT ${formatMs(c.irttMs)} ms` : '';
  const irttZh = c.irttMs !== undefined ? `，初始往返时间 ${formatMs(c.irttMs)} 毫秒` : '';
  const one = c.firstLine === c.lastLine;
  const where = one ? `line ${c.firstLine + 1}` : `lines ${c.firstLine + 1}–${c.lastLine + 1}`;
  const whereZh = one ? `第 ${c.firstLine + 1} 行` : `第 ${c.firstLine + 1}–${c.lastLine + 1} 行`;
  const story: Localized = {
    en: `${c.segments} ${c.segments === 1 ? 'segment' : 'segments'}, ${where}; ${OPEN_TEXT[c.open].en}${irtt}; ${CLOSE_TEXT[c.close].en}. Final states: client ${c.finalStates.client}, server ${c.finalStates.server}.`,
    'zh-cn': `${c.segments} 个报文段，${whereZh}；${OPEN_TEXT[c.open]['zh-cn']}${irttZh}；${CLOSE_TEXT[c.close]['zh-cn']}。最终状态：客户端 ${c.finalStates.client}，服务端 ${c.finalStates.server}。`,
  };
  return { id: c.id, number: c.id + 1, title, firstLine: c.firstLine, lastLine: c.lastLine, story };
}

function formatMs(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 1 ? String(Number(ms.toFixed(1))) : String(Number(ms.toFixed(3)));
}

// ---------------------------------------------------------------------------------------------------------------
// Words

interface Words {
  title: string;
  lines: (n: number) => string;
  tables: (n: number) => string;
  sockets: (n: number) => string;
  segments: (n: number) => string;
  nothing: string;
  findings: (counts: Readonly<Record<Severity, number>>, total: number) => string;
  noFindings: string;
  severity: Record<Severity, string>;
  cause: string;
  fix: string;
  linesRef: (ranges: string, n: number) => string;
  states: string;
  blocks: string;
  connections: string;
  noRebuild: string;
  rebuildFailed: (error: string) => string;
  unparsed: (n: number) => string;
  moreUnparsed: (n: number) => string;
  line: string;
  moreFindings: (n: number, code: string) => string;
  firstLines: (ranges: string) => string;
  moreConnections: (n: number) => string;
  connection: (n: number) => string;
  state: string;
  count: string;
  format: string;
  records: string;
}

const EN: Words = {
  title: 'TCP Lens report',
  lines: (n) => (n === 1 ? '1 line' : `${n} lines`),
  tables: (n) => (n === 1 ? '1 block' : `${n} blocks`),
  sockets: (n) => (n === 1 ? '1 socket' : `${n} sockets`),
  segments: (n) => (n === 1 ? '1 segment' : `${n} segments`),
  nothing: 'No netstat, ss, tcpdump or tshark output recognised.',
  findings: (c, total) =>
    `${total === 1 ? '1 finding' : `${total} findings`}: ${c.error} ${c.error === 1 ? 'error' : 'errors'}, ${c.warning} ${c.warning === 1 ? 'warning' : 'warnings'}, ${c.info} info`,
  noFindings: 'No findings.',
  severity: { error: 'ERROR', warning: 'WARNING', info: 'INFO' },
  cause: 'Cause',
  fix: 'Fix',
  linesRef: (ranges, n) => (n === 1 ? `line ${ranges}` : `lines ${ranges} (${n})`),
  states: 'Socket states',
  blocks: 'Blocks',
  connections: 'Connections',
  noRebuild: 'Connection rebuild is not part of this build: segments are listed, not yet grouped into connections.',
  rebuildFailed: (error) => `The connection rebuild failed (a bug in TCP Lens, please report it): ${error}. Segments are listed, not grouped into connections.`,
  unparsed: (n) => `Lines not understood (${n})`,
  moreUnparsed: (n) => `… and ${n} more`,
  line: 'Lines',
  moreFindings: (n, code) => `… and ${n} more ${code} ${n === 1 ? 'finding' : 'findings'}`,
  firstLines: (ranges) => `starting on lines ${ranges}`,
  moreConnections: (n) => `… and ${n} more ${n === 1 ? 'connection' : 'connections'}`,
  connection: (n) => `connection ${n}`,
  state: 'State',
  count: 'Count',
  format: 'Format',
  records: 'Records',
};

const ZH: Words = {
  title: 'TCP Lens 分析报告',
  lines: (n) => `${n} 行`,
  tables: (n) => `${n} 段输出`,
  sockets: (n) => `${n} 个套接字`,
  segments: (n) => `${n} 个报文段`,
  nothing: '没有识别到 netstat、ss、tcpdump 或 tshark 的输出。',
  findings: (c, total) => `${total} 条发现：${c.error} 个错误，${c.warning} 个警告，${c.info} 条提示`,
  noFindings: '没有发现问题。',
  severity: { error: '错误', warning: '警告', info: '提示' },
  cause: '原因',
  fix: '处理',
  linesRef: (ranges, n) => (n === 1 ? `第 ${ranges} 行` : `第 ${ranges} 行（共 ${n} 行）`),
  states: '套接字状态',
  blocks: '输出段',
  connections: '连接',
  noRebuild: '此版本尚未包含连接重建：只列出报文段，还没有按连接归组。',
  rebuildFailed: (error) => `连接重建失败（TCP Lens 的缺陷，请反馈）：${error}。只列出报文段，没有按连接归组。`,
  unparsed: (n) => `未能识别的行（${n}）`,
  moreUnparsed: (n) => `……另有 ${n} 行`,
  line: '行',
  moreFindings: (n, code) => `……另有 ${n} 条 ${code}`,
  firstLines: (ranges) => `分别从第 ${ranges} 行开始`,
  moreConnections: (n) => `……另有 ${n} 个连接`,
  connection: (n) => `连接 ${n}`,
  state: '状态',
  count: '数量',
  format: '格式',
  records: '记录',
};

function words(lang: Lang): Words {
  return lang === 'zh-cn' ? ZH : EN;
}

/** 0-based line numbers -> `2–301, 305, 310–312 …` (1-based), at most `max` ranges. */
export function lineRanges(lines: readonly number[], max = 6): string {
  const parts: string[] = [];
  let i = 0;
  let ranges = 0;
  while (i < lines.length) {
    let j = i;
    while (j + 1 < lines.length && lines[j + 1] === lines[j]! + 1) j++;
    if (ranges === max) {
      parts.push('…');
      break;
    }
    parts.push(j > i ? `${lines[i]! + 1}–${lines[j]! + 1}` : `${lines[i]! + 1}`);
    ranges++;
    i = j + 1;
  }
  return parts.join(', ');
}

function summaryLine(r: ReportModel, w: Words, lang: Lang): string {
  const parts = [w.lines(r.lineCount), w.tables(r.blocks.length)];
  if (r.socketCount > 0) parts.push(w.sockets(r.socketCount));
  if (r.segmentCount > 0) parts.push(w.segments(r.segmentCount));
  if (r.connections.length > 0) parts.push(lang === 'zh-cn' ? `${r.connections.length} 个连接` : `${r.connections.length} ${r.connections.length === 1 ? 'connection' : 'connections'}`);
  return parts.join(lang === 'zh-cn' ? '，' : ' · ');
}

function blockLabel(b: ReportBlock): string {
  return b.variant && b.variant !== b.format ? `${b.format} (${b.variant})` : b.format;
}

/** How many findings of one code are written out before the rest are summed up in one line. */
export const MAX_FINDINGS_PER_CODE = 10;
/** How many connection stories are written out. */
export const MAX_CONNECTIONS_SHOWN = 50;

type PlanItem =
  | { readonly kind: 'finding'; readonly finding: Finding; readonly cause: boolean; readonly fix: boolean }
  | { readonly kind: 'more'; readonly code: string; readonly severity: Severity; readonly lines: readonly number[]; readonly count: number };

/**
 * What to write for the sorted findings: each finding, with its cause and fix unless the previous finding of the
 * same code already said exactly that; past MAX_FINDINGS_PER_CODE of a code, one line summing up the rest.
 */
function planFindings(findings: readonly Finding[], lang: Lang): PlanItem[] {
  const plan: PlanItem[] = [];
  let i = 0;
  while (i < findings.length) {
    const first = findings[i]!;
    let j = i;
    while (j < findings.length && findings[j]!.code === first.code && findings[j]!.severity === first.severity) j++;
    let lastCause: string | undefined;
    let lastFix: string | undefined;
    for (let k = i; k < Math.min(j, i + MAX_FINDINGS_PER_CODE); k++) {
      const f = findings[k]!;
      const cause = f.cause?.[lang];
      const fix = f.fix?.[lang];
      plan.push({ kind: 'finding', finding: f, cause: cause !== undefined && cause !== lastCause, fix: fix !== undefined && fix !== lastFix });
      lastCause = cause;
      lastFix = fix;
    }
    if (j - i > MAX_FINDINGS_PER_CODE) {
      const rest = findings.slice(i + MAX_FINDINGS_PER_CODE, j);
      plan.push({ kind: 'more', code: first.code, severity: first.severity, lines: rest.map((f) => f.lines[0] ?? 0), count: rest.length });
    }
    i = j;
  }
  return plan;
}

// ---------------------------------------------------------------------------------------------------------------
// Terminal text

export interface TextOptions {
  /** Shown after the title, e.g. the file name. */
  readonly title?: string;
  /** Wrap width in terminal columns (CJK characters count 2). Default 100. */
  readonly width?: number;
  /** ANSI colours for severities and headings. Default false. */
  readonly color?: boolean;
}

const ANSI = { reset: '\u001b[0m', bold: '\u001b[1m', dim: '\u001b[2m', red: '\u001b[31m', yellow: '\u001b[33m', cyan: '\u001b[36m' };

export function renderText(report: ReportModel, lang: Lang, options: TextOptions = {}): string {
  const w = words(lang);
  const width = Math.max(40, options.width ?? 100);
  const paint = (code: string, s: string): string => (options.color ? `${code}${s}${ANSI.reset}` : s);
  const out: string[] = [];
  out.push(paint(ANSI.bold, options.title ? `${w.title} — ${options.title}` : w.title));
  out.push(summaryLine(report, w, lang));
  if (report.blocks.length === 0) {
    out.push('', w.nothing);
    return out.join('\n') + '\n';
  }
  out.push('');

  // Findings
  const total = report.findings.length;
  out.push(total === 0 ? w.noFindings : paint(ANSI.bold, w.findings(report.severityCounts, total)));
  const tagWidth = Math.max(...Object.values(w.severity).map(displayWidth)) + 2;
  const labelWidth = Math.max(displayWidth(w.cause), displayWidth(w.fix)) + 2;
  const indent = ' '.repeat(tagWidth + 1);
  for (const item of planFindings(report.findings, lang)) {
    out.push('');
    const severity = item.kind === 'finding' ? item.finding.severity : item.severity;
    const tag = `[${w.severity[severity]}]`;
    const color = severity === 'error' ? ANSI.red : severity === 'warning' ? ANSI.yellow : ANSI.cyan;
    const head = `${paint(color + ANSI.bold, tag)}${' '.repeat(Math.max(1, tagWidth - displayWidth(tag) + 1))}`;
    if (item.kind === 'more') {
      out.push(`${head}${w.moreFindings(item.count, item.code)}`);
      for (const l of wrap(w.firstLines(lineRanges(item.lines, 8)), width - indent.length)) out.push(indent + l);
      continue;
    }
    const f = item.finding;
    const conn = f.connection !== undefined ? ` · ${w.connection(f.connection + 1)}` : '';
    out.push(`${head}${f.code}${conn} · ${w.linesRef(lineRanges(f.lines), f.lines.length)}`);
    for (const l of wrap(f.message[lang], width - indent.length)) out.push(indent + l);
    for (const [label, text, show] of [
      [w.cause, f.cause, item.cause],
      [w.fix, f.fix, item.fix],
    ] as const) {
      if (!text || !show) continue;
      const pad = ' '.repeat(labelWidth - displayWidth(label));
      const wrapped = wrap(text[lang], width - indent.length - labelWidth);
      wrapped.forEach((l, i) => out.push(i === 0 ? `${indent}${paint(ANSI.dim, label)}${pad}${l}` : `${indent}${' '.repeat(labelWidth)}${l}`));
    }
  }

  // States
  if (report.states.length > 0) {
    out.push('', paint(ANSI.bold, w.states));
    const nameWidth = Math.max(...report.states.map((s) => s.state.length));
    const countWidth = Math.max(...report.states.map((s) => String(s.count).length));
    const hang = 2 + nameWidth + 2 + countWidth + 2;
    for (const s of report.states) {
      const note = wrap(plainText(s.note[lang]), Math.max(30, width - hang));
      note.forEach((l, i) =>
        out.push(i === 0 ? `  ${s.state.padEnd(nameWidth)}  ${String(s.count).padStart(countWidth)}  ${paint(ANSI.dim, l)}` : `${' '.repeat(hang)}${paint(ANSI.dim, l)}`),
      );
    }
  }

  // Blocks
  out.push('', paint(ANSI.bold, w.blocks));
  const labels = report.blocks.map(blockLabel);
  const labelCol = Math.max(...labels.map(displayWidth));
  const rangeTexts = report.blocks.map((b) => `${b.firstLine + 1}–${b.lastLine + 1}`);
  const rangeCol = Math.max(...rangeTexts.map((s) => s.length));
  report.blocks.forEach((b, i) => {
    const records: string[] = [];
    if (b.sockets > 0) records.push(w.sockets(b.sockets));
    if (b.segments > 0) records.push(w.segments(b.segments));
    const counts = Object.entries(b.stateCounts).map(([k, v]) => `${k} ${v}`);
    const detail = [...records, ...(counts.length > 1 || (counts.length === 1 && report.blocks.length > 1) ? [counts.join(lang === 'zh-cn' ? '，' : ', ')] : [])];
    const prefix = `  ${labels[i]!}${' '.repeat(labelCol - displayWidth(labels[i]!))}  ${rangeTexts[i]!.padEnd(rangeCol)}  `;
    const body = detail.join(lang === 'zh-cn' ? '；' : '; ');
    // Keep the details beside the label when there is room; otherwise under it, indented.
    const hang = displayWidth(prefix) <= width - 30 ? displayWidth(prefix) : 4;
    const wrapped = wrap(body, width - hang);
    if (hang === 4) out.push(prefix.trimEnd());
    wrapped.forEach((l, k) => out.push(k === 0 && hang !== 4 ? prefix + l : ' '.repeat(hang) + l));
  });

  // Connections
  if (report.connections.length > 0) {
    out.push('', paint(ANSI.bold, w.connections));
    for (const c of report.connections.slice(0, MAX_CONNECTIONS_SHOWN)) {
      out.push(`  #${c.number}  ${c.title}`);
      for (const l of wrap(c.story[lang], width - 6)) out.push(`      ${l}`);
    }
    if (report.connections.length > MAX_CONNECTIONS_SHOWN) out.push(`  ${w.moreConnections(report.connections.length - MAX_CONNECTIONS_SHOWN)}`);
  } else if (report.segmentCount > 0 && !report.connectionAnalysis) {
    out.push('', paint(ANSI.bold, w.connections));
    const why = report.analysisError !== undefined ? w.rebuildFailed(report.analysisError) : w.noRebuild;
    for (const l of wrap(why, width - 2)) out.push(`  ${l}`);
  }

  // Unparsed
  if (report.unparsed.length > 0) {
    out.push('', paint(ANSI.bold, w.unparsed(report.unparsed.length)));
    const shown = report.unparsed.slice(0, MAX_UNPARSED_SHOWN);
    const numWidth = String(shown[shown.length - 1]!.line + 1).length;
    for (const u of shown) out.push(`  ${String(u.line + 1).padStart(numWidth)}  ${visible(u.text)}`);
    if (report.unparsed.length > shown.length) out.push(`  ${w.moreUnparsed(report.unparsed.length - shown.length)}`);
  }
  return out.join('\n') + '\n';
}

const MAX_UNPARSED_SHOWN = 20;

/** Knowledge-base texts are light Markdown: drop the bold and code markers for the terminal. */
function plainText(md: string): string {
  return md.split('**').join('').split('`').join('');
}

/** Control characters from the input must not reach the terminal (an ESC could restyle or move the cursor). */
function visible(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out += c < 32 || c === 127 || (c >= 0x80 && c < 0xa0) ? (c === 9 ? ' ' : '�') : text[i];
  }
  return out;
}

/** Terminal columns: East Asian wide and fullwidth characters take two. */
export function displayWidth(s: string): number {
  let n = 0;
  for (const ch of s) n += isWide(ch.codePointAt(0)!) ? 2 : 1;
  return n;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/** Punctuation that must not start a line in Chinese text (it stays on the line before, overflowing by one). */
/** Opening punctuation that must not end a line. */
const NO_LINE_END = new Set(['（', '《', '「', '『', '“', '‘']);
const NO_LINE_START = new Set(['，', '。', '：', '；', '）', '、', '！', '？', '》', '」', '』', '”', '’']);

/**
 * Greedy wrap to `width` columns. Latin words are kept whole; CJK text may break between any two characters.
 * Visible control characters are neutralised first (messages can quote input).
 */
export function wrap(text: string, width: number): string[] {
  const clean = visible(text);
  const tokens: string[] = [];
  let word = '';
  for (const ch of clean) {
    const cp = ch.codePointAt(0)!;
    if (ch === ' ') {
      if (word) tokens.push(word);
      word = '';
      tokens.push(' ');
    } else if (isWide(cp)) {
      if (word) tokens.push(word);
      word = '';
      tokens.push(ch);
    } else {
      word += ch;
    }
  }
  if (word) tokens.push(word);
  const lines: string[] = [];
  let line = '';
  let lineWidth = 0;
  for (const token of tokens) {
    const tw = displayWidth(token);
    if (token === ' ') {
      if (line !== '') {
        line += ' ';
        lineWidth += 1;
      }
      continue;
    }
    if (lineWidth + tw > width && line.trim() !== '' && !NO_LINE_START.has(token)) {
      // An opening bracket never ends a line: carry it over with what it opens.
      let carry = '';
      const last = line.length > 0 ? line[line.length - 1]! : '';
      if (NO_LINE_END.has(last) && line.length > 1) {
        carry = last;
        line = line.slice(0, -1);
      }
      lines.push(line.trimEnd());
      line = carry;
      lineWidth = displayWidth(carry);
    }
    line += token;
    lineWidth += tw;
  }
  if (line.trim() !== '') lines.push(line.trimEnd());
  return lines.length > 0 ? lines : [''];
}

// ---------------------------------------------------------------------------------------------------------------
// Markdown

const SEVERITY_ICON: Readonly<Record<Severity, string>> = { error: '⛔', warning: '⚠️', info: 'ℹ️' };

/** Escape text that may carry input (addresses, process names) so it renders literally in Markdown and HTML. */
export function escapeMarkdown(text: string): string {
  let out = '';
  for (const ch of visible(text)) {
    switch (ch) {
      case '&':
        out += '&amp;';
        break;
      case '<':
        out += '&lt;';
        break;
      case '>':
        out += '&gt;';
        break;
      case '\\':
      case '`':
      case '*':
      case '_':
      case '[':
      case ']':
      case '|':
      case '#':
      case '~':
      case '!':
        out += '\\' + ch;
        break;
      default:
        out += ch;
    }
  }
  return out;
}

/** Our own advice texts keep their `code` spans; anything outside them is escaped. */
function escapeProse(text: string): string {
  const parts = text.split('`');
  // An odd number of parts means every backtick is paired.
  if (parts.length % 2 === 0) return escapeMarkdown(text);
  return parts.map((p, i) => (i % 2 === 1 && !p.includes('\n') ? codeSpan(p) : escapeMarkdown(p))).join('');
}

function codeSpan(text: string): string {
  return '`' + visible(text) + '`';
}

export function renderMarkdown(report: ReportModel, lang: Lang, options: { readonly title?: string } = {}): string {
  const w = words(lang);
  const out: string[] = [];
  out.push(`# ${w.title}${options.title ? ` — ${escapeMarkdown(options.title)}` : ''}`, '');
  out.push(escapeMarkdown(summaryLine(report, w, lang)), '');
  if (report.blocks.length === 0) {
    out.push(w.nothing, '');
    return out.join('\n');
  }
  const total = report.findings.length;
  out.push(`## ${total === 0 ? w.noFindings : w.findings(report.severityCounts, total)}`, '');
  const colon = lang === 'zh-cn' ? '：' : ':';
  for (const item of planFindings(report.findings, lang)) {
    if (item.kind === 'more') {
      out.push(`### ${SEVERITY_ICON[item.severity]} ${w.severity[item.severity]} · ${escapeMarkdown(w.moreFindings(item.count, item.code))}`, '');
      out.push(escapeMarkdown(w.firstLines(lineRanges(item.lines, 8))), '');
      continue;
    }
    const f = item.finding;
    const conn = f.connection !== undefined ? ` · ${w.connection(f.connection + 1)}` : '';
    out.push(`### ${SEVERITY_ICON[f.severity]} ${w.severity[f.severity]} · \`${f.code}\`${conn} · ${w.linesRef(lineRanges(f.lines), f.lines.length)}`, '');
    out.push(escapeMarkdown(f.message[lang]), '');
    if (f.cause && item.cause) out.push(`**${w.cause}${colon}** ${escapeProse(f.cause[lang])}`, '');
    if (f.fix && item.fix) out.push(`**${w.fix}${colon}** ${escapeProse(f.fix[lang])}`, '');
  }
  if (report.states.length > 0) {
    out.push(`## ${w.states}`, '', `| ${w.state} | ${w.count} | |`, '|---|---:|---|');
    for (const s of report.states) out.push(`| ${s.state} | ${s.count} | ${escapeProse(s.note[lang])} |`);
    out.push('');
  }
  out.push(`## ${w.blocks}`, '', `| # | ${w.format} | ${w.line} | ${w.records} |`, '|---:|---|---|---|');
  for (const b of report.blocks) {
    const records: string[] = [];
    if (b.sockets > 0) records.push(w.sockets(b.sockets));
    if (b.segments > 0) records.push(w.segments(b.segments));
    const counts = Object.entries(b.stateCounts).map(([k, v]) => `${k} ${v}`);
    if (counts.length > 0) records.push(counts.join(lang === 'zh-cn' ? '，' : ', '));
    out.push(`| ${b.index + 1} | ${escapeMarkdown(blockLabel(b))} | ${b.firstLine + 1}–${b.lastLine + 1} | ${escapeMarkdown(records.join(lang === 'zh-cn' ? '；' : '; '))} |`);
  }
  out.push('');
  if (report.connections.length > 0) {
    out.push(`## ${w.connections}`, '');
    for (const c of report.connections.slice(0, MAX_CONNECTIONS_SHOWN)) out.push(`- **#${c.number}** ${escapeMarkdown(c.title)}: ${escapeMarkdown(c.story[lang])}`);
    if (report.connections.length > MAX_CONNECTIONS_SHOWN) out.push(`- ${w.moreConnections(report.connections.length - MAX_CONNECTIONS_SHOWN)}`);
    out.push('');
  } else if (report.segmentCount > 0 && !report.connectionAnalysis) {
    out.push(`## ${w.connections}`, '', escapeMarkdown(report.analysisError !== undefined ? w.rebuildFailed(report.analysisError) : w.noRebuild), '');
  }
  if (report.unparsed.length > 0) {
    const shown = report.unparsed.slice(0, MAX_UNPARSED_SHOWN);
    const body = shown.map((u) => `${u.line + 1}: ${visible(u.text)}`);
    const fence = '`'.repeat(Math.max(3, longestRun(body.join('\n'), '`') + 1));
    out.push(`## ${w.unparsed(report.unparsed.length)}`, '', fence + 'text', ...body, fence, '');
    if (report.unparsed.length > shown.length) out.push(w.moreUnparsed(report.unparsed.length - shown.length), '');
  }
  return out.join('\n');
}

function longestRun(text: string, ch: string): number {
  let best = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === ch) {
      run++;
      if (run > best) best = run;
    } else run = 0;
  }
  return best;
}
