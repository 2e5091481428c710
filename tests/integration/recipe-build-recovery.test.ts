import fs from 'node:fs';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/client';
import { recipeBuildParts, recipeBuilds } from '@/db/schema';
import { submitRecipeBuild } from '@/lib/server/builds/submit-recipe-build';
import type { RecipeBuildDeps, RecipeBuildJob } from '@/lib/server/jobs/recipe-build-steps';
import { startMergeIfComplete } from '@/lib/server/jobs/recipe-build-steps';
import { recoverStuckBuilds } from '@/lib/server/jobs/recover-stuck-builds';
import { makeDataDir } from '../support/factories';
import { openTestDatabase } from '../support/test-database';

/** The sweep's decisions on the build tables (no worker runs here: the jobs it sends are recorded). */
let handle: DatabaseHandle;
let dataDir: string;
const sent: RecipeBuildJob[] = [];
let clock = new Date('2026-05-01T10:00:00Z');
const deps = (): RecipeBuildDeps => ({ db: handle.db, dataDir, queue: { enqueueBuildStep: async (job) => void sent.push(job) }, now: () => clock, staleAfterMs: 30_000 });
const later = (seconds: number) => (clock = new Date(clock.getTime() + seconds * 1000));

async function runningBuild(files: number): Promise<string> {
  const { id } = await submitRecipeBuild(deps(), {
    request: { recipe: { kind: 'builtin', name: 'lep-had' }, inputsDir: 'downloads', overrides: {}, batchEntries: null, createdAt: clock.toISOString(), overwrite: false },
    recipeName: 'lep-had', dataset: 'physlite-lep-had', version: '0.1.0', title: 'lep-had', ownerId: null,
  });
  await handle.db.update(recipeBuilds).set({ status: 'running', filesTotal: files, startedAt: clock }).where(eq(recipeBuilds.id, id));
  await handle.db.insert(recipeBuildParts).values(Array.from({ length: files }, (_, i) => ({ buildId: id, partIndex: i, sample: 's', file: `f${i}.root`, queuedAt: clock })));
  fs.mkdirSync(path.join(dataDir, 'builds', id, 'parts', 'part-00000'), { recursive: true });
  return id;
}

const partOf = async (buildId: string, index: number) => (await handle.db.select().from(recipeBuildParts).where(and(eq(recipeBuildParts.buildId, buildId), eq(recipeBuildParts.partIndex, index))))[0];
const buildOf = async (buildId: string) => (await handle.db.select().from(recipeBuilds).where(eq(recipeBuilds.id, buildId)))[0];

describe('recovery of queued builds', () => {
  beforeAll(async () => {
    handle = await openTestDatabase();
    dataDir = makeDataDir();
  });
  afterAll(async () => {
    await handle?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('queues the submitted build\'s plan step and writes its request where every worker reads it', async () => {
    sent.length = 0;
    const { id } = await submitRecipeBuild(deps(), {
      request: { recipe: { kind: 'builtin', name: 'hzz-4l' }, inputsDir: 'downloads', overrides: { version: '2.0.0' }, batchEntries: null, createdAt: clock.toISOString(), overwrite: false },
      recipeName: 'hzz-4l', dataset: 'physlite-hzz-4l', version: '2.0.0', title: 'H→ZZ*→4ℓ', ownerId: null,
    });
    expect(sent).toEqual([{ buildId: id, step: 'plan' }]);
    const request = JSON.parse(fs.readFileSync(path.join(dataDir, 'builds', id, 'request.json'), 'utf8'));
    expect(request).toMatchObject({ recipe: { kind: 'builtin', name: 'hzz-4l' }, overrides: { version: '2.0.0' } });
    expect((await buildOf(id))?.status).toBe('planning');
  });

  it('queues again a part whose worker stopped renewing its heartbeat, within the stale time, and leaves a live one alone', async () => {
    const id = await runningBuild(2);
    await handle.db.update(recipeBuildParts).set({ status: 'running', heartbeatAt: clock, attempts: 1, claim: '00000000-0000-4000-8000-000000000001', worker: 'host:1' }).where(eq(recipeBuildParts.buildId, id));
    sent.length = 0;
    later(20);
    await handle.db.update(recipeBuildParts).set({ heartbeatAt: clock }).where(and(eq(recipeBuildParts.buildId, id), eq(recipeBuildParts.partIndex, 1)));
    later(15);
    const recovered = await recoverStuckBuilds(deps());
    expect(recovered.requeued).toBeGreaterThanOrEqual(1);
    expect(sent).toContainEqual({ buildId: id, step: 'part', partIndex: 0 });
    expect(sent).not.toContainEqual({ buildId: id, step: 'part', partIndex: 1 });
    expect(await partOf(id, 0)).toMatchObject({ status: 'queued', claim: null });
    expect((await partOf(id, 0))?.error).toMatch(/the worker host:1 stopped/);
    expect(await partOf(id, 1)).toMatchObject({ status: 'running' });
  });

  it('fails the build (and removes its parts) when a part\'s worker died three times, naming the file', async () => {
    const id = await runningBuild(1);
    await handle.db.update(recipeBuildParts).set({ status: 'running', heartbeatAt: clock, attempts: 3, worker: 'host:2' }).where(eq(recipeBuildParts.buildId, id));
    later(60);
    const recovered = await recoverStuckBuilds(deps());
    expect(recovered.failed).toBeGreaterThanOrEqual(1);
    const build = await buildOf(id);
    expect(build?.status).toBe('failed');
    expect(build?.error).toMatch(/Building f0\.root stopped 3 times/);
    expect(fs.existsSync(path.join(dataDir, 'builds', id, 'parts'))).toBe(false);
  });

  it('moves a build whose parts are all done to its merge exactly once, and recovers a merge whose worker died', async () => {
    const id = await runningBuild(2);
    await handle.db.update(recipeBuildParts).set({ status: 'done' }).where(eq(recipeBuildParts.buildId, id));
    sent.length = 0;
    expect(await startMergeIfComplete(deps(), id)).toBe(true);
    expect(await startMergeIfComplete(deps(), id)).toBe(false);
    expect(sent).toEqual([{ buildId: id, step: 'merge' }]);
    await handle.db.update(recipeBuilds).set({ stepClaim: '00000000-0000-4000-8000-000000000002', stepHeartbeatAt: clock, stepAttempts: 1 }).where(eq(recipeBuilds.id, id));
    sent.length = 0;
    later(40);
    await recoverStuckBuilds(deps());
    expect(sent).toContainEqual({ buildId: id, step: 'merge' });
    expect((await buildOf(id))?.stepClaim).toBeNull();
  });

  it('at the start of the only worker (embedded database), queues every running step at once', async () => {
    const id = await runningBuild(1);
    await handle.db.update(recipeBuildParts).set({ status: 'running', heartbeatAt: clock, attempts: 1 }).where(eq(recipeBuildParts.buildId, id));
    sent.length = 0;
    await recoverStuckBuilds(deps(), { isSoleWorkerStarting: true });
    expect(sent).toContainEqual({ buildId: id, step: 'part', partIndex: 0 });
  });
});
