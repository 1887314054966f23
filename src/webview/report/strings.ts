/** The report panel's own words, in both languages TCP Lens speaks. */
import type { UiLang } from '../protocol';

export interface Strings {
  readonly summary: string;
  readonly findings: string;
  readonly noFindings: string;
  readonly connections: string;
  readonly diagram: string;
  readonly sockets: string;
  readonly unparsed: string;
  readonly lines: (n: number) => string;
  readonly blocks: string;
  readonly byOutcome: string;
  readonly byState: string;
  readonly problems: string;
  readonly severity: Readonly<Record<'error' | 'warning' | 'info', string>>;
  readonly badge: Readonly<Record<'error' | 'warning' | 'info', string>>;
  readonly cause: string;
  readonly causeAndFix: string;
  readonly fix: string;
  readonly showLines: (ranges: string, n: number) => string;
  readonly col: Readonly<Record<'id' | 'client' | 'server' | 'outcome' | 'segments' | 'duration' | 'bytes' | 'irtt' | 'retrans', string>>;
  readonly together: string;
  readonly togetherHint: string;
  readonly prev: string;
  readonly next: string;
  readonly page: (page: number, count: number, from: number, to: number, total: number) => string;
  readonly copyMermaid: string;
  readonly saveMermaid: string;
  readonly saveSvg: string;
  readonly savePng: string;
  readonly fitWidth: string;
  readonly actualSize: string;
  readonly copyMarkdown: string;
  readonly saveMarkdown: string;
  readonly rendering: string;
  readonly renderFailed: (reason: string) => string;
  readonly overBudget: (seconds: number) => string;
  readonly minimapPage: (page: number, from: number, to: number, anomalies: number, retrans: number, resets: number) => string;
  readonly noConnections: string;
  readonly grouped: string;
  readonly scope: Readonly<Record<'document' | 'block' | 'selection', (first: number, last: number) => string>>;
  readonly more: (n: number) => string;
  readonly local: string;
  readonly remote: string;
  readonly state: string;
  readonly process: string;
  readonly proto: string;
  readonly line: string;
  readonly queues: string;
  readonly segmentLines: (first: number, last: number) => string;
  readonly outcome: Readonly<Record<'closed' | 'reset' | 'refused' | 'unanswered' | 'open', string>>;
  readonly textbookNote: string;
}

const EN: Strings = {
  summary: 'Summary',
  findings: 'Findings',
  noFindings: 'No problems found.',
  connections: 'Connections',
  diagram: 'Sequence diagram',
  sockets: 'Sockets',
  unparsed: 'Lines not understood',
  lines: (n) => (n === 1 ? '1 line' : `${n} lines`),
  blocks: 'Formats read',
  byOutcome: 'Connections by outcome',
  byState: 'Sockets by state',
  problems: 'Problems by severity',
  severity: { error: 'Errors', warning: 'Warnings', info: 'Info' },
  badge: { error: 'Error', warning: 'Warning', info: 'Info' },
  cause: 'Cause',
  causeAndFix: 'Cause and fix',
  fix: 'Fix',
  showLines: (r, n) => (n === 1 ? `line ${r}` : `lines ${r} (${n})`),
  col: { id: '#', client: 'Client', server: 'Server', outcome: 'Outcome', segments: 'Segments', duration: 'Duration', bytes: 'Bytes', irtt: 'iRTT', retrans: 'Retrans.' },
  together: 'Show checked together',
  togetherHint: 'Tick up to 8 connections to draw them in one diagram',
  prev: '◀ Previous',
  next: 'Next ▶',
  page: (p, c, f, t, n) => `Page ${p + 1} of ${c} · segments ${f + 1}–${t} of ${n}`,
  copyMermaid: 'Copy mermaid',
  saveMermaid: 'Save .mmd',
  saveSvg: 'Save SVG',
  savePng: 'Save PNG',
  fitWidth: 'Fit width',
  actualSize: 'Actual size',
  copyMarkdown: 'Copy Markdown',
  saveMarkdown: 'Save Markdown',
  rendering: 'Rendering…',
  renderFailed: (r) => `The diagram could not be drawn: ${r}`,
  overBudget: (s) => `Drawing took more than ${s} s and was stopped; try a smaller selection.`,
  minimapPage: (p, f, t, a, r, x) => `Page ${p + 1}: segments ${f + 1}–${t}; ${a} marked (${r} retransmissions, ${x} resets)`,
  noConnections: 'No TCP connection in this scope (the diagram needs tcpdump or tshark output).',
  grouped: 'Connections are grouped by their endpoints; both ends’ states are not inferred in this build.',
  scope: {
    document: (f, l) => `Whole document, lines ${f + 1}–${l + 1}`,
    block: (f, l) => `Block at the cursor, lines ${f + 1}–${l + 1}`,
    selection: (f, l) => `Selection, lines ${f + 1}–${l + 1}`,
  },
  more: (n) => `… and ${n} more`,
  local: 'Local',
  remote: 'Remote',
  state: 'State',
  process: 'Process',
  proto: 'Proto',
  line: 'Line',
  queues: 'Recv-Q / Send-Q',
  segmentLines: (f, l) => (f === l ? `Line ${f + 1}` : `Lines ${f + 1}–${l + 1}`),
  outcome: { closed: 'closed', reset: 'reset', refused: 'refused', unanswered: 'no answer', open: 'still open' },
  textbookNote: 'The textbook three-way handshake and four-way close. Open a tcpdump or tshark capture and run TCP Lens’s Explain command on it (editor context menu, CodeLens or Command Palette) to see your own connections.',
};

const ZH: Strings = {
  summary: '概览',
  findings: '发现的问题',
  noFindings: '没有发现问题。',
  connections: '连接',
  diagram: '时序图',
  sockets: '套接字',
  unparsed: '未能识别的行',
  lines: (n) => `${n} 行`,
  blocks: '识别的格式',
  byOutcome: '按结果统计连接',
  byState: '按状态统计套接字',
  problems: '按严重程度统计问题',
  severity: { error: '错误', warning: '警告', info: '提示' },
  badge: { error: '错误', warning: '警告', info: '提示' },
  cause: '原因',
  causeAndFix: '原因与处理',
  fix: '处理',
  showLines: (r, n) => (n === 1 ? `第 ${r} 行` : `第 ${r} 行（共 ${n} 行）`),
  col: { id: '#', client: '客户端', server: '服务端', outcome: '结果', segments: '报文段', duration: '时长', bytes: '字节', irtt: '初始 RTT', retrans: '重传' },
  together: '把勾选的连接画在一起',
  togetherHint: '最多勾选 8 个连接，画在同一张图里',
  prev: '◀ 上一页',
  next: '下一页 ▶',
  page: (p, c, f, t, n) => `第 ${p + 1}/${c} 页 · 报文段 ${f + 1}–${t}，共 ${n} 个`,
  copyMermaid: '复制 mermaid',
  saveMermaid: '保存 .mmd',
  saveSvg: '保存 SVG',
  savePng: '保存 PNG',
  fitWidth: '适应宽度',
  actualSize: '实际大小',
  copyMarkdown: '复制 Markdown',
  saveMarkdown: '保存 Markdown',
  rendering: '正在绘制…',
  renderFailed: (r) => `无法绘制时序图：${r}`,
  overBudget: (s) => `绘制超过 ${s} 秒，已停止；请缩小范围再试。`,
  minimapPage: (p, f, t, a, r, x) => `第 ${p + 1} 页：报文段 ${f + 1}–${t}；${a} 个有标记（重传 ${r} 个，复位 ${x} 个）`,
  noConnections: '这个范围里没有 TCP 连接（时序图需要 tcpdump 或 tshark 的输出）。',
  grouped: '连接按两端地址归组；此版本未推断两端的状态。',
  scope: {
    document: (f, l) => `整个文档，第 ${f + 1}–${l + 1} 行`,
    block: (f, l) => `光标所在的输出段，第 ${f + 1}–${l + 1} 行`,
    selection: (f, l) => `选中的内容，第 ${f + 1}–${l + 1} 行`,
  },
  more: (n) => `……另有 ${n} 条`,
  local: '本地地址',
  remote: '对端地址',
  state: '状态',
  process: '进程',
  proto: '协议',
  line: '行',
  queues: 'Recv-Q / Send-Q',
  segmentLines: (f, l) => (f === l ? `第 ${f + 1} 行` : `第 ${f + 1}–${l + 1} 行`),
  outcome: { closed: '已关闭', reset: '被复位', refused: '被拒绝', unanswered: '无应答', open: '仍未关闭' },
  textbookNote: '教科书式的三次握手与四次挥手。打开 tcpdump 或 tshark 的抓包输出，在其上运行 TCP Lens 的 Explain 命令（编辑器右键菜单、CodeLens 或命令面板）即可看到你自己的连接。',
};

export function strings(lang: UiLang): Strings {
  return lang === 'zh-cn' ? ZH : EN;
}
