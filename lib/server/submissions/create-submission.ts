import 'server-only';
import { and, count, eq, gte, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import { submissionSources, submissions } from '@/db/schema';
import { AppError } from '@/lib/shared/app-error';
import type { SubmissionDto } from '@/lib/shared/dto/submission-dto';
import { parsePredictionsCsv } from '@/lib/shared/formats/predictions-csv';
import { assertSignedIn } from '../assert-signed-in';
import { getChallengeOrThrow } from '../challenges/get-challenge-or-throw';
import { toPhaseDto } from '../challenges/to-phase-dto';
import type { ServiceContext } from '../context';
import { loadTruth } from '../datasets/load-truth';
import { deleteBlob, putBlob } from '../storage/blob-store';
import { toSubmissionDto } from './to-submission-dto';

export const maxUploadBytes = 64 * 1024 * 1024;

const createSubmissionInputSchema = z.object({
  challengeSlug: z.string().min(1),
  fileName: z.string().trim().min(1).max(255),
  bytes: z.instanceof(Uint8Array),
  source: z.enum(submissionSources).default('upload'),
});

function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

/**
 * Accepts a predictions file for the challenge's open phase. Validation is strict and synchronous: a rejected
 * file leaves nothing behind. An accepted file is stored content-addressed, recorded as `received`, handed to
 * the scoring queue and marked `queued`; if the queue cannot take it, the submission ends `failed` with the reason.
 */
export async function createSubmission(ctx: ServiceContext, input: unknown): Promise<SubmissionDto> {
  const { challengeSlug, fileName, bytes, source } = createSubmissionInputSchema.parse(input);
  assertSignedIn(ctx);
  const user = ctx.user;
  const loaded = await getChallengeOrThrow(ctx.db, challengeSlug);
  const now = ctx.now();
  const phase = loaded.phases.find((p) => toPhaseDto(p, now).state === 'open');
  if (!phase) throw new AppError('PHASE_CLOSED', `"${loaded.definition.title}" has no open phase; submissions are closed.`);
  if (bytes.byteLength === 0) throw new AppError('INVALID_SUBMISSION', `${fileName} is empty.`, { file: fileName });
  if (bytes.byteLength > maxUploadBytes) {
    throw new AppError('PAYLOAD_TOO_LARGE', `${fileName} is ${bytes.byteLength} bytes; the limit is ${maxUploadBytes} bytes.`, { file: fileName });
  }

  const countToday = async (db: ServiceContext['db']) => {
    const [row] = await db
      .select({ n: count() })
      .from(submissions)
      .where(
        and(
          eq(submissions.phaseId, phase.id),
          eq(submissions.userId, user.id),
          ne(submissions.status, 'failed'),
          gte(submissions.createdAt, startOfUtcDay(now)),
        ),
      );
    return row?.n ?? 0;
  };
  const limitError = () =>
    new AppError(
      'LIMIT_REACHED',
      `You have used all ${phase.maxPerDay} submissions for today in "${phase.title}"; the limit resets at 00:00 UTC.`,
    );
  // Cheap early answer before parsing; the count that decides is taken again under a lock below.
  if ((await countToday(ctx.db)) >= phase.maxPerDay) throw limitError();

  const truth = await loadTruth(ctx.dataDir, loaded.datasetVersion.storageDir, loaded.manifest);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new AppError('INVALID_SUBMISSION', `${fileName} is not UTF-8 text; upload a CSV file with header id,score.`, { file: fileName });
  }
  const scores = parsePredictionsCsv(text, truth.ids, { fileName });

  const { sha256, created } = await putBlob(ctx.dataDir, bytes);
  let row;
  try {
    row = await ctx.db.transaction(async (tx) => {
      // Serialises concurrent uploads of one user to one phase, so the daily limit cannot be exceeded by a race.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`${phase.id}:${user.id}`}))`);
      if ((await countToday(tx)) >= phase.maxPerDay) throw limitError();
      const [inserted] = await tx
        .insert(submissions)
        .values({
          challengeId: loaded.challenge.id,
          phaseId: phase.id,
          userId: user.id,
          fileName,
          sha256,
          sizeBytes: bytes.byteLength,
          rows: scores.length,
          status: 'received',
          source,
          challengeRevision: loaded.challenge.revision,
          createdAt: now,
        })
        .returning();
      return inserted;
    });
  } catch (error) {
    if (created) await deleteBlob(ctx.dataDir, sha256);
    throw error;
  }
  if (!row) throw new AppError('INTERNAL', 'The submission could not be recorded; please try again.');

  const submissionId = row.id;
  try {
    await ctx.queue.enqueueScoring(submissionId);
    // A fast worker may have moved it on already; only a submission still `received` becomes `queued`.
    await ctx.db
      .update(submissions)
      .set({ status: 'queued', queuedAt: ctx.now() })
      .where(and(eq(submissions.id, submissionId), eq(submissions.status, 'received')));
  } catch (error) {
    console.error(`could not queue submission ${submissionId}`, error);
    await ctx.db
      .update(submissions)
      .set({
        status: 'failed',
        error: 'The scoring queue did not accept the file; it does not count towards your limit. Please submit again.',
        finishedAt: ctx.now(),
      })
      .where(eq(submissions.id, submissionId));
  }
  [row] = await ctx.db.select().from(submissions).where(eq(submissions.id, submissionId));
  if (!row) throw new AppError('INTERNAL', 'The submission could not be read back.');
  return toSubmissionDto(row, { slug: loaded.definition.slug, title: loaded.definition.title, phaseKey: phase.key }, {}, null);
}
