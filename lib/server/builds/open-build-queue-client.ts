import 'server-only';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { openDatabase } from '@/db/client';
import { users } from '@/db/schema';
import { AppError } from '@/lib/shared/app-error';
import type { RecipeBuildDto } from '@/lib/shared/dto/recipe-build-dto';
import type { RecipeBuildRequest } from '@/lib/shared/recipes/recipe-build-request';
import { startRecipeBuildQueue } from '../jobs/recipe-build-queue';
import { readRecipeBuild } from './read-recipe-build';
import { submitRecipeBuild } from './submit-recipe-build';

/** What the command line submits: the request (createdAt defaulting to now) and what to show until the plan runs. */
export type CommandLineBuild = Omit<RecipeBuildRequest, 'createdAt'> & { createdAt: string | null; about: { recipeName: string; dataset: string; version: string; title: string }; ownerEmail: string | null };

export type BuildQueueClient = {
  submit(build: CommandLineBuild): Promise<{ buildId: string }>;
  wait(buildId: string, onProgress: (build: RecipeBuildDto) => void, pollMs?: number): Promise<RecipeBuildDto>;
  close(): Promise<void>;
};

/**
 * The operator's side of `pipeline build --queue`: opens the PostgreSQL of DATABASE_URL (as the workers do), records
 * the build (registered to the organiser of `ownerEmail`, else to nobody: only admins attach it) and follows its progress.
 */
export async function openBuildQueueClient(options: { databaseUrl: string | undefined; dataDir: string; pollingIntervalSeconds: number }): Promise<BuildQueueClient> {
  if (!options.databaseUrl || !/^postgres(ql)?:\/\//.test(options.databaseUrl)) {
    throw new AppError('BAD_REQUEST', 'build --queue needs DATABASE_URL=postgres://… (the PostgreSQL the workers use) and the DATA_DIR they share; start workers with `npm run worker`.');
  }
  const handle = await openDatabase({ url: options.databaseUrl, dataDir: options.dataDir });
  await handle.migrate();
  const runtime = await startRecipeBuildQueue(handle, { dataDir: options.dataDir, isWorker: false, pollingIntervalSeconds: options.pollingIntervalSeconds });
  const now = () => new Date();
  return {
    async submit(build) {
      const relative = path.relative(options.dataDir, path.resolve(build.inputsDir));
      const inputsDir = relative.startsWith('..') || path.isAbsolute(relative) ? path.resolve(build.inputsDir) : relative || '.';
      const { about, ownerEmail, ...request } = build;
      let ownerId: string | null = null;
      if (ownerEmail) {
        const [owner] = await handle.db.select({ id: users.id, role: users.role }).from(users).where(eq(users.email, ownerEmail.trim().toLowerCase()));
        if (!owner) throw new AppError('NOT_FOUND', `--owner ${ownerEmail}: there is no account with this e-mail address.`);
        if (owner.role !== 'organiser' && owner.role !== 'admin') throw new AppError('BAD_REQUEST', `--owner ${ownerEmail} is a ${owner.role}; datasets belong to organisers (npm run admin -- grant-organiser ${ownerEmail}).`);
        ownerId = owner.id;
      }
      const { id } = await submitRecipeBuild(
        { db: handle.db, dataDir: options.dataDir, queue: runtime.queue, now },
        { request: { ...request, inputsDir, createdAt: build.createdAt ?? now().toISOString() }, recipeName: about.recipeName, dataset: about.dataset, version: about.version, title: about.title, ownerId },
      );
      return { buildId: id };
    },
    async wait(buildId, onProgress, pollMs = 1000) {
      for (;;) {
        const build = await readRecipeBuild(handle.db, buildId, now());
        onProgress(build);
        if (build.status === 'done' || build.status === 'failed') return build;
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
    },
    async close() {
      await runtime.stop();
      await handle.close();
    },
  };
}
