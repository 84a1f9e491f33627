// Who is signed in: /api/auth/me through react-query, with sign-in and sign-out.
import { createContext, useContext, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from './api';
import { allButMe, authKeys } from './queryKeys';
import { authApi } from './sharedApi';

export interface Grant {
  role: string;
  roleName: string;
  orgUnitId: string;
  orgUnitName: string;
  level: string;
}
export interface Me {
  id: string;
  userName: string;
  displayName: string;
  ownerId?: string | null;
  roles: Grant[];
  /** Signed in with a one-time password: every API but changing it answers passwordChangeRequired until then. */
  mustChangePassword?: boolean;
}

interface AuthState {
  me: Me | null;
  loading: boolean;
  signIn: (username: string, password: string) => Promise<Me>;
  signOut: () => Promise<void>;
  /** Forgets who was signed in without asking the server (after a password change, which ended the session). */
  forget: () => void;
  hasRole: (...roles: string[]) => boolean;
}

const AuthContext = createContext<AuthState | null>(null);

/** Roles that work at a desk: they land in the staff console rather than the resident pages. */
export const STAFF_ROLES = [
  'admin',
  'partySecretary',
  'gridWorker',
  'residentsCommittee',
  'ownersCommittee',
  'propertyCompany',
  'streetOfficer',
  'departmentOfficer',
  'workflowDesigner',
];

export function AuthProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const query = useQuery({
    queryKey: authKeys.me,
    queryFn: async () => {
      try {
        return await authApi.me();
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return null;
        throw e;
      }
    },
    staleTime: 60_000,
    retry: false,
  });
  const me = query.data ?? null;
  // Another person's data must not survive a change of user; 'me' stays so its observers keep working.
  const forgetOtherQueries = () => client.removeQueries({ predicate: allButMe });
  const state: AuthState = {
    me,
    loading: query.isLoading,
    signIn: async (username, password) => {
      const signedIn = await authApi.login(username, password);
      forgetOtherQueries();
      client.setQueryData(authKeys.me, signedIn);
      return signedIn;
    },
    signOut: async () => {
      await authApi.logout();
      forgetOtherQueries();
      client.setQueryData(authKeys.me, null);
    },
    forget: () => {
      forgetOtherQueries();
      client.setQueryData(authKeys.me, null);
    },
    hasRole: (...roles) => !!me && me.roles.some((g) => roles.includes(g.role)),
  };
  return <AuthContext.Provider value={state}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) throw new Error('useAuth outside AuthProvider');
  return state;
}
