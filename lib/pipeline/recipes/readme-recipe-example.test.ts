import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeArrowTable } from '@/lib/shared/arrow';
import { datasetManifestSchema } from '@/lib/shared/dataset-manifest';
import { fixturePath, hasFixture } from '@/tests/support/fixtures';
import { runPipelineCli } from '../run-pipeline-cli';

/**
 * The README's example recipe (examples/recipes/z-dilepton.ts) and its command, on real PHYSLITE files: the fixture
 * (Sherpa Z → ee) as the signal and an ATLAS tt̄ DAOD_PHYSLITE (with CutBookkeepers) as the background.
 */
const ZEE = 'physlite/PHYSLITE_example.root';
const TTBAR = 'root-samples/uproot-issue-123a.root';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-recipe-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe.runIf(hasFixture(ZEE) && hasFixture(TTBAR))('the README recipe example', () => {
  it('builds with `pipeline build examples/recipes/z-dilepton.ts --inputs <folder>`: Z peak in m_ll, Σw of tt̄ from its bookkeeping', async () => {
    const inputs = path.join(tmp, 'inputs');
    for (const [dir, fixture] of [['zee', ZEE], ['ttbar', TTBAR]] as const) {
      fs.mkdirSync(path.join(inputs, dir), { recursive: true });
      fs.symlinkSync(fixturePath(fixture), path.join(inputs, dir, path.basename(fixture)));
    }
    fs.writeFileSync(path.join(inputs, 'dsids.csv'), 'dsid,cross_section_pb,k_factor,filter_efficiency,sum_of_weights,description\n700322,2221.8,1,0.09,99.0,Sherpa Zee (test Σw)\n410470,729.77,1.139,0.5438,,ttbar nonallhad\n');
    const stderr: string[] = [];
    const stdout: string[] = [];
    const outDir = path.join(tmp, 'out');
    const code = await runPipelineCli(['build', 'examples/recipes/z-dilepton.ts', '--inputs', inputs, '--out', outDir, '--jobs', '2'], { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l) });
    expect(code, stderr.join('\n')).toBe(0);
    expect(stderr.some((l) => /2\/2 files, .* events\/s/.test(l))).toBe(true);
    const manifest = datasetManifestSchema.parse(JSON.parse(fs.readFileSync(path.join(outDir, 'manifest.json'), 'utf8')));
    expect(manifest.sampleMetadata?.map((m) => [m.dsid, m.sumOfWeightsSource])).toEqual([[700322, 'table'], [410470, 'bookkeeping']]);
    expect(manifest.variations?.map((v) => v.name)).toEqual(['ees_up', 'jer', 'soft_met']);
    const train = decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(outDir, 'train.arrow'))));
    const masses = Array.from(train.columns.m_ll as Float32Array).filter((_, r) => (train.columns.label as Uint8Array)[r] === 1);
    const inPeak = masses.filter((m) => m > 80 && m < 100).length;
    expect(masses.length).toBeGreaterThan(10);
    expect(inPeak / masses.length).toBeGreaterThan(0.5);
  });
});
