import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/client';
import { challenges, datasets, datasetVersions, recipeBuildParts, recipeBuilds } from '@/db/schema';
import { buildRecipe } from '@/lib/pipeline/recipes/build-recipe';
import { writePhysliteShapedFile } from '@/lib/pipeline/root/write/write-physlite-shaped-file';
import { type ChildWithLines, startNodeScript, waitFor } from '../support/child-process';
import { createTestUser, makeDataDir } from '../support/factories';
import { openTestDatabase, testDatabaseKind } from '../support/test-database';

/**
 * Queued builds on PostgreSQL: `npm run pipeline -- build <recipe> --queue` records the build, `npm run worker`
 * processes (three here, one killed with SIGKILL in the middle of a file) plan it, build one part per input file and
 * merge; the version is byte for byte the one a single-process build writes. PGlite allows one process per data
 * directory, so this suite runs against PostgreSQL only (CI runs it there).
 */
type Proc = ChildWithLines;

const RECIPE = path.resolve('tests/fixtures/recipes/lep-had-object-variations.ts');
const CREATED_AT = '2026-04-01T00:00:00Z';
let handle: DatabaseHandle;
let organiserEmail = '';
let builtDataset = { dataset: '', version: '' };
let dataDir: string;
const processes: Proc[] = [];

function start(args: string[], env: Record<string, string>): Proc {
  const proc = startNodeScript(args, { env: { ...process.env, DATABASE_URL: handle.url ?? '', DATA_DIR: dataDir, ...env } });
  processes.push(proc);
  return proc;
}

const startWorker = () => start(['scripts/worker.ts'], { SCORING_POLL_SECONDS: '0.5', QUEUE_MAINTENANCE_SECONDS: '1', RECIPE_BUILD_STALE_SECONDS: '4' });

describe.skipIf(testDatabaseKind !== 'postgres')('queued recipe builds on PostgreSQL workers', () => {
  const inputs = () => path.join(dataDir, 'downloads', 'lep-had-test');

  beforeAll(async () => {
    handle = await openTestDatabase();
    dataDir = makeDataDir();
    fs.mkdirSync(inputs(), { recursive: true });
    // One file big enough (a second or two of work) that a heartbeat, once a second, sees its part in the middle.
    for (const [name, seed, dsid, events] of [['signal-1', 1, 346343, 25_000], ['signal-2', 2, 346343, 25_000], ['signal-3', 3, 346343, 25_000], ['background-1', 4, 700360, 25_000], ['background-2', 5, 700360, 25_000], ['background-3', 6, 700360, 400_000]] as const) {
      await writePhysliteShapedFile({ out: path.join(inputs(), `${name}.root`), events, seed, dsid });
    }
    organiserEmail = (await createTestUser(handle, 'organiser')).email;
    for (let i = 0; i < 3; i++) startWorker();
    await waitFor('three workers to start', () => processes.every((p) => p.lines.some((l) => l.includes('ready'))), 120_000);
  }, 300_000);

  afterAll(async () => {
    for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await Promise.all(processes.map((p) => p.exited));
    await handle?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('builds byte for byte what one process builds, with a worker killed mid-file: its part is retried, nothing duplicated', async () => {
    const local = path.join(dataDir, 'local-build');
    await buildRecipe({ recipe: { kind: 'module', path: RECIPE }, inputsDir: inputs(), outDir: local, createdAt: CREATED_AT, jobs: 1 });

    const cli = start(['scripts/pipeline.ts', 'build', RECIPE, '--inputs', inputs(), '--queue', '--owner', organiserEmail, '--created-at', CREATED_AT, '--batch-entries', '1000'], {});
    // Kill the worker of a part that has read some of its file but not all of it.
    let victimPid = 0;
    let victimPart = -1;
    await waitFor('a part in the middle of its file', async () => {
      const running = await handle.db.select().from(recipeBuildParts).where(eq(recipeBuildParts.status, 'running'));
      const mid = running.find((p) => p.entriesDone > 0 && p.entriesTotal !== null && p.entriesDone < p.entriesTotal && p.worker);
      if (!mid) return false;
      victimPid = Number(mid.worker?.split(':').pop());
      victimPart = mid.partIndex;
      return true;
    }, 180_000);
    const victim = processes.find((p) => p.child.pid === victimPid);
    expect(victim, `worker ${victimPid}`).toBeDefined();
    victim?.child.kill('SIGKILL');
    await victim?.exited;

    const code = await cli.exited;
    expect(code, cli.lines.join('\n')).toBe(0);
    const summary = JSON.parse(cli.lines.at(-1) as string) as { dataset: string; version: string; buildId: string };
    expect(cli.lines.some((l) => /files, .* events, .* events\/s, ETA/.test(l))).toBe(true);

    const queued = path.join(dataDir, 'datasets', summary.dataset, summary.version);
    const names = fs.readdirSync(local).sort();
    expect(fs.readdirSync(queued).sort()).toEqual(names);
    for (const name of names) expect(Buffer.compare(fs.readFileSync(path.join(local, name)), fs.readFileSync(path.join(queued, name))), name).toBe(0);

    const [build] = await handle.db.select().from(recipeBuilds).where(eq(recipeBuilds.id, summary.buildId));
    expect(build).toMatchObject({ status: 'done', filesTotal: 6 });
    builtDataset = summary;
    const [owned] = await handle.db.select().from(datasets).where(eq(datasets.id, summary.dataset));
    expect(owned?.ownerId).toBe(build?.ownerId);
    expect(build?.ownerId).not.toBeNull();
    const parts = await handle.db.select().from(recipeBuildParts).where(eq(recipeBuildParts.buildId, summary.buildId));
    expect(parts.every((p) => p.status === 'done')).toBe(true);
    const killed = parts.find((p) => p.partIndex === victimPart);
    expect(killed?.attempts).toBeGreaterThanOrEqual(2);
    expect(killed?.worker?.endsWith(`:${victimPid}`)).toBe(false);
    const [version] = await handle.db.select().from(datasetVersions).where(eq(datasetVersions.id, build?.datasetVersionId ?? ''));
    expect(version).toMatchObject({ dataset: summary.dataset, version: summary.version });
    // The scratch of the build is gone; its request and plan stay.
    expect(fs.readdirSync(path.join(dataDir, build?.buildDir ?? '')).sort()).toEqual(['plan.json', 'request.json']);
  }, 600_000);

  it('then, in commands: the organiser\'s draft challenge on the built version, published (the README path)', async () => {
    const yesterday = new Date(Date.now() - 24 * 3600 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const definition = {
      slug: 'lep-had-from-physlite', revision: 1, title: 'H→ττ from PHYSLITE', summary: 'Built by a recipe on the workers.', task: 'binary-classification',
      dataset: { id: builtDataset.dataset, version: builtDataset.version }, metrics: [{ id: 'auc', primary: true, precision: 4 }], splits: { publicFraction: 0.4, seed: 7 },
      phases: [{ key: 'open', title: 'Open', opensAt: yesterday, closesAt: null, maxPerDay: 5 }], pages: { overview: '# H→ττ', evaluation: 'AUC', data: 'PHYSLITE', terms: 'Fair play' },
    };
    const file = path.join(dataDir, 'challenge.json');
    fs.writeFileSync(file, JSON.stringify(definition));
    const create = start(['lib/cli/admin/admin.ts', 'create-challenge', file, '--as', organiserEmail], {});
    expect(await create.exited, create.lines.join('\n')).toBe(0);
    expect(create.lines.join('\n')).toContain('lep-had-from-physlite created as a draft');
    const publish = start(['lib/cli/admin/admin.ts', 'publish-challenge', 'lep-had-from-physlite', '--as', organiserEmail], {});
    expect(await publish.exited, publish.lines.join('\n')).toBe(0);
    const [challenge] = await handle.db.select().from(challenges).where(eq(challenges.slug, 'lep-had-from-physlite'));
    expect(challenge?.publishedAt).not.toBeNull();
  }, 120_000);

  it('fails a build whose file cannot be read, naming the file, and leaves no version and no parts', async () => {
    fs.writeFileSync(path.join(inputs(), 'broken.root'), fs.readFileSync(path.join(inputs(), 'signal-1.root')).subarray(0, 20_000));
    const cli = start(['scripts/pipeline.ts', 'build', RECIPE, '--inputs', inputs(), '--sample', 'ggH=signal-1.root,broken.root', '--version', '9.9.9', '--queue'], {});
    const code = await cli.exited;
    expect(code).toBe(2);
    expect(cli.lines.at(-1)).toMatch(/^error: queued build .* failed: broken\.root/);
    const [build] = (await handle.db.select().from(recipeBuilds).where(eq(recipeBuilds.version, '9.9.9')));
    expect(build?.status).toBe('failed');
    expect(build?.error).toContain('broken.root');
    expect(fs.existsSync(path.join(dataDir, 'datasets', 'lep-had-object-variations', '9.9.9'))).toBe(false);
    await waitFor('the parts to be removed', () => !fs.existsSync(path.join(dataDir, build?.buildDir ?? '', 'parts')), 30_000);
  }, 300_000);
});
