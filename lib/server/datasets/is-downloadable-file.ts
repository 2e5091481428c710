import 'server-only';
import type { ChallengeDefinition } from '@/challenges/schema';
import type { DatasetFile } from '@/lib/shared/dataset-manifest';
import { isTestDataHidden } from '../models/find-phase-definition';

/**
 * Whether a dataset file of a challenge may be downloaded. Truth and every server-only file: never, by anyone. The
 * test features (`test.*`, `test@<variation>.*`, pseudo-experiments) of a challenge with a model-only phase, and the
 * test features of a server-only variation: by its organisers only, so that the hidden test data stays hidden.
 */
export function isDownloadableFile(definition: ChallengeDefinition, file: DatasetFile, isOrganiser: boolean): boolean {
  if (file.serverOnly || file.role.startsWith('truth')) return false;
  if (isOrganiser) return true;
  const isTestFeatures = file.role === 'test' || file.role === 'pseudo_experiments' || /^test(@|\.)/.test(file.name);
  if (!isTestFeatures) return true;
  if (isTestDataHidden(definition)) return false;
  const hiddenVariation = definition.scoring.variations.find((v) => v.serverOnly && file.name.startsWith(`test@${v.name}.`));
  return hiddenVariation === undefined;
}
