// A definition as the designer's graph: mapped, and laid out when some activities have no saved position.
import { definitionToGraph, type Graph } from './mapping';
import { layoutPositions } from './layout';
import type { WorkflowDefinitionJson } from './types';

export function loadGraph(definition: WorkflowDefinitionJson): Graph {
  const { unplaced, ...graph } = definitionToGraph(definition);
  if (!unplaced.length) return graph;
  const positions = layoutPositions(graph.nodes, graph.edges);
  return { ...graph, nodes: graph.nodes.map((n) => ({ ...n, position: positions[n.id] })) };
}

export function downloadJson(fileName: string, value: unknown) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(value, null, 2) + '\n'], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
