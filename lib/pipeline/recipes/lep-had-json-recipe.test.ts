import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeArrowTable } from '@/lib/shared/arrow';
import { datasetManifestSchema } from '@/lib/shared/dataset-manifest';
import { fixturePath, hasFixture } from '@/tests/support/fixtures';
import { runPipelineCli } from '../run-pipeline-cli';
import { openRootFile } from '../root';
import { physliteShapedClusters, PHYSLITE_SHAPED_FIELDS, writeRNTuple } from '../root/rntuple';
import { writePhysliteShapedFile } from '../root/write/write-physlite-shaped-file';
import { buildRecipe } from './build-recipe';

const FIXTURE = 'physlite/PHYSLITE_example.root';
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'hep-arena-build-'));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));
const SIGMA_K_EPS_L = 2000 * 1.1 * 0.5 * 140_000; // σ·k·ε in pb × L in pb⁻¹

function writeRecipe(extra: Record<string, unknown> = {}) {
  fs.writeFileSync(path.join(tmpRoot, 'meta.csv'), 'dsid,cross_section_pb,k_factor,filter_efficiency,description\n700322,2000,1.1,0.5,Sherpa Z->ee (test values)\n');
  // The fixture is Z→ee; the test lists it twice, as a stand-in "signal" and as background, to exercise the plumbing.
  // Its second electron is often reconstructed as a tau jet, so a lep-had selection without the charge requirement keeps events.
  const recipe = {
    dataset: 'physlite-demo', title: 'PHYSLITE demo build', luminosityFb: 140, sampleMetadata: 'meta.csv',
    samples: [
      { name: 'stand-in-signal', files: [fixturePath(FIXTURE)], label: 1, process: 'htautau' },
      { name: 'zee', files: [fixturePath(FIXTURE)], label: 0, process: 'ztautau' },
    ],
    selection: { requireOppositeCharge: false },
    split: { testFraction: 0.3, seed: 4 },
    variations: [{ kind: 'parametrised', name: 'tes_up', tes: 1.03 }, { kind: 'alternative-sample', name: 'alt', samples: [{ name: 'alt', files: [fixturePath(FIXTURE)], label: 0, process: 'ztautau' }] }],
    ...extra,
  };
  const file = path.join(tmpRoot, `recipe-${Object.keys(extra).join('-') || 'base'}.json`);
  fs.writeFileSync(file, JSON.stringify(recipe));
  return file;
}

async function run(...args: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runPipelineCli(args, { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l) });
  return { code, stdout, stderr };
}

describe.runIf(hasFixture(FIXTURE))('pipeline build <recipe> on the PHYSLITE fixture', () => {
  it('stops on negative Sherpa weights unless the recipe says how to treat them', async () => {
    const { code, stderr } = await run('build', writeRecipe(), '--out', path.join(tmpRoot, 'neg'));
    expect(code).toBe(2);
    expect(stderr.at(-1)).toMatch(/^error: sample stand-in-signal: \d+ selected events have negative weights .* "negativeWeights": "clip-to-zero"/);
    expect(fs.existsSync(path.join(tmpRoot, 'neg'))).toBe(false);
  });

  it('writes a version whose weights are mcEventWeights[0]·σ·k·ε·L/Σw, split-scaled, with manifest, variations and provenance', async () => {
    const outDir = path.join(tmpRoot, 'v');
    const { code, stdout, stderr } = await run('build', writeRecipe({ negativeWeights: 'clip-to-zero' }), '--out', outDir, '--created-at', '2026-01-01T00:00:00Z');
    expect(code, stderr.join('\n')).toBe(0);
    const manifest = datasetManifestSchema.parse(JSON.parse(fs.readFileSync(path.join(outDir, 'manifest.json'), 'utf8')));
    expect(JSON.parse(stdout[0] as string).rows['train.arrow']).toBeGreaterThan(0);

    // Σw and the per-event weights from jsroot's own event loop, independent of the reader under test.
    const file = await openRootFile(fixturePath(FIXTURE));
    const tree = await file.getTree('CollectionTree');
    const reference = await tree.readWithJsrootEventLoop(['EventInfoAuxDyn.mcEventWeights']);
    const mcWeights = (reference['EventInfoAuxDyn.mcEventWeights'] as number[][]).map((w) => w[0] as number);
    await file.close();
    const sumOfWeights = mcWeights.reduce((s, w) => s + w, 0);
    expect(manifest.sampleMetadata?.[0]).toMatchObject({ dsid: 700322, crossSectionPb: 2000, kFactor: 1.1, filterEfficiency: 0.5, generatedEvents: 100, luminosityFb: 140 });
    expect(manifest.sampleMetadata?.[0]?.sumOfWeights as number).toBeCloseTo(sumOfWeights, 6);
    const allowed = new Set(mcWeights.map((w) => Math.max(0, w * (SIGMA_K_EPS_L / sumOfWeights)).toPrecision(10)));

    const train = decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(outDir, 'train.arrow'))));
    const truth = decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(outDir, 'truth.arrow'))));
    const unscaled = [
      ...Array.from(train.columns.weight as Float64Array, (w) => w * 0.7),
      ...Array.from(truth.columns.weight as Float64Array, (w) => w * 0.3),
    ];
    expect(unscaled.every((w) => allowed.has(w.toPrecision(10)))).toBe(true);
    expect(unscaled).toHaveLength(2 * 53);
    const signalYield = unscaled.filter((_, i) => (i < train.numRows ? (train.columns.label as Uint8Array)[i] : (truth.columns.label as Uint8Array)[i - train.numRows]) === 1).reduce((s, w) => s + w, 0);
    expect(manifest.expectedYields.signal).toBeCloseTo(signalYield, 3);
    expect(manifest.expectedYields.signal).toBeLessThan(SIGMA_K_EPS_L);

    expect(manifest.files.map((f) => f.name)).toEqual(expect.arrayContaining(['train.parquet', 'test@tes_up.arrow', 'truth@tes_up.arrow', 'test@alt.arrow']));
    expect(manifest.variations?.map((v) => v.kind)).toEqual(['parametrised', 'alternative-sample']);
    expect(manifest.description).toMatch(/PRI_met is approximated as minus the vector sum/);
    expect(manifest.columns.find((c) => c.name === 'PRI_met')?.description).toMatch(/approximation/);
    expect(manifest.sources[0]).toMatchObject({ name: 'PHYSLITE_example.root', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const lepPt = train.columns.PRI_lep_pt as Float32Array;
    expect(Math.min(...lepPt)).toBeGreaterThan(20);
    expect(Math.max(...lepPt)).toBeLessThan(1000); // GeV, not MeV
    const alt = decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(outDir, 'test@alt.arrow'))));
    expect(alt.numRows).toBe(53);
    // The event display's objects: lepton, tau, jets and MET of training events, the same values as the PRI columns.
    expect(manifest.files.find((f) => f.name === 'events@display.arrow')).toMatchObject({ role: 'display', serverOnly: false });
    const display = decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(outDir, 'events@display.arrow'))));
    const trainIds = Array.from(train.columns.event_id as Int32Array);
    const displayIds = new Set(display.columns.event_id as Int32Array);
    expect(displayIds.size).toBe(Math.min(trainIds.length, 500));
    for (const id of displayIds) expect(trainIds).toContain(id);
    const kinds = display.columns.object as string[];
    expect(kinds.filter((k) => k === 'met')).toHaveLength(displayIds.size);
    const firstLepton = kinds.indexOf('lepton');
    expect((display.columns.pt as Float32Array)[firstLepton]).toBe(lepPt[0]);
  });

  it('names an unknown DSID and the metadata file', async () => {
    const recipe = writeRecipe({ negativeWeights: 'clip-to-zero', luminosityFb: 1 });
    fs.writeFileSync(path.join(tmpRoot, 'meta.csv'), 'dsid,cross_section_pb,k_factor,filter_efficiency,description\n410470,700,1,1,ttbar\n');
    const { code, stderr } = await run('build', recipe, '--out', path.join(tmpRoot, 'nodsid'));
    expect(code).toBe(2);
    expect(stderr.at(-1)).toMatch(/^error: .*DSID 700322 \(EventInfoAuxDyn.mcChannelNumber\) is not in meta\.csv/);
  });
});

describe('a JSON recipe that fails validation', () => {
  it('names every problem by its path: a misspelt key with the keys allowed, a wrong label, an unknown kind, and writes nothing', async () => {
    const file = path.join(tmpRoot, 'misspelt.json');
    fs.writeFileSync(file, JSON.stringify({
      dataset: 'misspelt', title: 't', luminosityFb: 1, sampleMetdata: 'meta.csv',
      samples: [{ name: 's', files: ['a.root'], label: 2, process: 'p' }],
      variations: [{ kind: 'parametrized', name: 'tes_up', tes: 1.03 }],
    }));
    const out = path.join(tmpRoot, 'misspelt-out');
    const { code, stderr } = await run('build', file, '--out', out);
    expect(code).toBe(2);
    const message = stderr.at(-1) as string;
    expect(message).toMatch(/^error: Recipe misspelt\.json: sampleMetadata: /);
    expect(message).toContain('samples.0.label: expected 0 (background) or 1 (signal), found 2');
    expect(message).toContain('variations.0.kind: must be one of "parametrised", "alternative-sample", found "parametrized"');
    expect(message).toMatch(/\(root\): unknown key "sampleMetdata"; the keys here are dataset, .*sampleMetadata/);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('refuses a version that is not a folder name and a creation time that is not a date, before reading anything', async () => {
    const file = path.join(tmpRoot, 'misspelt.json');
    const traversal = await run('build', file, '--version', '../../etc');
    expect(traversal.code).toBe(2);
    expect(traversal.stderr.at(-1)).toMatch(/^error: --version must be a version label \(letters, digits, .*\), got "\.\.\/\.\.\/etc"/);
    const when = await run('build', file, '--created-at', 'yesterday');
    expect(when.code).toBe(2);
    expect(when.stderr.at(-1)).toMatch(/^error: --created-at must be an ISO 8601 date and time such as 2026-01-01T00:00:00Z, got "yesterday"/);
    fs.writeFileSync(file, JSON.stringify({ dataset: 'd', version: 'a/b', title: 't', luminosityFb: 1, sampleMetadata: 'm.csv', samples: [{ name: 's', files: ['a.root'], label: 1, process: 'p' }] }));
    expect((await run('build', file)).stderr.at(-1)).toMatch(/^error: Recipe misspelt\.json: version: a dataset version is letters, digits, .*; found "a\/b"/);
  });
});

describe('pipeline build reads its files batch by batch, from TTrees or RNTuples', () => {
  it('gives byte-identical dataset files whether a file is read in one batch or in many, on one thread or two, as a TTree or as an RNTuple', async () => {
    const signal = path.join(tmpRoot, 'batches-signal.root');
    const background = path.join(tmpRoot, 'batches-background.root');
    await writePhysliteShapedFile({ out: signal, events: 6000, seed: 31, dsid: 346343 });
    await writePhysliteShapedFile({ out: background, events: 6000, seed: 32, dsid: 700360 });
    // The same events as RNTuples (clusters of 1000 and 2500 events) under the tree's name, as ATLAS's Run 3 files hold them.
    await writeRNTuple({ path: path.join(tmpRoot, 'batches-signal-rntuple.root'), name: 'CollectionTree', fields: PHYSLITE_SHAPED_FIELDS, clusters: physliteShapedClusters({ events: 6000, clusterEntries: 1000, seed: 31, dsid: 346343 }) });
    await writeRNTuple({ path: path.join(tmpRoot, 'batches-background-rntuple.root'), name: 'CollectionTree', fields: PHYSLITE_SHAPED_FIELDS, clusters: physliteShapedClusters({ events: 6000, clusterEntries: 2500, seed: 32, dsid: 700360 }) });
    fs.writeFileSync(path.join(tmpRoot, 'batches.csv'), 'dsid,cross_section_pb,k_factor,filter_efficiency,description\n346343,3.0,1,1,ggH\n700360,2000,1,1,Ztt\n');
    const recipeOf = (name: string, signalFile: string, backgroundFile: string) => {
      const recipePath = path.join(tmpRoot, `${name}.json`);
      fs.writeFileSync(recipePath, JSON.stringify({
        dataset: 'batches', title: 'batches', luminosityFb: 140, sampleMetadata: 'batches.csv', negativeWeights: 'clip-to-zero',
        samples: [{ name: 'ggH', files: [signalFile], label: 1, process: 'htautau' }, { name: 'Ztt', files: [backgroundFile], label: 0, process: 'ztautau' }],
      }));
      return recipePath;
    };
    const trees = recipeOf('batches', 'batches-signal.root', 'batches-background.root');
    const rntuples = recipeOf('batches-rntuple', 'batches-signal-rntuple.root', 'batches-background-rntuple.root');
    const mixed = recipeOf('batches-mixed', 'batches-signal.root', 'batches-background-rntuple.root');
    const build = (recipePath: string, name: string, jobs: number, batchEntries?: number) =>
      buildRecipe({ recipe: { kind: 'json', path: recipePath }, outDir: path.join(tmpRoot, name), createdAt: '2026-01-01T00:00:00Z', jobs, batchEntries }).then(() => path.join(tmpRoot, name));
    const whole = await build(trees, 'whole', 1, 1_000_000);
    const many = await build(trees, 'many', 2, 377);
    const fromRNTuples = await build(rntuples, 'rntuple-clusters', 2);
    const fromRNTuplesCut = await build(rntuples, 'rntuple-cut', 1, 377);
    const fromBoth = await build(mixed, 'mixed', 2, 1000);
    const tables = ['train.arrow', 'test.arrow', 'truth.arrow', 'events@display.arrow'];
    for (const name of tables) expect(Buffer.compare(fs.readFileSync(path.join(whole, name)), fs.readFileSync(path.join(many, name))), name).toBe(0);
    // Built from other files, the tables' provenance metadata (file names, sha256) differs; every value is the same.
    const decoded = (dir: string, name: string) => decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(dir, name))));
    for (const other of [fromRNTuples, fromRNTuplesCut, fromBoth]) {
      for (const name of tables) {
        const expected = decoded(whole, name);
        const found = decoded(other, name);
        expect(found.numRows, `${path.basename(other)}/${name}`).toBe(expected.numRows);
        expect(found.columns, `${path.basename(other)}/${name}`).toEqual(expected.columns);
      }
    }
    const manifest = datasetManifestSchema.parse(JSON.parse(fs.readFileSync(path.join(many, 'manifest.json'), 'utf8')));
    expect(manifest.sampleMetadata?.map((m) => m.generatedEvents)).toEqual([6000, 6000]);
    expect(decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(many, 'train.arrow')))).numRows).toBeGreaterThan(500);
  });
});
