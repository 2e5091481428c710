import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/client';
import { auditEvents, recipeBuilds } from '@/db/schema';
import { getRecipeBuild } from '@/lib/server/builds/get-recipe-build';
import { listBuiltinRecipes } from '@/lib/server/builds/list-builtin-recipes';
import { listRecipeBuilds } from '@/lib/server/builds/list-recipe-builds';
import { startRecipeBuild } from '@/lib/server/builds/start-recipe-build';
import type { BuildStepQueue, ServiceContext } from '@/lib/server/context';
import { AppError } from '@/lib/shared/app-error';
import { createTestUser, makeContext, makeDataDir, makeRecordingQueue } from '../support/factories';
import { openTestDatabase } from '../support/test-database';

/** The organiser page's services for builds: who may start, see and list them. */
let handle: DatabaseHandle;
let dataDir: string;
const jobs: Parameters<BuildStepQueue['enqueueBuildStep']>[0][] = [];
const buildQueue: BuildStepQueue = { enqueueBuildStep: async (job) => void jobs.push(job) };

async function contextOf(role: 'organiser' | 'participant' | 'admin' | null): Promise<ServiceContext> {
  const user = role ? await createTestUser(handle, role) : null;
  return { ...makeContext(handle, dataDir, user, makeRecordingQueue()), buildQueue };
}

async function codeOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return 'none';
}

describe('organiser builds', () => {
  beforeAll(async () => {
    handle = await openTestDatabase();
    dataDir = makeDataDir();
  });
  afterAll(async () => {
    await handle?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists the repository recipes to organisers, with their samples under DATA_DIR/downloads and their outputs', async () => {
    const recipes = await listBuiltinRecipes(await contextOf('organiser'));
    expect(recipes.map((r) => r.name)).toEqual(['lep-had', 'hzz-4l', 'large-r-jets']);
    expect(recipes.find((r) => r.name === 'large-r-jets')).toMatchObject({ rows: 'one row per largeRJets object', dataset: 'physlite-large-r-jets' });
    expect(recipes.find((r) => r.name === 'hzz-4l')?.samples[0]).toMatchObject({ label: 1, files: ['physlite/hzz-4l/ggH/*.root'] });
    expect(await codeOf(listBuiltinRecipes(await contextOf('participant')))).toBe('FORBIDDEN');
    expect(await codeOf(listBuiltinRecipes(await contextOf(null)))).toBe('UNAUTHENTICATED');
  });

  it('starts a build owned by the organiser, queues its plan, and audit-logs it; the version label can be chosen', async () => {
    const ctx = await contextOf('organiser');
    jobs.length = 0;
    const { id } = await startRecipeBuild(ctx, { recipe: 'hzz-4l', version: '1.2.0' });
    expect(jobs).toEqual([{ buildId: id, step: 'plan' }]);
    const [row] = await handle.db.select().from(recipeBuilds).where(eq(recipeBuilds.id, id));
    expect(row).toMatchObject({ ownerId: ctx.user?.id, status: 'planning', dataset: 'physlite-hzz-4l', version: '1.2.0', recipe: 'hzz-4l' });
    expect(row?.request).toMatchObject({ recipe: { kind: 'builtin', name: 'hzz-4l' }, inputsDir: 'downloads', overrides: { version: '1.2.0' } });
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'builds', id, 'request.json'), 'utf8'))).toMatchObject({ recipe: { name: 'hzz-4l' } });
    const audit = await handle.db.select().from(auditEvents).where(eq(auditEvents.target, `build:${id}`));
    expect(audit[0]).toMatchObject({ action: 'dataset.build', actorId: ctx.user?.id });
    expect((await getRecipeBuild(ctx, id)).status).toBe('planning');
    expect((await listRecipeBuilds(ctx)).map((b) => b.id)).toEqual([id]);
  });

  it('shows a build to its organiser and admins only; others get not found, participants forbidden', async () => {
    const owner = await contextOf('organiser');
    const { id } = await startRecipeBuild(owner, { recipe: 'lep-had' });
    const other = await contextOf('organiser');
    expect(await codeOf(getRecipeBuild(other, id))).toBe('NOT_FOUND');
    expect((await listRecipeBuilds(other)).map((b) => b.id)).not.toContain(id);
    expect((await getRecipeBuild(await contextOf('admin'), id)).id).toBe(id);
    expect((await listRecipeBuilds(await contextOf('admin'))).map((b) => b.id)).toContain(id);
    expect(await codeOf(getRecipeBuild(await contextOf('participant'), id))).toBe('FORBIDDEN');
    expect(await codeOf(getRecipeBuild(owner, 'not-a-uuid'))).toBe('NOT_FOUND');
    expect(await codeOf(startRecipeBuild(await contextOf('participant'), { recipe: 'lep-had' }))).toBe('FORBIDDEN');
  });

  it('refuses an unknown recipe naming the known ones, and a bad version label', async () => {
    const ctx = await contextOf('organiser');
    await expect(startRecipeBuild(ctx, { recipe: 'ttbar' })).rejects.toThrow(/There is no recipe "ttbar"; the recipes are lep-had, hzz-4l, large-r-jets/);
    await expect(startRecipeBuild(ctx, { recipe: 'lep-had', version: '../../etc' })).rejects.toThrow(/A version is letters, digits/);
  });
});
