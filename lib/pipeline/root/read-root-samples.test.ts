import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixturePath, hasFixture } from '@/tests/support/fixtures';
import { compareWithJsroot, plainArrowValue } from '@/tests/support/root-reference';
import { openRootFile, type RootTree } from './index';
import type { RawBasketRecord } from './raw-records';
import { decodeDiskBasket } from './read-basket';

const SAMPLES = 'root-samples';
const PHYSLITE = 'physlite/PHYSLITE_example.root';
const hasSamples = hasFixture(SAMPLES);

/** Every TTree file of the public test corpus, found by listing the folder (RNTuple-only files hold no TTree). */
const sampleFiles = hasSamples ? fs.readdirSync(fixturePath(SAMPLES)).filter((f) => f.endsWith('.root')).sort() : [];

/**
 * Columns jsroot's event loop reads wrongly; each is checked against an independent source in its own test below.
 * Everything else must equal jsroot exactly.
 */
const JSROOT_GETS_WRONG: { file: RegExp; column: RegExp; why: string }[] = [
  { file: /HZZ-objects/, column: /^(MET|MC_\w+)\.f[XYZ]$/, why: 'jsroot reads a top-level TVector2/TVector3 branch starting at its byte-count header' },
  { file: /issue-400/, column: /^orange\.(Trk_px|Trk_py|Mc_q2)$/, why: 'jsroot reads the [n] arrays of a leaf list as single values' },
  { file: /issue-123a|PHYSLITE/, column: /^\w+Clusters\.m_samplingPattern$/, why: 'jsroot returns DataVector<xAOD::CaloCluster_v1> as empty' },
];

/** Branches whose layout is not decoded, with the reason the listing must give (true for these files). */
const EXPECTED_UNSUPPORTED: Record<string, Record<string, RegExp>> = {
  'uproot-issue-123a.root': { McEventInfo: /no streamer info for class PileUpEventInfo_p5::SubEvent/ },
  'uproot-issue433-splitlevel2.root': {
    any: /member any \(TObject\*\) of AAObject is an object pointer/,
    'trks.any': /object pointer/,
    'mc_trks.any': /object pointer/,
    'vector<KM3NETDAQ::JDAQSuperFrame>': /member buffer \(KM3NETDAQ::JDAQHit\*\) of KM3NETDAQ::JDAQFrame is an array of objects with a custom streamer/,
    'vector<KM3NETDAQ::JDAQSuperFrame>.buffer': /custom streamer/,
    triggeredHits: /no streamer info for class KM3NETDAQ::JDAQTriggeredHit/,
    snapshotHits: /no streamer info for class KM3NETDAQ::JDAQKeyHit/,
    'vector<KM3NETDAQ::JDAQSummaryFrame>': /no streamer info for class KM3NETDAQ::JDAQSummaryFrame/,
  },
};

async function readAllAndCompare(path: string, fileLabel: string) {
  const file = await openRootFile(path);
  const report: string[] = [];
  try {
    expect(file.trees.length, `${fileLabel} has no TTree`).toBeGreaterThan(0);
    for (const summary of file.trees) {
      const tree = await file.getTree(summary.path);
      const unsupported = tree.branches.filter((b) => b.layout === 'unsupported');
      const expected = EXPECTED_UNSUPPORTED[fileLabel] ?? {};
      for (const branch of unsupported) {
        expect(Object.keys(expected), `${fileLabel} ${tree.path}: unexpected unsupported branch ${branch.name}: ${branch.reason}`).toContain(branch.name);
        expect(branch.reason).toMatch(expected[branch.name] as RegExp);
        expect(branch.reason).toMatch(/Next step: leave it out \(--skip-unsupported\)/);
        if (/object pointer/.test(branch.reason ?? '')) expect(branch.reason).toMatch(/read it with uproot .*which follows object pointers/);
        if (/no streamer info|custom streamer/.test(branch.reason ?? '')) expect(branch.reason).toMatch(/load the library that defines the class in ROOT and write the tree again with the object split into member branches/);
      }
      const readable = tree.branches.filter((b) => b.decode);
      if (readable.length === 0) continue;
      const table = await tree.readTable({ jobs: 1, skipUnsupported: true });
      expect(table.numRows).toBe(tree.entries);
      expect(table.numCols).toBe(readable.reduce((s, b) => s + b.columns.length, 0));
      const { mismatches, compared, jsrootFailed } = await compareWithJsroot(tree, table, readable);
      const unexplained = mismatches.filter((m) => !JSROOT_GETS_WRONG.some((w) => w.file.test(fileLabel) && w.column.test(m.split(' ')[0] as string)));
      expect(unexplained, `${fileLabel} ${tree.path}`).toEqual([]);
      report.push(`${tree.path}: ${readable.length} branches → ${table.numCols} columns, ${compared - mismatches.length} equal to jsroot, ${jsrootFailed.length} jsroot cannot read`);
    }
  } finally {
    await file.close();
  }
  return report;
}

describe.runIf(hasSamples)('every TTree file of the public test corpus (root-samples)', () => {
  const ttreeFiles = sampleFiles.filter((f) => !/_rntuple_/.test(f) || f === 'uproot-physlite-rntuple_v1-0-0-0.root');
  it.each(ttreeFiles)('%s: lists every tree and branch, reads every readable column, and equals jsroot’s event loop wherever jsroot reads it', async (name) => {
    const report = await readAllAndCompare(fixturePath(`${SAMPLES}/${name}`), name);
    expect(report.length).toBeGreaterThan(0);
  });

  it('reads TLorentzVector, TVector2 and TVector3 objects with the values of the same events stored as flat floats', async () => {
    const objects = await openRootFile(fixturePath(`${SAMPLES}/uproot-HZZ-objects.root`));
    const flat = await openRootFile(fixturePath(`${SAMPLES}/uproot-HZZ.root`));
    const a = await (await objects.getTree('events')).readTable({ jobs: 1, branches: 'MET,MC_bquarkhadronic,jetp4,muonp4' });
    const b = await (await flat.getTree('events')).readTable({ jobs: 1, branches: 'MET_px,MET_py,MChadronicBottom_px,MChadronicBottom_pz,Jet_Px,Jet_E,Muon_Py' });
    expect(a.schema.fields.map((f) => f.name)).toContain('jetp4.fP.fX');
    expect(String(a.schema.fields.find((f) => f.name === 'jetp4.fE')?.type)).toBe('List<Float64>');
    const f = (x: unknown) => Math.fround(x as number);
    const pairs: [string, string, boolean][] = [['MET.fX', 'MET_px', false], ['MET.fY', 'MET_py', false], ['MC_bquarkhadronic.fX', 'MChadronicBottom_px', false], ['MC_bquarkhadronic.fZ', 'MChadronicBottom_pz', false], ['jetp4.fP.fX', 'Jet_Px', true], ['jetp4.fE', 'Jet_E', true], ['muonp4.fP.fY', 'Muon_Py', true]];
    let nonZero = 0;
    for (const [ours, theirs, isList] of pairs) {
      for (let i = 0; i < a.numRows; i++) {
        const x = plainArrowValue(a.getChild(ours)?.get(i));
        const y = plainArrowValue(b.getChild(theirs)?.get(i));
        const got = isList ? (x as number[]).map(f) : f(x);
        expect(got, `${ours} entry ${i}`).toEqual(y);
        if (!isList && x !== 0) nonZero++;
      }
    }
    expect(nonZero).toBeGreaterThan(2000);
    await Promise.all([objects.close(), flat.close()]);
  });

  it('reads a leaf list with [n] arrays (Trk_px[Trk_ntracks]) per entry, each array as long as its count leaf says', async () => {
    const file = await openRootFile(fixturePath(`${SAMPLES}/uproot-issue-400.root`));
    const tree = await file.getTree('orange');
    expect(tree.getBranch('orange').layout).toBe('leaf-list');
    const table = await tree.readTable({ jobs: 1 });
    expect(table.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      'orange.Evtake_iwant:Int32', 'orange.Mc_x:Float32', 'orange.Mc_y:Float32', 'orange.Trk_ntracks:Int32', 'orange.Trk_px:List<Float32>', 'orange.Trk_py:List<Float32>', 'orange.Mc_q2:Float32',
    ]);
    for (let i = 0; i < tree.entries; i++) {
      const n = table.getChild('orange.Trk_ntracks')?.get(i) as number;
      const px = plainArrowValue(table.getChild('orange.Trk_px')?.get(i)) as number[];
      expect(px).toHaveLength(n);
      // The file's writer filled Trk_px with 10.0, 10.1, … (float32).
      expect(px).toEqual(Array.from({ length: n }, (_, k) => Math.fround(10 + k / 10)));
    }
    await file.close();
  });

  it('reads the members of ATLAS DataVector<CaloCluster_v1> (member-wise), one per cluster of the event', async () => {
    const file = await openRootFile(fixturePath(`${SAMPLES}/uproot-issue-123a.root`));
    const tree = await file.getTree('CollectionTree');
    const table = await tree.readTable({ jobs: 1, branches: 'CaloCalTopoClusters.m_samplingPattern,CaloCalTopoClustersAuxDyn.calE' });
    let clusters = 0;
    for (let i = 0; i < tree.entries; i++) {
      const pattern = plainArrowValue(table.getChild('CaloCalTopoClusters.m_samplingPattern')?.get(i)) as number[];
      const energies = plainArrowValue(table.getChild('CaloCalTopoClustersAuxDyn.calE')?.get(i)) as number[];
      expect(pattern).toHaveLength(energies.length);
      clusters += pattern.length;
    }
    expect(clusters).toBeGreaterThan(100);
    await file.close();
  });

  it('reads a base class written by a hand-made streamer (no header, no TObject) with the sizes its own record says', async () => {
    // jsroot cannot read these KM3NeT branches. The DAQ preamble's length is the size of the whole record: the
    // 8-byte preamble, the 20-byte header and the summary frames (the frame vector's entry less its 6-byte header).
    const file = await openRootFile(fixturePath(`${SAMPLES}/uproot-issue433-splitlevel2.root`));
    const tree = await file.getTree('KM3NET_SUMMARYSLICE');
    const table = await tree.readTable({ jobs: 1, branches: 'KM3NETDAQ::JDAQPreamble,KM3NETDAQ::JDAQSummarysliceHeader' });
    const frames = tree.getBranch('vector<KM3NETDAQ::JDAQSummaryFrame>').baskets[0] as Extract<RawBasketRecord, { kind: 'disk' }>;
    const decoded = await decodeDiskBasket(await file.source.read(frames.seek, frames.sizeBytes), true, { file: file.name, tree: tree.path, branch: 'frames', basket: frames });
    const starts = Array.from(decoded.entryStarts as Int32Array);
    const frameBytes = starts.map((start, i) => (i + 1 < starts.length ? (starts[i + 1] as number) : decoded.dataEnd) - start);
    expect(Array.from({ length: 3 }, (_, i) => table.getChild('KM3NETDAQ::JDAQPreamble.length')?.get(i))).toEqual(frameBytes.map((b) => 8 + 20 + b - 6));
    expect(new Set(Array.from({ length: 3 }, (_, i) => table.getChild('KM3NETDAQ::JDAQPreamble.type')?.get(i)))).toEqual(new Set([2001]));
    expect(Array.from({ length: 3 }, (_, i) => table.getChild('KM3NETDAQ::JDAQSummarysliceHeader.frame_index')?.get(i))).toEqual([25, 35, 45]);
    await file.close();
  });

  it('finds trees in directories, addressed by their full path', async () => {
    const nested = await openRootFile(fixturePath(`${SAMPLES}/uproot-issue-643.root`));
    expect(nested.trees.map((t) => t.path)).toEqual(['ntuple0/objects']);
    const tree = await nested.getTree('ntuple0/objects');
    expect(tree.entries).toBe(25);
    await expect(nested.getTree('objects')).rejects.toThrow(/tree "objects" not found in uproot-issue-643.root; trees: ntuple0\/objects/);
    await expect(nested.getTree('ntuple0')).rejects.toThrow(/"ntuple0" in uproot-issue-643.root is a TDirectory(File)?, not a TTree/);
    await nested.close();
    const other = await openRootFile(fixturePath(`${SAMPLES}/uproot-issue38a.root`));
    expect(other.trees.map((t) => t.path)).toEqual(['ntupler/tree']);
    await other.close();
  });

  it('reads baskets stored inside the TTree object (never flushed to disk) exactly as jsroot does', async () => {
    for (const name of ['uproot-issue21.root', 'uproot-issue60.root']) {
      const file = await openRootFile(fixturePath(`${SAMPLES}/${name}`));
      const tree = await file.getTree('nllscan');
      const embedded = tree.branches.flatMap((b) => b.baskets).filter((b) => b.kind === 'embedded');
      expect(embedded.length, name).toBeGreaterThan(0);
      expect(tree.branches.every((b) => b.decode)).toBe(true);
      const table = await tree.readTable({ jobs: 1 });
      const { mismatches, compared } = await compareWithJsroot(tree, table, tree.branches);
      expect(mismatches).toEqual([]);
      expect(compared).toBe(tree.branches.length);
      await file.close();
    }
  });

  it('names a non-split custom class it decodes by its members, and reads the go-hep Event class (no split) member by member', async () => {
    const file = await openRootFile(fixturePath(`${SAMPLES}/uproot-small-evnt-tree-nosplit.root`));
    const tree: RootTree = await file.getTree('tree');
    const evt = tree.getBranch('evt');
    expect(evt.layout).toBe('object');
    const types = Object.fromEntries(evt.columns.map((c) => [c.name, JSON.stringify(c.type)]));
    expect(types['evt.ArrayI16']).toBe(JSON.stringify({ kind: 'fixed-list', size: 10, item: { kind: 'number', element: 'int16' } }));
    expect(types['evt.SliceI64']).toBe(JSON.stringify({ kind: 'list', item: { kind: 'number', element: 'int64' } }));
    expect(types['evt.StlVecStr']).toBe(JSON.stringify({ kind: 'list', item: { kind: 'string' } }));
    expect(types['evt.P3.Py']).toBe(JSON.stringify({ kind: 'number', element: 'float64' }));
    const table = await tree.readTable({ jobs: 1, branches: 'evt.Str,evt.N,evt.SliceI16,evt.StdStr' });
    expect(table.getChild('evt.Str')?.get(7)).toBe('evt-007');
    expect(table.getChild('evt.StdStr')?.get(7)).toBe('std-007');
    expect(plainArrowValue(table.getChild('evt.SliceI16')?.get(7))).toHaveLength(table.getChild('evt.N')?.get(7) as number);
    await file.close();
  });
});

describe.runIf(hasFixture(PHYSLITE))('the PHYSLITE fixture', () => {
  it('reads every branch with data of its own and equals jsroot’s event loop wherever jsroot reads it', async () => {
    const report = await readAllAndCompare(fixturePath(PHYSLITE), 'PHYSLITE_example.root');
    expect(report).toHaveLength(1);
  });
});
