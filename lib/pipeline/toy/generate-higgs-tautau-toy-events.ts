import {
  computeDerFeatures,
  DER_COLUMN_NAMES,
  type DerColumnName,
  FAIR_MISSING_VALUE,
  PRI_COLUMN_NAMES,
  type PriColumnName,
  type PriColumns,
} from '../features/der-features';
import { createRandomStream, type RandomStream } from '../random/random-stream';

/**
 * TOY generator of lepton + hadronic-tau events for classification challenges: H→ττ signal (m_H = 125 GeV)
 * against Z→ττ and tt̄ backgrounds, in the FAIR-Universe HiggsML feature set (16 PRI + 12 DER, −25 = missing).
 * It is a sketch with plausible shapes, NOT a physics simulation: no matrix elements, no spin correlations or
 * tau polarisation, no parton shower, a parametrised detector. Generation per event:
 *
 * 1. Initial-state radiation: N_ISR ~ Poisson(λ) jets with pT = 20 GeV + Exp(scale), η ~ N(0, 2), φ uniform.
 *    The produced system recoils against them (plus a Gaussian intrinsic kT), so jets and pT(H/Z) are
 *    correlated as in data. 10 % of the signal is VBF-like: two extra tag jets in opposite forward hemispheres.
 * 2. H/Z: mass 125 GeV (H) or a Breit–Wigner at 91.19 GeV, Γ = 2.50 GeV, truncated to [60, 160] (Z); rapidity
 *    ~ N(0, σ_y); isotropic decay to τ⁺τ⁻ in the rest frame, boosted to the lab. tt̄: m_tt = 2·172.5 GeV +
 *    Exp(110 GeV); t → bW, one W → ℓν, the other → τν (τ → hadrons + ν) or, in 40 % of events, → qq̄′ with
 *    one quark faking the hadronic tau (carrying 60–100 % of its momentum) and the other a jet; b quarks are jets.
 * 3. Tau decays in the collinear approximation (visible momentum = x · tau momentum): τ → ℓνν with x drawn
 *    from f(x) = (1 − x)(5 + 5x − 4x²)/3; τ → hadrons + ν with x from a π / ρ / a₁ mixture (uniform on [0, 1],
 *    [0.19, 1], [0.35, 1] with probabilities 0.17, 0.40, 0.43).
 * 4. Detector: σ(pT)/pT = 2 % (lepton), 10 % (hadronic tau), √(0.6²/pT + 0.05²) (jets); MET = Σ neutrinos −
 *    Σ (reconstructed − true visible pT) + N(0, σ) per component, σ = √(4² + 0.5²·ΣET) GeV, ΣET = Σ visible pT +
 *    60 GeV of underlying event.
 * 5. PRI values rounded to 3 decimals (as FAIR-Universe), then the FAIR post-selection: lepton pT ≥ 20 GeV and
 *    |η| ≤ 2.5, hadronic tau pT ≥ 26 GeV and |η| ≤ 2.5; jets kept if pT > 26 GeV, |η| ≤ 4.5 and ΔR > 0.4 from
 *    the lepton and the tau; missing jet fields −25; `PRI_jet_all_pt` = Σ pT of kept jets; events failing are
 *    regenerated. DER columns come from {@link computeDerFeatures}; all features are stored as float32.
 *
 * Weights: every event of process p carries w = Y_p · L / N_p, so each process sums to its expected yield after
 * selection at luminosity L whatever the generated mix. The yields per fb⁻¹ ({@link TOY_YIELDS_PER_FB}) are the
 * per-process weight sums of the FAIR-Universe sample at 10 fb⁻¹ (htautau 1,038.6; ztautau 1,003,219;
 * ttbar 40,906; its diboson share is dropped) divided by 10: a signal fraction of ≈ 0.1 %, TOY numbers.
 * The generated mix over-represents signal and tt̄ ({@link TOY_GENERATION_FRACTIONS}) so that a model sees
 * enough of them; the weights compensate.
 *
 * Determinism: each (stream, process) pair has its own named {@link RandomStream}, so the same seed gives the
 * same events (and the same bytes downstream), and changing the size of one split leaves the other unchanged.
 */

export const TOY_PROCESSES = ['htautau', 'ztautau', 'ttbar'] as const;
export type ToyProcess = (typeof TOY_PROCESSES)[number];

/** Expected events per fb⁻¹ after selection (TOY; from the FAIR-Universe sample's weight sums, see above). */
export const TOY_YIELDS_PER_FB: Readonly<Record<ToyProcess, number>> = { htautau: 103.86, ztautau: 100_321.9, ttbar: 4_090.6 };

/** Share of generated events per process (weights restore the expected yields). */
export const TOY_GENERATION_FRACTIONS: Readonly<Record<ToyProcess, number>> = { htautau: 0.3, ztautau: 0.6, ttbar: 0.1 };

/** Every physics constant of the generator, for the dataset recipe. */
export const TOY_PARAMETERS = {
  higgsMassGeV: 125,
  zMassGeV: 91.1876,
  zWidthGeV: 2.4952,
  zMassWindowGeV: [60, 160],
  topMassGeV: 172.5,
  wMassGeV: 80.379,
  bMassGeV: 4.8,
  tauMassGeV: 1.77686,
  ttbarExcessMassScaleGeV: 110,
  ttbarFakeTauFraction: 0.4,
  signalVbfFraction: 0.1,
  isr: {
    htautau: { meanJets: 1.2, ptScaleGeV: 35, rapiditySigma: 1.6 },
    ztautau: { meanJets: 0.6, ptScaleGeV: 22, rapiditySigma: 1.8 },
    ttbar: { meanJets: 1.0, ptScaleGeV: 30, rapiditySigma: 1.0 },
  },
  intrinsicKtGeV: 5,
  resolution: { leptonPt: 0.02, hadronicTauPt: 0.1, jetStochastic: 0.6, jetConstant: 0.05, metNoiseGeV: 4, metSqrtSumEt: 0.5, underlyingEventSumEtGeV: 60 },
  selection: { leptonPtMinGeV: 20, hadronicTauPtMinGeV: 26, centralEtaMax: 2.5, jetPtMinGeV: 26, jetEtaMax: 4.5, overlapDeltaR: 0.4 },
  missingValue: FAIR_MISSING_VALUE,
} as const;

export type ToyEventTable = {
  numRows: number;
  /** PRI then DER columns, float32. */
  features: Record<PriColumnName | DerColumnName, Float32Array>;
  /** 1 = signal (htautau). */
  label: Uint8Array;
  weight: Float64Array;
  /** Process name per event: htautau, ztautau or ttbar. */
  detailedLabel: string[];
  eventsByProcess: Record<ToyProcess, number>;
  /** Accepted / generated events per process (selection efficiency of the toy). */
  acceptanceByProcess: Record<ToyProcess, number>;
};

export type GenerateToyEventsOptions = {
  seed: number;
  /** Names the random streams, e.g. "train" or "test"; splits with different names are independent. */
  stream: string;
  events: number;
  luminosityFb: number;
  fractions?: Readonly<Record<ToyProcess, number>>;
};

/** Generates `events` selected toy events, shuffled, with weights summing to the expected yields. */
export function generateHiggsTautauToyEvents(options: GenerateToyEventsOptions): ToyEventTable {
  const { seed, stream, events, luminosityFb } = options;
  const fractions = options.fractions ?? TOY_GENERATION_FRACTIONS;
  if (!(Number.isInteger(events) && events >= TOY_PROCESSES.length)) {
    throw new RangeError(`events must be an integer ≥ ${TOY_PROCESSES.length} (one per process), got ${events}.`);
  }
  if (!(luminosityFb > 0)) throw new RangeError(`luminosityFb must be positive, got ${luminosityFb}.`);
  const counts = splitCounts(events, fractions);

  const pri = Object.fromEntries(PRI_COLUMN_NAMES.map((name) => [name, new Float64Array(events)])) as Record<PriColumnName, Float64Array>;
  const processIndex = new Uint8Array(events);
  const acceptanceByProcess = {} as Record<ToyProcess, number>;
  let row = 0;
  TOY_PROCESSES.forEach((process, p) => {
    const rng = createRandomStream(seed, `${stream}/${process}`);
    const generator = new ToyEventGenerator(rng);
    let attempts = 0;
    const target = row + counts[process];
    while (row < target) {
      attempts++;
      if (attempts > 1000 * counts[process] + 1000) {
        throw new Error(`toy generator: selection efficiency of ${process} is implausibly low (${row} events after ${attempts} attempts).`);
      }
      if (generator.generate(process, pri, row)) {
        processIndex[row] = p;
        row++;
      }
    }
    acceptanceByProcess[process] = counts[process] / attempts;
  });

  const order = createRandomStream(seed, `${stream}/shuffle`).permutation(events);
  const features = {} as Record<PriColumnName | DerColumnName, Float32Array>;
  for (const name of PRI_COLUMN_NAMES) {
    const source = pri[name];
    const target = new Float32Array(events);
    for (let i = 0; i < events; i++) target[i] = source[order[i] as number] as number;
    features[name] = target;
  }
  const der = computeDerFeatures(features as unknown as PriColumns);
  for (const name of DER_COLUMN_NAMES) features[name] = Float32Array.from(der[name]);

  const label = new Uint8Array(events);
  const weight = new Float64Array(events);
  const detailedLabel = new Array<string>(events);
  const weightByProcess = TOY_PROCESSES.map((process) => (TOY_YIELDS_PER_FB[process] * luminosityFb) / counts[process]);
  for (let i = 0; i < events; i++) {
    const p = processIndex[order[i] as number] as number;
    label[i] = p === 0 ? 1 : 0;
    weight[i] = weightByProcess[p] as number;
    detailedLabel[i] = TOY_PROCESSES[p] as string;
  }
  return { numRows: events, features, label, weight, detailedLabel, eventsByProcess: counts, acceptanceByProcess };
}

function splitCounts(events: number, fractions: Readonly<Record<ToyProcess, number>>): Record<ToyProcess, number> {
  const total = TOY_PROCESSES.reduce((sum, p) => sum + fractions[p], 0);
  const counts = {} as Record<ToyProcess, number>;
  let assigned = 0;
  for (const process of TOY_PROCESSES.slice(1)) {
    counts[process] = Math.max(1, Math.round((events * fractions[process]) / total));
    assigned += counts[process];
  }
  counts.htautau = events - assigned;
  if (counts.htautau < 1) throw new RangeError(`generation fractions leave no signal events out of ${events}.`);
  return counts;
}

const MAX_JETS = 16;
const TWO_PI = 2 * Math.PI;

/**
 * Scratch-buffer event builder: no allocation per event. Work that only accepted events need (angles, ISR-jet
 * rapidities, jet smearing, MET) is done after the lepton and tau pT cuts, since most Z→ττ candidates fail them.
 */
class ToyEventGenerator {
  private readonly rng: RandomStream;
  // Four-vectors [px, py, pz, E].
  private readonly system = new Float64Array(4);
  private readonly a = new Float64Array(4);
  private readonly b = new Float64Array(4);
  private readonly c = new Float64Array(4);
  private readonly d = new Float64Array(4);
  private readonly tmp1 = new Float64Array(4);
  private readonly tmp2 = new Float64Array(4);
  /** Truth visible lepton and hadronic tau, [px, py, pz]. */
  private readonly lepton = new Float64Array(3);
  private readonly hadronicTau = new Float64Array(3);
  private readonly jetPt = new Float64Array(MAX_JETS);
  private readonly jetEta = new Float64Array(MAX_JETS);
  private readonly jetPhi = new Float64Array(MAX_JETS);
  /** 1 where the jet's η is still to be drawn (ISR jets: the recoil needs only pT and φ). */
  private readonly isJetEtaPending = new Uint8Array(MAX_JETS);
  private readonly keptPt = new Float64Array(MAX_JETS);
  private readonly keptEta = new Float64Array(MAX_JETS);
  private readonly keptPhi = new Float64Array(MAX_JETS);
  private nJets = 0;
  private nuX = 0;
  private nuY = 0;

  constructor(rng: RandomStream) {
    this.rng = rng;
  }

  /** Generates one event of `process`; writes it at `row` and returns true if it passes the selection. */
  generate(process: ToyProcess, out: Record<PriColumnName, Float64Array>, row: number): boolean {
    this.nJets = 0;
    this.nuX = 0;
    this.nuY = 0;
    if (process === 'ttbar') this.generateTtbar();
    else this.generateResonance(process);
    return this.reconstruct(out, row);
  }

  private addIsrJets(meanJets: number, ptScaleGeV: number): void {
    const n = this.rng.poisson(meanJets);
    for (let k = 0; k < n; k++) this.addJet(20 + this.rng.exponential(ptScaleGeV), Number.NaN, this.rng.uniform(-Math.PI, Math.PI), true);
  }

  private addJet(pt: number, eta: number, phi: number, isEtaPending = false): void {
    if (this.nJets >= MAX_JETS) return;
    this.jetPt[this.nJets] = pt;
    this.jetEta[this.nJets] = eta;
    this.jetPhi[this.nJets] = phi;
    this.isJetEtaPending[this.nJets] = isEtaPending ? 1 : 0;
    this.nJets++;
  }

  /** Sets `system` to mass m and rapidity y, with pT balancing the jets generated so far plus intrinsic kT. */
  private setRecoilingSystem(mass: number, rapiditySigma: number): void {
    let px = this.rng.normal(0, TOY_PARAMETERS.intrinsicKtGeV);
    let py = this.rng.normal(0, TOY_PARAMETERS.intrinsicKtGeV);
    for (let k = 0; k < this.nJets; k++) {
      px -= (this.jetPt[k] as number) * Math.cos(this.jetPhi[k] as number);
      py -= (this.jetPt[k] as number) * Math.sin(this.jetPhi[k] as number);
    }
    const y = this.rng.normal(0, rapiditySigma);
    const mt = Math.sqrt(mass * mass + px * px + py * py);
    const s = this.system;
    s[0] = px;
    s[1] = py;
    s[2] = mt * Math.sinh(y);
    s[3] = mt * Math.cosh(y);
  }

  private generateResonance(process: 'htautau' | 'ztautau'): void {
    const rng = this.rng;
    const isr = TOY_PARAMETERS.isr[process];
    let rapiditySigma: number = isr.rapiditySigma;
    if (process === 'htautau' && rng.nextFloat() < TOY_PARAMETERS.signalVbfFraction) {
      const side = rng.nextFloat() < 0.5 ? 1 : -1;
      this.addJet(25 + rng.exponential(45), side * Math.abs(rng.normal(2.8, 1.0)), rng.uniform(-Math.PI, Math.PI));
      this.addJet(25 + rng.exponential(35), -side * Math.abs(rng.normal(2.8, 1.0)), rng.uniform(-Math.PI, Math.PI));
      this.addIsrJets(0.3, 20);
      rapiditySigma = 1.0;
    } else {
      this.addIsrJets(isr.meanJets, isr.ptScaleGeV);
    }
    let mass: number = TOY_PARAMETERS.higgsMassGeV;
    if (process === 'ztautau') {
      const [low, high] = TOY_PARAMETERS.zMassWindowGeV;
      do mass = rng.breitWigner(TOY_PARAMETERS.zMassGeV, TOY_PARAMETERS.zWidthGeV);
      while (mass < low || mass > high);
    }
    this.setRecoilingSystem(mass, rapiditySigma);
    const mTau = TOY_PARAMETERS.tauMassGeV;
    twoBodyDecay(rng, this.system, mass, mTau, mTau, this.a, this.b);
    const leptonicFirst = rng.nextFloat() < 0.5;
    this.decayTauLeptonically(leptonicFirst ? this.a : this.b);
    this.decayTauHadronically(leptonicFirst ? this.b : this.a);
  }

  private generateTtbar(): void {
    const rng = this.rng;
    const p = TOY_PARAMETERS;
    this.addIsrJets(p.isr.ttbar.meanJets, p.isr.ttbar.ptScaleGeV);
    const mass = 2 * p.topMassGeV + rng.exponential(p.ttbarExcessMassScaleGeV);
    this.setRecoilingSystem(mass, p.isr.ttbar.rapiditySigma);
    // a, b: the two tops; then each top → b (c) + W (d).
    twoBodyDecay(rng, this.system, mass, p.topMassGeV, p.topMassGeV, this.a, this.b);
    twoBodyDecay(rng, this.a, p.topMassGeV, p.bMassGeV, p.wMassGeV, this.c, this.d);
    this.addJetFromVector(this.c);
    twoBodyDecay(rng, this.d, p.wMassGeV, 0, 0, this.tmp1, this.tmp2);
    this.lepton.set(this.tmp1.subarray(0, 3));
    this.addNeutrino(this.tmp2);
    twoBodyDecay(rng, this.b, p.topMassGeV, p.bMassGeV, p.wMassGeV, this.c, this.d);
    this.addJetFromVector(this.c);
    if (rng.nextFloat() < p.ttbarFakeTauFraction) {
      twoBodyDecay(rng, this.d, p.wMassGeV, 0, 0, this.tmp1, this.tmp2);
      const x = rng.uniform(0.6, 1);
      for (let k = 0; k < 3; k++) this.hadronicTau[k] = x * (this.tmp1[k] as number);
      this.addJetFromVector(this.tmp2);
    } else {
      twoBodyDecay(rng, this.d, p.wMassGeV, p.tauMassGeV, 0, this.tmp1, this.tmp2);
      this.addNeutrino(this.tmp2);
      this.decayTauHadronically(this.tmp1);
    }
  }

  private addJetFromVector(v: Float64Array): void {
    const pt = transverseNorm(v[0] as number, v[1] as number);
    this.addJet(pt, Math.asinh((v[2] as number) / pt), Math.atan2(v[1] as number, v[0] as number));
  }

  private addNeutrino(v: Float64Array): void {
    this.nuX += v[0] as number;
    this.nuY += v[1] as number;
  }

  /** Visible part x·p of a tau (collinear approximation) into `out`; the rest goes to the neutrinos. */
  private splitTau(tau: Float64Array, x: number, out: Float64Array): void {
    out[0] = x * (tau[0] as number);
    out[1] = x * (tau[1] as number);
    out[2] = x * (tau[2] as number);
    this.nuX += (1 - x) * (tau[0] as number);
    this.nuY += (1 - x) * (tau[1] as number);
  }

  private decayTauLeptonically(tau: Float64Array): void {
    const rng = this.rng;
    let x: number;
    // Rejection sampling of f(x) = (1 − x)(5 + 5x − 4x²)/3 ≤ 5/3 on [0, 1].
    do x = rng.nextFloat();
    while (rng.nextFloat() * 5 > (1 - x) * (5 + 5 * x - 4 * x * x));
    this.splitTau(tau, x, this.lepton);
  }

  private decayTauHadronically(tau: Float64Array): void {
    const rng = this.rng;
    const mode = rng.nextFloat();
    const x = mode < 0.17 ? rng.nextFloat() : mode < 0.57 ? rng.uniform(0.19, 1) : rng.uniform(0.35, 1);
    this.splitTau(tau, x, this.hadronicTau);
  }

  /** Detector smearing, rounding, selection and MET; writes the PRI values at `row` when the event passes. */
  private reconstruct(out: Record<PriColumnName, Float64Array>, row: number): boolean {
    const rng = this.rng;
    const res = TOY_PARAMETERS.resolution;
    const sel = TOY_PARAMETERS.selection;
    const lepton = this.lepton;
    const tau = this.hadronicTau;
    const trueLepPt = transverseNorm(lepton[0] as number, lepton[1] as number);
    const lepPt = round3(trueLepPt * (1 + rng.normal(0, res.leptonPt)));
    if (!(lepPt >= sel.leptonPtMinGeV)) return false;
    const trueHadPt = transverseNorm(tau[0] as number, tau[1] as number);
    const hadPt = round3(trueHadPt * (1 + rng.normal(0, res.hadronicTauPt)));
    if (!(hadPt >= sel.hadronicTauPtMinGeV)) return false;
    const lepEta = round3(Math.asinh((lepton[2] as number) / trueLepPt));
    const hadEta = round3(Math.asinh((tau[2] as number) / trueHadPt));
    if (!(Math.abs(lepEta) <= sel.centralEtaMax && Math.abs(hadEta) <= sel.centralEtaMax)) return false;
    const lepPhi = round3(Math.atan2(lepton[1] as number, lepton[0] as number));
    const hadPhi = round3(Math.atan2(tau[1] as number, tau[0] as number));

    // MET: neutrinos minus the mismeasurement of every visible object, plus soft-term noise.
    const lepScale = lepPt / trueLepPt - 1;
    const hadScale = hadPt / trueHadPt - 1;
    let metX = this.nuX - lepScale * (lepton[0] as number) - hadScale * (tau[0] as number);
    let metY = this.nuY - lepScale * (lepton[1] as number) - hadScale * (tau[1] as number);
    let sumEt = lepPt + hadPt + res.underlyingEventSumEtGeV;
    let kept = 0;
    for (let k = 0; k < this.nJets; k++) {
      const truePt = this.jetPt[k] as number;
      const sigma = Math.sqrt((res.jetStochastic * res.jetStochastic) / truePt + res.jetConstant * res.jetConstant);
      const pt = Math.max(0, truePt * (1 + rng.normal(0, sigma)));
      const phi = this.jetPhi[k] as number;
      metX -= (pt - truePt) * Math.cos(phi);
      metY -= (pt - truePt) * Math.sin(phi);
      sumEt += pt;
      const roundedPt = round3(pt);
      const eta = round3(this.isJetEtaPending[k] === 1 ? rng.normal(0, 2) : (this.jetEta[k] as number));
      const roundedPhi = round3(phi);
      if (!(roundedPt > sel.jetPtMinGeV && Math.abs(eta) <= sel.jetEtaMax)) continue;
      if (deltaR(eta, roundedPhi, lepEta, lepPhi) < sel.overlapDeltaR || deltaR(eta, roundedPhi, hadEta, hadPhi) < sel.overlapDeltaR) continue;
      // Insertion by decreasing pT keeps the leading jet first.
      let at = kept;
      while (at > 0 && (this.keptPt[at - 1] as number) < roundedPt) {
        this.keptPt[at] = this.keptPt[at - 1] as number;
        this.keptEta[at] = this.keptEta[at - 1] as number;
        this.keptPhi[at] = this.keptPhi[at - 1] as number;
        at--;
      }
      this.keptPt[at] = roundedPt;
      this.keptEta[at] = eta;
      this.keptPhi[at] = roundedPhi;
      kept++;
    }
    const noise = Math.sqrt(res.metNoiseGeV * res.metNoiseGeV + res.metSqrtSumEt * res.metSqrtSumEt * sumEt);
    metX += rng.normal(0, noise);
    metY += rng.normal(0, noise);

    out.PRI_lep_pt[row] = lepPt;
    out.PRI_lep_eta[row] = lepEta;
    out.PRI_lep_phi[row] = lepPhi;
    out.PRI_had_pt[row] = hadPt;
    out.PRI_had_eta[row] = hadEta;
    out.PRI_had_phi[row] = hadPhi;
    const missing = TOY_PARAMETERS.missingValue;
    out.PRI_jet_leading_pt[row] = kept >= 1 ? (this.keptPt[0] as number) : missing;
    out.PRI_jet_leading_eta[row] = kept >= 1 ? (this.keptEta[0] as number) : missing;
    out.PRI_jet_leading_phi[row] = kept >= 1 ? (this.keptPhi[0] as number) : missing;
    out.PRI_jet_subleading_pt[row] = kept >= 2 ? (this.keptPt[1] as number) : missing;
    out.PRI_jet_subleading_eta[row] = kept >= 2 ? (this.keptEta[1] as number) : missing;
    out.PRI_jet_subleading_phi[row] = kept >= 2 ? (this.keptPhi[1] as number) : missing;
    out.PRI_n_jets[row] = kept;
    let allPt = 0;
    for (let k = 0; k < kept; k++) allPt += this.keptPt[k] as number;
    out.PRI_jet_all_pt[row] = round3(allPt);
    out.PRI_met[row] = round3(transverseNorm(metX, metY));
    out.PRI_met_phi[row] = round3(Math.atan2(metY, metX));
    return true;
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function deltaR(eta1: number, phi1: number, eta2: number, phi2: number): number {
  let dPhi = Math.abs(phi1 - phi2);
  if (dPhi > Math.PI) dPhi = TWO_PI - dPhi;
  const dEta = eta1 - eta2;
  return Math.sqrt(dEta * dEta + dPhi * dPhi);
}

/**
 * Isotropic two-body decay of `parent` ([px, py, pz, E], mass M) into masses m1, m2 in its rest frame,
 * boosted to the lab; writes the daughters' four-vectors into out1 and out2.
 */
export function twoBodyDecay(rng: RandomStream, parent: Float64Array, mass: number, m1: number, m2: number, out1: Float64Array, out2: Float64Array): void {
  const sum = m1 + m2;
  const diff = m1 - m2;
  const p = Math.sqrt(Math.max(0, (mass * mass - sum * sum) * (mass * mass - diff * diff))) / (2 * mass);
  const cosTheta = rng.uniform(-1, 1);
  const sinTheta = Math.sqrt(Math.max(0, 1 - cosTheta * cosTheta));
  const phi = rng.uniform(-Math.PI, Math.PI);
  const qx = p * sinTheta * Math.cos(phi);
  const qy = p * sinTheta * Math.sin(phi);
  const qz = p * cosTheta;
  boost(parent, mass, qx, qy, qz, Math.sqrt(p * p + m1 * m1), out1);
  boost(parent, mass, -qx, -qy, -qz, Math.sqrt(p * p + m2 * m2), out2);
}

function boost(parent: Float64Array, mass: number, qx: number, qy: number, qz: number, energy: number, out: Float64Array): void {
  const e = parent[3] as number;
  const bx = (parent[0] as number) / e;
  const by = (parent[1] as number) / e;
  const bz = (parent[2] as number) / e;
  const gamma = e / mass;
  const bq = bx * qx + by * qy + bz * qz;
  const b2 = bx * bx + by * by + bz * bz;
  const factor = b2 > 0 ? ((gamma - 1) * bq) / b2 + gamma * energy : 0;
  out[0] = qx + factor * bx;
  out[1] = qy + factor * by;
  out[2] = qz + factor * bz;
  out[3] = gamma * (energy + bq);
}

/** √(x² + y²); Math.hypot is several times slower in V8 and the extra range is not needed for GeV values. */
function transverseNorm(x: number, y: number): number {
  return Math.sqrt(x * x + y * y);
}
