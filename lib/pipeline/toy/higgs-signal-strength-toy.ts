import { AppError } from '@/lib/shared/app-error';
import { type ArrowColumn, arrowTableToCsv, encodeArrowTable } from '@/lib/shared/arrow';
import type { DatasetManifest } from '@/lib/shared/dataset-manifest';
import { writeParquetTable } from '@/lib/shared/parquet';
import { arrowFileMetadata } from '../datasets/arrow-file-metadata';
import { collectDatasetFiles } from '../datasets/collect-dataset-files';
import { assertOutDirAvailable, type DatasetColumnSpec, STANDARD_COLUMNS } from '../datasets/write-dataset-version';
import { DER_COLUMN_NAMES, DER_COLUMNS, FAIR_MISSING_VALUE, PRI_COLUMN_NAMES, PRI_COLUMNS, type PriColumns } from '../features/der-features';
import { PIPELINE_VERSION } from '../pipeline-version';
import { createRandomStream } from '../random/random-stream';
import { buildPseudoExperimentTables, PSEUDO_EXPERIMENT_COLUMN_SPECS, TRUTH_PE_NUISANCE_COLUMNS } from '../systematics/pseudo-experiment-tables';
import { drawPseudoExperimentSettings, generatePseudoExperiment } from '../systematics/pseudo-experiments';
import { generateHiggsTautauToyEvents, TOY_PARAMETERS, TOY_PROCESSES, type ToyEventTable, type ToyProcess } from './generate-higgs-tautau-toy-events';

export const HIGGS_SIGNAL_STRENGTH_TOY_DATASET_ID = 'higgs-signal-strength-toy';

/**
 * Expected events per pseudo-experiment at μ = 1 and nominal nuisances, by process (TOY numbers chosen so that μ
 * is measurable: 10 % signal). The train weights sum to the same yields.
 */
export const SIGNAL_STRENGTH_TOY_YIELDS: Readonly<Record<ToyProcess, number>> = { htautau: 100, ztautau: 800, ttbar: 100 };

export type BuildHiggsSignalStrengthToyDatasetOptions = {
  outDir: string;
  /** Seed of every random stream (default 42). Same seed → same bytes, apart from `createdAt`. */
  seed?: number;
  /** Labelled training events (default 30 000). */
  trainEvents?: number;
  /** Events of the separate toy sample the pseudo-experiments are drawn from (default 30 000). */
  sourceEvents?: number;
  /** Sets (one hidden μ each; default 20). */
  sets?: number;
  /** Pseudo-experiments per set (default 10). */
  experimentsPerSet?: number;
  /** ISO timestamp for the manifest and Arrow metadata (default: now). */
  createdAt?: string;
  /** Dataset version label (default "1.0.0"). */
  version?: string;
  /** Write train.csv and pseudo_experiments.csv beside the Arrow files (default true). */
  writeCsv?: boolean;
  overwrite?: boolean;
  onProgress?: (message: string) => void;
};

/**
 * Builds the `higgs-signal-strength-toy` dataset version (TOY data, CC0-1.0, missing value −25) for the
 * interval-estimation task:
 *
 * - `train.arrow` (+ Parquet, CSV): labelled events of the H→ττ toy generator ({@link generateHiggsTautauToyEvents}, stream
 *   "train": PRI + DER, label, weight, detailed_label, event_id), weights summing per process to
 *   {@link SIGNAL_STRENGTH_TOY_YIELDS}, i.e. to the expected content of one pseudo-experiment at μ = 1;
 * - `pseudo_experiments.arrow` (+ Parquet, CSV): `sets × experimentsPerSet` pseudo-experiments drawn with the FAIR-Universe
 *   machinery ({@link drawPseudoExperimentSettings}, {@link generatePseudoExperiment}: μ per set uniform in
 *   [0.1, 3], nuisances per experiment, k_i ~ Poisson(norm · w_i) copies, TES / JES / soft-MET and the
 *   post-selection; unweighted) from a separate toy sample (stream "pseudo-experiment-source") weighted to the same
 *   yields; pe_id + 28 features;
 * - `truth_pe.arrow` (server-only): pe_id, set_id, mu_true, the six nuisances, n_events.
 *
 * The toy has no diboson process, so `diboson_scale` is drawn (and kept in truth_pe) but acts on nothing.
 */
export async function buildHiggsSignalStrengthToyDataset(options: BuildHiggsSignalStrengthToyDatasetOptions): Promise<DatasetManifest> {
  const seed = options.seed ?? 42;
  const trainEvents = options.trainEvents ?? 30_000;
  const sourceEvents = options.sourceEvents ?? 30_000;
  const sets = options.sets ?? 20;
  const experimentsPerSet = options.experimentsPerSet ?? 10;
  const progress = options.onProgress ?? (() => {});
  if (sets * experimentsPerSet > 2 ** 31 - 1) throw new AppError('BAD_REQUEST', `${sets} × ${experimentsPerSet} pseudo-experiments do not fit 32-bit pe_ids.`);
  assertOutDirAvailable(options.outDir, options.overwrite === true);
  const settings = drawPseudoExperimentSettings(seed, sets, experimentsPerSet);

  let startedMs = performance.now();
  const train = reweightToYields(generateHiggsTautauToyEvents({ seed, stream: 'train', events: trainEvents, luminosityFb: 10 }));
  const source = reweightToYields(generateHiggsTautauToyEvents({ seed, stream: 'pseudo-experiment-source', events: sourceEvents, luminosityFb: 10 }));
  progress(`generated ${trainEvents} training and ${sourceEvents} source toy events in ${((performance.now() - startedMs) / 1000).toFixed(2)} s`);

  startedMs = performance.now();
  const pri: PriColumns = source.features;
  const experiments = settings.map((s, index) => {
    const pe = generatePseudoExperiment({ pri, weights: source.weight, detailedLabels: source.detailedLabel }, s);
    if ((index + 1) % Math.max(1, Math.ceil(settings.length / 10)) === 0 || index + 1 === settings.length) {
      progress(`generated ${index + 1} of ${settings.length} pseudo-experiments`);
    }
    return pe;
  });
  // Shuffled ids, as the FAIR-Universe ingestion shuffles (set, experiment) pairs: a pe_id does not reveal its set.
  const peIds = createRandomStream(seed, 'pseudo-experiments/pe-ids').permutation(settings.length);
  const tables = buildPseudoExperimentTables(settings, experiments, peIds);
  const seconds = (performance.now() - startedMs) / 1000;
  progress(`${settings.length} pseudo-experiments with ${tables.eventRows} events in ${seconds.toFixed(2)} s`);

  const trainColumns: Record<string, ArrowColumn> = { event_id: Int32Array.from({ length: trainEvents }, (_, i) => i) };
  for (const name of [...PRI_COLUMN_NAMES, ...DER_COLUMN_NAMES]) trainColumns[name] = train.features[name];
  trainColumns.label = train.label;
  trainColumns.weight = train.weight;
  trainColumns.detailed_label = train.detailedLabel;

  const columnSpecs: DatasetColumnSpec[] = [
    STANDARD_COLUMNS.event_id as DatasetColumnSpec,
    { name: 'pe_id', unit: '', description: 'Pseudo-experiment id, in a seeded random order that hides which experiments share a set; one interval per pe_id.' },
    ...PRI_COLUMNS,
    ...DER_COLUMNS,
    { ...(STANDARD_COLUMNS.label as DatasetColumnSpec), description: '1 for signal (htautau), 0 for background (ztautau, ttbar).' },
    {
      name: 'weight',
      unit: 'events',
      description: `Event weight: per process the train weights sum to the expected events of one pseudo-experiment at μ = 1 (${TOY_PROCESSES.map((p) => `${p} ${SIGNAL_STRENGTH_TOY_YIELDS[p]}`).join(', ')}).`,
    },
    STANDARD_COLUMNS.detailed_label as DatasetColumnSpec,
    ...PSEUDO_EXPERIMENT_COLUMN_SPECS.filter((c) => c.name !== 'pe_id' && !PRI_COLUMN_NAMES.includes(c.name as never) && !DER_COLUMN_NAMES.includes(c.name as never)),
  ];
  const createdAt = options.createdAt ?? new Date().toISOString();
  const version = options.version ?? '1.0.0';
  const signalYield = SIGNAL_STRENGTH_TOY_YIELDS.htautau;
  const backgroundYield = SIGNAL_STRENGTH_TOY_YIELDS.ztautau + SIGNAL_STRENGTH_TOY_YIELDS.ttbar;
  const base = {
    dataset: HIGGS_SIGNAL_STRENGTH_TOY_DATASET_ID,
    version,
    title: 'H→ττ signal-strength toy: pseudo-experiments for interval estimation (generated)',
    isToy: true,
    createdAt,
    pipelineVersion: PIPELINE_VERSION,
    description:
      'TOY events generated by HEP Arena, not a physics simulation: the lepton + hadronic-tau H→ττ toy with the 16 PRI and 12 DER features of the ' +
      `FAIR-Universe HiggsML Uncertainty Challenge (GeV, rad; −25 = undefined). train: ${trainEvents} labelled events whose weights sum per process ` +
      `to the expected content of one pseudo-experiment at μ = 1: ${signalYield} signal (htautau) and ${backgroundYield} background (ztautau ` +
      `${SIGNAL_STRENGTH_TOY_YIELDS.ztautau}, ttbar ${SIGNAL_STRENGTH_TOY_YIELDS.ttbar}) events, 10 % signal. pseudo_experiments: ${sets} sets × ` +
      `${experimentsPerSet} pseudo-experiments (μ per set uniform in [0.1, 3], nuisances tes, jes, soft_met, ttbar_scale, diboson_scale, bkg_scale ` +
      'per experiment from the FAIR-Universe priors; Poisson copies of a separate toy sample, detector systematics, post-selection; unweighted). ' +
      'truth_pe (server-only) holds mu_true and the nuisances per pe_id.',
    licence: 'CC0-1.0',
    citation:
      `HEP Arena higgs-signal-strength-toy generator (lib/pipeline/toy/higgs-signal-strength-toy.ts), pipeline ${PIPELINE_VERSION}, seed ${seed}. ` +
      'Task, priors and scoring: FAIR-Universe HiggsML Uncertainty Challenge, arXiv:2410.02867.',
    sources: [{ name: 'higgs-tautau-toy generator', note: `Seeded toy generator (xoshiro128** seeded by SplitMix64, seed ${seed}); no external input data.` }],
    recipe: {
      generator: 'lib/pipeline/toy/higgs-signal-strength-toy.ts',
      seed,
      trainEvents,
      sourceEvents,
      sets,
      experimentsPerSet,
      yieldsAtMuOne: SIGNAL_STRENGTH_TOY_YIELDS,
      eventsByProcess: { train: train.eventsByProcess, source: source.eventsByProcess },
      peIdRule: 'seeded random permutation of the (set, experiment) pairs (stream "pseudo-experiments/pe-ids"); truth_pe maps pe_id to set_id',
      muPrior: 'uniform in [0.1, 3] per set',
      nuisances: TRUTH_PE_NUISANCE_COLUMNS.map(([column]) => column),
      totalPseudoExperimentEvents: tables.eventRows,
      generatorParameters: TOY_PARAMETERS,
    },
    luminosityFb: null,
    expectedYields: { signal: signalYield, background: backgroundYield },
    fixedSplitColumn: null,
    missingValue: FAIR_MISSING_VALUE,
    featureColumns: [...PRI_COLUMN_NAMES, ...DER_COLUMN_NAMES],
    columns: columnSpecs.map((c) => ({ name: c.name, unit: c.unit, description: c.description })),
  };
  const metadataFor = (role: string, columnNames: string[]) =>
    arrowFileMetadata(base, { role, seed, columnNames, columnSpecs }, { is_toy: 'true', created_at: createdAt });

  const collected = collectDatasetFiles();
  const add = collected.add;
  const writeCsv = options.writeCsv !== false;
  progress(`encoding ${trainEvents} training events, ${tables.eventRows} pseudo-experiment events and ${settings.length} truth rows`);
  for (const table of [
    { name: 'train', role: 'train' as const, columns: trainColumns, rows: trainEvents },
    { name: 'pseudo_experiments', role: 'pseudo_experiments' as const, columns: tables.events, rows: tables.eventRows },
  ]) {
    const metadata = metadataFor(table.name, Object.keys(table.columns));
    add(`${table.name}.arrow`, table.role, 'arrow', table.rows, encodeArrowTable(table.columns, metadata), false);
    // Parquet for every dataset (the data page offers it everywhere); CSV unless turned off.
    add(`${table.name}.parquet`, 'export', 'parquet', table.rows, writeParquetTable(table.columns, metadata), false);
    if (writeCsv) {
      const csv = arrowTableToCsv({ numRows: table.rows, columnNames: Object.keys(table.columns), columns: table.columns, metadata });
      add(`${table.name}.csv`, 'export', 'csv', table.rows, new TextEncoder().encode(csv), false);
    }
  }
  add('truth_pe.arrow', 'truth_pe', 'arrow', settings.length, encodeArrowTable(tables.truth, metadataFor('truth_pe', Object.keys(tables.truth))), true);

  const manifest = await collected.write(options.outDir, base, { overwrite: options.overwrite, onProgress: progress });
  return manifest;
}

/** Sets every event's weight to Y_p / N_p, so each process sums to its {@link SIGNAL_STRENGTH_TOY_YIELDS} entry. */
function reweightToYields(table: ToyEventTable): ToyEventTable {
  const weight = new Float64Array(table.numRows);
  const perEvent = Object.fromEntries(TOY_PROCESSES.map((p) => [p, SIGNAL_STRENGTH_TOY_YIELDS[p] / table.eventsByProcess[p]])) as Record<ToyProcess, number>;
  table.detailedLabel.forEach((process, i) => {
    weight[i] = perEvent[process as ToyProcess];
  });
  return { ...table, weight };
}
