import fs from 'node:fs';

/**
 * Temporary folders of dataset writes in progress, in a module of their own so that the CLI's signal handler can
 * clean them up without loading the writers.
 */
const pendingTemporaryDirs = new Set<string>();

/**
 * Removes the temporary folders of writes still in progress. The CLI calls it on SIGINT/SIGTERM so that an
 * interrupted build leaves neither a half-written version nor its temporary folder behind.
 */
export function removePendingTemporaryDirs(): void {
  for (const dir of pendingTemporaryDirs) fs.rmSync(dir, { recursive: true, force: true });
  pendingTemporaryDirs.clear();
}

/** Registers a temporary folder for {@link removePendingTemporaryDirs}; call the returned function once it is gone or renamed. */
export function trackPendingTemporaryDir(dir: string): () => void {
  pendingTemporaryDirs.add(dir);
  return () => pendingTemporaryDirs.delete(dir);
}
