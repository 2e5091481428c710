import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeArrowTable } from '@/lib/shared/arrow';
import { datasetManifestSchema } from '@/lib/shared/dataset-manifest';
import { applyClusterVariation } from './apply-cluster-variation';
import { generateTopTaggingToyJets } from './generate-top-tagging-toy-jets';
import { computeLargeRJetFeatures } from './large-r-jet-features';
import { buildTopTaggingToyDataset, ptFlatteningWeights, topTaggingToyFeatureColumns } from './top-tagging-toy';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'hep-arena-top-toy-'));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

const sample = generateTopTaggingToyJets({ seed: 12, stream: 'train', jets: 4000 });
const features = computeLargeRJetFeatures(sample.constituents);

function byClass(column: Float32Array | Float64Array, label: number): number[] {
  return Array.from(column).filter((_, i) => sample.label[i] === label);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] as number;
}

describe('generateTopTaggingToyJets', () => {
  it('gives identical jets for the same seed and different ones for another seed or stream', () => {
    const again = generateTopTaggingToyJets({ seed: 12, stream: 'train', jets: 4000 });
    expect(Buffer.from(again.constituents.pt.buffer).equals(Buffer.from(sample.constituents.pt.buffer))).toBe(true);
    expect(Buffer.from(again.constituents.phi.buffer).equals(Buffer.from(sample.constituents.phi.buffer))).toBe(true);
    expect(again.label).toEqual(sample.label);
    const otherSeed = generateTopTaggingToyJets({ seed: 13, stream: 'train', jets: 200 });
    const otherStream = generateTopTaggingToyJets({ seed: 12, stream: 'test', jets: 200 });
    expect(Array.from(otherSeed.constituents.pt.subarray(0, 40))).not.toEqual(Array.from(sample.constituents.pt.subarray(0, 40)));
    expect(Array.from(otherStream.constituents.pt.subarray(0, 40))).not.toEqual(Array.from(sample.constituents.pt.subarray(0, 40)));
  });

  it('generates half top and half QCD jets, shuffled', () => {
    expect(byClass(sample.label as unknown as Float64Array, 1)).toHaveLength(2000);
    const firstHundredTops = Array.from(sample.label.subarray(0, 100)).reduce((a, b) => a + b, 0);
    expect(firstHundredTops).toBeGreaterThan(30);
    expect(firstHundredTops).toBeLessThan(70);
  });

  it('stores 3 to 20 massless constituents per jet, pT-ordered, zero-padded, in MeV', () => {
    const { pt, eta, e, slots } = sample.constituents;
    const problems: string[] = [];
    for (let j = 0; j < sample.numJets && problems.length < 5; j++) {
      let count = 0;
      for (let k = 0; k < slots; k++) {
        const i = j * slots + k;
        if ((pt[i] as number) > 0) {
          count++;
          if (k > 0 && (pt[i] as number) > (pt[i - 1] as number)) problems.push(`jet ${j}: constituent ${k} harder than ${k - 1}`);
          if (Math.abs((e[i] as number) / ((pt[i] as number) * Math.cosh(eta[i] as number)) - 1) > 1e-6) problems.push(`jet ${j}: E ≠ pT cosh η`);
          if ((pt[i] as number) < 500) problems.push(`jet ${j}: constituent below 0.5 GeV (MeV expected)`);
        } else if (e[i] !== 0 || eta[i] !== 0) {
          problems.push(`jet ${j}: padding slot ${k} is not zero`);
        }
      }
      if (count < 3 || (count < slots && (pt[j * slots + count] as number) !== 0)) problems.push(`jet ${j}: ${count} constituents, or a gap`);
    }
    expect(problems).toEqual([]);
    const ptGeV = Array.from(features.fjet_pt, (x) => x / 1000);
    expect(Math.min(...ptGeV)).toBeGreaterThan(200);
    expect(median(ptGeV)).toBeGreaterThan(350);
    expect(median(ptGeV)).toBeLessThan(800);
  });

  it('has the physics of top tagging: top jets peak near the top mass with Qw near m_W and a lower τ32 than QCD jets', () => {
    const massTop = byClass(features.fjet_m, 1).map((m) => m / 1000);
    const massQcd = byClass(features.fjet_m, 0).map((m) => m / 1000);
    expect(median(massTop)).toBeGreaterThan(165);
    expect(median(massTop)).toBeLessThan(185);
    expect(massTop.filter((m) => m > 140 && m < 210).length / massTop.length).toBeGreaterThan(0.7);
    expect(median(massQcd)).toBeLessThan(90);
    expect(Math.min(...massQcd)).toBeGreaterThan(40);
    const qwTop = median(byClass(features.fjet_Qw, 1).map((m) => m / 1000));
    expect(qwTop).toBeGreaterThan(55);
    expect(qwTop).toBeLessThan(95);
    const tau32 = Float64Array.from(features.fjet_Tau3_wta, (t3, i) => t3 / (features.fjet_Tau2_wta[i] as number));
    expect(median(byClass(tau32, 1))).toBeLessThan(median(byClass(tau32, 0)) - 0.15);
    const d2 = (label: number) => median(byClass(features.fjet_D2, label));
    expect(d2(1)).toBeLessThan(d2(0));
  });

  it('rejects sizes without a jet of each class', () => {
    expect(() => generateTopTaggingToyJets({ seed: 1, stream: 's', jets: 1 })).toThrow(/jets must be an integer ≥ 2/);
  });
});

describe('applyClusterVariation', () => {
  const slice = { ...sample.constituents };

  it('scales every constituent for ces_up: fjet_pt, fjet_m and ECF1 rise by 1 %, shape ratios stay', () => {
    const up = computeLargeRJetFeatures(applyClusterVariation(slice, { name: 'ces_up', kind: 'energy-scale', scale: 1.01 }));
    for (let j = 0; j < 200; j++) {
      expect((up.fjet_pt[j] as number) / (features.fjet_pt[j] as number)).toBeCloseTo(1.01, 5);
      expect((up.fjet_m[j] as number) / (features.fjet_m[j] as number)).toBeCloseTo(1.01, 3);
      expect((up.fjet_ECF1[j] as number) / (features.fjet_ECF1[j] as number)).toBeCloseTo(1.01, 5);
      expect(up.fjet_Tau3_wta[j]).toBeCloseTo(features.fjet_Tau3_wta[j] as number, 5);
      expect(up.fjet_D2[j]).toBeCloseTo(features.fjet_D2[j] as number, 3);
      expect(up.fjet_eta[j]).toBeCloseTo(features.fjet_eta[j] as number, 5);
    }
  });

  it('leaves the nominal constituents untouched and keeps a smeared jet pT-ordered with its padding last', () => {
    const before = Buffer.from(sample.constituents.pt.buffer).toString('base64');
    const smeared = applyClusterVariation(slice, { name: 'cer', kind: 'energy-resolution', constantTerm: 0.02, stochasticTermSqrtGeV: 0.1, seed: 3 });
    expect(Buffer.from(sample.constituents.pt.buffer).toString('base64')).toBe(before);
    let changed = 0;
    let unordered = 0;
    for (let j = 0; j < sample.numJets; j++) {
      for (let k = 1; k < smeared.slots; k++) if ((smeared.pt[j * smeared.slots + k] as number) > (smeared.pt[j * smeared.slots + k - 1] as number)) unordered++;
      if (smeared.pt[j * smeared.slots] !== sample.constituents.pt[j * smeared.slots]) changed++;
    }
    expect(unordered).toBe(0);
    expect(changed).toBeGreaterThan(sample.numJets * 0.9);
    const again = applyClusterVariation(slice, { name: 'cer', kind: 'energy-resolution', constantTerm: 0.02, stochasticTermSqrtGeV: 0.1, seed: 3 });
    expect(Buffer.from(again.pt.buffer).equals(Buffer.from(smeared.pt.buffer))).toBe(true);
  });

  it('moves constituents in η and φ for cpos and keeps them massless', () => {
    const moved = applyClusterVariation(slice, { name: 'cpos', kind: 'position', sigmaEta: 0.01, sigmaPhi: 0.01, seed: 3 });
    const shifts = Array.from({ length: 500 }, (_, i) => (moved.eta[i] as number) - (slice.eta[i] as number)).filter((d) => d !== 0);
    const rms = Math.sqrt(shifts.reduce((s, d) => s + d * d, 0) / shifts.length);
    expect(rms).toBeGreaterThan(0.007);
    expect(rms).toBeLessThan(0.013);
    for (let i = 0; i < 500; i++) if ((moved.pt[i] as number) > 0) expect((moved.e[i] as number) / ((moved.pt[i] as number) * Math.cosh(moved.eta[i] as number))).toBeCloseTo(1, 5);
  });
});

describe('ptFlatteningWeights', () => {
  it('makes the weighted QCD pT spectrum match the top spectrum, with QCD weights of mean 1', () => {
    const weights = ptFlatteningWeights(features.fjet_pt, sample.label);
    const hist = (label: number, weighted: boolean) => {
      const h = new Float64Array(8);
      let total = 0;
      features.fjet_pt.forEach((pt, i) => {
        if (sample.label[i] !== label) return;
        const w = weighted ? (weights[i] as number) : 1;
        const b = Math.min(7, Math.max(0, Math.floor((pt - 300_000) / 100_000)));
        h[b] = (h[b] as number) + w;
        total += w;
      });
      return Array.from(h, (x) => x / total);
    };
    const top = hist(1, false);
    const qcdRaw = hist(0, false);
    const qcdWeighted = hist(0, true);
    expect(Math.abs((qcdRaw[0] as number) - (top[0] as number))).toBeGreaterThan(0.1);
    qcdWeighted.forEach((x, b) => expect(x).toBeCloseTo(top[b] as number, 2));
    const qcdWeights = Array.from(weights).filter((_, i) => sample.label[i] === 0);
    expect(qcdWeights.reduce((a, b) => a + b, 0) / qcdWeights.length).toBeCloseTo(1, 10);
    expect(Array.from(weights).filter((_, i) => sample.label[i] === 1).every((w) => w === 1)).toBe(true);
  });
});

describe('buildTopTaggingToyDataset', () => {
  const options = { seed: 9, trainJets: 600, testJets: 400, createdAt: '2026-01-01T00:00:00.000Z' };

  it('writes train, test, truth and four variations whose ids equal the nominal test ids', async () => {
    const outDir = path.join(tmpRoot, 'v1');
    const manifest = await buildTopTaggingToyDataset({ ...options, outDir });
    expect(datasetManifestSchema.parse(JSON.parse(fs.readFileSync(path.join(outDir, 'manifest.json'), 'utf8')))).toEqual(manifest);
    expect(manifest).toMatchObject({ dataset: 'top-tagging-toy', version: '1.0.0', isToy: true, licence: 'CC0-1.0', missingValue: 0, fixedSplitColumn: null });
    expect(manifest.title).toMatch(/toy/i);
    expect(manifest.featureColumns).toEqual(topTaggingToyFeatureColumns().map((c) => c.name));
    expect(manifest.featureColumns).toHaveLength(80 + 15 + 4);
    expect(manifest.columns.find((c) => c.name === 'fjet_clus_E_19')).toMatchObject({ unit: 'MeV' });
    expect(manifest.variations?.map((v) => [v.name, v.kind])).toEqual([['ces_up', 'parametrised'], ['ces_down', 'parametrised'], ['cer', 'parametrised'], ['cpos', 'parametrised']]);
    expect(manifest.files.map((f) => f.name)).toEqual([
      'train.arrow', 'train.parquet', 'train.root', 'test.arrow', 'test.parquet', 'test.root', 'truth.arrow',
      'test@ces_up.arrow', 'test@ces_up.parquet', 'test@ces_up.root', 'truth@ces_up.arrow',
      'test@ces_down.arrow', 'test@ces_down.parquet', 'test@ces_down.root', 'truth@ces_down.arrow',
      'test@cer.arrow', 'test@cer.parquet', 'test@cer.root', 'truth@cer.arrow',
      'test@cpos.arrow', 'test@cpos.parquet', 'test@cpos.root', 'truth@cpos.arrow', 'events@display.arrow',
    ]);
    const read = (name: string) => decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(outDir, name))));
    const train = read('train.arrow');
    const test = read('test.arrow');
    expect(train.columnNames).toEqual(['event_id', ...manifest.featureColumns, 'label', 'weight']);
    expect(test.columnNames).toEqual(['id', ...manifest.featureColumns]);
    const nominalIds = Array.from(test.columns.id as Int32Array);
    expect(nominalIds[0]).toBe(600);
    for (const variation of ['ces_up', 'ces_down', 'cer', 'cpos']) {
      const varied = read(`test@${variation}.arrow`);
      expect(Array.from(varied.columns.id as Int32Array), variation).toEqual(nominalIds);
      expect(Array.from(read(`truth@${variation}.arrow`).columns.label as Uint8Array)).toEqual(Array.from(read('truth.arrow').columns.label as Uint8Array));
    }
    const ptUp = read('test@ces_up.arrow').columns.fjet_pt as Float32Array;
    const pt = test.columns.fjet_pt as Float32Array;
    for (let i = 0; i < pt.length; i++) expect((ptUp[i] as number) / (pt[i] as number)).toBeCloseTo(1.01, 5);
    const truthWeight = read('truth.arrow').columns.weight as Float64Array;
    expect(Array.from(truthWeight).every((w) => w === 1)).toBe(true);
    expect(manifest.expectedYields.signal + manifest.expectedYields.background).toBe(400);
  });

  it('is byte-identical for the same seed and createdAt', async () => {
    const a = path.join(tmpRoot, 'same-a');
    const b = path.join(tmpRoot, 'same-b');
    const manifestA = await buildTopTaggingToyDataset({ ...options, outDir: a });
    const manifestB = await buildTopTaggingToyDataset({ ...options, outDir: b });
    expect(manifestB.files).toEqual(manifestA.files);
    for (const file of fs.readdirSync(a)) expect(fs.readFileSync(path.join(b, file)).equals(fs.readFileSync(path.join(a, file))), file).toBe(true);
  });
});
