import type { Place } from '../../shared/types';

export interface Participant {
  id: string;
  party: string;
  partyName: string;
  name: string;
  role: 'member' | 'invitee';
  userId?: string | null;
  attendance: string;
  attendanceName: string;
}
export interface Opinion {
  id: string;
  party: string;
  partyName: string;
  speaker?: string | null;
  text: string;
  recordedAt: string;
}
export interface Motion {
  id: string;
  text: string;
  proposedBy: string;
  createdAt: string;
  ballotId?: string | null;
}
export interface AgendaItem {
  id: string;
  order: number;
  title: string;
  description?: string | null;
  matterId?: string | null;
  announced: boolean;
  votable: boolean;
  opinions: Opinion[];
  motions: Motion[];
}
export interface ResolutionPosition {
  party: string;
  partyName: string;
  position: 'agree' | 'disagree' | 'reserve';
  positionName: string;
  remark?: string | null;
}
/** Four-party meetings record each party's position and the consensus (null when not recorded; other meetings vote). */
export interface Resolution {
  id: string;
  agendaItemId?: string | null;
  text: string;
  responsibleUnit: string;
  deadline: string;
  positions: ResolutionPosition[];
  consensus?: boolean | null;
  consensusName?: string | null;
  outstanding?: string | null;
}
export interface MeetingSummary {
  id: string;
  community: Place;
  type: string;
  typeName: string;
  form: string;
  title: string;
  place: string;
  startsAt: string;
  state: string;
  stateName: string;
  agendaItems: number;
}
export interface Meeting {
  id: string;
  community: Place;
  type: string;
  typeName: string;
  form: string;
  formName: string;
  title: string;
  place: string;
  startsAt: string;
  endsAt?: string | null;
  chairName?: string | null;
  chairUserId?: string | null;
  recorderName?: string | null;
  recorderUserId?: string | null;
  state: 'draft' | 'convened' | 'inSession' | 'closed' | 'minutesApproved' | 'cancelled';
  stateName: string;
  noticeDays: number;
  convenedAt?: string | null;
  openedAt?: string | null;
  closedAt?: string | null;
  createdAt: string;
  parties: { party: string; partyName: string; participants: Participant[] }[];
  expected: number;
  present: number;
  quorum: {
    rule: string;
    description: string;
    counted: number;
    of: number;
    required?: number | null;
    met?: boolean | null;
  };
  agenda: AgendaItem[];
  resolutions: Resolution[];
  canManage: boolean;
  /** The concurrency token: sent back with a change, so that two secretaries do not overwrite each other. */
  revision: number;
  cancelledAt?: string | null;
  cancelReason?: string | null;
  notices: Notice[];
}
/** One line of the meeting's notice record: the notice, and each change announced after it. */
export interface Notice {
  kind: string;
  kindName: string;
  at: string;
  startsAt: string;
  place: string;
  reason?: string | null;
}

export const PARTIES = [
  'partyOrganisation',
  'residentsCommittee',
  'ownersCommittee',
  'propertyCompany',
  'residentRepresentatives',
  'residentUnits',
  'streetOffice',
  'department',
  'other',
] as const;
export const MEETING_TYPES = [
  'fourParty',
  'ownersCommittee',
  'residentsMeeting',
  'representativesMeeting',
  'ownersAssembly',
] as const;
export const ATTENDANCE = ['present', 'inAttendance', 'onLeave', 'absent'] as const;
