import 'server-only';
import type { ChallengeDefinition } from '@/challenges/schema';
import type { ModelTrackDto } from '@/lib/shared/dto/model-dto';
import { findPhaseDefinition, isTestDataHidden } from './find-phase-definition';

/** The model track of a challenge for its pages and the API; null when every phase takes predictions only. */
export function toModelTrackDto(definition: ChallengeDefinition): ModelTrackDto | null {
  if (!definition.model || definition.phases.every((p) => (p.submissions ?? 'predictions') === 'predictions')) return null;
  return {
    inputColumns: [...definition.model.inputColumns],
    isTestDataHidden: isTestDataHidden(definition),
    phases: Object.fromEntries(
      definition.phases.map((p) => {
        const phase = findPhaseDefinition(definition, p.key);
        return [p.key, { submissions: phase.submissions, limits: { ...phase.modelLimits } }];
      }),
    ),
  };
}
