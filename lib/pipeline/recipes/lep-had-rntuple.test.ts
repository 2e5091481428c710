import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { datasetManifestSchema } from '@/lib/shared/dataset-manifest';
import { fixturePath, hasFixture } from '@/tests/support/fixtures';
import { openRootFile } from '../root';
import { runPipelineCli } from '../run-pipeline-cli';
import { computeLepHadFeatures, DEFAULT_LEP_HAD_SELECTION, PHYSLITE_LEP_HAD_BRANCHES } from '@/recipes/lep-had/lep-had-features';

const FIXTURE = 'root-samples/uproot-physlite-rntuple_v1-0-0-0.root';
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'hep-arena-build-rntuple-'));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

describe.runIf(hasFixture(FIXTURE))('pipeline build <recipe> on PHYSLITE written as RNTuple', () => {
  it('builds the lep-had dataset from the RNTuple named by "tree", selecting the events its columns give', async () => {
    fs.writeFileSync(path.join(tmpRoot, 'meta.csv'), 'dsid,cross_section_pb,k_factor,filter_efficiency,description\n601229,800,1,1,ttbar (test values)\n');
    const selection = { requireOppositeCharge: false };
    const recipe = {
      dataset: 'physlite-rntuple-demo', title: 'PHYSLITE RNTuple demo build', luminosityFb: 140, sampleMetadata: 'meta.csv', tree: 'EventData',
      samples: [
        { name: 'stand-in-signal', files: [fixturePath(FIXTURE)], label: 1, process: 'htautau' },
        { name: 'ttbar', files: [fixturePath(FIXTURE)], label: 0, process: 'ttbar' },
      ],
      selection,
      split: { testFraction: 0.3, seed: 4 },
    };
    const recipeFile = path.join(tmpRoot, 'recipe.json');
    fs.writeFileSync(recipeFile, JSON.stringify(recipe));
    const stdout: string[] = [];
    const stderr: string[] = [];
    const outDir = path.join(tmpRoot, 'v');
    const code = await runPipelineCli(['build', recipeFile, '--out', outDir, '--created-at', '2026-01-01T00:00:00Z'], { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l) });
    expect(code, stderr.join('\n')).toBe(0);
    const manifest = datasetManifestSchema.parse(JSON.parse(fs.readFileSync(path.join(outDir, 'manifest.json'), 'utf8')));
    expect(manifest.sources[0]).toMatchObject({ name: 'uproot-physlite-rntuple_v1-0-0-0.root' });

    // The same selection on the same columns, computed here directly from the whole table (one batch per column).
    const root = await openRootFile(fixturePath(FIXTURE));
    const table = await (await root.getRNTuple('EventData')).readTable({ branches: Object.values(PHYSLITE_LEP_HAD_BRANCHES).flat(), jobs: 1 });
    await root.close();
    expect(table.batches).toHaveLength(1);
    const jag = (name: string) => {
      const data = table.getChild(name)?.data[0];
      return { values: data?.children[0]?.values as ArrayLike<number>, offsets: data?.valueOffsets as Int32Array };
    };
    const four = (names: readonly string[]) => ({ pt: jag(names[0] as string), eta: jag(names[1] as string), phi: jag(names[2] as string), charge: jag(names[3] as string) });
    const features = computeLepHadFeatures(
      { electrons: four(PHYSLITE_LEP_HAD_BRANCHES.electrons), muons: four(PHYSLITE_LEP_HAD_BRANCHES.muons), taus: four(PHYSLITE_LEP_HAD_BRANCHES.taus), jets: { pt: jag('AnalysisJetsAuxDyn.pt'), eta: jag('AnalysisJetsAuxDyn.eta'), phi: jag('AnalysisJetsAuxDyn.phi') } },
      { ...DEFAULT_LEP_HAD_SELECTION, ...selection },
    );
    expect(features.events.length).toBeGreaterThan(0);
    expect(stderr.some((l) => l.includes(`stand-in-signal: uproot-physlite-rntuple_v1-0-0-0.root: 100 events, ${features.events.length} selected`))).toBe(true);
    const rows = JSON.parse(stdout[0] as string).rows as Record<string, number>;
    expect(Object.values(rows).reduce((s, n) => s + n, 0)).toBeGreaterThan(0);
  });
});
