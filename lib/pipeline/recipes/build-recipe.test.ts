import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeArrowTable } from '@/lib/shared/arrow';
import { datasetManifestSchema } from '@/lib/shared/dataset-manifest';
import { AppError } from '@/lib/shared/app-error';
import { fixturePath, hasFixture } from '@/tests/support/fixtures';
import { writePhysliteShapedFile } from '../root/write/write-physlite-shaped-file';
import { buildRecipe } from './build-recipe';
import { defineRecipe, feature } from './define-recipe';
import { withOverrides } from './build-plan';
import { readDsidTable } from './dsid-table';
import { loadRecipe } from './load-recipe';
import { openRootFile } from '../root';
import { readBookkeeping } from './read-bookkeeping';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'recipe-build-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const VARIATIONS = path.resolve('tests/fixtures/recipes/lep-had-object-variations.ts');
const THROWING = path.resolve('tests/fixtures/recipes/throwing-feature.ts');
const files = { signal: [path.join(tmp, 'signal-1.root'), path.join(tmp, 'signal-2.root')], background: [path.join(tmp, 'background-1.root')] };

beforeAll(async () => {
  await writePhysliteShapedFile({ out: files.signal[0] as string, events: 3000, seed: 41, dsid: 346343 });
  await writePhysliteShapedFile({ out: files.signal[1] as string, events: 2500, seed: 42, dsid: 346343 });
  await writePhysliteShapedFile({ out: files.background[0] as string, events: 4000, seed: 43, dsid: 700360 });
});

async function appErrorOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError, nothing was thrown');
}

const read = (dir: string, name: string) => decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(dir, name))));
const leftovers = () => fs.readdirSync(tmp).filter((n) => n.includes('.build-') || n.includes('.tmp-'));

describe('defineRecipe', () => {
  const base = {
    name: 'r', dataset: 'r', title: 'r', luminosityFb: 1, samples: [{ name: 's', files: ['a.root'], label: 1 as const, process: 'p' }], dsidTable: [{ dsid: 1, crossSectionPb: 1, kFactor: 1, filterEfficiency: 1 }],
    collections: { jets: { branch: 'AnalysisJetsAuxDyn', fields: ['pt', 'eta', 'phi'] } },
    features: [feature('x', { unit: '', description: 'x' }, (e) => new Float32Array(e.length))], missingValue: -999,
  };

  it('names the path of every kind of problem', () => {
    expect(() => defineRecipe({ ...base, samples: [{ name: 's', files: ['a.root'], process: 'p', label: 2 as unknown as 1 }] })).toThrow(/recipe "r" is invalid: samples\.0\.label/);
    expect(() => defineRecipe({ ...base, variations: [{ kind: 'scale', name: 'tes', collection: 'taus', factor: 1.03 }] })).toThrow(/variations\.0\.collection: "taus" is not a collection of the recipe \(jets\)/);
    expect(() => defineRecipe({ ...base, overlapRemoval: [{ remove: 'jets', near: 'electrons', deltaR: 0.2 }] })).toThrow(/overlapRemoval\.0\.near: "electrons" is not a collection/);
    expect(() => defineRecipe({ ...base, features: [...base.features, feature('label', { unit: '', description: 'l' }, (e) => new Float32Array(e.length))] })).toThrow(/features\.1\.names\.0: "label" is a column every dataset has already/);
    expect(() => defineRecipe({ ...base, collections: { jets: { branch: 'AnalysisJetsAuxDyn', fields: ['pt'], select: { flags: ['isBad'] } } } })).toThrow(/collections\.jets\.select\.flags: "isBad" is not among the collection's fields/);
    expect(() => defineRecipe({ ...base, variations: [{ kind: 'fair-systematics', name: 'tes', tes: 1.03 }] })).toThrow(/variations\.0: fair-systematics varies the 16 FAIR-Universe PRI features; the recipe lacks PRI_lep_pt/);
    expect(() => defineRecipe({ ...base, dsidTable: [base.dsidTable[0], base.dsidTable[0]] as typeof base.dsidTable })).toThrow(/dsidTable\.1\.dsid: DSID 1 appears twice/);
    expect(() => defineRecipe({ ...base, features: [{ ...base.features[0], compute: 3 } as unknown as (typeof base.features)[0]] })).toThrow(/features\.0\.compute: compute must be a function/);
  });

  it('refuses a key it does not know (a misspelt one would be ignored silently), naming the keys allowed there', () => {
    const loose = (extra: Record<string, unknown>) => ({ ...base, ...extra }) as unknown as Parameters<typeof defineRecipe>[0];
    expect(() => defineRecipe(loose({ varations: [] }))).toThrow(/recipe "r" is invalid: \(root\): unknown key "varations"; the keys here are name, dataset, .*variations/);
    expect(() => defineRecipe(loose({ collections: { jets: { branch: 'AnalysisJetsAuxDyn', fields: ['pt', 'eta', 'phi'], select: { ptMin: 25 } } } }))).toThrow(
      /collections\.jets\.select: unknown key "ptMin"; the keys here are ptMinGeV, ptMaxGeV, absEtaMax, flags, where\.?$/,
    );
    // In a variation, the keys of its own kind; a missing key and the misspelt one beside it are both named.
    expect(() => defineRecipe(loose({ variations: [{ kind: 'scale', nmae: 'jes', collection: 'jets', factor: 1.02 }] }))).toThrow(
      /variations\.0\.name: .*; variations\.0: unknown key "nmae"; the keys here are kind, name, collection, factor, fields/,
    );
    expect(() => defineRecipe(loose({ variations: [{ kind: 'scael', name: 'jes', collection: 'jets', factor: 1.02 }] }))).toThrow(
      /variations\.0\.kind: must be one of "alternative-sample", "scale", "resolution", "soft-met", "fair-systematics", found "scael"/,
    );
    expect(() => defineRecipe(loose({ samples: [{ name: 's', files: ['a.root'], label: 2, process: 'p' }] }))).toThrow(/samples\.0\.label: expected 0 \(background\) or 1 \(signal\), found 2/);
    expect(() => defineRecipe(loose({ dsidTable: [{ dsid: 1, crossSectionPb: 1, kFactor: 1, filterEfficiency: 1, sumOfWeight: 3 }] }))).toThrow(/dsidTable\.0: unknown key "sumOfWeight"; the keys here are dsid, .*sumOfWeights/);
    expect(() => defineRecipe(loose({ version: '../../etc' }))).toThrow(/recipe "r" is invalid: version: a dataset version is letters, digits, .*; found "\.\.\/\.\.\/etc"/);
    expect(() => withOverrides(defineRecipe(base), { version: 'x/../../y' })).toThrow(/The version "x\/\.\.\/\.\.\/y" for recipe "r" is not a version label/);
    expect(defineRecipe(base).name).toBe('r');
  });

  it('names a DSID table that is missing or a folder, in words', async () => {
    const recipe = defineRecipe({ ...base, dsidTable: 'tables/dsids.csv' });
    expect(() => readDsidTable(recipe, path.join(tmp, 'tables', 'dsids.csv'))).toThrow(/Cannot read the DSID table .*dsids\.csv of recipe "r": there is no such file \(ENOENT\)\./);
    fs.mkdirSync(path.join(tmp, 'tables', 'folder.csv'), { recursive: true });
    expect(() => readDsidTable(recipe, path.join(tmp, 'tables', 'folder.csv'))).toThrow(/folder\.csv of recipe "r": it is a folder, not a CSV file \(EISDIR\)\./);
  });

  it('says what a recipe module exports instead of a recipe', async () => {
    const moduleWith = async (name: string, code: string) => {
      const file = path.join(tmp, `${name}.ts`);
      fs.writeFileSync(file, code);
      return (await appErrorOf(loadRecipe({ kind: 'module', path: file }))).message;
    };
    expect(await moduleWith('exports-number', 'export default 42;\n')).toMatch(/exports-number\.ts exports a number by default, not a recipe; end it with `export default defineRecipe/);
    expect(await moduleWith('exports-function', 'export default function make() { return 1; }\n')).toMatch(/exports a function by default, not a recipe/);
    expect(await moduleWith('exports-nothing', '// nothing yet\n')).toMatch(/exports-nothing\.ts has no default export; end it with/);
    expect(await moduleWith('exports-other', 'export default { title: "not a recipe" };\n')).toMatch(/exports no recipe by default \(an object with the keys title\)/);
  });
});

describe('recipe builds: parallel, variations, errors', () => {
  it('gives byte-identical versions on one thread, on three, and in batches of any size, calibration variations included', async () => {
    const build = async (name: string, jobs: number, batchEntries?: number) => {
      const outDir = path.join(tmp, name);
      await buildRecipe({ recipe: { kind: 'module', path: VARIATIONS }, inputsDir: tmp, outDir, createdAt: '2026-03-01T00:00:00Z', jobs, batchEntries });
      return outDir;
    };
    const one = await build('v-one', 1);
    const three = await build('v-three', 3);
    const small = await build('v-small', 2, 333);
    // The reordering through scratch buckets, with buckets of 97 rows: many bucket boundaries, the same bytes.
    const bucketed = path.join(tmp, 'v-buckets');
    await buildRecipe({ recipe: { kind: 'module', path: VARIATIONS }, inputsDir: tmp, outDir: bucketed, createdAt: '2026-03-01T00:00:00Z', jobs: 1, bucketRows: 97 });
    const names = fs.readdirSync(one).sort();
    expect(fs.readdirSync(three).sort()).toEqual(names);
    for (const name of names) {
      expect(Buffer.compare(fs.readFileSync(path.join(one, name)), fs.readFileSync(path.join(three, name))), name).toBe(0);
      expect(Buffer.compare(fs.readFileSync(path.join(one, name)), fs.readFileSync(path.join(small, name))), name).toBe(0);
      expect(Buffer.compare(fs.readFileSync(path.join(one, name)), fs.readFileSync(path.join(bucketed, name))), name).toBe(0);
    }
    const manifest = datasetManifestSchema.parse(JSON.parse(fs.readFileSync(path.join(one, 'manifest.json'), 'utf8')));
    expect(manifest.variations?.map((v) => [v.name, v.kind])).toEqual([['tes_up', 'parametrised'], ['jer', 'parametrised'], ['soft_met', 'parametrised'], ['fair_tes', 'parametrised']]);
    expect(manifest.sampleMetadata?.map((m) => m.sumOfWeightsSource)).toEqual(['events-read', 'events-read']);
    expect(leftovers()).toEqual([]);

    // A calibration variation goes through the same selection: test events keep their ids, events selected only in
    // the variation get new ids after every test id, no id twice.
    const test = read(one, 'test.arrow');
    const testIds = new Set(test.columns.id as Int32Array);
    for (const name of ['tes_up', 'jer', 'soft_met']) {
      const varied = read(one, `test@${name}.arrow`);
      const truth = read(one, `truth@${name}.arrow`);
      const ids = Array.from(varied.columns.id as Int32Array);
      expect(new Set(ids).size, name).toBe(ids.length);
      expect(Array.from(truth.columns.id as Int32Array)).toEqual(ids);
      const kept = ids.filter((id) => testIds.has(id)).length;
      expect(kept, name).toBeGreaterThan(testIds.size * 0.8);
      for (const id of ids) if (!testIds.has(id)) expect(id).toBeGreaterThanOrEqual(test.numRows);
    }
    // The tau energy scale moves the hadronic tau's pT by 5 % for events that stay selected.
    const nominal = new Map(Array.from(test.columns.id as Int32Array, (id, r) => [id, (test.columns.PRI_had_pt as Float32Array)[r] as number]));
    const tes = read(one, 'test@tes_up.arrow');
    let checked = 0;
    Array.from(tes.columns.id as Int32Array).forEach((id, r) => {
      const before = nominal.get(id);
      const after = (tes.columns.PRI_had_pt as Float32Array)[r] as number;
      if (before !== undefined && Math.abs(after / before - 1.05) < 1e-5) checked++;
    });
    expect(checked).toBeGreaterThan(tes.numRows * 0.5);
    // Soft MET changes MET and nothing of the leptons.
    const soft = read(one, 'test@soft_met.arrow');
    const softIds = Array.from(soft.columns.id as Int32Array);
    const row = softIds.findIndex((id) => nominal.has(id));
    const nominalRow = Array.from(test.columns.id as Int32Array).indexOf(softIds[row] as number);
    expect((soft.columns.PRI_lep_pt as Float32Array)[row]).toBe((test.columns.PRI_lep_pt as Float32Array)[nominalRow]);
    expect((soft.columns.PRI_met as Float32Array)[row]).not.toBe((test.columns.PRI_met as Float32Array)[nominalRow]);
  });

  it('names the recipe, the feature, the file and the entry of a feature that throws, and writes nothing', async () => {
    const outDir = path.join(tmp, 'throwing');
    const error = await appErrorOf(buildRecipe({ recipe: { kind: 'module', path: THROWING }, inputsDir: tmp, overrides: { sampleFiles: { any: ['signal-1.root'] } }, outDir, jobs: 1 }));
    expect(error.message).toMatch(/^recipe "throwing-feature": feature "n_jets" failed on signal-1\.root \(sample any\) entry 137: Error: division by a jet that is not there/);
    expect(error.details).toMatchObject({ file: 'signal-1.root', row: 137 });
    expect(fs.existsSync(outDir)).toBe(false);
    expect(leftovers()).toEqual([]);
  });

  it('names an unreadable sample file and the reason, on any thread, and writes no version', async () => {
    const broken = path.join(tmp, 'broken', 'signal-9.root');
    fs.mkdirSync(path.dirname(broken), { recursive: true });
    fs.writeFileSync(broken, fs.readFileSync(files.signal[0] as string).subarray(0, 5000));
    const notRoot = path.join(tmp, 'broken', 'notes.root');
    fs.writeFileSync(notRoot, 'this is not a ROOT file\n');
    const empty = path.join(tmp, 'broken', 'empty.root');
    fs.writeFileSync(empty, '');
    const cases = [
      [broken, 1, /^signal-9\.root is truncated: its header records \d+ bytes but the file has 5000/],
      [notRoot, 2, /^notes\.root is not a ROOT file: it starts with "this", where a ROOT file starts with "root"/],
      [empty, 1, /^empty\.root is empty \(0 bytes\), not a ROOT file/],
    ] as const;
    for (const [file, jobs, reason] of cases) {
      const outDir = path.join(tmp, `broken-${jobs}`);
      const error = await appErrorOf(buildRecipe({ recipe: { kind: 'module', path: VARIATIONS }, inputsDir: tmp, overrides: { sampleFiles: { ggH: [files.signal[0] as string, file] } }, outDir, jobs }));
      expect(error.code).toBe('INVALID_DATASET');
      expect(error.message).toMatch(reason);
      expect(fs.existsSync(outDir)).toBe(false);
    }
    expect(leftovers()).toEqual([]);
  });

  it('takes Σw from the table when a file has no bookkeeping, and refuses to take it from the events unless the recipe says so', async () => {
    const table = path.join(tmp, 'table.csv');
    fs.writeFileSync(table, 'dsid,cross_section_pb,k_factor,filter_efficiency,sum_of_weights,description\n346343,3,1,1,12345.5,ggH\n700360,2000,1,1,,Ztt (no Σw here)\n');
    const recipePath = path.join(tmp, 'sigma.json');
    const json = {
      dataset: 'sigma', title: 'Σw sources', luminosityFb: 10, sampleMetadata: 'table.csv', negativeWeights: 'clip-to-zero', sumOfWeightsFallback: 'table',
      samples: [{ name: 'ggH', files: ['signal-1.root'], label: 1, process: 'htautau' }, { name: 'Ztt', files: ['background-1.root'], label: 0, process: 'ztautau' }],
    };
    fs.writeFileSync(recipePath, JSON.stringify(json));
    const error = await appErrorOf(buildRecipe({ recipe: { kind: 'json', path: recipePath }, outDir: path.join(tmp, 'sigma-none'), jobs: 1 }));
    expect(error.message).toMatch(/sample Ztt: DSID 700360 has no Σw: background-1\.root carries no CutBookkeepers \(MetaData tree\) and table\.csv gives no sum_of_weights for it/);
    fs.writeFileSync(table, 'dsid,cross_section_pb,k_factor,filter_efficiency,sum_of_weights,description\n346343,3,1,1,12345.5,ggH\n700360,2000,1,1,99.5,Ztt\n');
    const outDir = path.join(tmp, 'sigma-table');
    const manifest = await buildRecipe({ recipe: { kind: 'json', path: recipePath }, outDir, jobs: 1 });
    expect(manifest.sampleMetadata?.map((m) => [m.dsid, m.sumOfWeights, m.sumOfWeightsSource])).toEqual([[346343, 12345.5, 'table'], [700360, 99.5, 'table']]);
    // Every signal weight is mcEventWeights[0] of one event of the file · σ·k·ε·L/Σw ÷ (1 − f), Σw from the table.
    const file = await openRootFile(files.signal[0] as string);
    const weights = (await (await file.getTree('CollectionTree')).readTable({ branches: ['EventInfoAuxDyn.mcEventWeights'], jobs: 1 })).getChild('EventInfoAuxDyn.mcEventWeights');
    await file.close();
    const allowed = new Set(Array.from({ length: weights?.length ?? 0 }, (_, i) => (((weights?.get(i) as { get(j: number): number }).get(0) * 3 * 10_000) / 12345.5 / 0.7).toPrecision(10)));
    const train = read(outDir, 'train.arrow');
    const signalWeights = Array.from(train.columns.weight as Float64Array).filter((_, r) => (train.columns.label as Uint8Array)[r] === 1);
    expect(signalWeights.length).toBeGreaterThan(100);
    for (const w of signalWeights) expect(allowed.has(w.toPrecision(10)), String(w)).toBe(true);
  });
});

describe.runIf(hasFixture('root-samples/uproot-issue-123a.root') && hasFixture('physlite/PHYSLITE_example.root'))('Σw from a PHYSLITE file\'s own bookkeeping', () => {
  it('reads the CutBookkeepers of an ATLAS DAOD: AllExecutedEvents at the highest cycle, StreamAOD', async () => {
    const file = await openRootFile(fixturePath('root-samples/uproot-issue-123a.root'));
    const bookkeeping = await readBookkeeping(file);
    await file.close();
    expect(bookkeeping).toEqual({ sumOfEventWeights: 73668.0625, acceptedEvents: 100, source: 'MetaData/CutBookkeepers AllExecutedEvents (cycle 5, StreamAOD)', dsid: 410470, incompleteEntries: 5 });
    const fixture = await openRootFile(fixturePath('physlite/PHYSLITE_example.root'));
    expect(await readBookkeeping(fixture)).toBeNull();
    await fixture.close();
  });

  it('normalises with the bookkeeping Σw even when the table says otherwise, and records the source per DSID', async () => {
    fs.writeFileSync(path.join(tmp, 'bk.csv'), 'dsid,cross_section_pb,k_factor,filter_efficiency,sum_of_weights,description\n410470,730,1.1,0.54,1.0,ttbar (table Σw deliberately wrong)\n700322,2000,1,1,,Zee\n');
    const recipePath = path.join(tmp, 'bk.json');
    fs.writeFileSync(recipePath, JSON.stringify({
      dataset: 'bookkeeping', title: 'bookkeeping', luminosityFb: 140, sampleMetadata: 'bk.csv', negativeWeights: 'clip-to-zero', selection: { requireOppositeCharge: false },
      samples: [{ name: 'zee-as-signal', files: [fixturePath('physlite/PHYSLITE_example.root')], label: 1, process: 'zee' }, { name: 'ttbar', files: [fixturePath('root-samples/uproot-issue-123a.root')], label: 0, process: 'ttbar' }],
    }));
    const outDir = path.join(tmp, 'bk-out');
    const manifest = await buildRecipe({ recipe: { kind: 'json', path: recipePath }, outDir, jobs: 2 });
    const ttbar = manifest.sampleMetadata?.find((m) => m.dsid === 410470);
    expect(ttbar).toMatchObject({ sumOfWeights: 73668.0625, sumOfWeightsSource: 'bookkeeping', generatedEvents: 100, eventsRead: 100 });
    expect(String(ttbar?.sumOfWeightsDetail)).toMatch(/CutBookkeepers AllExecutedEvents \(cycle 5, StreamAOD\) summed over 1 file/);
    expect(manifest.sampleMetadata?.find((m) => m.dsid === 700322)?.sumOfWeightsSource).toBe('events-read');
    const train = read(outDir, 'train.arrow');
    const truth = read(outDir, 'truth.arrow');
    const background = [
      ...Array.from(train.columns.weight as Float64Array, (w, r) => ((train.columns.label as Uint8Array)[r] === 0 ? w * 0.7 : null)),
      ...Array.from(truth.columns.weight as Float64Array, (w, r) => ((truth.columns.label as Uint8Array)[r] === 0 ? w * 0.3 : null)),
    ].filter((w): w is number => w !== null);
    expect(background.length).toBeGreaterThan(0);
    const yieldOfAll = (730 * 1.1 * 0.54 * 140_000);
    // Each weight is mcEventWeights[0] · σkεL / 73668.0625: their sum is below σkεL (only selected events) but far from σkεL/1.
    const sum = background.reduce((s, w) => s + w, 0);
    expect(sum).toBeLessThan(yieldOfAll);
    expect(sum).toBeGreaterThan(yieldOfAll / 73668.0625);
  });
});
