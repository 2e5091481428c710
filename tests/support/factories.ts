import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import higgsTautauToy from '@/challenges/higgs-tautau-toy/challenge';
import { challengeDefinitionSchema, type ChallengeDefinition } from '@/challenges/schema';
import type { DatabaseHandle } from '@/db/client';
import type { UserRole } from '@/db/schema';
import { buildHiggsTautauToyDataset } from '@/lib/pipeline/toy/higgs-tautau-toy';
import { syncChallengeDefinition } from '@/lib/server/challenges/sync-challenge-definition';
import type { ScoringQueue, ServiceContext, SessionUser } from '@/lib/server/context';
import { registerDatasetVersion } from '@/lib/server/datasets/register-dataset-version';
import { createUser } from '@/lib/server/users/create-user';

/** A temporary DATA_DIR for one suite. */
export function makeDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'hep-arena-test-'));
}

export async function createTestUser(handle: DatabaseHandle, role: UserRole = 'participant', name?: string): Promise<SessionUser> {
  const tag = crypto.randomBytes(4).toString('hex');
  return createUser(handle.db, { email: `user-${tag}@example.org`, name: name ?? `User ${tag}`, password: 'correct horse battery' }, role);
}

/** A queue that records what it was given; suites that test the real pg-boss queue start it instead. */
export function makeRecordingQueue(): ScoringQueue & { enqueued: string[] } {
  const enqueued: string[] = [];
  return {
    enqueued,
    async enqueueScoring(id) {
      enqueued.push(id);
    },
  };
}

export function makeContext(handle: DatabaseHandle, dataDir: string, user: SessionUser | null, queue: ScoringQueue, now = () => new Date()): ServiceContext {
  return { db: handle.db, dataDir, user, now, queue };
}

/**
 * Builds a small toy dataset version into dataDir, registers it and publishes a challenge on it (the built-in
 * toy definition unless overridden). Returns the challenge definition.
 */
export async function createToyChallenge(
  handle: DatabaseHandle,
  dataDir: string,
  overrides: Partial<ChallengeDefinition> = {},
  sizes = { trainEvents: 2_000, testEvents: 1_500 },
): Promise<ChallengeDefinition> {
  const definition = challengeDefinitionSchema.parse({ ...higgsTautauToy, ...overrides });
  const relative = path.join('datasets', definition.dataset.id, definition.dataset.version);
  if (!fs.existsSync(path.join(dataDir, relative, 'manifest.json'))) {
    await buildHiggsTautauToyDataset({ outDir: path.join(dataDir, relative), seed: 7, luminosityFb: 10, ...sizes });
  }
  await registerDatasetVersion(handle.db, dataDir, relative);
  await syncChallengeDefinition(handle.db, definition);
  return definition;
}

/**
 * Builds another version of the toy dataset (a different seed, so a different hidden truth) and registers it. For
 * tests that need a truth no other challenge is scored on.
 */
export async function createToyDatasetVersion(handle: DatabaseHandle, dataDir: string, version: string, seed: number, sizes = { trainEvents: 300, testEvents: 300 }): Promise<{ id: string; version: string }> {
  const relative = path.join('datasets', 'higgs-tautau-toy', version);
  if (!fs.existsSync(path.join(dataDir, relative, 'manifest.json'))) {
    await buildHiggsTautauToyDataset({ outDir: path.join(dataDir, relative), seed, luminosityFb: 10, version, ...sizes });
  }
  await registerDatasetVersion(handle.db, dataDir, relative);
  return { id: 'higgs-tautau-toy', version };
}

