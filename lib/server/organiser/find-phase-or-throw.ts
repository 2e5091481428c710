import type { Phase } from '@/db/schema';
import { AppError } from '@/lib/shared/app-error';
import type { LoadedChallenge } from '../challenges/get-challenge-or-throw';

/** The phase of a loaded challenge by key; an unknown key names the phases there are. */
export function findPhaseOrThrow(loaded: LoadedChallenge, phaseKey: string): Phase {
  const phase = loaded.phases.find((p) => p.key === phaseKey);
  if (!phase) {
    throw new AppError('NOT_FOUND', `"${loaded.definition.title}" has no phase "${phaseKey}"; its phases are ${loaded.phases.map((p) => `"${p.key}"`).join(', ')}.`);
  }
  return phase;
}
