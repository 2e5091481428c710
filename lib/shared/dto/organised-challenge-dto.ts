import type { PhaseDto } from './challenge-dto';

/** A problem of an uploaded or edited challenge definition: where (`phases.0.closesAt`) and what to fix. */
export type DefinitionIssueDto = { path: string; message: string };

/** A challenge in the organiser's list, drafts included. */
export type OrganisedChallengeSummaryDto = {
  slug: string;
  title: string;
  task: string;
  revision: number;
  isDraft: boolean;
  publishedAt: string | null;
  dataset: { id: string; version: string };
  openPhase: PhaseDto | null;
  submissionCount: number;
};

export type OrganisedPhaseDto = PhaseDto & {
  submissionCount: number;
  /** Scored entries whose current scores come from an older scoring version: a rescore brings them up to date. */
  staleScoredCount: number;
  failedCount: number;
  /** Submissions waiting for or in scoring. */
  pendingCount: number;
};

/** Everything the organiser page of one challenge shows besides the submissions, downloads and audit log. */
export type OrganisedChallengeDto = Omit<OrganisedChallengeSummaryDto, 'openPhase'> & {
  summary: string;
  ownerName: string | null;
  /** `${scoring code version}.r${revision}`: what a rescore computes now. */
  scoringVersion: string;
  dataset: { id: string; version: string; title: string; isToy: boolean };
  metrics: Array<{ id: string; label: string; primary: boolean }>;
  phases: OrganisedPhaseDto[];
  /** The stored definition as JSON, to download, edit and upload again. */
  definitionJson: string;
  /** When the definition or a phase last changed: sent back with an edited copy to detect edits made meanwhile. */
  updatedAt: string;
};

/** What creating or changing a challenge did. */
export type ChallengeChangeDto = {
  slug: string;
  title: string;
  revision: number;
  isDraft: boolean;
  /** The revision went up because metrics, scoring, splits, task or dataset changed (scores need a rescore). */
  isRevisionBumped: boolean;
};

export type RescoreResultDto = {
  phaseKey: string;
  /** Submissions handed to the scoring queue (every scored or failed one of the phase). */
  enqueued: number;
  /** The scoring version they are recomputed under. */
  scoringVersion: string;
};

/** One reason a dataset version does not fit a challenge: which aspect, and what exactly differs. */
export type DatasetFitProblemDto = { aspect: 'dataset' | 'task' | 'variations' | 'columns' | 'test-ids'; message: string };

/**
 * What switching a challenge to another version of its dataset would do, shown before the organiser confirms: whether
 * the version fits (and if not, why), the revision it leads to, and the entries that are rescored against it.
 */
export type DatasetSwitchPlanDto = {
  slug: string;
  from: { dataset: string; version: string };
  to: { dataset: string; version: string; title: string };
  /** Empty when the version fits; a switch with problems is refused. */
  problems: DatasetFitProblemDto[];
  /** What stays the same or is merely added (extra columns, unchanged test ids), for the organiser's confidence. */
  notes: string[];
  revisionAfter: number;
  /** Every phase with the entries that are handed back to the scoring queue on confirmation. */
  phases: Array<{ key: string; title: string; state: 'upcoming' | 'open' | 'closed'; toRescore: number; pending: number }>;
  totalToRescore: number;
  /** Names exactly this plan (challenge state and target): confirming an outdated plan is refused. */
  planToken: string;
};

/** What a confirmed dataset switch did. */
export type DatasetSwitchResultDto = ChallengeChangeDto & { from: string; to: string; rescored: RescoreResultDto[] };
