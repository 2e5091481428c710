import type { Database } from '@/db/client';
import type { UserRole } from '@/db/schema';

export type SessionUser = { id: string; email: string; name: string; role: UserRole };

/** Hands accepted submissions to the scoring workers. */
export type ScoringQueue = { enqueueScoring(submissionId: string): Promise<void> };

/** Hands the steps of queued dataset builds to the workers (see lib/server/jobs/recipe-build-steps.ts). */
export type BuildStepQueue = { enqueueBuildStep(job: { buildId: string; step: 'plan' | 'merge' } | { buildId: string; step: 'part'; partIndex: number }): Promise<void> };

/** What every service receives: the database, where files live, who is asking, the clock and the job queue. */
export type ServiceContext = {
  db: Database;
  /** Root of the blob store and dataset versions. */
  dataDir: string;
  user: SessionUser | null;
  now: () => Date;
  queue: ScoringQueue;
  /** The dataset-build queue (pages that start builds); absent where no build can start. */
  buildQueue?: BuildStepQueue;
  /** Set only by `npm run admin` on the server: the operator at the console may administer without an account. */
  console?: { operator: string };
};

export type AuthenticatedContext = ServiceContext & { user: SessionUser };
