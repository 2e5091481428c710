import type { Phase } from '@/db/schema';
import type { PhaseDto } from '@/lib/shared/dto/challenge-dto';

export function toPhaseDto(phase: Phase, now: Date): PhaseDto {
  const state = now < phase.opensAt ? 'upcoming' : phase.closesAt && now >= phase.closesAt ? 'closed' : 'open';
  return {
    id: phase.id,
    key: phase.key,
    title: phase.title,
    opensAt: phase.opensAt.toISOString(),
    closesAt: phase.closesAt?.toISOString() ?? null,
    maxPerDay: phase.maxPerDay,
    maxTotal: phase.maxTotal,
    state,
  };
}
