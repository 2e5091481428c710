import 'server-only';
import { eq } from 'drizzle-orm';
import type { ChallengeDefinition } from '@/challenges/schema';
import type { Database } from '@/db/client';
import { challenges, phases, type Phase } from '@/db/schema';
import type { LoadedChallenge } from '../challenges/get-challenge-or-throw';

type PhasePatch = Partial<Pick<Phase, 'opensAt' | 'closesAt' | 'maxPerDay' | 'maxTotal'>>;

/**
 * Writes a phase change to the phase row and to the stored definition alike, so the definition an organiser
 * downloads to edit (and a later upload of it) carries the dates and limits in force, not the original ones.
 */
export async function savePhaseChange(tx: Pick<Database, 'update'>, loaded: LoadedChallenge, phase: Phase, patch: PhasePatch, now: Date): Promise<void> {
  await tx
    .update(phases)
    .set({ ...patch, updatedAt: now })
    .where(eq(phases.id, phase.id));
  const toIso = (d: Date | null) => (d ? d.toISOString() : null);
  const definition: ChallengeDefinition = {
    ...loaded.definition,
    phases: loaded.definition.phases.map((p) =>
      p.key !== phase.key
        ? p
        : {
            ...p,
            ...(patch.opensAt !== undefined ? { opensAt: patch.opensAt.toISOString() } : {}),
            ...(patch.closesAt !== undefined ? { closesAt: toIso(patch.closesAt) } : {}),
            ...(patch.maxPerDay !== undefined ? { maxPerDay: patch.maxPerDay } : {}),
            ...(patch.maxTotal !== undefined ? { maxTotal: patch.maxTotal } : {}),
          },
    ),
  };
  await tx.update(challenges).set({ definition, updatedAt: now }).where(eq(challenges.id, loaded.challenge.id));
}
