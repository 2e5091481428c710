import 'server-only';
import fs from 'node:fs/promises';
import { eq } from 'drizzle-orm';
import { challenges, submissionModels, submissions } from '@/db/schema';
import { AppError } from '@/lib/shared/app-error';
import { assertSignedIn } from '../assert-signed-in';
import { canOrganise } from '../challenges/can-organise';
import type { ServiceContext } from '../context';
import { blobFilePath } from '../storage/blob-store';

export type ModelPredictionsDownload = { absolutePath: string; fileName: string; sizeBytes: number; sha256: string };

/**
 * The predictions file a model run wrote (`variation,id,score`), for the challenge's organisers only: a model can
 * encode what it sees of the hidden test features in its outputs, so per-event outputs on hidden data are never
 * shown to the participant (who sees the metrics and plots, like every submitter).
 *
 * @throws {AppError} `NOT_FOUND` for anyone else, for a submission that is not a model, or before a run finished.
 */
export async function getModelPredictionsDownload(ctx: ServiceContext, submissionId: string): Promise<ModelPredictionsDownload> {
  assertSignedIn(ctx);
  const notFound = () => new AppError('NOT_FOUND', `Submission ${submissionId} has no model predictions you can download; the organisers of its challenge can.`);
  const [row] = await ctx.db
    .select({ model: submissionModels, challenge: { id: challenges.id, createdBy: challenges.createdBy }, fileName: submissions.fileName })
    .from(submissionModels)
    .innerJoin(submissions, eq(submissions.id, submissionModels.submissionId))
    .innerJoin(challenges, eq(challenges.id, submissions.challengeId))
    .where(eq(submissionModels.submissionId, submissionId));
  if (!row || !canOrganise(ctx.user, row.challenge) || !row.model.predictionsSha256) throw notFound();
  const absolutePath = blobFilePath(ctx.dataDir, row.model.predictionsSha256);
  const stat = await fs.stat(absolutePath).catch(() => null);
  if (!stat) throw notFound();
  return { absolutePath, fileName: `predictions-${submissionId}.csv`, sizeBytes: stat.size, sha256: row.model.predictionsSha256 };
}
