/**
 * Where each state sits in the stepper's drawing of RFC 9293's figure 5, and how each edge runs. Fixed coordinates:
 * the diagram is laid out once, and a step only changes classes on it (no re-layout, ever).
 *
 * Like the RFC's figure, CLOSED appears twice: at the top (where connections start and where the handshake's failures
 * return) and at the bottom right (where closed and reset connections end). `closedNodeFor` says which one a
 * transition leads to.
 */
import type { TcpState } from '../model';
import { DIAGRAM_EDGES } from '../tcp/machine';

export type NodeId = Exclude<TcpState, 'CLOSED'> | 'CLOSED-TOP' | 'CLOSED-BOTTOM';

export interface NodeBox {
  readonly id: NodeId;
  readonly state: TcpState;
  readonly x: number;
  readonly y: number;
}

export const NODE_WIDTH = 128;
export const NODE_HEIGHT = 34;
export const VIEW_WIDTH = 800;
export const VIEW_HEIGHT = 740;

export const NODES: readonly NodeBox[] = [
  { id: 'CLOSED-TOP', state: 'CLOSED', x: 400, y: 40 },
  { id: 'LISTEN', state: 'LISTEN', x: 400, y: 140 },
  { id: 'SYN-RECEIVED', state: 'SYN-RECEIVED', x: 150, y: 240 },
  { id: 'SYN-SENT', state: 'SYN-SENT', x: 650, y: 240 },
  { id: 'ESTABLISHED', state: 'ESTABLISHED', x: 400, y: 340 },
  { id: 'FIN-WAIT-1', state: 'FIN-WAIT-1', x: 150, y: 440 },
  { id: 'CLOSE-WAIT', state: 'CLOSE-WAIT', x: 650, y: 440 },
  { id: 'CLOSING', state: 'CLOSING', x: 400, y: 500 },
  { id: 'FIN-WAIT-2', state: 'FIN-WAIT-2', x: 150, y: 560 },
  { id: 'LAST-ACK', state: 'LAST-ACK', x: 650, y: 560 },
  { id: 'TIME-WAIT', state: 'TIME-WAIT', x: 400, y: 640 },
  { id: 'CLOSED-BOTTOM', state: 'CLOSED', x: 650, y: 640 },
];

const EARLY: ReadonlySet<TcpState> = new Set<TcpState>(['CLOSED', 'LISTEN', 'SYN-SENT', 'SYN-RECEIVED']);

/** The CLOSED box a transition from `from` ends in: early failures go back to the top, closes end at the bottom. */
export function closedNodeFor(from: TcpState): NodeId {
  return EARLY.has(from) ? 'CLOSED-TOP' : 'CLOSED-BOTTOM';
}

/** The box that shows `state` after a transition from `from`. */
export function nodeFor(state: TcpState, from: TcpState | undefined): NodeId {
  if (state !== 'CLOSED') return state;
  return from === undefined ? 'CLOSED-TOP' : closedNodeFor(from);
}

export interface EdgeGeometry {
  readonly id: string;
  readonly from: NodeId;
  readonly to: NodeId;
  /** SVG path data. */
  readonly path: string;
  readonly labels: readonly string[];
  readonly labelX: number;
  readonly labelY: number;
  /** Drawn in RFC 9293's figure (solid) or only described in its text (dashed). */
  readonly inFigure: boolean;
}

/** A stable id for the edge between two states, used to highlight the transition a step took. */
export function edgeId(from: TcpState, to: TcpState): string {
  return `${nodeFor(from, undefined)}>${nodeFor(to, from)}`;
}

function box(id: NodeId): NodeBox {
  return NODES.find((n) => n.id === id)!;
}

/** Where the segment from a to b leaves a's box (centre-to-centre line clipped at the box border). */
function borderPoint(from: NodeBox, toward: { x: number; y: number }): { x: number; y: number } {
  const dx = toward.x - from.x;
  const dy = toward.y - from.y;
  const sx = dx === 0 ? Infinity : NODE_WIDTH / 2 / Math.abs(dx);
  const sy = dy === 0 ? Infinity : NODE_HEIGHT / 2 / Math.abs(dy);
  const s = Math.min(sx, sy);
  return { x: from.x + dx * s, y: from.y + dy * s };
}

/** Hand-routed bends for edges that would otherwise cross boxes: a control point for a quadratic curve. */
const BENDS: Readonly<Record<string, { x: number; y: number }>> = {
  'CLOSED-TOP>LISTEN': { x: 350, y: 90 },
  'LISTEN>CLOSED-TOP': { x: 450, y: 90 },
  'LISTEN>SYN-SENT': { x: 560, y: 150 },
  'SYN-SENT>CLOSED-TOP': { x: 700, y: 60 },
  'SYN-RECEIVED>CLOSED-TOP': { x: 100, y: 60 },
  'SYN-RECEIVED>LISTEN': { x: 250, y: 150 },
  'ESTABLISHED>CLOSED-BOTTOM': { x: 560, y: 380 },
  'FIN-WAIT-1>CLOSED-BOTTOM': { x: 60, y: 740 },
  'FIN-WAIT-2>CLOSED-BOTTOM': { x: 300, y: 740 },
  'CLOSE-WAIT>CLOSED-BOTTOM': { x: 760, y: 560 },
  'CLOSING>CLOSED-BOTTOM': { x: 540, y: 560 },
  'FIN-WAIT-1>TIME-WAIT': { x: 270, y: 620 },
  'SYN-RECEIVED>FIN-WAIT-1': { x: 110, y: 340 },
};

/** Where along a curve its label sits (0 at the source, 1 at the target) where the midpoint is crowded. */
const LABEL_AT: Readonly<Record<string, number>> = {
  'FIN-WAIT-1>CLOSED-BOTTOM': 0.2,
  'FIN-WAIT-2>CLOSED-BOTTOM': 0.62,
  'ESTABLISHED>CLOSED-BOTTOM': 0.35,
  'CLOSE-WAIT>CLOSED-BOTTOM': 0.5,
};

/** Labels of the two opposite edges between CLOSED and LISTEN go to either side. */
const LABEL_SHIFT: Readonly<Record<string, number>> = {
  'CLOSED-TOP>LISTEN': -62,
  'LISTEN>CLOSED-TOP': 62,
};

function edgePath(fromId: NodeId, toId: NodeId): { path: string; lx: number; ly: number } {
  const a = box(fromId);
  const b = box(toId);
  const id = `${fromId}>${toId}`;
  const bend = BENDS[id];
  if (bend) {
    const p = borderPoint(a, bend);
    const q = borderPoint(b, bend);
    // A point of the quadratic curve: (1-t)^2 p + 2t(1-t) c + t^2 q.
    const t = LABEL_AT[id] ?? 0.5;
    const at = (u: number, v: number, w: number): number => (1 - t) * (1 - t) * u + 2 * t * (1 - t) * v + t * t * w;
    return { path: `M${r(p.x)},${r(p.y)} Q${bend.x},${bend.y} ${r(q.x)},${r(q.y)}`, lx: r(at(p.x, bend.x, q.x) + (LABEL_SHIFT[id] ?? 0)), ly: r(at(p.y, bend.y, q.y)) };
  }
  const p = borderPoint(a, b);
  const q = borderPoint(b, a);
  return { path: `M${r(p.x)},${r(p.y)} L${r(q.x)},${r(q.y)}`, lx: r((p.x + q.x) / 2), ly: r((p.y + q.y) / 2) };
}

function r(n: number): number {
  return Math.round(n * 10) / 10;
}

/** Every edge of the machine's diagram, merged where two transitions join the same two boxes. */
export function diagramEdges(): EdgeGeometry[] {
  const byId = new Map<string, { from: NodeId; to: NodeId; labels: string[]; inFigure: boolean }>();
  for (const e of DIAGRAM_EDGES) {
    const from = nodeFor(e.from, undefined);
    const to = nodeFor(e.to, e.from);
    const id = `${from}>${to}`;
    const entry = byId.get(id);
    if (entry) {
      entry.labels.push(e.label);
      entry.inFigure ||= e.inFigure;
    } else {
      byId.set(id, { from, to, labels: [e.label], inFigure: e.inFigure });
    }
  }
  return [...byId.entries()].map(([id, e]) => {
    const g = edgePath(e.from, e.to);
    return { id, from: e.from, to: e.to, path: g.path, labels: e.labels, labelX: g.lx, labelY: g.ly, inFigure: e.inFigure };
  });
}
