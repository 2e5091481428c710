/**
 * The p-th percentile of ascending sorted values by linear interpolation between closest ranks (numpy's
 * default `method="linear"`, Hyndman–Fan type 7): h = (m − 1)·p/100, value = x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]).
 *
 * Edge cases: one value → that value; equal neighbours (including two equal infinities) → that value, never
 * Infinity − Infinity = NaN; an infinite neighbour otherwise gives ±Infinity. Empty input, p outside [0, 100] or
 * a NaN value → `RangeError`.
 *
 * @example
 * ```ts
 * percentile(Float64Array.of(1, 2, 3, 4), 50); // → 2.5
 * ```
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const m = sorted.length;
  if (m === 0) throw new RangeError('Cannot take a percentile of no values.');
  if (!(p >= 0 && p <= 100)) throw new RangeError(`The percentile must be in [0, 100]; found ${p}.`);
  const h = ((m - 1) * p) / 100;
  const below = Math.floor(h);
  const low = sorted[below] as number;
  const fraction = h - below;
  if (Number.isNaN(low)) throw new RangeError('Cannot take a percentile of NaN values.');
  if (fraction === 0 || below + 1 >= m) return low;
  const high = sorted[below + 1] as number;
  if (Number.isNaN(high)) throw new RangeError('Cannot take a percentile of NaN values.');
  if (high === low) return low;
  if (!Number.isFinite(low) || !Number.isFinite(high)) return low === -Infinity ? -Infinity : Infinity;
  return low + fraction * (high - low);
}

/**
 * Several percentiles of unsorted values (sorted once on a copy); see {@link percentile}.
 *
 * @example
 * ```ts
 * percentiles(Float64Array.of(3, 1, 2), [16, 84]); // → [1.32, 2.68]
 * ```
 */
export function percentiles(values: ArrayLike<number>, ps: readonly number[]): number[] {
  const sorted = Float64Array.from(values).sort();
  return ps.map((p) => percentile(sorted, p));
}
