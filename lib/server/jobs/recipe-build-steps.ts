import 'server-only';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { recipeBuildParts, recipeBuilds } from '@/db/schema';
import { isAppError } from '@/lib/shared/app-error';
import type { BuildStepMessage } from '@/lib/shared/recipes/recipe-build-request';
import type { BuildStepQueue } from '../context';
import { registerDatasetVersion } from '../datasets/register-dataset-version';
import { type BuildStepOutcome, type RunningBuildStep, runBuildStepProcess } from './run-build-step-process';

/** A job of the build queue: plan a build, build one of its parts (input files), or merge the parts. */
export type RecipeBuildJob = { buildId: string; step: 'plan' | 'merge' } | { buildId: string; step: 'part'; partIndex: number };

/** Hands build steps to the workers. */
export type RecipeBuildQueue = BuildStepQueue;

export type RecipeBuildDeps = {
  db: Database;
  dataDir: string;
  queue: RecipeBuildQueue;
  now: () => Date;
  /** A step whose heartbeat is older than this lost its worker. */
  staleAfterMs: number;
};

/** A part (or plan/merge step) whose worker died this many times fails the build: it may be what kills the workers. */
export const maxBuildStepAttempts = 3;
/** Who is working, as the organiser page shows it. */
export const workerName = `${os.hostname()}:${process.pid}`;

const running = new Set<RunningBuildStep>();

/** Kills the steps this process runs (a worker stopping); their parts go back to the queue through the sweep or the caller. */
export function killRunningBuildSteps(): void {
  for (const step of running) step.kill();
}

function buildDirOf(deps: RecipeBuildDeps, relative: string): string {
  return path.join(deps.dataDir, relative);
}

function describe(error: { code: string; message: string }): string {
  return error.message;
}

/** Ends a build failed with its reason (unless it ended already) and removes its parts. */
export async function failRecipeBuild(deps: RecipeBuildDeps, buildId: string, reason: string): Promise<boolean> {
  const ended = await deps.db
    .update(recipeBuilds)
    .set({ status: 'failed', error: reason, finishedAt: deps.now(), stepClaim: null })
    .where(and(eq(recipeBuilds.id, buildId), notInArray(recipeBuilds.status, ['done', 'failed'])))
    .returning({ buildDir: recipeBuilds.buildDir });
  const [row] = ended;
  if (!row) return false;
  await deps.db.update(recipeBuildParts).set({ status: 'failed', claim: null }).where(and(eq(recipeBuildParts.buildId, buildId), inArray(recipeBuildParts.status, ['queued', 'running'])));
  removeScratch(buildDirOf(deps, row.buildDir));
  return true;
}

/** The parts and merge scratch of a build (its request and plan stay, for the record). */
export function removeScratch(buildDir: string): void {
  for (const name of ['parts', 'merge']) fs.rmSync(path.join(buildDir, name), { recursive: true, force: true });
}

/** Runs a step's process, renewing the heartbeat and stopping it when the build failed elsewhere. */
async function supervise(deps: RecipeBuildDeps, buildDir: string, step: Parameters<typeof runBuildStepProcess>[0]['step'], heartbeat: (progress: { entriesDone: number; entriesTotal: number } | null) => Promise<boolean>): Promise<BuildStepOutcome> {
  let progress: { entriesDone: number; entriesTotal: number } | null = null;
  const process = runBuildStepProcess({
    buildDir,
    dataDir: deps.dataDir,
    step,
    onMessage: (m: BuildStepMessage) => {
      if (m.type === 'progress') progress = { entriesDone: m.entriesDone, entriesTotal: m.entriesTotal };
    },
  });
  running.add(process);
  const intervalMs = Math.max(250, Math.min(5000, Math.floor(deps.staleAfterMs / 4)));
  const timer = setInterval(() => {
    heartbeat(progress)
      .then((keepGoing) => {
        if (!keepGoing) process.kill();
      })
      .catch((error) => console.error('[builds] heartbeat failed', error));
  }, intervalMs);
  try {
    return await process.done;
  } finally {
    clearInterval(timer);
    running.delete(process);
  }
}

async function stepClaim(deps: RecipeBuildDeps, buildId: string, status: 'planning' | 'merging'): Promise<{ claim: string; buildDir: string; ownerId: string | null } | null> {
  const claim = randomUUID();
  const now = deps.now();
  const [row] = await deps.db
    .update(recipeBuilds)
    .set({ stepClaim: claim, stepHeartbeatAt: now, stepAttempts: sql`${recipeBuilds.stepAttempts} + 1`, startedAt: sql`coalesce(${recipeBuilds.startedAt}, ${now})` })
    .where(and(eq(recipeBuilds.id, buildId), eq(recipeBuilds.status, status), sql`${recipeBuilds.stepClaim} is null`))
    .returning({ buildDir: recipeBuilds.buildDir, ownerId: recipeBuilds.ownerId });
  return row ? { claim, buildDir: row.buildDir, ownerId: row.ownerId } : null;
}

async function stepHeartbeat(deps: RecipeBuildDeps, buildId: string, claim: string): Promise<boolean> {
  const renewed = await deps.db.update(recipeBuilds).set({ stepHeartbeatAt: deps.now() }).where(and(eq(recipeBuilds.id, buildId), eq(recipeBuilds.stepClaim, claim))).returning({ id: recipeBuilds.id });
  return renewed.length > 0;
}

/** After a crash (not an input error): the step is tried again, up to {@link maxBuildStepAttempts} times. */
async function retryStep(deps: RecipeBuildDeps, buildId: string, claim: string, step: 'plan' | 'merge', outcome: Extract<BuildStepOutcome, { ok: false }>): Promise<void> {
  const [row] = await deps.db.select({ attempts: recipeBuilds.stepAttempts }).from(recipeBuilds).where(and(eq(recipeBuilds.id, buildId), eq(recipeBuilds.stepClaim, claim)));
  if (!row) return;
  if (row.attempts >= maxBuildStepAttempts) {
    await failRecipeBuild(deps, buildId, `The ${step} step stopped ${row.attempts} times: ${describe(outcome.error)}`);
    return;
  }
  const released = await deps.db.update(recipeBuilds).set({ stepClaim: null, stepHeartbeatAt: null, stepQueuedAt: deps.now() }).where(and(eq(recipeBuilds.id, buildId), eq(recipeBuilds.stepClaim, claim))).returning({ id: recipeBuilds.id });
  if (released.length > 0) await deps.queue.enqueueBuildStep({ buildId, step });
}

async function runPlan(deps: RecipeBuildDeps, buildId: string): Promise<string> {
  const claimed = await stepClaim(deps, buildId, 'planning');
  if (!claimed) return 'skipped';
  const buildDir = buildDirOf(deps, claimed.buildDir);
  const outcome = await supervise(deps, buildDir, { kind: 'plan' }, () => stepHeartbeat(deps, buildId, claimed.claim));
  if (!outcome.ok) {
    if (outcome.isInputError) await failRecipeBuild(deps, buildId, describe(outcome.error));
    else await retryStep(deps, buildId, claimed.claim, 'plan', outcome);
    return 'plan failed';
  }
  const planned = outcome.messages.find((m): m is Extract<BuildStepMessage, { type: 'planned' }> => m.type === 'planned');
  if (!planned) {
    await failRecipeBuild(deps, buildId, 'The plan step ended without a plan.');
    return 'plan failed';
  }
  const now = deps.now();
  const isStarted = await deps.db.transaction(async (tx) => {
    const [build] = await tx
      .update(recipeBuilds)
      .set({ status: 'running', dataset: planned.dataset, version: planned.version, title: planned.title, filesTotal: planned.parts.length, stepClaim: null, stepHeartbeatAt: null })
      .where(and(eq(recipeBuilds.id, buildId), eq(recipeBuilds.stepClaim, claimed.claim), eq(recipeBuilds.status, 'planning')))
      .returning({ id: recipeBuilds.id });
    if (!build) return false;
    await tx
      .insert(recipeBuildParts)
      .values(planned.parts.map((p) => ({ buildId, partIndex: p.index, sample: p.sample, variation: p.variation, file: p.file, queuedAt: now })))
      .onConflictDoNothing();
    return true;
  });
  if (!isStarted) return 'skipped';
  for (const part of planned.parts) await deps.queue.enqueueBuildStep({ buildId, step: 'part', partIndex: part.index });
  return `planned ${planned.parts.length} part(s)`;
}

/** Moves a build whose parts are all done to its merge (once, whoever finishes last). */
export async function startMergeIfComplete(deps: RecipeBuildDeps, buildId: string): Promise<boolean> {
  const rows = await deps.db
    .update(recipeBuilds)
    .set({ status: 'merging', stepClaim: null, stepHeartbeatAt: null, stepAttempts: 0, stepQueuedAt: deps.now() })
    .where(
      and(
        eq(recipeBuilds.id, buildId),
        eq(recipeBuilds.status, 'running'),
        sql`not exists (select 1 from ${recipeBuildParts} where ${recipeBuildParts.buildId} = ${buildId} and ${recipeBuildParts.status} <> 'done')`,
      ),
    )
    .returning({ id: recipeBuilds.id });
  if (rows.length === 0) return false;
  await deps.queue.enqueueBuildStep({ buildId, step: 'merge' });
  return true;
}

async function runPart(deps: RecipeBuildDeps, buildId: string, partIndex: number): Promise<string> {
  const claim = randomUUID();
  const now = deps.now();
  const [part] = await deps.db
    .update(recipeBuildParts)
    .set({ status: 'running', claim, worker: workerName, attempts: sql`${recipeBuildParts.attempts} + 1`, heartbeatAt: now, startedAt: now, error: null })
    .where(and(eq(recipeBuildParts.buildId, buildId), eq(recipeBuildParts.partIndex, partIndex), eq(recipeBuildParts.status, 'queued')))
    .returning({ attempts: recipeBuildParts.attempts, file: recipeBuildParts.file });
  if (!part) return 'skipped';
  const [build] = await deps.db.select({ status: recipeBuilds.status, buildDir: recipeBuilds.buildDir }).from(recipeBuilds).where(eq(recipeBuilds.id, buildId));
  if (!build || build.status !== 'running') {
    await deps.db.update(recipeBuildParts).set({ status: build?.status === 'failed' ? 'failed' : 'queued', claim: null }).where(and(eq(recipeBuildParts.buildId, buildId), eq(recipeBuildParts.partIndex, partIndex), eq(recipeBuildParts.claim, claim)));
    return 'skipped';
  }
  const outcome = await supervise(deps, buildDirOf(deps, build.buildDir), { kind: 'part', partIndex }, async (progress) => {
    const renewed = await deps.db
      .update(recipeBuildParts)
      .set({ heartbeatAt: deps.now(), ...(progress ? { entriesDone: progress.entriesDone, entriesTotal: progress.entriesTotal } : {}) })
      .where(and(eq(recipeBuildParts.buildId, buildId), eq(recipeBuildParts.partIndex, partIndex), eq(recipeBuildParts.claim, claim)))
      .returning({ id: recipeBuildParts.partIndex });
    if (renewed.length === 0) return false;
    const [current] = await deps.db.select({ status: recipeBuilds.status }).from(recipeBuilds).where(eq(recipeBuilds.id, buildId));
    return current?.status === 'running';
  });
  const mine = and(eq(recipeBuildParts.buildId, buildId), eq(recipeBuildParts.partIndex, partIndex), eq(recipeBuildParts.claim, claim));
  if (outcome.ok) {
    const done = outcome.messages.find((m): m is Extract<BuildStepMessage, { type: 'part-done' }> => m.type === 'part-done');
    const updated = await deps.db
      .update(recipeBuildParts)
      .set({ status: 'done', finishedAt: deps.now(), heartbeatAt: null, entriesDone: done?.entries ?? 0, entriesTotal: done?.entries ?? 0, selectedEvents: done?.selectedEvents ?? 0 })
      .where(mine)
      .returning({ id: recipeBuildParts.partIndex });
    if (updated.length > 0) await startMergeIfComplete(deps, buildId);
    return `part ${partIndex} done`;
  }
  if (outcome.isInputError) {
    await deps.db.update(recipeBuildParts).set({ status: 'failed', error: describe(outcome.error), finishedAt: deps.now() }).where(mine);
    await failRecipeBuild(deps, buildId, describe(outcome.error));
    return `part ${partIndex} failed`;
  }
  // Crashed or killed: another attempt, unless this part keeps killing its workers (or the build failed meanwhile).
  const [current] = await deps.db.select({ status: recipeBuilds.status }).from(recipeBuilds).where(eq(recipeBuilds.id, buildId));
  if (current?.status !== 'running') return `part ${partIndex} stopped`;
  if (part.attempts >= maxBuildStepAttempts) {
    await deps.db.update(recipeBuildParts).set({ status: 'failed', error: describe(outcome.error), finishedAt: deps.now() }).where(mine);
    await failRecipeBuild(deps, buildId, `Building ${part.file} stopped ${part.attempts} times: ${describe(outcome.error)}`);
    return `part ${partIndex} failed`;
  }
  const released = await deps.db.update(recipeBuildParts).set({ status: 'queued', claim: null, heartbeatAt: null, queuedAt: deps.now(), error: describe(outcome.error) }).where(mine).returning({ id: recipeBuildParts.partIndex });
  if (released.length > 0) await deps.queue.enqueueBuildStep({ buildId, step: 'part', partIndex });
  return `part ${partIndex} queued again`;
}

async function runMerge(deps: RecipeBuildDeps, buildId: string): Promise<string> {
  const claimed = await stepClaim(deps, buildId, 'merging');
  if (!claimed) return 'skipped';
  const buildDir = buildDirOf(deps, claimed.buildDir);
  const outcome = await supervise(deps, buildDir, { kind: 'merge' }, () => stepHeartbeat(deps, buildId, claimed.claim));
  if (!outcome.ok) {
    if (outcome.isInputError) await failRecipeBuild(deps, buildId, describe(outcome.error));
    else await retryStep(deps, buildId, claimed.claim, 'merge', outcome);
    return 'merge failed';
  }
  const merged = outcome.messages.find((m): m is Extract<BuildStepMessage, { type: 'merged' }> => m.type === 'merged');
  if (!merged) {
    await failRecipeBuild(deps, buildId, 'The merge step ended without a version.');
    return 'merge failed';
  }
  try {
    const registered = await registerDatasetVersion(deps.db, deps.dataDir, merged.outDir, { ownerId: claimed.ownerId });
    await deps.db
      .update(recipeBuilds)
      .set({ status: 'done', datasetVersionId: registered.id, finishedAt: deps.now(), stepClaim: null, stepHeartbeatAt: null })
      .where(and(eq(recipeBuilds.id, buildId), eq(recipeBuilds.stepClaim, claimed.claim)));
    removeScratch(buildDir);
    return `merged ${merged.dataset} ${merged.version}`;
  } catch (error) {
    if (!isAppError(error)) throw error;
    await failRecipeBuild(deps, buildId, `The version was written to ${merged.outDir} but could not be registered: ${error.message}`);
    return 'merge failed';
  }
}

/** Runs one job of the build queue; a job whose step another worker holds (or that is over) does nothing. */
export async function processRecipeBuildJob(deps: RecipeBuildDeps, job: RecipeBuildJob): Promise<string> {
  if (job.step === 'part') return runPart(deps, job.buildId, job.partIndex);
  return job.step === 'plan' ? runPlan(deps, job.buildId) : runMerge(deps, job.buildId);
}
