import { describe, expect, it } from 'vitest';
import { definitionToGraph, graphToDefinition, nodeToActivity } from './mapping';
import type { WorkflowDefinitionJson } from './types';

const shipped = import.meta.glob('../../../../workflows/*.json', { import: 'default', eager: true }) as Record<
  string,
  WorkflowDefinitionJson
>;

const handMade: WorkflowDefinitionJson = {
  definitionId: 'hand-made',
  version: 3,
  name: '手工流程',
  description: 'every shape the format has',
  variables: [
    { name: 'count', type: 'number', value: 2 },
    { name: 'note', type: 'string' },
  ],
  root: {
    type: 'Flowchart',
    activities: [
      {
        id: 'start',
        type: 'Start',
        version: 1,
        displayName: '开始',
        metadata: { designer: { position: { x: 0, y: 100 } } },
      },
      {
        id: 'set',
        type: 'SetVariable',
        version: 1,
        variable: 'count',
        value: 'count + 1',
        metadata: { designer: { position: { x: 220, y: 100 }, collapsed: true }, note: 'kept' },
      },
      {
        id: 'task',
        type: 'HumanTask',
        version: 2,
        title: '办理：${note}',
        role: 'gridWorker',
        outcomes: [
          { name: 'ok', label: '好' },
          { name: 'no', label: '不', labelEn: 'No' },
        ],
        form: [{ name: 'why', label: '原因', type: 'textarea', required: true, forOutcomes: ['no'] }],
        metadata: { designer: { position: { x: 440, y: 80.6 } } },
      },
      { id: 'end', type: 'End', metadata: { designer: { position: { x: 660, y: 100 } } } },
    ],
    connections: [
      { source: { activity: 'start', port: 'Done' }, target: { activity: 'set', port: 'In' } },
      { source: { activity: 'set', port: 'Done' }, target: { activity: 'task', port: 'In' } },
      { source: { activity: 'task', port: 'ok' }, target: { activity: 'end', port: 'In' } },
      { source: { activity: 'task', port: 'no' }, target: { activity: 'set', port: 'In' } },
    ],
  },
};

describe('mapping workflow JSON to the canvas and back', () => {
  it('keeps activities, inputs, connections, positions, variables and other metadata', () => {
    const graph = definitionToGraph(handMade);
    expect(graph.unplaced).toEqual([]);
    expect(graph.nodes.map((n) => n.id)).toEqual(['start', 'set', 'task', 'end']);
    expect(graph.nodes[1].data.inputs).toEqual({ variable: 'count', value: 'count + 1' });
    expect(graph.nodes[1].data.metadata).toEqual({ designer: { collapsed: true }, note: 'kept' });
    expect(graph.nodes[2].position).toEqual({ x: 440, y: 80.6 });
    expect(graph.edges.map((e) => [e.source, e.sourceHandle, e.target])).toEqual([
      ['start', 'Done', 'set'],
      ['set', 'Done', 'task'],
      ['task', 'ok', 'end'],
      ['task', 'no', 'set'],
    ]);

    const back = graphToDefinition(graph);
    expect(back.variables).toEqual(handMade.variables);
    expect(back.description).toBe(handMade.description);
    expect(back.root.connections).toEqual(handMade.root.connections);
    const set = back.root.activities[1];
    expect(set).toEqual({
      id: 'set',
      type: 'SetVariable',
      version: 1,
      variable: 'count',
      value: 'count + 1',
      metadata: { designer: { collapsed: true, position: { x: 220, y: 100 } }, note: 'kept' },
    });
    // Positions are saved as whole pixels; a missing version becomes 1.
    expect(back.root.activities[2].metadata).toEqual({ designer: { position: { x: 440, y: 81 } } });
    expect(back.root.activities[3].version).toBe(1);
  });

  it('round-trips every shipped workflow unchanged', () => {
    const files = Object.entries(shipped);
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const [file, definition] of files) {
      const graph = definitionToGraph(definition);
      expect(graph.unplaced, file).toEqual([]);
      const back = graphToDefinition(graph);
      const normalise = (d: WorkflowDefinitionJson) =>
        JSON.parse(
          JSON.stringify({
            ...d,
            root: { ...d.root, activities: d.root.activities.map((a) => ({ version: 1, ...a })) },
          }),
        );
      expect(back, file).toEqual(normalise(definition));
    }
  });

  it('lists the activities that have no saved position and saves the position they are given', () => {
    const graph = definitionToGraph({
      definitionId: 'x',
      name: 'x',
      root: { type: 'Flowchart', activities: [{ id: 'a', type: 'Start' }], connections: [] },
    });
    expect(graph.unplaced).toEqual(['a']);
    expect(graph.meta.variables).toEqual([]);
    const moved = { ...graph.nodes[0], position: { x: 12.4, y: -3.6 } };
    expect(nodeToActivity(moved)).toEqual({
      id: 'a',
      type: 'Start',
      version: 1,
      metadata: { designer: { position: { x: 12, y: -4 } } },
    });
  });
});
