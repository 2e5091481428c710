import type { RawBasketRecord } from './raw-records';

/** Uncompressed bytes a batch aims at across its columns: big enough to amortise the per-task work, small enough to bound memory. */
export const DEFAULT_BATCH_BYTES = 16 * 1024 * 1024;

/**
 * Entry ranges of record batches over [start, stop). A batch ends where every selected branch starts a new basket
 * (a cluster boundary, so each basket is decoded once) as long as that keeps it near `targetEntries`; clusters
 * much larger than that are cut at a basket boundary of some branch (or, failing one, anywhere), so memory stays
 * bounded whatever the file's basket layout.
 */
export function planBatchRanges(branchBaskets: readonly (readonly RawBasketRecord[])[], start: number, stop: number, targetEntries: number): [number, number][] {
  if (stop <= start) return [];
  const target = Math.max(1, Math.floor(targetEntries));
  const startsPerBranch = branchBaskets.map((baskets) => new Set(baskets.map((b) => b.firstEntry)));
  const union = [...new Set(startsPerBranch.flatMap((s) => [...s]))].filter((e) => e > start && e < stop).sort((a, b) => a - b);
  const aligned = union.filter((e) => startsPerBranch.every((s) => s.has(e)));
  aligned.push(stop);
  union.push(stop);
  const ranges: [number, number][] = [];
  let current = start;
  let a = 0;
  let u = 0;
  while (current < stop) {
    const goal = Math.min(stop, current + target);
    while (a < aligned.length && (aligned[a] as number) <= current) a++;
    let next = -1;
    // The last aligned boundary within the goal.
    for (let k = a; k < aligned.length && (aligned[k] as number) <= goal; k++) next = aligned[k] as number;
    if (next < 0) {
      // The next cluster is larger than the target: cut at a basket boundary of some branch near the goal.
      while (u < union.length && (union[u] as number) <= current) u++;
      let cut = -1;
      for (let k = u; k < union.length && (union[k] as number) <= goal; k++) cut = union[k] as number;
      next = cut >= current + Math.ceil(target / 2) ? cut : goal;
    }
    ranges.push([current, next]);
    current = next;
  }
  return ranges;
}
