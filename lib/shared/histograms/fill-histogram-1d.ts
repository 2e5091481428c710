import type { Binning, HistogramGroupDto, WeightAndEntries } from './histogram-types';

/** Rows split into groups: `index[row]` is the group of the row, `names[g]` and `labels[g]` describe group g. */
export type RowGroups = { index: Uint8Array | Uint16Array; names: string[]; labels: Array<0 | 1 | null> };

/**
 * Fills one histogram per group from a column: weighted (Σw, Σw²) and unweighted counts per bin, under- and
 * overflow, and the missing-value sentinel (and non-finite values) counted apart. Bin i holds
 * min + i·width ≤ x < min + (i+1)·width; x ≥ max is overflow, as in ROOT. `weights` null counts each row as 1.
 * Every row lands in exactly one of bins, underflow, overflow or missing, so per group the four add up to the
 * group's Σw and row count.
 */
export function fillHistogram1d(values: ArrayLike<number>, weights: ArrayLike<number> | null, groups: RowGroups, binning: Binning, missingValue: number): HistogramGroupDto[] {
  const { bins, min, max } = binning;
  const groupCount = groups.names.length;
  const stride = bins + 3; // [underflow, bins…, overflow, missing]
  const sumW = new Float64Array(groupCount * stride);
  const sumW2 = new Float64Array(groupCount * stride);
  const count = new Float64Array(groupCount * stride);
  const scale = bins / (max - min);
  const n = values.length;
  for (let row = 0; row < n; row++) {
    const x = values[row] as number;
    let slot: number;
    if (x === missingValue || !Number.isFinite(x)) slot = bins + 2;
    else if (x < min) slot = 0;
    else if (x >= max) slot = bins + 1;
    else slot = 1 + Math.min(bins - 1, Math.floor((x - min) * scale));
    const at = (groups.index[row] as number) * stride + slot;
    const w = weights === null ? 1 : (weights[row] as number);
    sumW[at] = (sumW[at] as number) + w;
    sumW2[at] = (sumW2[at] as number) + w * w;
    count[at] = (count[at] as number) + 1;
  }
  return groups.names.map((name, g) => {
    const base = g * stride;
    const pick = (slot: number): WeightAndEntries => [sumW[base + slot] as number, count[base + slot] as number];
    const weightsOut = Array.from(sumW.subarray(base + 1, base + 1 + bins));
    const entries = Array.from(count.subarray(base + 1, base + 1 + bins));
    let totalW = 0;
    let totalN = 0;
    for (let slot = 0; slot < stride; slot++) {
      totalW += sumW[base + slot] as number;
      totalN += count[base + slot] as number;
    }
    return {
      name,
      label: groups.labels[g] ?? null,
      weights: weightsOut,
      sumw2: Array.from(sumW2.subarray(base + 1, base + 1 + bins)),
      entries,
      underflow: pick(0),
      overflow: pick(bins + 1),
      missing: pick(bins + 2),
      total: [totalW, totalN],
    };
  });
}
