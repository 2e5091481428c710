import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { fixturePath, hasFixture } from '@/tests/support/fixtures';
import { plainArrowValue } from '@/tests/support/root-reference';
import { runPipelineCli } from '../run-pipeline-cli';
import { openRootFile } from './index';

const PHYSLITE = 'physlite/PHYSLITE_example.root';
const SAMPLES = 'root-samples';
const repoRoot = path.resolve(__dirname, '..', '..', '..');
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'hep-arena-convert-'));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

async function run(...args: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runPipelineCli(args, { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l) });
  return { code, stdout, stderr };
}

/** Files in a folder, temporary ones included (a failed conversion must leave none). */
const filesIn = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir) : []);

describe.runIf(hasFixture(PHYSLITE))('pipeline convert / inspect on the PHYSLITE fixture', () => {
  it('converts every readable branch to Arrow in batches, with the same bytes for 1 and 3 decoding threads', async () => {
    const one = path.join(tmpRoot, 'all-1.arrow');
    const three = path.join(tmpRoot, 'all-3.arrow');
    const a = await run('convert', fixturePath(PHYSLITE), '--tree', 'CollectionTree', '--out', one, '--jobs', '1', '--batch-entries', '30');
    const b = await run('convert', fixturePath(PHYSLITE), '--tree', 'CollectionTree', '--out', three, '--jobs', '3', '--batch-entries', '30');
    expect([a.code, b.code]).toEqual([0, 0]);
    const summary = JSON.parse(a.stdout.at(-1) as string);
    expect(summary).toMatchObject({ rows: 100, batches: 4 });
    expect(summary.columns).toHaveLength(1158);
    expect(Buffer.compare(fs.readFileSync(one), fs.readFileSync(three))).toBe(0);
    const table = tableFromIPC(fs.readFileSync(one));
    expect(table.batches).toHaveLength(4);
    const types = Object.fromEntries(table.schema.fields.map((f) => [f.name, String(f.type)]));
    expect(types).toMatchObject({
      'AnalysisJetsAuxDyn.pt': 'List<Float32>',
      'AnalysisJetsAuxDyn.NumTrkPt500': 'List<List<Int32>>',
      'AnalysisJetsAuxDyn.EnergyPerSampling': 'List<List<Float32>>',
      'AnalysisElectronsAuxDyn.trackParticleLinks.m_persKey': 'List<List<Uint32>>',
      'AnalysisElectronsAuxDyn.trackParticleLinks.m_persIndex': 'List<List<Uint32>>',
      'AnalysisElectronsAuxDyn.ambiguityLink.m_persIndex': 'List<Uint32>',
      'EventInfoAuxDyn.hardScatterVertexLink.m_persKey': 'Uint32',
      'EventInfoAuxDyn.detDescrTags.first': 'List<Utf8>',
      'MET_Core_AnalysisMETAuxDyn.name': 'List<Utf8>',
      'xTrigDecisionAux.lvl2Truncated': 'Bool',
      'EventInfoAuxDyn.eventNumber': 'Uint64',
    });
    expect(table.schema.fields.find((f) => f.name === 'AnalysisJetsAuxDyn.NumTrkPt500')?.metadata.get('root.type')).toBe('vector<vector<int> >');
    expect(table.schema.metadata.get('tree')).toBe('CollectionTree');
    expect(JSON.parse(table.schema.metadata.get('skipped_branches') as string).length).toBeGreaterThan(400);
    // The jets' per-jet track counts: one list per jet, as many as jets in the event.
    for (let i = 0; i < 100; i++) {
      const jets = plainArrowValue(table.getChild('AnalysisJetsAuxDyn.pt')?.get(i)) as number[];
      expect(plainArrowValue(table.getChild('AnalysisJetsAuxDyn.NumTrkPt500')?.get(i))).toHaveLength(jets.length);
    }
    expect(b.stderr.some((l) => /3 decoding thread\(s\)/.test(l))).toBe(true);
  });

  it('selects columns by branch name, column name and glob, and writes them in tree order from the spawned CLI', async () => {
    const out = path.join(tmpRoot, 'cli.arrow');
    const result = spawnSync(
      path.join(repoRoot, 'node_modules', '.bin', 'tsx'),
      ['lib/pipeline/cli.ts', 'convert', fixturePath(PHYSLITE), '--tree', 'CollectionTree', '--branches', 'AnalysisElectronsAuxDyn.p?,EventInfoAuxDyn.eventNumber,AnalysisElectronsAuxDyn.trackParticleLinks.m_persIndex,EventInfoAuxDyn.hardScatterVertexLink', '--out', out],
      { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 },
    );
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/\[pipeline\] wrote .*cli\.arrow/);
    const table = tableFromIPC(fs.readFileSync(out));
    // In the order of the tree's branches, whatever the order of --branches.
    const order = table.schema.fields.map((f) => f.name);
    expect(new Set(order)).toEqual(new Set(['EventInfoAuxDyn.eventNumber', 'EventInfoAuxDyn.hardScatterVertexLink.m_persKey', 'EventInfoAuxDyn.hardScatterVertexLink.m_persIndex', 'AnalysisElectronsAuxDyn.pt', 'AnalysisElectronsAuxDyn.trackParticleLinks.m_persIndex']));
    const treeOrder = await openRootFile(fixturePath(PHYSLITE)).then(async (f) => (await f.getTree('CollectionTree')).branches.flatMap((b) => b.columns.map((c) => c.name)));
    expect(order).toEqual(treeOrder.filter((name) => order.includes(name)));
    expect(table.getChild('EventInfoAuxDyn.hardScatterVertexLink.m_persIndex')?.get(0)).toBe(0);
    let n = 0;
    let sum = 0;
    for (const row of table.getChild('AnalysisElectronsAuxDyn.pt')?.toArray() ?? []) for (const v of row.toArray() as Float32Array) {
      n++;
      sum += v;
    }
    expect([n, sum]).toEqual([134, 7006231.458984375]);
  });

  it('fails on a missing branch with the closest names and writes nothing', async () => {
    const out = path.join(tmpRoot, 'missing', 'x.arrow');
    const { code, stderr } = await run('convert', fixturePath(PHYSLITE), '--tree', 'CollectionTree', '--branches', 'AnalysisJetsAuxDyn.ptt', '--out', out);
    expect(code).toBe(2);
    expect(stderr).toEqual([expect.stringMatching(/^error: branch "AnalysisJetsAuxDyn.ptt" not found in CollectionTree of PHYSLITE_example.root; closest: AnalysisJetsAuxDyn.pt, /)]);
    expect(fs.existsSync(path.dirname(out))).toBe(false);
  });

  it('names an object without data members when it alone is asked for, and skips such branches in globs', async () => {
    const { code, stderr } = await run('convert', fixturePath(PHYSLITE), '--tree', 'CollectionTree', '--branches', 'AnalysisElectrons', '--out', path.join(tmpRoot, 'e.arrow'));
    expect(code).toBe(2);
    expect(stderr[0]).toMatch(/none of the branches selected by "AnalysisElectrons" .* has columns to read \(AnalysisElectrons: DataVector<xAOD::Electron_v1> has no data members of its own to store \(xAOD keeps the values in the Aux\/AuxDyn branches\)\)/);
  });

  it('inspect lists every branch and sub-branch with type, layout, columns and compressed size', async () => {
    const { code, stdout } = await run('inspect', fixturePath(PHYSLITE));
    expect(code).toBe(0);
    expect(stdout[0]).toBe('file PHYSLITE_example.root (1641551 bytes), 1 tree(s), 0 RNTuple(s)');
    expect(stdout[1]).toMatch(/^tree CollectionTree: 100 entries, 1494 branches \(964 read as 1158 columns, 0 unsupported\), \d+ compressed bytes$/);
    expect(stdout.find((l) => /^\s+AnalysisJetsAuxDyn\.pt\s/.test(l))).toMatch(/AnalysisJetsAuxDyn\.pt\s+vector<float>\s+vector\s+1\s+3943\s+5030$/);
    expect(stdout.find((l) => /^\s+AnalysisElectronsAuxDyn\.ambiguityLink\s/.test(l))).toMatch(/split\s+0\s+\d+\s+\d+\s+split into 2 member branches/);
    expect(stdout.find((l) => /^\s{4}AnalysisElectronsAuxDyn\.ambiguityLink\.m_persKey\s/.test(l))).toMatch(/unsigned int\[\]\s+collection-member\s+1\s/);
    const json = await run('inspect', fixturePath(PHYSLITE), '--json');
    const parsed = JSON.parse(json.stdout[0] as string);
    expect(parsed.trees[0].branches.find((b: { name: string }) => b.name === 'AnalysisJetsAuxDyn.NumTrkPt500')).toMatchObject({ typeName: 'vector<vector<int> >', layout: 'nested-vector', columns: [{ name: 'AnalysisJetsAuxDyn.NumTrkPt500', type: 'list<list<int32>>' }] });
    expect(parsed.objects).toEqual([{ path: 'StreamerInfo', className: 'TList' }]);
  });
});

describe.runIf(hasFixture(SAMPLES))('inspect and convert on trees in directories', () => {
  it('lists trees by their full path and converts one addressed as dir/tree', async () => {
    const { code, stdout } = await run('inspect', fixturePath(`${SAMPLES}/uproot-issue-643.root`));
    expect(code).toBe(0);
    expect(stdout[1]).toMatch(/^tree ntuple0\/objects: 25 entries, 15 branches/);
    const out = path.join(tmpRoot, 'dir.arrow');
    const converted = await run('convert', fixturePath(`${SAMPLES}/uproot-issue-643.root`), '--tree', 'ntuple0/objects', '--branches', 'pf,vz', '--out', out);
    expect(converted.code).toBe(0);
    const table = tableFromIPC(fs.readFileSync(out));
    expect(table.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(['pf.first.fP.fX:List<Float64>', 'pf.first.fP.fY:List<Float64>', 'pf.first.fP.fZ:List<Float64>', 'pf.first.fE:List<Float64>', 'pf.second:List<Int32>', 'vz:List<Float32>']);
  });

  it('says what a key holds when it is not a TTree', async () => {
    const { code, stderr } = await run('convert', fixturePath(`${SAMPLES}/uproot-physlite-rntuple_v1-0-0-0.root`), '--tree', 'StreamerInfo', '--out', path.join(tmpRoot, 'n.arrow'));
    expect(code).toBe(2);
    expect(stderr[0]).toMatch(/^error: "StreamerInfo" in uproot-physlite-rntuple_v1-0-0-0\.root is a TList; only TTrees and RNTuples hold entries to read \(.*MetaData.*EventData.*\)\.$/);
  });

  it('refuses an unsupported branch named explicitly with its reason and next step, and skips it in a glob with --skip-unsupported', async () => {
    const file = fixturePath(`${SAMPLES}/uproot-issue-123a.root`);
    const named = await run('convert', file, '--tree', 'CollectionTree', '--branches', 'McEventInfo,EventInfoAux.eventNumber', '--out', path.join(tmpRoot, 'u.arrow'));
    expect(named.code).toBe(2);
    expect(named.stderr[0]).toMatch(/"McEventInfo" \(PileUpEventInfo_p5\): the file has no streamer info for class PileUpEventInfo_p5::SubEvent, so its members are unknown\. Next step: leave it out \(--skip-unsupported\); to read it, load the library that defines the class/);
    const globbed = await run('convert', file, '--tree', 'CollectionTree', '--branches', 'Mc*,EventInfoAux.eventNumber', '--out', path.join(tmpRoot, 'u.arrow'), '--skip-unsupported');
    expect(globbed.code).toBe(0);
    expect(globbed.stderr.some((l) => /skipping McEventInfo: the file has no streamer info/.test(l))).toBe(true);
  });
});

/** A copy of a fixture with some bytes changed. */
function damagedCopy(fixture: string, name: string, change: (bytes: Uint8Array) => Uint8Array): string {
  const target = path.join(tmpRoot, name);
  fs.writeFileSync(target, change(new Uint8Array(fs.readFileSync(fixturePath(fixture)))));
  return target;
}

async function firstBasket(file: string, tree: string, branch: string) {
  const root = await openRootFile(file);
  const basket = (await root.getTree(tree)).getBranch(branch).baskets[0];
  await root.close();
  if (basket?.kind !== 'disk') throw new Error('no disk basket');
  return basket;
}

describe.runIf(hasFixture(PHYSLITE) && hasFixture(SAMPLES))('corrupt input ends with a message naming file, tree, branch, basket and byte range, and writes nothing', () => {
  async function expectFailure(input: string, tree: string, branches: string, message: RegExp) {
    const outDir = path.join(tmpRoot, `out-${path.basename(input)}`);
    const { code, stderr } = await run('convert', input, '--tree', tree, '--branches', branches, '--out', path.join(outDir, 'x.arrow'), '--jobs', '2');
    expect(code).toBe(2);
    expect(stderr.at(-1)).toMatch(message);
    expect(filesIn(outDir)).toEqual([]);
  }

  it('a truncated file', async () => {
    const input = damagedCopy(PHYSLITE, 'truncated.root', (b) => b.subarray(0, Math.floor(b.length * 0.7)));
    await expectFailure(input, 'CollectionTree', 'AnalysisJetsAuxDyn.pt', /^error: truncated\.root is truncated: its header records 1641551 bytes but the file has 1149085 \(an interrupted download or copy\?\)\.$/);
  });

  it('a truncated file whose keys survive: the first basket past the end names its branch and bytes', async () => {
    const basket = await firstBasket(fixturePath(`${SAMPLES}/uproot-Zmumu-zstd.root`), 'events', 'px1');
    // Cut inside px1's basket but keep the header and the key list, which ROOT writes at the end.
    const input = damagedCopy(`${SAMPLES}/uproot-Zmumu-zstd.root`, 'cut-basket.root', (b) => {
      const copy = b.slice();
      copy.fill(0, basket.seek + 120, basket.seek + basket.sizeBytes);
      return copy;
    });
    await expectFailure(input, 'events', 'px1,py1', new RegExp(`^error: cut-basket\\.root: tree "events", branch "px1", basket 0 \\(entries 0–\\d+\\) at bytes ${basket.seek}–${basket.seek + basket.sizeBytes}: zstd chunk at byte 0`));
  });

  it('a bad basket key', async () => {
    const basket = await firstBasket(fixturePath(PHYSLITE), 'CollectionTree', 'AnalysisJetsAuxDyn.eta');
    const input = damagedCopy(PHYSLITE, 'bad-key.root', (b) => {
      const copy = b.slice();
      const keyVersion = new DataView(copy.buffer).getInt16(basket.seek + 4);
      copy.set(new TextEncoder().encode('TBasxet'), basket.seek + 18 + (keyVersion > 1000 ? 16 : 8) + 1);
      return copy;
    });
    await expectFailure(
      input,
      'CollectionTree',
      'AnalysisJetsAuxDyn.pt,AnalysisJetsAuxDyn.eta',
      new RegExp(`^error: bad-key\\.root: tree "CollectionTree", branch "AnalysisJetsAuxDyn\\.eta", basket 0 \\(entries 0–99\\) at bytes ${basket.seek}–${basket.seek + basket.sizeBytes}: bad key: it names class "TBasxet" where a TBasket is expected`),
    );
  });

  it('a bad key of the tree itself', async () => {
    const root = await openRootFile(fixturePath(`${SAMPLES}/uproot-HZZ.root`));
    const key = root.keys.find((k) => k.path === 'events') as { seek: number; sizeBytes: number };
    await root.close();
    const input = damagedCopy(`${SAMPLES}/uproot-HZZ.root`, 'bad-tree-key.root', (b) => {
      const copy = b.slice();
      copy.fill(0x77, key.seek + 60, key.seek + 120);
      return copy;
    });
    await expectFailure(input, 'events', 'NJet', new RegExp(`^error: bad-tree-key\\.root: the key of "events" \\(bytes ${key.seek}–${key.seek + key.sizeBytes}\\) cannot be read: .*The file is truncated or corrupt\\.`));
  });

  it('a basket that fails to decompress', async () => {
    const basket = await firstBasket(fixturePath(PHYSLITE), 'CollectionTree', 'AnalysisJetsAuxDyn.phi');
    const input = damagedCopy(PHYSLITE, 'bad-zlib.root', (b) => {
      const copy = b.slice();
      for (let k = basket.seek + basket.sizeBytes - 200; k < basket.seek + basket.sizeBytes - 150; k++) copy[k] = (copy[k] as number) ^ 0x5a;
      return copy;
    });
    await expectFailure(input, 'CollectionTree', 'AnalysisJetsAuxDyn.*', new RegExp(`branch "AnalysisJetsAuxDyn\\.phi", basket 0 \\(entries 0–99\\) at bytes ${basket.seek}–${basket.seek + basket.sizeBytes}: zlib chunk at byte 0 does not decompress`));
  });

  it('an LZ4 basket that fails its xxhash64 checksum', async () => {
    const basket = await firstBasket(fixturePath(`${SAMPLES}/uproot-Zmumu-lz4.root`), 'events', 'E1');
    const input = damagedCopy(`${SAMPLES}/uproot-Zmumu-lz4.root`, 'bad-lz4.root', (b) => {
      const copy = b.slice();
      copy[basket.seek + basket.sizeBytes - 10] = (copy[basket.seek + basket.sizeBytes - 10] as number) ^ 0x01;
      return copy;
    });
    await expectFailure(input, 'events', 'E1,px1', new RegExp(`^error: bad-lz4\\.root: tree "events", branch "E1", basket 0 \\(entries 0–2303\\) at bytes ${basket.seek}–${basket.seek + basket.sizeBytes}: lz4 chunk at byte 0: checksum mismatch \\(stored xxhash64 [0-9a-f]+, computed [0-9a-f]+\\)`));
  });
});
