/**
 * The "copy the suggested change" snippet of a finding: the sysctl keys and socket options its fix names, as a
 * sysctl.conf fragment and setsockopt() lines the user can review and apply. TCP Lens never applies them itself.
 *
 * Only keys the knowledge base knows are taken (a typo in a fix never becomes a setting); a value is written only
 * where the fix itself gives one (`net.ipv4.tcp_tw_reuse=1`); other keys are listed commented out with their default.
 */
import { sysctlInfo } from '../knowledge/sysctl';
import { socketOptionInfo } from '../knowledge/socketOptions';
import type { Finding, Lang } from '../model';

export interface FixSnippet {
  /** The text for the clipboard. */
  readonly text: string;
  /** Short name of what is in it, for a menu title: `net.ipv4.tcp_tw_reuse=1`, `SO_LINGER`. */
  readonly what: string;
  readonly sysctls: readonly { readonly key: string; readonly value?: string }[];
  readonly socketOptions: readonly string[];
}

const SYSCTL_ROOTS = ['net.', 'kernel.', 'vm.', 'fs.'];

function isKeyChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 46; // a-z 0-9 _ .
}

function isUpperWordChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95; // A-Z 0-9 _
}

function isBoundary(text: string, i: number): boolean {
  if (i <= 0) return true;
  const c = text.charCodeAt(i - 1);
  return !(isKeyChar(c) || isUpperWordChar(c));
}

/** sysctl keys (with the value the text assigns, if any), in order of first mention. */
export function sysctlMentions(text: string): { key: string; value?: string }[] {
  const out: { key: string; value?: string }[] = [];
  const seen = new Map<string, number>();
  for (const root of SYSCTL_ROOTS) {
    let from = 0;
    for (;;) {
      const at = text.indexOf(root, from);
      if (at < 0) break;
      from = at + root.length;
      if (!isBoundary(text, at)) continue;
      let end = at;
      while (end < text.length && isKeyChar(text.charCodeAt(end))) end++;
      // A sentence may end right after the key.
      while (end > at && text.charCodeAt(end - 1) === 46) end--;
      const key = text.slice(at, end);
      if (!sysctlInfo(key)) continue;
      const value = assignedValue(text, end);
      const known = seen.get(key);
      if (known !== undefined) {
        if (value !== undefined && out[known]!.value === undefined) out[known] = { key, value };
        continue;
      }
      seen.set(key, out.length);
      out.push(value !== undefined ? { key, value } : { key });
    }
  }
  // Keep the order the text mentions them in.
  return out.sort((a, b) => text.indexOf(a.key) - text.indexOf(b.key));
}

/** `=1`, ` = 1`, `=1024 65535` right after a key: digits and single spaces between numbers. */
function assignedValue(text: string, i: number): string | undefined {
  let j = i;
  while (j < text.length && text.charCodeAt(j) === 32) j++;
  if (text.charCodeAt(j) !== 61) return undefined; // =
  j++;
  while (j < text.length && text.charCodeAt(j) === 32) j++;
  const start = j;
  let end = j;
  for (;;) {
    let k = end;
    while (k < text.length && text.charCodeAt(k) >= 48 && text.charCodeAt(k) <= 57) k++;
    if (k === end) break;
    end = k;
    // One space followed by another number continues the value (port ranges, memory triples).
    if (text.charCodeAt(k) === 32 && text.charCodeAt(k + 1) >= 48 && text.charCodeAt(k + 1) <= 57) end = k + 1;
    else break;
  }
  return end > start ? text.slice(start, end).trim() : undefined;
}

/** Socket option names (SO_LINGER, TCP_NODELAY, ...) the knowledge base knows, in order of first mention. */
export function socketOptionMentions(text: string): string[] {
  const out: string[] = [];
  for (const prefix of ['SO_', 'TCP_', 'IP_', 'IPV6_']) {
    let from = 0;
    for (;;) {
      const at = text.indexOf(prefix, from);
      if (at < 0) break;
      from = at + prefix.length;
      if (!isBoundary(text, at)) continue;
      let end = at;
      while (end < text.length && isUpperWordChar(text.charCodeAt(end))) end++;
      const name = text.slice(at, end);
      const info = socketOptionInfo(name);
      if (info && !out.includes(info.name)) out.push(info.name);
    }
  }
  return out.sort((a, b) => text.indexOf(a) - text.indexOf(b));
}

const T = {
  header: {
    en: (code: string, line: number) => `# TCP Lens: the change suggested for ${code} (line ${line}). Review it first: TCP Lens never changes system files.`,
    'zh-cn': (code: string, line: number) => `# TCP Lens：针对 ${code}（第 ${line} 行）建议的修改。请先确认再使用：TCP Lens 从不修改系统文件。`,
  },
  sysctlHow: {
    en: '# Linux: put the lines in /etc/sysctl.d/90-tcp-lens.conf and load them with `sysctl --system` (or try one with `sysctl -w key=value`).',
    'zh-cn': '# Linux：把这些行写入 /etc/sysctl.d/90-tcp-lens.conf，再用 `sysctl --system` 加载（或用 `sysctl -w key=value` 临时试一个）。',
  },
  defaultNote: {
    en: '(the default; the fix names this key: choose the value for your system)',
    'zh-cn': '（默认值；修复建议提到了这个参数，请按你的系统选择取值）',
  },
  socketHow: {
    en: '# Socket options are set in the application, per socket:',
    'zh-cn': '# 套接字选项在应用程序里对每个套接字设置：',
  },
} as const;

/** The snippet for one finding, or undefined when its fix names no setting. */
export function fixSnippet(finding: Finding, lang: Lang): FixSnippet | undefined {
  // Keys and option names are the same in every language; read them from the English text (and the cause).
  const source = `${finding.fix?.en ?? ''}\n${finding.cause?.en ?? ''}`;
  const sysctls = sysctlMentions(source);
  const socketOptions = socketOptionMentions(source);
  if (sysctls.length === 0 && socketOptions.length === 0) return undefined;
  const line = (finding.lines[0] ?? 0) + 1;
  const out: string[] = [T.header[lang](finding.code, line)];
  if (sysctls.length > 0) {
    out.push(T.sysctlHow[lang]);
    for (const s of sysctls) {
      if (s.value !== undefined) out.push(`${s.key} = ${s.value}`);
      else out.push(`# ${s.key} = ${sysctlInfo(s.key)?.default ?? ''}  ${T.defaultNote[lang]}`);
    }
  }
  if (socketOptions.length > 0) {
    out.push(T.socketHow[lang]);
    for (const name of socketOptions) {
      const info = socketOptionInfo(name)!;
      const c = info.code.c;
      out.push(c ? `//   ${c.split('\n').join('\n//   ')}` : `//   setsockopt(fd, ${info.level}, ${info.name}, ...);`);
    }
  }
  const assigned = sysctls.find((s) => s.value !== undefined);
  const what = assigned ? `${assigned.key}=${assigned.value}` : sysctls[0]?.key ?? socketOptions[0]!;
  return { text: out.join('\n') + '\n', what, sysctls, socketOptions };
}
