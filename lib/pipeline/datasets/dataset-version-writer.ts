import { createHash, type Hash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '@/lib/shared/app-error';
import { type ArrowBatchColumnSpec, type ArrowBatchColumnType, type ArrowColumn, type ArrowFileBatchWriter, createArrowFileBatchWriter, encodeArrowTable, formatCsvHeader, formatCsvRows } from '@/lib/shared/arrow';
import { DISPLAY_COLUMNS, DISPLAY_TABLE_NAME, type DisplayTable } from '@/lib/shared/display/display-objects';
import { type DatasetFile, type DatasetManifest, datasetManifestSchema } from '@/lib/shared/dataset-manifest';
import { rootExportTreeName } from '@/lib/shared/formats/root-export-tree-name';
import { createParquetBatchWriter, type ParquetBatchWriter } from '@/lib/shared/parquet';
import type { TreeBranchSpec } from '../root/write/branch-types';
import type { BranchColumn } from '../root/write/branch-writers';
import { createRootFile, type RootFileOutput } from '../root/write/create-root-file';
import type { TTreeWriter } from '../root/write/ttree-writer';
import { assertDisplayTable, assertOutDirAvailable, type DatasetColumnSpec, moveIntoPlace, provenanceMetadata, STANDARD_COLUMNS, trackPendingTemporaryDir } from './write-dataset-version';

/**
 * Rows per record batch and Parquet row group: as many as fit in about 16 MiB of column data, at most 100,000 (the
 * row group size of `writeParquetTable`), so a table of up to one batch is written byte for byte as
 * `writeDatasetVersion` writes it, and memory holds one batch per table however many rows there are.
 */
const BATCH_BYTES = 16 * 1024 * 1024;
const MAX_BATCH_ROWS = 100_000;
/** Cells formatted into one CSV string at a time (each cell is a short-lived string). */
const CSV_CHUNK_CELLS = 65_536;

/** A string column whose distinct values (in order of first appearance) and row count are known before writing. */
export type KnownStrings = { values: readonly string[]; rows: number };

export type OpenDatasetVersionWriterInput = {
  /** Final folder of the version; written as `<outDir>.tmp-<random>` and renamed by `finish`. */
  outDir: string;
  overwrite?: boolean;
  /** Manifest fields the writer does not derive itself. */
  manifest: Omit<DatasetManifest, 'featureColumns' | 'columns' | 'files'>;
  featureColumns: readonly DatasetColumnSpec[];
  /** Arrow type of the feature columns (default float32 for all). */
  featureType?: (name: string) => 'float32' | 'float64' | 'int32';
  /** Train's `detailed_label` column, when it has one. */
  detailedLabels?: KnownStrings;
  /** Truth's public/private `split` column, when the source fixes the leaderboard split. */
  split?: KnownStrings;
  /** Names of the varied test sets (`test@<name>`, server-only `truth@<name>`), in manifest order. */
  variations?: readonly string[];
  /** train.csv / test.csv exports (default true). */
  writeCsv?: boolean;
  /** train.parquet / test.parquet exports (default true: every dataset offers Parquet). */
  writeParquet?: boolean;
  /** train.root / test.root (and test@<variation>.root) exports, one TTree each (default true), as writeDatasetVersion writes them. */
  writeRoot?: boolean;
  /** Upper bound of rows per record batch and row group (below the 16 MiB rule); for tests of the batching. */
  maxBatchRows?: number;
  onProgress?: (message: string) => void;
};

export type TrainBatch = { eventId: Int32Array; features: Record<string, ArrowColumn>; label: Uint8Array; weight: Float64Array; detailedLabel?: string[] };
export type TestBatch = { id: Int32Array; features: Record<string, ArrowColumn>; label: Uint8Array; weight: Float64Array; split?: string[] };

export type DatasetVersionWriter = {
  appendTrain(batch: TrainBatch): Promise<void>;
  /** Rows of the test table and, row by row, their truth (same ids by construction). */
  appendTest(batch: TestBatch): Promise<void>;
  appendVariation(name: string, batch: TestBatch): Promise<void>;
  /** The `events@display` table (objects of a bounded sample of training events), written at `finish`. */
  setDisplay(table: DisplayTable): void;
  /** Completes every file, checks ids, writes manifest.json and moves the folder into place. */
  finish(): Promise<DatasetManifest>;
  /** Removes everything written so far; safe to call after a failure and more than once. */
  abort(): Promise<void>;
};

/**
 * Opens a dataset version for writing batch by batch: the same files, manifest and checks as `writeDatasetVersion`
 * (train, test, server-only truth, CSV and Parquet exports, `test@<name>` / `truth@<name>` variations), but memory
 * holds one batch per table instead of every table and its encodings. Each file's sha256 is computed as it is
 * written. Everything goes into a temporary folder beside `outDir`, removed on `abort` (and on SIGINT by the CLI);
 * `finish` renames it into place.
 *
 * Row checks (label 0/1, weight finite and ≥ 0, split public/private) run on every batch; unique ids are checked at
 * `finish` from the ids kept as they pass (4 bytes per row), all with `AppError('INVALID_DATASET')` naming table, row
 * and column.
 */
export async function openDatasetVersionWriter(input: OpenDatasetVersionWriterInput): Promise<DatasetVersionWriter> {
  const outDir = path.resolve(input.outDir);
  const progress = input.onProgress ?? (() => {});
  assertOutDirAvailable(outDir, input.overwrite === true);
  const featureNames = input.featureColumns.map((c) => c.name);
  assertFeatureNames(featureNames);
  const variationNames = input.variations ?? [];
  assertVariationNames(variationNames);
  assertManifestFields(input, { hasDetailedLabel: input.detailedLabels !== undefined, hasSplit: input.split !== undefined });

  const featureSpecs: ArrowBatchColumnSpec[] = featureNames.map((name) => ({ name, type: input.featureType?.(name) ?? 'float32' }));
  const trainColumns: ArrowBatchColumnSpec[] = [{ name: 'event_id', type: 'int32' }, ...featureSpecs, { name: 'label', type: 'uint8' }, { name: 'weight', type: 'float64' }];
  if (input.detailedLabels) trainColumns.push({ name: 'detailed_label', type: stringEncoding(input.detailedLabels) });
  const testColumns: ArrowBatchColumnSpec[] = [{ name: 'id', type: 'int32' }, ...featureSpecs];
  const truthColumns: ArrowBatchColumnSpec[] = [{ name: 'id', type: 'int32' }, { name: 'label', type: 'uint8' }, { name: 'weight', type: 'float64' }];
  const variationTruthColumns = [...truthColumns];
  if (input.split) truthColumns.push({ name: 'split', type: stringEncoding(input.split) });

  await fs.promises.mkdir(path.dirname(outDir), { recursive: true });
  const tmpDir = `${outDir}.tmp-${randomBytes(6).toString('hex')}`;
  await fs.promises.mkdir(tmpDir);
  const untrack = trackPendingTemporaryDir(tmpDir);
  const exportsOf = { csv: input.writeCsv !== false, parquet: input.writeParquet !== false, root: input.writeRoot !== false };
  const noExports = { csv: false, parquet: false, root: false };
  // ROOT keys carry a date: the version's createdAt, so that the same input gives the same bytes (as writeDatasetVersion).
  const createdAt = new Date(input.manifest.createdAt);
  const rootDate = Number.isFinite(createdAt.getTime()) && createdAt.getUTCFullYear() >= 1995 && createdAt.getUTCFullYear() < 2059 ? createdAt : undefined;
  const tables: TableFiles[] = [];
  let isClosed = false;
  const abort = async () => {
    if (isClosed) return;
    isClosed = true;
    await Promise.all(tables.map((t) => t.close()));
    await fs.promises.rm(tmpDir, { recursive: true, force: true });
    untrack();
  };
  try {
    const open = (name: string, role: DatasetFile['role'], columns: ArrowBatchColumnSpec[], serverOnly: boolean, exports: typeof exportsOf) =>
      TableFiles.open({
        tmpDir,
        name,
        role,
        columns,
        serverOnly,
        exports,
        metadata: provenanceMetadata(input, name, columns.map((c) => c.name)),
        rootTitle: `${input.manifest.dataset} ${input.manifest.version}: ${name} (units and descriptions in manifest.json)`,
        rootDate,
        progress,
        maxBatchRows: input.maxBatchRows,
      });
    tables.push(await open('train', 'train', trainColumns, false, exportsOf));
    tables.push(await open('test', 'test', testColumns, false, exportsOf));
    tables.push(await open('truth', 'truth', truthColumns, true, noExports));
    for (const name of variationNames) {
      tables.push(await open(`test@${name}`, 'export', testColumns, false, exportsOf));
      tables.push(await open(`truth@${name}`, 'truth', variationTruthColumns, true, noExports));
    }
  } catch (error) {
    await abort();
    throw error;
  }
  const table = (name: string) => tables.find((t) => t.name === name) as TableFiles;
  let display: DisplayTable | null = null;
  const guard = async (work: () => Promise<void>) => {
    if (isClosed) throw new AppError('INTERNAL', `The dataset writer for ${outDir} is already closed.`);
    try {
      await work();
    } catch (error) {
      await abort();
      throw error;
    }
  };

  const appendPair = async (testName: string, truthName: string, batch: TestBatch) => {
    const rows = batch.id.length;
    assertLabelsAndWeights(truthName, table(truthName).rows, batch.label, batch.weight, rows);
    if (batch.split) assertSplit(truthName, table(truthName).rows, batch.split, rows);
    if (input.split && testName === 'test' && !batch.split) throw invalid(`${truthName} needs a split column in every batch.`, { file: truthName, column: 'split' });
    await table(testName).append({ id: batch.id, ...pickFeatures(testName, batch.features, featureNames, rows) }, rows);
    const truth: Record<string, ArrowColumn> = { id: batch.id, label: batch.label, weight: batch.weight };
    if (testName === 'test' && batch.split) truth.split = batch.split;
    await table(truthName).append(truth, rows);
  };

  return {
    appendTrain: (batch) =>
      guard(async () => {
        const rows = batch.eventId.length;
        const train = table('train');
        assertLabelsAndWeights('train', train.rows, batch.label, batch.weight, rows);
        if (input.detailedLabels && batch.detailedLabel?.length !== rows) throw invalid(`train needs ${rows} detailed_label values in this batch.`, { file: 'train', column: 'detailed_label' });
        const columns: Record<string, ArrowColumn> = { event_id: batch.eventId, ...pickFeatures('train', batch.features, featureNames, rows), label: batch.label, weight: batch.weight };
        if (input.detailedLabels) columns.detailed_label = batch.detailedLabel as string[];
        await train.append(columns, rows);
      }),
    appendTest: (batch) => guard(() => appendPair('test', 'truth', batch)),
    setDisplay(tableOfObjects) {
      display = tableOfObjects;
    },
    appendVariation: (name, batch) =>
      guard(async () => {
        if (!variationNames.includes(name)) throw new AppError('INTERNAL', `Variation "${name}" was not declared when the writer was opened.`);
        await appendPair(`test@${name}`, `truth@${name}`, batch);
      }),
    async finish() {
      let manifest: DatasetManifest | undefined;
      await guard(async () => {
        const train = table('train');
        const test = table('test');
        if (train.rows === 0 || test.rows === 0) throw invalid('Both train and test need at least one row.', { expected: '≥ 1 row', found: `train ${train.rows}, test ${test.rows}` });
        for (const known of [[input.detailedLabels, train, 'detailed_label'], [input.split, table('truth'), 'split']] as const) {
          if (known[0] && known[0].rows !== known[1].rows) {
            throw new AppError('INTERNAL', `${known[1].name} was opened for ${known[0].rows} ${known[2]} rows but received ${known[1].rows}.`);
          }
        }
        const files: DatasetFile[] = [];
        for (const t of tables) files.push(...(await t.finish()));
        for (const t of tables) t.assertUniqueIds();
        if (display) {
          // Small (a bounded sample of events): encoded whole, as writeDatasetVersion does.
          assertDisplayTable(display, train.keptIds());
          const columns = { event_id: display.eventId, object: display.object, pt: display.pt, eta: display.eta, phi: display.phi, m: display.m };
          const bytes = encodeArrowTable(columns, provenanceMetadata(input, DISPLAY_TABLE_NAME, Object.keys(columns)));
          const file = await OutputFile.open(tmpDir, `${DISPLAY_TABLE_NAME}.arrow`);
          await file.write([bytes]);
          files.push({ name: file.name, role: 'display', format: 'arrow', sha256: await file.close(), sizeBytes: file.sizeBytes, rows: display.eventId.length, serverOnly: false });
        }
        manifest = buildManifest(input, files, display !== null);
        await fs.promises.writeFile(path.join(tmpDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
        await moveIntoPlace(tmpDir, outDir, input.overwrite === true);
        isClosed = true;
        untrack();
        progress(`wrote ${outDir}`);
      });
      return manifest as DatasetManifest;
    },
    abort,
  };
}

function stringEncoding(known: KnownStrings): ArrowBatchColumnType {
  // The rule of encodeArrowTable's "auto": a dictionary for at most 256 distinct values that are fewer than half the rows.
  const isDictionary = known.values.length <= 256 && !(known.values.length * 2 > known.rows && known.rows > 0);
  return isDictionary ? { dictionary: known.values } : 'utf8';
}

function rowBytes(columns: readonly ArrowBatchColumnSpec[]): number {
  const width = { float32: 4, float64: 8, int32: 4, int8: 1, uint8: 1, utf8: 16 } as const;
  return columns.reduce((sum, c) => sum + (typeof c.type === 'object' ? 4 : width[c.type]), 0);
}

/** An output file being written: bytes go to disk as they come, with their sha256 and size. */
class OutputFile {
  private constructor(readonly name: string, private readonly handle: fs.promises.FileHandle, private readonly hash: Hash, public sizeBytes = 0) {}

  static async open(dir: string, name: string): Promise<OutputFile> {
    return new OutputFile(name, await fs.promises.open(path.join(dir, name), 'wx'), createHash('sha256'));
  }

  async write(chunks: readonly Uint8Array[]): Promise<void> {
    for (let start = 0; start < chunks.length; start += 512) {
      const group = chunks.slice(start, start + 512);
      for (const chunk of group) {
        this.hash.update(chunk);
        this.sizeBytes += chunk.byteLength;
      }
      let pending = group;
      // writev may write fewer bytes than asked; continue from where it stopped.
      while (pending.length > 0) {
        const expected = pending.reduce((s, c) => s + c.byteLength, 0);
        const { bytesWritten } = await this.handle.writev(pending);
        if (bytesWritten >= expected) break;
        let skip = bytesWritten;
        const rest: Uint8Array[] = [];
        for (const chunk of pending) {
          if (skip >= chunk.byteLength) skip -= chunk.byteLength;
          else {
            rest.push(chunk.subarray(skip));
            skip = 0;
          }
        }
        pending = rest;
      }
    }
  }

  async close(): Promise<string> {
    await this.handle.close();
    return this.hash.digest('hex');
  }

  async closeQuietly(): Promise<void> {
    await this.handle.close().catch(() => {});
  }
}

type TableFilesOptions = {
  tmpDir: string;
  name: string;
  role: DatasetFile['role'];
  columns: ArrowBatchColumnSpec[];
  serverOnly: boolean;
  exports: { csv: boolean; parquet: boolean; root: boolean };
  metadata: Record<string, string>;
  rootTitle: string;
  rootDate: Date | undefined;
  progress: (message: string) => void;
  maxBatchRows?: number;
};

/** One table of the version (e.g. train): its Arrow file and exports, fed through a buffer of one batch. */
class TableFiles {
  rows = 0;
  private filled = 0;
  private readonly buffer: Record<string, ArrowColumn>;
  private readonly batchRows: number;
  private ids: Int32Array = new Int32Array(1024);
  private closed = false;

  private constructor(
    private readonly options: TableFilesOptions,
    private readonly arrow: { file: OutputFile; writer: ArrowFileBatchWriter },
    private readonly csv: OutputFile | null,
    private readonly parquet: { file: OutputFile; writer: ParquetBatchWriter } | null,
    private readonly root: { file: RootFileOutput; tree: TTreeWriter } | null,
  ) {
    this.batchRows = Math.max(1, Math.min(options.maxBatchRows ?? MAX_BATCH_ROWS, MAX_BATCH_ROWS, Math.floor(BATCH_BYTES / Math.max(1, rowBytes(options.columns)))));
    this.buffer = Object.fromEntries(options.columns.map((c) => [c.name, allocate(c.type, this.batchRows)]));
  }

  get name(): string {
    return this.options.name;
  }

  static async open(options: TableFilesOptions): Promise<TableFiles> {
    const arrowFile = await OutputFile.open(options.tmpDir, `${options.name}.arrow`);
    const csv = options.exports.csv ? await OutputFile.open(options.tmpDir, `${options.name}.csv`) : null;
    const parquetFile = options.exports.parquet ? await OutputFile.open(options.tmpDir, `${options.name}.parquet`) : null;
    if (csv) await csv.write([new TextEncoder().encode(formatCsvHeader(options.columns.map((c) => c.name)))]);
    let root: { file: RootFileOutput; tree: TTreeWriter } | null = null;
    if (options.exports.root) {
      const file = await createRootFile(path.join(options.tmpDir, `${options.name}.root`), { modifiedAt: options.rootDate, title: options.rootTitle });
      const branches: TreeBranchSpec[] = options.columns.map((c) => (typeof c.type === 'object' || c.type === 'utf8' ? { name: c.name, kind: 'string' } : { name: c.name, kind: 'number', type: c.type }));
      root = { file, tree: file.addTree({ name: rootExportTreeName(options.name), title: options.rootTitle, branches }) };
    }
    return new TableFiles(
      options,
      { file: arrowFile, writer: createArrowFileBatchWriter(options.columns, options.metadata) },
      csv,
      parquetFile ? { file: parquetFile, writer: createParquetBatchWriter(options.metadata) } : null,
      root,
    );
  }

  async append(columns: Record<string, ArrowColumn>, rows: number): Promise<void> {
    for (const spec of this.options.columns) {
      const column = columns[spec.name];
      if (column?.length !== rows) {
        throw invalid(`${this.name} column "${spec.name}" has ${column?.length ?? 0} rows in this batch, expected ${rows}.`, { file: this.name, column: spec.name, expected: String(rows), found: String(column?.length ?? 0) });
      }
    }
    this.keepIds((columns.id ?? columns.event_id) as Int32Array);
    let from = 0;
    while (from < rows) {
      const take = Math.min(rows - from, this.batchRows - this.filled);
      for (const spec of this.options.columns) copyInto(this.buffer[spec.name] as ArrowColumn, this.filled, columns[spec.name] as ArrowColumn, from, take);
      this.filled += take;
      from += take;
      if (this.filled === this.batchRows) await this.flush();
    }
  }

  /** The Arrow file and its exports, with sha256, size and rows, in the order writeDatasetVersion lists them. */
  async finish(): Promise<DatasetFile[]> {
    if (this.filled > 0) await this.flush();
    await this.arrow.file.write(this.arrow.writer.finish());
    if (this.parquet) {
      if (this.rows === 0) this.parquet.writer.writeRowGroup(this.view(0));
      await this.parquet.file.write([this.parquet.writer.finish()]);
    }
    this.closed = true;
    const entry = async (file: OutputFile, format: DatasetFile['format'], role: DatasetFile['role'], serverOnly: boolean): Promise<DatasetFile> => {
      const sha256 = await file.close();
      this.options.progress(`wrote ${file.name} (${this.rows} rows, ${(file.sizeBytes / 1e6).toFixed(1)} MB)`);
      return { name: file.name, role, format, sha256, sizeBytes: file.sizeBytes, rows: this.rows, serverOnly };
    };
    const files = [await entry(this.arrow.file, 'arrow', this.options.role, this.options.serverOnly)];
    if (this.csv) files.push(await entry(this.csv, 'csv', 'export', false));
    if (this.parquet) files.push(await entry(this.parquet.file, 'parquet', 'export', false));
    if (this.root) {
      this.root.file.close();
      const { sha256, sizeBytes } = await hashFile(this.root.file.filePath);
      this.options.progress(`wrote ${this.name}.root (${this.rows} rows, ${(sizeBytes / 1e6).toFixed(1)} MB)`);
      files.push({ name: `${this.name}.root`, role: 'export', format: 'root', sha256, sizeBytes, rows: this.rows, serverOnly: false });
    }
    return files;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.root?.file.abort();
    await Promise.all([this.arrow.file.closeQuietly(), this.csv?.closeQuietly(), this.parquet?.file.closeQuietly()]);
  }

  /** The ids of the rows appended so far, in order. */
  keptIds(): Int32Array {
    return this.ids.subarray(0, this.rows);
  }

  assertUniqueIds(): void {
    const column = this.options.columns[0]?.name as string;
    const ids = this.ids.subarray(0, this.rows);
    const sorted = Int32Array.from(ids).sort();
    const repeated = new Set<number>();
    for (let i = 1; i < sorted.length; i++) if (sorted[i] === sorted[i - 1]) repeated.add(sorted[i] as number);
    if (repeated.size === 0) return;
    const firstRow = new Map<number, number>();
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as number;
      if (!repeated.has(id)) continue;
      const previous = firstRow.get(id);
      if (previous !== undefined) {
        throw invalid(`${this.name} ${column} ${id} appears on rows ${previous} and ${i}; ids must be unique.`, { file: this.name, row: i, column, expected: 'unique id', found: String(id) });
      }
      firstRow.set(id, i);
    }
  }

  private keepIds(ids: Int32Array): void {
    if (this.rows + ids.length > this.ids.length) {
      const bigger = new Int32Array(Math.max(this.ids.length * 2, this.rows + ids.length));
      bigger.set(this.ids.subarray(0, this.rows));
      this.ids = bigger;
    }
    this.ids.set(ids, this.rows);
    this.rows += ids.length;
  }

  private view(rows: number): Record<string, ArrowColumn> {
    return Object.fromEntries(this.options.columns.map((c) => [c.name, slice(this.buffer[c.name] as ArrowColumn, rows)]));
  }

  private async flush(): Promise<void> {
    const rows = this.filled;
    const batch = this.view(rows);
    await this.arrow.file.write(this.arrow.writer.writeBatch(batch));
    if (this.parquet) await this.parquet.file.write([this.parquet.writer.writeRowGroup(batch)]);
    this.root?.tree.appendColumns(batch as Record<string, BranchColumn>);
    if (this.csv) {
      const encoder = new TextEncoder();
      const columns = this.options.columns.map((c) => batch[c.name] as ArrowColumn);
      const chunkRows = Math.max(1, Math.floor(CSV_CHUNK_CELLS / Math.max(1, columns.length)));
      for (let start = 0; start < rows; start += chunkRows) {
        const end = Math.min(rows, start + chunkRows);
        await this.csv.write([encoder.encode(formatCsvRows(columns.map((c) => slice(c, end, start)), end - start))]);
      }
    }
    this.filled = 0;
  }
}

async function hashFile(file: string): Promise<{ sha256: string; sizeBytes: number }> {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  for await (const chunk of fs.createReadStream(file)) {
    hash.update(chunk as Buffer);
    sizeBytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), sizeBytes };
}

function allocate(type: ArrowBatchColumnType, rows: number): ArrowColumn {
  switch (type) {
    case 'float32': return new Float32Array(rows);
    case 'float64': return new Float64Array(rows);
    case 'int32': return new Int32Array(rows);
    case 'int8': return new Int8Array(rows);
    case 'uint8': return new Uint8Array(rows);
    default: return new Array<string>(rows);
  }
}

function slice(column: ArrowColumn, end: number, start = 0): ArrowColumn {
  return Array.isArray(column) ? column.slice(start, end) : column.subarray(start, end);
}

function copyInto(target: ArrowColumn, at: number, source: ArrowColumn, from: number, count: number): void {
  if (Array.isArray(target)) {
    for (let i = 0; i < count; i++) target[at + i] = String((source as ArrayLike<unknown>)[from + i]);
    return;
  }
  if (Array.isArray(source)) throw invalid('A numeric column received strings.', {});
  // Typed-array set converts between element types (e.g. float64 values into a float32 column), as Float32Array.from would.
  (target as Float64Array).set((source as Float64Array).subarray(from, from + count), at);
}

function pickFeatures(file: string, features: Record<string, ArrowColumn>, names: readonly string[], rows: number): Record<string, ArrowColumn> {
  for (const name of Object.keys(features)) {
    if (!names.includes(name)) throw invalid(`${file} has column "${name}" that is not in the feature list.`, { file, column: name });
  }
  const picked: Record<string, ArrowColumn> = {};
  for (const name of names) {
    const column = features[name];
    if (column === undefined) throw invalid(`${file} has no column "${name}".`, { file, column: name });
    if (column.length !== rows) throw invalid(`${file} column "${name}" has ${column.length} rows, expected ${rows}.`, { file, column: name, expected: String(rows), found: String(column.length) });
    picked[name] = column;
  }
  return picked;
}

function assertLabelsAndWeights(file: string, rowOffset: number, label: Uint8Array, weight: Float64Array, rows: number): void {
  if (label.length !== rows || weight.length !== rows) {
    throw invalid(`${file} has ${label.length} labels and ${weight.length} weights in this batch, expected ${rows} of each.`, { file, expected: String(rows) });
  }
  for (let i = 0; i < rows; i++) {
    const row = rowOffset + i;
    if (label[i] !== 0 && label[i] !== 1) throw invalid(`${file} row ${row}: label must be 0 or 1, found ${label[i]}.`, { file, row, column: 'label', expected: '0 or 1', found: String(label[i]) });
    const w = weight[i] as number;
    if (!(Number.isFinite(w) && w >= 0)) throw invalid(`${file} row ${row}: weight must be a finite number ≥ 0, found ${w}.`, { file, row, column: 'weight', expected: 'finite ≥ 0', found: String(w) });
  }
}

function assertSplit(file: string, rowOffset: number, split: string[], rows: number): void {
  if (split.length !== rows) throw invalid(`${file} has ${split.length} split values in this batch, expected ${rows}.`, { file, column: 'split' });
  split.forEach((value, i) => {
    if (value !== 'public' && value !== 'private') {
      throw invalid(`${file} row ${rowOffset + i}: split must be "public" or "private", found "${value}".`, { file, row: rowOffset + i, column: 'split', expected: 'public | private', found: value });
    }
  });
}

function assertFeatureNames(names: readonly string[]): void {
  const reserved = new Set(Object.keys(STANDARD_COLUMNS));
  for (const name of names) if (reserved.has(name)) throw invalid(`Feature column "${name}" clashes with a standard column name.`, { column: name });
  if (new Set(names).size !== names.length) throw invalid('Feature column names must be unique.', { expected: 'unique names' });
}

function assertVariationNames(names: readonly string[]): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (!/^[a-z0-9][a-z0-9_.-]*$/.test(name) || seen.has(name)) {
      throw invalid(`Variation name "${name}" must be unique and use lower-case letters, digits, "_", "-" or ".".`, { file: `test@${name}` });
    }
    seen.add(name);
  }
}

function manifestCandidate(input: OpenDatasetVersionWriterInput, shape: { hasDetailedLabel: boolean; hasSplit: boolean; hasDisplay?: boolean }, files: DatasetFile[]) {
  const names = ['event_id', 'id', ...input.featureColumns.map((c) => c.name), 'label', 'weight'];
  if (shape.hasDetailedLabel) names.push('detailed_label');
  if (shape.hasSplit) names.push('split');
  if (shape.hasDisplay) names.push(...DISPLAY_COLUMNS.map((c) => c.name).filter((name) => !names.includes(name)));
  const spec = (name: string) =>
    input.featureColumns.find((c) => c.name === name) ?? STANDARD_COLUMNS[name] ?? (DISPLAY_COLUMNS.find((c) => c.name === name) as DatasetColumnSpec);
  return {
    ...input.manifest,
    featureColumns: input.featureColumns.map((c) => c.name),
    columns: names.map((name) => ({ name: spec(name).name, unit: spec(name).unit, description: spec(name).description })),
    files,
  };
}

function parseManifest(candidate: unknown, dataset: string): DatasetManifest {
  const parsed = datasetManifestSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(`The manifest of ${dataset} does not validate: ${issue?.path.join('.')}: ${issue?.message}.`, { file: 'manifest.json', column: issue?.path.join('.') });
  }
  return parsed.data;
}

/** Fails before any reading or writing when the manifest fields could never validate. */
function assertManifestFields(input: OpenDatasetVersionWriterInput, shape: { hasDetailedLabel: boolean; hasSplit: boolean }): void {
  if (input.manifest.fixedSplitColumn !== (shape.hasSplit ? 'split' : null)) {
    throw invalid('manifest.fixedSplitColumn must be "split" exactly when truth has a split column.', { column: 'fixedSplitColumn', expected: shape.hasSplit ? 'split' : 'null', found: String(input.manifest.fixedSplitColumn) });
  }
  const placeholder: DatasetFile = { name: 'train.arrow', role: 'train', format: 'arrow', sha256: '0'.repeat(64), sizeBytes: 0, rows: 0, serverOnly: false };
  parseManifest(manifestCandidate(input, shape, [placeholder]), input.manifest.dataset);
}

function buildManifest(input: OpenDatasetVersionWriterInput, files: DatasetFile[], hasDisplay: boolean): DatasetManifest {
  return parseManifest(manifestCandidate(input, { hasDetailedLabel: input.detailedLabels !== undefined, hasSplit: input.split !== undefined, hasDisplay }, files), input.manifest.dataset);
}

function invalid(message: string, details: { column?: string; row?: number; expected?: string; found?: string; file?: string }): AppError {
  return new AppError('INVALID_DATASET', message, details);
}
