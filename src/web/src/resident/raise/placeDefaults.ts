import type { Me } from '../../shared/auth';
import type { OrgNode } from '../../shared/types';

/** The grid and building a resident most likely means: where they live (their resident grant), else the first grid. */
export function placeDefaults(me: Me | null, nodes: OrgNode[]): { gridId: string; buildingId: string } {
  const home = me?.roles.find((g) => g.role === 'resident');
  const node = nodes.find((n) => n.id === home?.orgUnitId);
  if (node?.level === 'building') return { gridId: node.parentId ?? '', buildingId: node.id };
  if (node?.level === 'grid') return { gridId: node.id, buildingId: '' };
  return { gridId: nodes.find((n) => n.level === 'grid')?.id ?? '', buildingId: '' };
}
