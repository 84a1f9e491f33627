// The workflow JSON (docs/workflow-format.md) and what the server says about activities and instances.
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
export type Localized = { 'zh-CN': string; en: string };

export interface Position {
  x: number;
  y: number;
}

/** An activity as saved: id, type, version, displayName, metadata and its inputs as plain properties. */
export interface ActivityJson {
  id: string;
  type: string;
  version?: number;
  displayName?: string;
  metadata?: JsonObject;
  [input: string]: Json | undefined;
}

export interface ConnectionJson {
  source: { activity: string; port?: string | null };
  target: { activity: string; port?: string | null };
}

export interface VariableJson {
  name: string;
  type: string;
  value?: Json;
}

export interface WorkflowDefinitionJson {
  definitionId: string;
  version?: number;
  name: string;
  description?: string;
  variables?: VariableJson[];
  root: { type: string; activities: ActivityJson[]; connections: ConnectionJson[] };
  /** Whatever else a definition carries is kept as it is. */
  [extra: string]: unknown;
}

export interface InputDescriptor {
  name: string;
  type: string;
  uiHint: string;
  displayName: Localized;
  description?: Localized | null;
  required: boolean;
  options?: string[] | null;
  defaultValue?: Json;
}

export interface ActivityDescriptor {
  type: string;
  category: { name: string; displayName: Localized };
  displayName: Localized;
  description?: Localized | null;
  inputs: InputDescriptor[];
  outcomes: { name: string; displayName: Localized }[];
  outcomesFromInput?: string | null;
  waits: boolean;
}

export interface DefinitionSummary {
  definitionId: string;
  name: string;
  latestVersion: number;
  publishedVersion: number | null;
  hasDraft: boolean;
  updatedAt: string;
}

export interface DefinitionVersionView {
  definitionId: string;
  version: number;
  name: string;
  isPublished: boolean;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  createdBy: string | null;
  definition: WorkflowDefinitionJson;
}

export interface VersionSummary {
  version: number;
  isPublished: boolean;
  createdAt: string;
  publishedAt: string | null;
  createdBy: string | null;
}

export interface ValidationError {
  code: string;
  activityId: string | null;
  message: string;
}

export interface InstanceSummary {
  id: string;
  definitionId: string;
  version: number;
  status: string;
  correlationId: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
  /** testRun (a designer's start: touches no real data), matter (started for one matter) or starter (acts as its starter may). */
  scope: string;
  testRun: boolean;
  /** The matter the instance runs for, shown instead of ids. */
  serves: { kind: string; id: string; title: string } | null;
}

export interface BookmarkView {
  id: string;
  activityId: string;
  name: string;
  correlation: string | null;
  dueAt: string | null;
  createdAt: string;
}

export interface InstanceView extends InstanceSummary {
  variables: Record<string, Json>;
  bookmarks: BookmarkView[];
  incidents: { id: string; activityId: string; message: string; at: string; resolvedAt?: string | null }[];
  startedBy: { id: string | null; name: string } | null;
  scopeMatterId: string | null;
}

export interface JournalRow {
  sequence: number;
  at: string;
  event: string;
  activityId: string | null;
  activityType: string | null;
  activityName: string | null;
  outcome: string | null;
  actorId: string | null;
  actorName: string | null;
  data: Json;
}

/** The one activity type the format itself names: a workflow begins at exactly one Start, which nothing leads into. */
export const START_TYPE = 'Start';
/** Every activity has one entry port. */
export const IN_PORT = 'In';
