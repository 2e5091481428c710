import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import higgsTautauToy from '@/challenges/higgs-tautau-toy/challenge';
import { challengeDefinitionSchema } from '@/challenges/schema';
import type { DatabaseHandle } from '@/db/client';
import { buildRecipe } from '@/lib/pipeline/recipes/build-recipe';
import { syncChallengeDefinition } from '@/lib/server/challenges/sync-challenge-definition';
import { getDatasetDownload } from '@/lib/server/datasets/get-dataset-download';
import { registerDatasetVersion } from '@/lib/server/datasets/register-dataset-version';
import { scoreSubmission } from '@/lib/server/scoring/score-submission';
import { createSubmission } from '@/lib/server/submissions/create-submission';
import { decodeArrowTable } from '@/lib/shared/arrow';
import { createTestUser, makeContext, makeDataDir, makeRecordingQueue } from '../support/factories';
import { fixturePath, hasFixture } from '../support/fixtures';
import { openTestDatabase } from '../support/test-database';

const FIXTURE = 'physlite/PHYSLITE_example.root';
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

describe.runIf(hasFixture(FIXTURE))('a dataset version built from PHYSLITE in the platform', () => {
  it('registers, publishes a challenge, serves its files and scores a submission against its truth', async () => {
    fs.writeFileSync(path.join(dataDir, 'meta.csv'), 'dsid,cross_section_pb,k_factor,filter_efficiency,description\n700322,2000,1.1,0.5,Sherpa Z->ee\n');
    // The fixture is Z→ee: listed as a stand-in signal and as background, without the charge requirement, so events pass.
    const recipe = {
      dataset: 'physlite-demo',
      title: 'PHYSLITE demo build',
      luminosityFb: 140,
      sampleMetadata: 'meta.csv',
      negativeWeights: 'clip-to-zero',
      samples: [
        { name: 'stand-in-signal', files: [fixturePath(FIXTURE)], label: 1, process: 'htautau' },
        { name: 'zee', files: [fixturePath(FIXTURE)], label: 0, process: 'ztautau' },
      ],
      selection: { requireOppositeCharge: false },
      split: { testFraction: 0.4, seed: 4 },
    };
    const recipePath = path.join(dataDir, 'recipe.json');
    fs.writeFileSync(recipePath, JSON.stringify(recipe));
    const relative = path.join('datasets', 'physlite-demo', '0.1.0');
    const manifest = await buildRecipe({ recipe: { kind: 'json', path: recipePath }, outDir: path.join(dataDir, relative), jobs: 1 });
    const registered = await registerDatasetVersion(handle.db, dataDir, relative);
    expect(registered.created).toBe(true);

    const definition = challengeDefinitionSchema.parse({
      ...higgsTautauToy,
      slug: 'physlite-demo',
      title: 'PHYSLITE demo',
      dataset: { id: manifest.dataset, version: manifest.version },
    });
    await syncChallengeDefinition(handle.db, definition);
    const user = await createTestUser(handle);
    const ctx = makeContext(handle, dataDir, user, makeRecordingQueue());
    const test = await getDatasetDownload(ctx, { challengeSlug: 'physlite-demo', fileName: 'test.arrow' });
    const table = decodeArrowTable(new Uint8Array(fs.readFileSync(test.absolutePath)));
    expect(table.numRows).toBeGreaterThan(10);
    const ids = Array.from(table.columns.id as ArrayLike<number>);
    const csv = ['id,score', ...ids.map((id, i) => `${id},${((i * 37) % 100) / 100}`)].join('\n') + '\n';
    const submission = await createSubmission(ctx, { challengeSlug: 'physlite-demo', fileName: 'p.csv', body: new TextEncoder().encode(csv) });
    expect(await scoreSubmission({ db: handle.db, dataDir }, submission.id)).toEqual({ status: 'scored' });
  });
});
