import 'server-only';
import fs from 'node:fs/promises';
import path from 'node:path';
import { BoundedPromiseCache } from '@/lib/server/cache/bounded-promise-cache';
import { decodeArrowTable, type DecodedArrowTable } from '@/lib/shared/arrow';
import { AppError } from '@/lib/shared/app-error';
import type { DatasetManifest } from '@/lib/shared/dataset-manifest';

// Decoded tables are large (a 1M-row training table is ~150 MB); keep only the last two for the explorer's
// custom binnings and variations.
const cache = new BoundedPromiseCache<DecodedArrowTable>(2);

/** Drops the decoded tables, as a restarted server has none: for the benchmark. */
export function forgetPublicDatasetTables(): void {
  cache.clear();
}

/**
 * Decodes an Arrow table of a dataset version that participants may download anyway (train, test, test@<variation>,
 * events@display). A truth table or any server-only file is refused: nothing derived from labels or weights of the
 * test set can come out of the explorer through here.
 */
export function loadPublicDatasetTable(dataDir: string, storageDir: string, manifest: DatasetManifest, fileName: string): Promise<DecodedArrowTable> {
  const file = manifest.files.find((f) => f.name === fileName && f.format === 'arrow');
  if (!file || file.serverOnly || file.role.startsWith('truth')) {
    return Promise.reject(new AppError('NOT_FOUND', `Dataset ${manifest.dataset} version ${manifest.version} has no public table ${fileName}.`, { file: fileName }));
  }
  const full = path.join(dataDir, storageDir, file.name);
  const key = `${full}:${file.sha256}`;
  return cache.get(key, () => fs.readFile(full).then((bytes) => decodeArrowTable(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength))));
}
