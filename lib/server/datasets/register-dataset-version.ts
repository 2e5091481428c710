import 'server-only';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { datasets, datasetVersions } from '@/db/schema';
import { AppError } from '@/lib/shared/app-error';
import { datasetManifestSchema, type DatasetManifest } from '@/lib/shared/dataset-manifest';

async function sha256OfFile(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export type RegisterDatasetOptions = {
  /**
   * Owner of the dataset when this registration creates it (an organiser's rescan: the organiser); an existing dataset
   * keeps its owner. Null or absent: the platform's operator owns it, and only admins attach it.
   */
  ownerId?: string | null;
};

/**
 * Registers the dataset version in `<dataDir>/<relativeDir>` after checking its manifest and that every file
 * it lists is present with the recorded sha256, and records its dataset (with its owner) if it is new. Registering
 * the same version again is a no-op; a different manifest under an existing (dataset, version) is refused, because
 * versions are immutable.
 */
export async function registerDatasetVersion(
  db: Database,
  dataDir: string,
  relativeDir: string,
  options: RegisterDatasetOptions = {},
): Promise<{ id: string; manifest: DatasetManifest; created: boolean }> {
  const folder = path.join(dataDir, relativeDir);
  const manifestFile = path.join(folder, 'manifest.json');
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  } catch (error) {
    throw new AppError('INVALID_DATASET', `${manifestFile} is missing or is not JSON.`, { file: manifestFile }, { cause: error });
  }
  const parsed = datasetManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('INVALID_DATASET', `${manifestFile}: ${issue?.path.join('.')}: ${issue?.message}`, { file: manifestFile });
  }
  const manifest = parsed.data;
  for (const file of manifest.files) {
    const full = path.join(folder, file.name);
    if (!fs.existsSync(full)) {
      throw new AppError('INVALID_DATASET', `${manifestFile} lists ${file.name}, which is not in ${folder}.`, { file: full });
    }
    const actual = await sha256OfFile(full);
    if (actual !== file.sha256) {
      throw new AppError('INVALID_DATASET', `${full} has sha256 ${actual}, but the manifest records ${file.sha256}.`, {
        file: full,
        expected: file.sha256,
        found: actual,
      });
    }
  }
  await db
    .insert(datasets)
    .values({ id: manifest.dataset, ownerId: options.ownerId ?? null })
    .onConflictDoNothing({ target: datasets.id });
  const existing = await db
    .select()
    .from(datasetVersions)
    .where(and(eq(datasetVersions.dataset, manifest.dataset), eq(datasetVersions.version, manifest.version)))
    .limit(1);
  const row = existing[0];
  if (row) {
    const stored = datasetManifestSchema.parse(row.manifest);
    const sameFiles = JSON.stringify(stored.files) === JSON.stringify(manifest.files);
    if (!sameFiles) {
      throw new AppError(
        'CONFLICT',
        `Dataset ${manifest.dataset} version ${manifest.version} is registered already with other files; publish a new version instead.`,
      );
    }
    return { id: row.id, manifest: stored, created: false };
  }
  const inserted = await db
    .insert(datasetVersions)
    .values({
      dataset: manifest.dataset,
      version: manifest.version,
      title: manifest.title,
      isToy: manifest.isToy,
      manifest,
      storageDir: relativeDir,
    })
    .returning({ id: datasetVersions.id });
  const id = inserted[0]?.id;
  if (!id) throw new AppError('INTERNAL', `Dataset ${manifest.dataset} ${manifest.version} could not be registered.`);
  return { id, manifest, created: true };
}
