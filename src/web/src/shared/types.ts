// The shapes the server answers with (see docs/api.md and the *Api.cs records). Only what the app reads.

export interface Place { id: string; name: string }
export interface Person { id?: string | null; name: string }
export interface Paged<T> { items: T[]; total: number; page: number; pageSize: number }
export interface OrgNode { id: string; parentId: string | null; level: 'district' | 'street' | 'community' | 'grid' | 'building'; name: string }
export interface Category { code: string; name: string }

export interface FormField {
  name: string;
  label: string;
  type: 'text' | 'textarea' | 'number' | 'boolean' | 'select' | 'date' | string;
  required: boolean;
  options?: string[] | null;
  forOutcomes?: string[] | null;
}
export interface TaskOutcome { name: string; label: string }
export interface InboxTask {
  id: string;
  title: string;
  description?: string | null;
  role: string;
  roleName: string;
  scope?: Place | null;
  matter?: { id: string; title: string; step: string } | null;
  form: FormField[];
  outcomes: TaskOutcome[];
  dueAt?: string | null;
  overdue: boolean;
  createdAt: string;
  status: string;
  completedAt?: string | null;
  outcome?: string | null;
}

export interface Photo { id: string; fileName: string; contentType: string; size: number; url: string }
export interface TimelineEntry {
  at: string;
  kind: 'raised' | 'step' | 'taskCreated' | 'taskCompleted' | 'finished' | string;
  title: string;
  step?: string | null;
  outcome?: string | null;
  outcomeLabel?: string | null;
  actor?: Person | null;
  values?: Record<string, unknown> | null;
}
export interface MatterSummary {
  id: string; title: string; category: string; categoryName: string; grid: Place; step: string; stepName: string;
  triage?: string | null; anonymous: boolean; raisedAt: string; stepChangedAt: string; overdue: boolean;
}
export interface Matter extends MatterSummary {
  description: string;
  community: Place;
  building?: Place | null;
  location?: string | null;
  raisedBy: Person;
  contactPhone?: string | null;
  source: string;
  isPublic: boolean;
  resolution?: string | null;
  closedAt?: string | null;
  photos: Photo[];
  openTasks: { id: string; title: string; role: string; dueAt?: string | null; overdue: boolean }[];
  timeline: TimelineEntry[];
}

export interface Threshold { fraction: string; textZh: string; textEn: string }
export interface RuleDescription { name: string; titleZh: string; titleEn: string; quorum?: Threshold | null; pass: Threshold }
export interface ChoiceCount { headcount: number; area: number | null }
export interface Ballot {
  id: string; title: string; description?: string | null; rule: string;
  ruleDescription?: RuleDescription | null;
  secret: boolean; allowRevote: boolean; deemedConsent: boolean; scope: Place;
  /** The proposal's kind (民法典 Art. 278 ¶1) for owners' ballots, and its name with the item. */
  kind?: string | null; kindName?: string | null;
  meetingId?: string | null; agendaItemId?: string | null; matterId?: string | null;
  opensAt: string; closesAt: string; status: string; isOpen: boolean;
  electorate: { units: number; heads: number; area: number | null; members: number; present: number };
  participation: { heads: number; area: number | null };
  result?: TallyResult | null;
  outcome?: string | null;
  /** When the ballot was announced (an owners' ballot opens at least 15 days later). */
  announcedAt: string;
  /** Who organised an owners' ballot: the owners' committee, or the residents' committee under the street's guidance. */
  organiser?: { body: 'ownersCommittee' | 'residentsCommitteeUnderStreetGuidance'; bodyName: string; name?: string | null } | null;
}
export interface MyVote {
  eligible: boolean; units: string[]; area: number | null; voted: boolean; channel?: string | null;
  castAt?: string | null; choice?: string | null; canVote: boolean;
  /** The head's receipt code once it has voted, however the vote came in (online, paper, proxy). */
  receipt?: string | null;
}
export interface VoteReceipt { ballotId: string; receipt: string; choice: string; units: string[]; area: number | null; revote: boolean }

export interface Notice {
  id: string; kind: string; title: string; body: string; place: Place; postedAt: string; postedUntil: string; current: boolean;
  matterId?: string | null; meetingId?: string | null; ballotId?: string | null;
  /** 公示期: first and last day (inclusive, China dates) and their count, as the server prints them everywhere. */
  firstDay: string; lastDay: string; postingDays: number;
}

export interface OpenRating {
  roundId: string; round: number; matter: { id: string; title: string }; opensAt: string; closesAt: string;
  resolution?: string | null; work: { title: string; responsibleUnit: string; text?: string | null; doneAt?: string | null; rework: boolean }[];
}
export interface RatingRound {
  id: string; round: number; status: string; opensAt: string; closesAt: string; closedAt?: string | null; threshold: number;
  ratings: number; satisfied?: number | null; basicallySatisfied?: number | null; dissatisfied?: number | null; rate?: number | null;
  outcome?: string | null; outcomeName?: string | null; comments: { choice: string; choiceName: string; comment: string; at: string }[];
}

export interface Figures { area?: number | null; headcount: number }
export interface TallyResult {
  outcome: string; quorumMet: boolean; totals: Figures; participating: Figures; agree: Figures; disagree: Figures; abstain: Figures;
  deemed?: Figures | null; deemedAs?: string | null; rule: RuleDescription;
  /** With deemed consent: the real turnout, and where the rules of procedure count the deemed heads. */
  deemedCounting?: { voted: Figures; votedPercent: Figures; towardParticipation: boolean; towardThreshold: boolean; thresholdBase: Figures } | null;
}
export interface ProposalKind { code: string; item: number; nameZh: string; nameEn: string; major: boolean }
