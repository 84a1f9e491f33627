// A definition as the designer's graph: mapped, and laid out when some activities have no saved position.
import { definitionToGraph, type Graph } from './mapping';
import { layoutPositions, type PortCount } from './layout';
import { portsOf } from './ports';
import type { ActivityDescriptor, WorkflowDefinitionJson } from './types';
import { saveFile } from '../shared/download';

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
  saveFile(fileName, new Blob([JSON.stringify(value, null, 2) + '\n'], { type: 'application/json' }));
}
