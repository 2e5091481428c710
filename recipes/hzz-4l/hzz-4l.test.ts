import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectionFromLists, type Collection } from '@/lib/pipeline/recipes';
import { buildRecipe } from '@/lib/pipeline/recipes/build-recipe';
import { computeRecipeRows } from '@/lib/pipeline/recipes/compute-recipe-rows';
import { prepareEventBatch } from '@/lib/pipeline/recipes/prepare-event-batch';
import { decodeArrowTable } from '@/lib/shared/arrow';
import { datasetManifestSchema } from '@/lib/shared/dataset-manifest';
import { type ConstructedEvent, writeConstructedPhysliteFile } from '@/tests/support/constructed-physlite-file';
import { fixturePath, hasFixture } from '@/tests/support/fixtures';
import { chooseQuadruplet, type Lepton } from './four-lepton';
import recipe from './recipe';

type ReferenceEvent = { kind: string; electrons: Record<string, number[]>; muons: Record<string, number[]>; jets: Record<string, number[]> };
const reference = JSON.parse(fs.readFileSync(path.join(__dirname, 'reference', 'four_lepton_reference.json'), 'utf8')) as {
  events: ReferenceEvent[];
  expected: (Record<string, number> | null)[];
};
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hzz-4l-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const FIELDS = { electrons: ['pt', 'eta', 'phi', 'm', 'charge', 'DFCommonElectronsLHLoose'], muons: ['pt', 'eta', 'phi', 'charge', 'quality'], jets: ['pt', 'eta', 'phi', 'm'] } as const;

function referenceBatch(events: readonly ReferenceEvent[]) {
  const collections = new Map<string, Collection>();
  for (const name of ['electrons', 'muons', 'jets'] as const) collections.set(name, collectionFromLists(name, events.map((e) => e[name]), FIELDS[name]));
  const length = events.length;
  return prepareEventBatch(
    { length, entries: Float64Array.from({ length }, (_, i) => i), collections, scalars: new Map(), mcWeight: new Float64Array(length).fill(1), dsid: new Float64Array(length) },
    recipe,
    null,
    { recipe: recipe.name, sample: 'reference', sampleIndex: 0, file: 'four_lepton_reference.json', fileIndex: 0, variation: null },
  );
}

/** Relative agreement for masses (float64 both sides), absolute for angles. */
function expectClose(found: number, expected: number, what: string) {
  const tolerance = Math.abs(expected) > 10 ? Math.abs(expected) * 1e-6 : 1e-6;
  expect(Math.abs(found - expected), `${what}: ${found} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

describe('hzz-4l recipe against the independent numpy reference', () => {
  it('selects exactly the events with a valid quadruplet, including the ones built to fail one cut each', () => {
    const rows = computeRecipeRows(recipe, referenceBatch(reference.events));
    const expected = reference.expected.flatMap((e, i) => (e ? [i] : []));
    expect(Array.from(rows.selectedEvents)).toEqual(expected);
    // The events built to fail lose their quadruplet, except where the extra random lepton gives them another.
    const failing = reference.events.map((e, i) => ({ kind: e.kind, selected: reference.expected[i] !== null })).filter((e) => ['three', 'same-sign', 'soft', 'close'].includes(e.kind));
    expect(failing.filter((e) => e.selected).length).toBeLessThan(failing.length / 2);
    expect(expected.length).toBeGreaterThan(60);
  });

  it('computes m4ℓ, mZ1, mZ2, the five angles, the leptons and the jets as the reference does', () => {
    const rows = computeRecipeRows(recipe, referenceBatch(reference.events));
    const selected = reference.expected.filter((e): e is Record<string, number> => e !== null);
    for (const column of recipe.featureColumns) {
      const values = rows.columns[column.name] as Float32Array;
      selected.forEach((exp, r) => {
        const want = exp[column.name] as number;
        // Features are stored as float32: compare with the reference rounded the same way.
        const rounded = column.type === 'int32' ? want : Math.fround(want);
        if (column.type === 'int32') expect(values[r], column.name).toBe(want);
        else expectClose(values[r] as number, rounded, `${column.name} row ${r}`);
      });
    }
  });

  it('picks the pair closest to mZ as Z1 and vetoes a quadruplet holding a J/ψ-like pair', () => {
    const lepton = (flavour: 11 | 13, charge: number, pt: number, eta: number, phi: number): Lepton => ({ flavour, charge, pt, eta, phi, m: flavour === 11 ? 0.511 : 105.658 });
    // Two μ pairs: (a, b) at ~91 GeV and (c, d) at ~30 GeV.
    const four = [lepton(13, -1, 45_000, 0, 0), lepton(13, 1, 45_000, 0, Math.PI), lepton(13, -1, 20_000, 1, 1.5), lepton(13, 1, 15_000, -0.5, 2.5)];
    const q = chooseQuadruplet(four);
    expect(q?.z1.map((l) => l.pt)).toEqual([45_000, 45_000]);
    expect(q?.z1[0].charge).toBe(-1);
    // A same-flavour opposite-charge pair below 5 GeV vetoes the quadruplet.
    const withJpsi = [lepton(13, -1, 45_000, 0, 0), lepton(13, 1, 45_000, 0, Math.PI), lepton(13, -1, 12_000, 1, 1.5), lepton(13, 1, 11_000, 1.05, 1.6)];
    expect(chooseQuadruplet(withJpsi)).toBeNull();
  });
});

function constructedEvent(e: ReferenceEvent): ConstructedEvent {
  return { AnalysisElectronsAuxDyn: e.electrons, AnalysisMuonsAuxDyn: e.muons, AnalysisJetsAuxDyn: e.jets };
}

describe('hzz-4l builds a dataset version from PHYSLITE files', () => {
  it('from files of constructed events (and the real PHYSLITE fixture among the background files): the rows and features of the reference, weights from the table\'s Σw', async () => {
    const inputs = path.join(tmp, 'inputs');
    fs.mkdirSync(path.join(inputs, 'physlite', 'hzz-4l'), { recursive: true });
    const signal = reference.events.map((e, i) => ({ e, i })).filter((x) => x.e.kind === 'higgs');
    const background = reference.events.map((e, i) => ({ e, i })).filter((x) => x.e.kind !== 'higgs');
    await writeConstructedPhysliteFile(path.join(inputs, 'ggH.root'), signal.map((x) => constructedEvent(x.e)), { dsid: 345060, mcWeight: (i) => 1 + (i % 3) });
    await writeConstructedPhysliteFile(path.join(inputs, 'zz.root'), background.map((x) => constructedEvent(x.e)), { dsid: 700600 });
    fs.writeFileSync(
      path.join(inputs, 'physlite', 'hzz-4l', 'dsids.csv'),
      'dsid,cross_section_pb,k_factor,filter_efficiency,sum_of_weights,description\n345060,0.0284,1.0,1.0,2000,ggH125 ZZ4l (test)\n700600,1.25,1.0,1.0,500,ZZ llll (test)\n700322,2000,1,1,1000,Sherpa Z->ee (the PHYSLITE fixture)\n',
    );
    const backgroundFiles = [path.join(inputs, 'zz.root'), ...(hasFixture('physlite/PHYSLITE_example.root') ? [fixturePath('physlite/PHYSLITE_example.root')] : [])];
    const outDir = path.join(tmp, 'out');
    const manifest = await buildRecipe({
      recipe: { kind: 'builtin', name: 'hzz-4l' },
      inputsDir: inputs,
      overrides: { sampleFiles: { ggH125_ZZ4l: [path.join(inputs, 'ggH.root')], ZZ4l: backgroundFiles } },
      outDir,
      createdAt: '2026-02-01T00:00:00Z',
      jobs: 1,
    });
    datasetManifestSchema.parse(JSON.parse(fs.readFileSync(path.join(outDir, 'manifest.json'), 'utf8')));
    const train = decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(outDir, 'train.arrow'))));
    const test = decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(outDir, 'test.arrow'))));
    const truth = decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(outDir, 'truth.arrow'))));
    const expectedSignal = signal.filter((x) => reference.expected[x.i]).length;
    const expectedBackground = background.filter((x) => reference.expected[x.i]).length;
    const labels = [...Array.from(train.columns.label as Uint8Array), ...Array.from(truth.columns.label as Uint8Array)];
    expect(labels.filter((l) => l === 1)).toHaveLength(expectedSignal);
    expect(labels.length - expectedSignal).toBeGreaterThanOrEqual(expectedBackground);
    // Each selected reference event is one row (found by its leading lepton's pT, as written in float32), with its features.
    const rows = [train, test].flatMap((t) => Array.from({ length: t.numRows }, (_, r) => ({ t, r })));
    const byLeadingPt = new Map<number, { t: typeof train; r: number }[]>();
    for (const row of rows) {
      const key = (row.t.columns.lep_pt_0 as Float32Array)[row.r] as number;
      byLeadingPt.set(key, [...(byLeadingPt.get(key) ?? []), row]);
    }
    for (const x of [...signal, ...background]) {
      const expected = reference.expected[x.i];
      if (!expected) continue;
      const found = byLeadingPt.get(Math.fround(expected.lep_pt_0 as number)) ?? [];
      expect(found, `event ${x.i}`).toHaveLength(1);
      const row = found[0] as { t: typeof train; r: number };
      for (const name of ['m4l', 'mZ2', 'cos_theta1', 'phi_decay', 'n_jets']) expectClose((row.t.columns[name] as Float32Array)[row.r] as number, Math.fround(expected[name] as number), `${name} of event ${x.i}`);
    }
    // Weights: w · σ·k·ε·L / Σw with Σw from the table (these files carry no CutBookkeepers), split-scaled.
    const meta = manifest.sampleMetadata?.find((m) => m.dsid === 345060);
    expect(meta).toMatchObject({ sumOfWeights: 2000, sumOfWeightsSource: 'table' });
    const unscaled = Array.from(train.columns.weight as Float64Array, (w, r) => ((train.columns.label as Uint8Array)[r] === 1 ? w * 0.7 : null)).filter((w): w is number => w !== null);
    const perUnit = (0.0284 * 140_000) / 2000;
    for (const w of unscaled) expect([1, 2, 3].some((k) => Math.abs(w - k * perUnit) < 1e-9 * perUnit)).toBe(true);
    expect(manifest.variations?.map((v) => v.name)).toEqual(['ees_up', 'mes_down', 'muon_resolution', 'jes_up']);
    expect(manifest.files.find((f) => f.name === 'events@display.arrow')?.rows).toBeGreaterThan(0);
    // Variations: electron scale moves m4ℓ up for events with electrons; their ids are test ids or new ones.
    const varied = decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(outDir, 'test@ees_up.arrow'))));
    expect(varied.numRows).toBeGreaterThan(test.numRows * 0.8);
  });
});
