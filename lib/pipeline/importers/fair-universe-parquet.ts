import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '@/lib/shared/app-error';
import type { DatasetManifest } from '@/lib/shared/dataset-manifest';
import { openDatasetVersionWriter } from '../datasets/dataset-version-writer';
import { assertOutDirAvailable, type DatasetColumnSpec } from '../datasets/write-dataset-version';
import { DER_COLUMNS, FAIR_MISSING_VALUE, PRI_COLUMN_NAMES, PRI_COLUMNS, type PriColumns } from '../features/der-features';
import { type FlatBatch, numericBatchColumn, openFlatTableBatches } from '../io/read-table-batches';
import { sha256OfFile } from '../io/sha256-of-file';
import { PIPELINE_VERSION } from '../pipeline-version';
import { applyDetectorSystematics, createSoftMetStreams, type DetectorSystematicsParameters } from '../systematics/detector-systematics';

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

/**
 * Streams the input twice, a row group (or block of CSV lines) at a time: the first pass validates labels and
 * processes and sums the weights per class and part; the second writes test, truth, train and the varied test sets
 * batch by batch. Memory holds one batch (plus 4 bytes per row for the id checks), whatever the file's size.
 */
export async function importFairUniverseParquet(options: ImportFairUniverseOptions): Promise<DatasetManifest> {
  const progress = options.onProgress ?? (() => {});
  const testFraction = options.testFraction ?? 0.3;
  assertOutDirAvailable(options.outDir, options.overwrite === true);
  const fileName = path.basename(options.input);
  const sha256 = await sha256OfFile(options.input);
  let metadata: { sum_weights?: number; luminosity?: number } = {};
  if (options.metadataFile) metadata = JSON.parse(await fs.promises.readFile(options.metadataFile, 'utf8')) as typeof metadata;

  const table = await openFlatTableBatches(options.input);
  try {
    for (const column of [...FAIR_UNIVERSE_FEATURE_COLUMNS.map((c) => c.name), 'weights', 'labels', 'detailed_labels']) {
      if (!table.columnNames.includes(column)) {
        throw new AppError('INVALID_DATASET', `${fileName} has no column "${column}"; it has ${table.columnNames.join(', ')}.`, { file: fileName, column });
      }
    }
    const n = table.numRows;
    const nTest = Math.floor(testFraction * n);
    // Per class (index = label), in row order: the whole file, the test part and the train part.
    const sums = { all: new Float64Array(2), test: new Float64Array(2), train: new Float64Array(2) };
    const trainProcesses: string[] = [];
    const startedMs = performance.now();
    for await (const batch of table.batches()) {
      const { labels, weights, detailed } = labelsOf(batch, fileName);
      for (let i = 0; i < batch.numRows; i++) {
        const isTest = batch.rowStart + i < nTest;
        const label = labels[i] as number;
        const part = isTest ? sums.test : sums.train;
        sums.all[label] = (sums.all[label] as number) + (weights[i] as number);
        part[label] = (part[label] as number) + (weights[i] as number);
        if (!isTest && !trainProcesses.includes(detailed[i] as string)) trainProcesses.push(detailed[i] as string);
      }
    }
    progress(`checked ${n} events of ${fileName} (${Math.round(n / Math.max((performance.now() - startedMs) / 1000, 1e-3))} rows/s)`);
    const signalSum = sums.all[1] as number;
    const backgroundSum = sums.all[0] as number;
    const yieldScale = metadata.sum_weights ? metadata.sum_weights / (signalSum + backgroundSum) : 1;
    const yields = { signal: signalSum * yieldScale, background: backgroundSum * yieldScale };
    const scaleOf = (part: 'test' | 'train') => {
      const [background, signal] = sums[part] as unknown as [number, number];
      if (!(signal > 0 && background > 0)) throw new AppError('INVALID_DATASET', `The ${part} part of ${fileName} lacks signal or background weight; choose a larger input.`, { file: fileName });
      return [yields.background / background, yields.signal / signal] as const;
    };
    const testScale = scaleOf('test');
    const trainScale = scaleOf('train');
    progress(`read ${n} events from ${fileName}: ${n - nTest} train, ${nTest} test (first ${testFraction} of the rows)`);

    const variations = options.variations ?? [];
    const writer = await openDatasetVersionWriter({
      outDir: options.outDir,
      overwrite: options.overwrite,
      onProgress: progress,
      writeParquet: options.writeParquet ?? true,
      featureColumns: FAIR_UNIVERSE_FEATURE_COLUMNS,
      detailedLabels: { values: trainProcesses, rows: n - nTest },
      variations: variations.map((v) => v.name),
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
        recipe: { importer: 'lib/pipeline/importers/fair-universe-parquet.ts', testFraction, splitRule: 'first floor(f·N) rows → test, the rest → train', variations, yieldScale },
        luminosityFb: metadata.luminosity ?? 10,
        expectedYields: yields,
        fixedSplitColumn: null,
        missingValue: FAIR_MISSING_VALUE,
        variations: variations.map((v) => ({
          name: v.name,
          kind: 'parametrised' as const,
          description: 'FAIR-Universe systematics.py v4 applied to the test set, then the post-selection (tau pT ≥ 26 GeV, jets ≤ 26 GeV removed).',
          parameters: { tes: v.tes ?? 1, jes: v.jes ?? 1, softMet: v.softMet ?? 0, ...(v.seed === undefined ? {} : { seed: v.seed }) },
        })),
      },
    });
    try {
      // Soft-MET noise is drawn as if the whole test set were varied at once, whatever the batch boundaries.
      const streams = variations.map((v) => ((v.softMet ?? 0) > 0 ? createSoftMetStreams(v.seed, nTest, v.softMet as number) : undefined));
      const kept = variations.map(() => 0);
      for await (const rowGroup of table.batches()) for (const batch of subBatches(rowGroup)) {
        const { labels, weights, detailed } = labelsOf(batch, fileName);
        const features = Object.fromEntries(FAIR_UNIVERSE_FEATURE_COLUMNS.map((c) => [c.name, Float32Array.from(numericBatchColumn(batch, c.name, fileName))]));
        const testRows = Math.max(0, Math.min(batch.numRows, nTest - batch.rowStart));
        const part = (from: number, to: number, scale: readonly [number, number]) => ({
          ids: Int32Array.from({ length: to - from }, (_, k) => batch.rowStart + from + k),
          features: Object.fromEntries(Object.entries(features).map(([name, column]) => [name, column.subarray(from, to)])),
          label: Uint8Array.from(labels.subarray(from, to)),
          weight: Float64Array.from({ length: to - from }, (_, k) => (weights[from + k] as number) * (scale[labels[from + k] as number] as number)),
        });
        if (testRows > 0) {
          const test = part(0, testRows, testScale);
          await writer.appendTest({ id: test.ids, features: test.features, label: test.label, weight: test.weight });
          for (const [v, variation] of variations.entries()) {
            const pri = Object.fromEntries(PRI_COLUMN_NAMES.map((name) => [name, test.features[name] as Float32Array])) as unknown as PriColumns;
            const result = applyDetectorSystematics(pri, { ...variation, softMetStreams: streams[v] });
            kept[v] = (kept[v] as number) + result.keptRows.length;
            await writer.appendVariation(variation.name, {
              id: Int32Array.from(result.keptRows, (k) => test.ids[k] as number),
              features: { ...result.pri, ...result.der },
              label: Uint8Array.from(result.keptRows, (k) => test.label[k] as number),
              weight: Float64Array.from(result.keptRows, (k) => test.weight[k] as number),
            });
          }
        }
        if (testRows < batch.numRows) {
          const train = part(testRows, batch.numRows, trainScale);
          await writer.appendTrain({ eventId: train.ids, features: train.features, label: train.label, weight: train.weight, detailedLabel: detailed.slice(testRows) });
        }
      }
      variations.forEach((v, i) => progress(`variation ${v.name}: ${kept[i]} of ${nTest} test events pass the post-selection`));
      return await writer.finish();
    } catch (error) {
      await writer.abort();
      throw error;
    }
  } finally {
    await table.close();
  }
}

/** Rows handled at once: a large input row group is cut into parts so that conversions and systematics stay small. */
const PART_ROWS = 65_536;

function* subBatches(batch: FlatBatch): Generator<FlatBatch> {
  for (let from = 0; from < batch.numRows; from += PART_ROWS) {
    const to = Math.min(batch.numRows, from + PART_ROWS);
    const columns = Object.fromEntries(Object.entries(batch.columns).map(([name, values]) => [name, Array.isArray(values) ? values.slice(from, to) : values.subarray(from, to)]));
    yield { rowStart: batch.rowStart + from, numRows: to - from, columns };
  }
}

/** Labels (0/1), weights and processes of a batch, checked against each other row by row. */
function labelsOf(batch: FlatBatch, fileName: string): { labels: Uint8Array; weights: Float64Array; detailed: string[] } {
  const weights = numericBatchColumn(batch, 'weights', fileName);
  const labelValues = numericBatchColumn(batch, 'labels', fileName);
  const detailed = batch.columns.detailed_labels;
  if (!Array.isArray(detailed)) throw new AppError('INVALID_DATASET', `${fileName} needs a text column "detailed_labels" (htautau, ztautau, ttbar, diboson).`, { file: fileName, column: 'detailed_labels' });
  const labels = new Uint8Array(batch.numRows);
  for (let i = 0; i < batch.numRows; i++) {
    const row = batch.rowStart + i + 1;
    if (!PROCESSES.includes(detailed[i] as string)) throw new AppError('INVALID_DATASET', `${fileName} row ${row}: detailed_labels "${detailed[i]}" is not one of ${PROCESSES.join(', ')}.`, { file: fileName, row, column: 'detailed_labels' });
    const isSignal = detailed[i] === 'htautau';
    const label = labelValues[i] as number;
    if ((label === 1) !== isSignal || (label !== 0 && label !== 1)) {
      throw new AppError('INVALID_DATASET', `${fileName} row ${row}: labels ${label} disagrees with detailed_labels "${detailed[i]}".`, { file: fileName, row, column: 'labels' });
    }
    labels[i] = label;
  }
  return { labels, weights, detailed };
}
