import type { DatasetColumnSpec } from '../datasets/write-dataset-version';

/**
 * Jet kinematics and the 15 high-level substructure variables of the ATLAS top-tagging open data, computed from a
 * jet's stored constituents (massless clusters: pT, η, φ, E in MeV, pT-ordered, zero-padded). The toy generator
 * uses it for the nominal jets and again after every systematic variation of the constituents, so the features of
 * a varied jet always follow from its varied constituents.
 *
 * These are SIMPLIFIED definitions (documented per column in {@link LARGE_R_JET_FEATURE_COLUMNS}): no grooming,
 * β = 1 throughout, one exclusive-kT clustering sequence with winner-take-all axes serving N-subjettiness, the
 * splitting scales and Qw. They follow the published definitions closely enough to behave like the real
 * variables (three-prong tops: low τ32, low D2, Qw near m_W), not to reproduce ATLAS values.
 */

export const JET_KINEMATIC_NAMES = ['fjet_pt', 'fjet_eta', 'fjet_phi', 'fjet_m'] as const;
export const JET_HIGH_LEVEL_NAMES = [
  'fjet_C2', 'fjet_D2', 'fjet_ECF1', 'fjet_ECF2', 'fjet_ECF3', 'fjet_L2', 'fjet_L3', 'fjet_Qw', 'fjet_Split12', 'fjet_Split23',
  'fjet_Tau1_wta', 'fjet_Tau2_wta', 'fjet_Tau3_wta', 'fjet_Tau4_wta', 'fjet_ThrustMaj',
] as const;
export type JetFeatureName = (typeof JET_KINEMATIC_NAMES)[number] | (typeof JET_HIGH_LEVEL_NAMES)[number];

/** Radius parameter of the exclusive-kT distance and the τ_N normalisation (large-R jets, R = 1.0). */
export const JET_RADIUS = 1.0;

/** Unit and definition of every computed column, for the manifest and the Arrow metadata. */
export const LARGE_R_JET_FEATURE_COLUMNS: readonly DatasetColumnSpec[] = [
  { name: 'fjet_C2', unit: 'dimensionless', description: 'Energy-correlation ratio C2 = ECF3·ECF1 / ECF2² (β = 1). Low for two-prong jets.' },
  { name: 'fjet_D2', unit: 'dimensionless', description: 'Energy-correlation ratio D2 = ECF3·ECF1³ / ECF2³ (β = 1). Low for two-prong jets, larger for one- and three-prong jets.' },
  { name: 'fjet_ECF1', unit: 'MeV', description: 'Energy correlation function ECF1 = Σ_i pT_i over the stored constituents.' },
  { name: 'fjet_ECF2', unit: 'MeV^2', description: 'ECF2 = Σ_{i<j} pT_i·pT_j·ΔR_ij (β = 1), ΔR² = Δη² + Δφ².' },
  { name: 'fjet_ECF3', unit: 'MeV^3', description: 'ECF3 = Σ_{i<j<k} pT_i·pT_j·pT_k·ΔR_ij·ΔR_ik·ΔR_jk (β = 1).' },
  {
    name: 'fjet_L2',
    unit: 'dimensionless',
    description:
      'Simplified L-series ratio: the N2 ratio of generalised ECFs, ₂e₃ / (₁e₂)², with z_i = pT_i/ΣpT, ₁e₂ = Σ z_i z_j ΔR_ij and ₂e₃ = Σ z_i z_j z_k × (product of the two smallest of the three ΔR) (Moult, Necib, Thaler, JHEP 12 (2016) 153).',
  },
  {
    name: 'fjet_L3',
    unit: 'dimensionless',
    description: 'Simplified L-series ratio: the M2 ratio ₁e₃ / ₁e₂, with ₁e₃ = Σ z_i z_j z_k × (smallest of the three ΔR) (Moult, Necib, Thaler 2016).',
  },
  { name: 'fjet_Qw', unit: 'MeV', description: 'Smallest invariant mass of a pair among the three exclusive-kT subjets (4-momentum sums of their constituents); 0 with fewer than 3 constituents. Near m_W for top jets.' },
  { name: 'fjet_Split12', unit: 'MeV', description: 'kT splitting scale √d12 of the last merge (2 → 1 subjets): d = min(pT_a², pT_b²)·ΔR_ab²/R², R = 1.0, subjet 4-momenta summed from their constituents.' },
  { name: 'fjet_Split23', unit: 'MeV', description: 'kT splitting scale √d23 of the merge 3 → 2 subjets (as Split12); 0 with fewer than 3 constituents.' },
  { name: 'fjet_Tau1_wta', unit: 'dimensionless', description: 'N-subjettiness τ1 = Σ_i pT_i·min_k ΔR(i, axis_k) / (Σ_i pT_i·R), R = 1.0, axes = winner-take-all axes of the exclusive-kT subjets.' },
  { name: 'fjet_Tau2_wta', unit: 'dimensionless', description: 'N-subjettiness τ2 (as τ1, two WTA kT axes); τ21 = τ2/τ1 is low for two-prong jets.' },
  { name: 'fjet_Tau3_wta', unit: 'dimensionless', description: 'N-subjettiness τ3 (three WTA kT axes); τ32 = τ3/τ2 is low for three-prong (top) jets.' },
  { name: 'fjet_Tau4_wta', unit: 'dimensionless', description: 'N-subjettiness τ4 (four WTA kT axes); 0 with at most four constituents.' },
  {
    name: 'fjet_ThrustMaj',
    unit: 'dimensionless',
    description:
      'Thrust major in the jet rest frame: with the thrust axis T maximising Σ|p_i·T|, the maximum of Σ|p_i·m| / Σ|p_i| over unit m ⊥ T (iterative search seeded by the hardest constituents). 0 for a massless jet.',
  },
  { name: 'fjet_pt', unit: 'MeV', description: 'Large-R jet transverse momentum: 4-momentum sum of the stored constituents.' },
  { name: 'fjet_eta', unit: 'dimensionless', description: 'Large-R jet pseudorapidity (constituent sum).' },
  { name: 'fjet_phi', unit: 'rad', description: 'Large-R jet azimuthal angle (constituent sum), in [−π, π].' },
  { name: 'fjet_m', unit: 'MeV', description: 'Large-R jet invariant mass (constituent sum).' },
];

/** Constituent arrays of many jets, row-major: jet j's constituent k sits at j·slots + k. */
export type ConstituentArrays = { pt: Float32Array; eta: Float32Array; phi: Float32Array; e: Float32Array; slots: number };

export type JetFeatureColumns = Record<JetFeatureName, Float32Array>;

function wrapPhi(dphi: number): number {
  let d = dphi;
  while (d > Math.PI) d -= 2 * Math.PI;
  while (d < -Math.PI) d += 2 * Math.PI;
  return d;
}

function deltaR(eta1: number, phi1: number, eta2: number, phi2: number): number {
  const dEta = eta1 - eta2;
  const dPhi = wrapPhi(phi1 - phi2);
  return Math.sqrt(dEta * dEta + dPhi * dPhi);
}

/** Computes the 19 jet columns for every jet of `constituents` (jets = pt.length / slots). */
export function computeLargeRJetFeatures(constituents: ConstituentArrays): JetFeatureColumns {
  const jets = constituents.pt.length / constituents.slots;
  const out = {} as JetFeatureColumns;
  for (const name of [...JET_KINEMATIC_NAMES, ...JET_HIGH_LEVEL_NAMES]) out[name] = new Float32Array(jets);
  const scratch = new JetScratch(constituents.slots);
  for (let j = 0; j < jets; j++) scratch.computeJet(constituents, j, out);
  return out;
}

/** Reusable per-jet buffers, so that 10⁵ jets allocate nothing in the loop. */
class JetScratch {
  private readonly pt: Float64Array;
  private readonly eta: Float64Array;
  private readonly phi: Float64Array;
  private readonly px: Float64Array;
  private readonly py: Float64Array;
  private readonly pz: Float64Array;
  private readonly e: Float64Array;
  private readonly dr: Float64Array;
  // Pseudo-jets of the exclusive-kT sequence: WTA axis, scalar pT for the distance, 4-momentum sum.
  private readonly axisEta: Float64Array;
  private readonly axisPhi: Float64Array;
  private readonly axisPt: Float64Array;
  private readonly sumPx: Float64Array;
  private readonly sumPy: Float64Array;
  private readonly sumPz: Float64Array;
  private readonly sumE: Float64Array;
  private readonly alive: Uint8Array;
  private readonly restP: Float64Array;
  private readonly projected: Float64Array;

  constructor(private readonly slots: number) {
    const n = slots;
    this.pt = new Float64Array(n);
    this.eta = new Float64Array(n);
    this.phi = new Float64Array(n);
    this.px = new Float64Array(n);
    this.py = new Float64Array(n);
    this.pz = new Float64Array(n);
    this.e = new Float64Array(n);
    this.dr = new Float64Array(n * n);
    this.axisEta = new Float64Array(n);
    this.axisPhi = new Float64Array(n);
    this.axisPt = new Float64Array(n);
    this.sumPx = new Float64Array(n);
    this.sumPy = new Float64Array(n);
    this.sumPz = new Float64Array(n);
    this.sumE = new Float64Array(n);
    this.alive = new Uint8Array(n);
    this.restP = new Float64Array(3 * n);
    this.projected = new Float64Array(3 * n);
  }

  computeJet(c: ConstituentArrays, jet: number, out: JetFeatureColumns): void {
    const base = jet * this.slots;
    let n = 0;
    let jx = 0;
    let jy = 0;
    let jz = 0;
    let je = 0;
    for (let k = 0; k < this.slots; k++) {
      const pt = c.pt[base + k] as number;
      if (!(pt > 0)) continue;
      const eta = c.eta[base + k] as number;
      const phi = c.phi[base + k] as number;
      this.pt[n] = pt;
      this.eta[n] = eta;
      this.phi[n] = phi;
      this.px[n] = pt * Math.cos(phi);
      this.py[n] = pt * Math.sin(phi);
      this.pz[n] = pt * Math.sinh(eta);
      this.e[n] = c.e[base + k] as number;
      jx += this.px[n] as number;
      jy += this.py[n] as number;
      jz += this.pz[n] as number;
      je += this.e[n] as number;
      n++;
    }
    const jetPt = Math.hypot(jx, jy);
    const jetP2 = jx * jx + jy * jy + jz * jz;
    const jetM = Math.sqrt(Math.max(0, je * je - jetP2));
    out.fjet_pt[jet] = jetPt;
    out.fjet_eta[jet] = jetPt > 0 ? Math.asinh(jz / jetPt) : 0;
    out.fjet_phi[jet] = jetPt > 0 ? Math.atan2(jy, jx) : 0;
    out.fjet_m[jet] = jetM;
    if (n === 0) return;

    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const r = deltaR(this.eta[i] as number, this.phi[i] as number, this.eta[j] as number, this.phi[j] as number);
        this.dr[i * n + j] = r;
        this.dr[j * n + i] = r;
      }
    }
    this.energyCorrelations(n, out, jet);
    this.exclusiveKt(n, out, jet);
    // Below m/E = 1e-4 the rest frame is float round-off (e.g. a single constituent), not physics.
    out.fjet_ThrustMaj[jet] = jetM > 1e-4 * je ? this.thrustMajor(n, jx, jy, jz, je) : 0;
  }

  /** ECF1–3 and the ratios C2, D2, L2 (N2), L3 (M2), all with β = 1. */
  private energyCorrelations(n: number, out: JetFeatureColumns, jet: number): void {
    const pt = this.pt;
    const dr = this.dr;
    let ecf1 = 0;
    for (let i = 0; i < n; i++) ecf1 += pt[i] as number;
    let ecf2 = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) ecf2 += (pt[i] as number) * (pt[j] as number) * (dr[i * n + j] as number);
    let ecf3 = 0;
    let e3Min = 0;
    let e3TwoSmallest = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const rij = dr[i * n + j] as number;
        const pij = (pt[i] as number) * (pt[j] as number);
        for (let k = j + 1; k < n; k++) {
          const rik = dr[i * n + k] as number;
          const rjk = dr[j * n + k] as number;
          const p = pij * (pt[k] as number);
          ecf3 += p * rij * rik * rjk;
          const largest = Math.max(rij, rik, rjk);
          const smallest = Math.min(rij, rik, rjk);
          e3Min += p * smallest;
          e3TwoSmallest += p * ((rij * rik * rjk) / (largest > 0 ? largest : 1));
        }
      }
    }
    out.fjet_ECF1[jet] = ecf1;
    out.fjet_ECF2[jet] = ecf2;
    out.fjet_ECF3[jet] = ecf3;
    if (ecf2 > 0) {
      out.fjet_C2[jet] = (ecf3 * ecf1) / (ecf2 * ecf2);
      out.fjet_D2[jet] = (ecf3 * ecf1 ** 3) / ecf2 ** 3;
      // Normalised: e2 = ECF2/ECF1², ₁e₃ = Σ·min/ECF1³, ₂e₃ = Σ·two smallest/ECF1³.
      const e2 = ecf2 / (ecf1 * ecf1);
      const e3MinNorm = e3Min / ecf1 ** 3;
      const e3TwoNorm = e3TwoSmallest / ecf1 ** 3;
      out.fjet_L2[jet] = e3TwoNorm / (e2 * e2);
      out.fjet_L3[jet] = e3MinNorm / e2;
    }
  }

  /**
   * Exclusive kT clustering of all constituents down to one subjet: distance min(pT_a², pT_b²)·ΔR²/R² between
   * winner-take-all axes (the merged axis is the harder one's, the merged pT the scalar sum), 4-momenta summed
   * alongside. Reads τ1…τ4 off the axes when 4, 3, 2, 1 subjets remain, Qw at 3, Split23 and Split12 at the
   * merges 3 → 2 and 2 → 1.
   */
  private exclusiveKt(n: number, out: JetFeatureColumns, jet: number): void {
    let totalPt = 0;
    for (let i = 0; i < n; i++) {
      this.axisEta[i] = this.eta[i] as number;
      this.axisPhi[i] = this.phi[i] as number;
      this.axisPt[i] = this.pt[i] as number;
      this.sumPx[i] = this.px[i] as number;
      this.sumPy[i] = this.py[i] as number;
      this.sumPz[i] = this.pz[i] as number;
      this.sumE[i] = this.e[i] as number;
      this.alive[i] = 1;
      totalPt += this.pt[i] as number;
    }
    const tauColumns = [out.fjet_Tau1_wta, out.fjet_Tau2_wta, out.fjet_Tau3_wta, out.fjet_Tau4_wta];
    // With N or fewer constituents every constituent is its own axis: τ_N = 0 (already 0 in the output).
    let remaining = n;
    if (remaining <= 4) this.recordState(remaining, totalPt, tauColumns, out, jet, n);
    while (remaining > 1) {
      let bestA = -1;
      let bestB = -1;
      let bestD = Infinity;
      for (let a = 0; a < n; a++) {
        if (!this.alive[a]) continue;
        const ptA = this.axisPt[a] as number;
        for (let b = a + 1; b < n; b++) {
          if (!this.alive[b]) continue;
          const ptB = this.axisPt[b] as number;
          const dEta = (this.axisEta[a] as number) - (this.axisEta[b] as number);
          const dPhi = wrapPhi((this.axisPhi[a] as number) - (this.axisPhi[b] as number));
          const minPt = ptA < ptB ? ptA : ptB;
          const d = (minPt * minPt * (dEta * dEta + dPhi * dPhi)) / (JET_RADIUS * JET_RADIUS);
          if (d < bestD) {
            bestD = d;
            bestA = a;
            bestB = b;
          }
        }
      }
      if (remaining === 2 || remaining === 3) {
        const split = this.splittingScale(bestA, bestB);
        if (remaining === 2) out.fjet_Split12[jet] = split;
        else out.fjet_Split23[jet] = split;
      }
      // Merge b into a: the harder axis wins.
      if ((this.axisPt[bestB] as number) > (this.axisPt[bestA] as number)) {
        this.axisEta[bestA] = this.axisEta[bestB] as number;
        this.axisPhi[bestA] = this.axisPhi[bestB] as number;
      }
      this.axisPt[bestA] = (this.axisPt[bestA] as number) + (this.axisPt[bestB] as number);
      this.sumPx[bestA] = (this.sumPx[bestA] as number) + (this.sumPx[bestB] as number);
      this.sumPy[bestA] = (this.sumPy[bestA] as number) + (this.sumPy[bestB] as number);
      this.sumPz[bestA] = (this.sumPz[bestA] as number) + (this.sumPz[bestB] as number);
      this.sumE[bestA] = (this.sumE[bestA] as number) + (this.sumE[bestB] as number);
      this.alive[bestB] = 0;
      remaining--;
      if (remaining <= 4) this.recordState(remaining, totalPt, tauColumns, out, jet, n);
    }
  }

  /** τ_N with the current N = `remaining` axes, and Qw when three subjets remain. */
  private recordState(remaining: number, totalPt: number, tauColumns: Float32Array[], out: JetFeatureColumns, jet: number, n: number): void {
    if (remaining < n) {
      let sum = 0;
      for (let i = 0; i < n; i++) {
        let nearest = Infinity;
        for (let a = 0; a < n; a++) {
          if (!this.alive[a]) continue;
          const r = deltaR(this.eta[i] as number, this.phi[i] as number, this.axisEta[a] as number, this.axisPhi[a] as number);
          if (r < nearest) nearest = r;
        }
        sum += (this.pt[i] as number) * nearest;
      }
      (tauColumns[remaining - 1] as Float32Array)[jet] = sum / (totalPt * JET_RADIUS);
    }
    if (remaining === 3) {
      const live: number[] = [];
      for (let a = 0; a < n; a++) if (this.alive[a]) live.push(a);
      let qw = Infinity;
      for (let x = 0; x < 3; x++) {
        for (let y = x + 1; y < 3; y++) {
          const a = live[x] as number;
          const b = live[y] as number;
          const e = (this.sumE[a] as number) + (this.sumE[b] as number);
          const px = (this.sumPx[a] as number) + (this.sumPx[b] as number);
          const py = (this.sumPy[a] as number) + (this.sumPy[b] as number);
          const pz = (this.sumPz[a] as number) + (this.sumPz[b] as number);
          qw = Math.min(qw, Math.sqrt(Math.max(0, e * e - px * px - py * py - pz * pz)));
        }
      }
      out.fjet_Qw[jet] = qw;
    }
  }

  /** √d of two subjets from their summed 4-momenta. */
  private splittingScale(a: number, b: number): number {
    const ptA = Math.hypot(this.sumPx[a] as number, this.sumPy[a] as number);
    const ptB = Math.hypot(this.sumPx[b] as number, this.sumPy[b] as number);
    if (!(ptA > 0 && ptB > 0)) return 0;
    const etaA = Math.asinh((this.sumPz[a] as number) / ptA);
    const etaB = Math.asinh((this.sumPz[b] as number) / ptB);
    const phiA = Math.atan2(this.sumPy[a] as number, this.sumPx[a] as number);
    const phiB = Math.atan2(this.sumPy[b] as number, this.sumPx[b] as number);
    return (Math.min(ptA, ptB) * deltaR(etaA, phiA, etaB, phiB)) / JET_RADIUS;
  }

  /** Thrust major of the constituents boosted into the jet rest frame. */
  private thrustMajor(n: number, jx: number, jy: number, jz: number, je: number): number {
    const bx = -jx / je;
    const by = -jy / je;
    const bz = -jz / je;
    const b2 = bx * bx + by * by + bz * bz;
    if (!(b2 < 1)) return 0;
    const gamma = 1 / Math.sqrt(1 - b2);
    const gamma2 = b2 > 0 ? (gamma - 1) / b2 : 0;
    const p = this.restP;
    let sumAbs = 0;
    for (let i = 0; i < n; i++) {
      const px = this.px[i] as number;
      const py = this.py[i] as number;
      const pz = this.pz[i] as number;
      const bp = bx * px + by * py + bz * pz;
      const factor = gamma2 * bp + gamma * (this.e[i] as number);
      p[3 * i] = px + factor * bx;
      p[3 * i + 1] = py + factor * by;
      p[3 * i + 2] = pz + factor * bz;
      sumAbs += Math.hypot(p[3 * i] as number, p[3 * i + 1] as number, p[3 * i + 2] as number);
    }
    if (!(sumAbs > 0)) return 0;
    const thrust = maximiseProjection(p, n, null, this.projected);
    const major = maximiseProjection(p, n, thrust, this.projected);
    return major.value / sumAbs;
  }
}

type Axis = { x: number; y: number; z: number; value: number };

/**
 * Maximises Σ|q_i·n| over unit n, q_i = p_i projected onto the plane ⊥ `normal` (or p_i itself), by the standard
 * iteration n ← Σ sign(q_i·n)·q_i started from the four longest q_i: a local search that finds the global maximum
 * for the few-prong configurations of jets. `q` is scratch space of 3n numbers.
 */
function maximiseProjection(p: Float64Array, n: number, normal: Axis | null, q: Float64Array): Axis {
  const starts: { i: number; length: number }[] = [];
  for (let i = 0; i < n; i++) {
    let x = p[3 * i] as number;
    let y = p[3 * i + 1] as number;
    let z = p[3 * i + 2] as number;
    if (normal) {
      const dot = x * normal.x + y * normal.y + z * normal.z;
      x -= dot * normal.x;
      y -= dot * normal.y;
      z -= dot * normal.z;
    }
    q[3 * i] = x;
    q[3 * i + 1] = y;
    q[3 * i + 2] = z;
    starts.push({ i, length: Math.hypot(x, y, z) });
  }
  starts.sort((a, b) => b.length - a.length || a.i - b.i);
  const sumOfProjections = (x: number, y: number, z: number) => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += Math.abs((q[3 * i] as number) * x + (q[3 * i + 1] as number) * y + (q[3 * i + 2] as number) * z);
    return sum;
  };
  let best: Axis = { x: 0, y: 0, z: 0, value: 0 };
  for (const start of starts.slice(0, 4)) {
    if (!(start.length > 0)) continue;
    let x = (q[3 * start.i] as number) / start.length;
    let y = (q[3 * start.i + 1] as number) / start.length;
    let z = (q[3 * start.i + 2] as number) / start.length;
    for (let iteration = 0; iteration < 20; iteration++) {
      let sx = 0;
      let sy = 0;
      let sz = 0;
      for (let i = 0; i < n; i++) {
        const qx = q[3 * i] as number;
        const qy = q[3 * i + 1] as number;
        const qz = q[3 * i + 2] as number;
        const sign = qx * x + qy * y + qz * z >= 0 ? 1 : -1;
        sx += sign * qx;
        sy += sign * qy;
        sz += sign * qz;
      }
      const length = Math.hypot(sx, sy, sz);
      if (!(length > 0)) break;
      const converged = Math.abs(sx / length - x) + Math.abs(sy / length - y) + Math.abs(sz / length - z) < 1e-12;
      x = sx / length;
      y = sy / length;
      z = sz / length;
      if (converged) break;
    }
    const value = sumOfProjections(x, y, z);
    if (value > best.value) best = { x, y, z, value };
  }
  return best;
}
