/**
 * Per-event weights of one scored split, rescaled per class so that the split reproduces the dataset's expected
 * yields (the HiggsML 2014 KaggleWeight semantics): public, private and validation AMS values are then comparable.
 * A class whose weights sum to zero keeps its zero weights. Used by the server's scoring and the browser baseline.
 */
export function renormaliseToYields(
  labels: ArrayLike<number>,
  weights: ArrayLike<number>,
  yields: { signal: number; background: number },
): Float64Array {
  const sums = [0, 0];
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] === 1 ? 1 : 0;
    sums[label] = (sums[label] ?? 0) + (weights[i] ?? 0);
  }
  const factor = [
    (sums[0] ?? 0) > 0 ? yields.background / (sums[0] ?? 1) : 0,
    (sums[1] ?? 0) > 0 ? yields.signal / (sums[1] ?? 1) : 0,
  ];
  return Float64Array.from({ length: labels.length }, (_, i) => (weights[i] ?? 0) * (factor[labels[i] === 1 ? 1 : 0] ?? 0));
}
