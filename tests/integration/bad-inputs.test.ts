import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/client';
import { submissions } from '@/db/schema';
import { writeDatasetVersion } from '@/lib/pipeline/datasets/write-dataset-version';
import { openRootFile } from '@/lib/pipeline/root';
import { convertRootToArrow } from '@/lib/pipeline/root/convert-root-to-arrow';
import { inspectRootFile } from '@/lib/pipeline/root/inspect-root-file';
import { syncChallengeDefinition } from '@/lib/server/challenges/sync-challenge-definition';
import type { ServiceContext } from '@/lib/server/context';
import { registerDatasetVersion } from '@/lib/server/datasets/register-dataset-version';
import { createSubmission } from '@/lib/server/submissions/create-submission';
import { encodeArrowTable } from '@/lib/shared/arrow';
import { writeParquetTable } from '@/lib/shared/parquet';
import higgsTautauToy from '@/challenges/higgs-tautau-toy/challenge';
import { challengeDefinitionSchema } from '@/challenges/schema';
import { createTestUser, makeContext, makeDataDir, makeRecordingQueue } from '../support/factories';
import { fixturePath, hasFixture } from '../support/fixtures';
import { openTestDatabase } from '../support/test-database';

/**
 * The bad-input corpus (tests/fixtures/bad-inputs) and the inputs too large or binary to commit, each uploaded through
 * the real submission path: every one is refused with a clear error naming the problem, and none leaves a submission
 * row, a blob or a temporary upload behind. Test ids are 1001…1010, as in the corpus.
 */
const corpusDir = path.resolve('tests/fixtures/bad-inputs');
const corpus = JSON.parse(fs.readFileSync(path.join(corpusDir, 'cases.json'), 'utf8')) as {
  expectedIds: number[];
  cases: Array<{ file: string; description: string; row: number | null; messageFragment: string }>;
};
const ids = corpus.expectedIds;

let handle: DatabaseHandle;
let dataDir: string;
let ctx: ServiceContext;
const slug = 'bad-inputs';

const validCsv = (lineEnd = '\n') => ['id,score', ...ids.map((id, i) => `${id},${(i + 1) / 10}`)].join(lineEnd) + lineEnd;

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

async function storedState() {
  const [row] = await handle.db.select({ n: count() }).from(submissions);
  return { submissions: row?.n ?? 0, blobs: listFiles(path.join(dataDir, 'blobs')).length, uploads: listFiles(path.join(dataDir, 'uploads')).length };
}

/** Uploads and expects a refusal with `code` whose message contains `fragment`; then checks nothing was stored. */
async function expectRefused(body: Uint8Array | AsyncIterable<Uint8Array>, fileName: string, code: string, fragment: string | RegExp) {
  const before = await storedState();
  const error = await createSubmission(ctx, { challengeSlug: slug, fileName, body }).then(
    () => null,
    (e: unknown) => e as { code?: string; message?: string },
  );
  expect(error, `${fileName} was accepted`).not.toBeNull();
  expect(error?.code, error?.message).toBe(code);
  if (typeof fragment === 'string') expect(error?.message).toContain(fragment);
  else expect(error?.message).toMatch(fragment);
  expect(await storedState()).toEqual({ ...before, uploads: 0 });
}

beforeAll(async () => {
  handle = await openTestDatabase();
  dataDir = makeDataDir();
  const n = ids.length;
  const feature = Float32Array.from(ids, (_, i) => i / n);
  const relative = path.join('datasets', 'bad-inputs-toy', '1.0.0');
  await writeDatasetVersion({
    outDir: path.join(dataDir, relative),
    manifest: {
      dataset: 'bad-inputs-toy',
      version: '1.0.0',
      title: 'Ten events for the bad-input corpus',
      isToy: true,
      createdAt: '2026-01-01T00:00:00.000Z',
      pipelineVersion: 'test',
      description: 'Test ids 1001–1010.',
      licence: 'CC0',
      citation: 'none',
      sources: [{ name: 'tests/integration/bad-inputs.test.ts' }],
      recipe: {},
      luminosityFb: null,
      expectedYields: { signal: 5, background: 5 },
      fixedSplitColumn: null,
      missingValue: -25,
    },
    featureColumns: [{ name: 'x', unit: '', description: 'a feature' }],
    train: { eventId: Int32Array.from(ids, (id) => id - 1000), features: { x: feature }, label: Uint8Array.from(ids, (_, i) => i % 2), weight: new Float64Array(n).fill(1) },
    test: { id: Int32Array.from(ids), features: { x: feature } },
    truth: { id: Int32Array.from(ids), label: Uint8Array.from(ids, (_, i) => i % 2), weight: new Float64Array(n).fill(1) },
  });
  await registerDatasetVersion(handle.db, dataDir, relative);
  const definition = challengeDefinitionSchema.parse({
    ...higgsTautauToy,
    slug,
    dataset: { id: 'bad-inputs-toy', version: '1.0.0' },
    phases: [{ key: 'open', title: 'Open', opensAt: '2020-01-01T00:00:00Z', closesAt: null, maxPerDay: 100, maxTotal: null }],
  });
  await syncChallengeDefinition(handle.db, definition);
  ctx = makeContext(handle, dataDir, await createTestUser(handle), makeRecordingQueue());
});

afterAll(async () => {
  await handle?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the bad-input corpus through the upload path', () => {
  it.each(corpus.cases.map((c) => [c.file, c] as const))('refuses %s with its message and stores nothing', async (_file, c) => {
    const bytes = new Uint8Array(fs.readFileSync(path.join(corpusDir, c.file)));
    await expectRefused(bytes, c.file, 'INVALID_SUBMISSION', c.messageFragment);
  });

  it('accepts a UTF-8 BOM and CRLF line ends, which spreadsheets write', async () => {
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(validCsv('\r\n'))]);
    await expect(createSubmission(ctx, { challengeSlug: slug, fileName: 'excel.csv', body: withBom })).resolves.toMatchObject({ status: 'queued', rows: 10 });
  });

  it('refuses binary junk, truncated Arrow and truncated Parquet files', async () => {
    const junk = new Uint8Array(4096);
    for (let i = 0; i < junk.length; i++) junk[i] = (i * 2654435761) >>> 24;
    await expectRefused(junk, 'junk.bin', 'INVALID_SUBMISSION', /junk\.bin/);
    const arrow = encodeArrowTable({ id: Int32Array.from(ids), score: Float64Array.from(ids, () => 0.5) });
    await expectRefused(arrow.subarray(0, Math.floor(arrow.length * 0.6)), 'cut.arrow', 'INVALID_SUBMISSION', /cut\.arrow/);
    const parquet = writeParquetTable({ id: Int32Array.from(ids), score: Float64Array.from(ids, () => 0.5) });
    await expectRefused(parquet.subarray(0, Math.floor(parquet.length * 0.6)), 'cut.parquet', 'INVALID_SUBMISSION', /cut\.parquet/);
  });

  /** gzip of `prefix` followed by `inflatedBytes` of zeros: a few MB that would inflate past the 1 GiB cap. */
  async function gzipBomb(prefix: string, inflatedBytes: number): Promise<Uint8Array> {
    const zeros = Buffer.alloc(4 * 1024 * 1024);
    const gzip = zlib.createGzip({ level: 9 });
    const parts: Buffer[] = [];
    gzip.on('data', (b: Buffer) => parts.push(b));
    const done = new Promise((resolve) => gzip.on('end', resolve));
    gzip.write(prefix);
    for (let written = 0; written < inflatedBytes; written += zeros.length) {
      if (!gzip.write(zeros)) await new Promise((resolve) => gzip.once('drain', resolve));
    }
    gzip.end();
    await done;
    return new Uint8Array(Buffer.concat(parts));
  }

  it('refuses gzip bombs without inflating them into memory, and leaves no temporary file', async () => {
    // Inflated scratch files live beside the upload under DATA_DIR/uploads, which expectRefused checks is empty.
    const rssBefore = process.memoryUsage().rss;
    // Parquet needs random access, so it is inflated to a temporary file first, capped at what the truth can need
    // (1 MiB + 256 bytes per test id) and never more than 1 GiB.
    const parquetBomb = await gzipBomb('PAR1', 1.25 * 1024 ** 3);
    expect(parquetBomb.length).toBeLessThan(8 * 1024 * 1024);
    await expectRefused(parquetBomb, 'bomb.parquet.gz', 'PAYLOAD_TOO_LARGE', 'bomb.parquet.gz is more than');
    // A CSV is read as it inflates: the first bad line ends it long before the cap.
    const csvBomb = await gzipBomb('id,score\n', 1.25 * 1024 ** 3);
    await expectRefused(csvBomb, 'bomb.csv.gz', 'INVALID_SUBMISSION', 'bomb.csv.gz line 2');
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(256 * 1024 * 1024);
  }, 300_000);

  it('refuses a stream above 1 GiB as soon as it passes the limit, without buffering it', async () => {
    const block = new Uint8Array(4 * 1024 * 1024).fill(0x31);
    let sent = 0;
    async function* huge() {
      yield new TextEncoder().encode('id,score\n');
      while (sent <= 1024 ** 3 + block.length) {
        sent += block.length;
        yield block;
      }
    }
    const rssBefore = process.memoryUsage().rss;
    await expectRefused(huge(), 'huge.csv', 'PAYLOAD_TOO_LARGE', 'huge.csv');
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(256 * 1024 * 1024);
    expect(sent).toBeLessThan(1024 ** 3 + 2 * block.length);
  }, 300_000);

  it('never uses a file name as a path and refuses names with control characters', async () => {
    for (const name of ['../../../etc/passwd', '..\\..\\boot.ini', '<img src=x onerror=alert(1)>.csv', `${'x'.repeat(250)}.csv`]) {
      const created = await createSubmission(ctx, { challengeSlug: slug, fileName: name, body: new TextEncoder().encode(validCsv()) });
      expect(created.fileName).toBe(name);
    }
    for (const file of listFiles(dataDir)) expect(path.relative(dataDir, file).startsWith('..')).toBe(false);
    await expectRefused(new TextEncoder().encode(validCsv()), 'evil\u0000.csv', 'INVALID_SUBMISSION', 'control characters');
    await expectRefused(new TextEncoder().encode(validCsv()), 'x'.repeat(300), 'INVALID_SUBMISSION', 'longer than 255');
  });
});

describe('corrupt and truncated ROOT files for the pipeline', () => {
  const fixture = 'physlite/PHYSLITE_example.root';
  it('names the file and the problem for a truncated or corrupted PHYSLITE file', async () => {
    if (!hasFixture(fixture)) return;
    const bytes = fs.readFileSync(fixturePath(fixture));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bad-root-'));
    try {
      const truncated = path.join(dir, 'truncated.root');
      fs.writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 3)));
      await expect(inspectRootFile(truncated)).rejects.toThrow(/truncated\.root/);
      const corrupt = path.join(dir, 'corrupt.root');
      const copy = Buffer.from(bytes);
      copy.fill(0x5a, 0, 64);
      fs.writeFileSync(corrupt, copy);
      await expect(inspectRootFile(corrupt)).rejects.toThrow(/corrupt\.root/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the field, page and byte range of a damaged page of the PHYSLITE RNTuple, and converts nothing', async () => {
    const rntuple = 'root-samples/uproot-physlite-rntuple_v1-0-0-0.root';
    if (!hasFixture(rntuple)) return;
    const bytes = fs.readFileSync(fixturePath(rntuple));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bad-rntuple-'));
    try {
      const file = await openRootFile(fixturePath(rntuple));
      const ntuple = await file.getRNTuple('EventData');
      const plan = ntuple.columns.find((c) => c.name === 'AnalysisJetsAuxDyn.pt');
      const page = ntuple.descriptor.clusters[0]?.columns[plan?.physicalColumns.at(-1) ?? -1]?.pages[0];
      await file.close();
      if (!page) throw new Error('no page of AnalysisJetsAuxDyn.pt');
      const damaged = path.join(dir, 'damaged.root');
      const copy = Buffer.from(bytes);
      for (let k = 20; k < 28; k++) copy[page.locator.offset + k] = (copy[page.locator.offset + k] as number) ^ 0xa5;
      fs.writeFileSync(damaged, copy);
      const out = path.join(dir, 'out', 'jets.arrow');
      for (const jobs of [1, 2]) {
        await expect(convertRootToArrow({ input: damaged, tree: 'EventData', branches: 'AnalysisJetsAuxDyn.*', out, jobs })).rejects.toThrow(
          new RegExp(`^damaged\\.root, RNTuple "EventData", field "AnalysisJetsAuxDyn\\.pt( \\(field _0\\))?", column \\d+, cluster 0, page 0, bytes ${page.locator.offset}–\\d+: `),
        );
        expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
      }
      const truncated = path.join(dir, 'truncated.root');
      fs.writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
      await expect(convertRootToArrow({ input: truncated, tree: 'EventData', out, jobs: 1 })).rejects.toThrow(/truncated\.root/);
      expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
