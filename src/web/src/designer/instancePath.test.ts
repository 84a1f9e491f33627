import { describe, expect, it } from 'vitest';
import { runPath } from './instancePath';
import { connectionToEdge } from './mapping';
import type { JournalRow } from './types';

const row = (
  sequence: number,
  event: string,
  activityId: string | null,
  outcome: string | null = null,
): JournalRow => ({
  sequence,
  at: '2026-01-01T00:00:00Z',
  event,
  activityId,
  activityType: null,
  activityName: null,
  outcome,
  actorId: null,
  actorName: null,
  data: null,
});
const edge = (source: string, port: string, target: string) =>
  connectionToEdge({ source: { activity: source, port }, target: { activity: target, port: 'In' } });

describe('the path of an instance', () => {
  const edges = [
    edge('start', 'Done', 'decide'),
    edge('decide', 'True', 'yes'),
    edge('decide', 'False', 'no'),
    edge('yes', 'Done', 'task'),
    edge('task', 'ok', 'decide'),
  ];

  it('orders the activities it ran, follows the ports it left by and marks where it waits', () => {
    const journal = [
      row(1, 'WorkflowStarted', null),
      row(2, 'Executed', 'start', 'Done'),
      row(3, 'Executed', 'decide', 'True'),
      row(4, 'Executed', 'yes', 'Done'),
      row(5, 'Suspended', 'task'),
    ];
    const { decorations, traversed } = runPath(
      journal,
      {
        bookmarks: [{ id: 'b', activityId: 'task', name: 'task', correlation: null, dueAt: null, createdAt: '' }],
        incidents: [],
      },
      edges,
    );
    expect([...decorations].map(([id, d]) => [id, d.run, d.order])).toEqual([
      ['start', 'executed', 1],
      ['decide', 'executed', 2],
      ['yes', 'executed', 3],
      ['task', 'waiting', 4],
    ]);
    expect([...traversed].sort()).toEqual(['decide:True->yes', 'start:Done->decide', 'yes:Done->task']);
  });

  it('counts a loop back only when the earlier activity ran again afterwards, and marks a fault', () => {
    const journal = [
      row(2, 'Executed', 'start', 'Done'),
      row(3, 'Executed', 'decide', 'True'),
      row(4, 'Executed', 'yes', 'Done'),
      row(5, 'Suspended', 'task'),
      row(6, 'Resumed', 'task', 'ok'),
      row(7, 'Faulted', 'decide'),
    ];
    const { decorations, traversed } = runPath(
      journal,
      { bookmarks: [], incidents: [{ id: 'i', activityId: 'decide', message: 'x', at: '' }] },
      edges,
    );
    expect(traversed.has('task:ok->decide')).toBe(true);
    expect(traversed.has('decide:False->no')).toBe(false);
    expect(decorations.get('decide')).toEqual({ run: 'faulted', order: 2 });
  });
});
