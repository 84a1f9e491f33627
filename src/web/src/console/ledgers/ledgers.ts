// The five 台账 the server exports (LedgersApi): their routes, the status codes each takes, and the nodes a caller may filter by.
import type { Grant } from '../../shared/auth';
import type { OrgNode } from '../../shared/types';

export const LEDGERS = [
  { kind: 'matters', statuses: ['raise', 'hear', 'deliberate', 'decide', 'execute', 'rate', 'closed'] },
  { kind: 'meetings', statuses: ['draft', 'convened', 'inSession', 'closed', 'minutesApproved', 'cancelled'] },
  { kind: 'resolutions', statuses: ['pending', 'inProgress', 'done', 'overdue'] },
  { kind: 'work-items', statuses: ['open', 'inProgress', 'done', 'overdue'] },
  { kind: 'ballots', statuses: ['announced', 'open', 'closed', 'faulted'] },
] as const;

export type LedgerKind = (typeof LEDGERS)[number]['kind'];

export interface LedgerFilters {
  nodeId?: string;
  from?: string;
  to?: string;
  status?: string;
}

/** The download address of a ledger with its filters (a GET the browser follows: the session cookie goes with it). */
export function ledgerUrl(kind: LedgerKind, filters: LedgerFilters): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) query.set(key, value);
  const text = query.toString();
  return `/api/ledgers/${kind}.xlsx${text ? `?${text}` : ''}`;
}

// Roles that are not staff (Caller.StaffPaths): their grants give no ledger scope.
const NOT_STAFF = new Set(['resident', 'workflowDesigner']);

/**
 * The nodes a ledger may be narrowed to: those at or below a node the caller is staff at (an administrator: all); /api/org
 * also lists the nodes above, which the server would answer as not found. Buildings are left out: ledgers go by grid and up.
 */
export function nodesInScope(nodes: OrgNode[], grants: Grant[]): OrgNode[] {
  const staff = grants.filter((g) => !NOT_STAFF.has(g.role));
  const admin = staff.some((g) => g.role === 'admin');
  const roots = new Set(staff.map((g) => g.orgUnitId));
  const parents = new Map(nodes.map((n) => [n.id, n.parentId]));
  const inScope = (id: string | null | undefined): boolean => {
    for (let at = id; at; at = parents.get(at)) if (roots.has(at)) return true;
    return false;
  };
  return nodes.filter((n) => n.level !== 'building' && (admin || inScope(n.id)));
}
