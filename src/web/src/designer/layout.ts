// Auto-layout, left to right, with dagre. Sizes are the measured ones when the canvas has drawn the node.
import dagre from '@dagrejs/dagre';
import type { ActivityNode, ConnectionEdge } from './mapping';
import type { Position } from './types';

export function layoutPositions(nodes: ActivityNode[], edges: ConnectionEdge[]): Record<string, Position> {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 80, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes)
    g.setNode(n.id, {
      width: n.measured?.width ?? n.initialWidth ?? 220,
      height: n.measured?.height ?? n.initialHeight ?? 80,
    });
  for (const e of edges) if (g.hasNode(e.source) && g.hasNode(e.target)) g.setEdge(e.source, e.target);
  dagre.layout(g);
  const positions: Record<string, Position> = {};
  for (const n of nodes) {
    const { x, y, width, height } = g.node(n.id);
    positions[n.id] = { x: Math.round(x - width / 2), y: Math.round(y - height / 2) };
  }
  return positions;
}
