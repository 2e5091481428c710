import 'server-only';
import fs from 'node:fs/promises';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { submissions } from '@/db/schema';
import { recordAuditEvent } from '../audit/record-audit-event';
import { getChallengeOrThrow } from '../challenges/get-challenge-or-throw';
import type { ScoringQueue } from '../context';
import { loadChallengeTruth } from '../datasets/load-challenge-truth';
import { toPredictionTarget } from '../datasets/to-prediction-target';
import { putBlob, sha256Hex } from '../storage/blob-store';
import { readPredictionsFile } from '../submissions/read-predictions-file';
import { lockStoredFile, releaseUnusedStoredFile } from '../submissions/stored-file-lock';

/** A file with this name in a built-in challenge's dataset version is the organiser baseline seeded at start. */
export const BUILTIN_BASELINE_FILE = 'baseline_submission.csv';

export type SeedBaselineOutcome = { outcome: 'created' | 'exists' | 'no-baseline-file'; submissionId?: string };

/**
 * Pins the organiser baseline of a built-in challenge on its board: when the challenge's dataset version ships
 * `baseline_submission.csv` (the tracking toy's Hough baseline), it is stored and submitted once, as a baseline owned
 * by `organiserId`, to the latest phase that has opened, and queued for scoring like any entry. Idempotent and safe
 * for servers starting together: the check and the insert run under one transaction-scoped advisory lock per
 * challenge, so a second server finds the first one's row.
 *
 * @throws {AppError} when the file does not validate against the challenge's truth (a broken dataset version).
 */
export async function seedBuiltinBaseline(
  deps: { db: Database; dataDir: string; queue: ScoringQueue; now?: () => Date },
  slug: string,
  organiserId: string,
): Promise<SeedBaselineOutcome> {
  const { db, dataDir } = deps;
  const now = deps.now ?? (() => new Date());
  const loaded = await getChallengeOrThrow(db, slug);
  const file = loaded.manifest.files.find((f) => f.name === BUILTIN_BASELINE_FILE && !f.serverOnly);
  if (!file) return { outcome: 'no-baseline-file' };
  const phase = loaded.phases.filter((p) => p.opensAt <= now()).at(-1);
  if (!phase) return { outcome: 'no-baseline-file' };
  const fullPath = path.join(dataDir, loaded.datasetVersion.storageDir, file.name);
  const bytes = new Uint8Array(await fs.readFile(fullPath));
  const sha256 = sha256Hex(bytes);
  const alreadyThere = () =>
    db
      .select({ id: submissions.id })
      .from(submissions)
      .where(and(eq(submissions.challengeId, loaded.challenge.id), eq(submissions.isBaseline, true), eq(submissions.sha256, sha256)))
      .limit(1);
  const [existing] = await alreadyThere();
  if (existing) return { outcome: 'exists', submissionId: existing.id };

  const predictions = await readPredictionsFile(fullPath, file.name, toPredictionTarget(await loadChallengeTruth(dataDir, loaded)));
  const { created } = await putBlob(dataDir, bytes);
  let inserted: { id: string; isNew: boolean };
  try {
    inserted = await db.transaction(async (tx) => {
      await lockStoredFile(tx, sha256);
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`seed-baseline:${loaded.challenge.id}`}))`);
      const [found] = await tx
        .select({ id: submissions.id })
        .from(submissions)
        .where(and(eq(submissions.challengeId, loaded.challenge.id), eq(submissions.isBaseline, true), eq(submissions.sha256, sha256)))
        .limit(1);
      if (found) return { id: found.id, isNew: false };
      const [row] = await tx
        .insert(submissions)
        .values({
          challengeId: loaded.challenge.id,
          phaseId: phase.id,
          userId: organiserId,
          fileName: file.name,
          sha256,
          sizeBytes: bytes.length,
          rows: predictions.rows,
          status: 'received',
          source: 'upload',
          isBaseline: true,
          challengeRevision: loaded.challenge.revision,
          createdAt: now(),
        })
        .returning({ id: submissions.id });
      if (!row) throw new Error(`the baseline of ${slug} was not inserted`);
      await recordAuditEvent(tx, {
        actorId: organiserId,
        action: 'submission.baseline',
        challengeId: loaded.challenge.id,
        target: `submission:${row.id}`,
        details: { phase: phase.key, fileName: file.name, sha256, seeded: 'built-in baseline of the dataset version' },
        at: now(),
      });
      return { id: row.id, isNew: true };
    });
  } catch (error) {
    if (created) await releaseUnusedStoredFile(db, dataDir, sha256);
    throw error;
  }
  if (!inserted.isNew) return { outcome: 'exists', submissionId: inserted.id };
  // Committed: from here a failure leaves the row `received`, which the stuck-submission sweep queues again.
  try {
    await deps.queue.enqueueScoring(inserted.id);
    await db
      .update(submissions)
      .set({ status: 'queued', queuedAt: now() })
      .where(and(eq(submissions.id, inserted.id), eq(submissions.status, 'received')));
  } catch (error) {
    console.error(`the baseline submission ${inserted.id} of ${slug} is recorded but could not be queued now; the sweep will queue it`, error);
  }
  return { outcome: 'created', submissionId: inserted.id };
}
