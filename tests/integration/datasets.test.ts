import fs from 'node:fs';
import path from 'node:path';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/client';
import { datasetVersions } from '@/db/schema';
import { buildHiggsTautauToyDataset } from '@/lib/pipeline/toy/higgs-tautau-toy';
import { openRootFile } from '@/lib/pipeline/root';
import { getDatasetDownload } from '@/lib/server/datasets/get-dataset-download';
import { decodeArrowTable } from '@/lib/shared/arrow';
import { registerDatasetVersion } from '@/lib/server/datasets/register-dataset-version';
import { createTestUser, createToyChallenge, makeContext, makeDataDir, makeRecordingQueue } from '../support/factories';
import { openTestDatabase } from '../support/test-database';

let handle: DatabaseHandle;
let dataDir: string;
beforeAll(async () => {
  handle = await openTestDatabase();
  dataDir = makeDataDir();
});
afterAll(async () => {
  await handle?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('dataset versions', () => {
  it('refuses a version whose file does not match the manifest sha256, registering nothing', async () => {
    const relative = path.join('datasets', 'higgs-tautau-toy', 'tampered');
    await buildHiggsTautauToyDataset({ outDir: path.join(dataDir, relative), seed: 3, trainEvents: 300, testEvents: 200, luminosityFb: 10 });
    fs.appendFileSync(path.join(dataDir, relative, 'test.csv'), '1,2,3\n');
    await expect(registerDatasetVersion(handle.db, dataDir, relative)).rejects.toThrow(/test\.csv has sha256 [0-9a-f]{64}, but the manifest records/);
    const [n] = await handle.db.select({ n: count() }).from(datasetVersions);
    expect(n?.n).toBe(0);
  });

  it('serves train and test files to signed-in users and never the truth', async () => {
    const definition = await createToyChallenge(handle, dataDir);
    const user = await createTestUser(handle);
    const ctx = makeContext(handle, dataDir, user, makeRecordingQueue());
    for (const name of ['train.arrow', 'test.arrow', 'train.csv', 'test.csv']) {
      const download = await getDatasetDownload(ctx, { challengeSlug: definition.slug, fileName: name });
      expect(fs.statSync(download.absolutePath).size).toBe(download.sizeBytes);
    }
    for (const name of ['truth.arrow', 'manifest.json', '../truth.arrow', 'truth.csv']) {
      await expect(getDatasetDownload(ctx, { challengeSlug: definition.slug, fileName: name })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
    await expect(
      getDatasetDownload(makeContext(handle, dataDir, null, makeRecordingQueue()), { challengeSlug: definition.slug, fileName: 'test.csv' }),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('serves train.root and test.root like the other exports: checked sha256, ROOT content type, the Arrow tables’ values', async () => {
    const definition = await createToyChallenge(handle, dataDir);
    const ctx = makeContext(handle, dataDir, await createTestUser(handle), makeRecordingQueue());
    for (const [name, tree] of [['train.root', 'train'], ['test.root', 'test']] as const) {
      const download = await getDatasetDownload(ctx, { challengeSlug: definition.slug, fileName: name });
      expect(download.contentType).toBe('application/x-root');
      expect(fs.statSync(download.absolutePath).size).toBe(download.sizeBytes);
      const arrow = decodeArrowTable(new Uint8Array(fs.readFileSync(download.absolutePath.replace(/\.root$/, '.arrow'))));
      const file = await openRootFile(download.absolutePath);
      try {
        const rootTree = await file.getTree(tree);
        expect(rootTree.entries).toBe(arrow.numRows);
        const numeric = arrow.columnNames.filter((c) => !Array.isArray(arrow.columns[c]));
        const values = await rootTree.readWithJsrootEventLoop(numeric.slice(0, 6));
        for (const column of numeric.slice(0, 6)) expect(values[column], `${name} ${column}`).toEqual(Array.from(arrow.columns[column] as ArrayLike<number>));
      } finally {
        await file.close();
      }
    }
  });
});
