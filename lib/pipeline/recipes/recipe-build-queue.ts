import type { RecipeBuildRequest } from '@/lib/shared/recipes/recipe-build-request';

/**
 * A build to run on the queue's workers (`pipeline build <recipe> --queue`); createdAt defaults to now; `about` is
 * shown until the plan step has run.
 */
export type QueuedBuildRequest = Omit<RecipeBuildRequest, 'createdAt'> & {
  createdAt: string | null;
  about: { recipeName: string; dataset: string; version: string; title: string };
  /** The organiser (e-mail) the version is registered to; none: the platform's operator (only admins attach it). */
  ownerEmail: string | null;
};

export type QueuedBuildOutcome =
  | { status: 'done'; buildId: string; dataset: string; version: string; outDir: string }
  | { status: 'failed'; buildId: string; error: string };

/**
 * What `pipeline build --queue` needs from the job queue. The pipeline does not reach the database itself (layers):
 * the command's entry point (scripts/pipeline.ts) passes an implementation backed by lib/server/jobs.
 */
export type RecipeBuildQueueClient = {
  submit(request: QueuedBuildRequest): Promise<{ buildId: string }>;
  /** Waits until the build is done or failed, calling `onProgress` with a line now and then. */
  wait(buildId: string, onProgress: (line: string) => void): Promise<QueuedBuildOutcome>;
  close(): Promise<void>;
};
