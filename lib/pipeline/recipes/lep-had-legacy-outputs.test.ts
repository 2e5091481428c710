import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixturePath, hasFixture } from '@/tests/support/fixtures';
import { writePhysliteShapedFile } from '../root/write/write-physlite-shaped-file';
import { buildRecipe } from './build-recipe';

/**
 * The lep-had build became a recipe; its outputs did not change. The hashes were taken from the files written by the
 * JSON build before recipes existed (see testdata/legacy-lep-had-sha256.json), on the PHYSLITE fixture and on generated
 * files (two files in one sample, FAIR TES/JES/soft-MET and an alternative sample).
 */
const golden = JSON.parse(fs.readFileSync(path.join(__dirname, 'testdata', 'legacy-lep-had-sha256.json'), 'utf8')) as {
  inputs: Record<string, string>;
  fixture: Record<string, string>;
  generated: Record<string, string>;
};
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'legacy-lep-had-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

async function buildAndHash(recipe: object, name: string, jobs: number): Promise<Record<string, string>> {
  const recipePath = path.join(tmp, `${name}.json`);
  fs.writeFileSync(recipePath, JSON.stringify(recipe));
  const outDir = path.join(tmp, `out-${name}-${jobs}`);
  await buildRecipe({ recipe: { kind: 'json', path: recipePath }, outDir, createdAt: '2026-01-01T00:00:00Z', jobs });
  return Object.fromEntries(fs.readdirSync(outDir).filter((f) => f !== 'manifest.json').sort().map((f) => [f, sha256(path.join(outDir, f))]));
}

describe('the lep-had recipe writes the bytes the JSON build wrote before recipes', () => {
  it('on generated PHYSLITE-shaped files, on one thread and on three', async () => {
    for (const [name, seed, events, dsid] of [['sig1', 31, 6000, 346343], ['sig2', 33, 5000, 346343], ['bkg1', 32, 8000, 700360], ['alt1', 34, 3000, 700360]] as const) {
      await writePhysliteShapedFile({ out: path.join(tmp, `${name}.root`), events, seed, dsid });
      expect(sha256(path.join(tmp, `${name}.root`)), `generated input ${name} (the generator changed: regenerate the hashes)`).toBe(golden.inputs[name]);
    }
    fs.writeFileSync(path.join(tmp, 'meta-b.csv'), 'dsid,cross_section_pb,k_factor,filter_efficiency,description\n346343,3.0,1,1,ggH\n700360,2000,1.1,0.9,Ztt\n');
    const recipe = {
      dataset: 'gen-lephad', title: 'generated', luminosityFb: 140, sampleMetadata: 'meta-b.csv', negativeWeights: 'clip-to-zero',
      samples: [{ name: 'ggH', files: ['sig1.root', 'sig2.root'], label: 1, process: 'htautau' }, { name: 'Ztt', files: ['bkg1.root'], label: 0, process: 'ztautau' }],
      split: { testFraction: 0.25, seed: 9 },
      variations: [{ kind: 'parametrised', name: 'tes_up', tes: 1.03 }, { kind: 'parametrised', name: 'jes_down', jes: 0.97 }, { kind: 'parametrised', name: 'soft', softMet: 2, seed: 5 },
        { kind: 'alternative-sample', name: 'alt', samples: [{ name: 'Ztt-alt', files: ['alt1.root'], label: 0, process: 'ztautau' }] }],
    };
    expect(await buildAndHash(recipe, 'generated', 1)).toEqual(golden.generated);
    expect(await buildAndHash(recipe, 'generated', 3)).toEqual(golden.generated);
  });

  it.runIf(hasFixture('physlite/PHYSLITE_example.root'))('on the PHYSLITE fixture', async () => {
    const fixture = fixturePath('physlite/PHYSLITE_example.root');
    fs.writeFileSync(path.join(tmp, 'meta-a.csv'), 'dsid,cross_section_pb,k_factor,filter_efficiency,description\n700322,2000,1.1,0.5,Sherpa Z->ee (test values)\n');
    const recipe = {
      dataset: 'physlite-demo', title: 'PHYSLITE demo build', luminosityFb: 140, sampleMetadata: 'meta-a.csv', negativeWeights: 'clip-to-zero',
      samples: [{ name: 'stand-in-signal', files: [fixture], label: 1, process: 'htautau' }, { name: 'zee', files: [fixture], label: 0, process: 'ztautau' }],
      selection: { requireOppositeCharge: false }, split: { testFraction: 0.3, seed: 4 },
      variations: [{ kind: 'parametrised', name: 'tes_up', tes: 1.03 }, { kind: 'alternative-sample', name: 'alt', samples: [{ name: 'alt', files: [fixture], label: 0, process: 'ztautau' }] }],
    };
    expect(await buildAndHash(recipe, 'fixture', 2)).toEqual(golden.fixture);
  });
});
