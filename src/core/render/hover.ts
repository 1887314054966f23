/**
 * The hover "computer": given the analysed model, a position and the line's text, say what the token there means.
 * Pure core so it is unit-tested without VS Code and shared by every editor surface.
 */
import type { AnalysedModel } from '../analyse';
import { describeErrno, findErrnos } from '../knowledge/errno';
import { describeFlagSet, type FlagStyle } from '../knowledge/flags';
import { explainTcpOption } from '../knowledge/options';
import { describePort } from '../knowledge/ports';
import { describeState, explainStateSpelling, lookupStateSpelling } from '../knowledge/states';
import { describeSysctl, lookupSysctl } from '../knowledge/sysctl';
import type { Endpoint, Lang, Segment, SocketRow, Span, Token } from '../model';
import { canonicalState } from '../tcp/states';

export interface HoverResult {
  readonly markdown: string;
  readonly span: Span;
}

/** Find the record (socket row or segment) whose lines contain `line`, by binary search: records are in line order. */
function recordAt<T extends { readonly line: number; readonly lastLine: number }>(records: readonly T[], line: number): T | undefined {
  let lo = 0;
  let hi = records.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = records[mid]!;
    if (line < r.line) hi = mid - 1;
    else if (line > r.lastLine) lo = mid + 1;
    else return r;
  }
  return undefined;
}

function tokenAt(tokens: readonly Token[], line: number, character: number): Token | undefined {
  for (const t of tokens) {
    if (t.line === line && character >= t.start && character < t.end) return t;
  }
  return undefined;
}

export function hoverAt(model: AnalysedModel, lineText: string, line: number, character: number, lang: Lang): HoverResult | undefined {
  const socket = recordAt(model.sockets, line);
  if (socket) {
    const token = tokenAt(socket.tokens, line, character);
    const text = token && socketTokenHover(socket, token, lineText, lang);
    if (token && text) return { markdown: text, span: token };
  }
  const segment = recordAt(model.segments, line);
  if (segment) {
    const token = tokenAt(segment.tokens, line, character);
    const text = token && segmentTokenHover(segment, token, lineText, lang);
    if (token && text) return { markdown: text, span: token };
  }
  return wordHover(lineText, line, character, lang);
}

function socketTokenHover(socket: SocketRow, token: Token, _lineText: string, lang: Lang): string | undefined {
  switch (token.kind) {
    case 'state':
      if (socket.state) return stateHover(socket.stateText, socket.state, lang);
      return explainStateSpelling(socket.stateText, lang) ?? unknownStateText(socket.stateText, lang);
    case 'localAddress':
      return endpointHover(socket.local, lang === 'zh-cn' ? '本端地址' : 'Local address', lang);
    case 'remoteAddress':
      return endpointHover(socket.remote, lang === 'zh-cn' ? '对端地址' : 'Peer address', lang);
    default:
      return undefined;
  }
}

function endpointHover(endpoint: Endpoint, title: string, lang: Lang): string | undefined {
  const head = `**${title}** \`${endpoint.address}\`${endpoint.zone ? ` (%${endpoint.zone})` : ''}`;
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

function segmentTokenHover(segment: Segment, token: Token, lineText: string, lang: Lang): string | undefined {
  if (token.kind === 'flags') {
    const text = lineText.slice(token.start, token.end);
    const style: FlagStyle = segment.source === 'tshark' ? 'tshark' : text.startsWith('[') ? 'tcpdump' : 'tcpdump-3';
    return describeFlagSet(text, lang, { style, len: segment.len, hasAck: segment.ack !== undefined });
  }
  switch (token.kind) {
    case 'option':
      return explainTcpOption(lineText.slice(token.start, token.end), lang);
    case 'srcEndpoint':
      return endpointHover(segment.src, lang === 'zh-cn' ? '发送方' : 'Sender', lang);
    case 'dstEndpoint':
      return endpointHover(segment.dst, lang === 'zh-cn' ? '接收方' : 'Receiver', lang);
    default:
      return undefined;
  }
}

function stateHover(printed: string, state: NonNullable<SocketRow['state']>, lang: Lang): string {
  const spelling = printed.toUpperCase() !== state ? explainStateSpelling(printed, lang) : undefined;
  return spelling ? `${spelling}\n\n---\n\n${describeState(state, lang)}` : describeState(state, lang);
}

function unknownStateText(printed: string, lang: Lang): string {
  return lang === 'zh-cn'
    ? `\`${printed}\` 不是 TCP Lens 认识的状态名（可能是翻译后的写法）。它按原样保留，不计入任何状态统计。`
    : `\`${printed}\` is not a state name TCP Lens knows (perhaps a translation). It is kept as printed and not counted as any state.`;
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
