import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '@/lib/shared/app-error';
import { arrowTableToCsv, encodeArrowTable } from '@/lib/shared/arrow';
import { writeParquetTable } from '@/lib/shared/parquet';
import { arrowFileMetadata } from '../datasets/arrow-file-metadata';
import { collectDatasetFiles } from '../datasets/collect-dataset-files';
import { DER_COLUMN_NAMES, FAIR_MISSING_VALUE, PRI_COLUMN_NAMES, type PriColumns } from '../features/der-features';
import { numericColumnOrThrow, readFeatureTable } from '../io/read-feature-table';
import { PIPELINE_VERSION } from '../pipeline-version';
import { buildPseudoExperimentTables, PSEUDO_EXPERIMENT_COLUMN_SPECS, TRUTH_PE_NUISANCE_COLUMNS } from './pseudo-experiment-tables';
import { drawPseudoExperimentSettings, generatePseudoExperiment } from './pseudo-experiments';

export { TRUTH_PE_NUISANCE_COLUMNS } from './pseudo-experiment-tables';

export const PSEUDO_EXPERIMENTS_DATASET_ID = 'fair-universe-pseudo-experiments';

export type RunPseudoExperimentsFileOptions = {
  /** Parquet or CSV with the 16 PRI columns, `weights` and `detailed_labels` (or `labels`). */
  input: string;
  outDir: string;
  sets: number;
  experimentsPerSet: number;
  seed: number;
  /** Rescale the source weights to this total first; default: use them as they are. */
  expectedYield?: number;
  createdAt?: string;
  overwrite?: boolean;
  onProgress?: (message: string) => void;
};

export type PseudoExperimentsSummary = {
  outDir: string;
  sets: number;
  experimentsPerSet: number;
  seed: number;
  sourceRows: number;
  rows: Record<string, number>;
};

const PROCESSES = ['htautau', 'ztautau', 'ttbar', 'diboson'];

/**
 * `pipeline pseudo-experiments`: reads a FAIR-Universe-style table, draws `sets × experimentsPerSet` pseudo-experiments
 * ({@link drawPseudoExperimentSettings}, {@link generatePseudoExperiment}) and writes, atomically into `outDir`,
 * `pseudo_experiments.arrow` + `.csv` + `.parquet` (pe_id, 16 PRI + 12 DER features; no labels or weights), the server-only
 * `truth_pe.arrow` (pe_id, set_id, mu_true, one column per nuisance, n_events) and `manifest.json`.
 * pe_id = set · experimentsPerSet + experiment. Deterministic in the seed (and `createdAt`).
 */
export async function runPseudoExperimentsFile(options: RunPseudoExperimentsFileOptions): Promise<PseudoExperimentsSummary> {
  const progress = options.onProgress ?? (() => {});
  const { sets, experimentsPerSet, seed } = options;
  if (!(Number.isSafeInteger(seed) && seed >= 0)) throw new AppError('BAD_REQUEST', `seed must be an integer ≥ 0, got ${seed}.`);
  if (options.expectedYield !== undefined && !(options.expectedYield > 0 && Number.isFinite(options.expectedYield))) {
    throw new AppError('BAD_REQUEST', `expected yield must be a positive number, got ${options.expectedYield}.`);
  }
  if (sets * experimentsPerSet > 2 ** 31 - 1) throw new AppError('BAD_REQUEST', `${sets} × ${experimentsPerSet} pseudo-experiments do not fit 32-bit pe_ids.`);
  const settings = drawPseudoExperimentSettings(seed, sets, experimentsPerSet);

  const fileName = path.basename(options.input);
  const bytes = await fs.promises.readFile(options.input).catch((cause: NodeJS.ErrnoException) => {
    throw new AppError('NOT_FOUND', `Cannot read ${options.input}: ${cause.code ?? 'error'}; check the path.`, { file: options.input }, { cause });
  });
  const sourceSha256 = createHash('sha256').update(bytes).digest('hex');
  const table = await readFeatureTable(options.input);
  const n = table.numRows;
  if (n === 0) throw new AppError('INVALID_DATASET', `${fileName} has no rows.`, { file: fileName });
  const pri = Object.fromEntries(PRI_COLUMN_NAMES.map((name) => [name, numericColumnOrThrow(table, name, fileName)])) as PriColumns;
  const weights = numericColumnOrThrow(table, 'weights', fileName);
  const detailedLabels = processesOrThrow(table.columns, table.columnNames, fileName, n, progress);

  let signal = 0;
  let background = 0;
  for (let i = 0; i < n; i++) {
    const w = weights[i] as number;
    if (!(Number.isFinite(w) && w >= 0)) throw new AppError('INVALID_DATASET', `${fileName} row ${i + 1}: weights must be finite and ≥ 0, found ${w}.`, { file: fileName, row: i + 1, column: 'weights' });
    if (detailedLabels[i] === 'htautau') signal += w;
    else background += w;
  }
  if (!(signal > 0 && background > 0)) throw new AppError('INVALID_DATASET', `${fileName} needs signal (htautau) and background events with weight > 0.`, { file: fileName, column: 'weights' });
  const yieldScale = options.expectedYield === undefined ? 1 : options.expectedYield / (signal + background);
  progress(`read ${n} events from ${fileName}; generating ${sets} × ${experimentsPerSet} pseudo-experiments (seed ${seed}, expected ${((signal + background) * yieldScale).toFixed(1)} events at μ = 1)`);

  const source = { pri, weights, detailedLabels };
  const experiments = settings.map((s, index) => {
    const pe = generatePseudoExperiment(source, s, options.expectedYield === undefined ? {} : { expectedYield: options.expectedYield });
    if ((index + 1) % Math.max(1, Math.ceil(settings.length / 10)) === 0 || index + 1 === settings.length) {
      progress(`generated ${index + 1} of ${settings.length} pseudo-experiments`);
    }
    return pe;
  });

  const { events: peColumns, eventRows: totalRows, truth: truthColumns } = buildPseudoExperimentTables(settings, experiments);
  const columnSpecs = PSEUDO_EXPERIMENT_COLUMN_SPECS;
  const base = {
    dataset: PSEUDO_EXPERIMENTS_DATASET_ID,
    version: '1.0.0',
    title: 'FAIR-Universe pseudo-experiments (interval estimation of μ)',
    isToy: false,
    createdAt: options.createdAt ?? new Date().toISOString(),
    pipelineVersion: PIPELINE_VERSION,
    description:
      `${sets} sets × ${experimentsPerSet} pseudo-experiments from ${fileName}: μ per set uniform in [0.1, 3], nuisances per experiment from the ` +
      'FAIR-Universe priors, k_i ~ Poisson(norm · w_i) copies of each event, detector systematics and post-selection; events unweighted. ' +
      'pseudo_experiments holds the features per pe_id; truth_pe (server-only) holds mu_true and the nuisances.',
    licence: 'As the source table (FAIR-Universe: Zenodo record 15131565); check it before redistributing.',
    citation: 'FAIR-Universe collaboration, "FAIR Universe HiggsML Uncertainty Challenge Competition", arXiv:2410.02867.',
    sources: [{ name: fileName, sha256: sourceSha256, note: `${n} rows` }],
    recipe: {
      generator: 'lib/pipeline/systematics/run-pseudo-experiments-file.ts',
      seed,
      sets,
      experimentsPerSet,
      expectedYield: options.expectedYield ?? null,
      peIdRule: 'pe_id = set_id * experimentsPerSet + experiment',
      nuisances: TRUTH_PE_NUISANCE_COLUMNS.map(([column]) => column),
    },
    luminosityFb: null,
    expectedYields: { signal: signal * yieldScale, background: background * yieldScale },
    fixedSplitColumn: null,
    missingValue: FAIR_MISSING_VALUE,
    featureColumns: [...PRI_COLUMN_NAMES, ...DER_COLUMN_NAMES],
    columns: columnSpecs.map((c) => ({ name: c.name, unit: c.unit, description: c.description })),
  };
  const metadataFor = (role: string, columnNames: string[]) => arrowFileMetadata(base, { role, seed, columnNames, columnSpecs });

  const collected = collectDatasetFiles();
  const add = collected.add;
  progress(`encoding ${totalRows} pseudo-experiment events and ${settings.length} truth rows`);
  const peMetadata = metadataFor('pseudo_experiments', Object.keys(peColumns));
  add('pseudo_experiments.arrow', 'pseudo_experiments', 'arrow', totalRows, encodeArrowTable(peColumns, peMetadata), false);
  const csv = arrowTableToCsv({ numRows: totalRows, columnNames: Object.keys(peColumns), columns: peColumns, metadata: peMetadata });
  add('pseudo_experiments.csv', 'export', 'csv', totalRows, new TextEncoder().encode(csv), false);
  add('pseudo_experiments.parquet', 'export', 'parquet', totalRows, writeParquetTable(peColumns, peMetadata), false);
  add('truth_pe.arrow', 'truth_pe', 'arrow', settings.length, encodeArrowTable(truthColumns, metadataFor('truth_pe', Object.keys(truthColumns))), true);

  await collected.write(options.outDir, base, { overwrite: options.overwrite, onProgress: progress });
  return {
    outDir: path.resolve(options.outDir),
    sets,
    experimentsPerSet,
    seed,
    sourceRows: n,
    rows: Object.fromEntries(collected.files.map((f) => [f.name, f.rows])),
  };
}

/** Process per row from `detailed_labels`, or from `labels` (1 → htautau, 0 → generic background scaled by bkg_scale). */
function processesOrThrow(columns: Record<string, unknown>, columnNames: string[], fileName: string, n: number, progress: (m: string) => void): string[] {
  const detailed = columns.detailed_labels;
  if (detailed !== undefined) {
    if (!Array.isArray(detailed)) throw new AppError('INVALID_DATASET', `${fileName} column "detailed_labels" must be text (htautau, ztautau, ttbar, diboson).`, { file: fileName, column: 'detailed_labels' });
    for (let i = 0; i < n; i++) {
      if (!PROCESSES.includes(detailed[i] as string)) {
        throw new AppError('INVALID_DATASET', `${fileName} row ${i + 1}: detailed_labels "${String(detailed[i])}" is not one of ${PROCESSES.join(', ')}.`, { file: fileName, row: i + 1, column: 'detailed_labels' });
      }
    }
    return detailed as string[];
  }
  if (columns.labels === undefined) {
    throw new AppError('INVALID_DATASET', `${fileName} has no column "detailed_labels" (or "labels"); it has ${columnNames.join(', ')}.`, { file: fileName, column: 'detailed_labels' });
  }
  const labels = numericColumnOrThrow({ numRows: n, columnNames, columns: columns as never, metadata: {} }, 'labels', fileName);
  progress(`${fileName} has no detailed_labels: labels 1 → htautau (μ), 0 → background scaled by bkg_scale only`);
  return Array.from({ length: n }, (_, i) => {
    if (labels[i] === 1) return 'htautau';
    if (labels[i] === 0) return 'ztautau';
    throw new AppError('INVALID_DATASET', `${fileName} row ${i + 1}: labels must be 0 or 1, found ${labels[i]}.`, { file: fileName, row: i + 1, column: 'labels' });
  });
}
