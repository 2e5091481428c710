import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '@/lib/shared/app-error';
import { type ArrowColumn, arrowTableToCsv, encodeArrowTable } from '@/lib/shared/arrow';
import { writeParquetTable } from '@/lib/shared/parquet';
import { type DatasetFile, type DatasetManifest, datasetManifestSchema } from '@/lib/shared/dataset-manifest';
import { rootExportTreeName } from '@/lib/shared/formats/root-export-tree-name';
import { trackPendingTemporaryDir } from './pending-temporary-dirs';
import { encodeColumnsAsRootFile } from '../root/write/encode-columns-as-root-file';
import { DISPLAY_COLUMNS, DISPLAY_TABLE_NAME, type DisplayTable, isDisplayObjectKind } from '@/lib/shared/display/display-objects';

export type DatasetColumnSpec = { readonly name: string; readonly unit: string; readonly description: string };

/** Training table: one row per event, with truth. */
export type TrainTable = {
  eventId: Int32Array;
  /** Feature columns, in the order of the manifest's feature list. */
  features: Record<string, ArrowColumn>;
  /** 1 = signal, 0 = background. */
  label: Uint8Array;
  weight: Float64Array;
  /** Physics process per event (e.g. htautau, ztautau); optional. */
  detailedLabel?: string[];
};

/** Test table as participants get it: ids and features only. */
export type TestTable = { id: Int32Array; features: Record<string, ArrowColumn> };

/** Server-only answers for the test table, row by row in the same order. */
export type TruthTable = {
  id: Int32Array;
  label: Uint8Array;
  weight: Float64Array;
  /** "public" | "private" per row when the source fixes the leaderboard split. */
  split?: string[];
};

export type WriteDatasetVersionInput = {
  /** Final folder of the version; written as `<outDir>.tmp-<random>` and renamed at the end. */
  outDir: string;
  /** Replace an existing `outDir` (the old folder is removed only after the new one is in place). */
  overwrite?: boolean;
  /** Manifest fields the writer does not derive itself. */
  manifest: Omit<DatasetManifest, 'featureColumns' | 'columns' | 'files'>;
  /** Feature columns with unit and description, in file order. */
  featureColumns: readonly DatasetColumnSpec[];
  train: TrainTable;
  test: TestTable;
  truth: TruthTable;
  /** Write train.csv and test.csv beside the Arrow files (default true). */
  writeCsv?: boolean;
  /** Write train.parquet and test.parquet (and test@<variation>.parquet) exports too (default true: every dataset offers Parquet). */
  writeParquet?: boolean;
  /**
   * Write train.root and test.root (and test@<variation>.root) exports (default true): one TTree per file, named as
   * the table with other characters than letters, digits and "_" replaced by "_" (train, test, test_tes_up), one
   * branch per column.
   */
  writeRoot?: boolean;
  /**
   * Systematic variations of the test set: `test@<name>.arrow` (id + features; the nominal ids of the same events
   * for parametrised variations, new ids for alternative samples) and the server-only `truth@<name>.arrow`. Names: lower-case letters, digits, `_`, `-`, `.`.
   * `serverOnly`: the variation's test features are server-only too (no exports), for challenges whose models are
   * run on systematics participants never see.
   */
  variations?: { name: string; test: TestTable; truth: TruthTable; serverOnly?: boolean }[];
  /**
   * Objects of a bounded sample of training events for the event display, written as `events@display.arrow`
   * (role `display`; no labels, no weights). Every event_id must be a training event.
   */
  display?: DisplayTable;
  onProgress?: (message: string) => void;
};

/** Columns the writer adds around the features; their unit and description go into the manifest. */
export const STANDARD_COLUMNS: Readonly<Record<string, DatasetColumnSpec>> = {
  event_id: { name: 'event_id', unit: '', description: 'Event identifier, unique within the dataset version.' },
  id: { name: 'id', unit: '', description: 'Test-event identifier; a submission gives one prediction per id.' },
  label: { name: 'label', unit: '', description: '1 for signal, 0 for background.' },
  weight: {
    name: 'weight',
    unit: 'events',
    description: 'Event weight: per class, the weights of a table sum to the expected yields of the manifest.',
  },
  detailed_label: { name: 'detailed_label', unit: '', description: 'Physics process that produced the event.' },
  split: { name: 'split', unit: '', description: 'Leaderboard split of the test event: "public" or "private".' },
};

export { removePendingTemporaryDirs, trackPendingTemporaryDir } from './pending-temporary-dirs';

/**
 * Writes a dataset version folder atomically: `train.arrow` (event_id, features, label, weight[, detailed_label]),
 * `test.arrow` (id, features), `truth.arrow` (id, label, weight[, split]; server-only), `train.csv` and
 * `test.csv` exports, and `manifest.json` with the sha256, size and row count of every file. Every Arrow file's
 * schema metadata repeats the provenance (dataset, version, licence, citation, pipeline version, sources,
 * column units), so a file downloaded alone still says what it is.
 *
 * Everything is written into `<outDir>.tmp-<random>` beside the target and renamed to `outDir` at the end; on
 * failure the temporary folder is removed. Throws `AppError('CONFLICT')` if `outDir` exists and `overwrite` is
 * not set, and `AppError('INVALID_DATASET')` if the tables are inconsistent (lengths, ids, labels, weights,
 * splits) or the manifest does not validate.
 */
export async function writeDatasetVersion(input: WriteDatasetVersionInput): Promise<DatasetManifest> {
  const outDir = path.resolve(input.outDir);
  const progress = input.onProgress ?? (() => {});
  assertTablesConsistent(input);
  assertOutDirAvailable(outDir, input.overwrite === true);
  // All encoding happens before anything touches the disk: a signal during the long synchronous part finds
  // nothing to clean up, and during the (asynchronous) writes the event loop is free to run the cleanup.
  progress('encoding Arrow and CSV files');
  const prepared = prepareFiles(input);
  const files = prepared.map((p) => p.entry);
  const manifest = buildManifest(input, files);
  await fs.promises.mkdir(path.dirname(outDir), { recursive: true });
  const tmpDir = `${outDir}.tmp-${randomBytes(6).toString('hex')}`;
  await fs.promises.mkdir(tmpDir);
  const untrack = trackPendingTemporaryDir(tmpDir);
  try {
    for (const { entry, bytes } of prepared) {
      await fs.promises.writeFile(path.join(tmpDir, entry.name), bytes);
      progress(`wrote ${entry.name} (${entry.rows} rows, ${(entry.sizeBytes / 1e6).toFixed(1)} MB)`);
    }
    await fs.promises.writeFile(path.join(tmpDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    await moveIntoPlace(tmpDir, outDir, input.overwrite === true);
    progress(`wrote ${outDir}`);
    return manifest;
  } catch (error) {
    await fs.promises.rm(tmpDir, { recursive: true, force: true });
    throw error;
  } finally {
    untrack();
  }
}

/**
 * Throws `AppError('CONFLICT')` when `outDir` exists and `overwrite` is false. Builders call it before
 * generating or reading anything, so that a doomed run fails at once.
 */
export function assertOutDirAvailable(outDir: string, overwrite: boolean): void {
  const resolved = path.resolve(outDir);
  if (!overwrite && fs.existsSync(resolved)) {
    throw new AppError('CONFLICT', `Dataset folder ${resolved} already exists; choose another --out or pass --overwrite to replace it.`, {
      file: resolved,
    });
  }
}

/**
 * Writes the given files into `<outDir>.tmp-<random>` and renames that folder to `outDir` at the end (replacing an
 * existing `outDir` only with `overwrite`); on failure the temporary folder is removed. For outputs that are not a
 * train/test/truth version (e.g. pseudo-experiment sets) but want the same atomicity and SIGINT cleanup.
 */
export async function writeFolderAtomically(
  outDir: string,
  files: readonly { name: string; bytes: Uint8Array | string }[],
  options: { overwrite?: boolean; onProgress?: (message: string) => void } = {},
): Promise<void> {
  const resolved = path.resolve(outDir);
  const progress = options.onProgress ?? (() => {});
  assertOutDirAvailable(resolved, options.overwrite === true);
  await fs.promises.mkdir(path.dirname(resolved), { recursive: true });
  const tmpDir = `${resolved}.tmp-${randomBytes(6).toString('hex')}`;
  await fs.promises.mkdir(tmpDir);
  const untrack = trackPendingTemporaryDir(tmpDir);
  try {
    for (const file of files) {
      await fs.promises.writeFile(path.join(tmpDir, file.name), file.bytes);
      progress(`wrote ${file.name} (${(file.bytes.length / 1e6).toFixed(1)} MB)`);
    }
    await moveIntoPlace(tmpDir, resolved, options.overwrite === true);
    progress(`wrote ${resolved}`);
  } catch (error) {
    await fs.promises.rm(tmpDir, { recursive: true, force: true });
    throw error;
  } finally {
    untrack();
  }
}

/** Renames the finished temporary folder to `outDir` (replacing it only with `overwrite`, the old one removed after). */
export async function moveIntoPlace(tmpDir: string, outDir: string, overwrite: boolean): Promise<void> {
  if (overwrite && fs.existsSync(outDir)) {
    const oldDir = `${outDir}.old-${randomBytes(6).toString('hex')}`;
    await fs.promises.rename(outDir, oldDir);
    try {
      await fs.promises.rename(tmpDir, outDir);
    } catch (error) {
      await fs.promises.rename(oldDir, outDir);
      throw error;
    }
    await fs.promises.rm(oldDir, { recursive: true, force: true });
    return;
  }
  try {
    await fs.promises.rename(tmpDir, outDir);
  } catch (cause) {
    throw new AppError('CONFLICT', `Could not move the new dataset into ${outDir}: it appeared while writing; pass --overwrite or choose another --out.`, {
      file: outDir,
    }, { cause });
  }
}

type PreparedFile = { entry: DatasetFile; bytes: Uint8Array };

/** Encodes every output file in memory, with its manifest entry (sha256, size, rows, role). */
function prepareFiles(input: WriteDatasetVersionInput): PreparedFile[] {
  const { train, test, truth } = input;
  const featureNames = input.featureColumns.map((c) => c.name);
  const trainColumns: Record<string, ArrowColumn> = { event_id: train.eventId };
  for (const name of featureNames) trainColumns[name] = train.features[name] as ArrowColumn;
  trainColumns.label = train.label;
  trainColumns.weight = train.weight;
  if (train.detailedLabel) trainColumns.detailed_label = train.detailedLabel;

  const testColumns: Record<string, ArrowColumn> = { id: test.id };
  for (const name of featureNames) testColumns[name] = test.features[name] as ArrowColumn;

  const truthColumns: Record<string, ArrowColumn> = { id: truth.id, label: truth.label, weight: truth.weight };
  if (truth.split) truthColumns.split = truth.split;

  const prepared: PreparedFile[] = [];
  const add = (name: string, role: DatasetFile['role'], format: DatasetFile['format'], rows: number, bytes: Uint8Array, serverOnly: boolean) => {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    prepared.push({ entry: { name, role, format, sha256, sizeBytes: bytes.length, rows, serverOnly }, bytes });
  };
  const tables: { name: string; role: DatasetFile['role']; columns: Record<string, ArrowColumn>; rows: number; serverOnly: boolean; exports: boolean }[] = [
    { name: 'train', role: 'train', columns: trainColumns, rows: train.eventId.length, serverOnly: false, exports: true },
    { name: 'test', role: 'test', columns: testColumns, rows: test.id.length, serverOnly: false, exports: true },
    { name: 'truth', role: 'truth', columns: truthColumns, rows: truth.id.length, serverOnly: true, exports: false },
  ];
  for (const variation of input.variations ?? []) {
    const columns: Record<string, ArrowColumn> = { id: variation.test.id };
    for (const name of featureNames) columns[name] = variation.test.features[name] as ArrowColumn;
    const truthOfVariation: Record<string, ArrowColumn> = { id: variation.truth.id, label: variation.truth.label, weight: variation.truth.weight };
    if (variation.truth.split) truthOfVariation.split = variation.truth.split;
    const isHidden = variation.serverOnly === true;
    tables.push({ name: `test@${variation.name}`, role: 'export', columns, rows: variation.test.id.length, serverOnly: isHidden, exports: !isHidden });
    tables.push({ name: `truth@${variation.name}`, role: 'truth', columns: truthOfVariation, rows: variation.truth.id.length, serverOnly: true, exports: false });
  }
  if (input.display) {
    const d = input.display;
    tables.push({
      name: DISPLAY_TABLE_NAME,
      role: 'display',
      columns: { event_id: d.eventId, object: d.object, pt: d.pt, eta: d.eta, phi: d.phi, m: d.m },
      rows: d.eventId.length,
      serverOnly: false,
      exports: false,
    });
  }
  const encoder = new TextEncoder();
  // ROOT keys carry a date: the version's createdAt, so that the same input gives the same bytes.
  const createdAt = new Date(input.manifest.createdAt);
  const rootDate = Number.isFinite(createdAt.getTime()) && createdAt.getUTCFullYear() >= 1995 && createdAt.getUTCFullYear() < 2059 ? createdAt : undefined;
  for (const table of tables) {
    const metadata = provenanceMetadata(input, table.name, Object.keys(table.columns));
    add(`${table.name}.arrow`, table.role, 'arrow', table.rows, encodeArrowTable(table.columns, metadata), table.serverOnly);
    if (table.exports && input.writeCsv !== false) {
      const csv = arrowTableToCsv({ numRows: table.rows, columnNames: Object.keys(table.columns), columns: table.columns, metadata });
      add(`${table.name}.csv`, 'export', 'csv', table.rows, encoder.encode(csv), false);
    }
    if (table.exports && input.writeParquet !== false) {
      add(`${table.name}.parquet`, 'export', 'parquet', table.rows, writeParquetTable(table.columns, metadata), false);
    }
    if (table.exports && input.writeRoot !== false) {
      const title = `${input.manifest.dataset} ${input.manifest.version}: ${table.name} (units and descriptions in manifest.json)`;
      const bytes = encodeColumnsAsRootFile({ fileName: `${table.name}.root`, treeName: rootExportTreeName(table.name), title, columns: table.columns, modifiedAt: rootDate });
      add(`${table.name}.root`, 'export', 'root', table.rows, bytes, false);
    }
  }
  return prepared;
}

function columnSpec(input: Pick<WriteDatasetVersionInput, 'featureColumns'>, name: string): DatasetColumnSpec {
  return input.featureColumns.find((c) => c.name === name) ?? STANDARD_COLUMNS[name] ?? (DISPLAY_COLUMNS.find((c) => c.name === name) as DatasetColumnSpec);
}

/** Arrow/Parquet key-value metadata of one table of a version: the manifest's provenance and the units of its columns. */
export function provenanceMetadata(input: Pick<WriteDatasetVersionInput, 'manifest' | 'featureColumns'>, role: string, columnNames: string[]): Record<string, string> {
  const m = input.manifest;
  return {
    dataset: m.dataset,
    version: m.version,
    title: m.title,
    role,
    is_toy: String(m.isToy),
    created_at: m.createdAt,
    pipeline_version: m.pipelineVersion,
    licence: m.licence,
    citation: m.citation,
    sources: JSON.stringify(m.sources),
    missing_value: String(m.missingValue),
    columns: JSON.stringify(columnNames.map((name) => columnSpec(input, name))),
  };
}

function buildManifest(input: WriteDatasetVersionInput, files: DatasetFile[]): DatasetManifest {
  const names = ['event_id', 'id', ...input.featureColumns.map((c) => c.name), 'label', 'weight'];
  if (input.train.detailedLabel) names.push('detailed_label');
  if (input.truth.split) names.push('split');
  if (input.display) names.push(...DISPLAY_COLUMNS.map((c) => c.name).filter((name) => !names.includes(name)));
  const candidate = {
    ...input.manifest,
    featureColumns: input.featureColumns.map((c) => c.name),
    columns: names.map((name) => {
      const spec = columnSpec(input, name);
      return { name: spec.name, unit: spec.unit, description: spec.description };
    }),
    files,
  };
  const parsed = datasetManifestSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('INVALID_DATASET', `The manifest of ${input.manifest.dataset} does not validate: ${issue?.path.join('.')}: ${issue?.message}.`, {
      file: 'manifest.json',
      column: issue?.path.join('.'),
    });
  }
  return parsed.data;
}

function invalid(message: string, details: { column?: string; row?: number; expected?: string; found?: string; file?: string }): AppError {
  return new AppError('INVALID_DATASET', message, details);
}

function assertTablesConsistent(input: WriteDatasetVersionInput): void {
  const { train, test, truth } = input;
  const featureNames = input.featureColumns.map((c) => c.name);
  const reserved = new Set(Object.keys(STANDARD_COLUMNS));
  for (const name of featureNames) {
    if (reserved.has(name)) throw invalid(`Feature column "${name}" clashes with a standard column name.`, { column: name });
  }
  if (new Set(featureNames).size !== featureNames.length) throw invalid('Feature column names must be unique.', { expected: 'unique names' });
  const checkLength = (file: string, name: string, column: ArrayLike<unknown> | undefined, rows: number) => {
    if (column === undefined) throw invalid(`${file} has no column "${name}".`, { file, column: name });
    if (column.length !== rows) {
      throw invalid(`${file} column "${name}" has ${column.length} rows, expected ${rows}.`, { file, column: name, expected: String(rows), found: String(column.length) });
    }
  };
  // Every listed feature with the table's row count, and no column outside the list.
  const checkFeatures = (file: string, features: Record<string, ArrayLike<unknown> | undefined>, rows: number) => {
    for (const name of featureNames) checkLength(file, name, features[name], rows);
    for (const name of Object.keys(features)) {
      if (!featureNames.includes(name)) throw invalid(`${file} has column "${name}" that is not in the feature list.`, { file, column: name });
    }
  };
  const trainRows = train.eventId.length;
  checkFeatures('train', train.features, trainRows);
  checkLength('train', 'label', train.label, trainRows);
  checkLength('train', 'weight', train.weight, trainRows);
  if (train.detailedLabel) checkLength('train', 'detailed_label', train.detailedLabel, trainRows);
  const testRows = test.id.length;
  checkFeatures('test', test.features, testRows);
  checkLength('truth', 'id', truth.id, testRows);
  checkLength('truth', 'label', truth.label, testRows);
  checkLength('truth', 'weight', truth.weight, testRows);
  if (truth.split) checkLength('truth', 'split', truth.split, testRows);
  if (trainRows === 0 || testRows === 0) throw invalid('Both train and test need at least one row.', { expected: '≥ 1 row', found: `train ${trainRows}, test ${testRows}` });

  const variationNames = new Set<string>();
  for (const variation of input.variations ?? []) {
    const file = `test@${variation.name}`;
    if (!/^[a-z0-9][a-z0-9_.-]*$/.test(variation.name) || variationNames.has(variation.name)) {
      throw invalid(`Variation name "${variation.name}" must be unique and use lower-case letters, digits, "_", "-" or ".".`, { file });
    }
    variationNames.add(variation.name);
    const rows = variation.test.id.length;
    for (const name of featureNames) checkLength(file, name, variation.test.features[name], rows);
    checkLength(`truth@${variation.name}`, 'id', variation.truth.id, rows);
    checkLength(`truth@${variation.name}`, 'label', variation.truth.label, rows);
    checkLength(`truth@${variation.name}`, 'weight', variation.truth.weight, rows);
    for (let i = 0; i < rows; i++) {
      if (variation.truth.id[i] !== variation.test.id[i]) {
        throw invalid(`${file} row ${i}: id ${variation.test.id[i]} differs from truth@${variation.name} row ${i} (${variation.truth.id[i]}).`, { file, row: i, column: 'id' });
      }
    }
    assertUniqueIds(file, 'id', variation.test.id);
  }
  assertUniqueIds('train', 'event_id', train.eventId);
  assertUniqueIds('test', 'id', test.id);
  if (input.display) assertDisplayTable(input.display, train.eventId);
  for (let i = 0; i < testRows; i++) {
    if (truth.id[i] !== test.id[i]) {
      throw invalid(`truth row ${i} has id ${truth.id[i]} but test row ${i} has id ${test.id[i]}; truth must list the test ids in test order.`, {
        file: 'truth', row: i, column: 'id', expected: String(test.id[i]), found: String(truth.id[i]),
      });
    }
  }
  for (const [file, label, weight] of [['train', train.label, train.weight], ['truth', truth.label, truth.weight]] as const) {
    for (let i = 0; i < label.length; i++) {
      if (label[i] !== 0 && label[i] !== 1) throw invalid(`${file} row ${i}: label must be 0 or 1, found ${label[i]}.`, { file, row: i, column: 'label', expected: '0 or 1', found: String(label[i]) });
      const w = weight[i] as number;
      if (!(Number.isFinite(w) && w >= 0)) throw invalid(`${file} row ${i}: weight must be a finite number ≥ 0, found ${w}.`, { file, row: i, column: 'weight', expected: 'finite ≥ 0', found: String(w) });
    }
  }
  if (truth.split) {
    truth.split.forEach((value, i) => {
      if (value !== 'public' && value !== 'private') throw invalid(`truth row ${i}: split must be "public" or "private", found "${value}".`, { file: 'truth', row: i, column: 'split', expected: 'public | private', found: value });
    });
  }
  if (input.manifest.fixedSplitColumn !== (truth.split ? 'split' : null)) {
    throw invalid('manifest.fixedSplitColumn must be "split" exactly when truth has a split column.', { column: 'fixedSplitColumn', expected: truth.split ? 'split' : 'null', found: String(input.manifest.fixedSplitColumn) });
  }
}

function assertUniqueIds(file: string, column: string, ids: Int32Array): void {
  const firstRow = new Map<number, number>();
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as number;
    const previous = firstRow.get(id);
    if (previous !== undefined) {
      throw invalid(`${file} ${column} ${id} appears on rows ${previous} and ${i}; ids must be unique.`, { file, row: i, column, expected: 'unique id', found: String(id) });
    }
    firstRow.set(id, i);
  }
}

/** The display table refers only to training events, uses known object kinds and finite kinematics. */
export function assertDisplayTable(display: DisplayTable, trainIds: Int32Array): void {
  const file = DISPLAY_TABLE_NAME;
  const rows = display.eventId.length;
  for (const [name, column] of Object.entries({ object: display.object, pt: display.pt, eta: display.eta, phi: display.phi, m: display.m })) {
    if (column.length !== rows) throw invalid(`${file} column "${name}" has ${column.length} rows, expected ${rows}.`, { file, column: name, expected: String(rows), found: String(column.length) });
  }
  const train = new Set(trainIds);
  for (let i = 0; i < rows; i++) {
    const id = display.eventId[i] as number;
    if (!train.has(id)) throw invalid(`${file} row ${i}: event_id ${id} is not a training event; the display shows training events only.`, { file, row: i, column: 'event_id', found: String(id) });
    const kind = display.object[i] as string;
    if (!isDisplayObjectKind(kind)) throw invalid(`${file} row ${i}: unknown object kind "${kind}".`, { file, row: i, column: 'object', found: kind });
    for (const [name, column] of [['pt', display.pt], ['eta', display.eta], ['phi', display.phi], ['m', display.m]] as const) {
      const value = column[i] as number;
      if (!Number.isFinite(value)) throw invalid(`${file} row ${i}: ${name} must be finite, found ${value}.`, { file, row: i, column: name, found: String(value) });
    }
  }
}
