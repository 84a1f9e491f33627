// The designer's one store: the graph being edited with its undo/redo history. A pure reducer (tested
// on its own) behind a React context. Selection and node sizes live on the nodes but never make an
// undo step; a drag makes one step (a checkpoint at drag start), typing in one field makes one step.
import { createContext, useContext, type Dispatch } from 'react';
import { applyEdgeChanges, applyNodeChanges, type EdgeChange, type NodeChange } from '@xyflow/react';
import {
  edgeId,
  type ActivityData,
  type ActivityNode,
  type ConnectionEdge,
  type DefinitionMeta,
  type Graph,
} from './mapping';
import { IN_PORT, type Position } from './types';

export interface DesignerState {
  graph: Graph;
  past: Graph[];
  future: Graph[];
  /** The field last edited, so that consecutive keystrokes in it are one undo step. */
  coalesce: string | null;
  dirty: boolean;
  readOnly: boolean;
}

export type DesignerAction =
  | { type: 'load'; graph: Graph; readOnly?: boolean }
  | { type: 'nodesChange'; changes: NodeChange<ActivityNode>[] }
  | { type: 'edgesChange'; changes: EdgeChange[] }
  | { type: 'checkpoint' }
  | { type: 'addNodes'; nodes: ActivityNode[]; edges?: ConnectionEdge[] }
  | { type: 'connect'; source: string; port: string; target: string }
  | {
      type: 'updateNode';
      id: string;
      patch: Partial<Pick<ActivityData, 'displayName' | 'inputs'>>;
      ports?: string[];
      coalesce?: string;
    }
  | { type: 'renameNode'; id: string; newId: string }
  | { type: 'deleteSelected' }
  | { type: 'selectAll' }
  | { type: 'select'; ids: string[] }
  | { type: 'setMeta'; patch: Partial<DefinitionMeta>; coalesce?: string }
  | { type: 'setPositions'; positions: Record<string, Position> }
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'saved'; meta?: Partial<DefinitionMeta> };

const HISTORY_LIMIT = 100;

export function initialState(graph: Graph, readOnly = false): DesignerState {
  return { graph, past: [], future: [], coalesce: null, dirty: false, readOnly };
}

/** Makes `next` the present, remembering the present as one undo step (or folding into the last one). */
function record(state: DesignerState, next: Graph, coalesce: string | null = null): DesignerState {
  if (state.readOnly) return state;
  const folds = coalesce !== null && coalesce === state.coalesce;
  return {
    ...state,
    graph: next,
    past: folds ? state.past : [...state.past, state.graph].slice(-HISTORY_LIMIT),
    future: [],
    coalesce,
    dirty: true,
  };
}

function selectOnly(nodes: ActivityNode[], ids: Set<string>): ActivityNode[] {
  return nodes.map((n) => (!!n.selected === ids.has(n.id) ? n : { ...n, selected: ids.has(n.id) }));
}

export function designerReducer(state: DesignerState, action: DesignerAction): DesignerState {
  const { graph } = state;
  switch (action.type) {
    case 'load':
      return initialState(action.graph, action.readOnly);
    case 'nodesChange': {
      // Selection and measured sizes are not edits; positions are (their undo step is the drag's checkpoint).
      const allowed = state.readOnly
        ? action.changes.filter((c) => c.type === 'select' || c.type === 'dimensions')
        : action.changes;
      if (!allowed.length) return state;
      const next = { ...graph, nodes: applyNodeChanges(allowed, graph.nodes) };
      if (allowed.some((c) => c.type === 'remove' || c.type === 'add' || c.type === 'replace'))
        return record(state, next);
      const moved = allowed.some((c) => c.type === 'position' && c.position);
      return { ...state, graph: next, dirty: state.dirty || moved, coalesce: moved ? null : state.coalesce };
    }
    case 'edgesChange': {
      const allowed = state.readOnly ? action.changes.filter((c) => c.type === 'select') : action.changes;
      if (!allowed.length) return state;
      const next = { ...graph, edges: applyEdgeChanges(allowed, graph.edges) };
      return allowed.some((c) => c.type !== 'select') ? record(state, next) : { ...state, graph: next };
    }
    case 'checkpoint':
      return state.readOnly
        ? state
        : { ...state, past: [...state.past, graph].slice(-HISTORY_LIMIT), future: [], coalesce: null };
    case 'addNodes': {
      if (!action.nodes.length) return state;
      const nodes = [...selectOnly(graph.nodes, new Set()), ...action.nodes.map((n) => ({ ...n, selected: true }))];
      const edges = [...graph.edges.map((e) => (e.selected ? { ...e, selected: false } : e)), ...(action.edges ?? [])];
      return record(state, { ...graph, nodes, edges });
    }
    case 'connect': {
      const { source, port, target } = action;
      const id = edgeId(source, port, target);
      if (source === target || graph.edges.some((e) => e.id === id)) return state;
      return record(state, {
        ...graph,
        edges: [...graph.edges, { id, source, sourceHandle: port, target, targetHandle: IN_PORT }],
      });
    }
    case 'updateNode': {
      const node = graph.nodes.find((n) => n.id === action.id);
      if (!node) return state;
      const updated: ActivityNode = { ...node, data: { ...node.data, ...action.patch } };
      // A port that is no longer listed (an outcome removed or renamed) takes its connections with it.
      const ports = action.ports ? new Set(action.ports) : null;
      const edges = ports
        ? graph.edges.filter((e) => e.source !== action.id || ports.has(e.sourceHandle ?? ''))
        : graph.edges;
      return record(
        state,
        { ...graph, nodes: graph.nodes.map((n) => (n === node ? updated : n)), edges },
        action.coalesce ?? null,
      );
    }
    case 'renameNode': {
      const { id, newId } = action;
      if (!newId || newId === id || graph.nodes.some((n) => n.id === newId)) return state;
      const rename = (x: string) => (x === id ? newId : x);
      return record(state, {
        ...graph,
        nodes: graph.nodes.map((n) => (n.id === id ? { ...n, id: newId } : n)),
        edges: graph.edges.map((e) =>
          e.source === id || e.target === id
            ? {
                ...e,
                source: rename(e.source),
                target: rename(e.target),
                id: edgeId(rename(e.source), e.sourceHandle ?? '', rename(e.target)),
              }
            : e,
        ),
      });
    }
    case 'deleteSelected': {
      const gone = new Set(graph.nodes.filter((n) => n.selected).map((n) => n.id));
      const edges = graph.edges.filter((e) => !e.selected && !gone.has(e.source) && !gone.has(e.target));
      if (!gone.size && edges.length === graph.edges.length) return state;
      return record(state, { ...graph, nodes: graph.nodes.filter((n) => !gone.has(n.id)), edges });
    }
    case 'selectAll':
      return { ...state, graph: { ...graph, nodes: selectOnly(graph.nodes, new Set(graph.nodes.map((n) => n.id))) } };
    case 'select':
      return {
        ...state,
        graph: {
          ...graph,
          nodes: selectOnly(graph.nodes, new Set(action.ids)),
          edges: graph.edges.map((e) => (e.selected ? { ...e, selected: false } : e)),
        },
      };
    case 'setMeta':
      return record(state, { ...graph, meta: { ...graph.meta, ...action.patch } }, action.coalesce ?? null);
    case 'setPositions':
      return record(state, {
        ...graph,
        nodes: graph.nodes.map((n) => (action.positions[n.id] ? { ...n, position: action.positions[n.id] } : n)),
      });
    case 'undo': {
      if (state.readOnly || !state.past.length) return state;
      const previous = state.past[state.past.length - 1];
      return {
        ...state,
        graph: previous,
        past: state.past.slice(0, -1),
        future: [graph, ...state.future],
        coalesce: null,
        dirty: true,
      };
    }
    case 'redo': {
      if (state.readOnly || !state.future.length) return state;
      const [next, ...rest] = state.future;
      return { ...state, graph: next, past: [...state.past, graph], future: rest, coalesce: null, dirty: true };
    }
    case 'saved':
      return {
        ...state,
        graph: action.meta ? { ...graph, meta: { ...graph.meta, ...action.meta } } : graph,
        dirty: false,
      };
  }
}

/**
 * Components that edit get the dispatch from context (it never changes); the state is passed down as
 * props so that memoized parts (palette, property panel, nodes) do not redraw on every drag frame.
 */
export const DesignerDispatch = createContext<Dispatch<DesignerAction> | null>(null);

export function useDesignerDispatch(): Dispatch<DesignerAction> {
  const dispatch = useContext(DesignerDispatch);
  if (!dispatch) throw new Error('useDesignerDispatch outside DesignerDispatch');
  return dispatch;
}
