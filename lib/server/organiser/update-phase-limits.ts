import 'server-only';
import { z } from 'zod';
import type { PhaseDto } from '@/lib/shared/dto/challenge-dto';
import { recordAuditEvent } from '../audit/record-audit-event';
import { toPhaseDto } from '../challenges/to-phase-dto';
import type { ServiceContext } from '../context';
import { findPhaseOrThrow } from './find-phase-or-throw';
import { getOrganisedChallengeOrThrow } from './get-organised-challenge-or-throw';
import { lockChallengeRevision } from './lock-challenge-revision';
import { savePhaseChange } from './save-phase-change';

const emptyToNull = (v: unknown) => (v === '' || v === undefined ? null : v);

const inputSchema = z.object({
  slug: z.string().min(1),
  phaseKey: z.string().min(1),
  maxPerDay: z.coerce
    .number({ error: 'Submissions per day must be a whole number of at least 1.' })
    .int({ error: 'Submissions per day must be a whole number of at least 1.' })
    .min(1, { error: 'Submissions per day must be a whole number of at least 1.' }),
  /** Empty or null: no total limit. */
  maxTotal: z.preprocess(
    emptyToNull,
    z.coerce
      .number({ error: 'The total limit must be a whole number of at least 1, or empty for none.' })
      .int({ error: 'The total limit must be a whole number of at least 1, or empty for none.' })
      .min(1, { error: 'The total limit must be a whole number of at least 1, or empty for none.' })
      .nullable(),
  ),
});

/**
 * Changes a phase's submission limits (per participant or team, per UTC day, and in total). Lowering a limit
 * below what someone used already only stops their further submissions; nothing is deleted.
 */
export async function updatePhaseLimits(
  ctx: ServiceContext,
  input: { slug: string; phaseKey: string; maxPerDay: number | string; maxTotal: number | string | null },
): Promise<PhaseDto> {
  const { slug, phaseKey, maxPerDay, maxTotal } = inputSchema.parse(input);
  const { loaded, user } = await getOrganisedChallengeOrThrow(ctx, slug);
  const phase = findPhaseOrThrow(loaded, phaseKey);
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    await lockChallengeRevision(tx, loaded.challenge.id, loaded.challenge.revision, loaded.challenge.updatedAt);
    await savePhaseChange(tx, loaded, phase, { maxPerDay, maxTotal }, now);
    await recordAuditEvent(tx, {
      actorId: user.id,
      action: 'phase.limits',
      challengeId: loaded.challenge.id,
      target: `phase:${phase.key}`,
      details: { before: { maxPerDay: phase.maxPerDay, maxTotal: phase.maxTotal }, after: { maxPerDay, maxTotal } },
      at: now,
    });
  });
  return toPhaseDto({ ...phase, maxPerDay, maxTotal }, now);
}
