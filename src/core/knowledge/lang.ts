/**
 * Language helpers for the knowledge base. Every text in src/core/knowledge is a `Localized` pair; these helpers pick
 * one side and build pairs. Texts are light Markdown (bold, `code`, short lists); no raw HTML anywhere.
 */
import type { Lang, Localized } from '../model';

/** Every language the knowledge base is written in. */
export const LANGS: readonly Lang[] = ['en', 'zh-cn'];

/**
 * Map any locale tag to a language TCP Lens speaks: `zh`, `zh-CN`, `zh_cn`, `zh-Hans`, `zh-Hans-CN` (and other
 * Chinese tags, which read Simplified Chinese better than English) give `zh-cn`; everything else gives `en`.
 */
export function pickLang(lang: string | undefined | null): Lang {
  if (!lang) return 'en';
  const tag = lang.trim().toLowerCase();
  if (tag === 'zh' || tag.startsWith('zh-') || tag.startsWith('zh_')) return 'zh-cn';
  return 'en';
}

/** One side of a Localized text. */
export function tr(text: Localized, lang: Lang): string {
  return text[lang];
}

/** Build a Localized pair (English first). */
export function L(en: string, zh: string): Localized {
  return { en, 'zh-cn': zh };
}

/** Join Localized pieces side by side with a separator (both languages at once). */
export function joinL(parts: readonly Localized[], sep = '\n\n'): Localized {
  return {
    en: parts.map((p) => p.en).join(sep),
    'zh-cn': parts.map((p) => p['zh-cn']).join(sep),
  };
}

/** A byte count with its unit in the right language: `bytes(8, 'en')` = `8 bytes`, zh: `8 字节`. */
export function bytes(n: number, lang: Lang): string {
  if (lang === 'zh-cn') return `${n} 字节`;
  return n === 1 ? '1 byte' : `${n} bytes`;
}

/** A human size for a byte count: 1536 -> `1.5 KiB`. Exact below 1 KiB. */
export function humanBytes(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  if (abs < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  const s = v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
  return `${trimZeros(s)} ${units[u]}`;
}

/** `1.50` -> `1.5`, `2.00` -> `2`, `120` stays. */
function trimZeros(s: string): string {
  if (s.indexOf('.') < 0) return s;
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 48) end--;
  if (end > 0 && s.charCodeAt(end - 1) === 46) end--;
  return s.slice(0, end);
}

/** Seconds as a short duration: 131 -> `2 min 11 s`, 7200 -> `2 h`, 0.2 -> `200 ms`. */
export function humanSeconds(sec: number, lang: Lang): string {
  const zh = lang === 'zh-cn';
  if (sec < 1) return `${Math.round(sec * 1000)} ${zh ? '毫秒' : 'ms'}`;
  let rest = Math.round(sec);
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  const s = rest - m * 60;
  const parts: string[] = [];
  if (h) parts.push(zh ? `${h} 小时` : `${h} h`);
  if (m) parts.push(zh ? `${m} 分` : `${m} min`);
  if (s || parts.length === 0) parts.push(zh ? `${s} 秒` : `${s} s`);
  return parts.join(' ');
}

function isHan(c: number): boolean {
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf);
}

function isLatinEdge(c: number): boolean {
  // A-Z a-z 0-9 and the backtick that opens or closes inline code
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 96;
}

/**
 * Spacing for Chinese sentences assembled from pieces: one space between Han characters and Latin letters, digits
 * or inline code, and no space between two Han characters.
 */
export function zhSpacing(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 && out.length > 0 && i + 1 < text.length && isHan(out.charCodeAt(out.length - 1)) && isHan(text.charCodeAt(i + 1))) {
      continue;
    }
    if (out.length > 0) {
      const p = out.charCodeAt(out.length - 1);
      if ((isHan(p) && isLatinEdge(c)) || (isLatinEdge(p) && isHan(c))) out += ' ';
    }
    out += text[i];
  }
  return out;
}
