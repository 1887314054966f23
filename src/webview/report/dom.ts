/**
 * DOM building for the report webview. Text from the host (which may quote the user's log: process names,
 * addresses, unparsed lines) only ever becomes `textContent` or attribute values set through the DOM API — never
 * markup. The one exception in the panel is mermaid's SVG, which is mermaid's own output under securityLevel strict
 * rendered from source TCP Lens generated (see diagram.ts).
 */

type Child = Node | string | null | undefined | false;

export interface Props {
  readonly class?: string;
  readonly id?: string;
  readonly title?: string;
  readonly role?: string;
  readonly tabIndex?: number;
  readonly attrs?: Readonly<Record<string, string>>;
  readonly onClick?: (event: MouseEvent) => void;
  readonly onKey?: (event: KeyboardEvent) => void;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.class) el.className = props.class;
  if (props.id) el.id = props.id;
  if (props.title) el.title = props.title;
  if (props.role) el.setAttribute('role', props.role);
  if (props.tabIndex !== undefined) el.tabIndex = props.tabIndex;
  if (props.attrs) for (const [k, v] of Object.entries(props.attrs)) el.setAttribute(k, v);
  const onClick = props.onClick;
  const onKey = props.onKey;
  if (onClick) el.addEventListener('click', (e) => onClick(e as MouseEvent));
  if (onKey) el.addEventListener('keydown', (e) => onKey(e as KeyboardEvent));
  append(el, ...children);
  return el;
}

export function append(el: Element, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

export function button(label: string, onClick: () => void, props: Props = {}): HTMLButtonElement {
  const b = h('button', { ...props, onClick: () => onClick() }, label);
  b.type = 'button';
  return b;
}

/** Enter or Space on a focusable non-button element acts like a click. */
export function activateOnKey(el: HTMLElement, action: () => void): void {
  el.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      action();
    }
  });
}

/** `1–12, 40, 41–45 …` from 0-based lines (shown 1-based). */
export function lineRangesText(lines: readonly number[], max = 4): string {
  const parts: string[] = [];
  let i = 0;
  while (i < lines.length) {
    let j = i;
    while (j + 1 < lines.length && lines[j + 1] === lines[j]! + 1) j++;
    if (parts.length === max) {
      parts.push('…');
      break;
    }
    parts.push(j > i ? `${lines[i]! + 1}–${lines[j]! + 1}` : `${lines[i]! + 1}`);
    i = j + 1;
  }
  return parts.join(', ');
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}

export function formatSeconds(s: number | undefined): string {
  if (s === undefined) return '–';
  if (s >= 1) return `${Number(s.toFixed(3))} s`;
  const ms = s * 1000;
  if (ms >= 1) return `${Number(ms.toFixed(1))} ms`;
  return `${Number((ms * 1000).toFixed(0))} µs`;
}

export function formatMs(ms: number | undefined): string {
  return ms === undefined ? '–' : formatSeconds(ms / 1000);
}
