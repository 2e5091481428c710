import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '@/lib/shared/app-error';
import type { DatasetManifest } from '@/lib/shared/dataset-manifest';
import { openDatasetVersionWriter } from '../datasets/dataset-version-writer';
import { assertOutDirAvailable, type DatasetColumnSpec } from '../datasets/write-dataset-version';
import { sha256OfFile } from '../io/sha256-of-file';
import { buildLargeRJetDisplayTable } from '../display/large-r-jet-display-table';
import { PIPELINE_VERSION } from '../pipeline-version';

/**
 * Importer for the ATLAS top-tagging open data (CERN Open Data record 80030, DOI 10.7483/OPENDATA.ATLAS.SOAY.LABE,
 * arXiv:2407.20127; plain h5py datasets): constituents `fjet_clus_{pt,eta,phi,E}` (N × 200, pT-sorted,
 * zero-padded, MeV), 15 high-level `fjet_*` substructure features, the jet 4-vector `fjet_{pt,eta,phi,m}`,
 * `labels` (1 top, 0 QCD) and `training_weights` (nominal training files only).
 *
 * Constituents become flat, zero-padded columns `fjet_clus_pt_0 … fjet_clus_pt_<k−1>` (k = maxConstituents, ≤ 200)
 * so that every reader (CSV, pandas, Arrow) sees one row per jet. Read in hyperslabs of 10,000 jets (only the kept
 * constituents) and written batch by batch, so memory does not grow with the number of jets.
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

type H5Dataset = { shape: number[] | null; slice(ranges: [number, number][]): unknown };
type H5File = { keys(): string[]; get(name: string): unknown; close(): void };
type H5Module = { ready: Promise<unknown>; File: new (path: string, mode: string) => unknown };

/** One HDF5 shard, checked: its jets, whether it carries training weights and event numbers, and its sha256. */
type Shard = { path: string; name: string; sha256: string; jets: number; hasWeights: boolean; hasEventNumbers: boolean };

/** A block of jets read from a shard: every feature column (float32), labels, weights and event numbers. */
type JetBlock = { features: Record<string, Float32Array>; labels: Uint8Array; weights: Float64Array; eventNumbers: Float64Array | null; jets: number };

let h5module: Promise<H5Module> | undefined;
async function loadH5wasm(): Promise<H5Module> {
  h5module ??= import('h5wasm/node').then(async ({ default: h5wasm }) => {
    await h5wasm.ready;
    return h5wasm as unknown as H5Module;
  });
  return h5module;
}

async function withFile<T>(shardPath: string, use: (file: H5File, dataset: (key: string) => H5Dataset, keys: string[]) => Promise<T> | T): Promise<T> {
  const name = path.basename(shardPath);
  if (!fs.existsSync(shardPath)) throw new AppError('NOT_FOUND', `HDF5 file ${shardPath} does not exist.`, { file: shardPath });
  const h5wasm = await loadH5wasm();
  let file: H5File;
  try {
    file = new h5wasm.File(shardPath, 'r') as H5File;
  } catch (cause) {
    throw new AppError('INVALID_DATASET', `${name} is not a readable HDF5 file (${cause instanceof Error ? cause.message : 'unknown error'}); the release's files are HDF5 (gunzip a .h5.gz first).`, { file: name }, { cause });
  }
  try {
    const keys = file.keys();
    const dataset = (key: string): H5Dataset => {
      const d = keys.includes(key) ? (file.get(key) as H5Dataset | null) : null;
      if (!d) throw new AppError('INVALID_DATASET', `${name} has no dataset "${key}"; it has ${keys.join(', ')}.`, { file: name, column: key });
      return d;
    };
    return await use(file, dataset, keys);
  } finally {
    file.close();
  }
}

/** Checks a shard's layout (datasets and shapes, labels 0/1) without reading its constituents, and hashes it. */
async function inspectShard(shardPath: string, maxConstituents: number, requireWeights: boolean, digests: { labels: Hash; events: Hash }): Promise<Shard> {
  const name = path.basename(shardPath);
  const shard = await withFile(shardPath, (_file, dataset, keys) => {
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
    if (hasWeights) check('training_weights', [jets]);
    const hasEventNumbers = keys.includes(EVENT_NUMBER);
    if (hasEventNumbers) check(EVENT_NUMBER, [jets]);
    for (let start = 0; start < jets; start += SLICE_JETS) {
      const end = Math.min(jets, start + SLICE_JETS);
      digests.labels.update(readLabels(dataset, name, start, end));
      if (hasEventNumbers) digests.events.update(new Uint8Array(readEventNumbers(dataset, start, end).buffer));
    }
    return { jets, hasWeights, hasEventNumbers };
  });
  return { path: shardPath, name, sha256: await sha256OfFile(shardPath), ...shard };
}

function readLabels(dataset: (key: string) => H5Dataset, name: string, start: number, end: number): Uint8Array {
  const values = dataset('labels').slice([[start, end]]) as ArrayLike<number>;
  const labels = new Uint8Array(end - start);
  for (let i = 0; i < labels.length; i++) {
    const l = values[i] as number;
    if (l !== 0 && l !== 1) throw new AppError('INVALID_DATASET', `${name} labels[${start + i}] is ${l}; expected 1 (top) or 0 (QCD).`, { file: name, row: start + i, column: 'labels' });
    labels[i] = l;
  }
  return labels;
}

function readEventNumbers(dataset: (key: string) => H5Dataset, start: number, end: number): Float64Array {
  return Float64Array.from(dataset(EVENT_NUMBER).slice([[start, end]]) as ArrayLike<number | bigint>, Number);
}

/** The jets of a shard in blocks of {@link SLICE_JETS}, read with hyperslab selections (only the kept constituents). */
async function* readJetBlocks(shard: Shard, maxConstituents: number): AsyncGenerator<JetBlock> {
  const blocks: JetBlock[] = [];
  // h5wasm is synchronous: read one block inside the file's scope, hand it out, then read the next.
  for (let start = 0; start < shard.jets; start += SLICE_JETS) {
    const end = Math.min(shard.jets, start + SLICE_JETS);
    await withFile(shard.path, (_file, dataset) => {
      const jets = end - start;
      const features: Record<string, Float32Array> = {};
      for (const field of TOP_TAGGING_CONSTITUENT_FIELDS) {
        const block = dataset(field).slice([[start, end], [0, maxConstituents]]) as ArrayLike<number>;
        for (let k = 0; k < maxConstituents; k++) {
          const column = new Float32Array(jets);
          for (let j = 0; j < jets; j++) column[j] = block[j * maxConstituents + k] as number;
          features[`${field}_${k}`] = column;
        }
      }
      for (const key of [...TOP_TAGGING_HIGH_LEVEL, ...TOP_TAGGING_JET]) features[key] = Float32Array.from(dataset(key).slice([[start, end]]) as ArrayLike<number>);
      const labels = readLabels(dataset, shard.name, start, end);
      const weights = shard.hasWeights ? Float64Array.from(dataset('training_weights').slice([[start, end]]) as ArrayLike<number>) : new Float64Array(jets).fill(1);
      const eventNumbers = shard.hasEventNumbers ? readEventNumbers(dataset, start, end) : null;
      blocks.push({ features, labels, weights, eventNumbers, jets });
    });
    yield blocks.shift() as JetBlock;
  }
}

/**
 * The shards of one table, checked, with digests of their labels and event numbers in row order: they tell whether
 * a varied set holds the nominal jets without keeping either in memory.
 */
type ShardSet = { shards: Shard[]; jets: number; sources: { name: string; sha256: string; jets: number }[]; labelDigest: string; eventDigest: string | null };

async function inspectShards(files: string[], maxConstituents: number, requireWeights: boolean, progress: (m: string) => void): Promise<ShardSet> {
  const shards: Shard[] = [];
  const digests = { labels: createHash('sha256'), events: createHash('sha256') };
  for (const file of files) {
    const shard = await inspectShard(file, maxConstituents, requireWeights, digests);
    progress(`read ${shard.jets} jets from ${shard.name}${shard.hasWeights ? '' : ' (no training_weights: weight 1)'}`);
    shards.push(shard);
  }
  return {
    shards,
    jets: shards.reduce((s, p) => s + p.jets, 0),
    sources: shards.map((s) => ({ name: s.name, sha256: s.sha256, jets: s.jets })),
    labelDigest: digests.labels.digest('hex'),
    eventDigest: shards.every((s) => s.hasEventNumbers) ? digests.events.digest('hex') : null,
  };
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
  // First pass: layouts, labels, hashes and the per-class test weights, reading no constituent.
  const train = await inspectShards(options.train, maxConstituents, true, progress);
  const test = await inspectShards(options.test, maxConstituents, false, progress);
  const yields = { signal: 0, background: 0 };
  for (const shard of test.shards) {
    for await (const block of readWeightsAndLabels(shard)) {
      block.labels.forEach((l, i) => (l === 1 ? (yields.signal += block.weights[i] as number) : (yields.background += block.weights[i] as number)));
    }
  }
  let nextId = test.jets;
  const variations: { name: string; kind: 'parametrised' | 'alternative-sample'; set: ShardSet; firstId: number }[] = [];
  for (const input of variationInputs) {
    const set = await inspectShards(input.files, maxConstituents, false, progress);
    if (isSameJets(test, set)) {
      variations.push({ name: input.name, kind: 'parametrised', set, firstId: 0 });
    } else {
      variations.push({ name: input.name, kind: 'alternative-sample', set, firstId: nextId });
      nextId += set.jets;
    }
    progress(`variation ${input.name}: ${set.jets} jets (${variations.at(-1)?.kind})`);
  }
  const writer = await openDatasetVersionWriter({
    outDir: options.outDir,
    overwrite: options.overwrite,
    onProgress: progress,
    writeCsv: options.writeCsv,
    writeParquet: options.writeParquet ?? true,
    featureColumns: topTaggingFeatureColumns(maxConstituents),
    variations: variations.map((v) => v.name),
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
        ...variations.flatMap((v) => v.set.sources.map((s) => ({ name: s.name, sha256: s.sha256, note: `variation ${v.name}, ${s.jets} jets` }))),
      ],
      recipe: {
        importer: 'lib/pipeline/importers/atlas-top-tagging-hdf5.ts',
        maxConstituents,
        train: train.sources,
        test: test.sources,
        ...(variations.length > 0 ? { variations: Object.fromEntries(variations.map((v) => [v.name, v.set.sources])) } : {}),
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
                  ? `Varied test set from ${v.set.sources.map((s) => s.name).join(', ')}: the nominal test jets, row by row (same ids).`
                  : `Alternative test sample from ${v.set.sources.map((s) => s.name).join(', ')} (${v.set.jets} jets, ids from ${v.firstId}).`,
            })),
          }
        : {}),
    },
  });
  try {
    // Second pass: constituents and features block by block, straight into the writer.
    const ids = (first: number, count: number) => Int32Array.from({ length: count }, (_, i) => first + i);
    let row = 0;
    for (const shard of train.shards) {
      for await (const block of readJetBlocks(shard, maxConstituents)) {
        const eventId = ids(row, block.jets);
        await writer.appendTrain({ eventId, features: block.features, label: block.labels, weight: block.weights });
        // The event display shows the first training jets, all in the first block.
        if (row === 0) writer.setDisplay(buildLargeRJetDisplayTable(eventId, block.features, maxConstituents));
        row += block.jets;
      }
    }
    row = 0;
    for (const shard of test.shards) {
      for await (const block of readJetBlocks(shard, maxConstituents)) {
        await writer.appendTest({ id: ids(row, block.jets), features: block.features, label: block.labels, weight: block.weights });
        row += block.jets;
      }
    }
    for (const variation of variations) {
      row = variation.firstId;
      for (const shard of variation.set.shards) {
        for await (const block of readJetBlocks(shard, maxConstituents)) {
          await writer.appendVariation(variation.name, { id: ids(row, block.jets), features: block.features, label: block.labels, weight: block.weights });
          row += block.jets;
        }
      }
    }
    return await writer.finish();
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

/** Labels and weights (training_weights, else 1) of a shard, block by block. */
async function* readWeightsAndLabels(shard: Shard): AsyncGenerator<{ labels: Uint8Array; weights: Float64Array }> {
  for (let start = 0; start < shard.jets; start += SLICE_JETS) {
    const end = Math.min(shard.jets, start + SLICE_JETS);
    yield await withFile(shard.path, (_file, dataset) => ({
      labels: readLabels(dataset, shard.name, start, end),
      weights: shard.hasWeights ? Float64Array.from(dataset('training_weights').slice([[start, end]]) as ArrayLike<number>) : new Float64Array(end - start).fill(1),
    }));
  }
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

/** Same jets row by row: count, labels and (when both sets carry them) event numbers. */
function isSameJets(nominal: ShardSet, varied: ShardSet): boolean {
  if (nominal.jets !== varied.jets || nominal.labelDigest !== varied.labelDigest) return false;
  return nominal.eventDigest === null || varied.eventDigest === null || nominal.eventDigest === varied.eventDigest;
}
