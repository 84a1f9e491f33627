// The shapes the server answers with, named as the app knows them. They are the server's own, generated from its
// OpenAPI description into api-types.ts (npm run api-types; scripts/refresh-openapi.sh refreshes the description),
// so that tsc fails when the app and the server disagree. Only what the description leaves loose is written here.
import type * as Api from './api-types';

export type Place = Api.SchemaPlaceView;
export type Person = Api.SchemaPersonView;
/** A page of a list (the server's PagedOf… types, one generic). */
export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
export type OrgNode = Omit<Api.SchemaOrgUnitView, 'level'> & {
  level: 'district' | 'street' | 'community' | 'grid' | 'building';
};
export type FormField = Api.SchemaFormFieldView;
export type TaskOutcome = Api.SchemaTaskOutcomeView;
export type InboxTask = Api.SchemaTaskView;
export type Photo = Api.SchemaPhotoView;
export type TimelineEntry = Api.SchemaTimelineEntry;
export type MatterSummary = Api.SchemaMatterSummary;
export type Matter = Api.SchemaMatterView;
export type RuleDescription = Api.SchemaRuleDescription;
export type Figures = Api.SchemaFigures;
/** The server describes the tally as free JSON (it is shared with the public tally endpoint): its shape is here. */
export interface TallyResult {
  outcome: string;
  quorumMet: boolean;
  totals: Figures;
  participating: Figures;
  agree: Figures;
  disagree: Figures;
  abstain: Figures;
  deemed?: Figures | null;
  deemedAs?: string | null;
  rule: RuleDescription;
  /** With deemed consent: the real turnout, and where the rules of procedure count the deemed heads. */
  deemedCounting?: {
    voted: Figures;
    votedPercent: Figures;
    towardParticipation: boolean;
    towardThreshold: boolean;
    thresholdBase: Figures;
  } | null;
}
export type Ballot = Omit<Api.SchemaBallotView, 'result'> & { result: TallyResult | null };
export type MyVote = Api.SchemaMyVoteView;
export type BallotDeliberation = Api.SchemaBallotDeliberationView;
export type VoteReceipt = Api.SchemaVoteReceipt;
export type Notice = Api.SchemaNoticeView;
export type OpenRating = Api.SchemaOpenRatingView;
export type RatingRound = Api.SchemaRatingRoundView;
export type ProposalKind = Api.SchemaProposalKind;
export interface Category {
  code: string;
  name: string;
}
