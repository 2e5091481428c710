import 'server-only';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { submissionSources, submissions } from '@/db/schema';
import { AppError } from '@/lib/shared/app-error';
import type { SubmissionDto } from '@/lib/shared/dto/submission-dto';
import { assertSignedIn } from '../assert-signed-in';
import { recordAuditEvent } from '../audit/record-audit-event';
import { canOrganise } from '../challenges/can-organise';
import { describePhaseClosure } from '../challenges/describe-phase-closure';
import { getChallengeOrThrow } from '../challenges/get-challenge-or-throw';
import { toPhaseDto } from '../challenges/to-phase-dto';
import type { ServiceContext } from '../context';
import { loadChallengeTruth } from '../datasets/load-challenge-truth';
import { consumeRateLimit, rateLimitRules } from '../security/consume-rate-limit';
import { toPredictionTarget } from '../datasets/to-prediction-target';
import { adoptBlob, deleteBlob } from '../storage/blob-store';
import { findTeamOfUser } from '../teams/find-team-of-user';
import { countCompetitorSubmissions, type Competitor } from './count-competitor-submissions';
import { lockCompetitors } from './lock-competitors';
import { readPredictionsFile } from './read-predictions-file';
import { receiveUpload } from './receive-upload';
import { toSubmissionDto } from './to-submission-dto';

const isBody = (value: unknown): value is Uint8Array | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> =>
  value instanceof Uint8Array ||
  (typeof value === 'object' && value !== null && (typeof (value as ReadableStream).getReader === 'function' || Symbol.asyncIterator in value));

const createSubmissionInputSchema = z.object({
  challengeSlug: z.string().min(1),
  // Shown back to people and stored as text, never used as a path; control characters (NUL breaks PostgreSQL text) are refused.
  fileName: z
    .string()
    .trim()
    .min(1, { error: 'the file name is empty' })
    .max(255, { error: 'the file name is longer than 255 characters' })
    // eslint-disable-next-line no-control-regex
    .refine((name) => !/[\u0000-\u001f\u007f]/.test(name), { error: 'the file name contains control characters' }),
  body: z.custom<Uint8Array | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>>(isBody, { error: 'body must be bytes or a stream' }),
  source: z.enum(submissionSources).default('upload'),
  /** An organiser's reference entry: pinned on the board, never ranked, outside the limits. */
  asBaseline: z.boolean().default(false),
});

/**
 * Accepts a predictions file (CSV, Arrow IPC or Parquet, optionally gzip; streamed to disk, never held in memory)
 * for the challenge's open phase. Validation is strict and synchronous: a rejected file leaves nothing behind.
 * Limits (per UTC day and per phase) apply to the participant's team, or to the participant without a team, and
 * are checked again under an advisory lock so concurrent uploads cannot exceed them; failed submissions do not
 * count. An accepted file is stored content-addressed, recorded `received`, handed to the scoring queue and marked
 * `queued`; if the queue cannot take it, the submission ends `failed` with the reason.
 */
export async function createSubmission(ctx: ServiceContext, input: unknown): Promise<SubmissionDto> {
  const parsed = createSubmissionInputSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
    throw new AppError('INVALID_SUBMISSION', `The upload was refused: ${problems}.`, { issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
  }
  const { challengeSlug, fileName, body, source, asBaseline } = parsed.data;
  assertSignedIn(ctx);
  const user = ctx.user;
  const loaded = await getChallengeOrThrow(ctx.db, challengeSlug);
  const isOrganiser = canOrganise(user, loaded.challenge);
  if (!loaded.challenge.publishedAt && !isOrganiser) throw new AppError('NOT_FOUND', `There is no challenge "${challengeSlug}".`);
  if (asBaseline && !isOrganiser) throw new AppError('FORBIDDEN', `Only the organisers of "${loaded.definition.title}" can submit baselines.`);
  const now = ctx.now();
  const openPhase = loaded.phases.find((p) => toPhaseDto(p, now).state === 'open');
  // A baseline may be added to the latest phase that has opened, even after it closed (e.g. a reference for the final board).
  const phase = openPhase ?? (asBaseline ? loaded.phases.filter((p) => p.opensAt <= now).at(-1) : undefined);
  if (!phase) throw new AppError('PHASE_CLOSED', describePhaseClosure(loaded.definition.title, loaded.phases, now));

  const team = await findTeamOfUser(ctx.db, loaded.challenge.id, user.id);
  const competitor: Competitor = { userId: user.id, teamId: team?.id ?? null };
  const who = team ? `Your team "${team.name}" has` : 'You have';
  const assertWithinLimits = (used: { today: number; total: number }) => {
    if (asBaseline) return;
    if (phase.maxTotal !== null && used.total >= phase.maxTotal) {
      throw new AppError('LIMIT_REACHED', `${who} used all ${phase.maxTotal} submissions of "${phase.title}"; failed submissions do not count.`);
    }
    if (used.today >= phase.maxPerDay) {
      throw new AppError(
        'LIMIT_REACHED',
        `${who} used all ${phase.maxPerDay} submissions for today in "${phase.title}"; the limit resets at 00:00 UTC.`,
      );
    }
  };
  // Cheap early answer before reading the upload; the count that decides is taken again under a lock below.
  assertWithinLimits(await countCompetitorSubmissions(ctx.db, phase.id, competitor, now));
  // Rejected files cost no submission slot but do cost parsing: bound how many a user can send.
  await consumeRateLimit(ctx.db, `upload:${user.id}`, rateLimitRules.upload, now);

  const received = await receiveUpload(ctx.dataDir, body, { fileName });
  let created = false;
  let rows: number;
  try {
    const truth = await loadChallengeTruth(ctx.dataDir, loaded);
    // Scratch files (a gunzipped Parquet) go beside the upload, on the same storage, and are always deleted.
    const predictions = await readPredictionsFile(received.tempPath, fileName, toPredictionTarget(truth), { tempDir: path.dirname(received.tempPath) });
    rows = predictions.rows;
    ({ created } = await adoptBlob(ctx.dataDir, received.tempPath, received.sha256));
  } catch (error) {
    await received.discard();
    throw error;
  }

  let row;
  try {
    row = await ctx.db.transaction(async (tx) => {
      // Serialises concurrent uploads of one competitor to one phase, so no limit can be exceeded by a race.
      await lockCompetitors(tx, [phase.id], [competitor.teamId ?? competitor.userId]);
      // Joining or leaving a team takes the same lock; a team change during the upload would count against the wrong limits.
      const teamNow = await findTeamOfUser(tx, loaded.challenge.id, user.id);
      if ((teamNow?.id ?? null) !== competitor.teamId) {
        throw new AppError('CONFLICT', 'Your team changed while the file was uploading; nothing was recorded. Please submit again.');
      }
      assertWithinLimits(await countCompetitorSubmissions(tx, phase.id, competitor, now));
      const [inserted] = await tx
        .insert(submissions)
        .values({
          challengeId: loaded.challenge.id,
          phaseId: phase.id,
          userId: user.id,
          teamId: competitor.teamId,
          fileName,
          sha256: received.sha256,
          sizeBytes: received.sizeBytes,
          rows,
          status: 'received',
          source,
          isBaseline: asBaseline,
          challengeRevision: loaded.challenge.revision,
          createdAt: now,
        })
        .returning();
      if (inserted && asBaseline) {
        await recordAuditEvent(tx, {
          actorId: user.id,
          action: 'submission.baseline',
          challengeId: loaded.challenge.id,
          target: `submission:${inserted.id}`,
          details: { phase: phase.key, fileName, sha256: received.sha256 },
          at: now,
        });
      }
      return inserted;
    });
  } catch (error) {
    if (created) await deleteBlob(ctx.dataDir, received.sha256);
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
  return toSubmissionDto(row, { slug: loaded.definition.slug, title: loaded.definition.title, phaseKey: phase.key, teamName: team?.name ?? null }, {}, null);
}
