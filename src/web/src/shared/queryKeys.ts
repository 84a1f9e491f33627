// Every react-query key the app uses, one factory per resource. A key starts with its resource's name, so that a
// write invalidates `xKeys.all` (or one item's key, which is also the prefix of that item's sub-resources).
export const authKeys = {
  me: ['me'] as const,
  options: ['auth-options'] as const,
};

export const referenceKeys = {
  categories: ['categories'] as const,
  org: ['org'] as const,
};

export const matterKeys = {
  all: ['matters'] as const,
  mine: (pageSize: number) => ['matters', 'mine', pageSize] as const,
  board: (query: string) => ['matters', 'board', query] as const,
  one: (id: string) => ['matters', id] as const,
};

export const taskKeys = {
  all: ['tasks'] as const,
  /** The resident's open tasks (the first 50). */
  mine: ['tasks', 'open'] as const,
  list: (status: string, page: number) => ['tasks', status, page] as const,
  one: (id: string) => ['tasks', id] as const,
};

export const ballotKeys = {
  all: ['ballots'] as const,
  list: (status: string, page: number) => ['ballots', 'list', status, page] as const,
  openMine: ['ballots', 'open', 'mine'] as const,
  kinds: ['ballots', 'kinds'] as const,
  forMatter: (matterId: string) => ['ballots', 'matter', matterId] as const,
  forMeeting: (meetingId: string) => ['ballots', 'meeting', meetingId] as const,
  one: (id: string) => ['ballots', id] as const,
  participation: (id: string) => ['ballots', id, 'participation'] as const,
  audit: (id: string) => ['ballots', id, 'audit'] as const,
  myVote: (id: string) => ['ballots', id, 'me'] as const,
  deliberation: (id: string) => ['ballots', id, 'deliberation'] as const,
};

export const ratingKeys = {
  all: ['ratings'] as const,
  open: ['ratings', 'open'] as const,
  forMatter: (matterId: string) => ['ratings', matterId] as const,
};

export const noticeKeys = {
  list: (all: boolean) => ['notices', all] as const,
};

export const meetingKeys = {
  list: ['meetings', 'list'] as const,
  /** Draft meetings, to prepare (the organisers' 待办). */
  drafts: ['meetings', 'drafts'] as const,
  one: (id: string) => ['meetings', id] as const,
  minutes: (id: string) => ['meetings', id, 'minutes'] as const,
  forMatter: (matterId: string) => ['meetings', 'forMatter', matterId] as const,
};

export const workItemKeys = {
  all: ['workItems'] as const,
  list: (status: string | undefined) => ['workItems', status] as const,
  forMatter: (matterId: string) => ['workItems', 'matter', matterId] as const,
  /** The caller's 待办: the unfinished items they work on. */
  mine: ['workItems', 'mine'] as const,
  one: (id: string) => ['workItems', id] as const,
};

export const measureKeys = {
  range: (range: string) => ['measures', range] as const,
  level: (level: string, from: string, to: string) => ['measures', level, from, to] as const,
};

export const notificationKeys = {
  all: ['notifications'] as const,
  count: ['notifications', 'count'] as const,
  unread: ['notifications', 'unread'] as const,
};

export const reviewCycleKeys = {
  all: ['reviewCycles'] as const,
};

export const adminKeys = {
  org: ['admin', 'org'] as const,
  users: ['admin', 'users'] as const,
  roles: ['admin', 'roles'] as const,
};

export const registerKeys = {
  all: (communityId: string) => ['register', communityId] as const,
  units: (communityId: string, building: string, search: string, page: number) =>
    ['register', communityId, 'units', building, search, page] as const,
  imports: (communityId: string) => ['register', communityId, 'imports'] as const,
};

/** A community's bodies; the invitees hang under it, so that a change to the bodies refreshes them too. */
export const bodyKeys = {
  of: (communityId: string) => ['bodies', communityId] as const,
  invitees: (communityId: string) => ['bodies', communityId, 'invitees'] as const,
  staff: (communityId: string) => ['bodies', communityId, 'staff'] as const,
};

export const claimKeys = {
  queue: ['claims', 'queue'] as const,
};

export const robotKeys = {
  of: (orgUnitId: string) => ['robots', orgUnitId] as const,
};

/** Everything but who is signed in: dropped when the user changes, refreshed when the language does. */
export const allButMe = (q: { queryKey: readonly unknown[] }) => q.queryKey[0] !== authKeys.me[0];
