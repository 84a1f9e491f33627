import type { Person, Photo, Place } from '../../shared/types';

export interface WorkItemSummary {
  id: string;
  title: string;
  responsibleUnit: string;
  level: string;
  levelName: string;
  orgUnit: Place;
  role: string;
  roleName: string;
  status: string;
  progress: number;
  deadline: string;
  overdue: boolean;
  matter?: { id: string; title: string } | null;
  batchId?: string | null;
  rework: boolean;
  createdAt: string;
  doneAt?: string | null;
  canAct: boolean;
  /** A date-only deadline's day ("2026-12-20", due by the end of it in China); null when the deadline has a time of day. */
  dueDate?: string | null;
}
export interface WorkItemUpdate {
  id: string;
  kind: string;
  by: Person;
  at: string;
  text?: string | null;
  progress: number;
  fromLevel?: string | null;
  toLevel?: string | null;
  photos: Photo[];
}
export interface WorkItem extends WorkItemSummary {
  description?: string | null;
  meetingId?: string | null;
  resolutionId?: string | null;
  updates: WorkItemUpdate[];
}

/** "物业公司 · 社区 · 幸福里社区": the unit, its level and place, and the role that acts for it only when that says something more. */
export function responsibleLine(w: WorkItemSummary): string {
  return [
    w.responsibleUnit,
    w.levelName,
    w.orgUnit.name,
    ...(w.roleName === w.responsibleUnit ? [] : [w.roleName]),
  ].join(' · ');
}
