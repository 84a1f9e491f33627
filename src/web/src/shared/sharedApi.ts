// The endpoints both the console and the resident pages call: signing in, reference data, one task.
import { useQuery } from '@tanstack/react-query';
import { api } from './api';
import { authKeys, referenceKeys, taskKeys } from './queryKeys';
import type { Me } from './auth';
import type { Category, InboxTask, OrgNode } from './types';

/**
 * GET /api/auth/options: whether the server is in demo mode (the password is sent only then), and whether staff may
 * sign in through the identity provider.
 */
export interface AuthOptions {
  demo: boolean;
  demoPassword?: string | null;
  oidc?: boolean;
}

/** Where the browser goes to sign in through the identity provider; it comes back to `next` signed in. */
export const oidcSignInUrl = (next: string) => `/api/auth/oidc/login?returnUrl=${encodeURIComponent(next)}`;

export const authApi = {
  me: () => api.get<Me>('/api/auth/me'),
  options: () => api.get<AuthOptions>('/api/auth/options'),
  login: (username: string, password: string) => api.post<Me>('/api/auth/login', { username, password }),
  logout: () => api.post('/api/auth/logout'),
  /** Ends every session of the user, this one too (204). */
  changePassword: (currentPassword: string, newPassword: string) =>
    api.post('/api/auth/password', { currentPassword, newPassword }),
};

export const tasksApi = {
  one: (id: string) => api.get<InboxTask>(`/api/tasks/${id}`),
  complete: (id: string, outcome: string, values: Record<string, unknown>) =>
    api.post<InboxTask>(`/api/tasks/${id}/complete`, { outcome, values }),
};

export const useAuthOptions = () =>
  useQuery({ queryKey: authKeys.options, queryFn: authApi.options, staleTime: Infinity });

export const useTask = (id: string) => useQuery({ queryKey: taskKeys.one(id), queryFn: () => tasksApi.one(id) });

export const useCategories = () =>
  useQuery({
    queryKey: referenceKeys.categories,
    queryFn: () => api.get<Category[]>('/api/matters/categories'),
    staleTime: 600_000,
  });

export const useOrg = () =>
  useQuery({ queryKey: referenceKeys.org, queryFn: () => api.get<OrgNode[]>('/api/org'), staleTime: 600_000 });
