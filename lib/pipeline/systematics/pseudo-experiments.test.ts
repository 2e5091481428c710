import { describe, expect, it } from 'vitest';
import { PRI_COLUMN_NAMES, type PriColumns } from '../features/der-features';
import { drawPseudoExperimentSettings, generatePseudoExperiment, type PseudoExperimentSettings } from './pseudo-experiments';

function source(n: number) {
  const column = (fill: (i: number) => number) => Float32Array.from({ length: n }, (_, i) => fill(i));
  const pri = Object.fromEntries(PRI_COLUMN_NAMES.map((name) => [name, column(() => -25)])) as unknown as Record<string, Float32Array>;
  Object.assign(pri, {
    PRI_lep_pt: column((i) => 30 + i),
    PRI_lep_eta: column(() => 0.1),
    PRI_lep_phi: column(() => 0.2),
    PRI_had_pt: column((i) => 40 + i),
    PRI_had_eta: column(() => -0.3),
    PRI_had_phi: column(() => 2.5),
    PRI_n_jets: column(() => 0),
    PRI_jet_all_pt: column(() => 0),
    PRI_met: column(() => 20),
    PRI_met_phi: column(() => -1),
  });
  const detailedLabels = Array.from({ length: n }, (_, i) => ['htautau', 'ztautau', 'ttbar', 'diboson'][i % 4] as string);
  return { pri: pri as unknown as PriColumns, weights: Array.from({ length: n }, () => 1), detailedLabels };
}

const nominal = (overrides: Partial<PseudoExperimentSettings> = {}): PseudoExperimentSettings => ({
  set: 0, experiment: 0, mu: 1, tes: 1, jes: 1, softMet: 0, ttbarScale: 1, dibosonScale: 1, bkgScale: 1, seed: 11, ...overrides,
});

describe('drawPseudoExperimentSettings', () => {
  it('draws μ per set in [0.1, 3] and clipped nuisances per experiment, reproducibly from the seed', () => {
    const a = drawPseudoExperimentSettings(42, 50, 40);
    expect(a).toHaveLength(2000);
    expect(drawPseudoExperimentSettings(42, 50, 40)).toEqual(a);
    expect(drawPseudoExperimentSettings(43, 50, 40)).not.toEqual(a);
    for (const s of a) {
      expect(s.mu).toBe(a[s.set * 40]?.mu);
      expect(s.mu).toBeGreaterThanOrEqual(0.1);
      expect(s.mu).toBeLessThanOrEqual(3);
      expect(s.tes).toBeGreaterThanOrEqual(0.9);
      expect(s.tes).toBeLessThanOrEqual(1.1);
      expect(s.softMet).toBeGreaterThanOrEqual(0);
      expect(s.softMet).toBeLessThanOrEqual(5);
      expect(s.dibosonScale).toBeGreaterThanOrEqual(0);
      expect(s.dibosonScale).toBeLessThanOrEqual(2);
      expect(s.bkgScale).toBeGreaterThanOrEqual(0.99);
      expect(s.bkgScale).toBeLessThanOrEqual(1.01);
    }
    const mean = (k: keyof PseudoExperimentSettings) => a.reduce((s, x) => s + (x[k] as number), 0) / a.length;
    const sd = (k: keyof PseudoExperimentSettings) => Math.sqrt(a.reduce((s, x) => s + ((x[k] as number) - mean(k)) ** 2, 0) / a.length);
    expect(mean('tes')).toBeCloseTo(1, 3);
    expect(sd('tes')).toBeCloseTo(0.01, 3);
    expect(sd('ttbarScale')).toBeCloseTo(0.02, 2);
    const softMets = a.map((s) => s.softMet).sort((x, y) => x - y);
    expect(softMets[1000]).toBeGreaterThan(0.85); // LogNormal(0, 1) has median 1
    expect(softMets[1000]).toBeLessThan(1.15);
  });
});

describe('generatePseudoExperiment', () => {
  it('gives each event Poisson(norm · w · yield scale) copies: the size follows the expected yield', () => {
    const src = source(400);
    const pe = generatePseudoExperiment(src, nominal({ mu: 2, ttbarScale: 1.2, bkgScale: 1 }), { expectedYield: 40000 });
    // Weights rescaled to 100 per event; norms 2 (signal), 1 (ztautau), 1.2 (ttbar), 1 (diboson).
    expect(pe.expectedEvents).toBeCloseTo(100 * 100 * (2 + 1 + 1.2 + 1), 6);
    expect(Math.abs(pe.sourceRows.length - pe.expectedEvents)).toBeLessThan(5 * Math.sqrt(pe.expectedEvents));
    const signal = Array.from(pe.sourceRows).filter((r) => r % 4 === 0).length;
    expect(Math.abs(signal - 20000)).toBeLessThan(5 * Math.sqrt(20000));
    expect(pe.pri.PRI_lep_pt[0]).toBe(30 + (pe.sourceRows[0] as number));
  });

  it('is reproducible for a seed, shuffled, and applies the drawn detector systematics to the copies', () => {
    const src = source(40);
    const settings = nominal({ tes: 1.05, seed: 3 });
    const a = generatePseudoExperiment(src, settings, { expectedYield: 400 });
    expect(generatePseudoExperiment(src, settings, { expectedYield: 400 })).toEqual(a);
    expect(Array.from(a.sourceRows)).not.toEqual([...a.sourceRows].sort((x, y) => x - y));
    for (let i = 0; i < a.sourceRows.length; i++) expect(a.pri.PRI_had_pt[i]).toBeCloseTo((40 + (a.sourceRows[i] as number)) * 1.05, 2);
  });

  it('rejects an unknown process, naming the row', () => {
    const src = source(4);
    src.detailedLabels[2] = 'wjets';
    expect(() => generatePseudoExperiment(src, nominal())).toThrow(/row 2: unknown process "wjets"/);
  });
});
