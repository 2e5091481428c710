import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecodedArrowTable } from '@/lib/shared/arrow';
import { fixturePath, hasFixture } from '@/tests/support/fixtures';
import { DER_COLUMN_NAMES, PRI_COLUMN_NAMES, type PriColumns } from '../features/der-features';
import { parseCsvTable, readFeatureTable } from '../io/read-feature-table';
import { runPipelineCli } from '../run-pipeline-cli';
import { applyDetectorSystematics, applyNormalisationNuisances, roundFloat32To3Decimals } from './detector-systematics';
import { numpyCosFloat32, numpySinFloat32 } from './numpy-float32-trig';

const SAMPLE = 'fair_universe_higgsml_sample';
const hasSample = hasFixture(`${SAMPLE}/FAIR_Universe_HiggsML_data.parquet`);
const repoRoot = path.resolve(__dirname, '..', '..', '..');
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'hep-arena-syst-'));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

/** Compares a CSV we wrote with a golden CSV: same header, same rows, every value within 1e-4 relative. */
function compareWithGolden(ours: DecodedArrowTable, golden: DecodedArrowTable): string[] {
  const problems: string[] = [];
  if (JSON.stringify(ours.columnNames) !== JSON.stringify(golden.columnNames)) problems.push(`header ${ours.columnNames.join(',')}`);
  if (ours.numRows !== golden.numRows) problems.push(`${ours.numRows} rows, golden ${golden.numRows}`);
  for (const name of golden.columnNames) {
    const a = ours.columns[name] as Float64Array;
    const b = golden.columns[name] as Float64Array;
    for (let i = 0; i < Math.min(ours.numRows, golden.numRows); i++) {
      const x = a[i] as number;
      const y = b[i] as number;
      if (Math.abs(x - y) > 1e-4 * Math.max(Math.abs(x), Math.abs(y))) {
        problems.push(`${name} row ${i}: ${x} vs golden ${y}`);
        break;
      }
    }
  }
  return problems;
}

const golden = (variant: string) => parseCsvTable(fs.readFileSync(fixturePath(`${SAMPLE}/golden/systematics_${variant}.csv`), 'utf8'), variant);

describe.runIf(hasSample)('pipeline systematics against the FAIR-Universe golden outputs', () => {
  it.each([
    ['nominal', [], 925, 'parquet'],
    ['tes1.03', ['--tes', '1.03'], 954, 'csv'],
    ['jes0.97', ['--jes', '0.97'], 925, 'parquet'],
  ] as const)('reproduces golden/systematics_%s.csv to 1e-4 relative with the exact row count', async (variant, flags, rows, format) => {
    const out = path.join(tmpRoot, `${variant}.csv`);
    const input = fixturePath(`${SAMPLE}/FAIR_Universe_HiggsML_data.${format}`);
    const stdout: string[] = [];
    const stderr: string[] = [];
    const code = await runPipelineCli(['systematics', '--input', input, ...flags, '--out', out], { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l) });
    expect(code, stderr.join('\n')).toBe(0);
    expect(JSON.parse(stdout[0] as string)).toMatchObject({ rowsIn: 1000, rowsOut: rows });
    const ours = parseCsvTable(fs.readFileSync(out, 'utf8'), 'ours');
    expect(ours.numRows).toBe(rows);
    expect(compareWithGolden(ours, golden(variant))).toEqual([]);
  });

  it('runs as `npm run pipeline -- systematics` with progress on stderr and a JSON summary on stdout', () => {
    const out = path.join(tmpRoot, 'spawned.csv');
    const result = spawnSync(path.join(repoRoot, 'node_modules', '.bin', 'tsx'), ['lib/pipeline/cli.ts', 'systematics', '--input', fixturePath(`${SAMPLE}/FAIR_Universe_HiggsML_data.csv`), '--jes', '0.97', '--out', out], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ rowsOut: 925 });
    expect(result.stderr).toMatch(/\[pipeline\] kept 925 of 1000 events/);
    expect(compareWithGolden(parseCsvTable(fs.readFileSync(out, 'utf8'), 'ours'), golden('jes0.97'))).toEqual([]);
  });

  describe('soft MET', () => {
    let pri: PriColumns;
    beforeAll(async () => {
      const table = await readFeatureTable(fixturePath(`${SAMPLE}/FAIR_Universe_HiggsML_data.parquet`));
      pri = Object.fromEntries(PRI_COLUMN_NAMES.map((n) => [n, table.columns[n]])) as unknown as PriColumns;
    });

    it('is reproducible for a seed, differs between seeds, and leaves everything but MET and the DER features unchanged', () => {
      const nominal = applyDetectorSystematics(pri);
      const a = applyDetectorSystematics(pri, { softMet: 3, seed: 7 });
      const b = applyDetectorSystematics(pri, { softMet: 3, seed: 7 });
      const c = applyDetectorSystematics(pri, { softMet: 3, seed: 8 });
      expect(Array.from(a.pri.PRI_met)).toEqual(Array.from(b.pri.PRI_met));
      expect(Array.from(a.pri.PRI_met)).not.toEqual(Array.from(c.pri.PRI_met));
      expect(Array.from(a.keptRows)).toEqual(Array.from(nominal.keptRows));
      expect(Array.from(a.pri.PRI_had_pt)).toEqual(Array.from(nominal.pri.PRI_had_pt));
    });

    it('adds Gaussian noise of the given width to each MET component', () => {
      const sigma = 3;
      const nominal = applyDetectorSystematics(pri);
      const smeared = applyDetectorSystematics(pri, { softMet: sigma, seed: 1 });
      const dx: number[] = [];
      const dy: number[] = [];
      for (let i = 0; i < nominal.keptRows.length; i++) {
        const [m0, p0, m1, p1] = [nominal.pri.PRI_met[i], nominal.pri.PRI_met_phi[i], smeared.pri.PRI_met[i], smeared.pri.PRI_met_phi[i]] as number[];
        dx.push((m1 as number) * Math.cos(p1 as number) - (m0 as number) * Math.cos(p0 as number));
        dy.push((m1 as number) * Math.sin(p1 as number) - (m0 as number) * Math.sin(p0 as number));
      }
      for (const d of [dx, dy]) {
        const mean = d.reduce((s, v) => s + v, 0) / d.length;
        const sd = Math.sqrt(d.reduce((s, v) => s + (v - mean) ** 2, 0) / (d.length - 1));
        expect(Math.abs(mean)).toBeLessThan((4 * sigma) / Math.sqrt(d.length));
        expect(sd).toBeGreaterThan(sigma * 0.9);
        expect(sd).toBeLessThan(sigma * 1.1);
      }
    });
  });
});

describe('detector systematics building blocks', () => {
  it('rounds to 3 decimals like numpy on float32: scaled in float32, halves to even', () => {
    expect(roundFloat32To3Decimals(Math.fround(2.0625))).toBe(Math.fround(2.062));
    expect(roundFloat32To3Decimals(Math.fround(2.0635))).toBe(Math.fround(2.064)); // 2.0635f·1000 rounds to 2063.5 in float32
    expect(roundFloat32To3Decimals(Math.fround(-1.48899996))).toBe(Math.fround(-1.489));
    expect(roundFloat32To3Decimals(-25)).toBe(-25);
  });

  it('computes numpy’s float32 sine and cosine within 1.5 ULP of the true values', () => {
    let worst = 0;
    for (let k = 0; k < 20000; k++) {
      const x = Math.fround(-10 + (20 * k) / 20000 + 1e-4);
      for (const [ours, exact] of [[numpySinFloat32(x), Math.sin(x)], [numpyCosFloat32(x), Math.cos(x)]] as const) {
        const ulp = 2 ** (Math.floor(Math.log2(Math.abs(exact))) - 23);
        worst = Math.max(worst, Math.abs(ours - exact) / ulp);
      }
    }
    expect(worst).toBeLessThan(1.5);
    expect(numpyCosFloat32(0)).toBe(1);
    expect(numpySinFloat32(0)).toBe(0);
  });

  it('moves the tau pT by tes and MET by the opposite shift, then drops events below the tau threshold', () => {
    const one = (v: number) => Float32Array.of(v, v);
    const pri = Object.fromEntries(PRI_COLUMN_NAMES.map((n) => [n, one(-25)])) as unknown as Record<string, Float32Array>;
    Object.assign(pri, {
      PRI_lep_pt: one(30), PRI_lep_eta: one(0), PRI_lep_phi: one(0),
      PRI_had_pt: Float32Array.of(40, 26.5), PRI_had_eta: one(0), PRI_had_phi: one(Math.PI / 2),
      PRI_n_jets: one(0), PRI_jet_all_pt: one(0), PRI_met: one(10), PRI_met_phi: one(-Math.PI / 2),
    });
    const result = applyDetectorSystematics(pri as unknown as PriColumns, { tes: 0.95 });
    expect(Array.from(result.keptRows)).toEqual([0]); // 26.5·0.95 < 26
    expect(result.pri.PRI_had_pt[0]).toBe(Math.fround(38));
    // MET is along −y, the tau along +y: MET += τ_new·(1 − tes)/tes = 38·0.05/0.95 = 2 GeV along +y.
    expect(result.pri.PRI_met[0]).toBeCloseTo(8, 2);
    expect(result.der.DER_pt_ratio_lep_had[0]).toBeCloseTo(30 / 38, 6);
    expect(Object.keys(result.der)).toEqual([...DER_COLUMN_NAMES]);
  });

  it('removes a jet that falls to 26 GeV or below after JES, from the jet fields, PRI_jet_all_pt and PRI_n_jets', () => {
    const pri = Object.fromEntries(PRI_COLUMN_NAMES.map((n) => [n, Float32Array.of(-25)])) as unknown as Record<string, Float32Array>;
    Object.assign(pri, {
      PRI_lep_pt: Float32Array.of(30), PRI_lep_eta: Float32Array.of(0.5), PRI_lep_phi: Float32Array.of(0),
      PRI_had_pt: Float32Array.of(40), PRI_had_eta: Float32Array.of(0), PRI_had_phi: Float32Array.of(2),
      PRI_jet_leading_pt: Float32Array.of(60), PRI_jet_leading_eta: Float32Array.of(1), PRI_jet_leading_phi: Float32Array.of(-2),
      PRI_jet_subleading_pt: Float32Array.of(27), PRI_jet_subleading_eta: Float32Array.of(-1), PRI_jet_subleading_phi: Float32Array.of(1),
      PRI_n_jets: Float32Array.of(2), PRI_jet_all_pt: Float32Array.of(87), PRI_met: Float32Array.of(20), PRI_met_phi: Float32Array.of(0.5),
    });
    const result = applyDetectorSystematics(pri as unknown as PriColumns, { jes: 0.95 });
    expect(result.pri.PRI_n_jets[0]).toBe(1);
    expect(result.pri.PRI_jet_subleading_pt[0]).toBe(-25);
    expect(result.pri.PRI_jet_leading_pt[0]).toBe(57);
    expect(result.pri.PRI_jet_all_pt[0]).toBeCloseTo(87 * 0.95 - 27 * 0.95, 3);
    expect(result.der.DER_mass_jet_jet[0]).toBe(-25);
  });

  it('names the missing PRI column', () => {
    expect(() => applyDetectorSystematics({ PRI_lep_pt: Float32Array.of(1) } as unknown as PriColumns)).toThrow(/has no column PRI_lep_eta; it needs the 16 PRI columns/);
  });

  it('scales weights per process: ttbar, diboson, then every background', () => {
    const weights = [1, 2, 3, 4];
    const detailed = ['htautau', 'ttbar', 'diboson', 'ztautau'];
    const labels = [1, 0, 0, 0];
    expect(Array.from(applyNormalisationNuisances(weights, detailed, labels, { ttbarScale: 1.1, dibosonScale: 0.5, bkgScale: 1.01 }))).toEqual([
      1,
      2 * 1.1 * 1.01,
      3 * 0.5 * 1.01,
      4 * 1.01,
    ]);
    expect(Array.from(applyNormalisationNuisances(weights, detailed, labels, {}))).toEqual(weights);
    expect(weights).toEqual([1, 2, 3, 4]);
  });
});
