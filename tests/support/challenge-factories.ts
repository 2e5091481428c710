import fs from 'node:fs';
import path from 'node:path';
import higgsSignalStrengthToy from '@/challenges/higgs-signal-strength-toy/challenge';
import { challengeDefinitionSchema, type ChallengeDefinition } from '@/challenges/schema';
import topTaggingModelToy from '@/challenges/top-tagging-model-toy/challenge';
import topTaggingToy from '@/challenges/top-tagging-toy/challenge';
import trackmlToy from '@/challenges/trackml-toy/challenge';
import type { DatabaseHandle } from '@/db/client';
import { buildHiggsSignalStrengthToyDataset } from '@/lib/pipeline/toy/higgs-signal-strength-toy';
import { buildTopTaggingToyDataset, hiddenClusterVariation } from '@/lib/pipeline/toy/top-tagging-toy';
import { buildTrackmlToyDataset } from '@/lib/pipeline/toy/trackml-toy';
import { syncChallengeDefinition } from '@/lib/server/challenges/sync-challenge-definition';
import { registerDatasetVersion } from '@/lib/server/datasets/register-dataset-version';

/** Builds the dataset into `<dataDir>/datasets/<id>/<version>` unless it is there, registers it, publishes the challenge. */
async function publishOnToyDataset(handle: DatabaseHandle, dataDir: string, definition: ChallengeDefinition, build: (outDir: string) => Promise<unknown>): Promise<ChallengeDefinition> {
  const relative = path.join('datasets', definition.dataset.id, definition.dataset.version);
  if (!fs.existsSync(path.join(dataDir, relative, 'manifest.json'))) await build(path.join(dataDir, relative));
  await registerDatasetVersion(handle.db, dataDir, relative);
  await syncChallengeDefinition(handle.db, definition);
  return definition;
}

/**
 * Builds a small top-tagging toy dataset (nominal test set plus the ces_up, ces_down, cer and cpos variations) into
 * dataDir, registers it and publishes a challenge on it (the built-in definition unless overridden). Returns the
 * challenge definition. Submissions need `variation,id,score` rows for "nominal" and every variation.
 */
export async function createTopTaggingToyChallenge(
  handle: DatabaseHandle,
  dataDir: string,
  overrides: Partial<ChallengeDefinition> = {},
  sizes = { trainJets: 400, testJets: 300 },
): Promise<ChallengeDefinition> {
  const definition = challengeDefinitionSchema.parse({ ...topTaggingToy, ...overrides });
  return publishOnToyDataset(handle, dataDir, definition, (outDir) => buildTopTaggingToyDataset({ outDir, seed: 7, createdAt: '2026-01-01T00:00:00.000Z', ...sizes }));
}

/**
 * Builds a small signal-strength toy dataset (train table, `sets × experimentsPerSet` pseudo-experiments of about
 * 1 000 events each, server-only truth_pe) into dataDir, registers it and publishes an interval-estimation challenge
 * on it (the built-in definition unless overridden). Returns the challenge definition; submissions need one
 * `pe_id,mu_hat,delta_mu_hat,p16,p84` row per pe_id 0 … sets·experimentsPerSet − 1.
 */
export async function createSignalStrengthToyChallenge(
  handle: DatabaseHandle,
  dataDir: string,
  overrides: Partial<ChallengeDefinition> = {},
  sizes = { trainEvents: 1_000, sourceEvents: 1_000, sets: 4, experimentsPerSet: 3 },
): Promise<ChallengeDefinition> {
  const definition = challengeDefinitionSchema.parse({ ...higgsSignalStrengthToy, ...overrides });
  return publishOnToyDataset(handle, dataDir, definition, (outDir) =>
    buildHiggsSignalStrengthToyDataset({ outDir, seed: 7, createdAt: '2026-01-01T00:00:00.000Z', ...sizes }),
  );
}

/**
 * Builds a small TrackML toy dataset (training and test events in the TrackML layout, imported with the Hough
 * baseline's submission) into dataDir, registers it and publishes a track-assignment challenge on it (the built-in
 * definition unless overridden). Submissions need one `event_id,hit_id,track_id` row per test hit.
 */
export async function createTrackmlToyChallenge(
  handle: DatabaseHandle,
  dataDir: string,
  overrides: Partial<ChallengeDefinition> = {},
  sizes = { trainEvents: 2, testEvents: 8, meanParticles: 60 },
): Promise<ChallengeDefinition> {
  const definition = challengeDefinitionSchema.parse({ ...trackmlToy, ...overrides });
  return publishOnToyDataset(handle, dataDir, definition, (outDir) => buildTrackmlToyDataset({ outDir, seed: 7, createdAt: '2026-01-01T00:00:00.000Z', ...sizes }));
}

/**
 * Builds a small top-tagging model-track dataset (seed 11; nominal test set, the four public cluster variations and
 * the server-only `hidden_ces`) into dataDir, registers it and publishes the built-in model-track challenge on it,
 * with `overrides` (e.g. another slug and tighter model limits). Returns the challenge definition.
 */
export async function createTopTaggingModelChallenge(
  handle: DatabaseHandle,
  dataDir: string,
  overrides: Partial<ChallengeDefinition> = {},
  sizes = { trainJets: 400, testJets: 600 },
): Promise<ChallengeDefinition> {
  const definition = challengeDefinitionSchema.parse({ ...topTaggingModelToy, ...overrides });
  return publishOnToyDataset(handle, dataDir, definition, (outDir) =>
    buildTopTaggingToyDataset({ outDir, seed: 11, createdAt: '2026-01-01T00:00:00.000Z', version: definition.dataset.version, writeCsv: true, serverOnlyVariations: [hiddenClusterVariation], ...sizes }),
  );
}
