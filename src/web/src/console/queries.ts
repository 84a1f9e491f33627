// Reference data the console's filters and forms need.
import { useQuery } from '@tanstack/react-query';
import { api } from '../shared/api';
import type { Category, OrgNode } from '../shared/types';

export const useCategories = () =>
  useQuery({
    queryKey: ['categories'],
    queryFn: () => api.get<Category[]>('/api/matters/categories'),
    staleTime: 600_000,
  });

export const useOrg = () =>
  useQuery({ queryKey: ['org'], queryFn: () => api.get<OrgNode[]>('/api/org'), staleTime: 600_000 });

export const STEPS = ['hear', 'deliberate', 'decide', 'execute', 'rate', 'closed'] as const;
