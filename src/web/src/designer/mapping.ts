// The one place where workflow JSON becomes canvas nodes and edges and back. Nothing else reads or
// writes the saved shape, and raw canvas nodes (sizes, selection) are never saved.
import type { Edge, Node } from '@xyflow/react';
import {
  IN_PORT,
  type ActivityJson,
  type ConnectionJson,
  type Json,
  type JsonObject,
  type Position,
  type VariableJson,
  type WorkflowDefinitionJson,
} from './types';

/** What a canvas node carries: the activity without its id and position. */
export interface ActivityData extends Record<string, unknown> {
  type: string;
  version: number;
  displayName?: string;
  inputs: JsonObject;
  /** The activity's metadata without metadata.designer.position, which is the node's position. */
  metadata: JsonObject;
}

export type ActivityNode = Node<ActivityData, 'activity'>;
export type ConnectionEdge = Edge;

/** The definition without its activities and connections: name, variables, anything else it carries. */
export interface DefinitionMeta {
  definitionId: string;
  version?: number;
  name: string;
  description?: string;
  variables: VariableJson[];
  root: { type: string };
  [extra: string]: unknown;
}

export interface Graph {
  meta: DefinitionMeta;
  nodes: ActivityNode[];
  edges: ConnectionEdge[];
}

const RESERVED = new Set(['id', 'type', 'version', 'displayName', 'metadata']);

export function edgeId(source: string, port: string, target: string) {
  return `${source}:${port}->${target}`;
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readPosition(metadata: JsonObject | undefined): Position | null {
  const designer = metadata?.designer;
  const position = isObject(designer) ? designer.position : undefined;
  if (isObject(position) && typeof position.x === 'number' && typeof position.y === 'number')
    return { x: position.x, y: position.y };
  return null;
}

function withoutPosition(metadata: JsonObject | undefined): JsonObject {
  if (!metadata) return {};
  const { designer, ...rest } = metadata;
  if (!isObject(designer)) return designer === undefined ? rest : { ...rest, designer };
  const { position: _position, ...designerRest } = designer;
  return Object.keys(designerRest).length ? { ...rest, designer: designerRest } : rest;
}

export function activityToNode(activity: ActivityJson, position: Position): ActivityNode {
  const inputs: JsonObject = {};
  for (const [name, value] of Object.entries(activity))
    if (!RESERVED.has(name) && value !== undefined) inputs[name] = value;
  return {
    id: activity.id,
    type: 'activity',
    position,
    // A size to fit the view and cull off-screen nodes by before the canvas has measured them.
    initialWidth: 220,
    initialHeight: 80,
    data: {
      type: activity.type,
      version: activity.version ?? 1,
      ...(activity.displayName !== undefined ? { displayName: activity.displayName } : {}),
      inputs,
      metadata: withoutPosition(activity.metadata),
    },
  };
}

export function connectionToEdge(connection: ConnectionJson): ConnectionEdge {
  const port = connection.source.port ?? '';
  return {
    id: edgeId(connection.source.activity, port, connection.target.activity),
    source: connection.source.activity,
    sourceHandle: port,
    target: connection.target.activity,
    targetHandle: IN_PORT,
  };
}

/**
 * A definition as a graph. Activities without a saved position are listed in `unplaced` (placed
 * at the origin) so that the caller can lay them out.
 */
export function definitionToGraph(definition: WorkflowDefinitionJson): Graph & { unplaced: string[] } {
  const { root, variables, ...rest } = definition;
  const { activities, connections, ...rootRest } = root;
  const unplaced: string[] = [];
  const nodes = (activities ?? []).map((activity) => {
    const position = readPosition(activity.metadata);
    if (!position) unplaced.push(activity.id);
    return activityToNode(activity, position ?? { x: 0, y: 0 });
  });
  return {
    meta: { ...rest, variables: variables ?? [], root: rootRest },
    nodes,
    edges: (connections ?? []).map(connectionToEdge),
    unplaced,
  };
}

export function nodeToActivity(node: ActivityNode): ActivityJson {
  const { type, version, displayName, inputs, metadata } = node.data;
  const designer = isObject(metadata.designer) ? metadata.designer : {};
  const activity: JsonObject = {
    id: node.id,
    type,
    version,
    ...(displayName !== undefined ? { displayName } : {}),
    ...inputs,
    metadata: {
      ...metadata,
      designer: { ...designer, position: { x: Math.round(node.position.x), y: Math.round(node.position.y) } },
    },
  };
  return activity as ActivityJson;
}

export function edgeToConnection(edge: ConnectionEdge): ConnectionJson {
  return {
    source: { activity: edge.source, port: edge.sourceHandle ?? null },
    target: { activity: edge.target, port: IN_PORT },
  };
}

export function graphToDefinition(graph: Graph): WorkflowDefinitionJson {
  const { root, ...meta } = graph.meta;
  return {
    ...meta,
    root: {
      ...root,
      type: root.type ?? 'Flowchart',
      activities: graph.nodes.map(nodeToActivity),
      connections: graph.edges.map(edgeToConnection),
    },
  };
}
