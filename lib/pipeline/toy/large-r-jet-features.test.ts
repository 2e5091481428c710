import { describe, expect, it } from 'vitest';
import { computeLargeRJetFeatures, type ConstituentArrays } from './large-r-jet-features';

type Prong = { pt: number; eta: number; phi: number };

/** One jet with the given massless constituents (GeV, stored in MeV), padded to 20 slots. */
function jetOf(constituents: Prong[]): ConstituentArrays {
  const slots = 20;
  const c: ConstituentArrays = { pt: new Float32Array(slots), eta: new Float32Array(slots), phi: new Float32Array(slots), e: new Float32Array(slots), slots };
  constituents.forEach((k, i) => {
    c.pt[i] = k.pt * 1000;
    c.eta[i] = k.eta;
    c.phi[i] = k.phi;
    c.e[i] = k.pt * 1000 * Math.cosh(k.eta);
  });
  return c;
}

/** Invariant mass of massless constituents a and b (MeV). */
function pairMass(a: Prong, b: Prong): number {
  return 1000 * Math.sqrt(2 * a.pt * b.pt * (Math.cosh(a.eta - b.eta) - Math.cos(a.phi - b.phi)));
}

describe('computeLargeRJetFeatures', () => {
  // Three prongs: ΔR12 = 0.3, ΔR13 = 0.4, ΔR23 = 0.5.
  const prongs = [
    { pt: 100, eta: 0, phi: 0 },
    { pt: 50, eta: 0.3, phi: 0 },
    { pt: 50, eta: 0, phi: 0.4 },
  ];
  const f = computeLargeRJetFeatures(jetOf(prongs));

  it('gives the energy correlation functions and their ratios of a hand-computed three-prong jet', () => {
    const ecf1 = 200e3;
    const ecf2 = 100e3 * 50e3 * 0.3 + 100e3 * 50e3 * 0.4 + 50e3 * 50e3 * 0.5;
    const ecf3 = 100e3 * 50e3 * 50e3 * 0.3 * 0.4 * 0.5;
    expect(f.fjet_ECF1[0]).toBeCloseTo(ecf1, -1);
    expect((f.fjet_ECF2[0] as number) / ecf2).toBeCloseTo(1, 5);
    expect((f.fjet_ECF3[0] as number) / ecf3).toBeCloseTo(1, 5);
    expect(f.fjet_C2[0]).toBeCloseTo((ecf3 * ecf1) / ecf2 ** 2, 5);
    expect(f.fjet_D2[0]).toBeCloseTo((ecf3 * ecf1 ** 3) / ecf2 ** 3, 4);
    // z = (0.5, 0.25, 0.25): e2 = Σ z z ΔR, ₁e₃ = z z z · min ΔR, ₂e₃ = z z z · (0.3 · 0.4).
    const e2 = 0.5 * 0.25 * 0.3 + 0.5 * 0.25 * 0.4 + 0.25 * 0.25 * 0.5;
    const zzz = 0.5 * 0.25 * 0.25;
    expect(f.fjet_L3[0]).toBeCloseTo((zzz * 0.3) / e2, 5);
    expect(f.fjet_L2[0]).toBeCloseTo((zzz * 0.3 * 0.4) / e2 ** 2, 5);
  });

  it('clusters with exclusive kT and winner-take-all axes: τ_N, the splitting scales and Qw', () => {
    // kT distances: d12 = 50²·0.09 < d13 = 50²·0.16 < d23 = 50²·0.25, so 2 joins 1 (axis stays on 1) first.
    expect(f.fjet_Tau3_wta[0]).toBe(0);
    expect(f.fjet_Tau4_wta[0]).toBe(0);
    expect(f.fjet_Tau2_wta[0]).toBeCloseTo((50 * 0.3) / 200, 6);
    // τ1: axis on constituent 1 (the hardest after the WTA merges).
    expect(f.fjet_Tau1_wta[0]).toBeCloseTo((50 * 0.3 + 50 * 0.4) / 200, 6);
    expect(f.fjet_Split23[0]).toBeCloseTo(50e3 * 0.3, 0);
    const [a, b, c] = prongs as [Prong, Prong, Prong];
    const qw = Math.min(pairMass(a, b), pairMass(a, c), pairMass(b, c));
    expect(f.fjet_Qw[0]).toBeCloseTo(qw, 0);
    expect(f.fjet_Split12[0]).toBeGreaterThan(0);
  });

  it('sums the constituents into the jet 4-vector', () => {
    let px = 0;
    let py = 0;
    let pz = 0;
    let e = 0;
    for (const p of prongs) {
      px += p.pt * Math.cos(p.phi);
      py += p.pt * Math.sin(p.phi);
      pz += p.pt * Math.sinh(p.eta);
      e += p.pt * Math.cosh(p.eta);
    }
    expect((f.fjet_pt[0] as number) / 1000).toBeCloseTo(Math.hypot(px, py), 3);
    expect((f.fjet_m[0] as number) / 1000).toBeCloseTo(Math.sqrt(e * e - px * px - py * py - pz * pz), 3);
    expect(f.fjet_phi[0]).toBeCloseTo(Math.atan2(py, px), 5);
  });

  it('gives a back-to-back two-body jet a thrust major near 0 and a symmetric three-body jet a large one', () => {
    const twoBody = computeLargeRJetFeatures(jetOf([{ pt: 200, eta: 0, phi: 0.2 }, { pt: 200, eta: 0, phi: -0.2 }]));
    const threeBody = computeLargeRJetFeatures(jetOf([{ pt: 200, eta: 0, phi: 0 }, { pt: 200, eta: 0.25, phi: 0.25 }, { pt: 200, eta: -0.25, phi: 0.25 }]));
    expect(twoBody.fjet_ThrustMaj[0]).toBeLessThan(1e-3);
    expect(threeBody.fjet_ThrustMaj[0]).toBeGreaterThan(0.4);
  });

  it('returns zeros, not NaN, for an empty jet and a one-constituent jet', () => {
    const empty = computeLargeRJetFeatures(jetOf([]));
    const single = computeLargeRJetFeatures(jetOf([{ pt: 400, eta: 1, phi: 2 }]));
    for (const columns of [empty, single]) {
      for (const [name, column] of Object.entries(columns)) expect(Number.isFinite(column[0]), name).toBe(true);
    }
    expect(single.fjet_m[0]).toBe(0);
    expect(single.fjet_Tau1_wta[0]).toBe(0);
    expect(single.fjet_D2[0]).toBe(0);
  });
});
