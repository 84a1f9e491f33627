import { describe, expect, it } from 'vitest';
import type { Grant } from '../../shared/auth';
import type { OrgNode } from '../../shared/types';
import { ledgerUrl, nodesInScope } from './ledgers';

const node = (id: string, parentId: string | null, level: OrgNode['level']) =>
  ({ id, parentId, level, name: id }) as OrgNode;
const tree = [
  node('district', null, 'district'),
  node('street', 'district', 'street'),
  node('xingfuli', 'street', 'community'),
  node('grid1', 'xingfuli', 'grid'),
  node('b1', 'grid1', 'building'),
  node('heping', 'street', 'community'),
];
const grant = (role: string, orgUnitId: string) =>
  ({ role, orgUnitId, roleName: role, orgUnitName: orgUnitId, level: 'community' }) as Grant;

describe('ledgers', () => {
  it('offers the nodes at or below the staff grants, without buildings or the nodes above', () => {
    expect(nodesInScope(tree, [grant('partySecretary', 'xingfuli')]).map((n) => n.id)).toEqual(['xingfuli', 'grid1']);
  });

  it('offers nothing for a resident grant and everything but buildings to an administrator', () => {
    expect(nodesInScope(tree, [grant('resident', 'xingfuli')])).toEqual([]);
    expect(nodesInScope(tree, [grant('admin', 'district')]).map((n) => n.id)).toEqual([
      'district',
      'street',
      'xingfuli',
      'grid1',
      'heping',
    ]);
  });

  it('puts only the filters that are set into the address', () => {
    expect(ledgerUrl('work-items', {})).toBe('/api/ledgers/work-items.xlsx');
    expect(ledgerUrl('matters', { nodeId: 'g', from: '2026-03-01', to: '', status: 'closed' })).toBe(
      '/api/ledgers/matters.xlsx?nodeId=g&from=2026-03-01&status=closed',
    );
  });
});
