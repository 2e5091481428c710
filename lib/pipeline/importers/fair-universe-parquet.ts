import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '@/lib/shared/app-error';
import type { DatasetManifest } from '@/lib/shared/dataset-manifest';
import { assertOutDirAvailable, type DatasetColumnSpec, type TestTable, type TruthTable, writeDatasetVersion } from '../datasets/write-dataset-version';
import { DER_COLUMNS, FAIR_MISSING_VALUE, PRI_COLUMN_NAMES, PRI_COLUMNS, type PriColumns } from '../features/der-features';
import { numericColumnOrThrow, readFeatureTable } from '../io/read-feature-table';
import { PIPELINE_VERSION } from '../pipeline-version';
import { applyDetectorSystematics, type DetectorSystematicsParameters } from '../systematics/detector-systematics';

/**
 * Importer for the FAIR-Universe HiggsML Uncertainty Challenge data (`FAIR_Universe_HiggsML_data.parquet`: 16 PRI +
 * 12 DER float32 columns, `weights`, `labels`, `detailed_labels`; −25 = undefined; github.com/FAIR-Universe/HEP-Challenge,
 * full data Zenodo record 15131565). Split as the challenge's ingestion does: the first ⌊0.3·N⌋ rows are the test
 * set, the rest train. Weights are rescaled per class, separately in train and test, so that each part reproduces
 * the expected yields at 10 fb⁻¹ (the metadata's `sum_weights`, split by class as in the source).
 */
export const FAIR_UNIVERSE_DATASET_ID = 'fair-universe-higgsml';
export const FAIR_UNIVERSE_FEATURE_COLUMNS: readonly DatasetColumnSpec[] = [...PRI_COLUMNS, ...DER_COLUMNS];

export type FairUniverseVariation = DetectorSystematicsParameters & { name: string };

export type ImportFairUniverseOptions = {
  /** Parquet (or CSV) file with the FAIR-Universe columns. */
  input: string;
  /** The `_metadata.json` beside it (for sum_weights and luminosity); optional. */
  metadataFile?: string;
  outDir: string;
  testFraction?: number;
  /** Parametrised detector variations of the test set (→ test@<name>). */
  variations?: FairUniverseVariation[];
  version?: string;
  createdAt?: string;
  overwrite?: boolean;
  writeParquet?: boolean;
  onProgress?: (message: string) => void;
};

const PROCESSES = ['htautau', 'ztautau', 'ttbar', 'diboson'];

export async function importFairUniverseParquet(options: ImportFairUniverseOptions): Promise<DatasetManifest> {
  const progress = options.onProgress ?? (() => {});
  const testFraction = options.testFraction ?? 0.3;
  assertOutDirAvailable(options.outDir, options.overwrite === true);
  const fileName = path.basename(options.input);
  const bytes = await fs.promises.readFile(options.input);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const table = await readFeatureTable(options.input);
  const n = table.numRows;
  const features = Object.fromEntries(FAIR_UNIVERSE_FEATURE_COLUMNS.map((c) => [c.name, Float32Array.from(numericColumnOrThrow(table, c.name, fileName))]));
  const weights = numericColumnOrThrow(table, 'weights', fileName);
  const labels = numericColumnOrThrow(table, 'labels', fileName);
  const detailed = table.columns.detailed_labels;
  if (!Array.isArray(detailed)) throw new AppError('INVALID_DATASET', `${fileName} needs a text column "detailed_labels" (htautau, ztautau, ttbar, diboson).`, { file: fileName, column: 'detailed_labels' });
  for (let i = 0; i < n; i++) {
    if (!PROCESSES.includes(detailed[i] as string)) throw new AppError('INVALID_DATASET', `${fileName} row ${i + 1}: detailed_labels "${detailed[i]}" is not one of ${PROCESSES.join(', ')}.`, { file: fileName, row: i + 1, column: 'detailed_labels' });
    const isSignal = detailed[i] === 'htautau';
    if ((labels[i] === 1) !== isSignal || (labels[i] !== 0 && labels[i] !== 1)) {
      throw new AppError('INVALID_DATASET', `${fileName} row ${i + 1}: labels ${labels[i]} disagrees with detailed_labels "${detailed[i]}".`, { file: fileName, row: i + 1, column: 'labels' });
    }
  }
  let metadata: { sum_weights?: number; luminosity?: number } = {};
  if (options.metadataFile) metadata = JSON.parse(await fs.promises.readFile(options.metadataFile, 'utf8')) as typeof metadata;
  let signalSum = 0;
  let backgroundSum = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i] === 1) signalSum += weights[i] as number;
    else backgroundSum += weights[i] as number;
  }
  const yieldScale = metadata.sum_weights ? metadata.sum_weights / (signalSum + backgroundSum) : 1;
  const yields = { signal: signalSum * yieldScale, background: backgroundSum * yieldScale };

  const nTest = Math.floor(testFraction * n);
  const testRows = Int32Array.from({ length: nTest }, (_, i) => i);
  const trainRows = Int32Array.from({ length: n - nTest }, (_, i) => nTest + i);
  const rescale = (rows: Int32Array, part: string) => {
    let signal = 0;
    let background = 0;
    for (const r of rows) {
      if (labels[r] === 1) signal += weights[r] as number;
      else background += weights[r] as number;
    }
    if (!(signal > 0 && background > 0)) throw new AppError('INVALID_DATASET', `The ${part} part of ${fileName} lacks signal or background weight; choose a larger input.`, { file: fileName });
    const scale = [yields.background / background, yields.signal / signal];
    return Float64Array.from(rows, (r) => (weights[r] as number) * (scale[labels[r] as number] as number));
  };
  const gather = (rows: Int32Array) => Object.fromEntries(Object.entries(features).map(([name, column]) => [name, Float32Array.from(rows, (r) => column[r] as number)]));
  const testIds = Int32Array.from(testRows);
  const testWeights = rescale(testRows, 'test');
  const testLabels = Uint8Array.from(testRows, (r) => labels[r] as number);
  progress(`read ${n} events from ${fileName}: ${trainRows.length} train, ${nTest} test (first ${testFraction} of the rows)`);

  const variations: { name: string; test: TestTable; truth: TruthTable }[] = [];
  for (const variation of options.variations ?? []) {
    const pri = Object.fromEntries(PRI_COLUMN_NAMES.map((name) => [name, Float32Array.from(testRows, (r) => features[name]?.[r] as number)])) as unknown as PriColumns;
    const result = applyDetectorSystematics(pri, variation);
    const ids = Int32Array.from(result.keptRows, (k) => testIds[k] as number);
    variations.push({
      name: variation.name,
      test: { id: ids, features: { ...result.pri, ...result.der } },
      truth: { id: ids, label: Uint8Array.from(result.keptRows, (k) => testLabels[k] as number), weight: Float64Array.from(result.keptRows, (k) => testWeights[k] as number) },
    });
    progress(`variation ${variation.name}: ${ids.length} of ${nTest} test events pass the post-selection`);
  }

  return writeDatasetVersion({
    outDir: options.outDir,
    overwrite: options.overwrite,
    onProgress: progress,
    writeParquet: options.writeParquet ?? true,
    featureColumns: FAIR_UNIVERSE_FEATURE_COLUMNS,
    variations,
    manifest: {
      dataset: FAIR_UNIVERSE_DATASET_ID,
      version: options.version ?? '1.0.0',
      title: 'FAIR-Universe HiggsML Uncertainty Challenge (H→ττ, lepton + hadronic tau)',
      isToy: false,
      createdAt: options.createdAt ?? new Date().toISOString(),
      pipelineVersion: PIPELINE_VERSION,
      description:
        'Pythia 8 + Delphes (ATLAS-like) simulation of H→ττ signal and Z→ττ, tt̄ and diboson backgrounds, lepton + hadronic-tau channel, ' +
        '16 primary and 12 derived features (GeV, rad; −25 = undefined), as released for the FAIR-Universe HiggsML Uncertainty Challenge. ' +
        `Test = the first ${testFraction} of the rows (the challenge's rule); weights rescaled per class to the expected yields at ${metadata.luminosity ?? 10} fb⁻¹.`,
      licence: 'As published with Zenodo record 15131565 (the GitHub sample carries no licence file); check the record before redistributing.',
      citation: 'FAIR-Universe collaboration, "FAIR Universe HiggsML Uncertainty Challenge Competition", arXiv:2410.02867; data: Zenodo record 15131565.',
      sources: [{ name: fileName, sha256, note: `${n} rows; github.com/FAIR-Universe/HEP-Challenge input_data/` }],
      recipe: { importer: 'lib/pipeline/importers/fair-universe-parquet.ts', testFraction, splitRule: 'first floor(f·N) rows → test, the rest → train', variations: options.variations ?? [], yieldScale },
      luminosityFb: metadata.luminosity ?? 10,
      expectedYields: yields,
      fixedSplitColumn: null,
      missingValue: FAIR_MISSING_VALUE,
      variations: (options.variations ?? []).map((v) => ({
        name: v.name,
        kind: 'parametrised' as const,
        description: 'FAIR-Universe systematics.py v4 applied to the test set, then the post-selection (tau pT ≥ 26 GeV, jets ≤ 26 GeV removed).',
        parameters: { tes: v.tes ?? 1, jes: v.jes ?? 1, softMet: v.softMet ?? 0, ...(v.seed === undefined ? {} : { seed: v.seed }) },
      })),
    },
    train: {
      eventId: Int32Array.from(trainRows),
      features: gather(trainRows),
      label: Uint8Array.from(trainRows, (r) => labels[r] as number),
      weight: rescale(trainRows, 'train'),
      detailedLabel: Array.from(trainRows, (r) => detailed[r] as string),
    },
    test: { id: testIds, features: gather(testRows) },
    truth: { id: testIds, label: testLabels, weight: testWeights },
  });
}
