// Copy and paste: the selected activities and the connections between them, pasted with new ids.
import { edgeId, type ActivityNode, type ConnectionEdge, type Graph } from './mapping';

export interface Clip {
  nodes: ActivityNode[];
  edges: ConnectionEdge[];
}

/** A fresh readable id: the base (an activity type or a copied id without its number) and the first free number. */
export function newActivityId(base: string, taken: Set<string>): string {
  const stem = (base.replace(/\d+$/, '') || 'activity').replace(/^./, (c) => c.toLowerCase());
  for (let n = 1; ; n++) if (!taken.has(stem + n)) return stem + n;
}

export function copySelection(graph: Graph): Clip | null {
  const nodes = graph.nodes.filter((n) => n.selected);
  if (!nodes.length) return null;
  const ids = new Set(nodes.map((n) => n.id));
  return {
    nodes: structuredClone(nodes),
    edges: graph.edges.filter((e) => ids.has(e.source) && ids.has(e.target)).map((e) => ({ ...e })),
  };
}

/** The clip's activities under new ids, moved by `offset`, with their inner connections renamed. */
export function pasteClip(clip: Clip, taken: Set<string>, offset = 40): Clip {
  const names = new Map<string, string>();
  const used = new Set(taken);
  for (const node of clip.nodes) {
    const id = newActivityId(node.id, used);
    used.add(id);
    names.set(node.id, id);
  }
  return {
    nodes: clip.nodes.map((n) => ({
      ...n,
      id: names.get(n.id)!,
      data: structuredClone(n.data),
      selected: true,
      measured: undefined,
      position: { x: n.position.x + offset, y: n.position.y + offset },
    })),
    edges: clip.edges.map((e) => {
      const source = names.get(e.source)!;
      const target = names.get(e.target)!;
      return { ...e, id: edgeId(source, e.sourceHandle ?? '', target), source, target, selected: false };
    }),
  };
}
