import { describe, expect, it } from 'vitest';
import { computeLepHadFeatures, DEFAULT_LEP_HAD_SELECTION, type Jagged } from './lep-had-features';

/** Jagged column from per-event lists. */
const j = (...events: number[][]): Jagged => {
  const offsets = new Int32Array(events.length + 1);
  events.forEach((e, i) => (offsets[i + 1] = (offsets[i] as number) + e.length));
  return { values: Float32Array.from(events.flat()), offsets };
};

describe('computeLepHadFeatures', () => {
  // Event 0: e (50 GeV, q=−1) + tau (40 GeV, q=+1) + jets 60 GeV, 30 GeV (30 overlaps the tau), 22 GeV (below 26).
  // Event 1: e + tau of the same charge → dropped with requireOppositeCharge. Event 2: no tau → dropped.
  const columns = {
    electrons: { pt: j([50e3], [45e3], [30e3]), eta: j([0.5], [0.1], [0]), phi: j([0], [1], [2]), charge: j([-1], [1], [1]) },
    muons: { pt: j([15e3], [], []), eta: j([0], [], []), phi: j([3], [], []), charge: j([1], [], []) },
    taus: { pt: j([40e3], [35e3], []), eta: j([-0.5], [-1], []), phi: j([Math.PI / 2], [-2], []), charge: j([1], [1], []) },
    jets: { pt: j([60e3, 30e3, 22e3], [], []), eta: j([1.5, -0.5, 0.2], [], []), phi: j([Math.PI, Math.PI / 2 + 0.1, -1], [], []) },
  };

  it('picks the leading lepton and an opposite-charge tau outside ΔR 0.4, and converts MeV to GeV', () => {
    const f = computeLepHadFeatures(columns);
    expect(Array.from(f.events)).toEqual([0]);
    expect(f.leptonFlavour).toEqual(['electron']);
    expect(f.pri.PRI_lep_pt[0]).toBe(50);
    expect(f.pri.PRI_had_pt[0]).toBe(40);
    expect(f.pri.PRI_had_phi[0]).toBeCloseTo(Math.PI / 2, 6);
  });

  it('counts jets above 26 GeV that overlap neither the lepton nor the tau, −25 for the missing subleading jet', () => {
    const f = computeLepHadFeatures(columns);
    expect(f.pri.PRI_n_jets[0]).toBe(1);
    expect(f.pri.PRI_jet_leading_pt[0]).toBe(60);
    expect(f.pri.PRI_jet_all_pt[0]).toBe(60);
    expect(f.pri.PRI_jet_subleading_pt[0]).toBe(-25);
  });

  it('approximates MET as minus the vector sum of electrons, muons, taus and non-overlapping jets above 20 GeV', () => {
    const f = computeLepHadFeatures(columns);
    // −(e 50∠0 + μ 15∠3 + τ 40∠π/2 + jets 60∠π and 22∠−1; the 30 GeV jet overlaps the tau)
    const x = -(50 + 15 * Math.cos(3) + 0 + 60 * Math.cos(Math.PI) + 22 * Math.cos(-1));
    const y = -(0 + 15 * Math.sin(3) + 40 + 60 * Math.sin(Math.PI) + 22 * Math.sin(-1));
    expect(f.pri.PRI_met[0]).toBeCloseTo(Math.hypot(x, y), 3);
    expect(f.pri.PRI_met_phi[0]).toBeCloseTo(Math.atan2(y, x), 5);
  });

  it('keeps the same-charge event when opposite charge is not required', () => {
    const f = computeLepHadFeatures(columns, { ...DEFAULT_LEP_HAD_SELECTION, requireOppositeCharge: false });
    expect(Array.from(f.events)).toEqual([0, 1]);
  });
});
