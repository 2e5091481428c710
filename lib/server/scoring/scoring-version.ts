import 'server-only';
/**
 * Version of the scoring code; bump when a metric, the split rule, the bootstrap or the way splits are weighted
 * changes. 3: systematic variations and robustness, interval-estimation tasks, per-challenge-revision versions.
 */
export const SCORING_CODE_VERSION = '3';

/**
 * The scoring version recorded on score rows and details, e.g. "3.r2": the code version and the challenge
 * revision, so a rescore after either change adds rows beside the old ones instead of overwriting them.
 */
export function currentScoringVersion(revision: number): string {
  return `${SCORING_CODE_VERSION}.r${revision}`;
}
