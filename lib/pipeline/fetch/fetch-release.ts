import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '@/lib/shared/app-error';
import type { DatasetManifest } from '@/lib/shared/dataset-manifest';
import { importTopTaggingHdf5 } from '../importers/atlas-top-tagging-hdf5';
import { importFairUniverseParquet } from '../importers/fair-universe-parquet';
import { importHiggsml2014Csv } from '../importers/higgsml-2014-csv';
import { downloadFile, type DownloadResult } from './download-file';
import { checksumOfFile, isSameChecksum } from './file-checksum';
import { readRecordFiles, type RecordFile } from './read-record-files';
import { type Checksum, DEFAULT_HOST_URLS, getKnownReleaseOrThrow, type KnownRelease, type ReleaseFile, type ReleaseHost } from './release-catalogue';
import { extractZipMembers, gunzipFile } from './unpack-download';

export type FetchReleaseOptions = {
  /** A known release (`higgsml-2014`, `atlas-top-tagging`, `fair-universe`) or `physlite`. */
  name: string;
  /** Downloads go to `<dataDir>/downloads/<name>/`, datasets to `<dataDir>/datasets/<dataset>/<version>/`. */
  dataDir: string;
  /** Base URLs of the hosts (default https://opendata.cern.ch and https://zenodo.org). */
  hostUrls?: Partial<Record<ReleaseHost, string>>;
  /** physlite: the CERN Open Data record and the file name in it. */
  record?: string;
  file?: string;
  /** atlas-top-tagging: how many nominal shards of each kind (default 1 and 1). */
  trainShards?: number;
  testShards?: number;
  version?: string;
  createdAt?: string;
  overwrite?: boolean;
  onProgress?: (message: string) => void;
};

export type FetchedFile = { name: string; sizeBytes: number; checksum: Checksum; checksumSource: 'catalogue' | 'record'; download: DownloadResult['start'] | 'already-verified'; resumedFromByte: number; reconnects: number };

export type FetchReleaseResult = {
  release: string;
  files: FetchedFile[];
  downloadDir: string;
  /** The dataset version written (not for physlite, whose files are inputs of `pipeline build` recipes). */
  dataset?: { outDir: string; dataset: string; version: string; rows: Record<string, number> };
};

/**
 * `npm run pipeline -- fetch <name>`: downloads a known public release (or one PHYSLITE file of a CERN Open Data
 * record), resumably, verifies every file against the checksum pinned in the catalogue or published by the record,
 * unpacks it (gunzip, zip members) and runs the matching importer into `DATA_DIR/datasets/<dataset>/<version>/`.
 *
 * A file that fails its checksum is deleted and named with the expected and found values, and nothing is imported.
 * A file already downloaded and verified is not downloaded again.
 */
export async function fetchRelease(options: FetchReleaseOptions): Promise<FetchReleaseResult> {
  const progress = options.onProgress ?? (() => {});
  const hostUrl = (host: ReleaseHost) => (options.hostUrls?.[host] ?? DEFAULT_HOST_URLS[host]).replace(/\/+$/, '');
  if (options.name === 'physlite') return fetchPhyslite(options, hostUrl('cern-opendata'), progress);
  const release = getKnownReleaseOrThrow(options.name);
  const files = release.files({ trainShards: options.trainShards ?? 1, testShards: options.testShards ?? 1 });
  const outDir = path.join(options.dataDir, 'datasets', release.dataset, options.version ?? release.version);
  if (!options.overwrite && fs.existsSync(outDir)) {
    throw new AppError('CONFLICT', `Dataset folder ${outDir} already exists; pass --overwrite to replace it or --version to write another version.`, { file: outDir });
  }
  const downloadDir = path.join(options.dataDir, 'downloads', release.name);
  const needsRecord = files.some((f) => !f.checksum);
  const published = needsRecord ? await readRecordFiles(release.host, hostUrl(release.host), release.record) : [];
  const fetched: FetchedFile[] = [];
  const inputs: { file: ReleaseFile; paths: string[] }[] = [];
  for (const file of files) {
    const listed = published.find((p) => p.name === file.name) ?? null;
    const checksum = file.checksum ?? listed?.checksum ?? null;
    if (!checksum) {
      throw new AppError('INVALID_DATASET', `Record ${release.record} publishes no checksum for ${file.name}${listed ? '' : ' (it does not list the file)'}; refusing to import an unverified download.`, { file: file.name });
    }
    const result = await fetchVerified({ url: `${hostUrl(release.host)}${file.path}`, target: path.join(downloadDir, file.name), checksum, checksumSource: file.checksum ? 'catalogue' : 'record', expectedBytes: listed?.sizeBytes ?? null, progress });
    fetched.push(result.fetched);
    inputs.push({ file, paths: await unpack(file, result.path, downloadDir, progress) });
  }
  const manifest = await runImporter(release, inputs, { outDir, overwrite: options.overwrite, createdAt: options.createdAt, version: options.version ?? release.version, onProgress: progress });
  return {
    release: release.name,
    files: fetched,
    downloadDir,
    dataset: { outDir, dataset: manifest.dataset, version: manifest.version, rows: Object.fromEntries(manifest.files.map((f) => [f.name, f.rows])) },
  };
}

async function fetchPhyslite(options: FetchReleaseOptions, baseUrl: string, progress: (message: string) => void): Promise<FetchReleaseResult> {
  const { record, file } = options;
  if (!record || !/^\d+$/.test(record) || !file) throw new AppError('BAD_REQUEST', 'fetch physlite needs --record <CERN Open Data record id> and --file <file name in that record>.');
  const listed = await readRecordFiles('cern-opendata', baseUrl, record);
  const entry: RecordFile | undefined = listed.find((f) => f.name === file);
  if (!entry) {
    const names = listed.map((f) => f.name).filter((n) => !n.endsWith('_file_index.json') && !n.endsWith('_file_index.txt'));
    throw new AppError('NOT_FOUND', `Record ${record} lists no file "${file}"; it lists ${names.slice(0, 10).join(', ')}${names.length > 10 ? `, … (${names.length} files)` : ''}.`, { file, expected: 'a file of the record' });
  }
  if (!entry.checksum) throw new AppError('INVALID_DATASET', `Record ${record} publishes no checksum for ${file}; refusing an unverified download.`, { file });
  const downloadDir = path.join(options.dataDir, 'downloads', 'physlite', record);
  const result = await fetchVerified({ url: entry.url, target: path.join(downloadDir, file), checksum: entry.checksum, checksumSource: 'record', expectedBytes: entry.sizeBytes, progress });
  progress(`${file} is ready at ${result.path}: inspect it with \`npm run pipeline -- inspect ${result.path}\` and build a dataset from it with a recipe (\`npm run pipeline -- build recipe.json\`)`);
  return { release: 'physlite', files: [result.fetched], downloadDir };
}

/** Downloads (or reuses) a file and verifies it; a file that fails is deleted and the error names both checksums. */
async function fetchVerified(input: { url: string; target: string; checksum: Checksum; checksumSource: FetchedFile['checksumSource']; expectedBytes: number | null; progress: (message: string) => void }): Promise<{ path: string; fetched: FetchedFile }> {
  const name = path.basename(input.target);
  let download: DownloadResult | null = null;
  if (fs.existsSync(input.target)) {
    const found = await checksumOfFile(input.target, input.checksum.algorithm);
    if (isSameChecksum(input.checksum, found)) {
      input.progress(`${name}: already downloaded, ${input.checksum.algorithm} ${found} verified`);
      const sizeBytes = (await fs.promises.stat(input.target)).size;
      return { path: input.target, fetched: { name, sizeBytes, checksum: input.checksum, checksumSource: input.checksumSource, download: 'already-verified', resumedFromByte: 0, reconnects: 0 } };
    }
    input.progress(`${name}: the file already here fails its ${input.checksum.algorithm} check (found ${found}); downloading it again`);
    await fs.promises.rm(input.target, { force: true });
  }
  download = await downloadFile({ url: input.url, file: input.target, expectedBytes: input.expectedBytes, onProgress: input.progress });
  const found = await checksumOfFile(input.target, input.checksum.algorithm);
  if (!isSameChecksum(input.checksum, found)) {
    await fs.promises.rm(input.target, { force: true });
    throw new AppError('INVALID_DATASET', `${name} failed its ${input.checksum.algorithm} check: expected ${input.checksum.value} (${input.checksumSource === 'catalogue' ? 'pinned in the catalogue' : 'published by the record'}), found ${found}. The download was deleted and nothing was imported; run the fetch again.`, {
      file: name, expected: `${input.checksum.algorithm}:${input.checksum.value}`, found: `${input.checksum.algorithm}:${found}`,
    });
  }
  input.progress(`${name}: ${input.checksum.algorithm} ${found} verified`);
  return { path: input.target, fetched: { name, sizeBytes: download.sizeBytes, checksum: input.checksum, checksumSource: input.checksumSource, download: download.start, resumedFromByte: download.resumedFromByte, reconnects: download.reconnects } };
}

async function unpack(file: ReleaseFile, downloaded: string, dir: string, progress: (message: string) => void): Promise<string[]> {
  if (!file.unpack) return [downloaded];
  if (file.unpack.kind === 'gunzip') {
    progress(`${file.name}: decompressing`);
    return [await gunzipFile(downloaded)];
  }
  progress(`${file.name}: extracting ${file.unpack.members.join(', ')}`);
  const members = await extractZipMembers(downloaded, dir, file.unpack.members, file.unpack.optionalMembers ?? []);
  return Object.values(members);
}

async function runImporter(release: KnownRelease, inputs: { file: ReleaseFile; paths: string[] }[], common: { outDir: string; overwrite?: boolean; createdAt?: string; version: string; onProgress: (message: string) => void }): Promise<DatasetManifest> {
  const paths = (role: ReleaseFile['role']) => inputs.filter((i) => i.file.role === role).flatMap((i) => i.paths);
  switch (release.name) {
    case 'higgsml-2014':
      return importHiggsml2014Csv({ ...common, inputs: paths('input') });
    case 'atlas-top-tagging':
      return importTopTaggingHdf5({ ...common, train: paths('train'), test: paths('test') });
    case 'fair-universe': {
      const all = paths('input');
      const parquet = all.find((p) => p.endsWith('.parquet')) as string;
      return importFairUniverseParquet({ ...common, input: parquet, metadataFile: all.find((p) => p.endsWith('.json')) });
    }
  }
}
