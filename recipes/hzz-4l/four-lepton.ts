import { boostToRestFrame, cross, deltaR, dot, type FourMomentum, fourMomentum, massOf, sumFourMomenta, unitVector } from '@/lib/pipeline/recipes';

/** Z boson mass (PDG 2024), MeV. */
export const Z_MASS_MEV = 91_187.6;
/** Muon mass (PDG), MeV: PHYSLITE stores no muon mass. */
export const MUON_MASS_MEV = 105.658;

/** A selected lepton of an event (MeV, rad). */
export type Lepton = { flavour: 11 | 13; charge: number; pt: number; eta: number; phi: number; m: number };

/** Cuts of the quadruplet (GeV), after ATLAS's H→ZZ*→4ℓ selection (simplified: fixed m34 window, one ΔR cut). */
export type FourLeptonCuts = {
  /** Minimum pT of the leading, subleading and third lepton of the quadruplet. */
  leadingPtMin: [number, number, number];
  z1MassWindow: [number, number];
  z2MassWindow: [number, number];
  /** Minimum ΔR between any two leptons of the quadruplet. */
  minDeltaR: number;
  /** Every same-flavour opposite-charge pair of the quadruplet above this mass (J/ψ veto). */
  minSfosMass: number;
};

export const DEFAULT_FOUR_LEPTON_CUTS: FourLeptonCuts = {
  leadingPtMin: [20, 15, 10],
  z1MassWindow: [50, 106],
  z2MassWindow: [12, 115],
  minDeltaR: 0.1,
  minSfosMass: 5,
};

/** The chosen quadruplet: Z1 = (negative, positive lepton) of the pair closer to mZ, Z2 the other pair. */
export type Quadruplet = { z1: [Lepton, Lepton]; z2: [Lepton, Lepton] };

const p4 = (l: Lepton): FourMomentum => fourMomentum(l.pt, l.eta, l.phi, l.m);
const pairMass = (a: Lepton, b: Lepton) => massOf(sumFourMomenta([p4(a), p4(b)]));
const isSfos = (a: Lepton, b: Lepton) => a.flavour === b.flavour && a.charge * b.charge < 0;
/** The pair ordered (negative lepton, positive lepton). */
const ordered = (a: Lepton, b: Lepton): [Lepton, Lepton] => (a.charge < 0 ? [a, b] : [b, a]);

/**
 * The quadruplet of an event: two same-flavour opposite-charge pairs of distinct leptons passing the cuts; among
 * them the one whose Z1 (the pair closer to mZ) is closest to mZ, then whose Z2 is closest to mZ. Null when none passes.
 */
export function chooseQuadruplet(leptons: readonly Lepton[], cuts: FourLeptonCuts = DEFAULT_FOUR_LEPTON_CUTS): Quadruplet | null {
  if (leptons.length < 4) return null;
  const pairs: [number, number][] = [];
  for (let i = 0; i < leptons.length; i++) for (let j = i + 1; j < leptons.length; j++) if (isSfos(leptons[i] as Lepton, leptons[j] as Lepton)) pairs.push([i, j]);
  let best: { q: Quadruplet; d1: number; d2: number } | null = null;
  for (let a = 0; a < pairs.length; a++) {
    for (let b = a + 1; b < pairs.length; b++) {
      const [i, j] = pairs[a] as [number, number];
      const [k, l] = pairs[b] as [number, number];
      if (new Set([i, j, k, l]).size < 4) continue;
      const four = [i, j, k, l].map((x) => leptons[x] as Lepton);
      const pts = four.map((x) => x.pt / 1000).sort((x, y) => y - x);
      if (!cuts.leadingPtMin.every((min, n) => (pts[n] as number) > min)) continue;
      const mA = pairMass(leptons[i] as Lepton, leptons[j] as Lepton);
      const mB = pairMass(leptons[k] as Lepton, leptons[l] as Lepton);
      const aIsZ1 = Math.abs(mA - Z_MASS_MEV) <= Math.abs(mB - Z_MASS_MEV);
      const [z1, z2] = aIsZ1 ? [[i, j], [k, l]] : [[k, l], [i, j]];
      const m1 = (aIsZ1 ? mA : mB) / 1000;
      const m2 = (aIsZ1 ? mB : mA) / 1000;
      if (!(m1 > cuts.z1MassWindow[0] && m1 < cuts.z1MassWindow[1] && m2 > cuts.z2MassWindow[0] && m2 < cuts.z2MassWindow[1])) continue;
      let isIsolated = true;
      let passesVeto = true;
      for (let x = 0; x < 4; x++) {
        for (let y = x + 1; y < 4; y++) {
          const p = four[x] as Lepton;
          const q = four[y] as Lepton;
          if (deltaR(p.eta, p.phi, q.eta, q.phi) <= cuts.minDeltaR) isIsolated = false;
          if (isSfos(p, q) && pairMass(p, q) / 1000 <= cuts.minSfosMass) passesVeto = false;
        }
      }
      if (!isIsolated || !passesVeto) continue;
      const d1 = Math.abs(m1 * 1000 - Z_MASS_MEV);
      const d2 = Math.abs(m2 * 1000 - Z_MASS_MEV);
      if (!best || d1 < best.d1 || (d1 === best.d1 && d2 < best.d2)) {
        const pick = (pair: number[]) => ordered(leptons[pair[0] as number] as Lepton, leptons[pair[1] as number] as Lepton);
        best = { q: { z1: pick(z1), z2: pick(z2) }, d1, d2 };
      }
    }
  }
  return best?.q ?? null;
}

/** The four-lepton system's masses (MeV) and its five decay angles (Gao et al., PRD 81 (2010) 075022). */
export type FourLeptonObservables = {
  m4l: number;
  mZ1: number;
  mZ2: number;
  pt4l: number;
  y4l: number;
  cosThetaStar: number;
  cosTheta1: number;
  cosTheta2: number;
  phi: number;
  phi1: number;
};

const clamp = (x: number) => Math.max(-1, Math.min(1, x));
const signOf = (x: number) => (x < 0 ? -1 : 1);
const spatial = (v: FourMomentum): [number, number, number] => [v.px, v.py, v.pz];

/**
 * In the four-lepton rest frame X, with q11/q12 the negative/positive lepton of Z1 and q21/q22 those of Z2:
 * n1 = q11×q12/|…|, n2 = q21×q22/|…|, nsc = ẑ×qZ1/|…| (ẑ the beam axis);
 * Φ = sign(qZ1·(n1×n2))·acos(−n1·n2), Φ1 = sign(qZ1·(n1×nsc))·acos(n1·nsc), cos θ* = q̂Z1·ẑ;
 * cos θ1 = −q̂Z2·q̂11 in the Z1 rest frame, cos θ2 = −q̂Z1·q̂21 in the Z2 rest frame.
 */
export function fourLeptonObservables(q: Quadruplet): FourLeptonObservables {
  const [q11, q12] = q.z1.map(p4) as [FourMomentum, FourMomentum];
  const [q21, q22] = q.z2.map(p4) as [FourMomentum, FourMomentum];
  const z1 = sumFourMomenta([q11, q12]);
  const z2 = sumFourMomenta([q21, q22]);
  const x = sumFourMomenta([z1, z2]);
  const inX = (v: FourMomentum) => boostToRestFrame(v, x);
  const [b11, b12, b21, b22, bz1] = [q11, q12, q21, q22, z1].map(inX) as [FourMomentum, FourMomentum, FourMomentum, FourMomentum, FourMomentum];
  const n1 = unit3(cross(spatial(b11), spatial(b12)));
  const n2 = unit3(cross(spatial(b21), spatial(b22)));
  const beam: [number, number, number] = [0, 0, 1];
  const qz1 = spatial(bz1);
  const nsc = unit3(cross(beam, qz1));
  const phi = signOf(dot(qz1, cross(n1, n2))) * Math.acos(clamp(-dot(n1, n2)));
  const phi1 = signOf(dot(qz1, cross(n1, nsc))) * Math.acos(clamp(dot(n1, nsc)));
  const cosThetaStar = dot(unitVector(bz1), beam);
  const inZ1 = (v: FourMomentum) => boostToRestFrame(v, z1);
  const inZ2 = (v: FourMomentum) => boostToRestFrame(v, z2);
  const cosTheta1 = -dot(unitVector(inZ1(z2)), unitVector(inZ1(q11)));
  const cosTheta2 = -dot(unitVector(inZ2(z1)), unitVector(inZ2(q21)));
  const pt4l = Math.hypot(x.px, x.py);
  const y4l = 0.5 * Math.log((x.e + x.pz) / (x.e - x.pz));
  return { m4l: massOf(x), mZ1: massOf(z1), mZ2: massOf(z2), pt4l, y4l, cosThetaStar, cosTheta1, cosTheta2, phi, phi1 };
}

function unit3(v: [number, number, number]): [number, number, number] {
  const n = Math.hypot(v[0], v[1], v[2]);
  return n > 0 ? [v[0] / n, v[1] / n, v[2] / n] : [0, 0, 0];
}

/** Channel code of a quadruplet: 0 4μ, 1 4e, 2 2μ2e (Z1 → μμ), 3 2e2μ (Z1 → ee). */
export function channelOf(q: Quadruplet): number {
  const f1 = q.z1[0].flavour;
  const f2 = q.z2[0].flavour;
  if (f1 === 13 && f2 === 13) return 0;
  if (f1 === 11 && f2 === 11) return 1;
  return f1 === 13 ? 2 : 3;
}
