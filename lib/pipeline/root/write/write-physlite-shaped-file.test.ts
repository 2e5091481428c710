import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeArrowTable } from '@/lib/shared/arrow';
import { fixturePath, hasFixture } from '@/tests/support/fixtures';
import { PIPELINE_BENCH_BRANCHES } from '@/bench/pipeline';
import { PHYSLITE_LEP_HAD_BRANCHES } from '@/recipes/lep-had/lep-had-features';
import { runPipelineCli } from '../../run-pipeline-cli';
import { openRootFile } from '../index';
import { PHYSLITE_SHAPED_BRANCHES, writePhysliteShapedFile } from './write-physlite-shaped-file';

const FIXTURE = 'physlite/PHYSLITE_example.root';
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'hep-arena-physlite-shaped-'));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

async function run(...args: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runPipelineCli(args, { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l) });
  return { code, stdout, stderr };
}

describe('writePhysliteShapedFile', () => {
  it('declares 30 branches: every branch the lep-had build reads, and exactly the branches of the pipeline benchmark', () => {
    expect(PHYSLITE_SHAPED_BRANCHES).toHaveLength(30);
    const names = new Set(PHYSLITE_SHAPED_BRANCHES.map((b) => b.name));
    for (const name of Object.values(PHYSLITE_LEP_HAD_BRANCHES).flat()) expect(names.has(name), name).toBe(true);
    expect([...names].sort()).toEqual([...PIPELINE_BENCH_BRANCHES].sort());
  });

  it.runIf(hasFixture(FIXTURE))('writes the same branch names, C++ types and layouts as the PHYSLITE fixture', async () => {
    const out = path.join(tmpRoot, 'types.root');
    await writePhysliteShapedFile({ out, events: 50, seed: 3 });
    const generated = await openRootFile(out);
    const fixture = await openRootFile(fixturePath(FIXTURE));
    try {
      const ours = await generated.getTree('CollectionTree');
      const theirs = await fixture.getTree('CollectionTree');
      expect(ours.entries).toBe(50);
      for (const branch of ours.branches) {
        const reference = theirs.getBranch(branch.name);
        expect({ name: branch.name, type: branch.typeName, layout: branch.layout, element: branch.elementType }).toEqual({
          name: reference.name,
          type: reference.typeName,
          layout: reference.layout,
          element: reference.elementType,
        });
      }
    } finally {
      await generated.close();
      await fixture.close();
    }
  });

  it('gives byte-identical files for one seed and different files for another', async () => {
    const a = path.join(tmpRoot, 'a.root');
    const b = path.join(tmpRoot, 'b.root');
    const c = path.join(tmpRoot, 'c.root');
    await writePhysliteShapedFile({ out: a, events: 3000, seed: 11 });
    fs.renameSync(a, `${a}.first`);
    await writePhysliteShapedFile({ out: a, events: 3000, seed: 11 });
    await writePhysliteShapedFile({ out: b, events: 3000, seed: 11, compression: { algorithm: 'lz4' } });
    await writePhysliteShapedFile({ out: c, events: 3000, seed: 12 });
    expect(Buffer.compare(fs.readFileSync(a), fs.readFileSync(`${a}.first`))).toBe(0);
    expect(Buffer.compare(fs.readFileSync(a), fs.readFileSync(c))).not.toBe(0);
    expect(fs.readdirSync(tmpRoot).filter((f) => f.includes('.tmp-'))).toEqual([]);
    // The LZ4 file holds the same values as the ZLIB one.
    const [za, zb] = [await openRootFile(a), await openRootFile(b)];
    const [ta, tb] = [await za.getTree('CollectionTree'), await zb.getTree('CollectionTree')];
    for (const name of ['AnalysisJetsAuxDyn.pt', 'EventInfoAuxDyn.eventNumber']) {
      const [x, y] = [await ta.readBranch(name), await tb.readBranch(name)];
      expect(Array.from(y.values as ArrayLike<number | bigint>)).toEqual(Array.from(x.values as ArrayLike<number | bigint>));
    }
    await za.close();
    await zb.close();
  });

  it('is read back by jsroot’s event loop with the values our reader decodes, basket after basket', async () => {
    const out = path.join(tmpRoot, 'jsroot.root');
    await writePhysliteShapedFile({ out, events: 2500, seed: 5, basketSizeBytes: 2000, mcEventWeightCount: 3 });
    const file = await openRootFile(out);
    try {
      const tree = await file.getTree('CollectionTree');
      const names = PHYSLITE_SHAPED_BRANCHES.map((b) => b.name);
      const reference = await tree.readWithJsrootEventLoop(names);
      for (const name of names) {
        const column = await tree.readBranch(name);
        expect(tree.getBranch(name).baskets.length, name).toBeGreaterThan(1);
        const expected = reference[name] as unknown[];
        expect(expected, name).toHaveLength(2500);
        if (column.layout === 'vector') {
          const got = Array.from({ length: 2500 }, (_, e) => Array.from(column.values.subarray(column.offsets[e], column.offsets[e + 1]) as ArrayLike<number | bigint>, (v) => Number(v)));
          expect(got, name).toEqual((expected as ArrayLike<number | bigint>[]).map((v) => Array.from(v, (x) => Number(x))));
        } else {
          expect(Array.from(column.values as ArrayLike<number | bigint>, (v) => Number(v)), name).toEqual(expected.map((v) => Number(v)));
        }
      }
      const weights = reference['EventInfoAuxDyn.mcEventWeights'] as number[][];
      expect(weights.every((w) => w.length === 3 && w.every((x) => x > 0))).toBe(true);
      const mu = reference['EventInfoAuxDyn.averageInteractionsPerCrossing'] as number[];
      expect(mu.every((m) => m >= 10 && m <= 80.5 && m % 1 === 0.5)).toBe(true);
    } finally {
      await file.close();
    }
  });

  it('feeds the lep-had build (pipeline build) and keeps a realistic fraction of the events', async () => {
    const signal = path.join(tmpRoot, 'signal.root');
    const background = path.join(tmpRoot, 'background.root');
    expect((await run('generate-physlite', '--events', '4000', '--seed', '21', '--dsid', '346343', '--out', signal)).code).toBe(0);
    const generated = await run('generate-physlite', '--events', '4000', '--seed', '22', '--dsid', '700360', '--compression', 'zstd:3', '--out', background);
    expect(generated.code, generated.stderr.join('\n')).toBe(0);
    expect(JSON.parse(generated.stdout.at(-1) as string)).toMatchObject({ events: 4000, branches: 30, tree: 'CollectionTree' });
    fs.writeFileSync(path.join(tmpRoot, 'samples.csv'), 'dsid,cross_section_pb,k_factor,filter_efficiency,description\n346343,3.0,1,1,ggH tautau (test)\n700360,2000,1,1,Ztautau (test)\n');
    fs.writeFileSync(
      path.join(tmpRoot, 'recipe.json'),
      JSON.stringify({
        dataset: 'generated-lephad', title: 'lep-had from generated PHYSLITE-shaped files', luminosityFb: 140, sampleMetadata: 'samples.csv',
        samples: [{ name: 'ggH', files: ['signal.root'], label: 1, process: 'htautau' }, { name: 'Ztt', files: ['background.root'], label: 0, process: 'ztautau' }],
        split: { testFraction: 0.3, seed: 1 },
      }),
    );
    const outDir = path.join(tmpRoot, 'dataset');
    const built = await run('build', path.join(tmpRoot, 'recipe.json'), '--out', outDir, '--created-at', '2026-01-01T00:00:00Z');
    expect(built.code, built.stderr.join('\n')).toBe(0);
    const train = decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(outDir, 'train.arrow'))));
    const test = decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(outDir, 'test.arrow'))));
    const selected = train.numRows + test.numRows;
    expect(selected / 8000).toBeGreaterThan(0.1);
    expect(selected / 8000).toBeLessThan(0.4);
    const lepPt = train.columns.PRI_lep_pt as Float32Array;
    expect(Math.min(...lepPt)).toBeGreaterThan(20);
    expect(Math.max(...lepPt)).toBeLessThan(1000);
  });

  it('refuses an existing output without --overwrite and bad arguments, naming them', async () => {
    const out = path.join(tmpRoot, 'exists.root');
    fs.writeFileSync(out, 'x');
    const exists = await run('generate-physlite', '--events', '10', '--seed', '1', '--out', out);
    expect(exists.code).toBe(2);
    expect(exists.stderr.at(-1)).toMatch(/exists\.root already exists; .*--overwrite/);
    const badCompression = await run('generate-physlite', '--events', '10', '--seed', '1', '--out', path.join(tmpRoot, 'x.root'), '--compression', 'lzma');
    expect(badCompression.stderr.at(-1)).toMatch(/compression "lzma" is not one of zlib, lz4, zstd, none/);
    await expect(writePhysliteShapedFile({ out: path.join(tmpRoot, 'y.root'), events: -1, seed: 1 })).rejects.toThrow(/events must be a whole number/);
  });
});
