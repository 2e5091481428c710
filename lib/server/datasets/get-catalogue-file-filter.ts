import 'server-only';
import { eq } from 'drizzle-orm';
import type { ChallengeDefinition } from '@/challenges/schema';
import type { Database } from '@/db/client';
import { challenges } from '@/db/schema';
import type { DatasetFile } from '@/lib/shared/dataset-manifest';
import { isDownloadableFile } from './is-downloadable-file';

/**
 * Which files of a dataset version the catalogue may list, serve and draw histograms from: the files every challenge
 * scored on the version lets its participants download (isDownloadableFile, as a participant). Truth and server-only
 * files never; the test features of a challenge that takes only models, or of a server-only variation, not while a
 * challenge keeps them hidden — the catalogue is not a way round a challenge's own rules.
 */
export async function getCatalogueFileFilter(db: Database, datasetVersionId: string): Promise<(file: DatasetFile) => boolean> {
  const definitions = (await db.select({ definition: challenges.definition }).from(challenges).where(eq(challenges.datasetVersionId, datasetVersionId))).map(
    (r) => r.definition as ChallengeDefinition,
  );
  return (file) => !file.serverOnly && !file.role.startsWith('truth') && definitions.every((definition) => isDownloadableFile(definition, file, false));
}
