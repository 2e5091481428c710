import type { Binning } from './histogram-types';

const DEFAULT_BINS = 50;
const SAMPLE_LIMIT = 50_000;

/**
 * The binning a feature is first drawn with: integer-valued features with few values (e.g. a jet count) get one bin
 * per integer; other features 50 bins over the 0.1–99.9 % quantiles of their non-missing values (a strided sample
 * of at most 50 000 rows), widened to round numbers, so a long tail does not squeeze the bulk into one bin (the
 * tail is counted in the overflow). Deterministic for the same column.
 */
export function chooseDefaultBinning(values: ArrayLike<number>, missingValue: number): Binning {
  const step = Math.max(1, Math.floor(values.length / SAMPLE_LIMIT));
  const buffer = new Float64Array(Math.ceil(values.length / step));
  let size = 0;
  let isInteger = true;
  for (let row = 0; row < values.length; row += step) {
    const v = values[row] as number;
    if (v === missingValue || !Number.isFinite(v)) continue;
    buffer[size++] = v;
    if (isInteger && !Number.isInteger(v)) isInteger = false;
  }
  if (size === 0) return { bins: 1, min: 0, max: 1 };
  const sorted = buffer.subarray(0, size).sort();
  const lowest = sorted[0] as number;
  const highest = sorted[sorted.length - 1] as number;
  if (isInteger && highest - lowest <= 60) {
    return { bins: highest - lowest + 1, min: lowest - 0.5, max: highest + 0.5 };
  }
  const quantile = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(q * (sorted.length - 1))))] as number;
  let low = quantile(0.001);
  let high = quantile(0.999);
  if (!(high > low)) {
    low = lowest;
    high = highest;
  }
  if (!(high > low)) return { bins: 1, min: low - 0.5, max: low + 0.5 };
  const niceStep = niceNumber((high - low) / DEFAULT_BINS);
  const min = Math.floor(low / niceStep) * niceStep;
  let max = Math.ceil(high / niceStep) * niceStep;
  // The top quantile is meant to be inside the range: values ≥ max are overflow.
  if (max <= high) max += niceStep;
  const bins = Math.max(1, Math.min(1000, Math.round((max - min) / niceStep)));
  return { bins, min: roundTo(min, niceStep), max: roundTo(min + bins * niceStep, niceStep) };
}

/** 1, 2, 2.5 or 5 × a power of ten, at least `x`. */
function niceNumber(x: number): number {
  const power = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * power >= x) return m * power;
  return 10 * power;
}

/** Removes float noise from a multiple of `step` (e.g. 0.30000000000000004 → 0.3). */
function roundTo(value: number, step: number): number {
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 2);
  return Number(value.toFixed(Math.min(15, digits)));
}
