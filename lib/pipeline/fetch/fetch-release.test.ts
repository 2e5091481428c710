import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath, hasFixture } from '@/tests/support/fixtures';
import { writeSyntheticHiggsml2014Csv, writeSyntheticTopTaggingHdf5 } from '@/tests/support/importer-inputs';
import { fetchRelease } from './fetch-release';
import { createChecksum } from './file-checksum';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'hep-arena-fetch-'));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));
const repoRoot = path.resolve(__dirname, '..', '..', '..');

type Mode = 'range' | 'ignore-range' | 'drop-first';

/**
 * A local stand-in for CERN Open Data and Zenodo: serves files (with or without Range support, or dropping the first
 * connection mid-file) and the record APIs that list them with their checksums.
 */
function startServer() {
  const files = new Map<string, Uint8Array>();
  const json = new Map<string, unknown>();
  const state = { mode: 'range' as Mode, dropped: new Set<string>(), requests: [] as string[] };
  const server = http.createServer((request, response) => {
    const url = request.url ?? '/';
    state.requests.push(`${url} ${request.headers.range ?? ''}`.trim());
    const body = json.get(url);
    if (body !== undefined) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
      return;
    }
    const bytes = files.get(url);
    if (!bytes) {
      response.writeHead(404).end('not found');
      return;
    }
    const range = /^bytes=(\d+)-$/.exec(request.headers.range ?? '');
    if (range && state.mode !== 'ignore-range') {
      const start = Number(range[1]);
      if (start >= bytes.length) {
        response.writeHead(416, { 'content-range': `bytes */${bytes.length}` }).end();
        return;
      }
      response.writeHead(206, { 'content-length': bytes.length - start, 'content-range': `bytes ${start}-${bytes.length - 1}/${bytes.length}` });
      response.end(Buffer.from(bytes.subarray(start)));
      return;
    }
    response.writeHead(200, { 'content-length': bytes.length });
    if (state.mode === 'drop-first' && !state.dropped.has(url)) {
      state.dropped.add(url);
      response.write(Buffer.from(bytes.subarray(0, Math.floor(bytes.length / 2))), () => response.socket?.destroy());
      return;
    }
    response.end(Buffer.from(bytes));
  });
  return { server, files, json, state };
}

const adler32 = (bytes: Uint8Array) => {
  const c = createChecksum('adler32');
  c.update(bytes);
  return c.digest().replace(/^0+/, '');
};
const eos = (name: string) => `root://eospublic.cern.ch//eos/opendata/atlas/test/${name}`;

let site: ReturnType<typeof startServer>;
let base: string;
let higgsGz: Uint8Array;

beforeAll(async () => {
  site = startServer();
  await new Promise<void>((resolve) => site.server.listen(0, '127.0.0.1', () => resolve()));
  base = `http://127.0.0.1:${(site.server.address() as AddressInfo).port}`;
  const csv = path.join(tmpRoot, 'higgs.csv');
  await writeSyntheticHiggsml2014Csv(csv, 4000, 11);
  higgsGz = zlib.gzipSync(fs.readFileSync(csv));
  site.files.set('/record/328/files/atlas-higgs-challenge-2014-v2.csv.gz', higgsGz);
  site.json.set('/api/records/328', { metadata: { files: [{ uri: eos('atlas-higgs-challenge-2014-v2.csv.gz'), size: higgsGz.length, checksum: `adler32:${adler32(higgsGz)}` }] } });
});
afterAll(() => new Promise<void>((resolve) => site.server.close(() => resolve())));

function fetchHiggs(dataDir: string, messages: string[] = []) {
  return fetchRelease({ name: 'higgsml-2014', dataDir, hostUrls: { 'cern-opendata': base }, createdAt: '2026-01-01T00:00:00Z', onProgress: (m) => messages.push(m) });
}

describe.skipIf(!hasFixture('higgsml_2014_sample/train_sml_bg.csv'))('fetch higgsml-2014 from a local CERN Open Data stand-in', () => {
  it('downloads, verifies the published adler32, shows progress and imports into DATA_DIR/datasets/higgsml-2014/1.0.0', async () => {
    site.state.mode = 'range';
    const dataDir = path.join(tmpRoot, 'data-plain');
    const messages: string[] = [];
    const result = await fetchHiggs(dataDir, messages);
    expect(result.files[0]).toMatchObject({ name: 'atlas-higgs-challenge-2014-v2.csv.gz', sizeBytes: higgsGz.length, checksumSource: 'record', download: 'new', reconnects: 0 });
    expect(result.dataset?.outDir).toBe(path.join(dataDir, 'datasets', 'higgsml-2014', '1.0.0'));
    expect(result.dataset?.rows['truth.arrow']).toBeGreaterThan(0);
    const manifest = JSON.parse(fs.readFileSync(path.join(dataDir, 'datasets', 'higgsml-2014', '1.0.0', 'manifest.json'), 'utf8'));
    expect(manifest.fixedSplitColumn).toBe('split');
    expect(manifest.sources[1].sha256).toBe(createHash('sha256').update(higgsGz).digest('hex'));
    expect(messages.join('\n')).toMatch(/MB\/s/);
    expect(messages.join('\n')).toMatch(/adler32 [0-9a-f]{8} verified/);

    const again: string[] = [];
    await expect(fetchHiggs(dataDir, again)).rejects.toThrow(/already exists; pass --overwrite/);
  });

  it('resumes a connection that drops mid-file from its last byte', async () => {
    site.state.mode = 'drop-first';
    site.state.dropped.clear();
    const messages: string[] = [];
    const result = await fetchHiggs(path.join(tmpRoot, 'data-drop'), messages);
    expect(result.files[0]).toMatchObject({ reconnects: 1, download: 'new' });
    const half = Math.floor(higgsGz.length / 2);
    expect(messages.join('\n')).toContain(`connection dropped at byte ${half} of ${higgsGz.length}; resuming`);
    expect(site.state.requests).toContain(`/record/328/files/atlas-higgs-challenge-2014-v2.csv.gz bytes=${half}-`);
  });

  it('continues an interrupted download from the partial file when the server honours Range', async () => {
    site.state.mode = 'range';
    const dataDir = path.join(tmpRoot, 'data-resume');
    const part = path.join(dataDir, 'downloads', 'higgsml-2014', 'atlas-higgs-challenge-2014-v2.csv.gz.part');
    fs.mkdirSync(path.dirname(part), { recursive: true });
    fs.writeFileSync(part, higgsGz.subarray(0, 1000));
    const messages: string[] = [];
    const result = await fetchHiggs(dataDir, messages);
    expect(result.files[0]).toMatchObject({ download: 'resumed', resumedFromByte: 1000 });
    expect(messages[0]).toContain('resuming the partial download from byte 1000');
    expect(fs.existsSync(part)).toBe(false);
  });

  it('restarts from byte 0, and says so, when the server ignores the range request', async () => {
    site.state.mode = 'ignore-range';
    const dataDir = path.join(tmpRoot, 'data-restart');
    const part = path.join(dataDir, 'downloads', 'higgsml-2014', 'atlas-higgs-challenge-2014-v2.csv.gz.part');
    fs.mkdirSync(path.dirname(part), { recursive: true });
    fs.writeFileSync(part, higgsGz.subarray(0, 1000));
    const messages: string[] = [];
    const result = await fetchHiggs(dataDir, messages);
    expect(result.files[0]).toMatchObject({ download: 'restarted', resumedFromByte: 0, sizeBytes: higgsGz.length });
    expect(messages.join('\n')).toContain('the server ignored the range request (HTTP 200); restarting from byte 0');
  });

  it('deletes a download that fails its checksum, names expected and found, and imports nothing', async () => {
    site.state.mode = 'range';
    const good = site.json.get('/api/records/328');
    site.json.set('/api/records/328', { metadata: { files: [{ uri: eos('atlas-higgs-challenge-2014-v2.csv.gz'), size: higgsGz.length, checksum: 'adler32:1234abcd' }] } });
    const dataDir = path.join(tmpRoot, 'data-corrupt');
    try {
      const error = await fetchHiggs(dataDir).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'INVALID_DATASET',
        message: expect.stringMatching(new RegExp(`atlas-higgs-challenge-2014-v2\\.csv\\.gz failed its adler32 check: expected 1234abcd \\(published by the record\\), found 0*${adler32(higgsGz)}\\. The download was deleted`)),
        details: { expected: 'adler32:1234abcd' },
      });
      expect(fs.existsSync(path.join(dataDir, 'downloads', 'higgsml-2014', 'atlas-higgs-challenge-2014-v2.csv.gz'))).toBe(false);
      expect(fs.existsSync(path.join(dataDir, 'datasets'))).toBe(false);
    } finally {
      site.json.set('/api/records/328', good);
    }
  });

  it('through the CLI: base URL and DATA_DIR from the environment, JSON on stdout; an unknown name lists the known ones', async () => {
    site.state.mode = 'range';
    const dataDir = path.join(tmpRoot, 'data-cli');
    // Asynchronous: the stand-in server runs in this process and must keep answering while the CLI runs.
    const run = (...args: string[]) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, ['--import', 'tsx', 'lib/pipeline/cli.ts', ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000, env: { ...process.env, DATA_DIR: dataDir, FETCH_CERN_OPENDATA_URL: base } }, (error, stdout, stderr) =>
          resolve({ status: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
      });
    const ok = await run('fetch', 'higgsml-2014', '--created-at', '2026-01-01T00:00:00Z');
    expect(ok.status, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ release: 'higgsml-2014', dataset: { dataset: 'higgsml-2014', outDir: path.join(dataDir, 'datasets', 'higgsml-2014', '1.0.0') } });
    expect(ok.stderr).toMatch(/\[fetch\] atlas-higgs-challenge-2014-v2\.csv\.gz: .* MB\/s/);
    const unknown = await run('fetch', 'higgsml-2015');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('error: No known release "higgsml-2015"; known: higgsml-2014, atlas-top-tagging, fair-universe, physlite --record <id> --file <name>.');
  });
});

describe('fetch of the other releases from local stand-ins', () => {
  it.skipIf(!hasFixture('fair_universe_higgsml_sample/FAIR_Universe_HiggsML_data.parquet'))('fair-universe: verifies the Zenodo md5 of the zip, extracts the Parquet and its metadata, and imports them', async () => {
    const zip = path.join(tmpRoot, 'FAIR_Universe_HiggsML_data.zip');
    const made = spawnSync('/usr/bin/python3', ['-c', [
      'import sys, zipfile',
      'z = zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED)',
      'z.write(sys.argv[2], "FAIR_Universe_HiggsML_data/FAIR_Universe_HiggsML_data.parquet")',
      'z.write(sys.argv[3], "FAIR_Universe_HiggsML_data/FAIR_Universe_HiggsML_data_metadata.json")',
      'z.close()',
    ].join('\n'), zip, fixturePath('fair_universe_higgsml_sample/FAIR_Universe_HiggsML_data.parquet'), fixturePath('fair_universe_higgsml_sample/FAIR_Universe_HiggsML_data_metadata.json')], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    const bytes = fs.readFileSync(zip);
    site.files.set('/records/15131565/files/FAIR_Universe_HiggsML_data.zip?download=1', bytes);
    site.json.set('/api/records/15131565', { files: [{ key: 'FAIR_Universe_HiggsML_data.zip', size: bytes.length, checksum: `md5:${createHash('md5').update(bytes).digest('hex')}` }] });
    site.state.mode = 'range';
    const dataDir = path.join(tmpRoot, 'data-fair');
    const result = await fetchRelease({ name: 'fair-universe', dataDir, hostUrls: { zenodo: base }, createdAt: '2026-01-01T00:00:00Z' });
    expect(result.dataset?.rows).toMatchObject({ 'train.arrow': 700, 'test.arrow': 300 });
    const manifest = JSON.parse(fs.readFileSync(path.join(dataDir, 'datasets', 'fair-universe-higgsml', '1.0.0', 'manifest.json'), 'utf8'));
    expect(manifest.expectedYields.signal + manifest.expectedYields.background).toBeCloseTo(1051433, 3);
    expect(fs.readFileSync(path.join(dataDir, 'downloads', 'fair-universe', 'FAIR_Universe_HiggsML_data.parquet'))).toEqual(fs.readFileSync(fixturePath('fair_universe_higgsml_sample/FAIR_Universe_HiggsML_data.parquet')));
  });

  it('atlas-top-tagging: downloads gzip-compressed shards listed in a file index, decompresses and imports them', async () => {
    const shards: Record<string, Uint8Array> = {};
    for (const [name, jets, weights] of [['train_nominal_000.h5', 40, true], ['test_nominal_000.h5', 16, false]] as const) {
      const file = path.join(tmpRoot, name);
      writeSyntheticTopTaggingHdf5(file, jets, jets, { weights });
      shards[`${name}.gz`] = zlib.gzipSync(fs.readFileSync(file));
    }
    const index = Object.entries(shards).map(([name, bytes]) => ({ uri: eos(name), size: bytes.length, checksum: `adler32:${adler32(bytes)}` }));
    for (const [name, bytes] of Object.entries(shards)) site.files.set(`/record/80030/files/assets/atlas/datascience/CERN-EP-2024-159/${name}`, bytes);
    site.files.set('/eos/opendata/atlas/test/nominal_file_index.json', new TextEncoder().encode(JSON.stringify(index)));
    site.json.set('/eos/opendata/atlas/test/nominal_file_index.json', index);
    site.json.set('/api/records/80030', { metadata: { files: [{ uri: eos('nominal_file_index.json'), size: 1, checksum: 'adler32:1' }] } });
    site.state.mode = 'range';
    const dataDir = path.join(tmpRoot, 'data-top');
    const result = await fetchRelease({ name: 'atlas-top-tagging', dataDir, hostUrls: { 'cern-opendata': base }, createdAt: '2026-01-01T00:00:00Z' });
    expect(result.files.map((f) => f.name)).toEqual(['train_nominal_000.h5.gz', 'test_nominal_000.h5.gz']);
    expect(result.dataset?.rows).toMatchObject({ 'train.arrow': 40, 'test.arrow': 16, 'truth.arrow': 16 });
    expect(fs.existsSync(path.join(dataDir, 'downloads', 'atlas-top-tagging', 'train_nominal_000.h5'))).toBe(true);
  });

  it.skipIf(!hasFixture('physlite/PHYSLITE_example.root'))('physlite: fetches one file of a record by name, verified, and says how to use it', async () => {
    const bytes = fs.readFileSync(fixturePath('physlite/PHYSLITE_example.root'));
    site.files.set('/eos/opendata/atlas/test/DAOD_PHYSLITE.example.pool.root.1', bytes);
    site.json.set('/api/records/80017', { metadata: { files: [{ uri: eos('DAOD_PHYSLITE.example.pool.root.1'), size: bytes.length, checksum: `adler32:${adler32(bytes)}` }] } });
    const messages: string[] = [];
    const dataDir = path.join(tmpRoot, 'data-physlite');
    await expect(fetchRelease({ name: 'physlite', record: '80017', file: 'nope.root', dataDir, hostUrls: { 'cern-opendata': base } })).rejects.toThrow(
      'Record 80017 lists no file "nope.root"; it lists DAOD_PHYSLITE.example.pool.root.1.',
    );
    const result = await fetchRelease({ name: 'physlite', record: '80017', file: 'DAOD_PHYSLITE.example.pool.root.1', dataDir, hostUrls: { 'cern-opendata': base }, onProgress: (m) => messages.push(m) });
    expect(result).toMatchObject({ release: 'physlite', files: [{ name: 'DAOD_PHYSLITE.example.pool.root.1', sizeBytes: bytes.length }] });
    expect(fs.readFileSync(path.join(dataDir, 'downloads', 'physlite', '80017', 'DAOD_PHYSLITE.example.pool.root.1'))).toEqual(bytes);
    expect(messages.at(-1)).toMatch(/npm run pipeline -- inspect/);
  });

  it('names the host that cannot be reached', async () => {
    await expect(fetchRelease({ name: 'higgsml-2014', dataDir: path.join(tmpRoot, 'data-down'), hostUrls: { 'cern-opendata': 'http://127.0.0.1:9' } })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('Cannot reach http://127.0.0.1:9/api/records/328'),
    });
  });
});

describe('createChecksum', () => {
  it('computes Adler-32 as zlib defines it, across chunk boundaries', () => {
    const c = createChecksum('adler32');
    c.update(new TextEncoder().encode('Wiki'));
    c.update(new TextEncoder().encode('pedia'));
    expect(c.digest()).toBe('11e60398');
    const big = new Uint8Array(100_000).fill(255);
    const whole = createChecksum('adler32');
    whole.update(big);
    const python = spawnSync('/usr/bin/python3', ['-c', 'import zlib; print("%08x" % zlib.adler32(bytes([255]) * 100000))'], { encoding: 'utf8' });
    expect(whole.digest()).toBe(python.stdout.trim());
  });
});
