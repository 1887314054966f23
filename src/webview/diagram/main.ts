/**
 * The sequence-diagram webview. Mermaid is imported lazily (its own chunks), initialised with startOnLoad off and
 * securityLevel strict, and every source is parsed before it is rendered so a bad diagram reports an error instead of
 * leaving half an SVG behind.
 */
import type { DiagramViewState, HostMessage, WebviewMessage } from '../protocol';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): DiagramViewState | undefined;
  setState(state: DiagramViewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('diagram') as HTMLElement;
const titleEl = document.getElementById('title') as HTMLElement;
const statusEl = document.getElementById('status') as HTMLElement;

type Mermaid = (typeof import('mermaid'))['default'];
let mermaidPromise: Promise<Mermaid> | undefined;
let renderCount = 0;

function themeFromBody(): 'dark' | 'default' | 'neutral' {
  const classes = document.body.classList;
  if (classes.contains('vscode-high-contrast') && !classes.contains('vscode-high-contrast-light')) return 'dark';
  if (classes.contains('vscode-high-contrast-light')) return 'neutral';
  return classes.contains('vscode-dark') ? 'dark' : 'default';
}

function loadMermaid(): Promise<Mermaid> {
  mermaidPromise ??= import('mermaid').then((module) => {
    const mermaid = module.default;
    mermaid.initialize({
      startOnLoad: false,
      securityLevel: 'strict',
      theme: themeFromBody(),
      maxTextSize: 200_000,
      maxEdges: 2_000,
      sequence: { useMaxWidth: false, showSequenceNumbers: false },
      fontFamily: 'var(--vscode-editor-font-family, monospace)',
    });
    return mermaid;
  });
  return mermaidPromise;
}

async function render(source: string, title: string): Promise<void> {
  const id = `tcp-lens-diagram-${++renderCount}`;
  titleEl.textContent = title;
  statusEl.textContent = '';
  root.removeAttribute('data-rendered');
  try {
    const mermaid = await loadMermaid();
    await mermaid.parse(source);
    const { svg } = await mermaid.render(id, source);
    // Mermaid's strict mode sanitises labels; the SVG string is its own output, not the user's text.
    root.innerHTML = svg;
    root.setAttribute('data-rendered', 'true');
    vscode.postMessage({ type: 'rendered', ok: true });
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    statusEl.textContent = text;
    root.setAttribute('data-rendered', 'error');
    vscode.postMessage({ type: 'rendered', ok: false, error: text });
  }
}

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  if (message.type === 'showDiagram') {
    vscode.setState({ source: message.source, title: message.title, lang: message.lang });
    void render(message.source, message.title);
  }
});

const saved = vscode.getState();
if (saved?.source) void render(saved.source, saved.title ?? '');
vscode.postMessage({ type: 'ready' });
