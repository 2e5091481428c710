import 'server-only';
import { defaultModelLimits, modelLimitsSchema, type ChallengeDefinition, type ModelLimits, type PhaseSubmissionKind } from '@/challenges/schema';

/** What a phase accepts and its model limits, from the challenge definition (phases added in the database only take predictions). */
export function findPhaseDefinition(definition: ChallengeDefinition, phaseKey: string): { submissions: PhaseSubmissionKind; modelLimits: ModelLimits } {
  const phase = definition.phases.find((p) => p.key === phaseKey);
  return phase
    ? { submissions: phase.submissions ?? 'predictions', modelLimits: modelLimitsSchema.parse(phase.modelLimits ?? {}) }
    : { submissions: 'predictions', modelLimits: { ...defaultModelLimits } };
}

/** Whether the challenge's test features stay on the server: some phase takes models only (then every phase does). */
export function isTestDataHidden(definition: ChallengeDefinition): boolean {
  return definition.phases.some((p) => p.submissions === 'models');
}
