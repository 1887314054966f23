/**
 * One entry point to the knowledge base. `explain(kind, key, lang, ctx)` returns a title and a Markdown body for a
 * hover, a finding or a report; `explainToken` does the same straight from a reader's token kind and text.
 * Everything is pure data and small functions: no vscode, no Node APIs.
 */
import type { Lang, TcpState, TokenKind } from '../model';
import { describeErrno, lookupErrno } from './errno';
import type { ErrnoPlatform } from './errno';
import {
  explainAck,
  explainChecksum,
  explainRecvQ,
  explainSendQ,
  explainSeq,
  explainTimer,
  explainWin,
  fieldInfo,
} from './fields';
import type { FieldId, QueueContext } from './fields';
import { describeFlagSet, flagInfo, lookupFlag } from './flags';
import type { FlagStyle } from './flags';
import { tr } from './lang';
import { explainTcpOption } from './options';
import { describePort } from './ports';
import { describeSocketOption, socketOptionInfo } from './socketOptions';
import { explainSsField, ssFieldInfo } from './ssInfo';
import { describeState, describeStateTransitions, explainStateSpelling, lookupStateSpelling } from './states';
import { describeSysctl, lookupSysctl } from './sysctl';

export { pickLang, tr, L, LANGS, zhSpacing } from './lang';
export * from './states';
export * from './transitions';
export * from './flags';
export * from './fields';
export * from './ssInfo';
export * from './options';
export * from './sysctl';
export * from './errno';
export * from './ports';
export * from './socketOptions';

export type KnowledgeKind =
  | 'state' // a printed state (ESTAB, FIN_WAIT1, LISTENING, CLOSE) or an RFC 9293 name
  | 'flags' // a flag set as printed: [S.], P., SYN, ACK, <None>
  | 'flag' // one flag: SYN, S, ., ECN
  | 'field' // a field id: seq, ack, win, urg, length, checksum, relative, recvQ, sendQ, timer, options, flags
  | 'seq' // a printed seq value: `seq 1:9`, `1:9`, `Seq=1`
  | 'ack' // a printed ack value: `ack 9`, `9`, `Ack=9`
  | 'win' // a printed window: `win 512`, `512`, `Win=65536`
  | 'checksum' // `cksum 0x1234 (incorrect -> 0x5678)`
  | 'recvQ' // a Recv-Q number (ctx.state, ctx.tool, ctx.otherQueue)
  | 'sendQ' // a Send-Q number
  | 'timer' // `timer:(on,200ms,0)` or `on (0.30/2/0)`
  | 'ssInfo' // an ss -i/-e/-m field: key `rtt` (value in ctx.value) or `rtt:0.24/0.112`
  | 'option' // a TCP option as printed: `mss 1460`, `WS=128`, `sack 1 {a:b}`
  | 'sysctl' // a key or a line: `tcp_fin_timeout`, `/proc/sys/...`, `net.ipv4.tcp_tw_reuse = 1`
  | 'errno' // ECONNRESET, 104, WSAECONNRESET, 10054, "Connection reset by peer"
  | 'port' // 22, `ssh`, `http-alt`
  | 'socketOption'; // SO_LINGER, TCP_NODELAY

export interface ExplainContext {
  /** The socket row's state, for Recv-Q/Send-Q (LISTEN rows mean something else in ss). */
  readonly state?: TcpState;
  /** The tool that printed a socket row. */
  readonly tool?: QueueContext['tool'];
  /** The row's other queue value (Send-Q when explaining Recv-Q and the reverse). */
  readonly otherQueue?: number;
  /** A segment's payload length, for flag sets. */
  readonly len?: number;
  /** How a flag set was printed; guessed from the text when absent. */
  readonly flagStyle?: FlagStyle;
  /** For tcpdump 3.x lines: the line carries an `ack N` field. */
  readonly hasAck?: boolean;
  /** The window scale this side announced on its SYN, for `win`. */
  readonly wscale?: number;
  /** Who printed a segment: tcpdump prints raw windows, tshark scaled ones. */
  readonly source?: 'tcpdump' | 'tshark';
  /** The segment is a SYN or SYN-ACK. */
  readonly syn?: boolean;
  /** The capturing host sent this packet (or it is loopback), for checksums. */
  readonly outgoing?: boolean;
  /** The value of an ss field or a sysctl, when the key holds only the name. */
  readonly value?: string;
  /** How to read errno numbers. */
  readonly platform?: ErrnoPlatform;
}

export interface Explanation {
  /** A short heading (Markdown inline code allowed). */
  readonly title: string;
  /** The body, light Markdown. */
  readonly markdown: string;
}

const FIELD_IDS: ReadonlySet<string> = new Set<FieldId>([
  'seq',
  'ack',
  'win',
  'urg',
  'length',
  'checksum',
  'relative',
  'recvQ',
  'sendQ',
  'timer',
  'options',
  'flags',
]);

function stripPrefix(text: string, prefixes: readonly string[]): string {
  const t = text.trim();
  for (const p of prefixes) if (t.startsWith(p)) return t.slice(p.length).trim();
  return t;
}

function intOf(text: string): number | undefined {
  let t = text.trim();
  if (t.endsWith(',')) t = t.slice(0, -1);
  return /^\d{1,10}$/.test(t) ? Number(t) : undefined;
}

/** Explain `key` of the given kind in `lang`; undefined when the key is not something the knowledge base knows. */
export function explain(kind: KnowledgeKind, key: string, lang: Lang, ctx: ExplainContext = {}): Explanation | undefined {
  const zh = lang === 'zh-cn';
  switch (kind) {
    case 'state': {
      const sp = lookupStateSpelling(key);
      if (!sp) return undefined;
      const spelling = explainStateSpelling(key, lang) ?? '';
      if (!sp.state) return { title: `\`${key.trim()}\``, markdown: spelling };
      const body = `${describeState(sp.state, lang)}\n\n${describeStateTransitions(sp.state, lang)}`;
      const markdown = sp.state === sp.text && !sp.note ? body : `${spelling}\n\n---\n\n${body}`;
      return { title: sp.state, markdown };
    }
    case 'flags': {
      const md = describeFlagSet(key, lang, { style: ctx.flagStyle, len: ctx.len, hasAck: ctx.hasAck });
      return md ? { title: zh ? `标志 \`${key.trim()}\`` : `Flags \`${key.trim()}\``, markdown: md } : undefined;
    }
    case 'flag': {
      const f = lookupFlag(key);
      return f ? { title: tr(f.name, lang), markdown: tr(flagInfo(f.flag).meaning, lang) } : undefined;
    }
    case 'field': {
      if (!FIELD_IDS.has(key)) return undefined;
      const f = fieldInfo(key as FieldId);
      return { title: tr(f.name, lang), markdown: tr(f.meaning, lang) };
    }
    case 'seq': {
      const v = explainSeq(key, lang);
      if (!v) return undefined;
      return { title: tr(fieldInfo('seq').name, lang), markdown: `${v}\n\n${tr(fieldInfo('seq').meaning, lang)}` };
    }
    case 'ack': {
      const n = intOf(stripPrefix(key, ['ack ', 'Ack=']));
      if (n === undefined) return undefined;
      return {
        title: tr(fieldInfo('ack').name, lang),
        markdown: `${explainAck(n, lang)}\n\n${tr(fieldInfo('ack').meaning, lang)}`,
      };
    }
    case 'win': {
      const tshark = key.trim().startsWith('Win=');
      const n = intOf(stripPrefix(key, ['win ', 'Win=']));
      if (n === undefined) return undefined;
      const w = explainWin(n, lang, {
        wscale: ctx.wscale,
        source: ctx.source ?? (tshark ? 'tshark' : 'tcpdump'),
        syn: ctx.syn,
      });
      return { title: tr(fieldInfo('win').name, lang), markdown: `${w.text}\n\n${tr(fieldInfo('win').meaning, lang)}` };
    }
    case 'checksum': {
      const v = explainChecksum(key, lang, { outgoing: ctx.outgoing });
      return v ? { title: tr(fieldInfo('checksum').name, lang), markdown: v } : undefined;
    }
    case 'recvQ':
    case 'sendQ': {
      const n = intOf(key);
      if (n === undefined) return undefined;
      const q = { state: ctx.state, tool: ctx.tool, other: ctx.otherQueue };
      const text = kind === 'recvQ' ? explainRecvQ(n, lang, q) : explainSendQ(n, lang, q);
      const f = fieldInfo(kind);
      return { title: tr(f.name, lang), markdown: `${text}\n\n${tr(f.meaning, lang)}` };
    }
    case 'timer': {
      const v = explainTimer(key, lang);
      return v ? { title: tr(fieldInfo('timer').name, lang), markdown: v } : undefined;
    }
    case 'ssInfo': {
      const t = key.trim();
      let name = t;
      let value = ctx.value;
      const info = ssFieldInfo(t);
      if (!info) {
        // `name:value`, `name value` (send, pacing_rate, delivery_rate), or `skmem:(...)`
        const colon = t.indexOf(':');
        const space = t.indexOf(' ');
        const cut = colon > 0 && (space < 0 || colon < space) ? colon : space;
        if (cut <= 0) return undefined;
        name = t.slice(0, cut);
        value = t.slice(cut + 1);
      }
      const md = explainSsField(name, value, lang);
      return md ? { title: `\`${ssFieldInfo(name)?.name ?? name}\``, markdown: md } : undefined;
    }
    case 'option': {
      const md = explainTcpOption(key, lang);
      return md ? { title: zh ? `TCP 选项 \`${key.trim()}\`` : `TCP option \`${key.trim()}\``, markdown: md } : undefined;
    }
    case 'sysctl': {
      const m = lookupSysctl(key);
      if (!m) return undefined;
      const value = m.value ?? ctx.value;
      return { title: `\`${m.info.key}\``, markdown: describeSysctl(m.info, lang, value) };
    }
    case 'errno': {
      const e = lookupErrno(key, ctx.platform);
      return e ? { title: `\`${e.name}\``, markdown: describeErrno(e, lang) } : undefined;
    }
    case 'port': {
      const md = describePort(key.trim(), lang);
      return md ? { title: zh ? `端口 \`${key.trim()}\`` : `Port \`${key.trim()}\``, markdown: md } : undefined;
    }
    case 'socketOption': {
      const o = socketOptionInfo(key);
      return o ? { title: `\`${o.name}\``, markdown: describeSocketOption(o, lang) } : undefined;
    }
  }
}

/** The port at the end of an endpoint as printed: `127.0.0.1:8080`, `[::1]:22`, `::1.47368`, `host.ssh`, `*.*`. */
export function endpointPort(text: string): string | undefined {
  const t = text.trim();
  const cut = Math.max(t.lastIndexOf(':'), t.lastIndexOf('.'));
  if (cut < 0 || cut === t.length - 1) return undefined;
  const p = t.slice(cut + 1);
  return p === '*' ? undefined : p;
}

/**
 * Explain a token straight from a reader: its kind, its text as printed and what the hover knows about the row or
 * segment. Undefined for token kinds the knowledge base has nothing to say about (time, frame number, ...).
 */
export function explainToken(kind: TokenKind, text: string, lang: Lang, ctx: ExplainContext & { readonly name?: string } = {}): Explanation | undefined {
  switch (kind) {
    case 'state':
      return explain('state', text, lang, ctx);
    case 'flags':
      return explain('flags', text, lang, ctx);
    case 'seq':
      return explain('seq', text, lang, ctx);
    case 'ack':
      return explain('ack', text, lang, ctx);
    case 'win':
      return explain('win', text, lang, ctx);
    case 'checksum':
      return explain('checksum', text, lang, ctx);
    case 'recvQ':
      return explain('recvQ', text, lang, ctx);
    case 'sendQ':
      return explain('sendQ', text, lang, ctx);
    case 'timer':
      return explain('timer', text, lang, ctx);
    case 'option':
      return explain('option', text, lang, ctx);
    case 'ssInfo':
      return explain('ssInfo', ctx.name && !text.startsWith(ctx.name) ? `${ctx.name}:${text}` : text, lang, ctx);
    case 'urg':
    case 'length': {
      const f = fieldInfo(kind);
      const n = intOf(stripPrefix(text, ['urg ', 'length ', 'Len=']));
      const zh = lang === 'zh-cn';
      const head =
        n === undefined
          ? ''
          : kind === 'length'
            ? zh
              ? `本报文带 ${n} 字节 TCP 负载。\n\n`
              : `${n} byte${n === 1 ? '' : 's'} of TCP payload in this segment.\n\n`
            : zh
              ? `紧急指针 ${n}。\n\n`
              : `Urgent pointer ${n}.\n\n`;
      return { title: tr(f.name, lang), markdown: head + tr(f.meaning, lang) };
    }
    case 'localAddress':
    case 'remoteAddress':
    case 'srcEndpoint':
    case 'dstEndpoint': {
      const port = endpointPort(text);
      return port ? explain('port', port, lang, ctx) : undefined;
    }
    default:
      return undefined;
  }
}
