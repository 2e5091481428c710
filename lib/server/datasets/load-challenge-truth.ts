import 'server-only';
import fs from 'node:fs/promises';
import path from 'node:path';
import { BoundedPromiseCache } from '@/lib/server/cache/bounded-promise-cache';
import { decodeArrowTable } from '@/lib/shared/arrow';
import { AppError } from '@/lib/shared/app-error';
import type { DatasetManifest } from '@/lib/shared/dataset-manifest';
import type { LoadedChallenge } from '../challenges/get-challenge-or-throw';
import { loadTrackTruth, type TrackTruth } from './load-track-truth';
import { loadTruth, type Truth } from './load-truth';

/**
 * Everything a challenge is scored against (server-only). Binary: the nominal test set's truth and one truth per
 * systematic variation of the definition, in definition order. Interval: the pseudo-experiments of truth_pe.arrow
 * with their set and true μ, in file order. Track assignment: the hits of truth_tracks.arrow, prepared for scoring.
 */
export type ChallengeTruth =
  | { task: 'binary-classification'; nominal: Truth; variations: Map<string, Truth> }
  | {
      task: 'interval-estimation';
      peIds: Float64Array;
      /** Set of each pseudo-experiment (all PEs of a set share μ and the same side of the public/private split). */
      setIds: Float64Array;
      muTrue: Float64Array;
      /** Row of each pe_id, for aligning predictions. */
      rowById: Map<number, number>;
    }
  | { task: 'track-assignment'; tracks: TrackTruth };

type PeTruth = Extract<ChallengeTruth, { task: 'interval-estimation' }>;

// truth_pe tables are small and read-only; keep the last few, like the truth tables of load-truth.ts.
const peCache = new BoundedPromiseCache<PeTruth>(4);

/**
 * Loads the truth a challenge is scored against: for binary challenges `truth.arrow` and `truth@<name>.arrow` for
 * every variation of `definition.scoring.variations`; for interval challenges `truth_pe.arrow`. A file missing
 * from the dataset version → `AppError('INVALID_DATASET')` naming the file and the version.
 */
export async function loadChallengeTruth(dataDir: string, loaded: LoadedChallenge): Promise<ChallengeTruth> {
  const { definition, manifest, datasetVersion } = loaded;
  if (definition.task === 'binary-classification') {
    const nominal = await loadTruth(dataDir, datasetVersion.storageDir, manifest);
    const variations = new Map<string, Truth>();
    for (const variation of definition.scoring.variations) {
      variations.set(variation.name, await loadTruth(dataDir, datasetVersion.storageDir, manifest, `truth@${variation.name}.arrow`));
    }
    return { task: 'binary-classification', nominal, variations };
  }
  if (definition.task === 'track-assignment') {
    return { task: 'track-assignment', tracks: await loadTrackTruth(dataDir, datasetVersion.storageDir, manifest, definition.slug) };
  }
  const file = manifest.files.find((f) => f.name === 'truth_pe.arrow' && f.role === 'truth_pe' && f.format === 'arrow');
  if (!file) {
    throw new AppError(
      'INVALID_DATASET',
      `Dataset ${manifest.dataset} version ${manifest.version} has no truth_pe.arrow, which interval-estimation challenge "${definition.slug}" is scored against; its manifest lists ${manifest.files.map((f) => f.name).join(', ')}.`,
      { file: 'truth_pe.arrow' },
    );
  }
  const full = path.join(dataDir, datasetVersion.storageDir, file.name);
  const key = `${full}:${file.sha256}`;
  return peCache.get(key, () => readPeTruth(full, manifest));
}

async function readPeTruth(file: string, manifest: DatasetManifest): Promise<PeTruth> {
  const where = `truth_pe.arrow of dataset ${manifest.dataset} version ${manifest.version}`;
  const table = decodeArrowTable(new Uint8Array(await fs.readFile(file)));
  const numeric = (name: string): Float64Array => {
    const column = table.columns[name];
    if (!column) throw new AppError('INVALID_DATASET', `${where} has no "${name}" column (found ${table.columnNames.join(', ')}).`, { file, column: name });
    if (Array.isArray(column)) throw new AppError('INVALID_DATASET', `${where}: column "${name}" must be numeric, found text.`, { file, column: name });
    return column instanceof Float64Array ? column : Float64Array.from(column);
  };
  const peIds = numeric('pe_id');
  const setIds = numeric('set_id');
  const muTrue = numeric('mu_true');
  if (peIds.length === 0) throw new AppError('INVALID_DATASET', `${where} has no pseudo-experiments.`, { file });
  const rowById = new Map<number, number>();
  for (let row = 0; row < peIds.length; row++) {
    const id = peIds[row] as number;
    const setId = setIds[row] as number;
    if (!Number.isSafeInteger(id) || id < 0) {
      throw new AppError('INVALID_DATASET', `${where} row ${row}: pe_id must be an integer ≥ 0, found ${id}.`, { file, row, column: 'pe_id' });
    }
    if (!Number.isSafeInteger(setId)) {
      throw new AppError('INVALID_DATASET', `${where} row ${row}: set_id must be an integer, found ${setId}.`, { file, row, column: 'set_id' });
    }
    if (!Number.isFinite(muTrue[row] as number)) {
      throw new AppError('INVALID_DATASET', `${where} row ${row}: mu_true must be finite, found ${muTrue[row]}.`, { file, row, column: 'mu_true' });
    }
    const previous = rowById.get(id);
    if (previous !== undefined) {
      throw new AppError('INVALID_DATASET', `${where}: pe_id ${id} appears on rows ${previous} and ${row}; pe_ids must be unique.`, { file, row, column: 'pe_id' });
    }
    rowById.set(id, row);
  }
  return { task: 'interval-estimation', peIds, setIds, muTrue, rowById };
}
