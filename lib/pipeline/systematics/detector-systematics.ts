import { AppError } from '@/lib/shared/app-error';
import { computeDerFeatures, DER_COLUMN_NAMES, type DerColumnName, FAIR_MISSING_VALUE, PRI_COLUMN_NAMES, type PriColumnName, type PriColumns } from '../features/der-features';
import { createRandomStream } from '../random/random-stream';
import { numpyCosFloat32, numpySinFloat32 } from './numpy-float32-trig';

/**
 * Detector systematics of the FAIR-Universe HiggsML Uncertainty Challenge (`ingestion_program/systematics.py`
 * v4.0, D. Rousseau & V. Estrade; ../shared/docs/DATA.md "Systematic variations"), ported column-wise.
 *
 * The reference runs on float32 pandas columns, so every arithmetic step here is rounded to float32
 * (`Math.fround`) in the reference's order, including numpy's float32 casting of Python scalars (tes, jes and the
 * (1 − s)/s factors become float32 before they multiply) and its float32 `round(3)` (scale by 1000 in float32,
 * round half to even, divide). That makes the rounding to 3 decimals land on the same side as the reference.
 */
export type DetectorSystematicsParameters = {
  /** Tau energy scale (1 = nominal). */
  tes?: number;
  /** Jet energy scale (1 = nominal). */
  jes?: number;
  /** Width in GeV of the Gaussian soft-MET smearing added to each MET component (0 = off). */
  softMet?: number;
  /** Seed of the soft-MET smearing (the reference's default is 31415). */
  seed?: number;
  /**
   * Noise sources for a table processed in parts (see {@link createSoftMetStreams}); by default one stream draws the
   * x noise of every row, then the y noise.
   */
  softMetStreams?: SoftMetStreams;
};

/** Where the soft-MET noise of the x and y components comes from. */
export type SoftMetStreams = { px: { normal(mean: number, sd: number): number }; py: { normal(mean: number, sd: number): number } };

/**
 * Soft-MET noise for a table of `totalRows` rows processed in consecutive parts: each part draws from these streams
 * in turn and gets exactly the noise a single call on the whole table would add (x noise of all rows first, then y).
 */
export function createSoftMetStreams(seed: number | undefined, totalRows: number, softMet: number): SoftMetStreams {
  const px = createRandomStream(seed ?? 31415, 'soft-met');
  const py = createRandomStream(seed ?? 31415, 'soft-met');
  for (let i = 0; i < totalRows; i++) py.normal(0, softMet);
  return { px, py };
}

export type SystematicsResult = {
  /** The 16 PRI columns of the surviving events, float32. */
  pri: Record<PriColumnName, Float32Array>;
  /** The 12 DER columns recomputed on them, float32. */
  der: Record<DerColumnName, Float32Array>;
  /** Input row of each surviving event (to carry weights and labels along). */
  keptRows: Int32Array;
};

const f = Math.fround;

/** numpy's float32 `round(decimals=3)`: y = x·1000 in float32, round half to even, ÷1000 in float32. */
export function roundFloat32To3Decimals(x: number): number {
  const scaled = f(x * 1000);
  let r = Math.round(scaled);
  if (r - scaled === 0.5 && r % 2 !== 0) r -= 1; // half-way cases go to even, like numpy's rint
  return f(r / 1000);
}

/** A float32 4-vector column set, with the reference's V4 operations. */
type V4 = { px: Float32Array; py: Float32Array; pz: Float32Array; e: Float32Array };

function newV4(n: number): V4 {
  return { px: new Float32Array(n), py: new Float32Array(n), pz: new Float32Array(n), e: new Float32Array(n) };
}

function p2(v: V4, i: number): number {
  return f(f(f((v.px[i] as number) ** 2) + f((v.py[i] as number) ** 2)) + f((v.pz[i] as number) ** 2));
}

/** setPtEtaPhiM: px = pt·cos φ, py = pt·sin φ, pz = pt·sinh η, e = √(p² + m²), all float32. */
function setPtEtaPhiM(v: V4, i: number, pt: number, eta: number, phi: number, mass: number): void {
  v.px[i] = f(pt * f(numpyCosFloat32(phi)));
  v.py[i] = f(pt * f(numpySinFloat32(phi)));
  v.pz[i] = f(pt * f(Math.sinh(eta)));
  v.e[i] = f(Math.sqrt(f(p2(v, i) + f(mass * mass))));
}

/** MET += delta scaled by `factor` at fixed mass (scaleFixedM), then MET.pz = 0 and E = |p|. */
function addScaledFixedMass(met: V4, delta: V4, i: number, factor: number): void {
  const mass = f(Math.sqrt(Math.abs(f(f((delta.e[i] as number) ** 2) - p2(delta, i)))));
  const dpx = f((delta.px[i] as number) * factor);
  const dpy = f((delta.py[i] as number) * factor);
  const dpz = f((delta.pz[i] as number) * factor);
  const scaled = { px: Float32Array.of(dpx), py: Float32Array.of(dpy), pz: Float32Array.of(dpz), e: new Float32Array(1) };
  const de = f(Math.sqrt(f(p2(scaled, 0) + f(mass * mass))));
  met.px[i] = f((met.px[i] as number) + dpx);
  met.py[i] = f((met.py[i] as number) + dpy);
  met.pz[i] = 0;
  met.e[i] = f((met.e[i] as number) + de);
  met.e[i] = f(Math.sqrt(p2(met, i)));
}

function assertPriColumns(pri: PriColumns): number {
  const n = pri.PRI_lep_pt?.length ?? 0;
  for (const name of PRI_COLUMN_NAMES) {
    const column = pri[name] as ArrayLike<number> | undefined;
    if (column === undefined || column.length !== n) {
      throw new AppError('INVALID_DATASET', `The systematics input ${column === undefined ? `has no column ${name}` : `column ${name} has ${column.length} rows, expected ${n}`}; it needs the 16 PRI columns ${PRI_COLUMN_NAMES.join(', ')}.`, {
        column: name,
      });
    }
  }
  return n;
}

/**
 * Applies TES, JES and soft-MET to the 16 PRI columns, the post-selection (tau pT ≥ 26 GeV; jets with pT in
 * [0, 26] removed from the jet fields, PRI_jet_all_pt and PRI_n_jets; lepton pT ≥ 20 GeV) and recomputes the
 * DER columns, all as FAIR-Universe systematics.py v4 with `dopostprocess` (see the module comment for the
 * float32 emulation). Soft-MET noise comes from our seeded stream, so it matches the reference statistically,
 * not number by number.
 */
export function applyDetectorSystematics(pri: PriColumns, parameters: DetectorSystematicsParameters = {}): SystematicsResult {
  const n = assertPriColumns(pri);
  const tes = parameters.tes ?? 1;
  const jes = parameters.jes ?? 1;
  const softMet = parameters.softMet ?? 0;
  for (const [name, value] of [['tes', tes], ['jes', jes]] as const) {
    if (!(Number.isFinite(value) && value > 0)) throw new AppError('BAD_REQUEST', `${name} must be a positive number, got ${value}.`, { expected: '> 0', found: String(value) });
  }
  if (!(Number.isFinite(softMet) && softMet >= 0)) throw new AppError('BAD_REQUEST', `soft-met must be a number ≥ 0, got ${softMet}.`, { expected: '≥ 0', found: String(softMet) });

  const col = Object.fromEntries(PRI_COLUMN_NAMES.map((name) => [name, Float32Array.from(pri[name])])) as Record<PriColumnName, Float32Array>;
  const met = newV4(n);
  for (let i = 0; i < n; i++) setPtEtaPhiM(met, i, col.PRI_met[i] as number, 0, col.PRI_met_phi[i] as number, 0);

  if (tes !== 1) {
    const tes32 = f(tes);
    const factor = f((1 - tes) / tes);
    const tau = newV4(n);
    for (let i = 0; i < n; i++) {
      col.PRI_had_pt[i] = f((col.PRI_had_pt[i] as number) * tes32);
      setPtEtaPhiM(tau, i, col.PRI_had_pt[i] as number, col.PRI_had_eta[i] as number, col.PRI_had_phi[i] as number, 0.8);
      addScaledFixedMass(met, tau, i, factor);
    }
  }

  if (jes !== 1) {
    const jes32 = f(jes);
    const factor = f((1 - jes) / jes);
    const jet = newV4(n);
    for (let i = 0; i < n; i++) {
      const nJets = col.PRI_n_jets[i] as number;
      if (nJets > 0) col.PRI_jet_leading_pt[i] = f((col.PRI_jet_leading_pt[i] as number) * jes32);
      if (nJets > 1) col.PRI_jet_subleading_pt[i] = f((col.PRI_jet_subleading_pt[i] as number) * jes32);
      col.PRI_jet_all_pt[i] = f((col.PRI_jet_all_pt[i] as number) * jes32);
    }
    for (const [pt, eta, phi, minJets] of [
      [col.PRI_jet_leading_pt, col.PRI_jet_leading_eta, col.PRI_jet_leading_phi, 0],
      [col.PRI_jet_subleading_pt, col.PRI_jet_subleading_eta, col.PRI_jet_subleading_phi, 1],
    ] as const) {
      for (let i = 0; i < n; i++) {
        const exists = (col.PRI_n_jets[i] as number) > minJets;
        setPtEtaPhiM(jet, i, exists ? (pt[i] as number) : 0, exists ? (eta[i] as number) : 0, exists ? (phi[i] as number) : 0, 0);
        addScaledFixedMass(met, jet, i, factor);
      }
    }
  }

  let metPx: ArrayLike<number> = met.px;
  let metPy: ArrayLike<number> = met.py;
  if (softMet > 0) {
    // The reference adds float64 noise, which promotes MET to float64 from here on.
    const random = createRandomStream(parameters.seed ?? 31415, 'soft-met');
    const streams = parameters.softMetStreams ?? { px: random, py: random };
    const px = new Float64Array(n);
    const py = new Float64Array(n);
    for (let i = 0; i < n; i++) px[i] = (met.px[i] as number) + streams.px.normal(0, softMet);
    for (let i = 0; i < n; i++) py[i] = (met.py[i] as number) + streams.py.normal(0, softMet);
    metPx = px;
    metPy = py;
  }
  const isFloat64 = softMet > 0;
  for (let i = 0; i < n; i++) {
    const x = metPx[i] as number;
    const y = metPy[i] as number;
    if (isFloat64) {
      col.PRI_met[i] = Math.round(Math.sqrt(x * x + y * y) * 1000) / 1000;
      col.PRI_met_phi[i] = Math.round(Math.atan2(y, x) * 1000) / 1000;
    } else {
      col.PRI_met[i] = roundFloat32To3Decimals(f(Math.sqrt(f(f(x * x) + f(y * y)))));
      col.PRI_met_phi[i] = roundFloat32To3Decimals(f(Math.atan2(y, x)));
    }
  }
  for (const name of PRI_COLUMN_NAMES) {
    if (name === 'PRI_n_jets' || name === 'PRI_met' || name === 'PRI_met_phi') continue;
    const column = col[name];
    for (let i = 0; i < n; i++) column[i] = roundFloat32To3Decimals(column[i] as number);
  }

  // Post-selection.
  const kept: number[] = [];
  for (let i = 0; i < n; i++) {
    if ((col.PRI_had_pt[i] as number) < 26) continue;
    for (const [pt, eta, phi] of [
      [col.PRI_jet_subleading_pt, col.PRI_jet_subleading_eta, col.PRI_jet_subleading_phi],
      [col.PRI_jet_leading_pt, col.PRI_jet_leading_eta, col.PRI_jet_leading_phi],
    ] as const) {
      const jetPt = pt[i] as number;
      if (jetPt >= 0 && jetPt <= 26) {
        col.PRI_jet_all_pt[i] = f((col.PRI_jet_all_pt[i] as number) - jetPt);
        pt[i] = FAIR_MISSING_VALUE;
        eta[i] = FAIR_MISSING_VALUE;
        phi[i] = FAIR_MISSING_VALUE;
        col.PRI_n_jets[i] = (col.PRI_n_jets[i] as number) - 1;
      }
    }
    if ((col.PRI_lep_pt[i] as number) < 20) continue;
    kept.push(i);
  }
  const keptRows = Int32Array.from(kept);
  const outPri = Object.fromEntries(PRI_COLUMN_NAMES.map((name) => [name, Float32Array.from(keptRows, (r) => col[name][r] as number)])) as Record<PriColumnName, Float32Array>;
  const der64 = computeDerFeatures(outPri, FAIR_MISSING_VALUE);
  const der = Object.fromEntries(DER_COLUMN_NAMES.map((name) => [name, Float32Array.from(der64[name])])) as Record<DerColumnName, Float32Array>;
  der.DER_mass_transverse_met_lep = transverseMassFloat32(outPri);
  return { pri: outPri, der, keptRows };
}

/**
 * DER_mass_transverse_met_lep as the reference computes it on float32 columns. The transverse mass of a lepton
 * almost collinear with MET is the square root of a difference of large squares, so float64 and float32 differ
 * by far more than 1e-4 there; every other DER feature agrees to float32 precision in double. A negative
 * difference gives −0, as `sqrt(x · (x ≥ 0))` does in numpy.
 */
function transverseMassFloat32(pri: Record<PriColumnName, Float32Array>): Float32Array {
  const n = pri.PRI_lep_pt.length;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const met = pri.PRI_met[i] as number;
    const lepPt = pri.PRI_lep_pt[i] as number;
    const metX = f(met * f(numpyCosFloat32(pri.PRI_met_phi[i] as number)));
    const metY = f(met * f(numpySinFloat32(pri.PRI_met_phi[i] as number)));
    const lepX = f(lepPt * f(numpyCosFloat32(pri.PRI_lep_phi[i] as number)));
    const lepY = f(lepPt * f(numpySinFloat32(pri.PRI_lep_phi[i] as number)));
    const value = f(f(f(f(met + lepPt) ** 2) - f(f(metX + lepX) ** 2)) - f(f(metY + lepY) ** 2));
    out[i] = value >= 0 ? f(Math.sqrt(value)) : -0;
  }
  return out;
}

export type NormalisationNuisances = { ttbarScale?: number; dibosonScale?: number; bkgScale?: number };

/**
 * Normalisation nuisances on weights (systematics.py `ttbar_bkg_weight_norm`, `diboson_bkg_weight_norm`,
 * `all_bkg_weight_norm`, in that order): ttbar × ttbarScale, diboson × dibosonScale, every background
 * (label 0) × bkgScale. Returns new weights; the input is not modified.
 */
export function applyNormalisationNuisances(
  weights: ArrayLike<number>,
  detailedLabels: readonly string[],
  labels: ArrayLike<number>,
  scales: NormalisationNuisances,
): Float64Array {
  const out = Float64Array.from(weights);
  if (detailedLabels.length !== out.length || labels.length !== out.length) {
    throw new AppError('INVALID_DATASET', `weights (${out.length}), detailed labels (${detailedLabels.length}) and labels (${labels.length}) must have the same length.`);
  }
  for (let i = 0; i < out.length; i++) {
    if (scales.ttbarScale !== undefined && detailedLabels[i] === 'ttbar') out[i] = (out[i] as number) * scales.ttbarScale;
    if (scales.dibosonScale !== undefined && detailedLabels[i] === 'diboson') out[i] = (out[i] as number) * scales.dibosonScale;
    if (scales.bkgScale !== undefined && labels[i] === 0) out[i] = (out[i] as number) * scales.bkgScale;
  }
  return out;
}
