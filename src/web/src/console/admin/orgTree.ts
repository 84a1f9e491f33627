// The organisation tree's level rules, as the server keeps them (OrgAdminApi): each level sits under the one above.
import type { AdminOrgNode, OrgLevel } from '../consoleApi';

export const LEVELS: OrgLevel[] = ['district', 'street', 'community', 'grid', 'building'];

/** The level of a new child, or null under a building (the last level). */
export function childLevel(level: OrgLevel): OrgLevel | null {
  const i = LEVELS.indexOf(level);
  return i >= 0 && i < LEVELS.length - 1 ? LEVELS[i + 1] : null;
}

/** Whether a child may be created here: not under the last level, not under a retired node. */
export function canAddChild(node: AdminOrgNode): boolean {
  return !node.retiredAt && childLevel(node.level) !== null;
}

/** The node and everything below it. */
export function subtreeIds(nodes: AdminOrgNode[], id: string): Set<string> {
  const ids = new Set([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const n of nodes)
      if (n.parentId && ids.has(n.parentId) && !ids.has(n.id)) {
        ids.add(n.id);
        grew = true;
      }
  }
  return ids;
}

/** A retired node and the nodes below it retired at the same moment: what restoring it brings back (as the server does). */
export function retiredWith(nodes: AdminOrgNode[], node: AdminOrgNode): AdminOrgNode[] {
  if (!node.retiredAt) return [];
  const below = subtreeIds(nodes, node.id);
  const at = Date.parse(node.retiredAt);
  return nodes.filter((n) => below.has(n.id) && n.retiredAt && Date.parse(n.retiredAt) === at);
}

/**
 * How a picker names a node: from its community down ("幸福里社区 / 第一网格"), because every community has a 第一网格;
 * a street or a district by its name alone (as the server's role labels do).
 */
export function pathLabel(nodes: AdminOrgNode[], node: AdminOrgNode): string {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const names: string[] = [];
  for (let n: AdminOrgNode | undefined = node; n; n = n.parentId ? byId.get(n.parentId) : undefined) {
    names.unshift(n.name);
    if (n.level === 'community' || n.level === 'street' || n.level === 'district') break;
  }
  return names.join(' / ');
}

/** Where a node may move: a node in service of the level above, other than its present parent. */
export function moveTargets(nodes: AdminOrgNode[], node: AdminOrgNode): AdminOrgNode[] {
  const above = LEVELS[LEVELS.indexOf(node.level) - 1];
  if (!above) return [];
  const own = subtreeIds(nodes, node.id);
  return nodes.filter((n) => n.level === above && !n.retiredAt && n.id !== node.parentId && !own.has(n.id));
}

export interface TreeItem {
  key: string;
  node: AdminOrgNode;
  children: TreeItem[];
}

/** The nodes as a tree; roots are nodes whose parent is not in the list (the administrator's own nodes). */
export function buildTree(nodes: AdminOrgNode[], showRetired: boolean): TreeItem[] {
  const shown = showRetired ? nodes : nodes.filter((n) => !n.retiredAt);
  const ids = new Set(shown.map((n) => n.id));
  const byParent = new Map<string | null, AdminOrgNode[]>();
  for (const n of shown) {
    const parent = n.parentId && ids.has(n.parentId) ? n.parentId : null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), n]);
  }
  const make = (parent: string | null): TreeItem[] =>
    (byParent.get(parent) ?? [])
      .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN', { numeric: true }))
      .map((node) => ({ key: node.id, node, children: make(node.id) }));
  return make(null);
}
