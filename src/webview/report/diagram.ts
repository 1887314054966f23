/**
 * Mermaid in the report webview: loaded lazily (its own chunks, only when a panel shows a diagram), initialised with
 * startOnLoad off and securityLevel strict, every source parsed before it is rendered, a render budget, and
 * single-flight rendering: while one diagram renders, only the newest request waits; the ones it replaced are never
 * drawn (paging quickly through a 10,000-segment connection costs one render, not a hundred).
 */
import type { ArrowView, DiagramView } from '../protocol';

type Mermaid = (typeof import('mermaid'))['default'];

/** A page that takes longer than this is abandoned (mermaid cannot be interrupted, but its result is dropped). */
export const RENDER_BUDGET_MS = 10_000;

export type MermaidTheme = 'default' | 'dark' | 'neutral' | 'base';

/** VS Code puts the theme kind on the body: vscode-light, vscode-dark, vscode-high-contrast(-light). */
export function themeFromBody(body: HTMLElement = document.body): MermaidTheme {
  const c = body.classList;
  if (c.contains('vscode-high-contrast-light')) return 'neutral';
  if (c.contains('vscode-high-contrast')) return 'dark';
  return c.contains('vscode-dark') ? 'dark' : 'default';
}

let mermaidModule: Promise<Mermaid> | undefined;
let initialisedTheme: MermaidTheme | undefined;

async function mermaidFor(theme: MermaidTheme): Promise<Mermaid> {
  mermaidModule ??= import('mermaid').then((m) => m.default);
  const mermaid = await mermaidModule;
  if (initialisedTheme !== theme) {
    mermaid.initialize({
      startOnLoad: false,
      securityLevel: 'strict',
      theme,
      // A 100-segment page is ~15 KB of source; these limits only stop something far outside what we generate.
      maxTextSize: 300_000,
      maxEdges: 2_000,
      suppressErrorRendering: true,
      fontFamily: 'var(--vscode-font-family, sans-serif)',
      sequence: {
        useMaxWidth: false,
        showSequenceNumbers: false,
        wrap: false,
        mirrorActors: true,
        messageMargin: 30,
        noteMargin: 6,
        boxMargin: 6,
        // VS Code's own UI size: narrower ladders that need less scaling to fit a side panel.
        messageFontSize: 13,
        noteFontSize: 13,
        actorFontSize: 13,
        actorMargin: 40,
      },
    });
    initialisedTheme = theme;
  }
  return mermaid;
}

export interface RenderResult {
  readonly ok: boolean;
  readonly ms: number;
  readonly error?: string;
  /** A newer diagram replaced this one before it was drawn. */
  readonly superseded?: boolean;
}

export class DiagramRenderer {
  private pending: DiagramView | undefined;
  private running = false;
  private counter = 0;

  constructor(
    private readonly container: HTMLElement,
    private readonly onDone: (view: DiagramView, result: RenderResult) => void,
    private readonly onStart: (view: DiagramView) => void,
  ) {}

  /** Queue a diagram; replaces any diagram still waiting. */
  request(view: DiagramView): void {
    this.pending = view;
    if (!this.running) void this.pump();
  }

  private async pump(): Promise<void> {
    this.running = true;
    try {
      while (this.pending) {
        const view = this.pending;
        this.pending = undefined;
        this.onStart(view);
        const result = await this.renderOne(view);
        this.onDone(view, result);
      }
    } finally {
      this.running = false;
    }
  }

  private async renderOne(view: DiagramView): Promise<RenderResult> {
    const t0 = performance.now();
    const id = `tl-diagram-${++this.counter}`;
    try {
      const mermaid = await mermaidFor(themeFromBody());
      if (this.pending) return { ok: false, ms: performance.now() - t0, superseded: true };
      await mermaid.parse(view.source);
      if (this.pending) return { ok: false, ms: performance.now() - t0, superseded: true };
      const svg = await withBudget(mermaid.render(id, view.source), RENDER_BUDGET_MS);
      if (svg === undefined) return { ok: false, ms: performance.now() - t0, error: 'budget' };
      if (this.pending) return { ok: false, ms: performance.now() - t0, superseded: true };
      // Mermaid's strict mode sanitises the SVG; its labels are entity-coded text TCP Lens generated.
      this.container.innerHTML = svg;
      const ms = performance.now() - t0;
      this.container.setAttribute('data-rendered', 'true');
      this.container.setAttribute('data-key', String(view.key));
      return { ok: true, ms };
    } catch (error) {
      this.container.setAttribute('data-rendered', 'error');
      // Mermaid leaves its scratch element behind when rendering fails.
      document.getElementById(`d${id}`)?.remove();
      return { ok: false, ms: performance.now() - t0, error: error instanceof Error ? error.message : String(error) };
    }
  }
}

async function withBudget(work: Promise<{ svg: string }>, budgetMs: number): Promise<string | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), budgetMs);
  });
  try {
    const result = await Promise.race([work, late]);
    return result?.svg;
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Arrows: the n-th message of the source is the n-th `.messageLine*` of the SVG; mermaid writes each line of a
// message's label as its own `.messageText` just before that message's line element.

export interface ArrowElements {
  /** The label's lines (one, or two for a marked segment). */
  readonly texts: readonly SVGTextElement[];
  readonly line: SVGGraphicsElement;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * Tag every arrow with its index, its kind (so CSS can colour anomalies and resets) and a wide transparent hit
 * line, and make its label focusable. Returns the elements by arrow index, or undefined when the SVG does not have
 * one message per arrow (then the diagram is shown without click-to-reveal rather than with wrong links).
 */
export function decorateArrows(svg: SVGSVGElement, arrows: readonly ArrowView[], label: (i: number) => string): ArrowElements[] | undefined {
  const groups: { texts: SVGTextElement[]; line: SVGGraphicsElement }[] = [];
  let texts: SVGTextElement[] = [];
  for (const el of svg.querySelectorAll<SVGGraphicsElement>('text.messageText, .messageLine0, .messageLine1')) {
    if (el.tagName.toLowerCase() === 'text') {
      texts.push(el as SVGTextElement);
    } else {
      groups.push({ texts, line: el });
      texts = [];
    }
  }
  if (groups.length !== arrows.length || groups.some((g) => g.texts.length === 0)) return undefined;
  groups.forEach((group, i) => {
    const arrow = arrows[i]!;
    for (const el of [...group.texts, group.line]) {
      el.setAttribute('data-arrow', String(i));
      el.classList.add('tl-arrow', `tl-${arrow.kind}`);
    }
    const first = group.texts[0]!;
    first.setAttribute('tabindex', '0');
    first.setAttribute('role', 'button');
    first.setAttribute('aria-label', `${group.texts.map((t) => t.textContent ?? '').join(' ')} (${label(i)})`);
    const hit = group.line.cloneNode(false) as SVGGraphicsElement;
    hit.removeAttribute('marker-end');
    hit.removeAttribute('marker-start');
    hit.removeAttribute('style');
    hit.setAttribute('class', 'tl-hit');
    hit.setAttribute('data-arrow', String(i));
    group.line.after(hit);
  });
  return groups;
}

// ---------------------------------------------------------------------------------------------------------------
// Export

/** A standalone copy of the diagram: explicit size, namespace, fonts resolved (an SVG file cannot see VS Code's CSS). */
export function standaloneSvg(svg: SVGSVGElement): { text: string; width: number; height: number } {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  for (const hit of clone.querySelectorAll('.tl-hit')) hit.remove();
  const box = svg.viewBox.baseVal;
  const width = Math.ceil(box && box.width > 0 ? box.width : svg.getBoundingClientRect().width);
  const height = Math.ceil(box && box.height > 0 ? box.height : svg.getBoundingClientRect().height);
  clone.setAttribute('xmlns', SVG_NS);
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  const font = getComputedStyle(document.body).getPropertyValue('--vscode-font-family').trim() || 'sans-serif';
  const background = getComputedStyle(document.body).backgroundColor || '#ffffff';
  const bg = document.createElementNS(SVG_NS, 'rect');
  bg.setAttribute('x', String(box ? box.x : 0));
  bg.setAttribute('y', String(box ? box.y : 0));
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', background);
  clone.insertBefore(bg, clone.firstChild);
  let text = new XMLSerializer().serializeToString(clone);
  // CSS variables only resolve inside the webview; a file needs the values.
  text = text.replace(/var\(--vscode-font-family, sans-serif\)/g, font.replace(/[<>&]/g, '').replace(/"/g, "'"));
  return { text, width, height };
}

/** Rasterise the standalone SVG to a PNG data URL (the SVG is loaded as a data: image, which the CSP allows). */
export async function svgToPng(svg: SVGSVGElement, scale = 2): Promise<string> {
  const { text, width, height } = standaloneSvg(svg);
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  const img = new Image();
  img.src = `data:image/svg+xml;base64,${btoa(binary)}`;
  await img.decode();
  // Canvas limits: keep each side under 16k pixels.
  const factor = Math.min(scale, 16_000 / Math.max(1, width), 16_000 / Math.max(1, height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.floor(width * factor));
  canvas.height = Math.max(1, Math.floor(height * factor));
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  ctx.scale(factor, factor);
  ctx.drawImage(img, 0, 0, width, height);
  return canvas.toDataURL('image/png');
}
