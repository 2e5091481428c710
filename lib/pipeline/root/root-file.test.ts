import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath, hasFixture } from '@/tests/support/fixtures';
import { openRootFile, type RootFile, type RootTree } from './index';
import type { RootColumn } from './read-branch';

const FIXTURE = 'physlite/PHYSLITE_example.root';
const hasPhyslite = hasFixture(FIXTURE);

/** Entry `i` of a column as plain numbers (64-bit integers as Numbers, which is what jsroot gives). */
function entryOf(column: RootColumn, i: number): number | number[] {
  if (column.layout === 'flat') return Number(column.values[i]);
  return Array.from(column.values.subarray(column.offsets[i], column.offsets[i + 1]) as ArrayLike<number | bigint>, Number);
}

function sumOf(column: RootColumn): number {
  let sum = 0;
  const values = column.values as ArrayLike<number | bigint>;
  for (let i = 0; i < values.length; i++) sum += Number(values[i]);
  return sum;
}

// Numeric types as ROOT names them; the test's own list, independent of the reader's classification.
const NUMERIC = ['float', 'double', 'char', 'unsigned char', 'short', 'unsigned short', 'int', 'unsigned int', 'long', 'unsigned long', 'Long64_t', 'ULong64_t', 'bool'];

describe.runIf(hasPhyslite)('openRootFile on the PHYSLITE fixture', () => {
  let file: RootFile;
  let tree: RootTree;
  beforeAll(async () => {
    file = await openRootFile(fixturePath(FIXTURE));
    tree = await file.getTree('CollectionTree');
  });
  afterAll(async () => file?.close());

  it('lists the tree with its 100 entries and 1343 top-level branches', () => {
    expect(file.trees.map((t) => t.name)).toEqual(['CollectionTree']);
    expect(tree.entries).toBe(100);
    expect(tree.branches).toHaveLength(1343);
  });

  it('classifies every flat number and vector of numbers as readable, and nothing else', () => {
    const isNumericType = (typeName: string) => NUMERIC.includes(typeName) || NUMERIC.some((t) => typeName === `vector<${t}>`);
    const readable = tree.branches.filter((b) => b.layout !== 'unsupported').map((b) => b.name);
    const numeric = tree.branches.filter((b) => isNumericType(b.typeName) && b.subBranchCount === 0).map((b) => b.name);
    expect(readable).toEqual(numeric);
    expect(tree.branches.filter((b) => b.layout === 'flat')).toHaveLength(54);
    expect(tree.branches.filter((b) => b.layout === 'vector')).toHaveLength(554);
  });

  it('reads every numeric flat and vector<number> branch with exactly the values of jsroot’s own event loop', async () => {
    const names = tree.branches.filter((b) => b.layout !== 'unsupported').map((b) => b.name);
    const reference = await tree.readWithJsrootEventLoop(names);
    const mismatches: string[] = [];
    for (const name of names) {
      const column = await tree.readBranch(name);
      const expected = reference[name] as unknown[];
      expect(expected).toHaveLength(tree.entries);
      for (let i = 0; i < tree.entries; i++) {
        const want = expected[i];
        const wanted = Array.isArray(want) ? want.map(Number) : Number(want);
        if (JSON.stringify(entryOf(column, i)) !== JSON.stringify(wanted)) {
          mismatches.push(`${name} entry ${i}: ${JSON.stringify(entryOf(column, i)).slice(0, 80)} ≠ ${JSON.stringify(wanted).slice(0, 80)}`);
          break;
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(names.length).toBe(608);
  });

  it('reproduces the reference sums of SOURCE.txt', async () => {
    const read = (name: string) => tree.readBranch(name);
    const electrons = await read('AnalysisElectronsAuxDyn.pt');
    expect(electrons.values).toBeInstanceOf(Float32Array);
    expect(electrons.values.length).toBe(134);
    expect(sumOf(electrons)).toBe(7006231.458984375);
    expect(sumOf(await read('AnalysisElectronsAuxDyn.eta'))).toBeCloseTo(4.174543548375368, 12);
    expect(sumOf(await read('AnalysisElectronsAuxDyn.phi'))).toBeCloseTo(-10.292457098141313, 12);
    const muons = await read('AnalysisMuonsAuxDyn.pt');
    expect([muons.values.length, sumOf(muons)]).toEqual([5, 23004.826171875]);
    const taus = await read('AnalysisTauJetsAuxDyn.pt');
    expect([taus.values.length, sumOf(taus)]).toEqual([143, 8596728.421875]);
    expect(Math.min(...(taus.values as Float32Array))).toBe(20626.63671875);
    expect(Math.max(...(taus.values as Float32Array))).toBe(218996.15625);
    const jets = await read('AnalysisJetsAuxDyn.pt');
    expect([jets.values.length, sumOf(jets)]).toEqual([881, 37933254.39746094]);
    expect(jets.layout === 'vector' && jets.offsets[100]).toBe(881);
    expect(sumOf(await read('AnalysisJetsAuxDyn.eta'))).toBeCloseTo(-2.353969850577414, 12);
    expect(sumOf(await read('AnalysisJetsAuxDyn.m'))).toBe(4411293.012696594);
    const large = await read('AnalysisLargeRJetsAuxDyn.pt');
    expect([large.values.length, sumOf(large)]).toEqual([97, 17202950]);
    expect(sumOf(await read('AnalysisLargeRJetsAuxDyn.m'))).toBe(3145772.1730641015);
    expect(sumOf(await read('EventInfoAuxDyn.averageInteractionsPerCrossing'))).toBe(3762.999988555908);
    const eventNumber = await read('EventInfoAuxDyn.eventNumber');
    expect(eventNumber.values).toBeInstanceOf(BigUint64Array);
    expect(sumOf(eventNumber)).toBe(760861348);
    const dsid = await read('EventInfoAuxDyn.mcChannelNumber');
    expect(new Set(dsid.values as Uint32Array)).toEqual(new Set([700322]));
    expect(new Set(await read('EventInfoAuxDyn.runNumber').then((c) => c.values as Uint32Array))).toEqual(new Set([300000]));
  });

  it('reports unsupported branch types by name with the reason, and refuses to read them', async () => {
    const nested = tree.getBranch('AnalysisJetsAuxDyn.NumTrkPt500');
    expect(nested.layout).toBe('unsupported');
    expect(nested.unsupportedReason).toMatch(/vector<vector<int> > is not a vector of numbers/);
    await expect(tree.readBranch('AnalysisJetsAuxDyn.NumTrkPt500')).rejects.toThrow(/branch "AnalysisJetsAuxDyn.NumTrkPt500" of type vector<vector<int> > cannot be read/);
  });

  it('fails on a missing branch naming the closest branches', () => {
    expect(() => tree.getBranch('AnalysisJetsAuxDyn.ptt')).toThrow(/branch "AnalysisJetsAuxDyn.ptt" not found in CollectionTree of PHYSLITE_example.root; closest: AnalysisJetsAuxDyn.pt, /);
    expect(() => tree.selectBranches('AnalysisJetsAuxDyn.pt,NoSuchContainer.*')).toThrow(/no branch matches "NoSuchContainer.\*"/);
    const selected = tree.selectBranches('AnalysisMuonsAuxDyn.p?, EventInfoAuxDyn.eventNumber').map((b) => b.name);
    expect(new Set(selected)).toEqual(new Set(['AnalysisMuonsAuxDyn.pt', 'EventInfoAuxDyn.eventNumber']));
    expect(selected).toEqual(tree.branches.map((b) => b.name).filter((n) => selected.includes(n)));
  });

  it('fails on a missing tree naming the trees of the file', () => {
    expect(() => file.getTree('CollectionTre')).toThrow(/tree "CollectionTre" not found in PHYSLITE_example.root; trees: CollectionTree/);
  });

  it('reads only the baskets of the requested branch, not the file', async () => {
    const fresh = await openRootFile(fixturePath(FIXTURE));
    const freshTree = await fresh.getTree('CollectionTree');
    const before = fresh.source.bytesRead;
    const branch = freshTree.getBranch('AnalysisJetsAuxDyn.pt');
    await freshTree.readBranch(branch.name);
    expect(fresh.source.bytesRead - before).toBe(branch.baskets.reduce((s, b) => s + b.sizeBytes, 0));
    expect(fresh.source.bytesRead).toBeLessThan(fresh.sizeBytes / 2);
    await fresh.close();
  });
});

describe.runIf(hasPhyslite)('openRootFile over HTTP range requests', () => {
  let server: http.Server;
  let url = '';
  const ranges: string[] = [];
  beforeAll(async () => {
    const bytes = fs.readFileSync(fixturePath(FIXTURE));
    server = http.createServer((req, res) => {
      const match = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
      if (!match) {
        res.writeHead(200, { 'Content-Length': bytes.length });
        res.end(bytes);
        return;
      }
      const start = Number(match[1]);
      const end = Math.min(Number(match[2]), bytes.length - 1);
      ranges.push(`${start}-${end}`);
      res.writeHead(206, { 'Content-Range': `bytes ${start}-${end}/${bytes.length}`, 'Content-Length': end - start + 1 });
      res.end(bytes.subarray(start, end + 1));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/PHYSLITE_example.root`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reads a branch through a local server that honours Range headers, with the same values as from disk', async () => {
    const remote = await openRootFile(url);
    const tree = await remote.getTree('CollectionTree');
    const jets = await tree.readBranch('AnalysisJetsAuxDyn.pt');
    const local = await openRootFile(fixturePath(FIXTURE));
    const localJets = await (await local.getTree('CollectionTree')).readBranch('AnalysisJetsAuxDyn.pt');
    expect(Array.from(jets.values as Float32Array)).toEqual(Array.from(localJets.values as Float32Array));
    expect(sumOf(jets)).toBe(37933254.39746094);
    expect(ranges.length).toBeGreaterThan(2);
    expect(remote.source.bytesRead).toBeLessThan(remote.sizeBytes);
    await Promise.all([remote.close(), local.close()]);
  });

  it('refuses a server that ignores Range headers, saying so', async () => {
    const plain = http.createServer((_req, res) => res.end('not a range'));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const plainUrl = `http://127.0.0.1:${(plain.address() as AddressInfo).port}/x.root`;
    await expect(openRootFile(plainUrl)).rejects.toThrow(/does not serve byte ranges \(status 200/);
    await new Promise<void>((resolve) => plain.close(() => resolve()));
  });
});
