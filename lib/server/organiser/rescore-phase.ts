import 'server-only';
import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { submissions } from '@/db/schema';
import { AppError } from '@/lib/shared/app-error';
import type { RescoreResultDto } from '@/lib/shared/dto/organised-challenge-dto';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { ServiceContext } from '../context';
import { findPhaseOrThrow } from './find-phase-or-throw';
import { getOrganisedChallengeOrThrow } from './get-organised-challenge-or-throw';
import { currentScoringVersion } from '../scoring/scoring-version';

const inputSchema = z.object({ slug: z.string().min(1), phaseKey: z.string().min(1) });

/**
 * Hands every scored or failed submission of a phase back to the scoring queue, to be recomputed under the
 * current scoring version (scoring code × challenge revision). Older versions' score rows are kept, and each
 * submission keeps showing its old scores until the new ones are in. Entries still waiting or scoring are left
 * alone: they are scored under the current version anyway. Rescoring is idempotent, so after a queue failure the
 * organiser can simply press it again.
 */
export async function rescorePhase(ctx: ServiceContext, input: { slug: string; phaseKey: string }): Promise<RescoreResultDto> {
  const { slug, phaseKey } = inputSchema.parse(input);
  const { loaded, user } = await getOrganisedChallengeOrThrow(ctx, slug);
  const phase = findPhaseOrThrow(loaded, phaseKey);
  const scoringVersion = currentScoringVersion(loaded.challenge.revision);
  const now = ctx.now();
  const ids = await ctx.db.transaction(async (tx) => {
    const rows = await tx
      .select({ id: submissions.id })
      .from(submissions)
      .where(and(eq(submissions.phaseId, phase.id), inArray(submissions.status, ['scored', 'failed'])))
      .orderBy(submissions.createdAt);
    await recordAuditEvent(tx, {
      actorId: user.id,
      action: 'phase.rescore',
      challengeId: loaded.challenge.id,
      target: `phase:${phase.key}`,
      details: { enqueued: rows.length, scoringVersion },
      at: now,
    });
    return rows.map((r) => r.id);
  });
  let enqueued = 0;
  try {
    for (const id of ids) {
      await ctx.queue.enqueueScoring(id);
      enqueued += 1;
    }
  } catch (error) {
    throw new AppError('INTERNAL', `The scoring queue took ${enqueued} of ${ids.length} submissions and then refused; press "Rescore" again (it is safe to repeat).`, {}, { cause: error });
  }
  return { phaseKey: phase.key, enqueued, scoringVersion };
}
