import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '@/lib/shared/app-error';
import { type ArrowBatchColumnSpec, type ArrowBatchColumnType, type ArrowColumn, encodeArrowTable } from '@/lib/shared/arrow';
import { DISPLAY_COLUMNS, DISPLAY_TABLE_NAME, type DisplayTable } from '@/lib/shared/display/display-objects';
import { type DatasetFile, type DatasetManifest, datasetManifestSchema } from '@/lib/shared/dataset-manifest';
import { OutputFile, TABLE_FILE_FORMATS, type TableFileFormat, TableFiles, type TableFilesOptions } from './table-files';
import { TableFilesThread } from './table-files-thread';
import { assertDisplayTable, assertOutDirAvailable, type DatasetColumnSpec, moveIntoPlace, provenanceMetadata, STANDARD_COLUMNS, trackPendingTemporaryDir } from './write-dataset-version';

/**
 * How the files of each table are shared out between writer threads, by thread count: the CSV text (float
 * formatting) and the Arrow file cost about as much as Parquet and ROOT (Snappy, statistics, deflate) together.
 */
const FORMATS_BY_THREADS: Record<number, readonly (readonly TableFileFormat[])[]> = {
  1: [TABLE_FILE_FORMATS],
  2: [['csv', 'arrow'], ['parquet', 'root']],
  3: [['csv'], ['parquet'], ['arrow', 'root']],
};

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
  /**
   * Threads that encode and write the files (0, the default: this thread). With 1 the caller's thread only checks
   * rows and hands them over; with 2 or 3 each table's formats are shared out between them. The bytes are the same.
   */
  threads?: number;
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
  const threadCount = Math.max(0, Math.min(3, Math.floor(input.threads ?? 0)));
  const threads: TableFilesThread[] = [];
  const tables: TableRows[] = [];
  let isClosed = false;
  const stopThreads = () => Promise.all(threads.map((t) => t.stop()));
  const abort = async () => {
    if (isClosed) return;
    isClosed = true;
    await Promise.all(tables.map((t) => t.close()));
    // A thread closes its files before they are removed (one that failed has nothing left open).
    await Promise.all(threads.map((t) => t.drain().then(() => t.call({ kind: 'close' })).catch(() => {})));
    await stopThreads();
    await fs.promises.rm(tmpDir, { recursive: true, force: true });
    untrack();
  };
  try {
    const groups = threadCount > 0 ? (FORMATS_BY_THREADS[threadCount] as readonly (readonly TableFileFormat[])[]) : [];
    for (let i = 0; i < groups.length; i++) threads.push(new TableFilesThread(progress));
    const open = async (name: string, role: DatasetFile['role'], columns: ArrowBatchColumnSpec[], serverOnly: boolean, exports: typeof exportsOf) => {
      const wanted: Record<TableFileFormat, boolean> = { arrow: true, ...exports };
      const options: Omit<TableFilesOptions, 'files' | 'progress' | 'rootDate'> = {
        tmpDir,
        name,
        role,
        columns,
        serverOnly,
        metadata: provenanceMetadata(input, name, columns.map((c) => c.name)),
        rootTitle: `${input.manifest.dataset} ${input.manifest.version}: ${name} (units and descriptions in manifest.json)`,
        maxBatchRows: input.maxBatchRows,
      };
      if (threads.length === 0) return new TableRows(name, columns, await TableFiles.open({ ...options, files: wanted, rootDate, progress }), []);
      const holders: TableFilesThread[] = [];
      await Promise.all(groups.map((formats, i) => {
        const files = Object.fromEntries(TABLE_FILE_FORMATS.map((f) => [f, wanted[f] && formats.includes(f)])) as Record<TableFileFormat, boolean>;
        if (!Object.values(files).some(Boolean)) return null;
        const thread = threads[i] as TableFilesThread;
        holders.push(thread);
        return thread.call({ kind: 'open', table: { ...options, files, rootDate: rootDate?.getTime() ?? null } });
      }));
      return new TableRows(name, columns, null, holders);
    };
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
  const table = (name: string) => tables.find((t) => t.name === name) as TableRows;
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
        if (threads.length > 0) {
          // Every thread finishes its files at once; the list keeps the tables' order.
          await Promise.all(threads.map((t) => t.drain()));
          for (const tableFiles of await Promise.all(tables.map((t) => t.finish()))) files.push(...tableFiles);
          await stopThreads();
        } else {
          for (const t of tables) files.push(...(await t.finish()));
        }
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

/**
 * One table of the version as the writer sees it: the rows and ids received (ids kept for the uniqueness check and
 * the display table), and where its files are written: here, or on writer threads (each with some of the files).
 */
class TableRows {
  rows = 0;
  private ids: Int32Array = new Int32Array(1024);

  constructor(
    readonly name: string,
    private readonly columns: readonly ArrowBatchColumnSpec[],
    private readonly local: TableFiles | null,
    private readonly threads: readonly TableFilesThread[],
  ) {}

  async append(columns: Record<string, ArrowColumn>, rows: number): Promise<void> {
    for (const spec of this.columns) {
      const column = columns[spec.name];
      if (column?.length !== rows) {
        throw invalid(`${this.name} column "${spec.name}" has ${column?.length ?? 0} rows in this batch, expected ${rows}.`, { file: this.name, column: spec.name, expected: String(rows), found: String(column?.length ?? 0) });
      }
    }
    this.keepIds((columns.id ?? columns.event_id) as Int32Array);
    if (this.local) await this.local.append(columns, rows);
    for (const thread of this.threads) {
      // Each thread gets its own compact copy, transferred: the caller keeps its arrays, nothing is copied twice.
      const copy: Record<string, ArrowColumn> = {};
      const transfer: ArrayBuffer[] = [];
      for (const spec of this.columns) {
        const column = columns[spec.name] as ArrowColumn;
        if (Array.isArray(column)) copy[spec.name] = column;
        else {
          const owned = column.slice();
          copy[spec.name] = owned;
          transfer.push(owned.buffer as ArrayBuffer);
        }
      }
      await thread.append(this.name, copy, rows, transfer);
    }
  }

  /** The table's files, in the order writeDatasetVersion lists them, however they were shared out. */
  async finish(): Promise<DatasetFile[]> {
    const files = this.local ? await this.local.finish() : [];
    for (const answer of await Promise.all(this.threads.map((t) => t.call<DatasetFile[]>({ kind: 'finish', table: this.name })))) files.push(...answer);
    return files.sort((x, y) => TABLE_FILE_FORMATS.indexOf(x.format as TableFileFormat) - TABLE_FILE_FORMATS.indexOf(y.format as TableFileFormat));
  }

  async close(): Promise<void> {
    await this.local?.close();
  }

  /** The ids of the rows appended so far, in order. */
  keptIds(): Int32Array {
    return this.ids.subarray(0, this.rows);
  }

  assertUniqueIds(): void {
    const column = this.columns[0]?.name as string;
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
