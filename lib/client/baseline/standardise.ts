/**
 * Feature standardisation for the browser baseline. Statistics come from the training rows only; a value equal to
 * the dataset's missing-value sentinel (−25 toy/FAIR, −999 HiggsML 2014) never enters a mean or a spread. Missing
 * values become 0 after standardisation (the training mean) and, for every feature that has any missing value in
 * the training data, an extra 0/1 "is missing" column tells the network that the value was absent.
 */
export type Standardiser = {
  featureNames: string[];
  mean: Float64Array;
  std: Float64Array;
  missingValue: number;
  /** Features that get an "is missing" indicator column, in order. */
  indicatorFeatures: number[];
  /** Number of columns of the transformed matrix: features + indicators. */
  outputWidth: number;
};

/** Row-major matrix of `rows × cols` float32 values. */
export type Matrix = { data: Float32Array; rows: number; cols: number };

export function fitStandardiser(matrix: Matrix, featureNames: string[], missingValue: number): Standardiser {
  const { data, rows, cols } = matrix;
  if (featureNames.length !== cols) throw new Error(`fitStandardiser: ${featureNames.length} names for ${cols} columns`);
  const sum = new Float64Array(cols);
  const sumSq = new Float64Array(cols);
  const present = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) {
      const v = data[base + c] ?? 0;
      if (v === missingValue) continue;
      sum[c] = (sum[c] ?? 0) + v;
      sumSq[c] = (sumSq[c] ?? 0) + v * v;
      present[c] = (present[c] ?? 0) + 1;
    }
  }
  const mean = new Float64Array(cols);
  const std = new Float64Array(cols);
  const indicatorFeatures: number[] = [];
  for (let c = 0; c < cols; c++) {
    const n = present[c] ?? 0;
    const m = n > 0 ? (sum[c] ?? 0) / n : 0;
    const variance = n > 1 ? Math.max(0, (sumSq[c] ?? 0) / n - m * m) : 0;
    mean[c] = m;
    // A constant (or entirely missing) feature keeps unit scale instead of dividing by zero.
    std[c] = variance > 1e-24 ? Math.sqrt(variance) : 1;
    if (n < rows) indicatorFeatures.push(c);
  }
  return { featureNames, mean, std, missingValue, indicatorFeatures, outputWidth: cols + indicatorFeatures.length };
}

/** Applies a fitted standardiser to any matrix with the same columns (training, validation or test). */
export function applyStandardiser(s: Standardiser, matrix: Matrix): Matrix {
  const { data, rows, cols } = matrix;
  if (cols !== s.featureNames.length) throw new Error(`applyStandardiser: expected ${s.featureNames.length} columns, got ${cols}`);
  const width = s.outputWidth;
  const out = new Float32Array(rows * width);
  for (let r = 0; r < rows; r++) {
    const inBase = r * cols;
    const outBase = r * width;
    for (let c = 0; c < cols; c++) {
      const v = data[inBase + c] ?? 0;
      out[outBase + c] = v === s.missingValue ? 0 : (v - (s.mean[c] ?? 0)) / (s.std[c] ?? 1);
    }
    for (let k = 0; k < s.indicatorFeatures.length; k++) {
      const c = s.indicatorFeatures[k] ?? 0;
      out[outBase + cols + k] = data[inBase + c] === s.missingValue ? 1 : 0;
    }
  }
  return { data: out, rows, cols: width };
}
