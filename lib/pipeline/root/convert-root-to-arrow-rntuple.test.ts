import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { fixturePath, hasFixture } from '@/tests/support/fixtures';
import { runPipelineCli } from '../run-pipeline-cli';
import { openRootFile } from './root-file';
import { writeRNTuple } from './rntuple/write-rntuple';
import { rootChunk } from '@/tests/support/reference-compressors';

const PHYSLITE = 'root-samples/uproot-physlite-rntuple_v1-0-0-0.root';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hep-arena-rntuple-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function run(...args: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runPipelineCli(args, { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l) });
  return { code, stdout, stderr };
}

describe.runIf(hasFixture(PHYSLITE))('pipeline inspect / convert on RNTuples', () => {
  it('inspect lists the RNTuples next to the TTrees, with entries, clusters, column types, encodings and sizes', async () => {
    const { code, stdout } = await run('inspect', fixturePath(PHYSLITE));
    expect(code).toBe(0);
    expect(stdout[0]).toMatch(/^file uproot-physlite-rntuple_v1-0-0-0.root \(2072650 bytes\), 6 tree\(s\), 4 RNTuple\(s\)$/);
    expect(stdout).toContainEqual(expect.stringMatching(/^rntuple EventData: 100 entries, 1 cluster\(s\) in 1 group\(s\), format 1\.0\.0\.0 \(ROOT v6\.34\.04\), \d+ columns, 0 unreadable field\(s\), \d+ compressed bytes$/));
    expect(stdout).toContainEqual(expect.stringMatching(/^ {2}AnalysisJetsAuxDyn\.pt +std::vector<float> +list<float32> +SplitIndex64, SplitReal32 +\d+ +\d+$/));
    const json = await run('inspect', fixturePath(PHYSLITE), '--json');
    const inspection = JSON.parse(json.stdout[0] as string);
    const eventData = inspection.rntuples.find((r: { path: string }) => r.path === 'EventData');
    expect(eventData.columns.find((c: { name: string }) => c.name === 'AnalysisElectronsAuxDyn.pt')).toMatchObject({ typeName: 'std::vector<float>', type: 'list<float32>' });
    expect(inspection.objects.map((o: { path: string }) => o.path)).not.toContain('EventData');
  });

  it('convert --tree <RNTuple> writes the selected columns by their dotted names, nested types kept, on any number of jobs', async () => {
    const out = path.join(tmp, 'jets.arrow');
    const { code, stdout, stderr } = await run('convert', fixturePath(PHYSLITE), '--tree', 'EventData', '--branches', 'AnalysisJetsAuxDyn.pt,AnalysisJetsAuxDyn.NumTrkPt500,EventInfoAuxDyn:eventNumber', '--out', out, '--jobs', '2');
    expect(code).toBe(0);
    expect(stderr.some((l) => /RNTuple EventData: 100 entries, 3 columns .* 2 decoding thread\(s\)/.test(l))).toBe(true);
    const summary = JSON.parse(stdout.at(-1) as string);
    expect(summary).toMatchObject({ kind: 'RNTuple', rows: 100, columns: ['AnalysisJetsAuxDyn.pt', 'AnalysisJetsAuxDyn.NumTrkPt500', 'EventInfoAuxDyn.eventNumber'], skipped: [] });
    const table = tableFromIPC(fs.readFileSync(out));
    expect(table.numRows).toBe(100);
    expect(table.schema.fields.map((f) => `${f.name}: ${String(f.type)}`)).toEqual(['AnalysisJetsAuxDyn.pt: List<Float32>', 'AnalysisJetsAuxDyn.NumTrkPt500: List<List<Int32>>', 'EventInfoAuxDyn.eventNumber: Uint64']);
    expect(table.schema.fields[0]?.metadata.get('root.field')).toBe('AnalysisJetsAuxDyn:pt');
    expect(table.schema.metadata.get('rntuple')).toBe('EventData');
    expect(Array.from(table.getChild('AnalysisJetsAuxDyn.pt')?.get(0)?.toArray() ?? []).slice(0, 2)).toEqual([121843.53125, 115375.390625]);
  });

  it('convert names the closest columns for a name that is not one, and writes nothing', async () => {
    const out = path.join(tmp, 'none.arrow');
    const { code, stderr } = await run('convert', fixturePath(PHYSLITE), '--tree', 'EventData', '--branches', 'AnalysisJetsAuxDyn.ptt', '--out', out);
    expect(code).toBe(2);
    expect(stderr.join('\n')).toMatch(/field or column "AnalysisJetsAuxDyn.ptt" not found in RNTuple "EventData" .*closest: AnalysisJetsAuxDyn.pt/);
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe('inspect / convert of an RNTuple in a TDirectory', () => {
  it('lists it by its full path and converts it by that path, like a tree in a directory', async () => {
    const file = path.join(tmp, 'nested.root');
    await writeRNTuple({ path: file, name: 'Events', directory: 'data/2024', fields: [{ name: 'Muon:pt', type: 'std::vector<float>' }, { name: 'run', type: 'std::uint32_t' }], clusters: [{ entries: 2, columns: { 'Muon:pt': { offsets: new Int32Array([0, 2, 3]), values: new Float32Array([30, 20, 45]) }, run: new Uint32Array([7, 7]) } }] });
    const inspected = await run('inspect', file);
    expect(inspected.stdout[0]).toBe(`file nested.root (${fs.statSync(file).size} bytes), 0 tree(s), 1 RNTuple(s)`);
    expect(inspected.stdout).toContainEqual(expect.stringMatching(/^rntuple data\/2024\/Events: 2 entries, 1 cluster\(s\) in 1 group\(s\), format 1\.0\.0\.0 \(hep-arena RNTuple writer\), 2 columns, 0 unreadable field\(s\)/));
    const out = path.join(tmp, 'nested.arrow');
    const { code, stdout, stderr } = await run('convert', file, '--tree', 'data/2024/Events', '--branches', 'Muon.*', '--out', out);
    expect(code, stderr.join('\n')).toBe(0);
    expect(JSON.parse(stdout.at(-1) as string)).toMatchObject({ kind: 'RNTuple', rows: 2, columns: ['Muon.pt'] });
    const table = tableFromIPC(fs.readFileSync(out));
    expect(table.getChild('Muon.pt')?.toArray().map((v: { toArray(): Float32Array }) => Array.from(v.toArray()))).toEqual([[30, 20], [45]]);
    expect(table.schema.metadata.get('rntuple')).toBe('data/2024/Events');
    const missing = await run('convert', file, '--tree', 'Events', '--out', path.join(tmp, 'missing.arrow'));
    expect(missing.code).toBe(2);
    expect(missing.stderr.join('\n')).toMatch(/TTree or RNTuple "Events" not found in nested.root; trees and RNTuples: data\/2024\/Events; closest: data\/2024\/Events/);
  });
});

describe('convert of a corrupt RNTuple', () => {
  it('fails naming the page and leaves no output file (not even a temporary one)', async () => {
    const file = path.join(tmp, 'corrupt.root');
    await writeRNTuple({ path: file, name: 'events', fields: [{ name: 'x', type: 'float' }], clusters: [{ entries: 3, columns: { x: new Float32Array([1, 2, 3]) } }, { entries: 2, columns: { x: new Float32Array([4, 5]) } }], compression: { algorithm: 'none' } });
    const bytes = fs.readFileSync(file);
    // The second cluster's page: 4 and 5 as floats (0x40800000, 0x40a00000), uncompressed, split by byte.
    const at = bytes.indexOf(Buffer.from([0x00, 0x00, 0x00, 0x00, 0x80, 0xa0, 0x40, 0x40]));
    expect(at).toBeGreaterThan(0);
    bytes[at + 7] = 0x41;
    fs.writeFileSync(file, bytes);
    const out = path.join(tmp, 'corrupt.arrow');
    const { code, stderr } = await run('convert', file, '--tree', 'events', '--branches', '*', '--out', out);
    expect(code).toBe(2);
    expect(stderr.join('\n')).toMatch(new RegExp(`corrupt.root, RNTuple "events", field "x", column 0, cluster 1, page 0, bytes ${at}–${at + 15}: fails its XXH3 checksum`));
    expect(fs.readdirSync(tmp).filter((f) => f.startsWith('corrupt.arrow'))).toEqual([]);
  });
});

describe.each([1, 2])('RNTuple pages that decode to impossible values (%i decoding thread(s))', (jobs) => {
  const read = async (file: string) => {
    const root = await openRootFile(file);
    const ntuple = await root.getRNTuple('events');
    try {
      for await (const batch of ntuple.readBatches({ jobs })) void batch;
    } finally {
      await root.close();
    }
  };

  it('a collection index whose offsets decrease is refused, naming field, column, cluster and page', async () => {
    const file = path.join(tmp, `offsets-${jobs}.root`);
    await writeRNTuple({ path: file, name: 'events', fields: [{ name: 'v', type: 'std::vector<float>' }], clusters: [{ entries: 2, columns: { v: { offsets: new Int32Array([0, 2, 3]), values: new Float32Array([1, 2, 3]) } } }], compression: { algorithm: 'none' }, pageChecksums: false, encoding: 'plain' });
    const bytes = fs.readFileSync(file);
    const at = bytes.indexOf(Buffer.from([2, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0]));
    bytes[at] = 5;
    fs.writeFileSync(file, bytes);
    await expect(read(file)).rejects.toThrow(new RegExp(`offsets-${jobs}.root, RNTuple "events", field "v", column 0, cluster 0, page 0, bytes ${at}–${at + 15}: collection offsets decrease at element 1 of the page \\(5 then 3\\)`));
  });

  it('an LZMA page whose stream is damaged is refused with its byte range, and convert leaves nothing', async () => {
    const lzma = (payload: Uint8Array) => rootChunk('lzma', payload);
    if (!(lzma(new Uint8Array(64)) instanceof Uint8Array)) return;
    const file = path.join(tmp, `lzma-${jobs}.root`);
    const values = Float32Array.from({ length: 4000 }, (_, i) => i % 7);
    await writeRNTuple({ path: file, name: 'events', fields: [{ name: 'x', type: 'float' }], clusters: [{ entries: 4000, columns: { x: values } }], pageChecksums: false, externalCompression: { settingsCode: 206, compress: (p) => lzma(p) as Uint8Array } });
    const root = await openRootFile(file);
    const page = (await root.getRNTuple('events')).descriptor.clusters[0]?.columns[0]?.pages[0];
    await root.close();
    if (!page) throw new Error('no page');
    const bytes = fs.readFileSync(file);
    expect(bytes.subarray(page.locator.offset, page.locator.offset + 2).toString()).toBe('XZ');
    bytes[page.locator.offset + page.locator.size - 20] = (bytes[page.locator.offset + page.locator.size - 20] as number) ^ 0x55;
    fs.writeFileSync(file, bytes);
    await expect(read(file)).rejects.toThrow(new RegExp(`lzma-${jobs}.root, RNTuple "events", field "x", column 0, cluster 0, page 0, bytes ${page.locator.offset}–${page.locator.offset + page.locator.size - 1}: does not decompress to 16000 bytes \\(lzma chunk at byte 0: `));
    const out = path.join(tmp, `lzma-${jobs}.arrow`);
    const { code } = await run('convert', file, '--tree', 'events', '--out', out, '--jobs', String(jobs));
    expect(code).toBe(2);
    expect(fs.readdirSync(tmp).filter((f) => f.includes(`lzma-${jobs}.arrow`))).toEqual([]);
  });

  it('a compressed page that does not inflate is refused with its byte range', async () => {
    const file = path.join(tmp, `inflate-${jobs}.root`);
    const values = Float32Array.from({ length: 4000 }, (_, i) => i % 7);
    await writeRNTuple({ path: file, name: 'events', fields: [{ name: 'x', type: 'float' }], clusters: [{ entries: 4000, columns: { x: values } }], compression: { algorithm: 'zlib', level: 6 }, pageChecksums: false });
    const root = await openRootFile(file);
    const page = (await root.getRNTuple('events')).descriptor.clusters[0]?.columns[0]?.pages[0];
    await root.close();
    if (!page) throw new Error('no page');
    const bytes = fs.readFileSync(file);
    for (let k = 12; k < 40; k++) bytes[page.locator.offset + k] = 0xff;
    fs.writeFileSync(file, bytes);
    await expect(read(file)).rejects.toThrow(new RegExp(`inflate-${jobs}.root, RNTuple "events", field "x", column 0, cluster 0, page 0, bytes ${page.locator.offset}–${page.locator.offset + page.locator.size - 1}: does not decompress to 16000 bytes`));
  });
});
