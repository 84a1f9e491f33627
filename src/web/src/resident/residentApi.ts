// What the resident pages read from and write to the server; the keys (shared/queryKeys.ts) name the resource so
// that a write can refresh it.
import { useQuery } from '@tanstack/react-query';
import { api } from '../shared/api';
import { ballotKeys, matterKeys, meetingKeys, noticeKeys, ratingKeys, taskKeys } from '../shared/queryKeys';
import type {
  Ballot,
  BallotDeliberation,
  InboxTask,
  Matter,
  MatterSummary,
  MyVote,
  Notice,
  OpenRating,
  Paged,
  RatingRound,
  VoteReceipt,
} from '../shared/types';

export { useCategories, useOrg, useTask } from '../shared/sharedApi';

export const residentApi = {
  raise: (draft: Record<string, unknown>, requestKey: string) => api.create<Matter>('/api/matters', draft, requestKey),
  addPhotos: (matterId: string, form: FormData) => api.upload(`/api/matters/${matterId}/photos`, form),
  rate: (matterId: string, choice: string | null, comment: string | null) =>
    api.post(`/api/matters/${matterId}/ratings`, { choice, comment }),
  vote: (ballotId: string, choice: string, receipt: string | undefined) =>
    api.post<VoteReceipt>(`/api/ballots/${ballotId}/votes`, { choice, receipt }),
  // After the close the answer also names the choice the ballot was counted as.
  checkReceipt: (ballotId: string, code: string) =>
    api.get<{ counted: boolean; choice?: string | null }>(
      `/api/ballots/${ballotId}/receipts/${encodeURIComponent(code)}`,
    ),
  signMinutes: (meetingId: string, version: number) =>
    api.post<MinutesVersion>(`/api/meetings/${meetingId}/minutes/${version}/sign-off`),
  /** Exactly the stored file of one version (the hash shown beside it is of these bytes). */
  minutesPdf: (meetingId: string, version: number) => `/api/meetings/${meetingId}/minutes/${version}.pdf`,
};

export const useMyMatters = (pageSize = 20) =>
  useQuery({
    queryKey: matterKeys.mine(pageSize),
    queryFn: () => api.get<Paged<MatterSummary>>(`/api/matters?mine=true&pageSize=${pageSize}`),
  });

export const useMatter = (id: string) =>
  useQuery({ queryKey: matterKeys.one(id), queryFn: () => api.get<Matter>(`/api/matters/${id}`) });

export const useOpenBallots = () =>
  // Only the ballots the resident may vote in: an owners' committee member vote is not every owner's.
  useQuery({
    queryKey: ballotKeys.openMine,
    queryFn: () => api.get<Paged<Ballot>>('/api/ballots?status=open&mine=true&pageSize=100').then((p) => p.items),
  });

export const useBallot = (id: string) =>
  useQuery({ queryKey: ballotKeys.one(id), queryFn: () => api.get<Ballot>(`/api/ballots/${id}`) });

/** The meeting that discussed a ballot's proposal; fetched only when the owner opens it. */
export const useDeliberation = (id: string, enabled: boolean) =>
  useQuery({
    queryKey: ballotKeys.deliberation(id),
    queryFn: () => api.get<BallotDeliberation>(`/api/ballots/${id}/deliberation`),
    enabled,
  });

export const useMyVote = (id: string) =>
  useQuery({ queryKey: ballotKeys.myVote(id), queryFn: () => api.get<MyVote>(`/api/ballots/${id}/me`) });

export const useOpenRatings = () =>
  useQuery({ queryKey: ratingKeys.open, queryFn: () => api.get<OpenRating[]>('/api/ratings/open') });

export const useRatingRounds = (matterId: string) =>
  useQuery({
    queryKey: ratingKeys.forMatter(matterId),
    queryFn: () => api.get<RatingRound[]>(`/api/matters/${matterId}/ratings`),
  });

// A resident's open tasks, soonest due first; a phone shows the first 50 of them.
export const useMyTasks = () =>
  useQuery({
    queryKey: taskKeys.mine,
    queryFn: () => api.get<Paged<InboxTask>>('/api/tasks?status=open&pageSize=50'),
    select: (page) => page.items,
  });

export const useNotices = (all: boolean) =>
  useQuery({
    queryKey: noticeKeys.list(all),
    queryFn: () => api.get<Notice[]>(`/api/notices${all ? '?all=true' : ''}`),
  });

/** When and where a matter is (or was) discussed: the meetings whose agenda carries it, the live one first. */
export interface MatterMeeting {
  meetingId: string;
  title: string;
  startsAt: string;
  place: string;
  state: 'draft' | 'convened' | 'inSession' | 'closed' | 'minutesApproved' | 'cancelled';
  stateName: string;
  rescheduled: boolean;
  cancelReason?: string | null;
  /** When a held meeting actually sat. */
  openedAt?: string | null;
  closedAt?: string | null;
}

export const useMatterMeetings = (matterId: string) =>
  useQuery({
    queryKey: meetingKeys.forMatter(matterId),
    queryFn: () => api.get<MatterMeeting[]>(`/api/meetings/for-matter/${matterId}`),
  });

/** The little of a meeting the minutes page shows. */
export interface ResidentMeeting {
  id: string;
  title: string;
  startsAt: string;
  place: string;
}

export const useResidentMeeting = (id: string) =>
  useQuery({ queryKey: meetingKeys.one(id), queryFn: () => api.get<ResidentMeeting>(`/api/meetings/${id}`) });

/** One stored version of a meeting's minutes, with who must sign it and who has. */
export interface MinutesVersion {
  version: number;
  sha256: string;
  language: string;
  createdAt: string;
  createdBy: string;
  reason?: string | null;
  signOffs: { userId: string; name: string; signedAt: string }[];
  requiredSigners: { userId: string; name: string }[];
  signedByAll: boolean;
}

export const useMeetingMinutes = (meetingId: string) =>
  useQuery({
    queryKey: meetingKeys.minutes(meetingId),
    queryFn: () => api.get<MinutesVersion[]>(`/api/meetings/${meetingId}/minutes`),
  });
