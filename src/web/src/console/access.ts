// Which parts of the console a person sees: only what their roles can use on the server.
import type { Me } from '../shared/auth';

export type ConsoleArea =
  | 'inbox'
  | 'matters'
  | 'meetings'
  | 'ballots'
  | 'workItems'
  | 'reviewCycles'
  | 'measures'
  | 'ledgers'
  | 'org'
  | 'users'
  | 'register'
  | 'robots'
  | 'bodies'
  | 'verification';

const STAFF = [
  'admin',
  'partySecretary',
  'gridWorker',
  'residentsCommittee',
  'ownersCommittee',
  'propertyCompany',
  'streetOfficer',
  'departmentOfficer',
];
// The server's rules: MeetingAccess.OrganiserRoles, MeasuresApi.Staff (no admin), review cycles are the party organisation's.
const AREAS: Record<ConsoleArea, string[]> = {
  inbox: STAFF,
  matters: STAFF,
  meetings: STAFF,
  ballots: STAFF,
  workItems: STAFF,
  reviewCycles: ['admin', 'partySecretary', 'residentsCommittee', 'streetOfficer'],
  measures: STAFF.filter((r) => r !== 'admin'),
  // LedgersApi: the staff roles (MeasuresApi.Staff); an administrator too.
  ledgers: STAFF,
  // OrgAdminApi and UsersApi: administrators only; RegisterAccess; GroupRobotsApi.KeptAsync.
  org: ['admin'],
  users: ['admin'],
  register: ['admin', 'ownersCommittee', 'propertyCompany'],
  robots: ['admin', 'partySecretary'],
  // BodyAccess.MayManage: the page keeps the register; other staff read it through the API.
  bodies: ['admin', 'partySecretary'],
  // HomeClaimAccess: the grid worker of the building's grid, the property company, an administrator.
  verification: ['admin', 'gridWorker', 'propertyCompany'],
};

/** The roles that keep the owners' register of a community (RegisterAccess). */
export const REGISTER_KEEPERS = AREAS.register;

export function areasFor(me: Me | null): ConsoleArea[] {
  const roles = new Set(me?.roles.map((g) => g.role));
  return (Object.keys(AREAS) as ConsoleArea[]).filter((area) => AREAS[area].some((r) => roles.has(r)));
}

export const MEETING_ORGANISERS = ['admin', 'partySecretary', 'residentsCommittee', 'ownersCommittee', 'streetOfficer'];
