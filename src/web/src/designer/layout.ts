// Auto-layout, left to right, with dagre. A node's size is its measured one once the canvas has drawn it;
// before that (an imported workflow opening), its width and a height estimated from its ports, so that
// laid-out nodes never overlap however many ports a task has.
import dagre from '@dagrejs/dagre';
import type { ActivityNode, ConnectionEdge } from './mapping';
import type { Position } from './types';

export const NODE_WIDTH = 220;

/** A node's height before it is measured: the head and type lines, then one row per port (designer.css). */
export function estimatedHeight(ports: number): number {
  return ports ? 62 + 21 * ports : 56;
}

/** How many ports a node shows; without descriptors, the ports its connections leave by. */
export type PortCount = (node: ActivityNode) => number;

function portsUsed(edges: ConnectionEdge[]): PortCount {
  const used = new Map<string, Set<string>>();
  for (const e of edges) {
    const set = used.get(e.source) ?? new Set<string>();
    set.add(e.sourceHandle ?? '');
    used.set(e.source, set);
  }
  return (node) => used.get(node.id)?.size ?? 0;
}

export function layoutPositions(
  nodes: ActivityNode[],
  edges: ConnectionEdge[],
  portCount: PortCount = portsUsed(edges),
): Record<string, Position> {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 90, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes)
    g.setNode(n.id, {
      width: n.measured?.width ?? NODE_WIDTH,
      height: n.measured?.height ?? estimatedHeight(portCount(n)),
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
