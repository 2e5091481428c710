import 'server-only';
import fs from 'node:fs/promises';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { challenges, scoreDetails, scores, submissionModels, submissions, type Submission } from '@/db/schema';
import { AppError, isAppError } from '@/lib/shared/app-error';
import { ScoringError } from '@/scoring/errors';
import { getChallengeOrThrow } from '../challenges/get-challenge-or-throw';
import { runSubmissionModel } from '../models/run-submission-model';
import { loadChallengeTruth } from '../datasets/load-challenge-truth';
import { toPredictionTarget } from '../datasets/to-prediction-target';
import { announceBoardChange } from '../leaderboards/announce-board-change';
import { blobFilePath } from '../storage/blob-store';
import { heartbeatIntervalMs } from '../jobs/recover-stuck-submissions';
import { readPredictionsFile } from '../submissions/read-predictions-file';
import { computeSubmissionScores } from './compute-submission-scores';
import { currentScoringVersion } from './scoring-version';
import { ROBUSTNESS_VARIATION, type SubmissionScores } from './submission-scores';

export type ScoringOutcome = { status: 'scored' | 'failed' | 'skipped'; error?: string };

/** Score rows per insert statement (each carries its replicas), to keep statements a reasonable size. */
const rowsPerInsert = 50;

/**
 * The scoring job. First scoring: `queued → scoring → scored | failed(reason)`; a `failed` submission handed back to
 * the queue (an organiser rescoring a phase) takes the same path again. Rescoring (the submission is
 * already `scored`, e.g. after an organiser changed the challenge): the submission stays `scored` and on the
 * board while the scores are recomputed under the current version `<code version>.r<challenge revision>`; the new
 * rows are added beside the old version's, and `scored_version` moves to the new version in the same transaction.
 * A failed rescore leaves the old version current and says why in `error`.
 *
 * Idempotent: a retried job overwrites the same version's rows, and a job for a submission already scored under the
 * current version does nothing (a lost job retried after its submission was scored anew). While it scores, it renews
 * the submission's heartbeat every few seconds, so that a worker that died is noticed within a minute
 * (recover-stuck-submissions). Errors the participant can act on are shown as they are; others are logged with their
 * cause and shown as a generic message.
 */
export async function scoreSubmission(deps: { db: Database; dataDir: string; now?: () => Date }, submissionId: string): Promise<ScoringOutcome> {
  const { db, dataDir } = deps;
  const now = deps.now ?? (() => new Date());
  const [current] = await db.select().from(submissions).where(eq(submissions.id, submissionId));
  if (!current) return { status: 'skipped' };
  const isRescore = current.status === 'scored';
  let submission: Submission | undefined = current;
  if (isRescore && current.scoredVersion !== null) {
    const [challengeRow] = await db.select({ revision: challenges.revision }).from(challenges).where(eq(challenges.id, current.challengeId));
    if (challengeRow && current.scoredVersion === currentScoringVersion(challengeRow.revision)) return { status: 'skipped' };
  }
  if (!isRescore) {
    // A failed submission handed back (an organiser rescoring a phase) gets a new attempt: it was never on the board.
    [submission] = await db
      .update(submissions)
      .set({ status: 'scoring', scoringStartedAt: now(), heartbeatAt: now(), scoringAttempts: sql`${submissions.scoringAttempts} + 1`, error: null })
      .where(and(eq(submissions.id, submissionId), inArray(submissions.status, ['received', 'queued', 'scoring', 'failed'])))
      .returning();
    if (!submission) return { status: 'skipped' };
  }
  const heartbeat = isRescore
    ? null
    : setInterval(() => {
        db.update(submissions)
          .set({ heartbeatAt: new Date() })
          .where(and(eq(submissions.id, submissionId), eq(submissions.status, 'scoring')))
          .catch((error: unknown) => console.error(`[scoring] heartbeat of ${submissionId} failed`, error));
      }, heartbeatIntervalMs);
  heartbeat?.unref();
  try {
    return await scoreLoaded(db, dataDir, now, submissionId, submission, isRescore);
  } finally {
    if (heartbeat) clearInterval(heartbeat);
  }
}

async function scoreLoaded(db: Database, dataDir: string, now: () => Date, submissionId: string, submission: Submission, isRescore: boolean): Promise<ScoringOutcome> {
  let version: string | null = null;
  try {
    const [challengeRow] = await db.select({ slug: challenges.slug }).from(challenges).where(eq(challenges.id, submission.challengeId));
    if (!challengeRow) throw new Error(`challenge ${submission.challengeId} of submission ${submissionId} is gone`);
    const loaded = await getChallengeOrThrow(db, challengeRow.slug);
    version = currentScoringVersion(loaded.challenge.revision);
    const truth = await loadChallengeTruth(dataDir, loaded);
    const file = blobFilePath(dataDir, submission.sha256);
    await fs.access(file).catch((cause: unknown) => {
      throw new AppError('NOT_FOUND', `Stored file ${submission.sha256} is missing from the blob store.`, {}, { cause });
    });
    // A model is run on the hidden test sets first; what it predicts is then read like an uploaded file.
    const [model] = await db.select({ submissionId: submissionModels.submissionId }).from(submissionModels).where(eq(submissionModels.submissionId, submissionId));
    const predictionsFile = model ? (await runSubmissionModel({ db, dataDir, now }, submission, loaded)).predictionsPath : file;
    const predictions = await readPredictionsFile(predictionsFile, model ? `the predictions of ${submission.fileName}` : submission.fileName, toPredictionTarget(truth));
    const computed = computeSubmissionScores(truth, predictions, loaded.definition, loaded.manifest);
    await storeScores(db, { submissionId, challengeSlug: challengeRow.slug }, version, computed, now());
    return { status: 'scored' };
  } catch (error) {
    const isUserFacing = isAppError(error) || error instanceof ScoringError;
    if (!isUserFacing) console.error(`scoring submission ${submissionId} failed`, error);
    const reason = isUserFacing
      ? error.message
      : `Scoring failed because of an internal error (reference ${submissionId}); the error was logged for the organisers.${isRescore ? '' : ' It does not count towards your limit.'}`;
    if (isRescore) {
      // The previous version's scores stay current and on the board; the reason is kept for the organisers.
      const message = `Rescoring under version ${version ?? '(unknown)'} failed: ${reason}`;
      await db.update(submissions).set({ error: message }).where(and(eq(submissions.id, submissionId), eq(submissions.status, 'scored')));
      return { status: 'failed', error: message };
    }
    await db.update(submissions).set({ status: 'failed', error: reason, finishedAt: now() }).where(eq(submissions.id, submissionId));
    return { status: 'failed', error: reason };
  }
}

/**
 * In one transaction: upserts every score row and plot of `version`, removes rows of that version the
 * computation no longer produces, makes `version` the submission's current one and announces the board change.
 */
async function storeScores(
  db: Database,
  { submissionId, challengeSlug }: { submissionId: string; challengeSlug: string },
  version: string,
  computed: SubmissionScores,
  finishedAt: Date,
): Promise<void> {
  const scoreRows = computed.scores.map((row) => ({
    submissionId,
    split: row.split,
    variation: row.variation,
    metric: row.metric,
    value: row.value,
    ciLow: row.ciLow,
    ciHigh: row.ciHigh,
    replicas: row.replicas,
    // A robustness replica that is not finite has no robustness (its CI skips it); a metric's replicas all count.
    replicaCount: row.replicas === null ? null : row.variation === ROBUSTNESS_VARIATION ? row.replicas.filter((r) => Number.isFinite(r)).length : row.replicas.length,
    scoringVersion: version,
  }));
  const detailRows = computed.details.map((row) => ({ submissionId, split: row.split, variation: row.variation, scoringVersion: version, data: row.data }));
  const scoreKey = (r: { split: string; variation: string; metric: string }) => `${r.split}\u0000${r.variation}\u0000${r.metric}`;
  const detailKey = (r: { split: string; variation: string }) => `${r.split}\u0000${r.variation}`;
  await db.transaction(async (tx) => {
    for (let start = 0; start < scoreRows.length; start += rowsPerInsert) {
      await tx
        .insert(scores)
        .values(scoreRows.slice(start, start + rowsPerInsert))
        .onConflictDoUpdate({
          target: [scores.submissionId, scores.split, scores.variation, scores.metric, scores.scoringVersion],
          set: {
            value: sql`excluded.value`,
            ciLow: sql`excluded.ci_low`,
            ciHigh: sql`excluded.ci_high`,
            replicas: sql`excluded.replicas`,
            replicaCount: sql`excluded.replica_count`,
          },
        });
    }
    for (const row of detailRows) {
      await tx
        .insert(scoreDetails)
        .values(row)
        .onConflictDoUpdate({
          target: [scoreDetails.submissionId, scoreDetails.split, scoreDetails.variation, scoreDetails.scoringVersion],
          set: { data: row.data },
        });
    }
    const wantedScores = new Set(scoreRows.map(scoreKey));
    const storedScores = await tx
      .select({ id: scores.id, split: scores.split, variation: scores.variation, metric: scores.metric })
      .from(scores)
      .where(and(eq(scores.submissionId, submissionId), eq(scores.scoringVersion, version)));
    const staleScores = storedScores.filter((r) => !wantedScores.has(scoreKey(r))).map((r) => r.id);
    if (staleScores.length > 0) await tx.delete(scores).where(inArray(scores.id, staleScores));
    const wantedDetails = new Set(detailRows.map(detailKey));
    const storedDetails = await tx
      .select({ id: scoreDetails.id, split: scoreDetails.split, variation: scoreDetails.variation })
      .from(scoreDetails)
      .where(and(eq(scoreDetails.submissionId, submissionId), eq(scoreDetails.scoringVersion, version)));
    const staleDetails = storedDetails.filter((r) => !wantedDetails.has(detailKey(r))).map((r) => r.id);
    if (staleDetails.length > 0) await tx.delete(scoreDetails).where(inArray(scoreDetails.id, staleDetails));
    await tx.update(submissions).set({ status: 'scored', error: null, scoredVersion: version, finishedAt }).where(eq(submissions.id, submissionId));
    // Every web server drops its visitors' copies of this challenge's boards when this commits.
    await announceBoardChange(tx, challengeSlug);
  });
}
