import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import zlib from 'node:zlib';
import { AppError } from '@/lib/shared/app-error';
import type { DatasetManifest } from '@/lib/shared/dataset-manifest';
import { openDatasetVersionWriter } from '../datasets/dataset-version-writer';
import { assertOutDirAvailable, type DatasetColumnSpec, trackPendingTemporaryDir } from '../datasets/write-dataset-version';
import { PIPELINE_VERSION } from '../pipeline-version';
import { createRandomStream } from '../random/random-stream';

/**
 * Importer for the open-data CSV of the ATLAS Higgs Boson Machine Learning Challenge 2014
 * (`atlas-higgs-challenge-2014-v2.csv`, CERN Open Data record 328, DOI 10.7483/OPENDATA.ATLAS.ZBP2.M5T8, CC0):
 * `EventId`, 30 features, `Weight`, `Label` (s/b), `KaggleSet` (t/b/v/u), `KaggleWeight`; −999.0 = undefined.
 * Feature names are kept as in the file (`PRI_tau_*`, `PRI_jet_num`, `DER_mass_MMC`, …).
 */

export const HIGGSML_2014_DOI = '10.7483/OPENDATA.ATLAS.ZBP2.M5T8';
export const HIGGSML_2014_DATASET_ID = 'higgsml-2014';
export const HIGGSML_2014_MISSING_VALUE = -999;

/**
 * Total expected yields that KaggleWeight reproduces in every KaggleSet, per class (the values hard-coded in the
 * challenge's tools; see shared/research/metrics-and-data.md §2.2).
 */
export const HIGGSML_2014_EXPECTED_YIELDS = { signal: 691.9886077135781, background: 410999.84732187376 } as const;

/** The 30 features in file order, with units and the descriptions of the challenge documentation. */
export const HIGGSML_2014_FEATURE_COLUMNS = [
  { name: 'DER_mass_MMC', unit: 'GeV', description: 'Estimated mass of the Higgs boson candidate (missing mass calculator); −999 when the MMC fails.' },
  { name: 'DER_mass_transverse_met_lep', unit: 'GeV', description: 'Transverse mass of the missing transverse momentum and the lepton.' },
  { name: 'DER_mass_vis', unit: 'GeV', description: 'Invariant mass of the hadronic tau and the lepton.' },
  { name: 'DER_pt_h', unit: 'GeV', description: 'Modulus of the vector sum of the transverse momenta of the hadronic tau, the lepton and the missing transverse momentum.' },
  { name: 'DER_deltaeta_jet_jet', unit: 'dimensionless', description: 'Absolute pseudorapidity separation of the two jets; −999 if PRI_jet_num ≤ 1.' },
  { name: 'DER_mass_jet_jet', unit: 'GeV', description: 'Invariant mass of the two jets; −999 if PRI_jet_num ≤ 1.' },
  { name: 'DER_prodeta_jet_jet', unit: 'dimensionless', description: 'Product of the pseudorapidities of the two jets; −999 if PRI_jet_num ≤ 1.' },
  { name: 'DER_deltar_tau_lep', unit: 'dimensionless', description: 'ΔR between the hadronic tau and the lepton.' },
  { name: 'DER_pt_tot', unit: 'GeV', description: 'Modulus of the vector sum of the transverse momenta of the hadronic tau, the lepton, the missing transverse momentum and the leading jets.' },
  { name: 'DER_sum_pt', unit: 'GeV', description: 'Sum of the moduli of the transverse momenta of the hadronic tau, the lepton and the jets.' },
  { name: 'DER_pt_ratio_lep_tau', unit: 'dimensionless', description: 'Ratio of the transverse momenta of the lepton and the hadronic tau.' },
  { name: 'DER_met_phi_centrality', unit: 'dimensionless', description: 'Centrality of the azimuthal angle of the missing transverse momentum relative to the hadronic tau and the lepton.' },
  { name: 'DER_lep_eta_centrality', unit: 'dimensionless', description: 'Centrality of the pseudorapidity of the lepton relative to the two jets; −999 if PRI_jet_num ≤ 1.' },
  { name: 'PRI_tau_pt', unit: 'GeV', description: 'Transverse momentum of the hadronic tau.' },
  { name: 'PRI_tau_eta', unit: 'dimensionless', description: 'Pseudorapidity of the hadronic tau.' },
  { name: 'PRI_tau_phi', unit: 'rad', description: 'Azimuthal angle of the hadronic tau.' },
  { name: 'PRI_lep_pt', unit: 'GeV', description: 'Transverse momentum of the lepton (electron or muon).' },
  { name: 'PRI_lep_eta', unit: 'dimensionless', description: 'Pseudorapidity of the lepton.' },
  { name: 'PRI_lep_phi', unit: 'rad', description: 'Azimuthal angle of the lepton.' },
  { name: 'PRI_met', unit: 'GeV', description: 'Missing transverse energy.' },
  { name: 'PRI_met_phi', unit: 'rad', description: 'Azimuthal angle of the missing transverse energy.' },
  { name: 'PRI_met_sumet', unit: 'GeV', description: 'Total transverse energy in the detector.' },
  { name: 'PRI_jet_num', unit: 'dimensionless', description: 'Number of jets (integer, 3 means 3 or more).' },
  { name: 'PRI_jet_leading_pt', unit: 'GeV', description: 'Transverse momentum of the leading jet; −999 if there is no jet.' },
  { name: 'PRI_jet_leading_eta', unit: 'dimensionless', description: 'Pseudorapidity of the leading jet; −999 if there is no jet.' },
  { name: 'PRI_jet_leading_phi', unit: 'rad', description: 'Azimuthal angle of the leading jet; −999 if there is no jet.' },
  { name: 'PRI_jet_subleading_pt', unit: 'GeV', description: 'Transverse momentum of the subleading jet; −999 if PRI_jet_num ≤ 1.' },
  { name: 'PRI_jet_subleading_eta', unit: 'dimensionless', description: 'Pseudorapidity of the subleading jet; −999 if PRI_jet_num ≤ 1.' },
  { name: 'PRI_jet_subleading_phi', unit: 'rad', description: 'Azimuthal angle of the subleading jet; −999 if PRI_jet_num ≤ 1.' },
  { name: 'PRI_jet_all_pt', unit: 'GeV', description: 'Scalar sum of the transverse momenta of all jets.' },
] as const satisfies readonly DatasetColumnSpec[];

const FEATURE_NAMES: readonly string[] = HIGGSML_2014_FEATURE_COLUMNS.map((c) => c.name);
/** Exact header of the open-data CSV. */
export const HIGGSML_2014_HEADER: readonly string[] = ['EventId', ...FEATURE_NAMES, 'Weight', 'Label', 'KaggleSet', 'KaggleWeight'];

export type ImportHiggsml2014CsvOptions = {
  /** CSV files in the open-data format (plain or gzip-compressed, `.gz`); rows are concatenated in the given order. */
  inputs: string[];
  outDir: string;
  /** Seed of the held-out split and of the row order when the input has no b/v rows (default 2014). */
  seed?: number;
  /** Share of each class's `t` rows held out as test when the input has no b/v rows (default 0.3). */
  testFraction?: number;
  createdAt?: string;
  version?: string;
  overwrite?: boolean;
  onProgress?: (message: string) => void;
};

const KAGGLE_SETS = ['t', 'b', 'v', 'u'] as const;
type KaggleSetCode = 0 | 1 | 2 | 3;
/** Rows per batch handed to the dataset writer. */
const BATCH_ROWS = 16_384;

/**
 * What the first pass keeps per row in memory (14 bytes: id, label, KaggleSet, KaggleWeight); the features wait in
 * the spill file until the split is known.
 */
type ParsedRows = {
  count: number;
  eventId: Int32Array;
  kaggleWeight: Float64Array;
  label: Uint8Array;
  kaggleSet: Uint8Array;
  sources: { name: string; sha256: string; rows: number }[];
  spill: RowSpill;
};

/**
 * Imports HiggsML 2014 CSV files into a dataset version (id `higgsml-2014`, licence CC0-1.0, missing −999).
 *
 * Split rules. With `b`/`v` rows in the input (the full open-data file): `t` rows → train (weight =
 * KaggleWeight), `b` → test with truth split "public", `v` → test with split "private" (truth weight =
 * KaggleWeight, which already reproduces the expected yields per split), `u` rows are dropped;
 * `manifest.fixedSplitColumn = "split"`. Without `b`/`v` rows (e.g. Kaggle-style samples holding only `t`):
 * `testFraction` of each class's `t` rows (chosen by a seeded permutation, `round(f·n)` per class) become the
 * test set, and KaggleWeight is rescaled per class separately in train and in test so that each part sums to
 * the expected yields; both parts are shuffled with the seed so that row order carries no label information;
 * `fixedSplitColumn = null`.
 *
 * Validation is strict and names file, line and column: the header must equal the open-data header; every
 * feature and weight must be a decimal number; `PRI_jet_num` an integer; `Label` s/b; `KaggleSet` t/b/v/u;
 * `EventId` an integer unique over all inputs. Errors are `AppError('INVALID_DATASET')`.
 *
 * Memory: the CSV is parsed once, streaming; each row's features go to a binary spill file beside the output
 * (140 bytes a row, removed at the end) and 14 bytes per row stay in memory. The version is then written batch by
 * batch from the spill, in file order or in the seeded order of the hold-out, so the real file's 818,238 rows and
 * far larger inputs import in bounded memory.
 */
export async function importHiggsml2014Csv(options: ImportHiggsml2014CsvOptions): Promise<DatasetManifest> {
  const seed = options.seed ?? 2014;
  const testFraction = options.testFraction ?? 0.3;
  const progress = options.onProgress ?? (() => {});
  if (options.inputs.length === 0) throw new AppError('BAD_REQUEST', 'No input CSV given; pass one or more HiggsML 2014 CSV files.');
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new AppError('BAD_REQUEST', `testFraction must be strictly between 0 and 1, got ${testFraction}.`, { expected: '0 < f < 1', found: String(testFraction) });
  }
  assertOutDirAvailable(options.outDir, options.overwrite === true);
  const spill = await RowSpill.create(path.resolve(options.outDir));
  try {
    const rows = await readHiggsml2014Csv(options.inputs, spill, progress);
    return await writeVersion(rows, options, seed, testFraction, progress);
  } finally {
    await spill.remove();
  }
}

async function writeVersion(rows: ParsedRows, options: ImportHiggsml2014CsvOptions, seed: number, testFraction: number, progress: (message: string) => void): Promise<DatasetManifest> {
  const setCounts = { t: 0, b: 0, v: 0, u: 0 };
  for (let i = 0; i < rows.count; i++) setCounts[KAGGLE_SETS[rows.kaggleSet[i] as number] as keyof typeof setCounts]++;
  const isFixedSplit = setCounts.b + setCounts.v > 0;
  if (setCounts.t === 0) {
    throw new AppError('INVALID_DATASET', `The inputs have no training rows (KaggleSet "t"); found ${JSON.stringify(setCounts)}.`, {
      column: 'KaggleSet', expected: 'at least one row with KaggleSet t', found: JSON.stringify(setCounts),
    });
  }

  const yields = HIGGSML_2014_EXPECTED_YIELDS;
  let trainRows: Int32Array;
  let testRows: Int32Array;
  let trainWeight: Float64Array;
  let testWeight: Float64Array;
  if (isFixedSplit) {
    trainRows = selectRows(rows, (i) => rows.kaggleSet[i] === 0);
    testRows = selectRows(rows, (i) => rows.kaggleSet[i] === 1 || rows.kaggleSet[i] === 2);
    trainWeight = Float64Array.from(trainRows, (r) => rows.kaggleWeight[r] as number);
    testWeight = Float64Array.from(testRows, (r) => rows.kaggleWeight[r] as number);
  } else {
    ({ trainRows, testRows } = holdOut(rows, seed, testFraction));
    trainWeight = rescaledWeights(rows, trainRows, yields, 'train');
    testWeight = rescaledWeights(rows, testRows, yields, 'test');
  }
  const splitOf = (r: number) => (rows.kaggleSet[r] === 1 ? 'public' : 'private');
  progress(`split: ${trainRows.length} train, ${testRows.length} test rows (${isFixedSplit ? 'KaggleSet b/v' : `held-out ${testFraction} of t, seed ${seed}`}); ${setCounts.u} unused (u) rows dropped`);

  const writer = await openDatasetVersionWriter({
    outDir: options.outDir,
    overwrite: options.overwrite,
    onProgress: progress,
    featureColumns: HIGGSML_2014_FEATURE_COLUMNS,
    ...(isFixedSplit ? { split: { values: splitValuesInOrder(testRows, splitOf), rows: testRows.length } } : {}),
    manifest: {
      dataset: HIGGSML_2014_DATASET_ID,
      version: options.version ?? '1.0.0',
      title: 'ATLAS Higgs Boson Machine Learning Challenge 2014 (H→ττ)',
      isToy: false,
      createdAt: options.createdAt ?? new Date().toISOString(),
      pipelineVersion: PIPELINE_VERSION,
      description:
        'Full ATLAS simulation of H→ττ signal and Z→ττ, tt̄ and W backgrounds in the lepton + hadronic-tau channel, ' +
        'as released for the HiggsML 2014 challenge (30 features, GeV and rad, −999 = undefined). ' +
        (isFixedSplit
          ? 'Test = KaggleSet b (public) and v (private); weights are the KaggleWeight of each set.'
          : `Test = a seeded ${testFraction} share of the t rows per class; weights are KaggleWeight rescaled per class so train and test each reproduce the expected yields.`),
      licence: 'CC0-1.0',
      citation:
        'ATLAS Collaboration (2014). Dataset from the ATLAS Higgs Boson Machine Learning Challenge 2014. CERN Open Data Portal. DOI:10.7483/OPENDATA.ATLAS.ZBP2.M5T8',
      sources: [
        { name: 'CERN Open Data record 328: atlas-higgs-challenge-2014-v2.csv', doi: HIGGSML_2014_DOI, note: 'Licence CC0-1.0.' },
        ...rows.sources.map((s) => ({ name: s.name, sha256: s.sha256, note: `${s.rows} rows read` })),
      ],
      recipe: {
        importer: 'lib/pipeline/importers/higgsml-2014-csv.ts',
        inputs: rows.sources,
        rowsByKaggleSet: setCounts,
        splitRule: isFixedSplit
          ? 'KaggleSet t → train, b → test (public), v → test (private), u → dropped; weights = KaggleWeight'
          : 'held-out: seeded per-class share of KaggleSet t rows → test; u → dropped; KaggleWeight rescaled per class to the expected yields in train and in test; rows shuffled',
        testFraction: isFixedSplit ? null : testFraction,
        seed: isFixedSplit ? null : seed,
        featurePrecision: 'float32 (keeps the 3 decimals of the CSV for |x| < 8192)',
        droppedColumns: ['Weight (the importance weight over all 818,238 events; KaggleWeight is used instead)'],
      },
      luminosityFb: null,
      expectedYields: { signal: yields.signal, background: yields.background },
      fixedSplitColumn: isFixedSplit ? 'split' : null,
      missingValue: HIGGSML_2014_MISSING_VALUE,
    },
  });
  try {
    const features = (selection: Int32Array) => {
      const columns = FEATURE_NAMES.map(() => new Float32Array(selection.length));
      rows.spill.readFeatures(selection, columns);
      return Object.fromEntries(FEATURE_NAMES.map((name, j) => [name, columns[j] as Float32Array]));
    };
    for (let start = 0; start < trainRows.length; start += BATCH_ROWS) {
      const selection = trainRows.subarray(start, start + BATCH_ROWS);
      await writer.appendTrain({
        eventId: Int32Array.from(selection, (r) => rows.eventId[r] as number),
        features: features(selection),
        label: Uint8Array.from(selection, (r) => rows.label[r] as number),
        weight: trainWeight.subarray(start, start + BATCH_ROWS),
      });
    }
    for (let start = 0; start < testRows.length; start += BATCH_ROWS) {
      const selection = testRows.subarray(start, start + BATCH_ROWS);
      await writer.appendTest({
        id: Int32Array.from(selection, (r) => rows.eventId[r] as number),
        features: features(selection),
        label: Uint8Array.from(selection, (r) => rows.label[r] as number),
        weight: testWeight.subarray(start, start + BATCH_ROWS),
        ...(isFixedSplit ? { split: Array.from(selection, splitOf) } : {}),
      });
    }
    return await writer.finish();
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

/** The split values in order of first appearance (the dictionary order of the truth file's split column). */
function splitValuesInOrder(testRows: Int32Array, splitOf: (row: number) => string): string[] {
  const values: string[] = [];
  for (const r of testRows) {
    const value = splitOf(r);
    if (!values.includes(value)) values.push(value);
    if (values.length === 2) break;
  }
  return values;
}

function selectRows(rows: ParsedRows, keep: (i: number) => boolean): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < rows.count; i++) if (keep(i)) out.push(i);
  return Int32Array.from(out);
}

/** Seeded per-class hold-out of the `t` rows; both parts come back in a seeded random order. */
function holdOut(rows: ParsedRows, seed: number, testFraction: number): { trainRows: Int32Array; testRows: Int32Array } {
  const train: number[] = [];
  const test: number[] = [];
  for (const [label, name] of [[1, 'signal'], [0, 'background']] as const) {
    const members = Array.from(selectRows(rows, (i) => rows.kaggleSet[i] === 0 && rows.label[i] === label));
    const nTest = Math.round(testFraction * members.length);
    if (nTest === 0 || nTest === members.length) {
      throw new AppError(
        'INVALID_DATASET',
        `Cannot hold out ${testFraction} of the ${members.length} ${name} training rows: train and test each need at least one ${name} event.`,
        { column: 'Label', expected: `${name} rows in both parts`, found: `${members.length} ${name} rows` },
      );
    }
    const order = createRandomStream(seed, `higgsml-2014/holdout/${name}`).permutation(members.length);
    order.forEach((k, position) => (position < nTest ? test : train).push(members[k] as number));
  }
  const shuffle = (selection: number[], stream: string) => {
    const order = createRandomStream(seed, stream).permutation(selection.length);
    return Int32Array.from(order, (k) => selection[k] as number);
  };
  return { trainRows: shuffle(train, 'higgsml-2014/order/train'), testRows: shuffle(test, 'higgsml-2014/order/test') };
}

function rescaledWeights(rows: ParsedRows, selection: Int32Array, yields: { signal: number; background: number }, part: string): Float64Array {
  let backgroundSum = 0;
  let signalSum = 0;
  for (const r of selection) {
    if (rows.label[r] === 1) signalSum += rows.kaggleWeight[r] as number;
    else backgroundSum += rows.kaggleWeight[r] as number;
  }
  const scale = [yields.background / backgroundSum, yields.signal / signalSum];
  if (!scale.every((s) => Number.isFinite(s) && s > 0)) {
    throw new AppError('INVALID_DATASET', `The ${part} part has a zero KaggleWeight sum for a class; cannot rescale to the expected yields.`, { column: 'KaggleWeight' });
  }
  return Float64Array.from(selection, (r) => (rows.kaggleWeight[r] as number) * (scale[rows.label[r] as number] as number));
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;

/** Bytes per row in the spill file: EventId, line, file index, label, KaggleSet, 30 float32 features, KaggleWeight. */
const RECORD_BYTES = 4 + 4 + 2 + 1 + 1 + 30 * 4 + 8;
const FEATURES_AT = 12;

/**
 * A temporary binary file beside the output holding each parsed row (features and where the row came from), so the
 * first pass keeps only a few bytes per row in memory and the second reads rows back in any order.
 */
class RowSpill {
  private readonly buffer = Buffer.alloc(RECORD_BYTES * 4096);
  private buffered = 0;
  private written = 0;

  private constructor(private readonly file: string, private readonly fd: number, private readonly untrack: () => void) {}

  static async create(outDir: string): Promise<RowSpill> {
    await fs.promises.mkdir(path.dirname(outDir), { recursive: true });
    const file = `${outDir}.spill-${randomBytes(6).toString('hex')}`;
    const untrack = trackPendingTemporaryDir(file);
    return new RowSpill(file, fs.openSync(file, 'wx+'), untrack);
  }

  /** The record of the next row; fields are written into it in place. */
  next(): DataView {
    if (this.buffered === this.buffer.length / RECORD_BYTES) this.flush();
    const view = new DataView(this.buffer.buffer, this.buffer.byteOffset + this.buffered * RECORD_BYTES, RECORD_BYTES);
    this.buffered++;
    return view;
  }

  flush(): void {
    if (this.buffered === 0) return;
    const bytes = this.buffered * RECORD_BYTES;
    let done = 0;
    while (done < bytes) done += fs.writeSync(this.fd, this.buffer, done, bytes - done, this.written + done);
    this.written += bytes;
    this.buffered = 0;
  }

  /** Line number and input index of a row (for messages). */
  origin(row: number): { line: number; fileIndex: number } {
    this.flush();
    const record = Buffer.alloc(RECORD_BYTES);
    fs.readSync(this.fd, record, 0, RECORD_BYTES, row * RECORD_BYTES);
    return { line: record.readInt32LE(4), fileIndex: record.readUInt16LE(8) };
  }

  /** Features of the given rows, in their order; runs of consecutive rows are read in one call. */
  readFeatures(selection: Int32Array, columns: Float32Array[]): void {
    this.flush();
    const record = Buffer.alloc(RECORD_BYTES * 1024);
    let k = 0;
    while (k < selection.length) {
      let run = 1;
      const first = selection[k] as number;
      while (k + run < selection.length && run < 1024 && selection[k + run] === first + run) run++;
      const bytes = run * RECORD_BYTES;
      let done = 0;
      while (done < bytes) {
        const read = fs.readSync(this.fd, record, done, bytes - done, first * RECORD_BYTES + done);
        if (read === 0) throw new AppError('INTERNAL', `The row spill file ${this.file} ended early.`);
        done += read;
      }
      for (let r = 0; r < run; r++) {
        const base = r * RECORD_BYTES + FEATURES_AT;
        for (let j = 0; j < columns.length; j++) (columns[j] as Float32Array)[k + r] = record.readFloatLE(base + 4 * j);
      }
      k += run;
    }
  }

  async remove(): Promise<void> {
    fs.closeSync(this.fd);
    await fs.promises.rm(this.file, { force: true });
    this.untrack();
  }
}

class GrowableColumns {
  capacity = 1024;
  count = 0;
  eventId = new Int32Array(this.capacity);
  kaggleWeight = new Float64Array(this.capacity);
  label = new Uint8Array(this.capacity);
  kaggleSet = new Uint8Array(this.capacity);

  ensureRoom(): void {
    if (this.count < this.capacity) return;
    this.capacity *= 2;
    const grow = <T extends Int32Array | Float64Array | Uint8Array>(a: T): T => {
      const bigger = new (a.constructor as new (n: number) => T)(this.capacity);
      bigger.set(a);
      return bigger;
    };
    this.eventId = grow(this.eventId);
    this.kaggleWeight = grow(this.kaggleWeight);
    this.label = grow(this.label);
    this.kaggleSet = grow(this.kaggleSet);
  }
}

/** Lines of a plain or gzip-compressed (`.gz`) file; the sha256 is computed over the file's own bytes. */
function openLines(input: string, hash: ReturnType<typeof createHash>) {
  const stream = fs.createReadStream(input, { highWaterMark: 1 << 20 });
  stream.on('data', (chunk) => hash.update(chunk));
  const text = /\.gz$/i.test(input) ? stream.pipe(zlib.createGunzip()) : stream;
  const lines = readline.createInterface({ input: text, crlfDelay: Infinity });
  return {
    lines,
    close: () => {
      lines.close();
      stream.destroy();
      if (text !== stream) text.destroy();
    },
  };
}

/** Reads and validates the CSV files, streaming line by line, into the spill file; sha256 is computed over the same bytes. */
async function readHiggsml2014Csv(inputs: string[], spill: RowSpill, progress: (message: string) => void): Promise<ParsedRows> {
  const columns = new GrowableColumns();
  const sources: ParsedRows['sources'] = [];
  const startedMs = performance.now();
  for (const [fileIndex, input] of inputs.entries()) {
    const file = path.basename(input);
    if (!fs.existsSync(input)) {
      throw new AppError('INVALID_DATASET', `Input file ${input} does not exist.`, { file: input, expected: 'a readable CSV file', found: 'nothing' });
    }
    const hash = createHash('sha256');
    const { lines, close } = openLines(input, hash);
    let lineNumber = 0;
    let rowsInFile = 0;
    const fail = (message: string, column: string | undefined, expected: string, found: string): never => {
      close();
      throw new AppError('INVALID_DATASET', `${file} line ${lineNumber}${column ? `, column ${column}` : ''}: ${message}`, {
        file, row: lineNumber, column, expected, found,
      });
    };
    try {
      for await (const text of lines) {
        lineNumber++;
        if (lineNumber === 1) {
          assertHeader(text.replace(/^\uFEFF/, ''), fail);
          continue;
        }
        if (text === '') continue;
        const fields = text.split(',');
        if (fields.length !== HIGGSML_2014_HEADER.length) {
          fail(`expected ${HIGGSML_2014_HEADER.length} comma-separated fields, found ${fields.length}.`, undefined, String(HIGGSML_2014_HEADER.length), String(fields.length));
        }
        columns.ensureRoom();
        const row = columns.count;
        const idText = fields[0] as string;
        const id = Number(idText);
        if (!INTEGER.test(idText) || !Number.isSafeInteger(id) || id < -2147483648 || id > 2147483647) {
          fail(`expected an integer EventId, found "${idText}".`, 'EventId', '32-bit integer', idText);
        }
        columns.eventId[row] = id;
        const record = spill.next();
        record.setInt32(0, id, true);
        record.setInt32(4, lineNumber, true);
        record.setUint16(8, fileIndex, true);
        for (let j = 0; j < FEATURE_NAMES.length; j++) {
          const value = fields[j + 1] as string;
          if (!DECIMAL.test(value)) fail(`expected a number, found "${value}".`, FEATURE_NAMES[j], 'decimal number', value);
          record.setFloat32(FEATURES_AT + 4 * j, Number(value), true);
        }
        const jetNum = fields[23] as string;
        if (!/^[0-3](?:\.0*)?$/.test(jetNum)) fail(`expected an integer 0–3, found "${jetNum}".`, 'PRI_jet_num', '0, 1, 2 or 3', jetNum);
        const weightText = fields[31] as string;
        if (!DECIMAL.test(weightText) || !(Number(weightText) > 0)) fail(`expected a positive number, found "${weightText}".`, 'Weight', 'positive number', weightText);
        const labelText = fields[32] as string;
        if (labelText !== 's' && labelText !== 'b') fail(`expected "s" or "b", found "${labelText}".`, 'Label', 's or b', labelText);
        columns.label[row] = labelText === 's' ? 1 : 0;
        const setText = fields[33] as string;
        const setCode = KAGGLE_SETS.indexOf(setText as (typeof KAGGLE_SETS)[number]);
        if (setCode < 0) fail(`expected one of t, b, v, u, found "${setText}".`, 'KaggleSet', 't, b, v or u', setText);
        columns.kaggleSet[row] = setCode as KaggleSetCode;
        const kaggleWeightText = fields[34] as string;
        const kaggleWeight = Number(kaggleWeightText);
        if (!DECIMAL.test(kaggleWeightText) || !(kaggleWeight > 0)) fail(`expected a positive number, found "${kaggleWeightText}".`, 'KaggleWeight', 'positive number', kaggleWeightText);
        columns.kaggleWeight[row] = kaggleWeight;
        record.setUint8(10, columns.label[row] as number);
        record.setUint8(11, setCode);
        record.setFloat64(FEATURES_AT + 4 * FEATURE_NAMES.length, kaggleWeight, true);
        columns.count++;
        rowsInFile++;
      }
    } catch (error) {
      close();
      if (error instanceof AppError) throw error;
      throw new AppError('INVALID_DATASET', `${file} could not be read after line ${lineNumber}: ${(error as Error).message}. Is it a complete CSV${/\.gz$/i.test(input) ? ' (gzip)' : ''} file?`, { file, row: lineNumber }, { cause: error });
    }
    if (lineNumber === 0) fail('the file is empty; expected the HiggsML 2014 header.', undefined, 'header', 'empty file');
    const sha256 = hash.digest('hex');
    sources.push({ name: file, sha256, rows: rowsInFile });
    const seconds = (performance.now() - startedMs) / 1000;
    progress(`read ${file}: ${rowsInFile} rows (${columns.count} total, ${Math.round(columns.count / Math.max(seconds, 1e-3))} rows/s)`);
  }
  spill.flush();
  const n = columns.count;
  const parsed: ParsedRows = {
    count: n,
    eventId: columns.eventId.subarray(0, n),
    kaggleWeight: columns.kaggleWeight.subarray(0, n),
    label: columns.label.subarray(0, n),
    kaggleSet: columns.kaggleSet.subarray(0, n),
    sources,
    spill,
  };
  assertUniqueEventIds(parsed, inputs);
  return parsed;
}

/** EventIds unique over all inputs; the first repeat in reading order is named with both lines. */
function assertUniqueEventIds(rows: ParsedRows, inputs: string[]): void {
  const sorted = Int32Array.from(rows.eventId).sort();
  const repeated = new Set<number>();
  for (let i = 1; i < sorted.length; i++) if (sorted[i] === sorted[i - 1]) repeated.add(sorted[i] as number);
  if (repeated.size === 0) return;
  const firstRow = new Map<number, number>();
  for (let row = 0; row < rows.count; row++) {
    const id = rows.eventId[row] as number;
    if (!repeated.has(id)) continue;
    const previous = firstRow.get(id);
    if (previous === undefined) {
      firstRow.set(id, row);
      continue;
    }
    const here = rows.spill.origin(row);
    const there = rows.spill.origin(previous);
    const file = path.basename(inputs[here.fileIndex] as string);
    throw new AppError('INVALID_DATASET', `${file} line ${here.line}, column EventId: EventId ${id} duplicates line ${there.line} of ${path.basename(inputs[there.fileIndex] as string)}; EventIds must be unique across all inputs.`, {
      file, row: here.line, column: 'EventId', expected: 'unique EventId', found: String(id),
    });
  }
}

function assertHeader(text: string, fail: (message: string, column: string | undefined, expected: string, found: string) => never): void {
  const found = text.split(',');
  const expected = HIGGSML_2014_HEADER;
  const missing = expected.filter((name) => !found.includes(name));
  const extra = found.filter((name) => !expected.includes(name));
  if (missing.length > 0 || extra.length > 0) {
    const parts = [missing.length ? `missing ${missing.join(', ')}` : '', extra.length ? `unexpected ${extra.join(', ')}` : ''].filter(Boolean);
    fail(`the header is not the HiggsML 2014 open-data header (${parts.join('; ')}).`, undefined, expected.join(','), text);
  }
  const position = expected.findIndex((name, i) => found[i] !== name);
  if (position >= 0) {
    fail(`column ${position + 1} of the header should be "${expected[position]}", found "${found[position]}" (columns must be in the open-data order).`, found[position], expected[position] as string, found[position] as string);
  }
}
