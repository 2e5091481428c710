import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixturePath, hasFixture } from '@/tests/support/fixtures';
import {
  computeDerFeatures,
  DER_COLUMN_NAMES,
  DER_COLUMNS,
  PRI_COLUMN_NAMES,
  PRI_COLUMNS,
  type PriColumnName,
  type PriColumns,
} from './der-features';

/** Numeric columns of a simple CSV (no quoting in these fixtures); non-numeric columns are skipped. */
function readNumericCsv(file: string): { rows: number; columns: Record<string, Float64Array> } {
  const [header, ...lines] = fs.readFileSync(file, 'utf8').trimEnd().split(/\r?\n/);
  const names = (header as string).split(',');
  const columns: Record<string, Float64Array> = Object.fromEntries(names.map((n) => [n, new Float64Array(lines.length)]));
  lines.forEach((line, row) => {
    line.split(',').forEach((text, j) => {
      (columns[names[j] as string] as Float64Array)[row] = Number(text);
    });
  });
  return { rows: lines.length, columns };
}

function priOf(columns: Record<string, Float64Array>): PriColumns {
  return Object.fromEntries(PRI_COLUMN_NAMES.map((name) => [name, columns[name]])) as unknown as PriColumns;
}

const FLOAT32_EPSILON = 2 ** -24;
const massColumns = new Set(['DER_mass_transverse_met_lep', 'DER_mass_vis', 'DER_mass_jet_jet']);

/**
 * Worst deviation per DER column between our double-precision values and a reference file. The reference
 * (`derived_quantities.py` on float32 pandas columns) computes in float32 arithmetic, so an invariant mass
 * m² = E² − |p|² carries an absolute error of a few ε₃₂·E² that dominates when m ≪ E (e.g. mT of a nearly
 * collinear lepton and MET). Masses are therefore compared as |Δm²| / (ε₃₂·E²), which must stay O(1);
 * every other column as |Δ| / max(1, |reference|).
 */
function worstDeviations(file: string): Record<string, number> {
  const { rows, columns: c } = readNumericCsv(file);
  const der = computeDerFeatures(priOf(c));
  const at = (name: string, i: number) => (c[name] as Float64Array)[i] as number;
  const scaleSquared = (name: string, i: number): number => {
    if (name === 'DER_mass_transverse_met_lep') return (at('PRI_met', i) + at('PRI_lep_pt', i)) ** 2;
    if (name === 'DER_mass_vis') {
      return (at('PRI_lep_pt', i) * Math.cosh(at('PRI_lep_eta', i)) + at('PRI_had_pt', i) * Math.cosh(at('PRI_had_eta', i))) ** 2;
    }
    return (at('PRI_jet_leading_pt', i) * Math.cosh(at('PRI_jet_leading_eta', i)) + at('PRI_jet_subleading_pt', i) * Math.cosh(at('PRI_jet_subleading_eta', i))) ** 2;
  };
  const worst: Record<string, number> = {};
  for (const name of DER_COLUMN_NAMES) {
    let max = 0;
    for (let i = 0; i < rows; i++) {
      const ours = der[name][i] as number;
      const reference = at(name, i);
      const isDefinedMass = massColumns.has(name) && reference !== -25;
      const deviation = isDefinedMass
        ? Math.abs(ours ** 2 - reference ** 2) / (FLOAT32_EPSILON * scaleSquared(name, i))
        : Math.abs(ours - reference) / Math.max(1, Math.abs(reference));
      if (!(deviation <= max)) max = deviation;
    }
    worst[name] = max;
  }
  return worst;
}

function expectAgreement(worst: Record<string, number>): void {
  for (const name of DER_COLUMN_NAMES) {
    // Masses: measured up to ≈4.6 ε₃₂·E²; other columns: measured ≤ 6e-6 relative.
    expect(worst[name], name).toBeLessThan(massColumns.has(name) ? 16 : 2e-5);
  }
}

const fairCsv = 'fair_universe_higgsml_sample/FAIR_Universe_HiggsML_data.csv';
const goldens = ['nominal', 'tes1.03', 'jes0.97'].map((v) => `fair_universe_higgsml_sample/golden/systematics_${v}.csv`);

describe('computeDerFeatures against FAIR-Universe data', () => {
  it.skipIf(!hasFixture(fairCsv))('reproduces all 12 DER columns of the 1000-row FAIR-Universe sample from its PRI columns', () => {
    expectAgreement(worstDeviations(fixturePath(fairCsv)));
  });

  for (const golden of goldens) {
    it.skipIf(!hasFixture(golden))(`reproduces the DER columns of ${golden.split('/').pop()} (systematics.py output)`, () => {
      expectAgreement(worstDeviations(fixturePath(golden)));
    });
  }

  it.skipIf(!hasFixture(fairCsv))('agrees to 1e-4 relative on every mass above 10 GeV', () => {
    const { rows, columns } = readNumericCsv(fixturePath(fairCsv));
    const der = computeDerFeatures(priOf(columns));
    let checked = 0;
    for (const name of massColumns) {
      for (let i = 0; i < rows; i++) {
        const reference = (columns[name] as Float64Array)[i] as number;
        if (reference < 10) continue;
        checked++;
        expect(Math.abs((der[name as keyof typeof der][i] as number) - reference) / reference, `${name} row ${i}`).toBeLessThan(1e-4);
      }
    }
    expect(checked).toBeGreaterThan(1500);
  });
});

function singleEvent(overrides: Partial<Record<PriColumnName, number>>): PriColumns {
  const base: Record<PriColumnName, number> = {
    PRI_lep_pt: 30, PRI_lep_eta: 0.5, PRI_lep_phi: 0.1,
    PRI_had_pt: 40, PRI_had_eta: -0.3, PRI_had_phi: 2.5,
    PRI_jet_leading_pt: -25, PRI_jet_leading_eta: -25, PRI_jet_leading_phi: -25,
    PRI_jet_subleading_pt: -25, PRI_jet_subleading_eta: -25, PRI_jet_subleading_phi: -25,
    PRI_n_jets: 0, PRI_jet_all_pt: 0, PRI_met: 20, PRI_met_phi: 1.2,
  };
  const merged = { ...base, ...overrides };
  return Object.fromEntries(Object.entries(merged).map(([k, v]) => [k, Float64Array.of(v)])) as unknown as PriColumns;
}

describe('computeDerFeatures corner cases', () => {
  it('sets the four two-jet features to −25 with fewer than two jets and ignores the −25 jet fields in pt_tot', () => {
    const der = computeDerFeatures(singleEvent({}));
    for (const name of ['DER_deltaeta_jet_jet', 'DER_mass_jet_jet', 'DER_prodeta_jet_jet', 'DER_lep_eta_centrality'] as const) {
      expect(der[name][0]).toBe(-25);
    }
    expect(der.DER_pt_tot[0]).toBeCloseTo(der.DER_pt_h[0] as number, 12);
    expect(der.DER_sum_pt[0]).toBe(70);
  });

  it('includes the leading jet in pt_tot but not the subleading fields when PRI_n_jets is 1', () => {
    const withJet = computeDerFeatures(singleEvent({ PRI_n_jets: 1, PRI_jet_leading_pt: 50, PRI_jet_leading_eta: 1, PRI_jet_leading_phi: -2, PRI_jet_all_pt: 50 }));
    const lep = [30 * Math.cos(0.1), 30 * Math.sin(0.1)];
    const had = [40 * Math.cos(2.5), 40 * Math.sin(2.5)];
    const met = [20 * Math.cos(1.2), 20 * Math.sin(1.2)];
    const jet = [50 * Math.cos(-2), 50 * Math.sin(-2)];
    const x = (lep[0] as number) + (had[0] as number) + (met[0] as number) + (jet[0] as number);
    const y = (lep[1] as number) + (had[1] as number) + (met[1] as number) + (jet[1] as number);
    expect(withJet.DER_pt_tot[0]).toBeCloseTo(Math.hypot(x, y), 10);
    expect(withJet.DER_mass_jet_jet[0]).toBe(-25);
    expect(withJet.DER_sum_pt[0]).toBe(120);
  });

  it('computes the two-jet features, adding 1e-4 to Δη² when both jets have the same η', () => {
    const der = computeDerFeatures(
      singleEvent({
        PRI_n_jets: 2, PRI_jet_all_pt: 90,
        PRI_jet_leading_pt: 60, PRI_jet_leading_eta: 0.4, PRI_jet_leading_phi: 0,
        PRI_jet_subleading_pt: 30, PRI_jet_subleading_eta: 0.4, PRI_jet_subleading_phi: Math.PI / 2,
        PRI_lep_eta: 0.41,
      }),
    );
    expect(der.DER_deltaeta_jet_jet[0]).toBe(0);
    expect(der.DER_prodeta_jet_jet[0]).toBeCloseTo(0.16, 12);
    expect(der.DER_lep_eta_centrality[0]).toBeCloseTo(Math.exp((-4 / 1e-4) * 0.01 ** 2), 12);
    // Two massless jets at equal η, 90° apart: m² = 2 pT1 pT2 (1 − cos Δφ).
    expect(der.DER_mass_jet_jet[0]).toBeCloseTo(Math.sqrt(2 * 60 * 30), 10);
  });

  it('wraps Δφ into [0, π] for ΔR and gives √2 centrality for MET between lepton and tau', () => {
    const der = computeDerFeatures(singleEvent({ PRI_lep_phi: 3.0, PRI_had_phi: -3.0, PRI_lep_eta: 0, PRI_had_eta: 0, PRI_met_phi: Math.PI }));
    expect(der.DER_deltar_had_lep[0]).toBeCloseTo(2 * Math.PI - 6, 12);
    expect(der.DER_met_phi_centrality[0]).toBeCloseTo(Math.SQRT2, 12);
  });

  it('retries the MET centrality with φ_lep + 1e-4 when lepton and tau are back to back', () => {
    const der = computeDerFeatures(singleEvent({ PRI_lep_phi: 0, PRI_had_phi: 0, PRI_met_phi: 1 }));
    const a = Math.sin(1 - 1e-4) * Math.sign(Math.sin(-1e-4));
    const b = Math.sin(0 - 1) * Math.sign(Math.sin(-1e-4));
    expect(der.DER_met_phi_centrality[0]).toBeCloseTo((a + b) / Math.hypot(a, b), 12);
  });

  it('rejects columns of unequal length, naming the column', () => {
    const pri = singleEvent({});
    expect(() => computeDerFeatures({ ...pri, PRI_met: new Float64Array(2) })).toThrow(/PRI_met has 2 rows, expected 1/);
  });

  it('describes every column with a unit', () => {
    expect(PRI_COLUMNS).toHaveLength(16);
    expect(DER_COLUMNS).toHaveLength(12);
    for (const column of [...PRI_COLUMNS, ...DER_COLUMNS]) expect(['GeV', 'rad', 'dimensionless']).toContain(column.unit);
  });
});
