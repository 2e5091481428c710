import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectionFromLists, type Collection, deltaR } from '@/lib/pipeline/recipes';
import { buildRecipe } from '@/lib/pipeline/recipes/build-recipe';
import { computeRecipeRows } from '@/lib/pipeline/recipes/compute-recipe-rows';
import { branchesOfRecipe } from '@/lib/pipeline/recipes/define-recipe';
import { openPhysliteFile } from '@/lib/pipeline/recipes/open-physlite-file';
import { prepareEventBatch, readBatchColumns } from '@/lib/pipeline/recipes/prepare-event-batch';
import { openRootFile } from '@/lib/pipeline/root';
import { decodeArrowTable } from '@/lib/shared/arrow';
import { writeConstructedPhysliteFile } from '@/tests/support/constructed-physlite-file';
import { fixturePath, hasFixture } from '@/tests/support/fixtures';
import { largeRJetRecipe, MISSING } from './large-r-jets';
import recipe from './recipe';

type ReferenceEvent = { largeRJets: Record<string, number[]>; tracks: Record<string, number[]>; jets: Record<string, number[]> };
const reference = JSON.parse(fs.readFileSync(path.join(__dirname, 'reference', 'large_r_jet_reference.json'), 'utf8')) as { events: ReferenceEvent[]; expected: Record<string, number>[][] };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'large-r-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function expectClose(found: number, expected: number, what: string) {
  const tolerance = Math.max(Math.abs(expected) * 2e-7, 1e-6);
  expect(Math.abs(found - expected), `${what}: ${found} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

describe('large-r-jets recipe against the independent numpy reference', () => {
  it('gives one row per large-R jet in the pT window, with substructure, τ ratios, track constituents padded to 20 and subjets', () => {
    const fields = { largeRJets: recipe.collections.largeRJets?.fields ?? [], tracks: ['qOverP', 'theta', 'phi'], jets: ['pt', 'eta', 'phi', 'm'] };
    const collections = new Map<string, Collection>();
    for (const name of ['largeRJets', 'tracks', 'jets'] as const) collections.set(name, collectionFromLists(name, reference.events.map((e) => e[name]), fields[name]));
    const length = reference.events.length;
    const events = prepareEventBatch(
      { length, entries: Float64Array.from({ length }, (_, i) => i), collections, scalars: new Map(), mcWeight: new Float64Array(length).fill(1), dsid: new Float64Array(length) },
      recipe,
      null,
      { recipe: recipe.name, sample: 'reference', sampleIndex: 0, file: 'large_r_jet_reference.json', fileIndex: 0, variation: null },
    );
    const rows = computeRecipeRows(recipe, events);
    const expected = reference.expected.flatMap((rowsOfEvent, e) => rowsOfEvent.map((row, item) => ({ row, e, item })));
    expect(rows.rowEvent.length).toBe(expected.length);
    expect(Array.from(rows.rowEvent)).toEqual(expected.map((x) => x.e));
    expect(Array.from(rows.rowItem)).toEqual(expected.map((x) => x.item));
    for (const column of recipe.featureColumns) {
      const values = rows.columns[column.name] as Float32Array;
      expected.forEach((x, r) => {
        const want = x.row[column.name] ?? MISSING;
        if (column.type === 'int32') expect(values[r], `${column.name} row ${r}`).toBe(want);
        else expectClose(values[r] as number, Math.fround(want), `${column.name} row ${r}`);
      });
    }
    expect(expected.some((x) => (x.row.fjet_n_trk as number) > 20)).toBe(true);
  });
});

describe.runIf(hasFixture('physlite/PHYSLITE_example.root'))('large-r-jets on the real PHYSLITE fixture', () => {
  it('reads the real branches (UFO CSSK large-R jets, thinned tracks, small-R jets) and agrees with jsroot\'s event loop', async () => {
    const loose = largeRJetRecipe({ dataset: 'fixture-large-r', title: 'fixture', luminosityFb: 1, samples: [{ name: 'zee', files: ['x.root'], label: 0, process: 'zee' }], dsidTable: [{ dsid: 700322, crossSectionPb: 1, kFactor: 1, filterEfficiency: 1 }], ptMinGeV: 100 });
    const file = await openPhysliteFile(fixturePath('physlite/PHYSLITE_example.root'), { tree: loose.tree, branches: branchesOfRecipe(loose) });
    const pts: number[] = [];
    const nTracks: number[] = [];
    let first = 0;
    for await (const batch of file.readBatches({})) {
      const columns = readBatchColumns(batch, loose, first, file.name);
      const rows = computeRecipeRows(loose, prepareEventBatch(columns, loose, null, { recipe: loose.name, sample: 'zee', sampleIndex: 0, file: file.name, fileIndex: 0, variation: null }));
      pts.push(...Array.from(rows.columns.fjet_pt as Float32Array));
      nTracks.push(...Array.from(rows.columns.fjet_n_trk as Int32Array));
      first += batch.numRows;
    }
    await file.close();
    // The oracle: jsroot's own event loop over the same branches, the selection redone by hand.
    const root = await openRootFile(fixturePath('physlite/PHYSLITE_example.root'));
    const tree = await root.getTree('CollectionTree');
    const names = ['AnalysisLargeRJetsAuxDyn.pt', 'AnalysisLargeRJetsAuxDyn.eta', 'AnalysisLargeRJetsAuxDyn.phi', 'InDetTrackParticlesAuxDyn.qOverP', 'InDetTrackParticlesAuxDyn.theta', 'InDetTrackParticlesAuxDyn.phi'];
    const ref = (await tree.readWithJsrootEventLoop(names)) as unknown as Record<string, number[][]>;
    await root.close();
    const expectedPts: number[] = [];
    const expectedTracks: number[] = [];
    ref['AnalysisLargeRJetsAuxDyn.pt']?.forEach((jetPts, e) => {
      jetPts.forEach((pt, k) => {
        const eta = ref['AnalysisLargeRJetsAuxDyn.eta']?.[e]?.[k] as number;
        const phi = ref['AnalysisLargeRJetsAuxDyn.phi']?.[e]?.[k] as number;
        if (!(pt > 100_000 && pt < 3_500_000 && Math.abs(eta) < 2)) return;
        expectedPts.push(Math.fround(pt));
        const q = ref['InDetTrackParticlesAuxDyn.qOverP']?.[e] ?? [];
        expectedTracks.push(q.filter((qop, t) => {
          const theta = ref['InDetTrackParticlesAuxDyn.theta']?.[e]?.[t] as number;
          const trackEta = -Math.log(Math.tan(theta / 2));
          return qop !== 0 && Math.abs(Math.sin(theta) / qop) > 500 && Math.abs(trackEta) < 2.5 && deltaR(trackEta, ref['InDetTrackParticlesAuxDyn.phi']?.[e]?.[t] as number, eta, phi) < 1;
        }).length);
      });
    });
    expect(pts).toEqual(expectedPts);
    expect(nTracks).toEqual(expectedTracks);
    expect(pts.length).toBeGreaterThan(20);
    expect(nTracks.some((n) => n > 0)).toBe(true);
  });
});

describe('large-r-jets builds a dataset version from PHYSLITE files', () => {
  it('one row per jet, on two threads, with the reference features and the jet-energy variations', async () => {
    const inputs = path.join(tmp, 'inputs');
    fs.mkdirSync(path.join(inputs, 'physlite', 'large-r-jets'), { recursive: true });
    const asEvent = (e: ReferenceEvent) => ({ AnalysisLargeRJetsAuxDyn: e.largeRJets, InDetTrackParticlesAuxDyn: e.tracks, AnalysisJetsAuxDyn: e.jets });
    const half = Math.floor(reference.events.length / 2);
    await writeConstructedPhysliteFile(path.join(inputs, 'top.root'), reference.events.slice(0, half).map(asEvent), { dsid: 426347 });
    await writeConstructedPhysliteFile(path.join(inputs, 'dijet.root'), reference.events.slice(half).map(asEvent), { dsid: 364702 });
    fs.writeFileSync(path.join(inputs, 'physlite', 'large-r-jets', 'dsids.csv'), 'dsid,cross_section_pb,k_factor,filter_efficiency,sum_of_weights,description\n426347,1.0,1,1,35,Zprime ttbar (test)\n364702,2.4e6,1,0.001,35,dijet JZ2 (test)\n');
    const build = async (jobs: number) => {
      const outDir = path.join(tmp, `out-${jobs}`);
      await buildRecipe({
        recipe: { kind: 'builtin', name: 'large-r-jets' },
        inputsDir: inputs,
        overrides: { sampleFiles: { zprime_ttbar: ['top.root'], dijet: ['dijet.root'] } },
        outDir,
        createdAt: '2026-02-01T00:00:00Z',
        jobs,
      });
      return outDir;
    };
    const [one, two] = [await build(1), await build(2)];
    for (const name of fs.readdirSync(one)) expect(Buffer.compare(fs.readFileSync(path.join(one, name)), fs.readFileSync(path.join(two, name))), name).toBe(0);
    const train = decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(two, 'train.arrow'))));
    const test = decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(two, 'test.arrow'))));
    const expectedRows = reference.expected.flat();
    expect(train.numRows + test.numRows).toBe(expectedRows.length);
    const pts = [...Array.from(train.columns.fjet_pt as Float32Array), ...Array.from(test.columns.fjet_pt as Float32Array)].sort((a, b) => a - b);
    expect(pts).toEqual(expectedRows.map((r) => Math.fround(r.fjet_pt as number)).sort((a, b) => a - b));
    const scaled = decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(two, 'test@large_r_jes_up.arrow'))));
    // Jets of test events keep their ids; a 2 % scale moves pT up by 2 % (jets that cross 350 GeV come in with new ids).
    const nominalPt = new Map(Array.from(test.columns.id as Int32Array, (id, r) => [id, (test.columns.fjet_pt as Float32Array)[r] as number]));
    let matched = 0;
    Array.from(scaled.columns.id as Int32Array).forEach((id, r) => {
      const before = nominalPt.get(id);
      if (before === undefined) return;
      matched++;
      expect((scaled.columns.fjet_pt as Float32Array)[r]).toBeCloseTo(Math.fround(before * 1.02), -1);
    });
    expect(matched).toBeGreaterThan(0);
  });
});
