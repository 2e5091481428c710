import 'server-only';
import crypto from 'node:crypto';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { isDatabaseUnavailableError, type Database } from '@/db/client';
import { submissionModels, submissionSources, submissions, type Submission } from '@/db/schema';
import { AppError, isAppError } from '@/lib/shared/app-error';
import type { SubmissionDto } from '@/lib/shared/dto/submission-dto';
import { submissionDescriptionSchema } from '@/lib/shared/submission-description';
import { assertSignedIn } from '../assert-signed-in';
import { recordAuditEvent } from '../audit/record-audit-event';
import { canOrganise } from '../challenges/can-organise';
import { describePhaseClosure } from '../challenges/describe-phase-closure';
import { getChallengeOrThrow } from '../challenges/get-challenge-or-throw';
import { toPhaseDto } from '../challenges/to-phase-dto';
import type { ServiceContext } from '../context';
import { loadChallengeTruth } from '../datasets/load-challenge-truth';
import { checkModelFile, type ModelCheck } from '../models/check-model-file';
import { findPhaseDefinition } from '../models/find-phase-definition';
import { assertPhaseTakes, requestedSubmissionKinds, resolveIsModel } from '../models/resolve-submission-kind';
import { consumeRateLimit, rateLimitRules } from '../security/consume-rate-limit';
import { toPredictionTarget } from '../datasets/to-prediction-target';
import { adoptBlob } from '../storage/blob-store';
import { findTeamOfUser } from '../teams/find-team-of-user';
import { countCompetitorSubmissions, type Competitor } from './count-competitor-submissions';
import { lockCompetitors } from './lock-competitors';
import { readPredictionsFile } from './read-predictions-file';
import { retryWhileUnavailable } from './retry-while-unavailable';
import { lockStoredFile, releaseUnusedStoredFile } from './stored-file-lock';
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
  /** What this entry is, in the participant's words; shown on their pages and in their exports. */
  description: submissionDescriptionSchema.nullable().default(null),
  source: z.enum(submissionSources).default('upload'),
  /** An organiser's reference entry: pinned on the board, never ranked, outside the limits. */
  asBaseline: z.boolean().default(false),
  /** A predictions file or a model (ONNX, TF.js zip); `auto` decides by the phase and, in a `both` phase, by the file. */
  kind: z.enum(requestedSubmissionKinds).default('auto'),
});

/**
 * Accepts a predictions file (CSV, Arrow IPC or Parquet, optionally gzip; streamed to disk, never held in memory)
 * for the challenge's open phase. Validation is strict and synchronous: a rejected file leaves nothing behind.
 * Limits (per UTC day and per phase) apply to the participant's team, or to the participant without a team, and
 * are checked again under an advisory lock so concurrent uploads cannot exceed them; failed submissions do not
 * count. An accepted file is stored content-addressed, recorded `received`, handed to the scoring queue and marked
 * `queued`; if the queue cannot take it, the submission ends `failed` with the reason.
 *
 * @throws {AppError} `UNAVAILABLE` when the database cannot be reached before the submission is recorded: nothing of
 *   the upload is kept (no row, no stored file) and it may simply be sent again. Once the row is committed, a lost
 *   connection no longer fails the upload; only when COMMIT's answer is lost and the row cannot be looked up within a
 *   few seconds does it say that whether the upload was recorded is unknown.
 */
export async function createSubmission(ctx: ServiceContext, input: unknown): Promise<SubmissionDto> {
  try {
    return await recordSubmission(ctx, input);
  } catch (error) {
    if (isAppError(error) || !isDatabaseUnavailableError(error)) throw error;
    throw new AppError('UNAVAILABLE', 'The database could not be reached, so your upload was not recorded and nothing was kept. Please upload the file again in a minute.', {}, { cause: error });
  }
}

async function recordSubmission(ctx: ServiceContext, input: unknown): Promise<SubmissionDto> {
  const parsed = createSubmissionInputSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
    throw new AppError('INVALID_SUBMISSION', `The upload was refused: ${problems}.`, { issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
  }
  const { challengeSlug, fileName, description, body, source, asBaseline, kind } = parsed.data;
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
  const phaseDefinition = findPhaseDefinition(loaded.definition, phase.key);
  assertPhaseTakes({ title: phase.title, submissions: phaseDefinition.submissions }, kind);

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

  const { modelLimits } = phaseDefinition;
  const received = await receiveUpload(ctx.dataDir, body, { fileName, ...(phaseDefinition.submissions === 'models' ? { maxBytes: modelLimits.maxSizeBytes } : {}) });
  let rows = 0;
  let model: (ModelCheck & { sizeBytes: number }) | null = null;
  try {
    const isModel = await resolveIsModel({ submissions: phaseDefinition.submissions, maxModelBytes: modelLimits.maxSizeBytes }, kind, { tempPath: received.tempPath, fileName, sizeBytes: received.sizeBytes });
    if (isModel) {
      // Loaded and run once on rows of zeros by the sandboxed runtime; a model that fails here is refused, nothing stored.
      model = { ...(await checkModelFile(received.tempPath, fileName, loaded.definition.model?.inputColumns ?? [], modelLimits)), sizeBytes: received.sizeBytes };
    } else {
      const truth = await loadChallengeTruth(ctx.dataDir, loaded);
      // Scratch files (a gunzipped Parquet) go beside the upload, on the same storage, and are always deleted.
      const predictions = await readPredictionsFile(received.tempPath, fileName, toPredictionTarget(truth), { tempDir: path.dirname(received.tempPath) });
      rows = predictions.rows;
    }
  } catch (error) {
    await received.discard();
    throw error;
  }

  // Chosen here so that, if the connection is lost during COMMIT, the row can be looked up to learn whether it exists.
  const submissionId = crypto.randomUUID();
  let isCommitting = false;
  const stored = { isAdopted: false, isCreated: false };
  let row: Submission | undefined;
  try {
    row = await ctx.db.transaction(async (tx) => {
      // The file is stored and its row inserted under the lock of its content, so a failed upload of the same bytes
      // can never delete the file this row will point at (see lockStoredFile).
      await lockStoredFile(tx, received.sha256);
      const { created } = await adoptBlob(ctx.dataDir, received.tempPath, received.sha256);
      Object.assign(stored, { isAdopted: true, isCreated: created });
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
          id: submissionId,
          challengeId: loaded.challenge.id,
          phaseId: phase.id,
          userId: user.id,
          teamId: competitor.teamId,
          fileName,
          description,
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
      if (inserted && model) {
        await tx.insert(submissionModels).values({
          submissionId: inserted.id,
          format: model.format,
          sizeBytes: model.sizeBytes,
          runtime: model.runtime,
          inputName: model.inputName,
          outputLayout: model.outputLayout,
          createdAt: now,
        });
      }
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
      isCommitting = true;
      return inserted;
    });
  } catch (error) {
    if (!stored.isAdopted) await received.discard();
    // Only a connection lost during COMMIT leaves the outcome open; the blob is kept unless the row surely is not stored.
    const outcome = isCommitting && isDatabaseUnavailableError(error) ? await findSubmissionAfterLostCommit(ctx.db, submissionId) : 'absent';
    if (outcome === 'absent') {
      if (stored.isCreated) await releaseUnusedStoredFile(ctx.db, ctx.dataDir, received.sha256);
      throw error;
    }
    if (outcome === 'unknown') {
      throw new AppError(
        'UNAVAILABLE',
        'The database connection was lost while your upload was being recorded, and it could not be confirmed whether it was. Check your submissions in a minute before uploading the file again.',
        { submissionId },
        { cause: error },
      );
    }
    row = outcome;
  }
  if (!row) throw new AppError('INTERNAL', 'The submission could not be recorded; please try again.');

  // The row is committed, so the upload is recorded whatever happens next. A lost connection from here on leaves it
  // `received`, which the stuck-submission sweep queues again; these steps therefore log their failures, never throw.
  try {
    let isEnqueued = false;
    try {
      await ctx.queue.enqueueScoring(submissionId);
      isEnqueued = true;
    } catch (error) {
      console.error(`could not queue submission ${submissionId}`, error);
    }
    // A fast worker may have moved it on already; only a submission still `received` becomes `queued` (or `failed`).
    await ctx.db
      .update(submissions)
      .set(
        isEnqueued
          ? { status: 'queued', queuedAt: ctx.now() }
          : { status: 'failed', error: 'The scoring queue did not accept the file; it does not count towards your limit. Please submit again.', finishedAt: ctx.now() },
      )
      .where(and(eq(submissions.id, submissionId), eq(submissions.status, 'received')));
    const [current] = await ctx.db.select().from(submissions).where(eq(submissions.id, submissionId));
    if (current) row = current;
  } catch (error) {
    console.error(`submission ${submissionId} is recorded but its status could not be updated; the sweep will queue it`, error);
  }
  const dto = toSubmissionDto(row, { slug: loaded.definition.slug, title: loaded.definition.title, phaseKey: phase.key, teamName: team?.name ?? null }, {}, null);
  return model ? { ...dto, model: { format: model.format, sizeBytes: model.sizeBytes, runtime: model.runtime, msPerThousandEvents: null, events: null, peakMemoryBytes: null, failureKind: null, hasPredictions: false } } : dto;
}

/**
 * After a connection lost during COMMIT: the stored row, 'absent' when the database answers that there is none, or
 * 'unknown' when it cannot be reached within a few seconds (a restarting server is usually back well within them).
 */
async function findSubmissionAfterLostCommit(db: Database, submissionId: string): Promise<Submission | 'absent' | 'unknown'> {
  const found = await retryWhileUnavailable(() => db.select().from(submissions).where(eq(submissions.id, submissionId)));
  return found ? (found.value[0] ?? 'absent') : 'unknown';
}
