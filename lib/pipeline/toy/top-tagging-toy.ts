import type { DatasetManifest } from '@/lib/shared/dataset-manifest';
import { assertOutDirAvailable, type DatasetColumnSpec, type TestTable, type TruthTable, writeDatasetVersion } from '../datasets/write-dataset-version';
import { buildLargeRJetDisplayTable } from '../display/large-r-jet-display-table';
import { PIPELINE_VERSION } from '../pipeline-version';
import { applyClusterVariation, type ClusterVariation } from './apply-cluster-variation';
import { generateTopTaggingToyJets, TOP_TAGGING_TOY_PARAMETERS, TOP_TAGGING_TOY_SLOTS } from './generate-top-tagging-toy-jets';
import { computeLargeRJetFeatures, type ConstituentArrays, LARGE_R_JET_FEATURE_COLUMNS } from './large-r-jet-features';

export const TOP_TAGGING_TOY_DATASET_ID = 'top-tagging-toy';

/** Constituent fields in column order, with their units (as the ATLAS release). */
const CONSTITUENT_FIELDS = [
  { field: 'pt', column: 'fjet_clus_pt', unit: 'MeV', what: 'transverse momentum' },
  { field: 'eta', column: 'fjet_clus_eta', unit: 'dimensionless', what: 'pseudorapidity' },
  { field: 'phi', column: 'fjet_clus_phi', unit: 'rad', what: 'azimuthal angle' },
  { field: 'e', column: 'fjet_clus_E', unit: 'MeV', what: 'energy (massless cluster: pT·cosh η)' },
] as const;

/** Feature columns of the toy, in file order: 4 × 20 constituent columns, 15 high-level variables, the jet 4-vector. */
export function topTaggingToyFeatureColumns(): DatasetColumnSpec[] {
  const constituents: DatasetColumnSpec[] = [];
  for (const { column, unit, what } of CONSTITUENT_FIELDS) {
    for (let k = 0; k < TOP_TAGGING_TOY_SLOTS; k++) {
      constituents.push({ name: `${column}_${k}`, unit, description: `Constituent ${k} ${what} (pT-ordered, 0 = padding: mask with fjet_clus_pt = 0).` });
    }
  }
  return [...constituents, ...LARGE_R_JET_FEATURE_COLUMNS];
}

/** Systematic variations of the test set, applied to the constituents; the jet features are recomputed after. */
export const TOP_TAGGING_TOY_VARIATIONS = [
  {
    name: 'ces_up',
    description: 'Cluster energy scale up: pT and E of every constituent × 1.01; jet kinematics and high-level features recomputed.',
    parameters: { energyScale: 1.01 },
    variation: (): ClusterVariation => ({ name: 'ces_up', kind: 'energy-scale', scale: 1.01 }),
  },
  {
    name: 'ces_down',
    description: 'Cluster energy scale down: pT and E of every constituent × 0.99; jet kinematics and high-level features recomputed.',
    parameters: { energyScale: 0.99 },
    variation: (): ClusterVariation => ({ name: 'ces_down', kind: 'energy-scale', scale: 0.99 }),
  },
  {
    name: 'cer',
    description:
      'Cluster energy resolution: pT and E of every constituent × (1 + N(0,1)·σ), σ = 2 % ⊕ 10 %/√(E/GeV) (seeded); constituents re-sorted by pT, features recomputed.',
    parameters: { constantTerm: 0.02, stochasticTermSqrtGeV: 0.1 },
    variation: (seed: number): ClusterVariation => ({ name: 'cer', kind: 'energy-resolution', constantTerm: 0.02, stochasticTermSqrtGeV: 0.1, seed }),
  },
  {
    name: 'cpos',
    description: 'Cluster position: η and φ of every constituent + N(0, 0.01) each (seeded), E = pT·cosh η; features recomputed.',
    parameters: { sigmaEta: 0.01, sigmaPhi: 0.01 },
    variation: (seed: number): ClusterVariation => ({ name: 'cpos', kind: 'position', sigmaEta: 0.01, sigmaPhi: 0.01, seed }),
  },
] as const;

/** pT bins of the training weights: 25 GeV wide over [300, 1100] GeV, under- and overflow in the edge bins. */
const WEIGHT_BINS = { lowMeV: 300_000, widthMeV: 25_000, count: 32 } as const;

export type BuildTopTaggingToyDatasetOptions = {
  outDir: string;
  /** Seed of every random stream (default 42). Same seed → same bytes, apart from `createdAt`. */
  seed?: number;
  /** Training jets (default 40 000). */
  trainJets?: number;
  /** Test jets (default 20 000); every variation holds the same jets. */
  testJets?: number;
  /** ISO timestamp for the manifest and Arrow metadata (default: now). */
  createdAt?: string;
  /** Dataset version label (default "1.0.0"). */
  version?: string;
  /** Write CSV exports beside the Arrow files (default false: 100 columns per jet make large CSV files). */
  writeCsv?: boolean;
  overwrite?: boolean;
  onProgress?: (message: string) => void;
};

/**
 * Builds the `top-tagging-toy` dataset version (TOY data, CC0-1.0): independent seeded train and test samples of
 * {@link generateTopTaggingToyJets} (50 % top, 50 % QCD), features computed from the stored constituents, and the
 * test set varied four times ({@link TOP_TAGGING_TOY_VARIATIONS}: `test@ces_up`, `test@ces_down`, `test@cer`,
 * `test@cpos`, same ids as the nominal test set). Train weight: 1 for top jets; for QCD jets the ratio of the top to
 * the QCD fjet_pt histogram (normalised densities, 25 GeV bins), rescaled to mean 1, so that the weighted QCD pT
 * spectrum matches the top one (the ATLAS `training_weights`). Test truth weight 1, so the expected yields are the
 * class counts of the test set. Train `event_id` 0…train−1, test `id` from train on.
 */
export async function buildTopTaggingToyDataset(options: BuildTopTaggingToyDatasetOptions): Promise<DatasetManifest> {
  const seed = options.seed ?? 42;
  const trainJets = options.trainJets ?? 40_000;
  const testJets = options.testJets ?? 20_000;
  const progress = options.onProgress ?? (() => {});
  assertOutDirAvailable(options.outDir, options.overwrite === true);

  let startedMs = performance.now();
  const train = generateTopTaggingToyJets({ seed, stream: 'train', jets: trainJets });
  const test = generateTopTaggingToyJets({ seed, stream: 'test', jets: testJets });
  let seconds = (performance.now() - startedMs) / 1000;
  progress(`generated ${trainJets + testJets} toy jets in ${seconds.toFixed(2)} s (${Math.round((trainJets + testJets) / seconds)} jets/s)`);

  startedMs = performance.now();
  const trainFeatures = featureColumnsOf(train.constituents);
  const testFeatures = featureColumnsOf(test.constituents);
  const testIds = Int32Array.from({ length: testJets }, (_, i) => trainJets + i);
  const testWeight = new Float64Array(testJets).fill(1);
  const variations: { name: string; test: TestTable; truth: TruthTable }[] = TOP_TAGGING_TOY_VARIATIONS.map((v) => ({
    name: v.name,
    test: { id: testIds, features: featureColumnsOf(applyClusterVariation(test.constituents, v.variation(seed))) },
    truth: { id: testIds, label: test.label, weight: testWeight },
  }));
  const jetsDone = trainJets + testJets * (1 + variations.length);
  seconds = (performance.now() - startedMs) / 1000;
  progress(`computed jet features of ${jetsDone} jets (nominal and ${variations.length} variations) in ${seconds.toFixed(2)} s (${Math.round(jetsDone / seconds)} jets/s)`);

  const trainIds = Int32Array.from({ length: trainJets }, (_, i) => i);
  const trainWeight = ptFlatteningWeights(trainFeatures.fjet_pt as Float32Array, train.label);
  const signal = test.label.reduce((sum, l) => sum + l, 0);
  return writeDatasetVersion({
    outDir: options.outDir,
    overwrite: options.overwrite,
    onProgress: progress,
    writeCsv: options.writeCsv ?? false,
    featureColumns: topTaggingToyFeatureColumns(),
    manifest: {
      dataset: TOP_TAGGING_TOY_DATASET_ID,
      version: options.version ?? '1.0.0',
      title: 'Top tagging toy: boosted top vs QCD large-R jets (generated)',
      isToy: true,
      createdAt: options.createdAt ?? new Date().toISOString(),
      pipelineVersion: PIPELINE_VERSION,
      description:
        'TOY large-R jets generated by HEP Arena, not an ATLAS simulation: hadronic top quarks (label 1, three-prong, mass near 173 GeV) against light ' +
        'QCD jets (label 0), truth pT 350–1000 GeV, |η| < 2, 50 % each. Columns follow the ATLAS top-tagging open data: the 20 hardest constituents ' +
        '(pT, η, φ, E in MeV, zero-padded), 15 high-level variables computed from them with simplified definitions (see each column), and the jet ' +
        '4-vector. Train weights flatten the QCD pT spectrum onto the top one. Test variations ces_up, ces_down, cer and cpos vary the constituents ' +
        'of the same test jets and recompute every feature.',
      licence: 'CC0-1.0',
      citation:
        `HEP Arena top-tagging toy generator (lib/pipeline/toy/top-tagging-toy.ts), pipeline ${PIPELINE_VERSION}, seed ${seed}. Columns and systematics modelled on ` +
        'ATLAS Collaboration, "Accuracy versus precision in boosted top tagging with the ATLAS detector", JINST 19 (2024) P08018, arXiv:2407.20127.',
      sources: [{ name: 'top-tagging-toy generator', note: `Seeded toy generator (xoshiro128** seeded by SplitMix64, seed ${seed}); no external input data.` }],
      recipe: {
        generator: 'lib/pipeline/toy/top-tagging-toy.ts',
        seed,
        trainJets,
        testJets,
        constituentSlots: TOP_TAGGING_TOY_SLOTS,
        parameters: TOP_TAGGING_TOY_PARAMETERS,
        acceptance: { train: train.acceptance, test: test.acceptance },
        trainingWeights: `1 for top jets; QCD: (top density / QCD density) of fjet_pt in ${WEIGHT_BINS.count} bins of ${WEIGHT_BINS.widthMeV / 1000} GeV from ${WEIGHT_BINS.lowMeV / 1000} GeV (edge bins take the under- and overflow), rescaled to mean 1`,
        testWeights: 1,
        variationSeed: seed,
        featurePrecision: 'float32; features computed in float64 from the stored float32 constituents',
      },
      luminosityFb: null,
      expectedYields: { signal, background: testJets - signal },
      fixedSplitColumn: null,
      missingValue: 0,
      variations: TOP_TAGGING_TOY_VARIATIONS.map((v) => ({ name: v.name, kind: 'parametrised' as const, description: v.description, parameters: { ...v.parameters } })),
    },
    train: { eventId: trainIds, features: trainFeatures, label: train.label, weight: trainWeight },
    test: { id: testIds, features: testFeatures },
    truth: { id: testIds, label: test.label, weight: testWeight },
    variations,
    display: buildLargeRJetDisplayTable(trainIds, trainFeatures, TOP_TAGGING_TOY_SLOTS),
  });
}

/** Constituent columns split out of the row-major arrays, plus the 19 computed jet columns. */
function featureColumnsOf(constituents: ConstituentArrays): Record<string, Float32Array> {
  const jets = constituents.pt.length / constituents.slots;
  const columns: Record<string, Float32Array> = {};
  for (const { field, column } of CONSTITUENT_FIELDS) {
    const source = constituents[field];
    for (let k = 0; k < constituents.slots; k++) {
      const target = new Float32Array(jets);
      for (let j = 0; j < jets; j++) target[j] = source[j * constituents.slots + k] as number;
      columns[`${column}_${k}`] = target;
    }
  }
  return { ...columns, ...computeLargeRJetFeatures(constituents) };
}

/**
 * Training weights: 1 for signal; for background the ratio of the signal to the background pT density in the
 * jet's bin (0 where no signal jet falls), rescaled so that the background weights average 1.
 */
export function ptFlatteningWeights(ptMeV: Float32Array, label: Uint8Array): Float64Array {
  const bin = (pt: number) => Math.min(WEIGHT_BINS.count - 1, Math.max(0, Math.floor((pt - WEIGHT_BINS.lowMeV) / WEIGHT_BINS.widthMeV)));
  const signal = new Float64Array(WEIGHT_BINS.count);
  const background = new Float64Array(WEIGHT_BINS.count);
  let nSignal = 0;
  let nBackground = 0;
  for (let i = 0; i < label.length; i++) {
    if (label[i] === 1) {
      const b = bin(ptMeV[i] as number);
      signal[b] = (signal[b] as number) + 1;
      nSignal++;
    } else {
      const b = bin(ptMeV[i] as number);
      background[b] = (background[b] as number) + 1;
      nBackground++;
    }
  }
  const weights = new Float64Array(label.length).fill(1);
  if (nSignal === 0 || nBackground === 0) return weights;
  let sum = 0;
  for (let i = 0; i < label.length; i++) {
    if (label[i] === 1) continue;
    const b = bin(ptMeV[i] as number);
    weights[i] = (signal[b] as number) / nSignal / ((background[b] as number) / nBackground);
    sum += weights[i] as number;
  }
  const scale = sum > 0 ? nBackground / sum : 1;
  for (let i = 0; i < label.length; i++) if (label[i] === 0) weights[i] = (weights[i] as number) * scale;
  return weights;
}

export { generateTopTaggingToyJets, TOP_TAGGING_TOY_PARAMETERS, TOP_TAGGING_TOY_SLOTS } from './generate-top-tagging-toy-jets';
