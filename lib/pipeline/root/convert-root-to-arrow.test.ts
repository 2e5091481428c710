import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeArrowColumns, isArrowListColumn } from '@/lib/shared/arrow';
import { fixturePath, hasFixture } from '@/tests/support/fixtures';
import { runPipelineCli } from '../run-pipeline-cli';
import { openRootFile } from './index';

const FIXTURE = 'physlite/PHYSLITE_example.root';
const repoRoot = path.resolve(__dirname, '..', '..', '..');
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'hep-arena-convert-'));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

async function run(...args: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runPipelineCli(args, { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l) });
  return { code, stdout, stderr };
}

describe.runIf(hasFixture(FIXTURE))('pipeline convert / inspect', () => {
  it('converts every supported branch of the fixture to Arrow with exactly jsroot’s values, naming the skipped ones', async () => {
    const out = path.join(tmpRoot, 'all.arrow');
    const { code, stdout, stderr } = await run('convert', fixturePath(FIXTURE), '--tree', 'CollectionTree', '--branches', '*', '--out', out, '--skip-unsupported');
    expect(code).toBe(0);
    const summary = JSON.parse(stdout.at(-1) as string);
    expect(summary.columns).toHaveLength(608);
    expect(summary.skipped).toHaveLength(1343 - 608);
    expect(stderr.some((l) => /skipping unsupported branch AnalysisJetsAuxDyn.NumTrkPt500: vector<vector<int> >/.test(l))).toBe(true);

    const table = decodeArrowColumns(new Uint8Array(fs.readFileSync(out)));
    expect(table.numRows).toBe(100);
    expect(table.columnNames).toEqual(summary.columns);
    const file = await openRootFile(fixturePath(FIXTURE));
    const tree = await file.getTree('CollectionTree');
    const reference = await tree.readWithJsrootEventLoop(table.columnNames);
    const mismatches: string[] = [];
    for (const name of table.columnNames) {
      const column = table.columns[name];
      if (column === undefined) throw new Error(name);
      for (let i = 0; i < 100; i++) {
        const expected = reference[name]?.[i];
        const got = isArrowListColumn(column)
          ? Array.from(column.values.subarray(column.offsets[i], column.offsets[i + 1]) as ArrayLike<number | bigint>, Number)
          : Number((column as ArrayLike<number | bigint>)[i]);
        const want = Array.isArray(expected) ? expected.map(Number) : Number(expected);
        if (JSON.stringify(got) !== JSON.stringify(want)) {
          mismatches.push(`${name}[${i}]`);
          break;
        }
      }
      const isVector = tree.getBranch(name).layout === 'vector';
      expect(isArrowListColumn(column), name).toBe(isVector);
    }
    expect(mismatches).toEqual([]);
    await file.close();
  });

  it('writes List<Float32> for vector<float>, primitives for flat branches, the branch names and the ROOT types', () => {
    const out = path.join(tmpRoot, 'cli.arrow');
    const result = spawnSync(path.join(repoRoot, 'node_modules', '.bin', 'tsx'), ['lib/pipeline/cli.ts', 'convert', fixturePath(FIXTURE), '--tree', 'CollectionTree', '--branches', 'AnalysisElectronsAuxDyn.p?,EventInfoAuxDyn.eventNumber,EventInfoAuxDyn.averageInteractionsPerCrossing', '--out', out], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/\[pipeline\] wrote .*cli\.arrow/);
    const table = tableFromIPC(fs.readFileSync(out));
    const types = Object.fromEntries(table.schema.fields.map((f) => [f.name, String(f.type)]));
    expect(types).toEqual({
      'EventInfoAuxDyn.eventNumber': 'Uint64',
      'EventInfoAuxDyn.averageInteractionsPerCrossing': 'Float32',
      'AnalysisElectronsAuxDyn.pt': 'List<Float32>',
    });
    expect(table.schema.fields.find((f) => f.name === 'AnalysisElectronsAuxDyn.pt')?.metadata.get('root.type')).toBe('vector<float>');
    expect(table.schema.metadata.get('tree')).toBe('CollectionTree');
    const electrons = table.getChild('AnalysisElectronsAuxDyn.pt');
    let n = 0;
    let sum = 0;
    for (const row of electrons?.toArray() ?? []) for (const v of row.toArray() as Float32Array) {
        n++;
        sum += v;
      }
    expect([n, sum]).toEqual([134, 7006231.458984375]);
  });

  it('fails on a missing branch with the closest names and writes nothing', async () => {
    const out = path.join(tmpRoot, 'missing.arrow');
    const { code, stderr } = await run('convert', fixturePath(FIXTURE), '--tree', 'CollectionTree', '--branches', 'AnalysisJetsAuxDyn.ptt', '--out', out);
    expect(code).toBe(2);
    expect(stderr).toEqual([expect.stringMatching(/^error: branch "AnalysisJetsAuxDyn.ptt" not found in CollectionTree of PHYSLITE_example.root; closest: AnalysisJetsAuxDyn.pt, /)]);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('fails on an explicitly named unsupported branch with its reason', async () => {
    const { code, stderr } = await run('convert', fixturePath(FIXTURE), '--tree', 'CollectionTree', '--branches', 'AnalysisJetsAuxDyn.pt,AnalysisJetsAuxDyn.NumTrkPt500', '--out', path.join(tmpRoot, 'x.arrow'));
    expect(code).toBe(2);
    expect(stderr[0]).toMatch(/1 selected branch\(es\) cannot be converted: "AnalysisJetsAuxDyn.NumTrkPt500" \(vector<vector<int> > is not a vector of numbers/);
  });

  it('inspect lists the tree, entries and each branch with type, layout and compressed size', async () => {
    const { code, stdout } = await run('inspect', fixturePath(FIXTURE));
    expect(code).toBe(0);
    expect(stdout[0]).toBe('file PHYSLITE_example.root (1641551 bytes), 1 tree(s)');
    expect(stdout[1]).toMatch(/^tree CollectionTree: 100 entries, 1343 branches \(608 readable as columns\)/);
    expect(stdout.find((l) => /^\s+AnalysisJetsAuxDyn\.pt\s/.test(l))).toMatch(/AnalysisJetsAuxDyn\.pt\s+vector<float>\s+vector\s+3943\s+5030$/);
    expect(stdout.find((l) => /^\s+EventInfoAuxDyn\.eventNumber\s/.test(l))).toMatch(/ULong64_t\s+flat\s+\d+\s+\d+$/);
    expect(stdout).toHaveLength(3 + 1343);
    const json = await run('inspect', fixturePath(FIXTURE), '--json');
    const parsed = JSON.parse(json.stdout[0] as string);
    expect(parsed.trees[0].branches.find((b: { name: string }) => b.name === 'AnalysisJetsAuxDyn.pt')).toMatchObject({ typeName: 'vector<float>', compressedBytes: 3943 });
  });
});
