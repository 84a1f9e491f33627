// A definition as the designer's graph: mapped, and laid out when some activities have no saved position.
import { definitionToGraph, type Graph } from './mapping';
import { layoutPositions, type PortCount } from './layout';
import { portsOf } from './ports';
import type { ActivityDescriptor, WorkflowDefinitionJson } from './types';

/** Ports per node as the canvas will draw them, when the descriptors are known. */
export function portCounter(descriptors: Map<string, ActivityDescriptor>): PortCount {
  return (node) => portsOf(descriptors.get(node.data.type), node.data.inputs).length;
}

export function loadGraph(definition: WorkflowDefinitionJson, descriptors?: Map<string, ActivityDescriptor>): Graph {
  const { unplaced, ...graph } = definitionToGraph(definition);
  if (!unplaced.length) return graph;
  const positions = layoutPositions(graph.nodes, graph.edges, descriptors && portCounter(descriptors));
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
