import type { MetricColumnDto } from './challenge-dto';
import type { SubmissionModelDto } from './model-dto';

/** A metric value with its bootstrap 68 % interval (16th–84th percentile); null when not computed. */
/**
 * A value with its 68 % bootstrap interval. JSON has no Infinity: an unbounded value (a background rejection where no
 * background passes) is serialised as `value: null` with `unbounded: true` (METRICS.md), never a bare null.
 */
export type MetricValueDto = { value: number | null; ciLow: number | null; ciHigh: number | null; unbounded?: true };

export function toMetricValueDto(value: number | null, ciLow: number | null, ciHigh: number | null): MetricValueDto {
  return value === Infinity ? { value, ciLow, ciHigh, unbounded: true } : { value, ciLow, ciHigh };
}

export type LeaderboardEntryDto = {
  /** Null for pinned organiser baselines, which are shown in place but never ranked. */
  rank: number | null;
  /** Statistical tie group from the paired bootstrap (1 = tied with the leader); null when not comparable. */
  tieGroup: number | null;
  /** The ranks this entry could hold given the paired bootstrap: [best, worst]. */
  rankInterval: [number, number] | null;
  /** Who the row belongs to: the team name for a team, else the participant's name. */
  userName: string;
  teamName: string | null;
  /** The row is yours or your team's. */
  isYou: boolean;
  /** An organiser's reference entry: pinned, marked, not ranked. */
  isBaseline: boolean;
  /** Private board: whether this entry was selected as final by its owner, or is the best-public fallback. */
  selection: 'selected' | 'best-public' | null;
  submissionId: string;
  submittedAt: string;
  entries: number;
  /** The best entry was trained in the browser with the platform's baseline. */
  isBrowserBaseline: boolean;
  values: Record<string, MetricValueDto>;
  /** Systematic robustness (relative spread across variations, bootstrap CI) per metric id that has one. */
  robustness: Record<string, MetricValueDto>;
  /** For a model submission: its format, size and inference time per 1 000 events; null for a predictions file. */
  model?: SubmissionModelDto | null;
};

export type LeaderboardDto = {
  challengeSlug: string;
  phaseKey: string;
  split: 'public' | 'private';
  /** False while the phase is open: the private board is then not served at all. */
  isPrivateRevealed: boolean;
  phaseTitle: string;
  /** Every phase of the challenge, for per-phase board tabs. */
  phases: { key: string; title: string; state: 'upcoming' | 'open' | 'closed' }[];
  metrics: MetricColumnDto[];
  /** Metrics with a robustness column (challenges with systematic variations); smaller is better. */
  robustnessMetrics: MetricColumnDto[];
  variations: { name: string; label: string }[];
  rows: LeaderboardEntryDto[];
};
