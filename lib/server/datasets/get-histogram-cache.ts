import 'server-only';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { BoundedPromiseCache } from '@/lib/server/cache/bounded-promise-cache';
import { AppError } from '@/lib/shared/app-error';
import type { DatasetManifest } from '@/lib/shared/dataset-manifest';
import { computeDefaultHistograms } from '@/lib/shared/histograms/compute-default-histograms';
import type { HistogramCacheDto } from '@/lib/shared/histograms/histogram-types';
import { loadPublicDatasetTable } from './load-public-dataset-table';

const inMemory = new BoundedPromiseCache<HistogramCacheDto>(8);

/** Drops the in-process copies, as a restarted server has none (the files on disk stay): for the benchmark. */
export function forgetHistogramCaches(): void {
  inMemory.clear();
}

/** Where a version's histogram cache lives: DATA_DIR/cache/histograms/<dataset>/<version>/<train sha256>.json. */
export function histogramCachePath(dataDir: string, manifest: DatasetManifest, trainSha256: string): string {
  return path.join(dataDir, 'cache', 'histograms', manifest.dataset, manifest.version, `${trainSha256}.json`);
}

/**
 * The default histograms and training yields of a version: from memory, else from the cache file on disk, else
 * computed once from train.arrow and written there (atomically: temp file and rename, so concurrent servers never
 * read half a file). Concurrent callers in one process share one computation. A version without a training table
 * → INVALID_DATASET.
 */
export function getHistogramCache(dataDir: string, storageDir: string, manifest: DatasetManifest): Promise<HistogramCacheDto> {
  // The labelled, weighted event table by its name: a tracking dataset's training tables (train_hits.arrow, …) are not.
  const train = manifest.files.find((f) => f.role === 'train' && f.format === 'arrow' && f.name === 'train.arrow');
  if (!train) {
    const others = manifest.files.filter((f) => f.role === 'train').map((f) => f.name);
    return Promise.reject(
      new AppError(
        'INVALID_DATASET',
        `Dataset ${manifest.dataset} version ${manifest.version} has no train.arrow (a table of labelled, weighted events) to draw histograms from${others.length ? `; its training files are ${others.join(', ')}` : ''}.`,
        { file: 'train.arrow', found: others.join(', ') || 'no training table' },
      ),
    );
  }
  const file = histogramCachePath(dataDir, manifest, train.sha256);
  return inMemory.get(file, () => readOrBuild(file, dataDir, storageDir, manifest, train.sha256, train.name));
}

async function readOrBuild(file: string, dataDir: string, storageDir: string, manifest: DatasetManifest, trainSha256: string, trainName: string): Promise<HistogramCacheDto> {
  try {
    const stored = JSON.parse(await fs.readFile(file, 'utf8')) as HistogramCacheDto;
    if (stored.format === 1 && stored.trainSha256 === trainSha256) return stored;
  } catch {
    // No cache yet (or an unreadable one): build it below.
  }
  const table = await loadPublicDatasetTable(dataDir, storageDir, manifest, trainName);
  const built = computeDefaultHistograms(table, { dataset: manifest.dataset, version: manifest.version, trainSha256, missingValue: manifest.missingValue, featureColumns: manifest.featureColumns });
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${randomBytes(6).toString('hex')}`;
  await fs.writeFile(tmp, JSON.stringify(built));
  await fs.rename(tmp, file);
  return built;
}
