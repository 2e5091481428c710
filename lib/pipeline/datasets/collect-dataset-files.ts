import { createHash } from 'node:crypto';
import { AppError } from '@/lib/shared/app-error';
import { type DatasetFile, type DatasetManifest, datasetManifestSchema } from '@/lib/shared/dataset-manifest';
import { writeFolderAtomically } from './write-dataset-version';

/**
 * Collects the files of a dataset version in memory (with their sha256, size and rows for the manifest) and writes
 * them with a validated manifest.json into a folder, atomically: a failure leaves no half-written version.
 */
export function collectDatasetFiles() {
  const outputs: { name: string; bytes: Uint8Array }[] = [];
  const files: DatasetFile[] = [];
  return {
    files,
    add(name: string, role: DatasetFile['role'], format: DatasetFile['format'], rows: number, bytes: Uint8Array, serverOnly: boolean): void {
      outputs.push({ name, bytes });
      files.push({ name, role, format, sha256: createHash('sha256').update(bytes).digest('hex'), sizeBytes: bytes.length, rows, serverOnly });
    },
    /** Validates `{...manifestFields, files}` and writes everything plus manifest.json into outDir. */
    async write(
      outDir: string,
      manifestFields: Omit<DatasetManifest, 'files'>,
      options: { overwrite?: boolean; onProgress?: (message: string) => void } = {},
    ): Promise<DatasetManifest> {
      const parsed = datasetManifestSchema.safeParse({ ...manifestFields, files });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new AppError('INVALID_DATASET', `The manifest of ${manifestFields.dataset} does not validate: ${issue?.path.join('.')}: ${issue?.message}.`, { file: 'manifest.json' });
      }
      const manifest = parsed.data;
      const manifestBytes = new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`);
      await writeFolderAtomically(outDir, [...outputs, { name: 'manifest.json', bytes: manifestBytes }], options);
      return manifest;
    },
  };
}
