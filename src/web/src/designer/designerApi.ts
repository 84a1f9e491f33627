// The workflow endpoints the designer calls, and the react-query keys for them.
import { useQuery } from '@tanstack/react-query';
import { api, ApiError } from '../shared/api';
import type {
  ActivityDescriptor,
  DefinitionSummary,
  DefinitionVersionView,
  InstanceSummary,
  InstanceView,
  JournalRow,
  ValidationError,
  VersionSummary,
  WorkflowDefinitionJson,
} from './types';

const definitions = '/api/workflow-definitions';
const instances = '/api/workflow-instances';
const enc = encodeURIComponent;

export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
export interface RoleView {
  role: string;
  name: string;
}

const journalPage = (id: string, page: number) =>
  api.get<Paged<JournalRow>>(`${instances}/${enc(id)}/journal?page=${page}&pageSize=500`);

/** The whole journal, a page at a time (the server pages it); the path on the canvas needs every line. */
async function wholeJournal(id: string): Promise<JournalRow[]> {
  const rows: JournalRow[] = [];
  for (let page = 1; ; page++) {
    const got = await journalPage(id, page);
    rows.push(...got.items);
    if (got.items.length === 0 || rows.length >= got.total) return rows;
  }
}

export const workflowsApi = {
  descriptors: () => api.get<ActivityDescriptor[]>('/api/activity-descriptors'),
  roles: () => api.get<RoleView[]>('/api/roles'),
  list: () => api.get<DefinitionSummary[]>(definitions),
  create: (definition: WorkflowDefinitionJson) => api.post<DefinitionVersionView>(definitions, definition),
  import: (elsa: unknown) => api.post<DefinitionVersionView>(`${definitions}/import`, elsa),
  validate: (definition: WorkflowDefinitionJson) =>
    api.post<{ valid: boolean; errors: ValidationError[] }>(`${definitions}/validate`, definition),
  latest: (id: string) => api.get<DefinitionVersionView>(`${definitions}/${enc(id)}`),
  version: (id: string, version: number) =>
    api.get<DefinitionVersionView>(`${definitions}/${enc(id)}/versions/${version}`),
  versions: (id: string) => api.get<VersionSummary[]>(`${definitions}/${enc(id)}/versions`),
  saveDraft: (id: string, definition: WorkflowDefinitionJson) =>
    api.put<DefinitionVersionView>(`${definitions}/${enc(id)}/draft`, definition),
  publish: (id: string) => api.post<DefinitionVersionView>(`${definitions}/${enc(id)}/publish`),
  instances: (definitionId: string) =>
    api.get<Paged<InstanceSummary>>(`${instances}?definitionId=${enc(definitionId)}&pageSize=100`),
  instance: (id: string) => api.get<InstanceView>(`${instances}/${enc(id)}`),
  journal: wholeJournal,
  start: (definitionId: string, input: Record<string, unknown>, correlationId?: string) =>
    api.post<InstanceView>(instances, { definitionId, input, ...(correlationId ? { correlationId } : {}) }),
};

/** The faults of a refused save, publish or import (invalidDefinition), each naming its activity. */
export function definitionErrors(error: unknown): ValidationError[] | null {
  if (!(error instanceof ApiError)) return null;
  const listed = (error.problem as { errors?: unknown }).errors;
  return error.problem.code === 'invalidDefinition' && Array.isArray(listed) ? (listed as ValidationError[]) : null;
}

export const designerKeys = {
  descriptors: ['designer', 'descriptors'] as const,
  roles: ['designer', 'roles'] as const,
  definitions: ['designer', 'definitions'] as const,
  /** `version` is a number, or 'latest' for the editor's open definition. */
  definition: (id: string | undefined, version: number | 'latest' | undefined) =>
    ['designer', 'definition', id, version] as const,
  versions: (id: string, current: number | undefined) => ['designer', 'versions', id, current] as const,
  instances: (definitionId: string) => ['designer', 'instances', definitionId] as const,
  instance: (id: string) => ['designer', 'instance', id] as const,
  journal: (id: string) => ['designer', 'journal', id] as const,
};

/** What a save or publish changes: the lists and versions, not the open definition (it is what was just saved). */
export const changedBySave = (q: { queryKey: readonly unknown[] }) =>
  q.queryKey[0] === 'designer' && !['definition', 'descriptors', 'roles'].includes(String(q.queryKey[1]));

export function useDescriptors() {
  return useQuery({ queryKey: designerKeys.descriptors, queryFn: workflowsApi.descriptors, staleTime: Infinity });
}

export function useRoles() {
  return useQuery({ queryKey: designerKeys.roles, queryFn: workflowsApi.roles, staleTime: Infinity });
}
