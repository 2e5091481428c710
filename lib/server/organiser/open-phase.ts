import 'server-only';
import { z } from 'zod';
import { AppError } from '@/lib/shared/app-error';
import type { PhaseDto } from '@/lib/shared/dto/challenge-dto';
import { recordAuditEvent } from '../audit/record-audit-event';
import { toPhaseDto } from '../challenges/to-phase-dto';
import type { ServiceContext } from '../context';
import { findPhaseOrThrow } from './find-phase-or-throw';
import { getOrganisedChallengeOrThrow } from './get-organised-challenge-or-throw';
import { lockChallengeRevision } from './lock-challenge-revision';
import { savePhaseChange } from './save-phase-change';
import { announceBoardChange } from '../leaderboards/announce-board-change';

const inputSchema = z.object({ slug: z.string().min(1), phaseKey: z.string().min(1) });

/**
 * Opens a phase now: an upcoming phase opens at once (opens_at = now), a closed one reopens (its closing time is
 * cleared, so it stays open until closed again; its private board is hidden again). Refused while another phase of
 * the challenge is open, so a submission always has one phase to go to.
 */
export async function openPhase(ctx: ServiceContext, input: { slug: string; phaseKey: string }): Promise<PhaseDto> {
  const { slug, phaseKey } = inputSchema.parse(input);
  const { loaded, user } = await getOrganisedChallengeOrThrow(ctx, slug);
  const phase = findPhaseOrThrow(loaded, phaseKey);
  const now = ctx.now();
  const state = toPhaseDto(phase, now).state;
  if (state === 'open') throw new AppError('CONFLICT', `Phase "${phase.title}" is open already.`);
  const other = loaded.phases.find((p) => p.id !== phase.id && toPhaseDto(p, now).state === 'open');
  if (other) throw new AppError('CONFLICT', `Phase "${other.title}" is open; close it before opening "${phase.title}".`);
  const patch = {
    opensAt: phase.opensAt > now ? now : phase.opensAt,
    closesAt: phase.closesAt && phase.closesAt <= now ? null : phase.closesAt,
  };
  await ctx.db.transaction(async (tx) => {
    await announceBoardChange(tx, slug);
    await lockChallengeRevision(tx, loaded.challenge.id, loaded.challenge.revision, loaded.challenge.updatedAt);
    await savePhaseChange(tx, loaded, phase, patch, now);
    await recordAuditEvent(tx, {
      actorId: user.id,
      action: 'phase.open',
      challengeId: loaded.challenge.id,
      target: `phase:${phase.key}`,
      details: { wasState: state, opensAt: patch.opensAt.toISOString(), closesAt: patch.closesAt?.toISOString() ?? null },
      at: now,
    });
  });
  return toPhaseDto({ ...phase, ...patch }, now);
}
