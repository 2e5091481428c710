import 'server-only';
import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { challenges, scores, submissions } from '@/db/schema';
import { isAppError } from '@/lib/shared/app-error';
import { parsePredictionsCsv } from '@/lib/shared/formats/predictions-csv';
import { ScoringError } from '@/scoring/errors';
import { getChallengeOrThrow } from '../challenges/get-challenge-or-throw';
import { loadTruth } from '../datasets/load-truth';
import { readBlob } from '../storage/blob-store';
import { computeSplitScores } from './compute-split-scores';
import { scoringVersion } from './scoring-version';

export type ScoringOutcome = { status: 'scored' | 'failed' | 'skipped'; error?: string };

/**
 * The scoring job: `queued → scoring → scored | failed(reason)`. Idempotent: a retried job overwrites the same
 * score rows. Every error ends the submission `failed` with a reason the participant can read; errors that are not
 * the participant's fault are logged with their cause and shown as a generic message.
 */
export async function scoreSubmission(deps: { db: Database; dataDir: string; now?: () => Date }, submissionId: string): Promise<ScoringOutcome> {
  const { db, dataDir } = deps;
  const now = deps.now ?? (() => new Date());
  const [claimed] = await db
    .update(submissions)
    .set({ status: 'scoring', scoringStartedAt: now() })
    .where(and(eq(submissions.id, submissionId), inArray(submissions.status, ['received', 'queued', 'scoring'])))
    .returning();
  if (!claimed) return { status: 'skipped' };

  try {
    const [challengeRow] = await db.select({ slug: challenges.slug }).from(challenges).where(eq(challenges.id, claimed.challengeId));
    if (!challengeRow) throw new Error(`challenge ${claimed.challengeId} of submission ${submissionId} is gone`);
    const loaded = await getChallengeOrThrow(db, challengeRow.slug);
    const truth = await loadTruth(dataDir, loaded.datasetVersion.storageDir, loaded.manifest);
    const bytes = await readBlob(dataDir, claimed.sha256);
    const predictions = parsePredictionsCsv(new TextDecoder().decode(bytes), truth.ids, { fileName: claimed.fileName });
    const splitScores = computeSplitScores(truth, predictions, loaded.definition, loaded.manifest);
    const rows = (['public', 'private'] as const).flatMap((split) =>
      Object.entries(splitScores[split]).map(([metric, score]) => ({
        submissionId,
        split,
        variation: 'nominal',
        metric,
        value: score.value,
        ciLow: score.ciLow,
        ciHigh: score.ciHigh,
        replicas: Array.from(score.replicas),
        replicaCount: score.replicas.length,
        scoringVersion,
      })),
    );
    await db.transaction(async (tx) => {
      for (const row of rows) {
        await tx
          .insert(scores)
          .values(row)
          .onConflictDoUpdate({
            target: [scores.submissionId, scores.split, scores.variation, scores.metric],
            set: { value: row.value, ciLow: row.ciLow, ciHigh: row.ciHigh, replicas: row.replicas, replicaCount: row.replicaCount, scoringVersion },
          });
      }
      await tx.update(submissions).set({ status: 'scored', error: null, finishedAt: now() }).where(eq(submissions.id, submissionId));
    });
    return { status: 'scored' };
  } catch (error) {
    const isUserFacing = isAppError(error) || error instanceof ScoringError;
    if (!isUserFacing) console.error(`scoring submission ${submissionId} failed`, error);
    const reason = isUserFacing
      ? error.message
      : `Scoring failed because of an internal error (reference ${submissionId}); the error was logged for the organisers. It does not count towards your limit.`;
    await db.update(submissions).set({ status: 'failed', error: reason, finishedAt: now() }).where(eq(submissions.id, submissionId));
    return { status: 'failed', error: reason };
  }
}
