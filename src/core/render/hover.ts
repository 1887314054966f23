/**
 * The hover "computer": given the analysed model, a position and the line's text, say what the token there means.
 * Pure core so it is unit-tested without VS Code and shared by every editor surface. On a packet line it also says
 * where the segment sits in its connection: which connection, which step, both ends' states before and after.
 */
import type { AnalysedModel } from '../analyse';
import { describeErrno, findErrnos } from '../knowledge/errno';
import { explainToken, type ExplainContext } from '../knowledge/index';
import { describePort } from '../knowledge/ports';
import { describeState, explainStateSpelling, lookupStateSpelling } from '../knowledge/states';
import { describeSysctl, lookupSysctl } from '../knowledge/sysctl';
import type { Block, Endpoint, Lang, Segment, SocketRow, Span, Token } from '../model';
import { recordIndexAt } from '../lines';
import { stepLabel } from '../tcp/connection';
import { canonicalState } from '../tcp/states';

/** A command link a hover may offer. The extension turns these into command URIs for an allow-listed set only. */
export interface HoverLink {
  readonly command: 'showDiagram' | 'stepThrough';
  readonly title: string;
  readonly args: { readonly connection: number; readonly line: number };
}

export interface HoverResult {
  readonly markdown: string;
  readonly span: Span;
  readonly links?: readonly HoverLink[];
}

function tokenAt(tokens: readonly Token[], line: number, character: number): Token | undefined {
  for (const t of tokens) {
    if (t.line === line && character >= t.start && character < t.end) return t;
  }
  return undefined;
}

export function hoverAt(model: AnalysedModel, lineText: string, line: number, character: number, lang: Lang): HoverResult | undefined {
  const socketIndex = recordIndexAt(model.sockets, line);
  if (socketIndex >= 0) {
    const socket = model.sockets[socketIndex]!;
    const token = tokenAt(socket.tokens, line, character);
    const text = token && socketTokenHover(socket, model.blocks[socket.block], token, lineText, lang);
    if (token && text) return { markdown: text, span: token };
  }
  const segmentIndex = recordIndexAt(model.segments, line);
  if (segmentIndex >= 0) {
    const segment = model.segments[segmentIndex]!;
    const token = tokenAt(segment.tokens, line, character);
    const text = token && segmentTokenHover(model, segmentIndex, segment, token, lineText, lang);
    if (token && text) {
      const context = connectionContext(model, segmentIndex, lang);
      return context
        ? { markdown: `${text}\n\n---\n\n${context.markdown}`, span: token, links: context.links }
        : { markdown: text, span: token };
    }
  }
  return wordHover(lineText, line, character, lang);
}

/** User text inside inline code: a backtick in it would end the span and let the rest be read as Markdown. */
export function inlineCode(text: string): string {
  return '`' + text.replace(/`/g, "'").replace(/[\r\n]/g, ' ') + '`';
}

function formatExplanation(e: { title: string; markdown: string } | undefined): string | undefined {
  if (!e) return undefined;
  return e.title ? `**${e.title}**\n\n${e.markdown}` : e.markdown;
}

function queueTool(block: Block | undefined): ExplainContext['tool'] {
  if (!block) return undefined;
  if (block.format === 'netstat-linux' && block.variant.includes('busybox')) return 'busybox';
  return block.format === 'tcpdump' || block.format === 'tshark' ? undefined : block.format;
}

function socketTokenHover(socket: SocketRow, block: Block | undefined, token: Token, lineText: string, lang: Lang): string | undefined {
  const text = lineText.slice(token.start, token.end);
  switch (token.kind) {
    case 'state':
      if (socket.state) return stateHover(socket.stateText, socket.state, lang);
      return explainStateSpelling(socket.stateText, lang) ?? unknownStateText(socket.stateText, lang);
    case 'localAddress':
      return endpointHover(socket.local, lang === 'zh-cn' ? '本端地址' : 'Local address', lang);
    case 'remoteAddress':
      return endpointHover(socket.remote, lang === 'zh-cn' ? '对端地址' : 'Peer address', lang);
    default: {
      const tool = queueTool(block);
      const ctx: ExplainContext & { name?: string } = {
        ...(socket.state ? { state: socket.state } : {}),
        ...(tool ? { tool } : {}),
        ...(token.kind === 'recvQ' && socket.sendQ !== undefined ? { otherQueue: socket.sendQ } : {}),
        ...(token.kind === 'sendQ' && socket.recvQ !== undefined ? { otherQueue: socket.recvQ } : {}),
        ...(token.name ? { name: token.name } : {}),
      };
      return formatExplanation(explainToken(token.kind, text, lang, ctx));
    }
  }
}

function endpointHover(endpoint: Endpoint, title: string, lang: Lang): string | undefined {
  const head = `**${title}** ${inlineCode(endpoint.address)}${endpoint.zone ? ` (${inlineCode('%' + endpoint.zone)})` : ''}`;
  if (endpoint.port === '*' || endpoint.port === 0) {
    const any =
      lang === 'zh-cn'
        ? '端口为 `*`（或 0）：还没有对端，这是监听或未连接的套接字。'
        : 'Port `*` (or 0): there is no peer yet; a listening or unconnected socket.';
    return `${head}\n\n${any}`;
  }
  const port = describePort(endpoint.port, lang);
  return port ? `${head}\n\n${port}` : head;
}

function segmentTokenHover(model: AnalysedModel, index: number, segment: Segment, token: Token, lineText: string, lang: Lang): string | undefined {
  const text = lineText.slice(token.start, token.end);
  switch (token.kind) {
    case 'srcEndpoint':
      return endpointHover(segment.src, lang === 'zh-cn' ? '发送方' : 'Sender', lang);
    case 'dstEndpoint':
      return endpointHover(segment.dst, lang === 'zh-cn' ? '接收方' : 'Receiver', lang);
    default: {
      const tcp = model.rebuild?.perSegment[index];
      const connection = tcp ? model.rebuild?.connections.find((c) => c.id === tcp.connection) : undefined;
      const sender = connection && tcp ? (tcp.fromClient ? connection.client : connection.server) : undefined;
      const ctx: ExplainContext & { name?: string } = {
        len: segment.len,
        source: segment.source,
        hasAck: segment.ack !== undefined,
        syn: segment.flags.includes('SYN'),
        flagStyle: segment.source === 'tshark' ? 'tshark' : text.includes('[') ? 'tcpdump' : 'tcpdump-3',
        ...(tcp?.windowScaled && sender?.wscale !== undefined ? { wscale: sender.wscale } : {}),
        ...(token.name ? { name: token.name } : {}),
      };
      return formatExplanation(explainToken(token.kind, text, lang, ctx));
    }
  }
}

/** Which connection a segment belongs to, its step, both ends' states before -> after, and the analysis flags. */
function connectionContext(model: AnalysedModel, index: number, lang: Lang): { markdown: string; links: HoverLink[] } | undefined {
  const tcp = model.rebuild?.perSegment[index];
  if (!tcp) return undefined;
  const connection = model.rebuild?.connections.find((c) => c.id === tcp.connection);
  if (!connection) return undefined;
  const zh = lang === 'zh-cn';
  const ep = (e: Endpoint): string => inlineCode(`${e.address}:${e.port}`);
  const mark = (certain: boolean): string => (certain ? '' : '~');
  const who = tcp.fromClient ? (zh ? '客户端 → 服务端' : 'client → server') : zh ? '服务端 → 客户端' : 'server → client';
  const lines = [
    zh
      ? `**连接 ${connection.id + 1}**：${ep(connection.client.endpoint)} → ${ep(connection.server.endpoint)}${connection.rolesGuessed ? '（客户端/服务端为推测）' : ''}，${who}，${stepLabel(tcp.step, lang)}`
      : `**Connection ${connection.id + 1}**: ${ep(connection.client.endpoint)} → ${ep(connection.server.endpoint)}${connection.rolesGuessed ? ' (roles guessed)' : ''}, ${who}, ${stepLabel(tcp.step, lang)}`,
    zh
      ? `客户端 ${mark(tcp.before.client.certain)}${tcp.before.client.state} → ${mark(tcp.after.client.certain)}${tcp.after.client.state}；服务端 ${mark(tcp.before.server.certain)}${tcp.before.server.state} → ${mark(tcp.after.server.certain)}${tcp.after.server.state}`
      : `Client ${mark(tcp.before.client.certain)}${tcp.before.client.state} → ${mark(tcp.after.client.certain)}${tcp.after.client.state}; server ${mark(tcp.before.server.certain)}${tcp.before.server.state} → ${mark(tcp.after.server.certain)}${tcp.after.server.state}`,
  ];
  if (!tcp.before.client.certain || !tcp.after.client.certain || !tcp.before.server.certain || !tcp.after.server.certain) {
    lines.push(zh ? '标 `~` 的状态是推断的：抓包只显示发出的报文。' : 'States marked `~` are inferred: a capture shows what was sent, not each stack.');
  }
  const analysis = model.segmentAnalysis[index] ?? [];
  if (analysis.length > 0) lines.push(`${zh ? '分析' : 'Analysis'}: ${analysis.map((a) => `\`${a}\``).join(', ')}`);
  const segment = model.segments[index]!;
  const links: HoverLink[] = [
    { command: 'showDiagram', title: zh ? '在时序图中显示' : 'Show in sequence diagram', args: { connection: connection.id, line: segment.line } },
    { command: 'stepThrough', title: zh ? '单步回放' : 'Step through', args: { connection: connection.id, line: segment.line } },
  ];
  return { markdown: lines.join('\n\n'), links };
}

function stateHover(printed: string, state: NonNullable<SocketRow['state']>, lang: Lang): string {
  const spelling = printed.toUpperCase() !== state ? explainStateSpelling(printed, lang) : undefined;
  return spelling ? `${spelling}\n\n---\n\n${describeState(state, lang)}` : describeState(state, lang);
}

function unknownStateText(printed: string, lang: Lang): string {
  return lang === 'zh-cn'
    ? `${inlineCode(printed)} 不是 TCP Lens 认识的状态名（可能是翻译后的写法）。它按原样保留，不计入任何状态统计。`
    : `${inlineCode(printed)} is not a state name TCP Lens knows (perhaps a translation). It is kept as printed and not counted as any state.`;
}

/**
 * Outside any record, users paste prose, sysctl.conf lines and error messages too: a bare state name, a sysctl key
 * and an errno name, number or message still get explained.
 */
function wordHover(lineText: string, line: number, character: number, lang: Lang): HoverResult | undefined {
  const sysctl = lookupSysctl(lineText);
  if (sysctl && character >= sysctl.keyStart && character < Math.max(sysctl.keyEnd, sysctl.valueEnd ?? 0)) {
    return {
      markdown: describeSysctl(sysctl.info, lang, sysctl.value),
      span: { line, start: sysctl.keyStart, end: sysctl.keyEnd },
    };
  }
  for (const match of findErrnos(lineText)) {
    if (character >= match.start && character < match.end) {
      return { markdown: describeErrno(match.info, lang), span: { line, start: match.start, end: match.end } };
    }
  }
  const word = wordAround(lineText, character);
  if (!word) return undefined;
  const text = lineText.slice(word.start, word.end);
  const state = canonicalState(text);
  if (state && lookupStateSpelling(text)) {
    return { markdown: stateHover(text, state, lang), span: { line, start: word.start, end: word.end } };
  }
  return undefined;
}

/** A state-like word: letters, digits, `_` and `-` (so `FIN_WAIT1`, `TIME-WAIT`, `ESTAB` are one word). */
function wordAround(lineText: string, character: number): { start: number; end: number } | undefined {
  const isWordChar = (c: number): boolean =>
    (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 45;
  if (character < 0 || character > lineText.length) return undefined;
  let start = character;
  let end = character;
  while (start > 0 && isWordChar(lineText.charCodeAt(start - 1))) start--;
  while (end < lineText.length && isWordChar(lineText.charCodeAt(end))) end++;
  if (end - start < 3 || end - start > 40) return undefined;
  return { start, end };
}
