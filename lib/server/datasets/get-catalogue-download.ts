import 'server-only';
import { datasetFileContentType } from './dataset-file-content-type';
import path from 'node:path';
import { downloadEvents } from '@/db/schema';
import { AppError } from '@/lib/shared/app-error';
import { assertSignedIn } from '../assert-signed-in';
import type { ServiceContext } from '../context';
import type { DatasetDownload } from './get-dataset-download';
import { getVisibleDatasetVersionOrThrow } from './get-visible-dataset-version-or-throw';


/**
 * A public file of a dataset version the viewer may see in the catalogue, for a signed-in user. Truth and other
 * server-only files are never found, whatever name is asked for. Each download is recorded (download_events, with
 * no challenge) and counted on the version's page.
 */
export async function getCatalogueDownload(ctx: ServiceContext, input: { dataset: string; version: string; fileName: string }): Promise<DatasetDownload> {
  assertSignedIn(ctx);
  const { row, manifest } = await getVisibleDatasetVersionOrThrow(ctx, input.dataset, input.version);
  const isPublic = (f: (typeof manifest.files)[number]) => !f.serverOnly && !f.role.startsWith('truth');
  const file = manifest.files.find((f) => f.name === input.fileName && isPublic(f));
  if (!file) {
    const available = manifest.files.filter(isPublic).map((f) => f.name);
    throw new AppError('NOT_FOUND', `"${input.fileName}" is not a file of ${manifest.dataset} ${manifest.version}; available: ${available.join(', ')}.`, { file: input.fileName, available });
  }
  await ctx.db.insert(downloadEvents).values({ datasetVersionId: row.id, challengeId: null, fileName: file.name, userId: ctx.user.id, createdAt: ctx.now() });
  return {
    absolutePath: path.join(ctx.dataDir, row.storageDir, file.name),
    fileName: `${manifest.dataset}-${manifest.version}-${file.name}`,
    sizeBytes: file.sizeBytes,
    sha256: file.sha256,
    contentType: datasetFileContentType[file.format],
  };
}
