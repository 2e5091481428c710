import 'server-only';
import { z } from 'zod';
import { AppError } from '@/lib/shared/app-error';
import type { PhaseDto } from '@/lib/shared/dto/challenge-dto';
import { recordAuditEvent } from '../audit/record-audit-event';
import { getTruthReveal } from '../challenges/get-truth-reveal';
import { toPhaseDto } from '../challenges/to-phase-dto';
import type { ServiceContext } from '../context';
import { findPhaseOrThrow } from './find-phase-or-throw';
import { getOrganisedChallengeOrThrow } from './get-organised-challenge-or-throw';
import { lockChallengeRevision } from './lock-challenge-revision';
import { savePhaseChange } from './save-phase-change';
import { announceBoardChange } from '../leaderboards/announce-board-change';

const inputSchema = z.object({ slug: z.string().min(1), phaseKey: z.string().min(1) });

/**
 * Closes an open phase now (closes_at = now): submissions stop, and the private leaderboard is revealed once no
 * other phase scored on the same truth is open (getTruthReveal). Only an open phase can be closed.
 */
export async function closePhase(ctx: ServiceContext, input: { slug: string; phaseKey: string }): Promise<PhaseDto & { isPrivateRevealed: boolean }> {
  const { slug, phaseKey } = inputSchema.parse(input);
  const { loaded, user } = await getOrganisedChallengeOrThrow(ctx, slug);
  const phase = findPhaseOrThrow(loaded, phaseKey);
  const now = ctx.now();
  const state = toPhaseDto(phase, now).state;
  if (state === 'upcoming') throw new AppError('CONFLICT', `Phase "${phase.title}" has not opened yet (it opens at ${phase.opensAt.toISOString()}); open it first or change its dates.`);
  if (state === 'closed') throw new AppError('CONFLICT', `Phase "${phase.title}" closed already at ${phase.closesAt?.toISOString()}.`);
  // A phase closed in the instant it opened keeps a 1 ms window, so closesAt stays after opensAt as the schema requires.
  const patch = { closesAt: now, opensAt: phase.opensAt < now ? phase.opensAt : new Date(now.getTime() - 1) };
  const isPrivateRevealed = await ctx.db.transaction(async (tx) => {
    await announceBoardChange(tx, slug);
    await lockChallengeRevision(tx, loaded.challenge.id, loaded.challenge.revision, loaded.challenge.updatedAt);
    await savePhaseChange(tx, loaded, phase, patch, now);
    const { isRevealed } = await getTruthReveal(tx, loaded.challenge, now);
    await recordAuditEvent(tx, {
      actorId: user.id,
      action: 'phase.close',
      challengeId: loaded.challenge.id,
      target: `phase:${phase.key}`,
      details: { closesAt: now.toISOString(), previousClosesAt: phase.closesAt?.toISOString() ?? null, privateBoardRevealed: isRevealed },
      at: now,
    });
    return isRevealed;
  });
  return { ...toPhaseDto({ ...phase, ...patch }, now), isPrivateRevealed };
}
