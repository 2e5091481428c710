import 'server-only';
import fs from 'node:fs/promises';
import path from 'node:path';
import { BoundedPromiseCache } from '@/lib/server/cache/bounded-promise-cache';
import { decodeArrowTable } from '@/lib/shared/arrow';
import { AppError } from '@/lib/shared/app-error';
import type { DatasetManifest } from '@/lib/shared/dataset-manifest';

export type Truth = {
  ids: Float64Array;
  labels: Uint8Array;
  weights: Float64Array;
  /** 1 = public, 0 = private, when the dataset fixes the split; else null (the challenge's SplitMix64 rule applies). */
  fixedPublic: Uint8Array | null;
  /** Row of each id, for aligning predictions. */
  rowById: Map<number, number>;
};

// Truth tables are read-only and re-read for every scoring job otherwise; keep the last few in memory (a challenge
// with systematic variations holds one table per variation).
const cache = new BoundedPromiseCache<Truth>(12);

/**
 * Loads a truth table of a registered dataset version: `truth.arrow` (the nominal test set) by default, or a
 * variation's `truth@<name>.arrow` (server-only: this never leaves the server). A file the manifest does not list
 * → `AppError('INVALID_DATASET')` naming the file and the dataset version.
 */
export function loadTruth(dataDir: string, storageDir: string, manifest: DatasetManifest, fileName = 'truth.arrow'): Promise<Truth> {
  const file = manifest.files.find((f) => f.name === fileName && f.role === 'truth' && f.format === 'arrow');
  if (!file) {
    return Promise.reject(
      new AppError('INVALID_DATASET', `Dataset ${manifest.dataset} version ${manifest.version} has no ${fileName}; its manifest lists ${manifest.files.map((f) => f.name).join(', ')}.`, {
        file: fileName,
      }),
    );
  }
  const full = path.join(dataDir, storageDir, file.name);
  const key = `${full}:${file.sha256}`;
  return cache.get(key, () => readTruth(full, manifest.fixedSplitColumn));
}

function toFloat64(values: ArrayLike<number>): Float64Array {
  return values instanceof Float64Array ? values : Float64Array.from(values);
}

async function readTruth(file: string, fixedSplitColumn: string | null): Promise<Truth> {
  const table = decodeArrowTable(new Uint8Array(await fs.readFile(file)));
  const need = (name: string) => {
    const column = table.columns[name];
    if (!column) throw new AppError('INVALID_DATASET', `${file} has no "${name}" column (found ${table.columnNames.join(', ')}).`);
    return column;
  };
  const idColumn = need('id');
  const labelColumn = need('label');
  const weightColumn = need('weight');
  if (Array.isArray(idColumn) || Array.isArray(labelColumn) || Array.isArray(weightColumn)) {
    throw new AppError('INVALID_DATASET', `${file}: id, label and weight must be numeric columns.`);
  }
  const ids = toFloat64(idColumn);
  const labels = labelColumn instanceof Uint8Array ? labelColumn : Uint8Array.from(labelColumn);
  const weights = toFloat64(weightColumn);
  let fixedPublic: Uint8Array | null = null;
  if (fixedSplitColumn) {
    const split = need(fixedSplitColumn);
    if (!Array.isArray(split)) throw new AppError('INVALID_DATASET', `${file}: column "${fixedSplitColumn}" must hold strings.`);
    fixedPublic = Uint8Array.from(split, (s) => (s === 'public' ? 1 : 0));
  }
  const rowById = new Map<number, number>();
  ids.forEach((id, row) => rowById.set(id, row));
  return { ids, labels, weights, fixedPublic, rowById };
}
