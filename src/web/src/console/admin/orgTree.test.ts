import { describe, expect, it } from 'vitest';
import type { AdminOrgNode } from '../consoleApi';
import { buildTree, canAddChild, childLevel, moveTargets, pathLabel, retiredWith } from './orgTree';

const node = (id: string, parentId: string | null, level: AdminOrgNode['level'], retiredAt: string | null = null) =>
  ({ id, parentId, level, name: id, retiredAt, version: `v-${id}` }) as AdminOrgNode;

const nodes = [
  node('street', null, 'street'),
  node('c1', 'street', 'community'),
  node('c2', 'street', 'community'),
  node('cOld', 'street', 'community', '2026-01-01T00:00:00Z'),
  node('g1', 'c1', 'grid'),
  node('g2', 'c1', 'grid'),
  node('g3', 'c2', 'grid'),
  node('b1', 'g1', 'building'),
];
const byId = (id: string) => nodes.find((n) => n.id === id)!;

describe('the organisation tree', () => {
  it('creates a child one level down, and nothing under a building', () => {
    expect(childLevel('district')).toBe('street');
    expect(childLevel('community')).toBe('grid');
    expect(childLevel('grid')).toBe('building');
    expect(childLevel('building')).toBeNull();
    expect(canAddChild(byId('b1'))).toBe(false);
    expect(canAddChild(byId('g1'))).toBe(true);
  });

  it('creates nothing under a retired node', () => {
    expect(canAddChild(byId('cOld'))).toBe(false);
  });

  it('moves a building only under another grid in service, not its own', () => {
    expect(moveTargets(nodes, byId('b1')).map((n) => n.id)).toEqual(['g2', 'g3']);
  });

  it('names a node in a picker from its community down, a street alone', () => {
    expect(pathLabel(nodes, byId('b1'))).toBe('c1 / g1 / b1');
    expect(pathLabel(nodes, byId('g3'))).toBe('c2 / g3');
    expect(pathLabel(nodes, byId('c1'))).toBe('c1');
    expect(pathLabel(nodes, byId('street'))).toBe('street');
  });

  it('moves a grid only under another community in service', () => {
    expect(moveTargets(nodes, byId('g1')).map((n) => n.id)).toEqual(['c2']);
  });

  it('offers no move to a node of the top level', () => {
    expect(moveTargets([node('d', null, 'district')], node('d', null, 'district'))).toEqual([]);
  });

  it('hides retired nodes unless asked, and roots the tree at the administrator’s own nodes', () => {
    const shown = buildTree(nodes, false);
    expect(shown.map((i) => i.key)).toEqual(['street']);
    expect(shown[0].children.map((i) => i.key)).toEqual(['c1', 'c2']);
    expect(buildTree(nodes, true)[0].children.map((i) => i.key)).toEqual(['c1', 'c2', 'cOld']);
    expect(buildTree([node('g9', 'elsewhere', 'grid')], false).map((i) => i.key)).toEqual(['g9']);
  });

  it('restores with a node what was retired with it, not what was retired on its own before', () => {
    const at = '2026-03-01T08:00:00.123456+00:00';
    const tree = [
      node('c', 'street', 'community', at),
      node('ga', 'c', 'grid', at),
      node('gb', 'c', 'grid', '2026-02-01T00:00:00Z'),
      node('ba', 'ga', 'building', at),
      node('bb', 'gb', 'building', '2026-02-01T00:00:00Z'),
    ];
    expect(retiredWith(tree, tree[0]).map((n) => n.id)).toEqual(['c', 'ga', 'ba']);
    expect(retiredWith(tree, tree[2]).map((n) => n.id)).toEqual(['gb', 'bb']);
    expect(retiredWith(nodes, byId('c1'))).toEqual([]);
  });
});
