// Auto-layout: an imported workflow without positions is laid out with no two activities overlapping,
// sized as the canvas will draw them (a task with four outcomes is taller than an End).
import { estimatedHeight, layoutPositions, NODE_WIDTH } from './layout';
import { loadGraph } from './graphLoad';
import type { ActivityNode } from './mapping';
import type { JsonObject, Position, WorkflowDefinitionJson } from './types';

const shipped = import.meta.glob('../../../../workflows/six-step-method.json', { import: 'default', eager: true });
const sixStep = Object.values(shipped)[0] as WorkflowDefinitionJson;
const bench = import.meta.glob('../../../../bench/designer/generate.mjs', { eager: true });
const { generatedWorkflow } = Object.values(bench)[0] as {
  generatedWorkflow: (count: number, options?: { positions?: boolean }) => WorkflowDefinitionJson;
};

/** The ports the canvas draws, without descriptors: listed outcomes or branches, else one (none on an End). */
function ports(node: ActivityNode): number {
  const listed = (['outcomes', 'branches', 'cases'] as const)
    .map((k) => (node.data.inputs as JsonObject)[k])
    .find(Array.isArray);
  if (listed) return listed.length + (node.data.type === 'Switch' ? 1 : 0);
  if (node.data.type === 'End') return 0;
  return node.data.type === 'Decision' ? 2 : 1;
}

function withoutPositions(definition: WorkflowDefinitionJson): WorkflowDefinitionJson {
  return {
    ...definition,
    root: {
      ...definition.root,
      activities: definition.root.activities.map(({ metadata: _metadata, ...a }) => a),
    },
  };
}

function overlaps(nodes: ActivityNode[], positions: Record<string, Position>): string[] {
  const boxes = nodes.map((n) => ({ id: n.id, ...positions[n.id], w: NODE_WIDTH, h: estimatedHeight(ports(n)) }));
  const found: string[] = [];
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i];
      const b = boxes[j];
      if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) found.push(`${a.id} × ${b.id}`);
    }
  return found;
}

describe('auto-layout', () => {
  it.each([
    ['the six-step workflow', () => withoutPositions(sixStep)],
    ['a generated 200-activity workflow', () => generatedWorkflow(200, { positions: false })],
  ])('lays out %s without positions with no two activities overlapping', (_name, definition) => {
    const { nodes, edges } = loadGraph(definition());
    const positions = layoutPositions(nodes, edges, ports);

    expect(Object.keys(positions)).toHaveLength(nodes.length);
    expect(overlaps(nodes, positions)).toEqual([]);
  });

  it('places an imported workflow when it opens: every activity somewhere else, left to right from the start', () => {
    const { nodes } = loadGraph(withoutPositions(sixStep));

    const distinct = new Set(nodes.map((n) => `${n.position.x},${n.position.y}`));
    expect(distinct.size).toBe(nodes.length);
    const start = nodes.find((n) => n.id === 'start')!;
    expect(Math.min(...nodes.map((n) => n.position.x))).toBe(start.position.x);
  });

  it('makes room for a task with four outcomes, which the old fixed height overlapped', () => {
    const tall = estimatedHeight(4);
    expect(tall).toBeGreaterThan(80 + 40);
    const { nodes, edges } = loadGraph(withoutPositions(sixStep));
    const positions = layoutPositions(nodes, edges, ports);
    const hear = positions['hear'];
    const below = nodes
      .filter((n) => n.id !== 'hear' && Math.abs(positions[n.id].x - hear.x) < NODE_WIDTH)
      .map((n) => positions[n.id].y)
      .filter((y) => y > hear.y);
    for (const y of below) expect(y).toBeGreaterThanOrEqual(hear.y + tall);
  });
});
