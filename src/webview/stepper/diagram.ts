/**
 * The RFC 9293 state diagram as SVG, built once from fixed coordinates. Highlighting a step only toggles classes:
 * nothing is laid out again, so stepping stays instant however fast the learner presses the arrow keys.
 */
import type { TcpState } from '../../core/model';
import { diagramEdges, edgeId, NODE_HEIGHT, NODE_WIDTH, NODES, nodeFor, VIEW_HEIGHT, VIEW_WIDTH } from '../../core/stepper/layout';

const SVG = 'http://www.w3.org/2000/svg';

function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>, parent?: Element): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  parent?.appendChild(node);
  return node;
}

export interface StateDiagram {
  readonly svg: SVGSVGElement;
  /** Mark each end's current state and the transition it just took. */
  highlight(ends: { client: { state: TcpState; from?: TcpState }; server: { state: TcpState; from?: TcpState } }): void;
}

export function buildStateDiagram(title: string): StateDiagram {
  const svg = el('svg', { viewBox: `0 0 ${VIEW_WIDTH} ${VIEW_HEIGHT}`, role: 'img', class: 'state-diagram' });
  const titleEl = el('title', {}, svg);
  titleEl.textContent = title;
  const defs = el('defs', {}, svg);
  for (const kind of ['plain', 'client', 'server']) {
    const marker = el('marker', { id: `arrow-${kind}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, defs);
    el('path', { d: 'M0,0 L10,5 L0,10 z', class: `arrowhead arrowhead-${kind}` }, marker);
  }
  const edgeLayer = el('g', { class: 'edges' }, svg);
  const edges = new Map<string, SVGGElement>();
  for (const e of diagramEdges()) {
    const g = el('g', { class: e.inFigure ? 'edge' : 'edge edge-extra', 'data-edge': e.id }, edgeLayer);
    el('path', { d: e.path, class: 'edge-line', 'marker-end': 'url(#arrow-plain)' }, g);
    const text = el('text', { x: e.labelX, y: e.labelY - (e.labels.length - 1) * 6, class: 'edge-label', 'text-anchor': 'middle' }, g);
    e.labels.forEach((label, i) => {
      const span = el('tspan', { x: e.labelX, dy: i === 0 ? 0 : 12 }, text);
      span.textContent = label;
    });
    edges.set(e.id, g);
  }
  const nodeLayer = el('g', { class: 'nodes' }, svg);
  const nodes = new Map<string, SVGGElement>();
  for (const n of NODES) {
    const g = el('g', { class: 'node', 'data-node': n.id, 'data-state': n.state }, nodeLayer);
    el('rect', { x: n.x - NODE_WIDTH / 2, y: n.y - NODE_HEIGHT / 2, width: NODE_WIDTH, height: NODE_HEIGHT, rx: 8 }, g);
    const label = el('text', { x: n.x, y: n.y + 5, 'text-anchor': 'middle', class: 'node-label' }, g);
    label.textContent = n.state;
    nodes.set(n.id, g);
  }

  return {
    svg,
    highlight(ends) {
      for (const g of nodes.values()) g.classList.remove('current-client', 'current-server');
      for (const g of edges.values()) g.classList.remove('taken-client', 'taken-server');
      for (const side of ['client', 'server'] as const) {
        const { state, from } = ends[side];
        nodes.get(nodeFor(state, from))?.classList.add(`current-${side}`);
        if (from !== undefined && from !== state) {
          const edge = edges.get(edgeId(from, state));
          if (edge) {
            edge.classList.add(`taken-${side}`);
            edge.querySelector('path')?.setAttribute('marker-end', `url(#arrow-${side})`);
          }
        }
      }
      for (const g of edges.values()) {
        if (!g.classList.contains('taken-client') && !g.classList.contains('taken-server')) {
          g.querySelector('path')?.setAttribute('marker-end', 'url(#arrow-plain)');
        }
      }
    },
  };
}
