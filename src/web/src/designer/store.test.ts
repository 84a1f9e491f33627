import { describe, expect, it } from 'vitest';
import { designerReducer, initialState, type DesignerAction, type DesignerState } from './store';
import { activityToNode, type Graph } from './mapping';
import { copySelection, newActivityId, pasteClip } from './clipboard';

function graph(): Graph {
  return {
    meta: { definitionId: 'w', name: 'w', variables: [], root: { type: 'Flowchart' } },
    nodes: [
      activityToNode({ id: 'start', type: 'Start' }, { x: 0, y: 0 }),
      activityToNode({ id: 'end', type: 'End' }, { x: 300, y: 0 }),
    ],
    edges: [],
  };
}

const run = (state: DesignerState, ...actions: DesignerAction[]) => actions.reduce(designerReducer, state);

describe('the designer store', () => {
  it('undoes and redoes an edit, and a new edit clears what could be redone', () => {
    const s0 = initialState(graph());
    const s1 = run(s0, { type: 'connect', source: 'start', port: 'Done', target: 'end' });
    expect(s1.graph.edges.map((e) => e.id)).toEqual(['start:Done->end']);
    expect(s1.dirty).toBe(true);
    const s2 = run(s1, { type: 'undo' });
    expect(s2.graph.edges).toEqual([]);
    const s3 = run(s2, { type: 'redo' });
    expect(s3.graph.edges.map((e) => e.id)).toEqual(['start:Done->end']);
    const s4 = run(s2, { type: 'setMeta', patch: { name: 'other' } });
    expect(s4.future).toEqual([]);
    expect(run(s4, { type: 'redo' }).graph).toBe(s4.graph);
  });

  it('makes one undo step of consecutive keystrokes in the same field', () => {
    const edit = (title: string, field = 'end:title'): DesignerAction => ({
      type: 'updateNode',
      id: 'end',
      patch: { inputs: { title } },
      coalesce: field,
    });
    const s = run(initialState(graph()), edit('a'), edit('ab'), edit('abc'), edit('x', 'end:other'));
    expect(s.past).toHaveLength(2);
    const undone = run(s, { type: 'undo' });
    expect(undone.graph.nodes[1].data.inputs).toEqual({ title: 'abc' });
    expect(run(undone, { type: 'undo' }).graph.nodes[1].data.inputs).toEqual({});
  });

  it('records a drag as one step from its checkpoint, and selection as none', () => {
    const s = run(
      initialState(graph()),
      { type: 'nodesChange', changes: [{ type: 'select', id: 'end', selected: true }] },
      { type: 'checkpoint' },
      { type: 'nodesChange', changes: [{ type: 'position', id: 'end', position: { x: 310, y: 5 }, dragging: true }] },
      { type: 'nodesChange', changes: [{ type: 'position', id: 'end', position: { x: 350, y: 40 }, dragging: true }] },
    );
    expect(s.past).toHaveLength(1);
    expect(s.graph.nodes[1].position).toEqual({ x: 350, y: 40 });
    expect(run(s, { type: 'undo' }).graph.nodes[1].position).toEqual({ x: 300, y: 0 });
  });

  it('deletes the selected activities with their connections', () => {
    const s = run(
      initialState(graph()),
      { type: 'connect', source: 'start', port: 'Done', target: 'end' },
      { type: 'select', ids: ['end'] },
      { type: 'deleteSelected' },
    );
    expect(s.graph.nodes.map((n) => n.id)).toEqual(['start']);
    expect(s.graph.edges).toEqual([]);
    expect(run(s, { type: 'undo' }).graph.edges).toHaveLength(1);
  });

  it('drops the connections of a port that an input edit removed', () => {
    const withTask = run(
      initialState(graph()),
      {
        type: 'addNodes',
        nodes: [
          activityToNode({ id: 'task', type: 'HumanTask', outcomes: [{ name: 'a' }, { name: 'b' }] }, { x: 0, y: 0 }),
        ],
      },
      { type: 'connect', source: 'task', port: 'a', target: 'end' },
      { type: 'connect', source: 'task', port: 'b', target: 'end' },
      { type: 'updateNode', id: 'task', patch: { inputs: { outcomes: [{ name: 'a' }] } }, ports: ['a'] },
    );
    expect(withTask.graph.edges.map((e) => e.id)).toEqual(['task:a->end']);
  });

  it('renames an activity and its connections', () => {
    const s = run(
      initialState(graph()),
      { type: 'connect', source: 'start', port: 'Done', target: 'end' },
      { type: 'renameNode', id: 'end', newId: 'finish' },
      { type: 'renameNode', id: 'finish', newId: 'start' },
    );
    expect(s.graph.nodes.map((n) => n.id)).toEqual(['start', 'finish']);
    expect(s.graph.edges[0]).toMatchObject({ id: 'start:Done->finish', target: 'finish' });
  });

  it('refuses edits on a read-only version but still lets a person select', () => {
    const s = run(
      initialState(graph(), true),
      { type: 'connect', source: 'start', port: 'Done', target: 'end' },
      {
        type: 'nodesChange',
        changes: [
          { type: 'position', id: 'end', position: { x: 1, y: 1 } },
          { type: 'select', id: 'end', selected: true },
        ],
      },
    );
    expect(s.graph.edges).toEqual([]);
    expect(s.graph.nodes[1]).toMatchObject({ position: { x: 300, y: 0 }, selected: true });
    expect(s.dirty).toBe(false);
  });

  it('copies the selection and pastes it with new ids and its inner connections', () => {
    const s = run(
      initialState(graph()),
      { type: 'connect', source: 'start', port: 'Done', target: 'end' },
      { type: 'selectAll' },
    );
    const clip = copySelection(s.graph)!;
    const pasted = pasteClip(clip, new Set(s.graph.nodes.map((n) => n.id)));
    expect(pasted.nodes.map((n) => n.id)).toEqual(['start1', 'end1']);
    expect(pasted.nodes[1].position).toEqual({ x: 340, y: 40 });
    expect(pasted.edges.map((e) => e.id)).toEqual(['start1:Done->end1']);
    const after = run(s, { type: 'addNodes', nodes: pasted.nodes, edges: pasted.edges });
    expect(after.graph.nodes.filter((n) => n.selected).map((n) => n.id)).toEqual(['start1', 'end1']);
    expect(after.graph.edges).toHaveLength(2);
    expect(newActivityId('SetVariable', new Set(['setVariable1']))).toBe('setVariable2');
  });
});
