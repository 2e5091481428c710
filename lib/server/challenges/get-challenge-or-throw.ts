import 'server-only';
import { asc, eq, getTableColumns, sql } from 'drizzle-orm';
import { challengeDefinitionSchema, type ChallengeDefinition } from '@/challenges/schema';
import type { Database } from '@/db/client';
import { challenges, datasetVersions, phases, type Challenge, type DatasetVersion, type Phase } from '@/db/schema';
import { AppError } from '@/lib/shared/app-error';
import { datasetManifestSchema, type DatasetManifest } from '@/lib/shared/dataset-manifest';
import { memoUntilTablesChange } from '../cache/memo-until-tables-change';

export type LoadedChallenge = {
  challenge: Challenge;
  definition: ChallengeDefinition;
  phases: Phase[];
  datasetVersion: DatasetVersion;
  manifest: DatasetManifest;
};

/**
 * Parsed definitions and manifests are kept per process: every page and API call loads its challenge, and reading
 * plus validating the two JSON documents was most of that work. A definition is keyed by its challenge and the
 * digest of its stored text (computed by the database, so any change is seen without reading the document); a
 * manifest by its dataset version, which is never rewritten.
 */
const maxMemoised = 500;
const definitions = new Map<string, { raw: unknown; definition: ChallengeDefinition }>();
const manifests = new Map<string, { raw: unknown; manifest: DatasetManifest }>();

function remember<V>(map: Map<string, V>, key: string, value: V): V {
  map.set(key, value);
  while (map.size > maxMemoised) {
    const oldest = map.keys().next().value;
    if (oldest === undefined) break;
    map.delete(oldest);
  }
  return value;
}

const { definition: _definition, ...challengeColumns } = getTableColumns(challenges);
const { manifest: _manifest, ...datasetVersionColumns } = getTableColumns(datasetVersions);

/**
 * A challenge with its parsed definition, phases and dataset manifest, for other services (not a DTO). Shared by every
 * caller until challenges, phases or dataset_versions is written (see memoUntilTablesChange): do not mutate it.
 */
export async function getChallengeOrThrow(db: Database, slug: string): Promise<LoadedChallenge> {
  const loaded = await memoUntilTablesChange('challenge', slug, ['challenges', 'phases', 'dataset_versions'], () => loadChallenge(db, slug), { inTransaction: 'rollback' in db });
  if (!loaded) throw new AppError('NOT_FOUND', `There is no challenge "${slug}".`);
  return loaded;
}

async function loadChallenge(db: Database, slug: string): Promise<LoadedChallenge | null> {
  const rows = await db
    .select({ challenge: challengeColumns, datasetVersion: datasetVersionColumns, definitionDigest: sql<string>`md5(${challenges.definition}::text)` })
    .from(challenges)
    .innerJoin(datasetVersions, eq(datasetVersions.id, challenges.datasetVersionId))
    .where(eq(challenges.slug, slug))
    .limit(1);
  const row = rows[0];
  if (!row) return null;
  const definitionKey = `${row.challenge.id}:${row.definitionDigest}`;
  const [phaseRows, definition, manifest] = await Promise.all([
    db.select().from(phases).where(eq(phases.challengeId, row.challenge.id)).orderBy(asc(phases.opensAt)),
    definitions.get(definitionKey) ??
      db
        .select({ raw: challenges.definition })
        .from(challenges)
        .where(eq(challenges.id, row.challenge.id))
        .then(([found]) => remember(definitions, definitionKey, { raw: found?.raw, definition: challengeDefinitionSchema.parse(found?.raw) })),
    manifests.get(row.datasetVersion.id) ??
      db
        .select({ raw: datasetVersions.manifest })
        .from(datasetVersions)
        .where(eq(datasetVersions.id, row.datasetVersion.id))
        .then(([found]) => remember(manifests, row.datasetVersion.id, { raw: found?.raw, manifest: datasetManifestSchema.parse(found?.raw) })),
  ]);
  return {
    challenge: { ...row.challenge, definition: definition.raw },
    definition: definition.definition,
    phases: phaseRows,
    datasetVersion: { ...row.datasetVersion, manifest: manifest.raw },
    manifest: manifest.manifest,
  };
}
