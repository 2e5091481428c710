import { createRandomStream, type RandomStream } from '../random/random-stream';
import type { ConstituentArrays } from './large-r-jet-features';

/**
 * TOY generator of large-R (R = 1.0) jets for top-tagging challenges: hadronic top quarks (signal) against light
 * QCD jets (background), stored like the ATLAS top-tagging open data (up to 20 pT-ordered, zero-padded
 * constituents with pT, η, φ, E in MeV). A sketch with plausible shapes, NOT a simulation: no matrix elements,
 * no colour flow, a three-step parton shower, a parametrised calorimeter. Per jet:
 *
 * 1. Truth jet: pT from a power law pT^−n on [350, 1000] GeV (n = 2 for tops, 4 for QCD: the background spectrum
 *    falls faster, as in a dijet sample), η uniform in [−2, 2], φ uniform.
 * 2. Partons. Top: m_t from a Breit–Wigner (172.5 GeV, Γ 1.42, truncated to [160, 185]), isotropic t → bW in its
 *    rest frame (m_b = 4.8 GeV), W mass from a Breit–Wigner (80.38 GeV, Γ 2.09, truncated to [65, 95]) decaying
 *    isotropically to two massless quarks, boosted to the lab; the jet is kept only if b and both quarks lie
 *    within ΔR < 0.75 of the top (the ATLAS containment requirement). QCD: one massless parton along the jet.
 * 3. Shower: each parton radiates (QCD: 1 + Poisson(1.5) emissions, z ~ 1/z on [0.05, 0.5], θ_max 1.0; top
 *    partons: Poisson(1.0) each, z ~ 1/z on [0.02, 0.5], θ_max 0.3): the hardest prong splits at an angle
 *    θ ~ 1/θ on [0.02, θ_max], angular-ordered (each θ below the previous), the pT-weighted centroid kept.
 * 4. Hadronisation: a prong of pT p becomes 1 + Poisson(0.6 + 0.9·ln(1 + p/20 GeV)) clusters sharing its pT by
 *    Dirichlet(½) fractions, each displaced in η and φ by N(0, σ), σ = min(0.2, 0.04·√(20 GeV / pT_cluster)).
 *    Underlying event: Poisson(3) soft clusters, pT = 0.5 GeV + Exp(0.7 GeV), uniform in the R = 1.0 disc.
 * 5. Calorimeter: one jet response r ~ N(1, 0.08) per jet, then cluster pT × r·(1 + N(0, σ_E/E)),
 *    σ_E/E = 50 %/√(E/GeV) ⊕ 5 %; clusters are massless (E = pT cosh η); kept if pT > 0.5 GeV and ΔR < 1.0 from
 *    the truth axis; the 20 hardest are stored (float32, MeV).
 * 6. Selection (regenerate otherwise): at least 3 constituents and a constituent-sum mass above 40 GeV (ATLAS:
 *    m > 40 GeV, ≥ 3 constituents).
 *
 * The shapes were tuned to leave room between simple and good taggers: at ε_S = 0.5 a jet-mass window reaches
 * 1/ε_B ≈ 30 and a naive-Bayes product of eight high-level features ≈ 150–200; about 10 % of the QCD jets have a
 * mass above 140 GeV.
 *
 * Determinism: each (stream, class) pair has its own named {@link RandomStream}, and the classes are interleaved by
 * a seeded shuffle, so the same seed gives the same jets and the two splits are independent.
 */

/** Constituent slots per jet (the ATLAS release stores 200; the toy keeps the 20 hardest). */
export const TOP_TAGGING_TOY_SLOTS = 20;

/** Every constant of the generator, for the dataset recipe. */
export const TOP_TAGGING_TOY_PARAMETERS = {
  truthPtRangeGeV: [350, 1000],
  truthEtaMax: 2,
  ptSpectrumIndex: { top: 2, qcd: 4 },
  topMassGeV: 172.5,
  topWidthGeV: 1.42,
  topMassWindowGeV: [160, 185],
  wMassGeV: 80.38,
  wWidthGeV: 2.09,
  wMassWindowGeV: [65, 95],
  bMassGeV: 4.8,
  containmentDeltaR: 0.75,
  shower: {
    qcd: { extraEmissionsMean: 1.5, minimumEmissions: 1, thetaMax: 1.0, zMin: 0.05 },
    top: { extraEmissionsMean: 1.0, minimumEmissions: 0, thetaMax: 0.3, zMin: 0.02 },
    zMax: 0.5,
    thetaMin: 0.02,
  },
  hadronisation: { baseClusters: 0.6, clustersPerLog: 0.9, logScaleGeV: 20, dirichletAlpha: 0.5, spreadScale: 0.04, spreadMax: 0.2 },
  underlyingEvent: { meanClusters: 3, minPtGeV: 0.5, meanExtraPtGeV: 0.7 },
  calorimeter: { stochasticSqrtGeV: 0.5, constant: 0.05, jetResponseSigma: 0.08 },
  selection: { clusterPtMinGeV: 0.5, jetRadius: 1.0, minConstituents: 3, minMassGeV: 40 },
} as const;

const P = TOP_TAGGING_TOY_PARAMETERS;
const MEV_PER_GEV = 1000;

export type TopTaggingToyJets = {
  numJets: number;
  /** Row-major constituents, MeV; jet j's constituents at j·20 … j·20 + 19. */
  constituents: ConstituentArrays;
  /** 1 = top (signal), 0 = QCD. */
  label: Uint8Array;
  /** Accepted / generated jets per class (containment and selection efficiency of the toy). */
  acceptance: { top: number; qcd: number };
};

export type GenerateTopTaggingToyJetsOptions = {
  seed: number;
  /** Names the random streams, e.g. "train" or "test"; splits with different names are independent. */
  stream: string;
  jets: number;
  /** Share of top jets (default 0.5, as the ATLAS sets). */
  signalFraction?: number;
};

/** Generates `jets` selected toy jets, classes shuffled together. */
export function generateTopTaggingToyJets(options: GenerateTopTaggingToyJetsOptions): TopTaggingToyJets {
  const { seed, stream, jets } = options;
  const signalFraction = options.signalFraction ?? 0.5;
  if (!(Number.isInteger(jets) && jets >= 2)) throw new RangeError(`jets must be an integer ≥ 2 (one per class), got ${jets}.`);
  if (!(signalFraction > 0 && signalFraction < 1)) throw new RangeError(`signalFraction must be strictly between 0 and 1, got ${signalFraction}.`);
  const tops = Math.min(jets - 1, Math.max(1, Math.round(jets * signalFraction)));
  const slots = TOP_TAGGING_TOY_SLOTS;
  const byClass = { pt: new Float32Array(jets * slots), eta: new Float32Array(jets * slots), phi: new Float32Array(jets * slots), e: new Float32Array(jets * slots), slots };
  const classLabel = new Uint8Array(jets);
  const acceptance = { top: 0, qcd: 0 };
  let row = 0;
  for (const kind of ['top', 'qcd'] as const) {
    const count = kind === 'top' ? tops : jets - tops;
    const generator = new JetGenerator(createRandomStream(seed, `${stream}/${kind}`));
    let attempts = 0;
    const target = row + count;
    while (row < target) {
      attempts++;
      if (attempts > 1000 * count + 1000) throw new Error(`top-tagging toy: the ${kind} selection efficiency is implausibly low (${row} jets after ${attempts} attempts).`);
      if (generator.generate(kind, byClass, row)) {
        classLabel[row] = kind === 'top' ? 1 : 0;
        row++;
      }
    }
    acceptance[kind] = count / attempts;
  }

  const order = createRandomStream(seed, `${stream}/shuffle`).permutation(jets);
  const constituents: ConstituentArrays = { pt: new Float32Array(jets * slots), eta: new Float32Array(jets * slots), phi: new Float32Array(jets * slots), e: new Float32Array(jets * slots), slots };
  const label = new Uint8Array(jets);
  for (let i = 0; i < jets; i++) {
    const from = (order[i] as number) * slots;
    for (const field of ['pt', 'eta', 'phi', 'e'] as const) constituents[field].set(byClass[field].subarray(from, from + slots), i * slots);
    label[i] = classLabel[order[i] as number] as number;
  }
  return { numJets: jets, constituents, label, acceptance };
}

type Prong = { pt: number; eta: number; phi: number };
type FourVector = { px: number; py: number; pz: number; e: number };

function wrapPhi(phi: number): number {
  let x = phi;
  while (x > Math.PI) x -= 2 * Math.PI;
  while (x <= -Math.PI) x += 2 * Math.PI;
  return x;
}

function deltaR(a: { eta: number; phi: number }, b: { eta: number; phi: number }): number {
  return Math.hypot(a.eta - b.eta, wrapPhi(a.phi - b.phi));
}

/** Lorentz boost of `p` by velocity (bx, by, bz). */
function boost(p: FourVector, bx: number, by: number, bz: number): FourVector {
  const b2 = bx * bx + by * by + bz * bz;
  if (b2 === 0) return p;
  const gamma = 1 / Math.sqrt(1 - b2);
  const bp = bx * p.px + by * p.py + bz * p.pz;
  const factor = ((gamma - 1) * bp) / b2 + gamma * p.e;
  return { px: p.px + factor * bx, py: p.py + factor * by, pz: p.pz + factor * bz, e: gamma * (p.e + bp) };
}

function toProng(p: FourVector): Prong {
  const pt = Math.hypot(p.px, p.py);
  return { pt, eta: Math.asinh(p.pz / pt), phi: Math.atan2(p.py, p.px) };
}

class JetGenerator {
  private readonly clusterPt: number[] = [];
  private readonly clusterEta: number[] = [];
  private readonly clusterPhi: number[] = [];

  constructor(private readonly rng: RandomStream) {}

  /** Generates one jet into `out` at `row`; false when it fails the containment or the selection. */
  generate(kind: 'top' | 'qcd', out: ConstituentArrays, row: number): boolean {
    const r = this.rng;
    const [ptMin, ptMax] = P.truthPtRangeGeV;
    const pt = powerLaw(r, ptMin, ptMax, P.ptSpectrumIndex[kind]);
    const axis = { pt, eta: r.uniform(-P.truthEtaMax, P.truthEtaMax), phi: r.uniform(-Math.PI, Math.PI) };
    let prongs: Prong[];
    if (kind === 'top') {
      const partons = this.topDecay(axis);
      if (partons.some((p) => deltaR(p, axis) >= P.containmentDeltaR)) return false;
      prongs = partons.flatMap((p) => this.shower(p, P.shower.top));
    } else {
      prongs = this.shower(axis, P.shower.qcd);
    }
    this.clusterPt.length = 0;
    this.clusterEta.length = 0;
    this.clusterPhi.length = 0;
    for (const prong of prongs) this.hadronise(prong);
    this.underlyingEvent(axis);
    return this.reconstruct(axis, out, row);
  }

  /** b, q, q̄ of a hadronic top moving along `axis` (massless directions; the b keeps its momentum). */
  private topDecay(axis: Prong): Prong[] {
    const r = this.rng;
    const mTop = truncatedBreitWigner(r, P.topMassGeV, P.topWidthGeV, P.topMassWindowGeV);
    const mW = truncatedBreitWigner(r, P.wMassGeV, P.wWidthGeV, P.wMassWindowGeV);
    const mB = P.bMassGeV;
    const pStar = Math.sqrt((mTop * mTop - (mW + mB) ** 2) * (mTop * mTop - (mW - mB) ** 2)) / (2 * mTop);
    const [dx, dy, dz] = isotropic(r);
    const b: FourVector = { px: pStar * dx, py: pStar * dy, pz: pStar * dz, e: Math.hypot(pStar, mB) };
    const w: FourVector = { px: -pStar * dx, py: -pStar * dy, pz: -pStar * dz, e: Math.hypot(pStar, mW) };
    const [qx, qy, qz] = isotropic(r);
    const half = mW / 2;
    const q1 = boost({ px: half * qx, py: half * qy, pz: half * qz, e: half }, w.px / w.e, w.py / w.e, w.pz / w.e);
    const q2 = boost({ px: -half * qx, py: -half * qy, pz: -half * qz, e: half }, w.px / w.e, w.py / w.e, w.pz / w.e);
    const px = axis.pt * Math.cos(axis.phi);
    const py = axis.pt * Math.sin(axis.phi);
    const pz = axis.pt * Math.sinh(axis.eta);
    const e = Math.sqrt(px * px + py * py + pz * pz + mTop * mTop);
    return [b, q1, q2].map((p) => toProng(boost(p, px / e, py / e, pz / e)));
  }

  /** Angular-ordered 1 → 2 splittings of the hardest prong. */
  private shower(parton: Prong, settings: { extraEmissionsMean: number; minimumEmissions: number; thetaMax: number; zMin: number }): Prong[] {
    const r = this.rng;
    const prongs: Prong[] = [{ ...parton }];
    const emissions = settings.minimumEmissions + r.poisson(settings.extraEmissionsMean);
    const zMin = settings.zMin;
    const zMax = P.shower.zMax;
    let thetaMax = settings.thetaMax;
    for (let e = 0; e < emissions && thetaMax > P.shower.thetaMin; e++) {
      let hardest = 0;
      for (let i = 1; i < prongs.length; i++) if ((prongs[i] as Prong).pt > (prongs[hardest] as Prong).pt) hardest = i;
      const mother = prongs[hardest] as Prong;
      const z = zMin * (zMax / zMin) ** r.nextFloat();
      const theta = P.shower.thetaMin * (thetaMax / P.shower.thetaMin) ** r.nextFloat();
      const alpha = r.uniform(0, 2 * Math.PI);
      const ux = Math.cos(alpha);
      const uy = Math.sin(alpha);
      prongs[hardest] = { pt: (1 - z) * mother.pt, eta: mother.eta - z * theta * ux, phi: wrapPhi(mother.phi - z * theta * uy) };
      prongs.push({ pt: z * mother.pt, eta: mother.eta + (1 - z) * theta * ux, phi: wrapPhi(mother.phi + (1 - z) * theta * uy) });
      thetaMax = theta;
    }
    return prongs;
  }

  /** Splits a prong into clusters (true pT, before the calorimeter). */
  private hadronise(prong: Prong): void {
    const r = this.rng;
    const h = P.hadronisation;
    const count = 1 + r.poisson(h.baseClusters + h.clustersPerLog * Math.log(1 + prong.pt / h.logScaleGeV));
    // Dirichlet(½) fractions: Gamma(½) variates are half the square of a standard normal.
    const shares: number[] = [];
    let total = 0;
    for (let k = 0; k < count; k++) {
      const z = r.normal();
      const g = 0.5 * z * z + 1e-9;
      shares.push(g);
      total += g;
    }
    for (const share of shares) {
      const pt = (prong.pt * share) / total;
      const sigma = Math.min(h.spreadMax, h.spreadScale * Math.sqrt(h.logScaleGeV / Math.max(pt, 1e-3)));
      this.clusterPt.push(pt);
      this.clusterEta.push(prong.eta + r.normal(0, sigma));
      this.clusterPhi.push(wrapPhi(prong.phi + r.normal(0, sigma)));
    }
  }

  private underlyingEvent(axis: Prong): void {
    const r = this.rng;
    const ue = P.underlyingEvent;
    const count = r.poisson(ue.meanClusters);
    for (let k = 0; k < count; k++) {
      const radius = P.selection.jetRadius * Math.sqrt(r.nextFloat());
      const alpha = r.uniform(0, 2 * Math.PI);
      this.clusterPt.push(ue.minPtGeV + r.exponential(ue.meanExtraPtGeV));
      this.clusterEta.push(axis.eta + radius * Math.cos(alpha));
      this.clusterPhi.push(wrapPhi(axis.phi + radius * Math.sin(alpha)));
    }
  }

  /** Calorimeter response, thresholds, the 20 hardest clusters into `out` (MeV, float32), and the selection. */
  private reconstruct(axis: Prong, out: ConstituentArrays, row: number): boolean {
    const r = this.rng;
    const c = P.calorimeter;
    const kept: { pt: number; eta: number; phi: number }[] = [];
    const jetResponse = Math.max(0.5, r.normal(1, c.jetResponseSigma));
    for (let k = 0; k < this.clusterPt.length; k++) {
      const eta = this.clusterEta[k] as number;
      const phi = this.clusterPhi[k] as number;
      const trueE = (this.clusterPt[k] as number) * Math.cosh(eta);
      const relative = Math.hypot(c.stochasticSqrtGeV / Math.sqrt(trueE), c.constant);
      const pt = (this.clusterPt[k] as number) * jetResponse * (1 + r.normal(0, relative));
      if (pt > P.selection.clusterPtMinGeV && deltaR({ eta, phi }, axis) < P.selection.jetRadius) kept.push({ pt, eta, phi });
    }
    if (kept.length < P.selection.minConstituents) return false;
    kept.sort((a, b) => b.pt - a.pt);
    const stored = kept.slice(0, out.slots);
    let px = 0;
    let py = 0;
    let pz = 0;
    let e = 0;
    const base = row * out.slots;
    for (const field of ['pt', 'eta', 'phi', 'e'] as const) out[field].fill(0, base, base + out.slots);
    stored.forEach((cluster, k) => {
      const ptMeV = Math.fround(cluster.pt * MEV_PER_GEV);
      const eta = Math.fround(cluster.eta);
      const phi = Math.fround(cluster.phi);
      const energy = Math.fround(ptMeV * Math.cosh(eta));
      out.pt[base + k] = ptMeV;
      out.eta[base + k] = eta;
      out.phi[base + k] = phi;
      out.e[base + k] = energy;
      px += ptMeV * Math.cos(phi);
      py += ptMeV * Math.sin(phi);
      pz += ptMeV * Math.sinh(eta);
      e += energy;
    });
    const massMeV = Math.sqrt(Math.max(0, e * e - px * px - py * py - pz * pz));
    return massMeV > P.selection.minMassGeV * MEV_PER_GEV;
  }
}

/** pT from a density ∝ pT^−n on [low, high] by inversion (n ≠ 1). */
function powerLaw(r: RandomStream, low: number, high: number, n: number): number {
  const a = low ** (1 - n);
  const b = high ** (1 - n);
  return (a + r.nextFloat() * (b - a)) ** (1 / (1 - n));
}

function truncatedBreitWigner(r: RandomStream, mass: number, width: number, [low, high]: readonly [number, number]): number {
  for (;;) {
    const m = r.breitWigner(mass, width);
    if (m >= low && m <= high) return m;
  }
}

function isotropic(r: RandomStream): [number, number, number] {
  const cosTheta = r.uniform(-1, 1);
  const sinTheta = Math.sqrt(1 - cosTheta * cosTheta);
  const phi = r.uniform(0, 2 * Math.PI);
  return [sinTheta * Math.cos(phi), sinTheta * Math.sin(phi), cosTheta];
}
