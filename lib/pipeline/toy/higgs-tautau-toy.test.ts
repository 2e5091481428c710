import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeArrowTable } from '@/lib/shared/arrow';
import { datasetManifestSchema } from '@/lib/shared/dataset-manifest';
import { computeDerFeatures, DER_COLUMN_NAMES, PRI_COLUMN_NAMES, type PriColumns } from '../features/der-features';
import { generateHiggsTautauToyEvents, TOY_YIELDS_PER_FB, type ToyEventTable } from './generate-higgs-tautau-toy-events';
import { buildHiggsTautauToyDataset } from './higgs-tautau-toy';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'hep-arena-toy-'));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

const sample = generateHiggsTautauToyEvents({ seed: 12, stream: 'train', events: 20_000, luminosityFb: 10 });

function rowsOf(table: ToyEventTable, process: string): number[] {
  return table.detailedLabel.flatMap((p, i) => (p === process ? [i] : []));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] as number;
}

/** Unweighted ROC AUC of `score` for label 1 against label 0 (ties count one half). */
function auc(score: ArrayLike<number>, isSignal: (i: number) => boolean, rows: number[]): number {
  const order = [...rows].sort((a, b) => (score[a] as number) - (score[b] as number));
  let pairsBelow = 0;
  let nSignal = 0;
  let nBackground = 0;
  for (let k = 0; k < order.length; ) {
    let end = k;
    while (end < order.length && score[order[end] as number] === score[order[k] as number]) end++;
    let tiedSignal = 0;
    let tiedBackground = 0;
    for (let j = k; j < end; j++) if (isSignal(order[j] as number)) tiedSignal++; else tiedBackground++;
    pairsBelow += tiedSignal * (nBackground + tiedBackground / 2);
    nSignal += tiedSignal;
    nBackground += tiedBackground;
    k = end;
  }
  return pairsBelow / (nSignal * nBackground);
}

describe('generateHiggsTautauToyEvents', () => {
  it('gives identical events for the same seed and different ones for another seed or stream', () => {
    const again = generateHiggsTautauToyEvents({ seed: 12, stream: 'train', events: 20_000, luminosityFb: 10 });
    expect(Buffer.from(again.features.DER_mass_vis.buffer).equals(Buffer.from(sample.features.DER_mass_vis.buffer))).toBe(true);
    expect(again.detailedLabel).toEqual(sample.detailedLabel);
    const otherSeed = generateHiggsTautauToyEvents({ seed: 13, stream: 'train', events: 2_000, luminosityFb: 10 });
    const otherStream = generateHiggsTautauToyEvents({ seed: 12, stream: 'test', events: 2_000, luminosityFb: 10 });
    expect(Array.from(otherSeed.features.PRI_lep_pt.subarray(0, 20))).not.toEqual(Array.from(sample.features.PRI_lep_pt.subarray(0, 20)));
    expect(Array.from(otherStream.features.PRI_lep_pt.subarray(0, 20))).not.toEqual(Array.from(sample.features.PRI_lep_pt.subarray(0, 20)));
  });

  it('generates 30 % signal, 60 % Z→ττ and 10 % tt̄ by count, shuffled, with labels matching the process', () => {
    expect(sample.eventsByProcess).toEqual({ htautau: 6000, ztautau: 12_000, ttbar: 2000 });
    sample.detailedLabel.forEach((p, i) => expect(sample.label[i]).toBe(p === 'htautau' ? 1 : 0));
    const firstHundredSignal = Array.from(sample.label.subarray(0, 100)).reduce((a, b) => a + b, 0);
    expect(firstHundredSignal).toBeGreaterThan(10);
    expect(firstHundredSignal).toBeLessThan(50);
  });

  it('normalises the weights of each process to its expected yield at the luminosity', () => {
    for (const process of ['htautau', 'ztautau', 'ttbar'] as const) {
      const sum = rowsOf(sample, process).reduce((s, i) => s + (sample.weight[i] as number), 0);
      expect(sum).toBeCloseTo(TOY_YIELDS_PER_FB[process] * 10, 6);
    }
  });

  it('applies the FAIR post-selection and fills absent jets with −25', () => {
    const f = sample.features;
    const violations: string[] = [];
    const check = (isOk: boolean, what: string, i: number) => {
      if (!isOk && violations.length < 5) violations.push(`row ${i}: ${what}`);
    };
    for (let i = 0; i < sample.numRows; i++) {
      const nJets = f.PRI_n_jets[i] as number;
      const leading = f.PRI_jet_leading_pt[i] as number;
      const subleading = f.PRI_jet_subleading_pt[i] as number;
      check((f.PRI_lep_pt[i] as number) >= 20, 'lepton pT < 20', i);
      check((f.PRI_had_pt[i] as number) >= 26, 'tau pT < 26', i);
      check(Math.abs(f.PRI_lep_eta[i] as number) <= 2.5 && Math.abs(f.PRI_had_eta[i] as number) <= 2.5, '|η| > 2.5', i);
      check(Number.isInteger(nJets) && nJets >= 0, 'n_jets not a count', i);
      check(nJets >= 1 ? leading > 26 : leading === -25 && f.PRI_jet_leading_eta[i] === -25 && f.PRI_jet_all_pt[i] === 0, 'leading jet', i);
      check(nJets >= 2 ? subleading > 26 && subleading <= leading : subleading === -25 && f.PRI_jet_subleading_phi[i] === -25, 'subleading jet', i);
      check(nJets < 2 || (f.PRI_jet_all_pt[i] as number) >= leading + subleading - 0.01, 'jet_all_pt below the two jets', i);
      check(nJets >= 2 || f.DER_mass_jet_jet[i] === -25, 'm_jj defined without two jets', i);
      check(Math.abs(f.PRI_met_phi[i] as number) <= Math.PI + 1e-3, 'MET φ outside [−π, π]', i);
    }
    expect(violations).toEqual([]);
    const jetCounts = new Set(Array.from(f.PRI_n_jets));
    expect([0, 1, 2, 3].every((n) => jetCounts.has(n))).toBe(true);
  });

  it('stores DER columns equal to computeDerFeatures of the stored float32 PRI columns', () => {
    const der = computeDerFeatures(Object.fromEntries(PRI_COLUMN_NAMES.map((n) => [n, sample.features[n]])) as unknown as PriColumns);
    for (const name of DER_COLUMN_NAMES) {
      expect(Array.from(sample.features[name]), name).toEqual(Array.from(Float32Array.from(der[name])));
    }
  });

  it('has the physics ordering of a H→ττ analysis: m_vis(H) > m_vis(Z), most jets and MET in tt̄', () => {
    const f = sample.features;
    const byProcess = (column: Float32Array, process: string) => rowsOf(sample, process).map((i) => column[i] as number);
    const mVisH = median(byProcess(f.DER_mass_vis, 'htautau'));
    const mVisZ = median(byProcess(f.DER_mass_vis, 'ztautau'));
    expect(mVisH).toBeGreaterThan(70);
    expect(mVisH).toBeLessThan(90);
    expect(mVisZ).toBeGreaterThan(55);
    expect(mVisZ).toBeLessThan(mVisH - 5);
    const meanJets = (process: string) => byProcess(f.PRI_n_jets, process).reduce((a, b) => a + b, 0) / rowsOf(sample, process).length;
    expect(meanJets('ttbar')).toBeGreaterThan(meanJets('htautau'));
    expect(meanJets('htautau')).toBeGreaterThan(meanJets('ztautau'));
    expect(median(byProcess(f.PRI_met, 'ttbar'))).toBeGreaterThan(median(byProcess(f.PRI_met, 'htautau')));
  });

  it('is learnable but not trivial: no single feature separates signal from background with AUC above 0.8', () => {
    const all = Array.from({ length: sample.numRows }, (_, i) => i);
    const isSignal = (i: number) => sample.label[i] === 1;
    let best = 0;
    for (const name of [...PRI_COLUMN_NAMES, ...DER_COLUMN_NAMES]) {
      const a = auc(sample.features[name], isSignal, all);
      best = Math.max(best, a, 1 - a);
    }
    expect(best).toBeGreaterThan(0.65);
    expect(best).toBeLessThan(0.8);
    expect(auc(sample.features.DER_mass_vis, isSignal, all)).toBeGreaterThan(0.6);
  });

  it('rejects fewer events than processes and a non-positive luminosity', () => {
    expect(() => generateHiggsTautauToyEvents({ seed: 1, stream: 's', events: 2, luminosityFb: 10 })).toThrow(/events must be an integer ≥ 3/);
    expect(() => generateHiggsTautauToyEvents({ seed: 1, stream: 's', events: 100, luminosityFb: 0 })).toThrow(/luminosityFb must be positive/);
  });
});

describe('buildHiggsTautauToyDataset', () => {
  const options = { seed: 9, trainEvents: 3000, testEvents: 1500, luminosityFb: 10, createdAt: '2026-01-01T00:00:00.000Z' };

  it('writes a version whose manifest parses, with train/test/truth consistent and weights summing to the yields', async () => {
    const outDir = path.join(tmpRoot, 'v1');
    const manifest = await buildHiggsTautauToyDataset({ ...options, outDir });
    expect(datasetManifestSchema.parse(JSON.parse(fs.readFileSync(path.join(outDir, 'manifest.json'), 'utf8')))).toEqual(manifest);
    expect(manifest).toMatchObject({ dataset: 'higgs-tautau-toy', isToy: true, licence: 'CC0-1.0', missingValue: -25, fixedSplitColumn: null, luminosityFb: 10 });
    expect(manifest.featureColumns).toEqual([...PRI_COLUMN_NAMES, ...DER_COLUMN_NAMES]);
    const read = (name: string) => decodeArrowTable(fs.readFileSync(path.join(outDir, name)));
    const train = read('train.arrow');
    const test = read('test.arrow');
    const truth = read('truth.arrow');
    expect(train.columnNames).toEqual(['event_id', ...manifest.featureColumns, 'label', 'weight', 'detailed_label']);
    expect(test.columnNames).toEqual(['id', ...manifest.featureColumns]);
    expect(truth.columnNames).toEqual(['id', 'label', 'weight']);
    expect(Array.from(truth.columns.id as Int32Array)).toEqual(Array.from(test.columns.id as Int32Array));
    const trainIds = new Set(train.columns.event_id as Int32Array);
    expect(trainIds.size).toBe(3000);
    for (const id of test.columns.id as Int32Array) expect(trainIds.has(id)).toBe(false);
    for (const table of [train, truth]) {
      let signal = 0;
      let background = 0;
      const label = table.columns.label as Uint8Array;
      const weight = table.columns.weight as Float64Array;
      for (let i = 0; i < table.numRows; i++) if (label[i] === 1) signal += weight[i] as number; else background += weight[i] as number;
      expect(signal).toBeCloseTo(manifest.expectedYields.signal, 6);
      expect(background).toBeCloseTo(manifest.expectedYields.background, 4);
    }
    expect(train.metadata).toMatchObject({ dataset: 'higgs-tautau-toy', version: '1.0.0', licence: 'CC0-1.0', role: 'train' });
    expect(JSON.parse(test.metadata.columns as string)[1]).toEqual({ name: 'PRI_lep_pt', unit: 'GeV', description: expect.any(String) });
  });

  it('is byte-identical for the same seed and createdAt', async () => {
    const a = path.join(tmpRoot, 'same-a');
    const b = path.join(tmpRoot, 'same-b');
    const manifestA = await buildHiggsTautauToyDataset({ ...options, outDir: a });
    const manifestB = await buildHiggsTautauToyDataset({ ...options, outDir: b });
    expect(manifestB.files).toEqual(manifestA.files);
    for (const file of fs.readdirSync(a)) {
      expect(fs.readFileSync(path.join(b, file)).equals(fs.readFileSync(path.join(a, file))), file).toBe(true);
    }
  });

  it('keeps the test sample unchanged when only the number of training events changes', async () => {
    const small = await buildHiggsTautauToyDataset({ ...options, trainEvents: 3000, outDir: path.join(tmpRoot, 'train-3000') });
    const large = await buildHiggsTautauToyDataset({ ...options, trainEvents: 4000, outDir: path.join(tmpRoot, 'train-4000') });
    const truthHash = (m: typeof small) => m.files.find((f) => f.name === 'truth.arrow');
    expect(truthHash(large)?.rows).toBe(truthHash(small)?.rows);
    const features = (dir: string) => decodeArrowTable(fs.readFileSync(path.join(tmpRoot, dir, 'test.arrow'))).columns.DER_mass_vis;
    expect(features('train-4000')).toEqual(features('train-3000'));
  });
});
