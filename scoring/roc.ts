import type { BinaryScoringInput } from './types';
import { validateBinaryInput } from './validate-binary-input';

/**
 * The weighted ROC of a binary input, one point per distinct score, scores descending.
 *
 * Point k is the selection {score ≥ thresholds[k]}: `truePositiveWeight[k]` = Σw[label = 1, score ≥ t],
 * `falsePositiveWeight[k]` = Σw[label = 0, score ≥ t]. The implicit starting point (0, 0) (empty selection)
 * is not stored. The last point selects every event, so its cumulative weights are the class totals.
 */
export type RocCurve = {
  /** Distinct scores, strictly descending. */
  thresholds: Float64Array;
  /** Cumulative signal weight selected at each threshold (non-decreasing). */
  truePositiveWeight: Float64Array;
  /** Cumulative background weight selected at each threshold (non-decreasing). */
  falsePositiveWeight: Float64Array;
  /** Σw over label 1; equals the last element of `truePositiveWeight`. */
  totalSignalWeight: number;
  /** Σw over label 0; equals the last element of `falsePositiveWeight`. */
  totalBackgroundWeight: number;
};

/**
 * Builds the weighted ROC of a binary input after validating it: one sort by descending score, tie groups
 * kept together (a tie group is one threshold, never split).
 *
 * Convention (= scikit-learn's `_binary_clf_curve`, used by `roc_curve` and `roc_auc_score`): rows with
 * weight 0 do not create thresholds of their own, so a tie group made only of zero-weight rows adds no point.
 * This changes no area and no AMS, and keeps the point list identical to scikit-learn's full curve.
 *
 * Sorting is an LSD radix sort on the IEEE-754 bit patterns from 4096 rows on (O(n), about 0.1 s per million rows);
 * -0 and +0 are one tie group.
 *
 * @throws {ScoringError} when the input is invalid (see `validateBinaryInput`).
 * @example
 * ```ts
 * computeRoc({ labels: Uint8Array.of(1, 0, 1), scores: Float64Array.of(0.9, 0.5, 0.5) });
 * // → thresholds [0.9, 0.5], truePositiveWeight [1, 2], falsePositiveWeight [0, 1]
 * ```
 */
export function computeRoc(input: BinaryScoringInput): RocCurve {
  validateBinaryInput(input);
  return computeRocOfValidInput(input);
}

/**
 * {@link computeRoc} without validation, for callers that already ran `validateBinaryInput` on this input
 * (the registry validates once and shares one ROC between metrics). On invalid input the result is undefined.
 */
export function computeRocOfValidInput(input: BinaryScoringInput): RocCurve {
  const { order, sortedScores } = sortRowsByDescendingScore(input.scores, input.labels);
  return buildRocFromSortedRows(sortedScores, order, gatherSortedWeights(order, input.weights), undefined);
}

/** Bit 31 of a packed row of {@link sortRowsByDescendingScore}: the row's label. */
export const LABEL_BIT = 0x80000000;
/** Bits 0–30 of a packed row: the row index. */
export const ROW_MASK = 0x7fffffff;

/**
 * The weights in sorted order: out[j] = weights[order[j] & ROW_MASK], or all 1 without weights. A pure gather
 * loop, kept apart from the ROC pass because independent loads overlap far better than loads interleaved with
 * the accumulation.
 */
export function gatherSortedWeights(packedOrder: Uint32Array, weights: Float64Array | undefined): Float64Array {
  const n = packedOrder.length;
  if (weights === undefined) return new Float64Array(n).fill(1);
  const sortedWeights = new Float64Array(n);
  for (let j = 0; j < n; j++) sortedWeights[j] = weights[(packedOrder[j] as number) & ROW_MASK] as number;
  return sortedWeights;
}

/**
 * Reusable arrays for {@link buildRocFromSortedRows} (each at least n long); `sortedCounts` is scratch space for
 * replicas.
 */
export type RocBuffers = {
  thresholds: Float64Array;
  truePositiveWeight: Float64Array;
  falsePositiveWeight: Float64Array;
  sortedCounts?: Uint16Array;
};

/**
 * The ROC from rows already sorted by descending score (see {@link sortRowsByDescendingScore}): one linear pass.
 *
 * Cumulative weights are summed in the sorted order, which inside a tie group is descending row index — the
 * order of scikit-learn's `np.cumsum` after `argsort(kind="mergesort")[::-1]` — so the cumulative sums, and with
 * them which points `drop_intermediate` keeps, are bit-identical to scikit-learn's.
 *
 * `sortedWeights`: the weights in sorted order (see {@link gatherSortedWeights}). `counts` (optional): a
 * multiplicity per row (bootstrap replica); row i then weighs its weight times counts[i]. `buffers` (optional):
 * output arrays to reuse; the returned curve then views them (valid until the next reuse).
 */
export function buildRocFromSortedRows(
  sortedScores: Float64Array,
  packedOrder: Uint32Array,
  sortedWeights: Float64Array,
  counts: Uint16Array | undefined,
  buffers?: RocBuffers,
): RocCurve {
  const n = packedOrder.length;
  const out = buffers ?? {
    thresholds: new Float64Array(n),
    truePositiveWeight: new Float64Array(n),
    falsePositiveWeight: new Float64Array(n),
  };
  const { points, tp, fp } =
    counts === undefined
      ? accumulateRoc(sortedScores, packedOrder, sortedWeights, out)
      : accumulateReplicaRoc(sortedScores, packedOrder, sortedWeights, counts, out);
  // Views when the curve fills most of the arrays (no copy of up to 3 × 8n bytes), copies otherwise.
  const keep = buffers !== undefined || points > n / 2;
  const cut = (array: Float64Array) => (keep ? array.subarray(0, points) : array.slice(0, points));
  return {
    thresholds: cut(out.thresholds),
    truePositiveWeight: cut(out.truePositiveWeight),
    falsePositiveWeight: cut(out.falsePositiveWeight),
    totalSignalWeight: tp,
    totalBackgroundWeight: fp,
  };
}

/**
 * For a bootstrap replica of rows already in sorted order: effective[j] = sortedWeights[j]·sortedCounts[j]
 * (written to `effective`) and the ROC of those weights, in one sequential pass. The curve views `buffers`.
 */
export function buildCountedRocOfSortedRows(
  sortedScores: Float64Array,
  packedOrder: Uint32Array,
  sortedWeights: Float64Array,
  sortedCounts: Uint16Array,
  effective: Float64Array,
  buffers: RocBuffers,
): RocCurve {
  const { thresholds, truePositiveWeight, falsePositiveWeight } = buffers;
  const n = packedOrder.length;
  let points = 0;
  let tp = 0;
  let fp = 0;
  let groupHasWeight = 0;
  for (let j = 0; j < n; j++) {
    const isSignal = (packedOrder[j] as number) >>> 31;
    const weight = (sortedWeights[j] as number) * (sortedCounts[j] as number);
    effective[j] = weight;
    tp += weight * isSignal;
    fp += weight * (1 - isSignal);
    groupHasWeight |= +(weight !== 0);
    const score = sortedScores[j] as number;
    if (j === n - 1 || sortedScores[j + 1] !== score) {
      thresholds[points] = score;
      truePositiveWeight[points] = tp;
      falsePositiveWeight[points] = fp;
      points += groupHasWeight;
      groupHasWeight = 0;
    }
  }
  return {
    thresholds: thresholds.subarray(0, points),
    truePositiveWeight: truePositiveWeight.subarray(0, points),
    falsePositiveWeight: falsePositiveWeight.subarray(0, points),
    totalSignalWeight: tp,
    totalBackgroundWeight: fp,
  };
}

// The two loops below are branch-free except for the tie-group boundary: labels and zero weights are
// unpredictable, and adding w·0 = +0 leaves a sum bit-identical. A group whose rows all weigh 0 adds no point
// (scikit-learn drops zero-weight rows): its slot is written and then reused by the next group.

function accumulateRoc(
  sortedScores: Float64Array,
  packedOrder: Uint32Array,
  sortedWeights: Float64Array,
  out: RocBuffers,
): { points: number; tp: number; fp: number } {
  const { thresholds, truePositiveWeight, falsePositiveWeight } = out;
  const n = packedOrder.length;
  let points = 0;
  let tp = 0;
  let fp = 0;
  let groupHasWeight = 0;
  for (let j = 0; j < n; j++) {
    const isSignal = (packedOrder[j] as number) >>> 31;
    const weight = sortedWeights[j] as number;
    tp += weight * isSignal;
    fp += weight * (1 - isSignal);
    groupHasWeight |= +(weight !== 0);
    const score = sortedScores[j] as number;
    if (j === n - 1 || sortedScores[j + 1] !== score) {
      thresholds[points] = score;
      truePositiveWeight[points] = tp;
      falsePositiveWeight[points] = fp;
      points += groupHasWeight;
      groupHasWeight = 0;
    }
  }
  return { points, tp, fp };
}

function accumulateReplicaRoc(
  sortedScores: Float64Array,
  packedOrder: Uint32Array,
  sortedWeights: Float64Array,
  counts: Uint16Array,
  out: RocBuffers & { sortedCounts?: Uint16Array },
): { points: number; tp: number; fp: number } {
  const { thresholds, truePositiveWeight, falsePositiveWeight } = out;
  const n = packedOrder.length;
  // The counts in sorted order first: a pure gather overlaps its loads, the accumulation then runs sequentially.
  const sortedCounts = out.sortedCounts !== undefined && out.sortedCounts.length >= n ? out.sortedCounts : new Uint16Array(n);
  for (let j = 0; j < n; j++) sortedCounts[j] = counts[(packedOrder[j] as number) & ROW_MASK] as number;
  let points = 0;
  let tp = 0;
  let fp = 0;
  let groupHasWeight = 0;
  for (let j = 0; j < n; j++) {
    const isSignal = (packedOrder[j] as number) >>> 31;
    const weight = (sortedWeights[j] as number) * (sortedCounts[j] as number);
    tp += weight * isSignal;
    fp += weight * (1 - isSignal);
    groupHasWeight |= +(weight !== 0);
    const score = sortedScores[j] as number;
    if (j === n - 1 || sortedScores[j + 1] !== score) {
      thresholds[points] = score;
      truePositiveWeight[points] = tp;
      falsePositiveWeight[points] = fp;
      points += groupHasWeight;
      groupHasWeight = 0;
    }
  }
  return { points, tp, fp };
}

const RADIX_SORT_MIN_LENGTH = 4096;
const DIGITS = 65536;
const IS_LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
const LOW_WORD = IS_LITTLE_ENDIAN ? 0 : 1;
const HIGH_WORD = IS_LITTLE_ENDIAN ? 1 : 0;

/** Row indices by descending score, and the scores in that order. */
export type DescendingScoreOrder = {
  /** order[j] = row of the j-th highest score; inside a tie group rows come in descending row index. */
  order: Uint32Array;
  /** sortedScores[j] = scores[order[j]], with -0 written as +0. */
  sortedScores: Float64Array;
};

/**
 * Sorts row indices by descending score (scores must be finite); inside a tie group rows come in descending row
 * index (scikit-learn's order, see {@link buildRocFromSortedRows}). Large inputs use an LSD radix sort on the
 * IEEE-754 bit patterns that carries the keys along, so the sorted scores come out without a gather.
 */
export function sortByDescendingScore(scores: Float64Array): DescendingScoreOrder {
  return sortRowsByDescendingScore(scores, undefined);
}

/**
 * {@link sortByDescendingScore}, with each row's label packed into bit 31 of `order` when `labels` is given
 * (row = order[j] & ROW_MASK, signal ⇔ order[j] ≥ LABEL_BIT), so that later passes need not gather the labels.
 *
 * @throws {RangeError} for 2^31 rows or more (the packed row index has 31 bits).
 */
export function sortRowsByDescendingScore(scores: Float64Array, labels: Uint8Array | undefined): DescendingScoreOrder {
  const n = scores.length;
  if (n > ROW_MASK) throw new RangeError(`Cannot sort ${n} rows; at most ${ROW_MASK} rows are supported.`);
  if (n < RADIX_SORT_MIN_LENGTH) {
    const rows = new Uint32Array(n);
    for (let i = 0; i < n; i++) rows[i] = i;
    rows.sort((a, b) => (scores[b] as number) - (scores[a] as number) || b - a);
    const sortedScores = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const row = rows[j] as number;
      sortedScores[j] = (scores[row] as number) + 0;
      if (labels !== undefined && labels[row] === 1) rows[j] = (row | LABEL_BIT) >>> 0;
    }
    return { order: rows, sortedScores };
  }

  // Each double becomes a 64-bit unsigned key (two 32-bit words) whose ascending order is descending score:
  // for x ≥ 0 flip every bit but the sign, for x < 0 keep the bits. Adding 0 turns -0 into +0. Rows enter in
  // reverse (position p holds row n − 1 − p), so the stable sort leaves tie groups in descending row order.
  const sortedScores = new Float64Array(n);
  let keyLow = new Uint32Array(n);
  let keyHigh = new Uint32Array(n);
  let order = new Uint32Array(n);
  for (let p = 0; p < n; p++) {
    const row = n - 1 - p;
    sortedScores[p] = (scores[row] as number) + 0;
    order[p] = labels !== undefined && labels[row] === 1 ? (row | LABEL_BIT) >>> 0 : row;
  }
  const words = new Uint32Array(sortedScores.buffer);
  const counts = new Uint32Array(4 * DIGITS);
  for (let i = 0; i < n; i++) {
    let high = words[2 * i + HIGH_WORD] as number;
    let low = words[2 * i + LOW_WORD] as number;
    if (high < 0x80000000) {
      high = (high ^ 0x7fffffff) >>> 0;
      low = ~low >>> 0;
    }
    keyLow[i] = low;
    keyHigh[i] = high;
    increment(counts, low & 0xffff);
    increment(counts, DIGITS + (low >>> 16));
    increment(counts, 2 * DIGITS + (high & 0xffff));
    increment(counts, 3 * DIGITS + (high >>> 16));
  }

  let nextLow = new Uint32Array(n);
  let nextHigh = new Uint32Array(n);
  let nextOrder = new Uint32Array(n);
  for (let pass = 0; pass < 4; pass++) {
    const base = pass * DIGITS;
    // A pass where every key has the same digit would only copy; skipping it is common for the high words.
    let isConstantDigit = false;
    let start = 0;
    for (let d = 0; d < DIGITS; d++) {
      const count = counts[base + d] as number;
      if (count === n) {
        isConstantDigit = true;
        break;
      }
      counts[base + d] = start;
      start += count;
    }
    if (isConstantDigit) continue;
    const key = pass < 2 ? keyLow : keyHigh;
    const shift = pass % 2 === 0 ? 0 : 16;
    for (let j = 0; j < n; j++) {
      const slot = base + (((key[j] as number) >>> shift) & 0xffff);
      const position = counts[slot] as number;
      counts[slot] = position + 1;
      nextLow[position] = keyLow[j] as number;
      nextHigh[position] = keyHigh[j] as number;
      nextOrder[position] = order[j] as number;
    }
    [keyLow, nextLow] = [nextLow, keyLow];
    [keyHigh, nextHigh] = [nextHigh, keyHigh];
    [order, nextOrder] = [nextOrder, order];
  }

  // The key transform is its own inverse, so the sorted keys decode to the sorted scores.
  for (let j = 0; j < n; j++) {
    let high = keyHigh[j] as number;
    let low = keyLow[j] as number;
    if (high < 0x80000000) {
      high = (high ^ 0x7fffffff) >>> 0;
      low = ~low >>> 0;
    }
    words[2 * j + HIGH_WORD] = high;
    words[2 * j + LOW_WORD] = low;
  }
  return { order, sortedScores };
}

function increment(counts: Uint32Array, slot: number): void {
  counts[slot] = (counts[slot] as number) + 1;
}
