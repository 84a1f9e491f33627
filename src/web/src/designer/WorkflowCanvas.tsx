// The canvas, for the editor and (read-only) for a version or an instance. Node types are defined once,
// at module level; everything the canvas changes goes through the store.
import { memo, useCallback, useLayoutEffect, useRef, useState, type DragEvent } from 'react';
import {
  Background,
  Controls,
  getNodesBounds,
  getViewportForBounds,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Viewport,
  type Connection,
  type Edge,
  type EdgeChange,
  type NodeChange,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import ActivityNodeView from './ActivityNodeView';
import { useDesignerDispatch } from './store';
import { IN_PORT, START_TYPE, type Position } from './types';
import type { ActivityNode } from './mapping';

const nodeTypes = { activity: ActivityNodeView };
export const PALETTE_MIME = 'application/x-deliberate-activity';
const defaultEdgeOptions = { type: 'smoothstep' };
const MIN_ZOOM = 0.05;
/** Below this zoom a node's 12 px labels are too small to read: the first view does not go lower. */
export const READABLE_ZOOM = 0.6;

/**
 * The view a workflow opens at: all of it when that is readable, else at the readable zoom with the Start
 * activity at the left, centred vertically (the designer scrolls on from where the workflow begins).
 */
export function readableViewport(nodes: ActivityNode[], width: number, height: number): Viewport {
  if (!nodes.length) return { x: 0, y: 0, zoom: 1 };
  const fit = getViewportForBounds(getNodesBounds(nodes), width, height, MIN_ZOOM, 1, 0.15);
  if (fit.zoom >= READABLE_ZOOM) return fit;
  const start = nodes.find((n) => n.data.type === START_TYPE) ?? nodes[0];
  const zoom = READABLE_ZOOM;
  const nodeHeight = start.measured?.height ?? start.initialHeight ?? 80;
  return { zoom, x: 40 - start.position.x * zoom, y: height / 2 - (start.position.y + nodeHeight / 2) * zoom };
}

interface Props {
  nodes: ActivityNode[];
  edges: Edge[];
  readOnly: boolean;
  onDropActivity?: (type: string, position: Position) => void;
}

const isValidConnection = (c: Connection | Edge) => c.source !== c.target && (c.targetHandle ?? IN_PORT) === IN_PORT;

function WorkflowCanvas({ nodes, edges, readOnly, onDropActivity }: Props) {
  const dispatch = useDesignerDispatch();
  // The first viewport is computed before the canvas draws: the fitView prop waits for every node to be
  // measured, which onlyRenderVisibleElements never does for off-screen ones.
  const wrapper = useRef<HTMLDivElement>(null);
  const [initialViewport, setInitialViewport] = useState<Viewport | null>(null);
  useLayoutEffect(() => {
    const { width, height } = wrapper.current!.getBoundingClientRect();
    setInitialViewport(readableViewport(nodes, width, height));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, for the nodes the canvas opens with
  }, []);
  const { screenToFlowPosition } = useReactFlow();
  const onNodesChange = useCallback(
    (changes: NodeChange<ActivityNode>[]) => dispatch({ type: 'nodesChange', changes }),
    [dispatch],
  );
  const onEdgesChange = useCallback((changes: EdgeChange[]) => dispatch({ type: 'edgesChange', changes }), [dispatch]);
  const onConnect = useCallback(
    (c: Connection) => {
      if (c.sourceHandle) dispatch({ type: 'connect', source: c.source, port: c.sourceHandle, target: c.target });
    },
    [dispatch],
  );
  const onNodeDragStart = useCallback(() => dispatch({ type: 'checkpoint' }), [dispatch]);
  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(PALETTE_MIME)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }, []);
  const onDrop = useCallback(
    (event: DragEvent) => {
      const type = event.dataTransfer.getData(PALETTE_MIME);
      if (!type || !onDropActivity) return;
      event.preventDefault();
      onDropActivity(type, screenToFlowPosition({ x: event.clientX, y: event.clientY }));
    },
    [onDropActivity, screenToFlowPosition],
  );

  return (
    <div ref={wrapper} className="dz-flow">
      {initialViewport && (
        <ReactFlow<ActivityNode>
          defaultViewport={initialViewport}
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          defaultEdgeOptions={defaultEdgeOptions}
          onNodesChange={onNodesChange}
          onEdgesChange={onEdgesChange}
          onConnect={readOnly ? undefined : onConnect}
          onNodeDragStart={readOnly ? undefined : onNodeDragStart}
          onDragOver={readOnly ? undefined : onDragOver}
          onDrop={readOnly ? undefined : onDrop}
          isValidConnection={isValidConnection}
          nodesDraggable={!readOnly}
          nodesConnectable={!readOnly}
          deleteKeyCode={null}
          selectionKeyCode="Shift"
          multiSelectionKeyCode={['Meta', 'Control']}
          onlyRenderVisibleElements
          minZoom={MIN_ZOOM}
          maxZoom={2}
        >
          <Background gap={20} />
          <Controls showInteractive={false} />
          <MiniMap pannable zoomable />
        </ReactFlow>
      )}
    </div>
  );
}

export default memo(WorkflowCanvas);
