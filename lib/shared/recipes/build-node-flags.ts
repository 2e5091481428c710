/**
 * The node flags every recipe build process runs with: `npm run pipeline` (package.json), the queued build steps a
 * worker starts (lib/server/jobs/run-build-step-process.ts) and the build benchmark's children. A test keeps
 * package.json's `pipeline` script in step with this list.
 * - `--single-threaded-gc`: V8's garbage collector works on the thread that allocates; its background threads only
 *   competed with the build's own threads for the cores.
 * - `--initial-old-space-size=256`: the old generation starts at 256 MB instead of growing from a few MB, so V8
 *   stops running a full collection every few batches while the heap is small (51 → 22 full collections in a one-job
 *   build of the benchmark's 2 million events). It is a starting size, not a limit.
 */
export const BUILD_NODE_FLAGS: readonly string[] = ['--single-threaded-gc', '--initial-old-space-size=256'];
