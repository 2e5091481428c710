import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppError } from '@/lib/shared/app-error';
import { type RecordBatch, tableToIPC } from 'apache-arrow';
import { fixturePath, hasFixture } from '@/tests/support/fixtures';
import { startRangeServer } from '@/tests/support/range-server';
import { createMemoryByteSource } from '../byte-source';
import { openRootFile } from '../root-file';
import type { RNTuple } from './open-rntuple';

const dir = 'root-samples';
const PHYSLITE = `${dir}/uproot-physlite-rntuple_v1-0-0-0.root`;
const CMS = `${dir}/cmsopendata2015_ttbar_19980_NANOAOD_RNTupleImporter_rntuple_v1-0-0-1.root`;
const STL = `${dir}/test_stl_containers_rntuple_v1-0-0-0.root`;

/** Arrow values as plain JavaScript (lists as arrays, 64-bit integers as numbers, booleans as 0/1). */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return Number(value);
  if (value && typeof value === 'object' && 'toArray' in value) return Array.from((value as { toArray(): ArrayLike<unknown> }).toArray(), plain);
  if (ArrayBuffer.isView(value) || Array.isArray(value)) return Array.from(value as ArrayLike<unknown>, plain);
  return value;
}

type Read = { batches: RecordBatch[]; column(name: string): unknown[] };
async function readAll(ntuple: RNTuple, patterns = '*', jobs = 1): Promise<Read> {
  const batches: RecordBatch[] = [];
  for await (const batch of ntuple.readBatches({ branches: patterns, jobs })) batches.push(batch);
  return {
    batches,
    column: (name) => batches.flatMap((b) => Array.from({ length: b.numRows }, (_, i) => plain(b.getChild(name)?.get(i)))),
  };
}

async function open(relative: string, name: string) {
  const file = await openRootFile(fixturePath(relative));
  return { file, ntuple: await file.getRNTuple(name) };
}

/** Number of leaf values under a column (list and fixed-size list levels flattened). */
function leafValues(value: unknown): number {
  return Array.isArray(value) ? value.reduce((sum: number, v) => sum + leafValues(v), 0) : 1;
}

const rntupleFiles = fs.existsSync(fixturePath(dir)) ? fs.readdirSync(fixturePath(dir)).filter((f) => /rntuple_v\d/.test(f)).sort() : [];

describe.runIf(hasFixture(STL))('RNTuple reader on the public test corpus', () => {
  it('finds the RNTuples of every file of the corpus next to its TTrees', async () => {
    expect(rntupleFiles.length).toBeGreaterThanOrEqual(10);
    const { file } = await open(PHYSLITE, 'EventData');
    expect(file.rntuples.map((r) => r.name).sort()).toEqual(['DataHeader', 'DataHeaderForm', 'EventData', 'EventTag']);
    expect(file.trees.map((t) => t.name)).toContain('MetaData');
    await file.close();
  });

  it.each(rntupleFiles)('reads every field of every RNTuple in %s completely, a batch per cluster, with the element counts the page lists give', async (name) => {
    const file = await openRootFile(fixturePath(`${dir}/${name}`));
    for (const { name: ntupleName } of file.rntuples) {
      const ntuple = await file.getRNTuple(ntupleName);
      expect(ntuple.unsupported).toEqual([]);
      const read = await readAll(ntuple);
      expect(read.batches).toHaveLength(ntuple.descriptor.clusters.length);
      expect(read.batches.reduce((s, b) => s + b.numRows, 0)).toBe(ntuple.entries);
      for (const plan of ntuple.columns) {
        const values = read.column(plan.name);
        expect(values).toHaveLength(ntuple.entries);
        if (plan.leaf.kind === 'cardinality') continue;
        // The leaf's own column: its elements over all clusters, as the page lists count them.
        const leafColumn = plan.physicalColumns.at(-1) as number;
        const stored = ntuple.descriptor.clusters.reduce((s, c) => s + (c.columns[leafColumn]?.elements ?? 0), 0);
        const found = plan.leaf.kind === 'string' ? values.reduce((s: number, v) => s + flatStrings(v).reduce((t, x) => t + Buffer.byteLength(x), 0), 0) : values.reduce((s: number, v) => s + leafValues(v), 0);
        expect(found, `${ntupleName}.${plan.name}`).toBe(stored);
      }
    }
    await file.close();
  });

  it('reads STL containers, tuples, pairs, variants, arrays and records with the values the writing macro filled', async () => {
    const { file, ntuple } = await open(STL, 'ntuple');
    const read = await readAll(ntuple);
    const words = ['one', 'two', 'three', 'four', 'five'];
    const upTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
    expect(read.column('string')).toEqual(words);
    expect(read.column('vector_int32')).toEqual([1, 2, 3, 4, 5].map(upTo));
    expect(read.column('array_float')).toEqual([1, 2, 3, 4, 5].map((n) => [n, n, n]));
    expect(read.column('vector_vector_int32')).toEqual([1, 2, 3, 4, 5].map((n) => upTo(n).map((k) => [k])));
    expect(read.column('vector_string')).toEqual([1, 2, 3, 4, 5].map((n) => words.slice(0, n)));
    expect(read.column('vector_vector_string')).toEqual([1, 2, 3, 4, 5].map((n) => words.slice(0, n).map((w) => [w])));
    expect(read.column('variant_int32_string._0')).toEqual([[1], [], [], [4], [5]]);
    expect(read.column('variant_int32_string._1')).toEqual([[], ['two'], ['three'], [], []]);
    expect(read.column('tuple_int32_string._0')).toEqual([1, 2, 3, 4, 5]);
    expect(read.column('pair_int32_string._1')).toEqual(words);
    expect(read.column('vector_tuple_int32_string._1')).toEqual([1, 2, 3, 4, 5].map((n) => words.slice(0, n)));
    expect(read.column('lorentz_vector.eta')).toEqual([1, 2, 3, 4, 5]);
    expect(read.column('array_lv.mass')).toEqual([1, 2, 3, 4, 5].map((n) => [n, n, n]));
    const types = Object.fromEntries(read.batches[0]?.schema.fields.map((f) => [f.name, String(f.type)]) ?? []);
    expect(types).toMatchObject({ array_float: 'FixedSizeList[3]<Float32>', vector_vector_string: 'List<List<Utf8>>', 'vector_variant_int64_string._0': 'List<List<Int64>>' });
    await file.close();
  });

  it('cuts clusters into batches of any size and reads entry ranges with the values of the whole read (strings, nested lists, arrays, variants)', async () => {
    const { file, ntuple } = await open(STL, 'ntuple');
    const whole = await readAll(ntuple);
    const names = ntuple.columns.map((c) => c.name);
    for (const [batchEntries, entryStart, entryStop] of [[2, 0, 5], [1, 1, 4], [3, 2, 5], [10, 4, 5]] as const) {
      const batches: RecordBatch[] = [];
      for await (const batch of ntuple.readBatches({ jobs: 1, batchEntries, entryStart, entryStop })) batches.push(batch);
      expect(batches.every((b) => b.numRows <= batchEntries)).toBe(true);
      expect(batches.reduce((s, b) => s + b.numRows, 0)).toBe(entryStop - entryStart);
      for (const name of names) {
        const got = batches.flatMap((b) => Array.from({ length: b.numRows }, (_, i) => plain(b.getChild(name)?.get(i))));
        expect(got, `${name} [${entryStart}, ${entryStop}) by ${batchEntries}`).toEqual(whole.column(name).slice(entryStart, entryStop));
      }
    }
    await file.close();
  });

  it('reads nested records as dotted columns, struct in struct in struct', async () => {
    const { file, ntuple } = await open(`${dir}/test_nested_structs_rntuple_v1-0-0-0.root`, 'ntuple');
    const read = await readAll(ntuple, 'my_struct.*');
    const entries = Array.from({ length: 10 }, (_, i) => i);
    expect(read.column('my_struct.i')).toEqual(entries);
    expect(read.column('my_struct.sub_struct.i')).toEqual(entries.map((i) => i + 1));
    expect(read.column('my_struct.sub_struct.sub_sub_struct.i')).toEqual(entries.map((i) => i + 2));
    expect(read.column('my_struct.sub_struct.sub_sub_struct.v')).toEqual(entries.map((i) => [i, i + 1]));
    await file.close();
  });

  it('decodes Real32Trunc by keeping the top bits and Real32Quant within its range, as ROOT writes them', async () => {
    const { file, ntuple } = await open(`${dir}/test_float_types_rntuple_v1-0-0-0.root`, 'ntuple');
    const read = await readAll(ntuple);
    const value = Math.fround(1.23456789);
    const bits = new Uint32Array(new Float32Array([value]).buffer)[0] as number;
    for (const kept of [10, 16, 24, 31]) {
      const truncated = new Float32Array(new Uint32Array([(bits >>> (32 - kept)) * 2 ** (32 - kept)]).buffer)[0];
      expect(read.column(`trunc${kept}`)[0]).toBe(truncated);
    }
    expect(read.column('quant1')).toEqual([3, 3, -2, -2]);
    for (const [n, tolerance] of [[8, 5 / 255], [16, 5 / 65535], [32, 1e-6]] as const) {
      const got = read.column(`quant${n}`)[0] as number;
      expect(Math.abs(got - value)).toBeLessThanOrEqual(tolerance);
      expect(got).toBe(Math.fround(got));
    }
    await file.close();
  });

  it('reads entries in file order across clusters and cluster groups', async () => {
    const { file, ntuple } = await open(`${dir}/test_multiple_cluster_groups_rntuple_v1-0-0-0.root`, 'ntuple');
    expect(ntuple.descriptor.clusterGroups.length).toBe(3);
    expect(ntuple.descriptor.clusters.length).toBe(12);
    const read = await readAll(ntuple);
    expect(read.column('one')).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(read.column('int_vector')).toEqual(Array.from({ length: 1000 }, (_, i) => [i, i + 1]));
    await file.close();
  });

  it.each([
    ['test_1jag_int_float_rntuple_v1-0-0-0.root'],
    ['test_index_multicluster_rntuple_v1-0-0-0.root'],
    ['test_int_5e4_rntuple_v1-0-0-0.root'],
    ['test_split_3e4_rntuple_v1-0-0-0.root'],
    ['test_stl_containers_rntuple_v1-0-0-0.root'],
    ['test_float_types_rntuple_v1-0-0-0.root'],
    ['test_multiple_cluster_groups_rntuple_v1-0-0-0.root'],
  ])('equals jsroot’s RNTuple event loop on every top-level field of %s that jsroot reads', async (name) => {
    const { file, ntuple } = await open(`${dir}/${name}`, 'ntuple');
    const read = await readAll(ntuple);
    // jsroot reads the first cluster group only, and computes Real32Quant in double without ROOT's cast to float.
    const firstGroup = ntuple.descriptor.clusterGroups[0]?.entrySpan ?? ntuple.entries;
    let compared = 0;
    for (const plan of ntuple.columns.filter((c) => c.name === c.fieldPath && !c.name.includes('.'))) {
      const reference = (await file.readRNTupleWithJsrootEventLoop('ntuple', [plan.name]))[plan.name] as unknown[];
      const quantBits = /^quant(\d+)$/.exec(plan.name)?.[1];
      if (quantBits === '32') continue; // jsroot computes 1 << 32 as 1 and returns NaN
      const expected = reference.map((v) => (quantBits ? Math.fround(v as number) : plain(v)));
      expect(read.column(plan.name).slice(0, firstGroup), plan.name).toEqual(expected);
      compared++;
    }
    expect(compared).toBeGreaterThan(0);
    await file.close();
  });
});

function flatStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.flatMap(flatStrings) : [value as string];
}

describe.runIf(hasFixture(CMS))('RNTuple reader on CMS NanoAOD converted by the RNTupleImporter', () => {
  it('reads every field, projected collections equal their physical columns and counts their lengths', async () => {
    const { file, ntuple } = await open(CMS, 'Events');
    expect(ntuple.unsupported).toEqual([]);
    const read = await readAll(ntuple);
    const byName = new Map(ntuple.columns.map((c) => [c.name, c]));
    let projections = 0;
    for (const plan of ntuple.columns.filter((c) => c.isProjected && c.leaf.kind === 'number')) {
      const physical = ntuple.columns.find((c) => !c.isProjected && c.name.endsWith(`.${plan.name}`));
      expect(physical, plan.name).toBeDefined();
      expect(read.column(plan.name)).toEqual(read.column((physical as { name: string }).name));
      projections++;
    }
    expect(projections).toBeGreaterThan(300);
    const jets = read.column('Jet_pt') as number[][];
    expect(read.column('nJet')).toEqual(jets.map((j) => j.length));
    expect(byName.get('nJet')?.leaf.kind).toBe('cardinality');
    for (const event of jets) for (const pt of event) expect(pt).toBeGreaterThan(0);
    await file.close();
  });

  it('equals jsroot’s RNTuple event loop on every non-projected top-level field jsroot reads', async () => {
    const { file, ntuple } = await open(CMS, 'Events');
    const read = await readAll(ntuple);
    const direct = ntuple.columns.filter((c) => c.name === c.fieldPath && !c.isProjected && c.steps.length === 0);
    expect(direct.length).toBeGreaterThan(500);
    const reference = await file.readRNTupleWithJsrootEventLoop('Events', direct.map((c) => c.name));
    for (const plan of direct) expect(read.column(plan.name), plan.name).toEqual((reference[plan.name] as unknown[]).map(plain));
    await file.close();
  });
});

describe.runIf(hasFixture(PHYSLITE))('RNTuple reader on ATLAS PHYSLITE written as RNTuple', () => {
  it('converts every numeric field, the objects’ kinematics included, with physical values', async () => {
    const { file, ntuple } = await open(PHYSLITE, 'EventData');
    expect(ntuple.unsupported).toEqual([]);
    expect(ntuple.columns.length).toBeGreaterThan(850);
    const read = await readAll(ntuple, 'Analysis*AuxDyn.pt,Analysis*AuxDyn.eta,Analysis*AuxDyn.phi,AnalysisElectronsAuxDyn.m,Analysis*AuxDyn.charge,AnalysisJetsAuxDyn.btaggingLink.*,EventInfoAuxDyn.*');
    for (const object of ['Electrons', 'Muons', 'TauJets', 'Jets', 'Photons']) {
      const pt = read.column(`Analysis${object}AuxDyn.pt`) as number[][];
      const eta = read.column(`Analysis${object}AuxDyn.eta`) as number[][];
      const phi = read.column(`Analysis${object}AuxDyn.phi`) as number[][];
      expect(pt.flat().length, object).toBeGreaterThan(0);
      pt.forEach((event, i) => {
        expect(eta[i]).toHaveLength(event.length);
        for (const [k, value] of event.entries()) {
          expect(value).toBeGreaterThan(0);
          expect(Math.abs((eta[i] as number[])[k] as number)).toBeLessThan(5);
          expect(Math.abs((phi[i] as number[])[k] as number)).toBeLessThanOrEqual(Math.PI + 1e-6);
        }
      });
    }
    // Jets are stored ordered by decreasing pT, electrons have the electron mass (MeV), charges are ±1.
    for (const event of read.column('AnalysisJetsAuxDyn.pt') as number[][]) expect([...event].sort((a, b) => b - a)).toEqual(event);
    for (const m of (read.column('AnalysisElectronsAuxDyn.m') as number[][]).flat()) expect(m).toBeCloseTo(0.511, 3);
    for (const q of (read.column('AnalysisMuonsAuxDyn.charge') as number[][]).flat()) expect(Math.abs(q)).toBe(1);
    // Links from jets to their b-tagging objects index a container of as many objects as jets.
    const links = read.column('AnalysisJetsAuxDyn.btaggingLink.m_persIndex') as number[][];
    links.forEach((event, i) => expect([...event].sort((a, b) => a - b)).toEqual(Array.from({ length: (read.column('AnalysisJetsAuxDyn.pt')[i] as number[]).length }, (_, k) => k)));
    const events = read.column('EventInfoAuxDyn.eventNumber') as number[];
    expect(new Set(events).size).toBe(100);
    expect(new Set(read.column('EventInfoAuxDyn.runNumber'))).toEqual(new Set([450000]));
    await file.close();
  });

  it('selects columns by their dotted name or the stored field name, and names the closest when nothing matches', async () => {
    const { file, ntuple } = await open(PHYSLITE, 'EventData');
    const names = (patterns: string) => ntuple.selectColumns(patterns).schema.fields.map((f) => f.name);
    expect(names('AnalysisJetsAuxDyn:pt')).toEqual(['AnalysisJetsAuxDyn.pt']);
    expect(names('AnalysisJetsAuxDyn.pt,AnalysisJetsAuxDyn.eta')).toEqual(['AnalysisJetsAuxDyn.pt', 'AnalysisJetsAuxDyn.eta']);
    // A record field selects every column under it, as a TTree branch selects its sub-branches.
    expect(names('AnalysisJetsAuxDyn.btaggingLink')).toEqual(['AnalysisJetsAuxDyn.btaggingLink.m_persKey', 'AnalysisJetsAuxDyn.btaggingLink.m_persIndex']);
    expect(() => ntuple.selectColumns('AnalysisJetsAuxDyn.ptt')).toThrow(/field or column "AnalysisJetsAuxDyn.ptt" not found .*closest: AnalysisJetsAuxDyn.pt/);
    expect(() => ntuple.selectColumns('NoSuch*')).toThrow(/no field or column matches "NoSuch\*"/);
    await file.close();
  });

  it('gives identical batches on 1 and on 2 worker threads', async () => {
    const { file, ntuple } = await open(PHYSLITE, 'EventData');
    const encode = async (jobs: number) => Buffer.from(tableToIPC(await ntuple.readTable({ jobs }), 'file'));
    const one = await encode(1);
    expect((await encode(2)).equals(one)).toBe(true);
    await file.close();
  });
});

describe.runIf(hasFixture(`${dir}/test_int_5e4_rntuple_v1-0-0-0.root`))('corrupt RNTuples end with an error naming where', () => {
  const original = () => new Uint8Array(fs.readFileSync(fixturePath(`${dir}/test_int_5e4_rntuple_v1-0-0-0.root`)));
  const fail = async (bytes: Uint8Array): Promise<AppError> => {
    try {
      const file = await openRootFile(createMemoryByteSource(bytes, 'corrupt.root'));
      const ntuple = await file.getRNTuple('ntuple');
      for await (const batch of ntuple.readBatches({ jobs: 1 })) void batch;
    } catch (error) {
      return error as AppError;
    }
    throw new Error('no error');
  };

  it('a page that fails its XXH3 checksum names the file, field, column, cluster, page and byte range', async () => {
    const file = await openRootFile(createMemoryByteSource(original(), 'x.root'));
    const page = (await file.getRNTuple('ntuple')).descriptor.clusters[0]?.columns[0]?.pages[0];
    if (!page) throw new Error('no page');
    const bytes = original();
    bytes[page.locator.offset + 20] = (bytes[page.locator.offset + 20] as number) ^ 0xff;
    const error = await fail(bytes);
    expect(error.code).toBe('INVALID_DATASET');
    const end = page.locator.offset + page.locator.size + 8 - 1;
    expect(error.message).toBe(
      `corrupt.root, RNTuple "ntuple", field "one_integers", column 0, cluster 0, page 0, bytes ${page.locator.offset}–${end}: fails its XXH3 checksum (stored ${error.details.expected}, computed ${error.details.found}); the page is corrupt.`,
    );
  });

  it('a damaged header envelope, anchor or footer is named with its byte range', async () => {
    const header = original();
    header[298 + 40] = (header[298 + 40] as number) ^ 0x55;
    expect((await fail(header)).message).toMatch(/^corrupt.root, RNTuple "ntuple", header envelope, bytes 298–426: /);
    const anchor = original();
    anchor[1542 + 48 + 20] = (anchor[1542 + 48 + 20] as number) ^ 1;
    expect((await fail(anchor)).message).toMatch(/anchor \(the ROOT::RNTuple key\), bytes \d+–\d+: .*XXH3 checksum/);
  });

  it('a truncated file is refused, saying which part lies beyond its end', async () => {
    const error = await fail(original().subarray(0, 1700));
    expect(error.code).toBe('INVALID_DATASET');
    expect(error.message).toMatch(/corrupt.root/);
  });
});

describe.runIf(hasFixture(PHYSLITE))('RNTuple reader over HTTP range requests', () => {
  let server: Awaited<ReturnType<typeof startRangeServer>>;
  beforeAll(async () => {
    server = await startRangeServer(fs.readFileSync(fixturePath(PHYSLITE)), 'physlite.root');
  });
  afterAll(() => server.close());

  it('reads columns of a remote RNTuple with the same values as from disk, fetching only their pages and the metadata', async () => {
    const remote = await openRootFile(server.url);
    const ntuple = await remote.getRNTuple('EventData');
    const before = remote.source.bytesRead;
    const read = await readAll(ntuple, 'AnalysisJetsAuxDyn.pt,AnalysisElectronsAuxDyn.eta');
    const pagesBytes = remote.source.bytesRead - before;
    const { file: local, ntuple: localNtuple } = await open(PHYSLITE, 'EventData');
    const localRead = await readAll(localNtuple, 'AnalysisJetsAuxDyn.pt,AnalysisElectronsAuxDyn.eta');
    expect(read.column('AnalysisJetsAuxDyn.pt')).toEqual(localRead.column('AnalysisJetsAuxDyn.pt'));
    expect(read.column('AnalysisElectronsAuxDyn.eta')).toEqual(localRead.column('AnalysisElectronsAuxDyn.eta'));
    expect(server.ranges.length).toBeGreaterThan(3);
    expect(pagesBytes).toBeLessThan(remote.sizeBytes / 4);
    expect(remote.source.bytesRead).toBeLessThan(remote.sizeBytes / 2);
    await Promise.all([remote.close(), local.close()]);
  });
});
