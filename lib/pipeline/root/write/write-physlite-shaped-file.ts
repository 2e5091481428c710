import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '@/lib/shared/app-error';
import { createRandomStream, type RandomStream } from '../../random/random-stream';
import type { TreeBranchSpec } from './branch-types';
import type { RootCompressionSettings } from './compress-root-payload';
import type { BranchColumn } from './branch-writers';
import { createRootFile } from './create-root-file';
import type { TreeColumnBatch } from './ttree-writer';

/** The tree of a PHYSLITE file. */
export const PHYSLITE_TREE_NAME = 'CollectionTree';

const floats = (prefix: string, names: readonly string[]): TreeBranchSpec[] => names.map((n) => ({ name: `${prefix}.${n}`, kind: 'vector', type: 'float32' }));
const eventInfo = (name: string, type: 'uint32' | 'uint64' | 'float32', letter: string): TreeBranchSpec => ({
  name: `EventInfoAuxDyn.${name}`,
  kind: 'number',
  type,
  leafName: name,
  title: `${name}/${letter}`,
});

/**
 * The 30 branches of a PHYSLITE-shaped file, with the names, C++ types and layouts of PHYSLITE_example.root: the
 * xAOD dynamic-store branches a lep-had (or Z→ℓℓ) analysis reads — electron, muon, tau, jet and photon kinematics
 * and charges as `vector<float>`, the MET_Core terms, and the EventInfo numbers (`ULong64_t`, `unsigned int` and
 * `float` leaves named as ATLAS names them) with `mcEventWeights` as `vector<float>`. They are the branches of the
 * pipeline benchmark (bench/pipeline.ts), in the fixture's order of collections.
 */
export const PHYSLITE_SHAPED_BRANCHES: readonly TreeBranchSpec[] = [
  ...floats('AnalysisElectronsAuxDyn', ['pt', 'eta', 'phi', 'm', 'charge']),
  ...floats('AnalysisJetsAuxDyn', ['pt', 'eta', 'phi', 'm']),
  ...floats('AnalysisPhotonsAuxDyn', ['pt', 'eta', 'phi']),
  ...floats('AnalysisTauJetsAuxDyn', ['pt', 'eta', 'phi', 'm', 'charge']),
  eventInfo('eventNumber', 'uint64', 'l'),
  eventInfo('actualInteractionsPerCrossing', 'float32', 'F'),
  eventInfo('averageInteractionsPerCrossing', 'float32', 'F'),
  eventInfo('mcChannelNumber', 'uint32', 'i'),
  eventInfo('runNumber', 'uint32', 'i'),
  { name: 'EventInfoAuxDyn.mcEventWeights', kind: 'vector', type: 'float32' },
  ...floats('MET_Core_AnalysisMETAuxDyn', ['mpx', 'mpy', 'sumet']),
  ...floats('AnalysisMuonsAuxDyn', ['pt', 'eta', 'phi', 'charge']),
];

export type WritePhysliteShapedFileOptions = {
  out: string;
  events: number;
  seed: number;
  compression?: RootCompressionSettings;
  /** EventInfo mcChannelNumber (the DSID a build's sample table must list). Default 700322, the fixture's. */
  dsid?: number;
  /** EventInfo runNumber (the MC campaign's run number). Default 300000, the fixture's. */
  runNumber?: number;
  /** Length of mcEventWeights per event (nominal + systematic variations). Default 10. */
  mcEventWeightCount?: number;
  /**
   * Fraction of events made as a τ_lep τ_had decay (a lepton and an opposite-charge hadronic tau); the others hold
   * random leptons, fake taus and jets. Default 0.3, with which the lep-had selection keeps about 17 % of the events.
   */
  lepHadFraction?: number;
  basketSizeBytes?: number;
  /** Events generated and appended per batch (memory). Default 10000. */
  batchEvents?: number;
  modifiedAt?: Date;
  onProgress?: (message: string) => void;
};

export type PhysliteShapedFileSummary = { out: string; tree: string; events: number; branches: number; sizeBytes: number; seconds: number };

const GEV = 1000;
const ELECTRON_MASS_MEV = 0.511;

/** A collection under construction: per object pt (MeV), eta, phi, and per collection extras. */
type Particle = { pt: number; eta: number; phi: number; m: number; charge: number };

class Jagged {
  readonly columns: number[][];
  readonly offsets: number[] = [0];
  constructor(width: number) {
    this.columns = Array.from({ length: width }, () => []);
  }
  push(values: readonly number[][]): void {
    const n = values[0]?.length ?? 0;
    values.forEach((column, c) => (this.columns[c] as number[]).push(...column));
    this.offsets.push((this.offsets.at(-1) as number) + n);
  }
}

function wrapPhi(phi: number): number {
  let p = phi;
  while (p > Math.PI) p -= 2 * Math.PI;
  while (p <= -Math.PI) p += 2 * Math.PI;
  return p;
}

function clippedEta(random: RandomStream, sd: number, max: number): number {
  for (;;) {
    const eta = random.normal(0, sd);
    if (Math.abs(eta) < max) return eta;
  }
}

/** A falling pT spectrum above `minimum` (GeV): minimum · u^(−1/index), cut at 3 TeV. */
function powerLawPt(random: RandomStream, minimum: number, index: number): number {
  return Math.min(minimum * Math.pow(1 - random.nextFloat(), -1 / index), 3000) * GEV;
}

function byPt(a: Particle, b: Particle): number {
  return b.pt - a.pt;
}

function columnsOf(particles: Particle[], fields: readonly (keyof Particle)[]): number[][] {
  particles.sort(byPt);
  return fields.map((f) => particles.map((p) => p[f]));
}

/**
 * Writes a seeded PHYSLITE-shaped ROOT file of any size: tree `CollectionTree` with {@link PHYSLITE_SHAPED_BRANCHES}
 * (names and types as in ATLAS PHYSLITE), filled batch by batch so memory does not grow with `events`.
 *
 * Events are physically plausible at the level the lep-had build looks at (MeV, pT-ordered collections): a fraction
 * are τ_lep τ_had decays (an electron or muon of 12 GeV and up, a hadronic tau of opposite charge roughly back to
 * back), the rest hold random soft leptons; every event has fake taus, photons, jets from a falling spectrum above
 * 20 GeV, two MET_Core soft terms, pile-up ⟨μ⟩ in half-integer steps and positive MC weights. The same seed gives
 * the same bytes.
 */
export async function writePhysliteShapedFile(options: WritePhysliteShapedFileOptions): Promise<PhysliteShapedFileSummary> {
  const { out, events } = options;
  const batches = physliteShapedBatches(options);
  const started = performance.now();
  // Written beside the target and renamed at the end, so that an interrupted run never leaves a truncated file at `out`.
  const temporary = `${out}.tmp-${randomBytes(6).toString('hex')}`;
  const file = await createRootFile(temporary, { compression: options.compression, modifiedAt: options.modifiedAt, fileName: path.basename(out) });
  try {
    const tree = file.addTree({ name: PHYSLITE_TREE_NAME, title: PHYSLITE_TREE_NAME, branches: PHYSLITE_SHAPED_BRANCHES, basketSizeBytes: options.basketSizeBytes });
    for (const batch of batches) {
      tree.appendColumns(batch);
      const done = tree.entries;
      if (events >= 100_000 && (done % 100_000 < (options.batchEvents ?? DEFAULT_BATCH_EVENTS) || done === events)) {
        options.onProgress?.(`${done} / ${events} events (${Math.round(done / ((performance.now() - started) / 1000))} events/s)`);
      }
    }
    file.close();
    fs.renameSync(temporary, out);
  } catch (error) {
    file.abort();
    throw error;
  }
  return { out, tree: PHYSLITE_TREE_NAME, events, branches: PHYSLITE_SHAPED_BRANCHES.length, sizeBytes: fs.statSync(out).size, seconds: (performance.now() - started) / 1000 };
}

const DEFAULT_BATCH_EVENTS = 10_000;

/**
 * The events of {@link writePhysliteShapedFile} as column batches of {@link PHYSLITE_SHAPED_BRANCHES}, generated
 * lazily (for writers and benchmarks that fill a tree themselves). Validates the options first (AppError('BAD_REQUEST')).
 */
export function physliteShapedBatches(options: Omit<WritePhysliteShapedFileOptions, 'out' | 'compression' | 'basketSizeBytes' | 'modifiedAt' | 'onProgress'>): Generator<TreeColumnBatch, void, void> {
  const { events, seed } = options;
  if (!(Number.isSafeInteger(events) && events >= 0)) throw new AppError('BAD_REQUEST', `events must be a whole number ≥ 0, got ${events}.`, { found: String(events) });
  if (!(Number.isSafeInteger(seed) && seed >= 0)) throw new AppError('BAD_REQUEST', `seed must be a whole number ≥ 0, got ${seed}.`, { found: String(seed) });
  const dsid = options.dsid ?? 700322;
  const runNumber = options.runNumber ?? 300000;
  for (const [name, value] of [['dsid', dsid], ['runNumber', runNumber]] as const) {
    if (!(Number.isInteger(value) && value >= 0 && value <= 0xffffffff)) throw new AppError('BAD_REQUEST', `${name} must be an unsigned 32-bit integer, got ${value}.`, { found: String(value) });
  }
  const weightCount = options.mcEventWeightCount ?? 10;
  if (!(Number.isInteger(weightCount) && weightCount >= 1 && weightCount <= 10000)) throw new AppError('BAD_REQUEST', `mcEventWeightCount must be an integer from 1 to 10000, got ${weightCount}.`, { found: String(weightCount) });
  const lepHadFraction = options.lepHadFraction ?? 0.3;
  if (!(lepHadFraction >= 0 && lepHadFraction <= 1)) throw new AppError('BAD_REQUEST', `lepHadFraction must lie in [0, 1], got ${lepHadFraction}.`, { found: String(lepHadFraction) });
  const batchEvents = options.batchEvents ?? DEFAULT_BATCH_EVENTS;
  if (!(Number.isInteger(batchEvents) && batchEvents >= 1)) throw new AppError('BAD_REQUEST', `batchEvents must be a positive integer, got ${batchEvents}.`, { found: String(batchEvents) });
  return (function* generate() {
    const random = createRandomStream(seed, 'physlite-shaped-file');
    const firstEventNumber = 1 + random.integer(1_000_000) * 1000;
    for (let done = 0; done < events; done += batchEvents) {
      yield generateBatch(random, done, Math.min(batchEvents, events - done), { dsid, runNumber, weightCount, lepHadFraction, firstEventNumber });
    }
  })();
}

function generateBatch(
  random: RandomStream,
  first: number,
  n: number,
  settings: { dsid: number; runNumber: number; weightCount: number; lepHadFraction: number; firstEventNumber: number },
): TreeColumnBatch {
  const electrons = new Jagged(5);
  const muons = new Jagged(4);
  const taus = new Jagged(5);
  const jets = new Jagged(4);
  const photons = new Jagged(3);
  const met = new Jagged(3);
  const weights = new Jagged(1);
  const eventNumber = new BigUint64Array(n);
  const mu = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const e: Particle[] = [];
    const m: Particle[] = [];
    const t: Particle[] = [];
    const lepton = (isElectron: boolean, pt: number, phi: number, charge: number) => {
      const particle = { pt, eta: clippedEta(random, 1.2, isElectron ? 2.47 : 2.7), phi: wrapPhi(phi), m: isElectron ? ELECTRON_MASS_MEV : 0, charge };
      (isElectron ? e : m).push(particle);
      return particle;
    };
    if (random.nextFloat() < settings.lepHadFraction) {
      const charge = random.nextFloat() < 0.5 ? -1 : 1;
      const l = lepton(random.nextFloat() < 0.5, (12 + random.exponential(18)) * GEV, random.uniform(-Math.PI, Math.PI), charge);
      t.push({ pt: (15 + random.exponential(25)) * GEV, eta: clippedEta(random, 1.2, 2.5), phi: wrapPhi(l.phi + Math.PI + random.normal(0, 0.6)), m: 0, charge: random.nextFloat() < 0.95 ? -charge : charge });
    }
    for (let k = random.poisson(0.25); k > 0; k--) lepton(true, (4.5 + random.exponential(10)) * GEV, random.uniform(-Math.PI, Math.PI), random.nextFloat() < 0.5 ? -1 : 1);
    for (let k = random.poisson(0.25); k > 0; k--) lepton(false, (3 + random.exponential(10)) * GEV, random.uniform(-Math.PI, Math.PI), random.nextFloat() < 0.5 ? -1 : 1);
    for (let k = random.poisson(0.6); k > 0; k--) {
      t.push({ pt: (13 + random.exponential(12)) * GEV, eta: clippedEta(random, 1.3, 2.5), phi: random.uniform(-Math.PI, Math.PI), m: 0, charge: random.nextFloat() < 0.5 ? -1 : 1 });
    }
    const j: Particle[] = [];
    for (let k = random.poisson(3.5); k > 0; k--) {
      const pt = powerLawPt(random, 20, 2.8);
      j.push({ pt, eta: clippedEta(random, 2.0, 4.5), phi: random.uniform(-Math.PI, Math.PI), m: pt * random.uniform(0.04, 0.2), charge: 0 });
    }
    const g: Particle[] = [];
    for (let k = random.poisson(0.3); k > 0; k--) g.push({ pt: (10 + random.exponential(15)) * GEV, eta: clippedEta(random, 1.2, 2.37), phi: random.uniform(-Math.PI, Math.PI), m: 0, charge: 0 });
    electrons.push(columnsOf(e, ['pt', 'eta', 'phi', 'm', 'charge']));
    photons.push(columnsOf(g, ['pt', 'eta', 'phi']));
    muons.push(columnsOf(m, ['pt', 'eta', 'phi', 'charge']));
    taus.push(columnsOf(t, ['pt', 'eta', 'phi', 'm', 'charge']));
    jets.push(columnsOf(j, ['pt', 'eta', 'phi', 'm']));
    met.push([
      [random.normal(0, 8) * GEV, random.normal(0, 4) * GEV],
      [random.normal(0, 8) * GEV, random.normal(0, 4) * GEV],
      [random.uniform(100, 600) * GEV, random.uniform(20, 80) * GEV],
    ]);
    const nominal = Math.exp(random.normal(0, 0.1));
    const w = [nominal];
    for (let k = 1; k < settings.weightCount; k++) w.push(nominal * Math.max(0.05, 1 + random.normal(0, 0.05)));
    weights.push([w]);
    eventNumber[i] = BigInt(settings.firstEventNumber + first + i);
    mu[i] = Math.floor(Math.min(80, Math.max(10, random.normal(35, 12)))) + 0.5;
  }
  const vector = (jagged: Jagged, c: number) => ({ values: Float32Array.from(jagged.columns[c] as number[]), offsets: Int32Array.from(jagged.offsets) });
  const columns: Record<string, BranchColumn> = {
    'EventInfoAuxDyn.eventNumber': eventNumber,
    'EventInfoAuxDyn.actualInteractionsPerCrossing': mu,
    'EventInfoAuxDyn.averageInteractionsPerCrossing': mu,
    'EventInfoAuxDyn.mcChannelNumber': new Uint32Array(n).fill(settings.dsid),
    'EventInfoAuxDyn.runNumber': new Uint32Array(n).fill(settings.runNumber),
    'EventInfoAuxDyn.mcEventWeights': vector(weights, 0),
  };
  ['pt', 'eta', 'phi', 'm', 'charge'].forEach((f, c) => (columns[`AnalysisElectronsAuxDyn.${f}`] = vector(electrons, c)));
  ['pt', 'eta', 'phi', 'charge'].forEach((f, c) => (columns[`AnalysisMuonsAuxDyn.${f}`] = vector(muons, c)));
  ['pt', 'eta', 'phi', 'm', 'charge'].forEach((f, c) => (columns[`AnalysisTauJetsAuxDyn.${f}`] = vector(taus, c)));
  ['pt', 'eta', 'phi', 'm'].forEach((f, c) => (columns[`AnalysisJetsAuxDyn.${f}`] = vector(jets, c)));
  ['pt', 'eta', 'phi'].forEach((f, c) => (columns[`AnalysisPhotonsAuxDyn.${f}`] = vector(photons, c)));
  ['mpx', 'mpy', 'sumet'].forEach((f, c) => (columns[`MET_Core_AnalysisMETAuxDyn.${f}`] = vector(met, c)));
  return columns;
}
