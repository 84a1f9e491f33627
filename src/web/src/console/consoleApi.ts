// What the console reads from and writes to the server: its URLs here, its react-query keys in shared/queryKeys.ts.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../shared/api';
import type * as Api from '../shared/api-types';
import {
  adminKeys,
  ballotKeys,
  claimKeys,
  matterKeys,
  measureKeys,
  meetingKeys,
  notificationKeys,
  registerKeys,
  reviewCycleKeys,
  robotKeys,
  bodyKeys,
  taskKeys,
  workItemKeys,
} from '../shared/queryKeys';
import type { Ballot, InboxTask, Matter, MatterSummary, Paged, ProposalKind } from '../shared/types';
import type { Participation } from './ballots/BallotPage';
import type { Measures } from './measures/measures';
import type { MinutesVersion } from './meetings/MinutesTab';
import type { Meeting, MeetingSummary } from './meetings/types';
import type { Notification } from './notifications/NotificationBell';
import type { ReviewCycle } from './reviewcycles/ReviewCyclesPage';
import type { WorkItem, WorkItemSummary } from './workitems/types';

export { useCategories, useOrg, useTask } from '../shared/sharedApi';

export const STEPS = ['hear', 'deliberate', 'decide', 'execute', 'rate', 'closed'] as const;

/** How often an open ballot's turnout is asked again while someone watches it. */
export const LIVE_REFRESH_MS = 3000;
const NOTIFICATION_POLL_MS = 30_000;

const itemsOf = <T>(page: Paged<T>) => page.items;

// Inbox, matters, measures

export const useInbox = (status: string, page: number, pageSize: number) =>
  useQuery({
    queryKey: taskKeys.list(status, page),
    queryFn: () => api.get<Paged<InboxTask>>(`/api/tasks?status=${status}&page=${page}&pageSize=${pageSize}`),
  });

/** The matters board; `query` is the filter's query string (the page size included). */
export const useMatterBoard = (query: string) =>
  useQuery({
    queryKey: matterKeys.board(query),
    queryFn: () => api.get<Paged<MatterSummary>>(`/api/matters?${query}`),
  });

export const useMatter = (id: string) =>
  useQuery({ queryKey: matterKeys.one(id), queryFn: () => api.get<Matter>(`/api/matters/${id}`) });

export const measuresCsvUrl = (range: string) => `/api/measures.csv?${range}`;

export const measureQueries = {
  /** `range` is `level=…&from=…&to=…`. */
  range: (range: string) =>
    queryOptions({ queryKey: measureKeys.range(range), queryFn: () => api.get<Measures>(`/api/measures?${range}`) }),
  month: (level: string, from: string, to: string) =>
    queryOptions({
      queryKey: measureKeys.level(level, from, to),
      queryFn: () => api.get<Measures>(`/api/measures?level=${level}&from=${from}&to=${to}`),
    }),
};

// Ballots

export interface Roll {
  electorate: { unit: string; owners: string[]; area: number; developerUnsold: boolean }[];
}

export interface NewOwnersBallot {
  title: string;
  description?: string;
  proposal: string;
  reason?: string;
  cost?: number | null;
  proposedBy?: string;
  rule: string;
  kind: string;
  orgUnitId: string;
  opensAt: string;
  closesAt: string;
  secret: boolean;
  allowRevote: boolean;
}

export interface NewMeetingBallot {
  title: string;
  meetingId: string;
  agendaItemId: string;
  motionId: string;
  matterId?: string | null;
  secret: boolean;
  closesAt: string;
}

export const ballotsApi = {
  create: (ballot: NewOwnersBallot | NewMeetingBallot) => api.post<Ballot>('/api/ballots', ballot),
  close: (id: string) => api.post(`/api/ballots/${id}/close`),
  /** A proxy's or a paper ballot's vote, entered by the owners' committee with its document. */
  enter: (id: string, channel: 'proxy' | 'paper', form: FormData) =>
    api.upload<{ slip: string }>(`/api/ballots/${id}/${channel}-votes`, form),
};

export const useBallots = (status: string, page: number) =>
  useQuery({
    queryKey: ballotKeys.list(status, page),
    queryFn: () =>
      api.get<Paged<Ballot>>(`/api/ballots?page=${page}&pageSize=20${status === 'all' ? '' : `&status=${status}`}`),
  });

export const useProposalKinds = () =>
  useQuery({ queryKey: ballotKeys.kinds, queryFn: () => api.get<ProposalKind[]>('/api/ballots/kinds') });

/** One ballot, asked again every few seconds while it is open. */
export const useBallot = (id: string) =>
  useQuery({
    queryKey: ballotKeys.one(id),
    queryFn: () => api.get<Ballot>(`/api/ballots/${id}`),
    refetchInterval: (q) => (q.state.data?.isOpen ? LIVE_REFRESH_MS : false),
  });

export const useParticipation = (id: string, live: boolean) =>
  useQuery({
    queryKey: ballotKeys.participation(id),
    queryFn: () => api.get<Participation[]>(`/api/ballots/${id}/participation`),
    refetchInterval: () => (live ? LIVE_REFRESH_MS : false),
  });

export const useRoll = (id: string) =>
  useQuery({ queryKey: ballotKeys.audit(id), queryFn: () => api.get<Roll>(`/api/ballots/${id}/audit`) });

export const useMatterBallots = (matterId: string) =>
  useQuery({
    queryKey: ballotKeys.forMatter(matterId),
    queryFn: () => api.get<Paged<Ballot>>(`/api/ballots?matterId=${matterId}&pageSize=100`).then(itemsOf),
  });

/** A meeting's ballots, asked again every few seconds while one of them is open. */
export const useMeetingBallots = (meetingId: string) =>
  useQuery({
    queryKey: ballotKeys.forMeeting(meetingId),
    queryFn: () => api.get<Paged<Ballot>>(`/api/ballots?meetingId=${meetingId}&pageSize=100`).then(itemsOf),
    refetchInterval: (q) => (q.state.data?.some((b) => b.isOpen) ? LIVE_REFRESH_MS : false),
  });

// Meetings

const meeting = (id: string) => `/api/meetings/${id}`;

export const meetingsApi = {
  create: (body: Record<string, unknown>) => api.post<Meeting>('/api/meetings', body),
  update: (id: string, body: Record<string, unknown>) => api.put(meeting(id), body),
  /** convene, open or close. */
  step: (id: string, action: string) => api.post(`${meeting(id)}/${action}`),
  adjourn: (id: string, startsAt: string) => api.post(`${meeting(id)}/adjourn`, { startsAt }),
  reschedule: (id: string, startsAt: string, reason: string, revision: number) =>
    api.post(`${meeting(id)}/reschedule`, { startsAt, reason, revision }),
  cancel: (id: string, reason: string, revision: number) => api.post(`${meeting(id)}/cancel`, { reason, revision }),
  addParticipant: (id: string, participant: unknown) => api.post(`${meeting(id)}/participants`, participant),
  removeParticipant: (id: string, participantId: string) => api.delete(`${meeting(id)}/participants/${participantId}`),
  recordAttendance: (id: string, entries: unknown) => api.put(`${meeting(id)}/attendance`, entries),
  addAgendaItem: (id: string, item: unknown) => api.post(`${meeting(id)}/agenda`, item),
  addOpinion: (id: string, itemId: string, opinion: unknown) =>
    api.post(`${meeting(id)}/agenda/${itemId}/opinions`, opinion),
  addMotion: (id: string, itemId: string, motion: unknown) =>
    api.post(`${meeting(id)}/agenda/${itemId}/motions`, motion),
  addResolution: (id: string, resolution: unknown) => api.post(`${meeting(id)}/resolutions`, resolution),
  /** Drafts the minutes (again, with the reason, once a version exists). */
  draftMinutes: (id: string, reason: string | null) => api.post(`${meeting(id)}/minutes`, { reason }),
  signMinutes: (id: string, version: number) => api.post(`${meeting(id)}/minutes/${version}/sign-off`),
  /** The minutes' PDF: the latest, or one version. */
  minutesPdf: (id: string, version?: number) => `${meeting(id)}/minutes${version ? `/${version}` : ''}.pdf`,
};

export const useMeetings = () =>
  useQuery({
    queryKey: meetingKeys.list,
    queryFn: () => api.get<Paged<MeetingSummary>>('/api/meetings?pageSize=100'),
  });

/** Drafts to prepare: where a workflow puts a matter on the agenda (the organisers' 待办). */
export const useDraftMeetings = (enabled: boolean) =>
  useQuery({
    queryKey: meetingKeys.drafts,
    queryFn: () => api.get<Paged<MeetingSummary>>('/api/meetings?state=draft&pageSize=100'),
    enabled,
  });

export const useMeeting = (id: string) =>
  useQuery({ queryKey: meetingKeys.one(id), queryFn: () => api.get<Meeting>(meeting(id)) });

export const useMinutes = (meetingId: string, enabled: boolean) =>
  useQuery({
    queryKey: meetingKeys.minutes(meetingId),
    queryFn: () => api.get<MinutesVersion[]>(`${meeting(meetingId)}/minutes`),
    enabled,
  });

// Work items

export const workItemsApi = {
  act: (id: string, action: 'progress' | 'complete' | 'escalate', body: unknown) =>
    api.post<WorkItem>(`/api/work-items/${id}/${action}`, body),
  addPhotos: (id: string, updateId: string, form: FormData) =>
    api.upload(`/api/work-items/${id}/updates/${updateId}/photos`, form),
};

export const useWorkItems = (status: string | undefined) =>
  useQuery({
    queryKey: workItemKeys.list(status),
    queryFn: () => api.get<Paged<WorkItemSummary>>(`/api/work-items?pageSize=100${status ? `&status=${status}` : ''}`),
  });

export const useMatterWorkItems = (matterId: string) =>
  useQuery({
    queryKey: workItemKeys.forMatter(matterId),
    queryFn: () => api.get<Paged<WorkItemSummary>>(`/api/work-items?matterId=${matterId}`),
  });

/** The caller's 待办 among work items: the unfinished ones they work on (their role at the item's node, or assigned to them). */
export const useMyWorkItems = () =>
  useQuery({
    queryKey: workItemKeys.mine,
    queryFn: () => api.get<Paged<WorkItemSummary>>('/api/work-items?mine=true&pageSize=100'),
  });

export const useWorkItem = (id: string) =>
  useQuery({ queryKey: workItemKeys.one(id), queryFn: () => api.get<WorkItem>(`/api/work-items/${id}`) });

// Notifications

export const notificationsApi = {
  read: (id: string) => api.post(`/api/notifications/${id}/read`),
  readAll: () => api.post('/api/notifications/read-all'),
};

// A server without notifications yet answers 404: the bell then shows no count rather than an error.
export const useUnreadCount = () =>
  useQuery({
    queryKey: notificationKeys.count,
    queryFn: () => api.get<{ count: number } | number>('/api/notifications/unread-count'),
    refetchInterval: NOTIFICATION_POLL_MS,
    retry: false,
  });

/** Asked only when the list is opened (refetch). */
export const useUnreadNotifications = () =>
  useQuery({
    queryKey: notificationKeys.unread,
    queryFn: () => api.get<Notification[]>('/api/notifications?unread=true'),
    enabled: false,
  });

// Review cycles

export const reviewCyclesApi = {
  save: (id: string | null, body: unknown) =>
    id ? api.put(`/api/review-cycles/${id}`, body) : api.post('/api/review-cycles', body),
  pause: (id: string, paused: boolean) => api.post(`/api/review-cycles/${id}/${paused ? 'pause' : 'resume'}`),
  remove: (id: string) => api.delete(`/api/review-cycles/${id}`),
};

export const useReviewCycles = () =>
  useQuery({ queryKey: reviewCycleKeys.all, queryFn: () => api.get<ReviewCycle[]>('/api/review-cycles') });

// Administration (admins, scoped to their nodes)

export type OrgLevel = 'district' | 'street' | 'community' | 'grid' | 'building';
/** The description leaves a retired node's date loose: null while the node is in service. */
export type AdminOrgNode = Omit<Api.SchemaAdminOrgUnitView, 'level' | 'retiredAt'> & {
  level: OrgLevel;
  retiredAt: string | null;
};
export type StaffUser = Api.SchemaStaffUserView;
export type RoleOption = Api.SchemaRoleView;

// Each edit sends the node's version as the administrator saw it: one changed meanwhile is refused (409 `conflict`).
export const orgAdminApi = {
  create: (parentId: string, name: string) => api.post<AdminOrgNode>('/api/admin/org', { parentId, name }),
  rename: (node: AdminOrgNode, name: string) =>
    api.put<AdminOrgNode>(`/api/admin/org/${node.id}/name`, { name, version: node.version }),
  move: (node: AdminOrgNode, parentId: string) =>
    api.post<AdminOrgNode>(`/api/admin/org/${node.id}/move`, { parentId, version: node.version }),
  retire: (node: AdminOrgNode) => api.post<AdminOrgNode>(`/api/admin/org/${node.id}/retire`, { version: node.version }),
  restore: (node: AdminOrgNode) =>
    api.post<AdminOrgNode>(`/api/admin/org/${node.id}/restore`, { version: node.version }),
  remove: (id: string) => api.delete(`/api/admin/org/${id}`),
};

export const useAdminOrg = () =>
  useQuery({ queryKey: adminKeys.org, queryFn: () => api.get<AdminOrgNode[]>('/api/admin/org') });

export interface NewUser {
  userName: string;
  displayName: string;
  email?: string;
  phone?: string;
  role: string;
  orgUnitId: string;
}

export const usersApi = {
  create: (user: NewUser) => api.post<Api.SchemaCreatedUserView>('/api/users', user),
  grant: (id: string, role: string, orgUnitId: string) => api.post(`/api/users/${id}/roles`, { role, orgUnitId }),
  revoke: (id: string, role: string, orgUnitId: string) => api.delete(`/api/users/${id}/roles/${role}/${orgUnitId}`),
  resetPassword: (id: string) => api.post<Api.SchemaOneTimePasswordView>(`/api/users/${id}/password`),
  deactivate: (id: string) => api.post(`/api/users/${id}/deactivate`),
  reactivate: (id: string) => api.post(`/api/users/${id}/reactivate`),
};

export const useUsers = () =>
  useQuery({ queryKey: adminKeys.users, queryFn: () => api.get<StaffUser[]>('/api/users') });

export const useRoles = () =>
  useQuery({ queryKey: adminKeys.roles, queryFn: () => api.get<RoleOption[]>('/api/roles'), staleTime: 600_000 });

// The owners' register (业主名册)

export type RegisterPreview = Api.SchemaRegisterPreviewView;
export type RegisterImport = Api.SchemaRegisterImportView;
export type RegisterUnit = Api.SchemaRegisterUnitView;

const register = (communityId: string) => `/api/communities/${communityId}/register`;

export const registerApi = {
  preview: (communityId: string, file: File, gridId?: string | null) => {
    const form = new FormData();
    form.append('file', file);
    if (gridId) form.append('gridId', gridId);
    return api.upload<RegisterPreview>(`${register(communityId)}/previews`, form);
  },
  /** confirmRemovals: the number of units the preview retires, as the committee confirmed it (needed when the preview says so). */
  apply: (communityId: string, previewId: string, confirmRemovals?: number) =>
    api.post<RegisterImport>(
      `${register(communityId)}/previews/${previewId}/apply` +
        (confirmRemovals === undefined ? '' : `?confirmRemovals=${confirmRemovals}`),
    ),
  exportUrl: (communityId: string) => `${register(communityId)}/export.xlsx`,
  templateUrl: '/api/register/template.xlsx',
  /** The building's invitation letters as a PDF; the letters printed before and not yet used stop working. */
  letters: (buildingId: string) => api.post<Blob>(`/api/buildings/${buildingId}/letters`),
};

export const useRegisterUnits = (communityId: string, building: string, search: string, page: number) =>
  useQuery({
    queryKey: registerKeys.units(communityId, building, search, page),
    queryFn: () =>
      api.get<Paged<RegisterUnit>>(
        `${register(communityId)}?page=${page}&pageSize=50${building ? `&building=${encodeURIComponent(building)}` : ''}${
          search ? `&search=${encodeURIComponent(search)}` : ''
        }`,
      ),
    enabled: !!communityId,
  });

export const useRegisterImports = (communityId: string) =>
  useQuery({
    queryKey: registerKeys.imports(communityId),
    queryFn: () => api.get<RegisterImport[]>(`${register(communityId)}/imports`),
    enabled: !!communityId,
  });

// Group robots (企业微信/政务微信, 钉钉) of a community or grid

/** The description leaves the last delivery loose: null until a card got through. */
export type GroupRobot = Omit<Api.SchemaGroupRobotView, 'lastDeliveredAt'> & { lastDeliveredAt: string | null };
export interface RobotChange {
  kind?: 'weCom' | 'dingTalk' | null;
  name?: string | null;
  /** Null keeps the stored URL or secret: the console only ever sees them masked. */
  url?: string | null;
  secret?: string | null;
  enabled?: boolean | null;
}

const robots = (orgUnitId: string) => `/api/org-units/${orgUnitId}/robots`;

export const robotsApi = {
  add: (orgUnitId: string, robot: RobotChange) => api.post<GroupRobot>(robots(orgUnitId), robot),
  change: (orgUnitId: string, id: string, robot: RobotChange) =>
    api.put<GroupRobot>(`${robots(orgUnitId)}/${id}`, robot),
  remove: (orgUnitId: string, id: string) => api.delete(`${robots(orgUnitId)}/${id}`),
  test: (orgUnitId: string, id: string) =>
    api.post<{ delivered: boolean; error?: string | null }>(`${robots(orgUnitId)}/${id}/test`, {}),
};

export const useRobots = (orgUnitId: string) =>
  useQuery({
    queryKey: robotKeys.of(orgUnitId),
    queryFn: () => api.get<GroupRobot[]>(robots(orgUnitId)),
    enabled: !!orgUnitId,
  });

// 组织与成员: a community's committees, property companies and resident units with their terms
export type Body = Omit<Api.SchemaBodyView, 'retiredAt' | 'currentTerm'> & {
  retiredAt: string | null;
  currentTerm: Api.SchemaBodyTermView | null;
};
export type NewTermMember = Api.SchemaTermMemberRequest;
export type FourPartyInvitee = Api.SchemaInviteeView;
export type StaffAccount = Api.SchemaStaffAccountView;

export const bodiesApi = {
  add: (communityId: string, body: Api.SchemaCreateBodyRequest) =>
    api.post<Body>(`/api/communities/${communityId}/bodies`, body),
  change: (id: string, body: Api.SchemaChangeBodyRequest) => api.put<Body>(`/api/bodies/${id}`, body),
  addTerm: (id: string, term: Api.SchemaAddTermRequest) => api.post<Body>(`/api/bodies/${id}/terms`, term),
  retire: (id: string) => api.post<Body>(`/api/bodies/${id}/retire`),
};

export const useBodies = (communityId: string) =>
  useQuery({
    queryKey: bodyKeys.of(communityId),
    queryFn: () => api.get<Body[]>(`/api/communities/${communityId}/bodies`),
  });

/** The community's staff accounts a term's member can be linked to. */
export const useCommunityStaff = (communityId: string) =>
  useQuery({
    queryKey: bodyKeys.staff(communityId),
    queryFn: () => api.get<StaffAccount[]>(`/api/communities/${communityId}/staff`),
  });

export const useFourPartyInvitees = (communityId: string) =>
  useQuery({
    queryKey: bodyKeys.invitees(communityId),
    queryFn: () => api.get<FourPartyInvitee[]>(`/api/communities/${communityId}/four-party-invitees`),
  });
// Home claims waiting for a verifier (the grid worker of the building's grid, the property company, an administrator)

/** The description leaves the decision time loose: null while the claim waits. */
export type HomeClaim = Omit<Api.SchemaClaimView, 'decidedAt'> & { decidedAt: string | null };

export const claimsApi = {
  /** For an owner's claim, ownerId names the register's owner the account becomes. */
  verify: (id: string, ownerId: string | null) => api.post<HomeClaim>(`/api/claims/${id}/verify`, { ownerId }),
  refuse: (id: string, reason: string) => api.post<HomeClaim>(`/api/claims/${id}/refuse`, { reason }),
};

export const useClaimQueue = () =>
  useQuery({ queryKey: claimKeys.queue, queryFn: () => api.get<HomeClaim[]>('/api/claims') });
