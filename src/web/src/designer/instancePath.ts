// The path an instance took, from its journal: the activities it ran in order, where it waits or
// faulted, and the connections it went along (a port it left by, to an activity that ran after).
import type { Decoration } from './canvasContext';
import { edgeId, type ConnectionEdge } from './mapping';
import type { InstanceView, JournalRow } from './types';

const LEFT = new Set(['Executed', 'Resumed']);

export interface RunPath {
  decorations: Map<string, Decoration>;
  traversed: Set<string>;
}

export function runPath(
  journal: JournalRow[],
  instance: Pick<InstanceView, 'bookmarks' | 'incidents'>,
  edges: ConnectionEdge[],
): RunPath {
  const decorations = new Map<string, Decoration>();
  const firstSeen = new Map<string, number>();
  const lastSeen = new Map<string, number>();
  let order = 0;
  for (const row of journal) {
    if (!row.activityId) continue;
    if (!firstSeen.has(row.activityId)) {
      firstSeen.set(row.activityId, row.sequence);
      decorations.set(row.activityId, { run: 'executed', order: ++order });
    }
    lastSeen.set(row.activityId, row.sequence);
  }
  for (const b of instance.bookmarks)
    decorations.set(b.activityId, { ...decorations.get(b.activityId), run: 'waiting' });
  for (const i of instance.incidents.filter((x) => !x.resolvedAt))
    decorations.set(i.activityId, { ...decorations.get(i.activityId), run: 'faulted' });

  const traversed = new Set<string>();
  const bySource = new Map<string, ConnectionEdge[]>();
  for (const e of edges) bySource.set(e.source, [...(bySource.get(e.source) ?? []), e]);
  for (const row of journal) {
    if (!row.activityId || !row.outcome || !LEFT.has(row.event)) continue;
    const ports = new Set(row.outcome.split(','));
    for (const e of bySource.get(row.activityId) ?? [])
      if (ports.has(e.sourceHandle ?? '') && (lastSeen.get(e.target) ?? -1) > row.sequence)
        traversed.add(edgeId(e.source, e.sourceHandle ?? '', e.target));
  }
  return { decorations, traversed };
}
