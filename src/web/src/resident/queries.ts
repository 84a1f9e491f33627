// What the resident pages read from the server. Keys name the resource so that a write can refresh it.
import { useQuery } from '@tanstack/react-query';
import { api } from '../shared/api';
import type {
  Ballot,
  Category,
  InboxTask,
  Matter,
  MatterSummary,
  Notice,
  OpenRating,
  OrgNode,
  Paged,
} from '../shared/types';

export const useMyMatters = (pageSize = 20) =>
  useQuery({
    queryKey: ['matters', 'mine', pageSize],
    queryFn: () => api.get<Paged<MatterSummary>>(`/api/matters?mine=true&pageSize=${pageSize}`),
  });

export const useMatter = (id: string) =>
  useQuery({ queryKey: ['matters', id], queryFn: () => api.get<Matter>(`/api/matters/${id}`) });

export const useOpenBallots = () =>
  // Only the ballots the resident may vote in: an owners' committee member vote is not every owner's.
  useQuery({
    queryKey: ['ballots', 'open', 'mine'],
    queryFn: () => api.get<Paged<Ballot>>('/api/ballots?status=open&mine=true&pageSize=100').then((p) => p.items),
  });

export const useOpenRatings = () =>
  useQuery({ queryKey: ['ratings', 'open'], queryFn: () => api.get<OpenRating[]>('/api/ratings/open') });

// A resident's open tasks, soonest due first; a phone shows the first 50 of them.
export const useMyTasks = () =>
  useQuery({
    queryKey: ['tasks', 'open'],
    queryFn: () => api.get<Paged<InboxTask>>('/api/tasks?status=open&pageSize=50'),
    select: (page) => page.items,
  });

export const useNotices = (all: boolean) =>
  useQuery({ queryKey: ['notices', all], queryFn: () => api.get<Notice[]>(`/api/notices${all ? '?all=true' : ''}`) });

export const useCategories = () =>
  useQuery({
    queryKey: ['categories'],
    queryFn: () => api.get<Category[]>('/api/matters/categories'),
    staleTime: 600_000,
  });

export const useOrg = () =>
  useQuery({ queryKey: ['org'], queryFn: () => api.get<OrgNode[]>('/api/org'), staleTime: 600_000 });
