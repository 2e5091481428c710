import 'server-only';
import { asc, eq } from 'drizzle-orm';
import { challengeDefinitionSchema, type ChallengeDefinition } from '@/challenges/schema';
import type { Database } from '@/db/client';
import { challenges, datasetVersions, phases, type Challenge, type DatasetVersion, type Phase } from '@/db/schema';
import { AppError } from '@/lib/shared/app-error';
import { datasetManifestSchema, type DatasetManifest } from '@/lib/shared/dataset-manifest';

export type LoadedChallenge = {
  challenge: Challenge;
  definition: ChallengeDefinition;
  phases: Phase[];
  datasetVersion: DatasetVersion;
  manifest: DatasetManifest;
};

/** A challenge with its parsed definition, phases and dataset manifest, for other services (not a DTO). */
export async function getChallengeOrThrow(db: Database, slug: string): Promise<LoadedChallenge> {
  const rows = await db
    .select({ challenge: challenges, datasetVersion: datasetVersions })
    .from(challenges)
    .innerJoin(datasetVersions, eq(datasetVersions.id, challenges.datasetVersionId))
    .where(eq(challenges.slug, slug))
    .limit(1);
  const row = rows[0];
  if (!row) throw new AppError('NOT_FOUND', `There is no challenge "${slug}".`);
  const phaseRows = await db.select().from(phases).where(eq(phases.challengeId, row.challenge.id)).orderBy(asc(phases.opensAt));
  return {
    challenge: row.challenge,
    definition: challengeDefinitionSchema.parse(row.challenge.definition),
    phases: phaseRows,
    datasetVersion: row.datasetVersion,
    manifest: datasetManifestSchema.parse(row.datasetVersion.manifest),
  };
}
