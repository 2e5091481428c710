import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeArrowTable } from '@/lib/shared/arrow';
import { datasetManifestSchema } from '@/lib/shared/dataset-manifest';
import { fixturePath, hasFixture } from '@/tests/support/fixtures';
import { startRangeServer } from '@/tests/support/range-server';
import { runPipelineCli } from '../run-pipeline-cli';

/**
 * A recipe's samples may be http(s) URLs (`files: ['https://…']`, or `--sample name=<url>`): the files are read with
 * range requests, and the version has the same data as a build from the same files on disk. A URL that cannot be
 * read is named, and no version is written.
 */
const ZEE = 'physlite/PHYSLITE_example.root';
const TTBAR = 'root-samples/uproot-issue-123a.root';
const RECIPE = 'examples/recipes/z-dilepton.ts';
const DSIDS = 'dsid,cross_section_pb,k_factor,filter_efficiency,sum_of_weights,description\n700322,2221.8,1,0.09,99.0,Sherpa Zee (test Σw)\n410470,729.77,1.139,0.5438,,ttbar nonallhad\n';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'remote-samples-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function build(args: string[]): Promise<{ code: number; stderr: string[] }> {
  const stderr: string[] = [];
  const code = await runPipelineCli(['build', RECIPE, ...args, '--created-at', '2026-03-01T00:00:00Z'], { stdout: () => {}, stderr: (l) => stderr.push(l) });
  return { code, stderr };
}

describe.runIf(hasFixture(ZEE) && hasFixture(TTBAR))('recipe samples given as URLs', () => {
  it('builds from http(s) URLs the same data as from the files on disk, on one thread and on two', async () => {
    const inputs = path.join(tmp, 'inputs');
    for (const [dir, fixture] of [['zee', ZEE], ['ttbar', TTBAR]] as const) {
      fs.mkdirSync(path.join(inputs, dir), { recursive: true });
      fs.symlinkSync(fixturePath(fixture), path.join(inputs, dir, path.basename(fixture)));
    }
    fs.writeFileSync(path.join(inputs, 'dsids.csv'), DSIDS);
    const local = path.join(tmp, 'local');
    const fromDisk = await build(['--inputs', inputs, '--out', local]);
    expect(fromDisk.code, fromDisk.stderr.join('\n')).toBe(0);

    const zee = await startRangeServer(new Uint8Array(fs.readFileSync(fixturePath(ZEE))), path.basename(ZEE));
    const ttbar = await startRangeServer(new Uint8Array(fs.readFileSync(fixturePath(TTBAR))), path.basename(TTBAR));
    try {
      for (const jobs of ['1', '2']) {
        const remote = path.join(tmp, `remote-${jobs}`);
        const built = await build(['--inputs', inputs, '--sample', `zll=${zee.url}`, '--sample', `ttbar=${ttbar.url}`, '--out', remote, '--jobs', jobs]);
        expect(built.code, built.stderr.join('\n')).toBe(0);
        const names = fs.readdirSync(local).sort();
        expect(fs.readdirSync(remote).sort()).toEqual(names);
        // The data are the same; the provenance (sources in the manifest and in each file's metadata) differs: a URL's
        // file is not hashed (only the ranges read are fetched).
        for (const name of names.filter((n) => n.endsWith('.arrow'))) {
          const [a, b] = [local, remote].map((dir) => decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(dir, name)))));
          expect(Object.keys(b?.columns ?? {}), name).toEqual(Object.keys(a?.columns ?? {}));
          for (const [column, values] of Object.entries(a?.columns ?? {})) expect(b?.columns[column], `${name} ${column} with --jobs ${jobs}`).toEqual(values);
        }
        for (const name of names.filter((n) => n.endsWith('.csv'))) {
          expect(Buffer.compare(fs.readFileSync(path.join(local, name)), fs.readFileSync(path.join(remote, name))), `${name} with --jobs ${jobs}`).toBe(0);
        }
        const [fromFiles, fromUrls] = [local, remote].map((dir) => datasetManifestSchema.parse(JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'))));
        expect(fromUrls?.sampleMetadata).toEqual(fromFiles?.sampleMetadata);
        expect(fromUrls?.sampleMetadata?.map((m) => [m.dsid, m.sumOfWeightsSource])).toEqual([[700322, 'table'], [410470, 'bookkeeping']]);
        // A source read over HTTP is named by its URL (a local file by its name, with its sha256).
        expect(fromUrls?.sources.map((s) => s.name)).toEqual([zee.url, ttbar.url]);
        expect(fromFiles?.sources.map((s) => s.name)).toEqual([path.basename(ZEE), path.basename(TTBAR)]);
        expect(fromFiles?.sources.every((s) => /^[0-9a-f]{64}$/.test(s.sha256 ?? ''))).toBe(true);
        expect(fromUrls?.sources.map((s) => s.note)).toEqual(fromFiles?.sources.map((s) => s.note));
      }
      expect(zee.ranges.length).toBeGreaterThan(0);
      expect(ttbar.ranges.length).toBeGreaterThan(0);
    } finally {
      await zee.close();
      await ttbar.close();
    }
  });

  it('names a URL that cannot be read and writes no version', async () => {
    const missing = http.createServer((_req, res) => {
      res.writeHead(404);
      res.end('no such file');
    });
    await new Promise<void>((resolve) => missing.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(missing.address() as AddressInfo).port}/gone/DAOD_PHYSLITE.12345._000001.pool.root.1`;
    const inputs = path.join(tmp, 'inputs-missing');
    fs.mkdirSync(path.join(inputs, 'ttbar'), { recursive: true });
    fs.symlinkSync(fixturePath(TTBAR), path.join(inputs, 'ttbar', path.basename(TTBAR)));
    fs.writeFileSync(path.join(inputs, 'dsids.csv'), DSIDS);
    const out = path.join(tmp, 'missing-out');
    try {
      const result = await build(['--inputs', inputs, '--sample', `zll=${url}`, '--out', out]);
      expect(result.code).not.toBe(0);
      expect(result.stderr.join('\n')).toContain('DAOD_PHYSLITE.12345._000001.pool.root.1');
      expect(fs.existsSync(out)).toBe(false);
    } finally {
      await new Promise<void>((resolve) => missing.close(() => resolve()));
    }
  });
});
