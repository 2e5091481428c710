import 'server-only';
import { datasetFileContentType } from './dataset-file-content-type';
import path from 'node:path';
import { downloadEvents } from '@/db/schema';
import { AppError } from '@/lib/shared/app-error';
import { assertSignedIn } from '../assert-signed-in';
import { canOrganise } from '../challenges/can-organise';
import { getChallengeOrThrow } from '../challenges/get-challenge-or-throw';
import type { ServiceContext } from '../context';

export type DatasetDownload = { absolutePath: string; fileName: string; sizeBytes: number; sha256: string; contentType: string };


/**
 * A downloadable file of a challenge's dataset, for a signed-in user (browser session or API token). Only files the
 * manifest lists as public are served: the truth table is server-only and is never found here, whatever name is
 * asked for. Each download is recorded (download_events) so organisers see counts per file.
 */
export async function getDatasetDownload(ctx: ServiceContext, input: { challengeSlug: string; fileName: string }): Promise<DatasetDownload> {
  assertSignedIn(ctx);
  const { challenge, manifest, datasetVersion } = await getChallengeOrThrow(ctx.db, input.challengeSlug);
  if (!challenge.publishedAt && !canOrganise(ctx.user, challenge)) throw new AppError('NOT_FOUND', `There is no challenge "${input.challengeSlug}".`);
  const isPublic = (f: (typeof manifest.files)[number]) => !f.serverOnly && !f.role.startsWith('truth');
  const file = manifest.files.find((f) => f.name === input.fileName && isPublic(f));
  if (!file) {
    const available = manifest.files.filter(isPublic).map((f) => f.name);
    throw new AppError('NOT_FOUND', `"${input.fileName}" is not a file of this challenge; available: ${available.join(', ')}.`);
  }
  await ctx.db.insert(downloadEvents).values({ datasetVersionId: datasetVersion.id, challengeId: challenge.id, fileName: file.name, userId: ctx.user.id, createdAt: ctx.now() });
  return {
    absolutePath: path.join(ctx.dataDir, datasetVersion.storageDir, file.name),
    fileName: `${manifest.dataset}-${manifest.version}-${file.name}`,
    sizeBytes: file.sizeBytes,
    sha256: file.sha256,
    contentType: datasetFileContentType[file.format],
  };
}
