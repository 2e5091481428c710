import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '@/lib/shared/app-error';
import type { DatasetManifest } from '@/lib/shared/dataset-manifest';
import { buildLargeRJetDisplayTable } from '../display/large-r-jet-display-table';
import { assertOutDirAvailable, type DatasetColumnSpec, writeDatasetVersion } from '../datasets/write-dataset-version';
import { PIPELINE_VERSION } from '../pipeline-version';

/**
 * Importer for the ATLAS top-tagging open data (CERN Open Data record 80030, DOI 10.7483/OPENDATA.ATLAS.SOAY.LABE,
 * arXiv:2407.20127; plain h5py datasets): constituents `fjet_clus_{pt,eta,phi,E}` (N × 200, pT-sorted,
 * zero-padded, MeV), 15 high-level `fjet_*` substructure features, the jet 4-vector `fjet_{pt,eta,phi,m}`,
 * `labels` (1 top, 0 QCD) and `training_weights` (nominal training files only).
 *
 * Constituents become flat, zero-padded columns `fjet_clus_pt_0 … fjet_clus_pt_<k−1>` (k = maxConstituents, ≤ 200)
 * so that every reader (CSV, pandas, Arrow) sees one row per jet. Read in slices of 10,000 jets.
 */
export const TOP_TAGGING_DATASET_ID = 'atlas-top-tagging';
export const TOP_TAGGING_CONSTITUENT_FIELDS = ['fjet_clus_pt', 'fjet_clus_eta', 'fjet_clus_phi', 'fjet_clus_E'] as const;
export const TOP_TAGGING_HIGH_LEVEL = [
  'fjet_C2', 'fjet_D2', 'fjet_ECF1', 'fjet_ECF2', 'fjet_ECF3', 'fjet_L2', 'fjet_L3', 'fjet_Qw', 'fjet_Split12', 'fjet_Split23',
  'fjet_Tau1_wta', 'fjet_Tau2_wta', 'fjet_Tau3_wta', 'fjet_Tau4_wta', 'fjet_ThrustMaj',
] as const;
export const TOP_TAGGING_JET = ['fjet_pt', 'fjet_eta', 'fjet_phi', 'fjet_m'] as const;
const MAX_CONSTITUENTS = 200;
const EVENT_NUMBER = 'EventInfo_mcEventNumber';
const SLICE_JETS = 10_000;

const HIGH_LEVEL_UNITS: Record<string, string> = { fjet_ECF1: 'MeV', fjet_ECF2: 'MeV^2', fjet_ECF3: 'MeV^3', fjet_Qw: 'MeV', fjet_Split12: 'MeV', fjet_Split23: 'MeV' };

export function topTaggingFeatureColumns(maxConstituents: number): DatasetColumnSpec[] {
  const constituents: DatasetColumnSpec[] = [];
  const units = { fjet_clus_pt: 'MeV', fjet_clus_eta: 'dimensionless', fjet_clus_phi: 'rad', fjet_clus_E: 'MeV' };
  for (const field of TOP_TAGGING_CONSTITUENT_FIELDS) {
    for (let k = 0; k < maxConstituents; k++) {
      constituents.push({ name: `${field}_${k}`, unit: units[field], description: `${field.replace('fjet_clus_', '')} of constituent ${k} (pT-ordered; 0 = padding, mask with pT = 0).` });
    }
  }
  return [
    ...constituents,
    ...TOP_TAGGING_HIGH_LEVEL.map((name) => ({ name, unit: HIGH_LEVEL_UNITS[name] ?? 'dimensionless', description: `High-level jet substructure variable ${name.replace('fjet_', '')} (ATLAS definition).` })),
    { name: 'fjet_pt', unit: 'MeV', description: 'Calibrated large-R jet transverse momentum.' },
    { name: 'fjet_eta', unit: 'dimensionless', description: 'Large-R jet pseudorapidity.' },
    { name: 'fjet_phi', unit: 'rad', description: 'Large-R jet azimuthal angle.' },
    { name: 'fjet_m', unit: 'MeV', description: 'Calibrated large-R jet mass.' },
  ];
}

type H5Dataset = { shape: number[] | null; value: unknown; slice(ranges: [number, number][]): unknown };
type H5File = { keys(): string[]; get(name: string): unknown; close(): void };

type JetTable = {
  features: Record<string, Float32Array>;
  labels: Uint8Array;
  weights: Float64Array;
  /** `EventInfo_mcEventNumber` per jet when every file has it, else null. */
  eventNumbers: Float64Array | null;
  jets: number;
  sources: { name: string; sha256: string; jets: number }[];
};

async function readJets(files: string[], maxConstituents: number, requireWeights: boolean, progress: (m: string) => void): Promise<JetTable> {
  const { default: h5wasm } = await import('h5wasm/node');
  await h5wasm.ready;
  const parts: JetTable[] = [];
  for (const filePath of files) {
    const name = path.basename(filePath);
    if (!fs.existsSync(filePath)) throw new AppError('NOT_FOUND', `HDF5 file ${filePath} does not exist.`, { file: filePath });
    const sha256 = createHash('sha256').update(await fs.promises.readFile(filePath)).digest('hex');
    const file = new h5wasm.File(filePath, 'r') as unknown as H5File;
    try {
      const keys = file.keys();
      const dataset = (key: string): H5Dataset => {
        const d = keys.includes(key) ? (file.get(key) as H5Dataset | null) : null;
        if (!d) throw new AppError('INVALID_DATASET', `${name} has no dataset "${key}"; it has ${keys.join(', ')}.`, { file: name, column: key });
        return d;
      };
      const labelsData = dataset('labels');
      const jets = labelsData.shape?.[0] ?? 0;
      const check = (key: string, shape: number[]) => {
        const found = dataset(key).shape ?? [];
        if (found[0] !== jets || (shape.length > 1 && !(found[1] !== undefined && found[1] >= (shape[1] as number)))) {
          throw new AppError('INVALID_DATASET', `${name} dataset "${key}" has shape [${found.join(', ')}], expected [${shape.join(', ')}].`, { file: name, column: key });
        }
      };
      for (const field of TOP_TAGGING_CONSTITUENT_FIELDS) check(field, [jets, maxConstituents]);
      for (const key of [...TOP_TAGGING_HIGH_LEVEL, ...TOP_TAGGING_JET]) check(key, [jets]);
      const hasWeights = keys.includes('training_weights');
      if (requireWeights && !hasWeights) throw new AppError('INVALID_DATASET', `${name} has no dataset "training_weights"; training files of the nominal sample carry them.`, { file: name, column: 'training_weights' });
      const features: Record<string, Float32Array> = {};
      for (const spec of topTaggingFeatureColumns(maxConstituents)) features[spec.name] = new Float32Array(jets);
      for (const field of TOP_TAGGING_CONSTITUENT_FIELDS) {
        const d = dataset(field);
        const width = (d.shape as number[])[1] as number;
        const columns = Array.from({ length: maxConstituents }, (_, k) => features[`${field}_${k}`] as Float32Array);
        for (let start = 0; start < jets; start += SLICE_JETS) {
          const end = Math.min(jets, start + SLICE_JETS);
          const block = d.slice([[start, end]]) as ArrayLike<number>;
          for (let j = start; j < end; j++) {
            const base = (j - start) * width;
            for (let k = 0; k < maxConstituents; k++) (columns[k] as Float32Array)[j] = block[base + k] as number;
          }
        }
      }
      for (const key of [...TOP_TAGGING_HIGH_LEVEL, ...TOP_TAGGING_JET]) (features[key] as Float32Array).set(dataset(key).value as ArrayLike<number>);
      const labels = Uint8Array.from(labelsData.value as ArrayLike<number>);
      labels.forEach((l, i) => {
        if (l !== 0 && l !== 1) throw new AppError('INVALID_DATASET', `${name} labels[${i}] is ${l}; expected 1 (top) or 0 (QCD).`, { file: name, row: i, column: 'labels' });
      });
      const weights = hasWeights ? Float64Array.from(dataset('training_weights').value as ArrayLike<number>) : new Float64Array(jets).fill(1);
      const eventNumbers = keys.includes(EVENT_NUMBER) ? Float64Array.from(dataset(EVENT_NUMBER).value as ArrayLike<number | bigint>, Number) : null;
      parts.push({ features, labels, weights, eventNumbers, jets, sources: [{ name, sha256, jets }] });
      progress(`read ${jets} jets from ${name}${hasWeights ? '' : ' (no training_weights: weight 1)'}`);
    } finally {
      file.close();
    }
  }
  const jets = parts.reduce((s, p) => s + p.jets, 0);
  const hasEventNumbers = parts.every((p) => p.eventNumbers !== null);
  const merged: JetTable = {
    features: {},
    labels: new Uint8Array(jets),
    weights: new Float64Array(jets),
    eventNumbers: hasEventNumbers ? new Float64Array(jets) : null,
    jets,
    sources: parts.flatMap((p) => p.sources),
  };
  for (const spec of topTaggingFeatureColumns(maxConstituents)) merged.features[spec.name] = new Float32Array(jets);
  let offset = 0;
  for (const part of parts) {
    for (const [key, column] of Object.entries(part.features)) (merged.features[key] as Float32Array).set(column, offset);
    merged.labels.set(part.labels, offset);
    merged.weights.set(part.weights, offset);
    if (merged.eventNumbers && part.eventNumbers) merged.eventNumbers.set(part.eventNumbers, offset);
    offset += part.jets;
  }
  return merged;
}

/** A systematic variation of the test set: its name (e.g. "ces_up") and the HDF5 shards holding it. */
export type TopTaggingVariationInput = { name: string; files: string[] };

export type ImportTopTaggingOptions = {
  train: string[];
  test: string[];
  /** Varied test sets, written as `test@<name>` + server-only `truth@<name>` tables. */
  variations?: TopTaggingVariationInput[];
  outDir: string;
  /** Constituents kept per jet (≤ 200, default 200). */
  maxConstituents?: number;
  version?: string;
  createdAt?: string;
  overwrite?: boolean;
  writeCsv?: boolean;
  writeParquet?: boolean;
  onProgress?: (message: string) => void;
};

/**
 * Imports training and test shards into a dataset version (`atlas-top-tagging`, CC0): train weight =
 * `training_weights` (required), test truth weight = `training_weights` when present, else 1. Expected yields
 * are the per-class weight sums of the test set.
 *
 * Each variation (e.g. `ces_up` from `test_esup_*.h5`) becomes `test@<name>` and `truth@<name>`. When it holds the
 * same jets as the nominal test set (same count and labels row by row, and the same `EventInfo_mcEventNumber` when
 * both have it) it keeps the nominal ids ("parametrised"); otherwise it is an "alternative-sample" with ids of its
 * own, continuing after the nominal test ids (the ATLAS varied sets are reselected, so usually this).
 */
export async function importTopTaggingHdf5(options: ImportTopTaggingOptions): Promise<DatasetManifest> {
  const progress = options.onProgress ?? (() => {});
  const maxConstituents = options.maxConstituents ?? MAX_CONSTITUENTS;
  if (!(Number.isInteger(maxConstituents) && maxConstituents >= 1 && maxConstituents <= MAX_CONSTITUENTS)) {
    throw new AppError('BAD_REQUEST', `maxConstituents must be an integer in 1…200, got ${maxConstituents}.`);
  }
  if (options.train.length === 0 || options.test.length === 0) throw new AppError('BAD_REQUEST', 'Pass at least one training and one test HDF5 file.');
  const variationInputs = options.variations ?? [];
  assertVariationNames(variationInputs);
  assertOutDirAvailable(options.outDir, options.overwrite === true);
  const train = await readJets(options.train, maxConstituents, true, progress);
  const test = await readJets(options.test, maxConstituents, false, progress);
  const yields = { signal: 0, background: 0 };
  test.labels.forEach((l, i) => (l === 1 ? (yields.signal += test.weights[i] as number) : (yields.background += test.weights[i] as number)));
  const testIds = Int32Array.from({ length: test.jets }, (_, i) => i);
  let nextId = test.jets;
  const variations: { name: string; kind: 'parametrised' | 'alternative-sample'; table: JetTable; ids: Int32Array }[] = [];
  for (const input of variationInputs) {
    const table = await readJets(input.files, maxConstituents, false, progress);
    if (isSameJets(test, table)) {
      variations.push({ name: input.name, kind: 'parametrised', table, ids: testIds });
    } else {
      variations.push({ name: input.name, kind: 'alternative-sample', table, ids: Int32Array.from({ length: table.jets }, (_, i) => nextId + i) });
      nextId += table.jets;
    }
    progress(`variation ${input.name}: ${table.jets} jets (${variations.at(-1)?.kind})`);
  }
  const trainIds = Int32Array.from({ length: train.jets }, (_, i) => i);
  return writeDatasetVersion({
    outDir: options.outDir,
    overwrite: options.overwrite,
    onProgress: progress,
    writeCsv: options.writeCsv,
    writeParquet: options.writeParquet ?? true,
    featureColumns: topTaggingFeatureColumns(maxConstituents),
    manifest: {
      dataset: TOP_TAGGING_DATASET_ID,
      version: options.version ?? '1.0.0',
      title: 'ATLAS top tagging open data (boosted top vs QCD jets)',
      isToy: false,
      createdAt: options.createdAt ?? new Date().toISOString(),
      pipelineVersion: PIPELINE_VERSION,
      description:
        `Large-R jets from Z′→tt̄ (signal, label 1) and dijet (background, label 0) ATLAS simulation at 13 TeV: ${maxConstituents} leading constituents ` +
        '(pT, η, φ, E in MeV, zero-padded), 15 substructure variables and the calibrated jet 4-vector. Train weights are the released training_weights (background pT reweighted to the signal).',
      licence: 'CC0-1.0',
      citation: 'ATLAS Collaboration, "Accuracy versus precision in boosted top tagging with the ATLAS detector", JINST 19 (2024) P08018, arXiv:2407.20127; data DOI 10.7483/OPENDATA.ATLAS.SOAY.LABE.',
      sources: [
        { name: 'CERN Open Data record 80030', doi: '10.7483/OPENDATA.ATLAS.SOAY.LABE', note: 'Licence CC0-1.0.' },
        ...train.sources.map((s) => ({ name: s.name, sha256: s.sha256, note: `train, ${s.jets} jets` })),
        ...test.sources.map((s) => ({ name: s.name, sha256: s.sha256, note: `test, ${s.jets} jets` })),
        ...variations.flatMap((v) => v.table.sources.map((s) => ({ name: s.name, sha256: s.sha256, note: `variation ${v.name}, ${s.jets} jets` }))),
      ],
      recipe: {
        importer: 'lib/pipeline/importers/atlas-top-tagging-hdf5.ts',
        maxConstituents,
        train: train.sources,
        test: test.sources,
        ...(variations.length > 0 ? { variations: Object.fromEntries(variations.map((v) => [v.name, v.table.sources])) } : {}),
      },
      luminosityFb: null,
      expectedYields: yields,
      fixedSplitColumn: null,
      missingValue: 0,
      ...(variations.length > 0
        ? {
            variations: variations.map((v) => ({
              name: v.name,
              kind: v.kind,
              description:
                v.kind === 'parametrised'
                  ? `Varied test set from ${v.table.sources.map((s) => s.name).join(', ')}: the nominal test jets, row by row (same ids).`
                  : `Alternative test sample from ${v.table.sources.map((s) => s.name).join(', ')} (${v.table.jets} jets, ids from ${v.ids[0]}).`,
            })),
          }
        : {}),
    },
    train: { eventId: trainIds, features: train.features, label: train.labels, weight: train.weights },
    test: { id: testIds, features: test.features },
    truth: { id: testIds, label: test.labels, weight: test.weights },
    variations: variations.map((v) => ({
      name: v.name,
      test: { id: v.ids, features: v.table.features },
      truth: { id: v.ids, label: v.table.labels, weight: v.table.weights },
    })),
    display: buildLargeRJetDisplayTable(trainIds, train.features, maxConstituents),
  });
}

function assertVariationNames(variations: readonly TopTaggingVariationInput[]): void {
  const seen = new Set<string>();
  for (const v of variations) {
    if (!/^[a-z0-9][a-z0-9_.-]*$/.test(v.name) || v.name === 'nominal' || seen.has(v.name)) {
      throw new AppError('BAD_REQUEST', `Variation name "${v.name}" must be unique, not "nominal", and use lower-case letters, digits, "_", "-" or "." (e.g. ces_up).`);
    }
    if (v.files.length === 0) throw new AppError('BAD_REQUEST', `Variation "${v.name}" needs at least one HDF5 file.`);
    seen.add(v.name);
  }
}

/** Same jets row by row: count, labels and (when both files carry them) event numbers. */
function isSameJets(nominal: JetTable, varied: JetTable): boolean {
  if (nominal.jets !== varied.jets) return false;
  for (let i = 0; i < nominal.jets; i++) if (nominal.labels[i] !== varied.labels[i]) return false;
  if (nominal.eventNumbers && varied.eventNumbers) {
    for (let i = 0; i < nominal.jets; i++) if (nominal.eventNumbers[i] !== varied.eventNumbers[i]) return false;
  }
  return true;
}
