/**
 * Kinematics of PHYSLITE objects (pT, η, φ, m) for recipe features. Conventions of ../shared/docs/DATA.md:
 * px = pT cos φ, py = pT sin φ, pz = pT sinh η, E = √(p² + m²); Δφ wrapped to [−π, π]. Units are whatever goes in
 * (PHYSLITE stores MeV; divide by {@link MEV_PER_GEV} for GeV features).
 */

export const MEV_PER_GEV = 1000;

/** A four-momentum in Cartesian components. */
export type FourMomentum = { px: number; py: number; pz: number; e: number };

/** φ1 − φ2 wrapped to [−π, π]. */
export function deltaPhi(phi1: number, phi2: number): number {
  let d = phi1 - phi2;
  while (d > Math.PI) d -= 2 * Math.PI;
  while (d < -Math.PI) d += 2 * Math.PI;
  return d;
}

/** ΔR = √(Δη² + Δφ²). */
export function deltaR(eta1: number, phi1: number, eta2: number, phi2: number): number {
  const dPhi = deltaPhi(phi1, phi2);
  const dEta = eta1 - eta2;
  return Math.sqrt(dEta * dEta + dPhi * dPhi);
}

/** The four-momentum of an object given as pT, η, φ and mass. */
export function fourMomentum(pt: number, eta: number, phi: number, m = 0): FourMomentum {
  const px = pt * Math.cos(phi);
  const py = pt * Math.sin(phi);
  const pz = pt * Math.sinh(eta);
  return { px, py, pz, e: Math.sqrt(px * px + py * py + pz * pz + m * m) };
}

/** Component-wise sum of four-momenta. */
export function sumFourMomenta(vectors: readonly FourMomentum[]): FourMomentum {
  const s = { px: 0, py: 0, pz: 0, e: 0 };
  for (const v of vectors) {
    s.px += v.px;
    s.py += v.py;
    s.pz += v.pz;
    s.e += v.e;
  }
  return s;
}

/** Invariant mass √max(0, E² − p²) of a four-momentum (a sum of several gives their combined mass). */
export function massOf(v: FourMomentum): number {
  return Math.sqrt(Math.max(0, v.e * v.e - v.px * v.px - v.py * v.py - v.pz * v.pz));
}

/** Invariant mass of a set of objects. */
export function invariantMass(vectors: readonly FourMomentum[]): number {
  return massOf(sumFourMomenta(vectors));
}

/** Transverse momentum of a four-momentum. */
export function ptOf(v: FourMomentum): number {
  return Math.hypot(v.px, v.py);
}

/** Pseudorapidity of a four-momentum (±∞ along the beam is returned as ±1e9 so features stay finite). */
export function etaOf(v: FourMomentum): number {
  const pt = ptOf(v);
  if (pt === 0) return v.pz >= 0 ? 1e9 : -1e9;
  return Math.asinh(v.pz / pt);
}

/** Azimuth of a four-momentum in [−π, π]. */
export function phiOf(v: FourMomentum): number {
  return Math.atan2(v.py, v.px);
}

/** Transverse mass of two objects (e.g. a lepton and the missing transverse momentum): √(2 pT1 pT2 (1 − cos Δφ)). */
export function transverseMass(pt1: number, phi1: number, pt2: number, phi2: number): number {
  return Math.sqrt(Math.max(0, 2 * pt1 * pt2 * (1 - Math.cos(phi1 - phi2))));
}

/** Rapidity y = ½ ln((E + pz)/(E − pz)) of a four-momentum (0 when undefined). */
export function rapidityOf(v: FourMomentum): number {
  const plus = v.e + v.pz;
  const minus = v.e - v.pz;
  if (!(plus > 0 && minus > 0)) return 0;
  return 0.5 * Math.log(plus / minus);
}

/** Boosts `v` into the rest frame of `frame` (a massive four-momentum). */
export function boostToRestFrame(v: FourMomentum, frame: FourMomentum): FourMomentum {
  const m = massOf(frame);
  if (!(m > 0)) return v;
  const bx = -frame.px / frame.e;
  const by = -frame.py / frame.e;
  const bz = -frame.pz / frame.e;
  const b2 = bx * bx + by * by + bz * bz;
  if (b2 === 0) return v;
  const gamma = 1 / Math.sqrt(1 - b2);
  const bp = bx * v.px + by * v.py + bz * v.pz;
  const gamma2 = (gamma - 1) / b2;
  return {
    px: v.px + gamma2 * bp * bx + gamma * bx * v.e,
    py: v.py + gamma2 * bp * by + gamma * by * v.e,
    pz: v.pz + gamma2 * bp * bz + gamma * bz * v.e,
    e: gamma * (v.e + bp),
  };
}

/** The spatial part of a four-momentum as a unit vector ([0, 0, 0] for a null vector). */
export function unitVector(v: FourMomentum): [number, number, number] {
  const p = Math.hypot(v.px, v.py, v.pz);
  return p > 0 ? [v.px / p, v.py / p, v.pz / p] : [0, 0, 0];
}

/** Cross product of two 3-vectors. */
export function cross(a: readonly [number, number, number], b: readonly [number, number, number]): [number, number, number] {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

/** Dot product of two 3-vectors. */
export function dot(a: readonly [number, number, number], b: readonly [number, number, number]): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}
