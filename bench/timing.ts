/** Timing helpers shared by the benchmarks: medians of a few repeats (machines here are noisy) and rounding. */

/** Median wall time in ms of `repeats` runs of `run`. */
export function medianMs(repeats: number, run: () => void): number {
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

/** {@link medianMs} for asynchronous work. */
export async function medianMsAsync(repeats: number, run: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

/** `x` rounded to `digits` decimals, as a number (for JSON reports). */
export const round = (x: number, digits = 2): number => Number(x.toFixed(digits));
