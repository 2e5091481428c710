import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHiggsTautauToyDataset } from '@/lib/pipeline/toy/higgs-tautau-toy';
import { buildTopTaggingToyDataset } from '@/lib/pipeline/toy/top-tagging-toy';
import { decodeArrowTable, type DecodedArrowTable } from '../arrow';
import { chooseDefaultBinning } from './choose-default-binning';
import { fillHistogram1d } from './fill-histogram-1d';
import { fillHistogram2d } from './fill-histogram-2d';
import { groupTrainingRows } from './group-training-rows';
import { parseBinning } from './parse-binning';
import { sumGroupsByClass } from './sum-groups-by-class';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'histograms-'));
let htt: DecodedArrowTable;
let top: DecodedArrowTable;

beforeAll(async () => {
  await buildHiggsTautauToyDataset({ outDir: path.join(tmp, 'htt'), seed: 11, trainEvents: 4000, testEvents: 10, createdAt: '2026-01-01T00:00:00.000Z' });
  await buildTopTaggingToyDataset({ outDir: path.join(tmp, 'top'), seed: 12, trainJets: 600, testJets: 10, createdAt: '2026-01-01T00:00:00.000Z' });
  htt = decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(tmp, 'htt', 'train.arrow'))));
  top = decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(tmp, 'top', 'train.arrow'))));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Σ weight and row count per process, straight from the table, in row order. */
function yieldsByProcess(table: DecodedArrowTable): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  const processes = table.columns.detailed_label as string[] | undefined;
  const labels = table.columns.label as Uint8Array;
  const weights = table.columns.weight as Float64Array;
  for (let row = 0; row < table.numRows; row++) {
    const name = processes ? (processes[row] as string) : labels[row] === 1 ? 'signal' : 'background';
    const entry = out.get(name) ?? [0, 0];
    entry[0] += weights[row] as number;
    entry[1] += 1;
    out.set(name, entry);
  }
  return out;
}

describe('feature histograms of a training table', () => {
  it('per process, bins + under/overflow + missing equal the table’s weighted count and row count, for every feature and binning', () => {
    for (const table of [htt, top]) {
      const groups = groupTrainingRows(table.columns.label as Uint8Array, (table.columns.detailed_label as string[] | undefined) ?? null);
      const expected = yieldsByProcess(table);
      expect(new Set(groups.processes.names)).toEqual(new Set(expected.keys()));
      const features = table.columnNames.filter((n) => !['event_id', 'label', 'weight', 'detailed_label'].includes(n));
      for (const feature of features) {
        const values = table.columns[feature] as Float32Array;
        for (const binning of [chooseDefaultBinning(values, -25), { bins: 7, min: -1, max: 3 }, { bins: 1000, min: -1e6, max: 1e6 }]) {
          const histograms = fillHistogram1d(values, table.columns.weight as Float64Array, groups.processes, binning, -25);
          for (const h of histograms) {
            const [weight, rows] = expected.get(h.name) as [number, number];
            const binWeight = h.weights.reduce((a, b) => a + b, 0) + h.underflow[0] + h.overflow[0] + h.missing[0];
            const binRows = h.entries.reduce((a, b) => a + b, 0) + h.underflow[1] + h.overflow[1] + h.missing[1];
            expect(binRows, `${feature} ${h.name}`).toBe(rows);
            expect(h.total[1]).toBe(rows);
            // Only the order of the float64 additions differs from the table's own sum.
            expect(Math.abs(binWeight - weight) / weight, `${feature} ${h.name}`).toBeLessThan(1e-12);
            expect(Math.abs(h.total[0] - weight) / weight).toBeLessThan(1e-12);
          }
        }
      }
    }
  });

  it('sums exactly (bit for bit) when the weights are exactly representable, whatever the binning', () => {
    const n = 5000;
    const values = Float32Array.from({ length: n }, (_, i) => (i % 17 === 0 ? -25 : Math.sin(i) * 100));
    const weights = Float64Array.from({ length: n }, (_, i) => ((i * 7919) % 1024) / 256);
    const labels = Uint8Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const processes = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 'htautau' : i % 3 === 1 ? 'ztautau' : 'ttbar'));
    const groups = groupTrainingRows(labels, processes);
    for (const binning of [{ bins: 3, min: -50, max: 50 }, { bins: 1000, min: -100, max: 100 }, chooseDefaultBinning(values, -25)]) {
      for (const h of fillHistogram1d(values, weights, groups.processes, binning, -25)) {
        let expected = 0;
        processes.forEach((p, i) => { if (p === h.name) expected += weights[i] as number; });
        expect(h.weights.reduce((a, b) => a + b, 0) + h.underflow[0] + h.overflow[0] + h.missing[0]).toBe(expected);
      }
    }
  });

  it('class histograms summed from the processes equal a separate pass over the rows', () => {
    const groups = groupTrainingRows(htt.columns.label as Uint8Array, htt.columns.detailed_label as string[]);
    for (const feature of ['PRI_met', 'DER_mass_vis', 'PRI_jet_subleading_pt']) {
      const values = htt.columns[feature] as Float32Array;
      const binning = chooseDefaultBinning(values, -25);
      const summed = sumGroupsByClass(fillHistogram1d(values, htt.columns.weight as Float64Array, groups.processes, binning, -25));
      const direct = fillHistogram1d(values, htt.columns.weight as Float64Array, groups.classes, binning, -25);
      expect(summed?.map((c) => c.name)).toEqual(['background', 'signal']);
      summed?.forEach((c, k) => {
        const d = direct[k];
        expect(c.entries).toEqual(d?.entries);
        expect(c.missing[1]).toBe(d?.missing[1]);
        c.weights.forEach((w, i) => expect(Math.abs(w - (d?.weights[i] ?? 0))).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(w))));
      });
    }
    expect(sumGroupsByClass([{ name: 'mixed', label: null, weights: [], sumw2: [], entries: [], underflow: [0, 0], overflow: [0, 0], missing: [0, 0], total: [0, 0] }])).toBeNull();
  });

  it('counts the missing-value sentinel apart instead of drawing it as a spike', () => {
    const values = new Float32Array([-25, -25, 1, 2, -25, 3]);
    const groups = groupTrainingRows(new Uint8Array(6), null);
    const [background] = fillHistogram1d(values, null, groups.classes, { bins: 60, min: -30, max: 30 }, -25);
    expect(background?.missing).toEqual([3, 3]);
    expect(background?.entries.reduce((a, b) => a + b, 0)).toBe(3);
    expect(background?.entries[(-25 + 30) * 1]).toBe(0);
  });

  it('puts x = max in the overflow and x = min in the first bin, as ROOT does', () => {
    const groups = groupTrainingRows(new Uint8Array(3), null);
    const [h] = fillHistogram1d(new Float64Array([0, 10, 9.999]), null, groups.classes, { bins: 10, min: 0, max: 10 }, -999);
    expect(h?.entries[0]).toBe(1);
    expect(h?.entries[9]).toBe(1);
    expect(h?.overflow).toEqual([1, 1]);
  });

  it('orders processes backgrounds first so the signal is stacked on top, and marks a mixed process', () => {
    const g = groupTrainingRows(new Uint8Array([1, 0, 0, 1, 0]), ['h', 'z', 'tt', 'h', 'h']);
    expect(g.processes.names).toEqual(['tt', 'z', 'h']);
    expect(g.processes.labels).toEqual([0, 0, null]);
  });

  it('bins integer features one bin per value and long-tailed ones over their central quantiles', () => {
    expect(chooseDefaultBinning(new Float32Array([0, 1, 2, 3, 2, 1, -25]), -25)).toEqual({ bins: 4, min: -0.5, max: 3.5 });
    const tail = Float64Array.from({ length: 10_000 }, (_, i) => (i === 0 ? 1e6 : (i % 100) + 0.5));
    const binning = chooseDefaultBinning(tail, -25);
    expect(binning.max).toBeLessThan(1000);
    expect(binning.min).toBeLessThanOrEqual(0.5);
    expect(binning.bins).toBeLessThanOrEqual(1000);
  });

  it('fills a 2D histogram per class whose cells, outside and missing add up to the class totals', () => {
    const groups = groupTrainingRows(htt.columns.label as Uint8Array, null);
    const x = htt.columns.PRI_jet_leading_pt as Float32Array;
    const y = htt.columns.DER_mass_vis as Float32Array;
    const h2 = fillHistogram2d(x, y, htt.columns.weight as Float64Array, groups.classes, { bins: 20, min: 0, max: 200 }, { bins: 10, min: 0, max: 150 }, -25);
    const h1 = fillHistogram1d(x, htt.columns.weight as Float64Array, groups.classes, { bins: 1, min: 0, max: 1 }, -25);
    h2.forEach((h, g) => {
      expect(h.weights).toHaveLength(200);
      expect(h.total[1]).toBe(h1[g]?.total[1]);
      expect(Math.abs(h.weights.reduce((a, b) => a + b, 0) + h.outside[0] + h.missing[0] - h.total[0])).toBeLessThan(1e-9 * h.total[0]);
      expect(h.missing[1]).toBe(h1[g]?.missing[1]);
    });
  });
});

describe('requested binning', () => {
  const fallback = { bins: 50, min: 0, max: 100 };
  it('takes what is given and fills the rest from the default', () => {
    expect(parseBinning({ bins: '20' }, fallback)).toEqual({ binning: { bins: 20, min: 0, max: 100 }, isDefault: false });
    expect(parseBinning({}, fallback)).toEqual({ binning: fallback, isDefault: true });
  });
  it('refuses more than 1,000 bins, saying why', () => {
    expect(() => parseBinning({ bins: '1001' }, fallback)).toThrow(/bins must be a whole number from 1 to 1,000, found 1001: more than 1,000 bins/);
    expect(() => parseBinning({ bins: '2.5' }, fallback)).toThrow(/bins must be a whole number/);
    expect(() => parseBinning({ bins: '0' }, fallback)).toThrow(/bins must be a whole number/);
  });
  it('refuses min ≥ max and non-numbers, naming the parameter', () => {
    expect(() => parseBinning({ min: '5', max: '5' }, fallback)).toThrow('min (5) must be smaller than max (5)');
    expect(() => parseBinning({ min: '7', max: '3' }, fallback, '2')).toThrow('min2 (7) must be smaller than max2 (3)');
    expect(() => parseBinning({ max: 'abc' }, fallback)).toThrow('max must be a finite number, found "abc"');
    try {
      parseBinning({ bins: '5000' }, fallback);
    } catch (error) {
      expect(error).toMatchObject({ code: 'BAD_REQUEST', details: { column: 'bins' } });
    }
  });
});
