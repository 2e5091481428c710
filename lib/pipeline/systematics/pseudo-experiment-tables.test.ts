import { describe, expect, it } from 'vitest';
import { DER_COLUMN_NAMES, PRI_COLUMN_NAMES } from '../features/der-features';
import { buildPseudoExperimentTables } from './pseudo-experiment-tables';
import type { PseudoExperiment, PseudoExperimentSettings } from './pseudo-experiments';

/** Experiment i has i + 1 events whose PRI_lep_pt is 100·i + row. */
function fakeExperiments(n: number): { settings: PseudoExperimentSettings[]; experiments: PseudoExperiment[] } {
  const settings = Array.from({ length: n }, (_, i) => ({
    set: Math.floor(i / 2), experiment: i % 2, mu: 0.5 + Math.floor(i / 2), tes: 1, jes: 1, softMet: 0, ttbarScale: 1, dibosonScale: 1, bkgScale: 1, seed: i,
  }));
  const experiments = settings.map((s, i) => {
    const rows = i + 1;
    const column = (value: (r: number) => number) => Float32Array.from({ length: rows }, (_, r) => value(r));
    return {
      settings: s,
      pri: Object.fromEntries(PRI_COLUMN_NAMES.map((name) => [name, column((r) => (name === 'PRI_lep_pt' ? 100 * i + r : 0))])),
      der: Object.fromEntries(DER_COLUMN_NAMES.map((name) => [name, column(() => 0)])),
      sourceRows: Int32Array.from({ length: rows }, (_, r) => r),
      expectedEvents: rows,
    } as unknown as PseudoExperiment;
  });
  return { settings, experiments };
}

describe('buildPseudoExperimentTables', () => {
  it('numbers experiments by their index and counts their events in truth_pe', () => {
    const { settings, experiments } = fakeExperiments(4);
    const tables = buildPseudoExperimentTables(settings, experiments);
    expect(tables.eventRows).toBe(1 + 2 + 3 + 4);
    expect(Array.from(tables.events.pe_id as Int32Array)).toEqual([0, 1, 1, 2, 2, 2, 3, 3, 3, 3]);
    expect(Array.from(tables.truth.n_events as Int32Array)).toEqual([1, 2, 3, 4]);
    expect(Array.from(tables.truth.set_id as Int32Array)).toEqual([0, 0, 1, 1]);
  });

  it('orders both tables by the permuted pe_ids, keeping each experiment with its own truth', () => {
    const { settings, experiments } = fakeExperiments(4);
    const tables = buildPseudoExperimentTables(settings, experiments, Int32Array.from([2, 0, 3, 1]));
    // pe_id 0 is experiment 1 (2 events, set 0), pe_id 1 experiment 3, pe_id 2 experiment 0, pe_id 3 experiment 2.
    expect(Array.from(tables.truth.n_events as Int32Array)).toEqual([2, 4, 1, 3]);
    expect(Array.from(tables.truth.set_id as Int32Array)).toEqual([0, 1, 0, 1]);
    expect(Array.from(tables.truth.mu_true as Float64Array)).toEqual([0.5, 1.5, 0.5, 1.5]);
    expect(Array.from(tables.events.pe_id as Int32Array)).toEqual([0, 0, 1, 1, 1, 1, 2, 3, 3, 3]);
    expect(Array.from(tables.events.PRI_lep_pt as Float32Array)).toEqual([100, 101, 300, 301, 302, 303, 0, 200, 201, 202]);
  });

  it('refuses pe_ids that are not a permutation', () => {
    const { settings, experiments } = fakeExperiments(3);
    expect(() => buildPseudoExperimentTables(settings, experiments, Int32Array.from([0, 0, 1]))).toThrow(/permutation of 0…2/);
  });
});
