import { AppError } from '@/lib/shared/app-error';
import { PRI_COLUMN_NAMES, type DerColumnName, type PriColumnName, type PriColumns } from '../features/der-features';
import { createRandomStream, type RandomStream } from '../random/random-stream';
import { applyDetectorSystematics } from './detector-systematics';

/**
 * Pseudo-experiments for interval challenges (FAIR-Universe ingestion, ../shared/docs/DATA.md "Pseudo-experiments";
 * shared/research/metrics-and-data.md §1.5): per set a hidden μ ~ U[0.1, 3]; per experiment nuisances drawn from
 * their priors and clipped; each test event i repeated k_i ~ Poisson(norm_process · w_i) times, with the weights
 * first scaled so that they sum to the expected yield; then TES / JES / soft-MET and the post-selection are applied
 * and the events are shuffled, unweighted. All randomness derives from one explicit seed through named streams,
 * so experiment (s, e) is the same whatever else is generated. (numpy's RandomState streams are not reproduced.)
 */
export type PseudoExperimentSettings = {
  set: number;
  experiment: number;
  mu: number;
  tes: number;
  jes: number;
  softMet: number;
  ttbarScale: number;
  dibosonScale: number;
  bkgScale: number;
  /** Seed of this experiment's Poisson copies, soft-MET noise and shuffle. */
  seed: number;
};

const clip = (x: number, low: number, high: number) => Math.min(high, Math.max(low, x));

/** FAIR-Universe priors: name → draw (in this order) from a stream. */
export const NUISANCE_PRIORS = {
  tes: (r: RandomStream) => clip(r.normal(1, 0.01), 0.9, 1.1),
  jes: (r: RandomStream) => clip(r.normal(1, 0.01), 0.9, 1.1),
  softMet: (r: RandomStream) => clip(Math.exp(r.normal(0, 1)), 0, 5),
  ttbarScale: (r: RandomStream) => clip(r.normal(1, 0.02), 0.8, 1.2),
  dibosonScale: (r: RandomStream) => clip(r.normal(1, 0.25), 0, 2),
  bkgScale: (r: RandomStream) => clip(r.normal(1, 0.001), 0.99, 1.01),
} as const;

/** Draws μ per set and the nuisances of every experiment, reproducibly from `seed`. */
export function drawPseudoExperimentSettings(seed: number, sets: number, experimentsPerSet: number): PseudoExperimentSettings[] {
  if (!(Number.isInteger(sets) && sets >= 1 && Number.isInteger(experimentsPerSet) && experimentsPerSet >= 1)) {
    throw new AppError('BAD_REQUEST', `sets and experiments per set must be integers ≥ 1, got ${sets} and ${experimentsPerSet}.`);
  }
  const muStream = createRandomStream(seed, 'pseudo-experiments/mu');
  const out: PseudoExperimentSettings[] = [];
  for (let set = 0; set < sets; set++) {
    const mu = muStream.uniform(0.1, 3);
    for (let experiment = 0; experiment < experimentsPerSet; experiment++) {
      const r = createRandomStream(seed, `pseudo-experiments/${set}/${experiment}/nuisances`);
      out.push({
        set,
        experiment,
        mu,
        tes: NUISANCE_PRIORS.tes(r),
        jes: NUISANCE_PRIORS.jes(r),
        softMet: NUISANCE_PRIORS.softMet(r),
        ttbarScale: NUISANCE_PRIORS.ttbarScale(r),
        dibosonScale: NUISANCE_PRIORS.dibosonScale(r),
        bkgScale: NUISANCE_PRIORS.bkgScale(r),
        seed: r.integer(2 ** 31),
      });
    }
  }
  return out;
}

export type PseudoExperimentSource = {
  pri: PriColumns;
  weights: ArrayLike<number>;
  /** Process per event: htautau (signal), ztautau, ttbar, diboson. */
  detailedLabels: readonly string[];
};

export type PseudoExperiment = {
  settings: PseudoExperimentSettings;
  pri: Record<PriColumnName, Float32Array>;
  der: Record<DerColumnName, Float32Array>;
  /** Source event of each row (after copies, selection and shuffle). */
  sourceRows: Int32Array;
  /** Σ norm·w over the source: the expected number of events before the post-selection. */
  expectedEvents: number;
};

const PROCESSES = new Set(['htautau', 'ztautau', 'ttbar', 'diboson']);

/** Normalisation of a process in a pseudo-experiment (μ for the signal, the scales for the backgrounds). */
export function processNormalisation(process: string, s: Pick<PseudoExperimentSettings, 'mu' | 'ttbarScale' | 'dibosonScale' | 'bkgScale'>): number {
  if (process === 'htautau') return s.mu;
  if (process === 'ttbar') return s.ttbarScale * s.bkgScale;
  if (process === 'diboson') return s.dibosonScale * s.bkgScale;
  return s.bkgScale;
}

/**
 * Generates one pseudo-experiment from a (test) source. `expectedYield` rescales the source weights to that total
 * first (FAIR-Universe: the 10 fb⁻¹ yield, 1,051,433 events); without it the weights are used as they are.
 */
export function generatePseudoExperiment(source: PseudoExperimentSource, settings: PseudoExperimentSettings, options: { expectedYield?: number } = {}): PseudoExperiment {
  const n = source.weights.length;
  if (source.detailedLabels.length !== n || source.pri.PRI_lep_pt.length !== n) {
    throw new AppError('INVALID_DATASET', `pseudo-experiment source: ${n} weights, ${source.detailedLabels.length} labels and ${source.pri.PRI_lep_pt.length} events must agree.`);
  }
  let total = 0;
  for (let i = 0; i < n; i++) {
    const w = source.weights[i] as number;
    if (!(w >= 0 && Number.isFinite(w))) throw new AppError('INVALID_DATASET', `pseudo-experiment source row ${i}: weight must be finite and ≥ 0, found ${w}.`, { row: i });
    if (!PROCESSES.has(source.detailedLabels[i] as string)) {
      throw new AppError('INVALID_DATASET', `pseudo-experiment source row ${i}: unknown process "${source.detailedLabels[i]}"; expected htautau, ztautau, ttbar or diboson.`, { row: i });
    }
    total += w;
  }
  const scale = options.expectedYield === undefined ? 1 : options.expectedYield / total;
  const poisson = createRandomStream(settings.seed, 'poisson');
  const copies: number[] = [];
  let expectedEvents = 0;
  for (let i = 0; i < n; i++) {
    const mean = processNormalisation(source.detailedLabels[i] as string, settings) * (source.weights[i] as number) * scale;
    expectedEvents += mean;
    const k = poisson.poissonExact(mean);
    for (let c = 0; c < k; c++) copies.push(i);
  }
  const order = createRandomStream(settings.seed, 'shuffle').permutation(copies.length);
  const rows = Int32Array.from(order, (j) => copies[j] as number);
  const pri = Object.fromEntries(PRI_COLUMN_NAMES.map((name) => [name, Float32Array.from(rows, (r) => source.pri[name][r] as number)])) as unknown as PriColumns;
  const result = applyDetectorSystematics(pri, { tes: settings.tes, jes: settings.jes, softMet: settings.softMet, seed: settings.seed });
  return { settings, pri: result.pri, der: result.der, sourceRows: Int32Array.from(result.keptRows, (k) => rows[k] as number), expectedEvents };
}
