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
  const { labels, scores, weights } = input;
  const n = labels.length;
  const { order, sortedScores } = sortByDescendingScore(scores);

  const thresholds = new Float64Array(n);
  const truePositiveWeight = new Float64Array(n);
  const falsePositiveWeight = new Float64Array(n);
  let points = 0;
  let tp = 0;
  let fp = 0;
  let groupHasWeight = false;
  for (let j = 0; j < n; j++) {
    const i = order[j] as number;
    const weight = weights === undefined ? 1 : (weights[i] as number);
    if (labels[i] === 1) tp += weight;
    else fp += weight;
    if (weight !== 0) groupHasWeight = true;
    const score = sortedScores[j] as number;
    if (j === n - 1 || sortedScores[j + 1] !== score) {
      if (groupHasWeight) {
        thresholds[points] = score;
        truePositiveWeight[points] = tp;
        falsePositiveWeight[points] = fp;
        points++;
      }
      groupHasWeight = false;
    }
  }
  return {
    thresholds: thresholds.slice(0, points),
    truePositiveWeight: truePositiveWeight.slice(0, points),
    falsePositiveWeight: falsePositiveWeight.slice(0, points),
    totalSignalWeight: tp,
    totalBackgroundWeight: fp,
  };
}

const RADIX_SORT_MIN_LENGTH = 4096;
const DIGITS = 65536;
const IS_LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
const LOW_WORD = IS_LITTLE_ENDIAN ? 0 : 1;
const HIGH_WORD = IS_LITTLE_ENDIAN ? 1 : 0;

/** Row indices by descending score, and the scores in that order. */
export type DescendingScoreOrder = {
  /** order[j] = row of the j-th highest score; the order inside a tie group is unspecified. */
  order: Uint32Array;
  /** sortedScores[j] = scores[order[j]], with -0 written as +0. */
  sortedScores: Float64Array;
};

/**
 * Sorts row indices by descending score (scores must be finite). Tie groups are only ever consumed whole, so
 * the order inside one is unspecified. Large inputs use an LSD radix sort on the IEEE-754 bit patterns that
 * carries the keys along, so the sorted scores come out without a gather.
 */
export function sortByDescendingScore(scores: Float64Array): DescendingScoreOrder {
  const n = scores.length;
  if (n < RADIX_SORT_MIN_LENGTH) {
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => (scores[b] as number) - (scores[a] as number));
    const sortedScores = new Float64Array(n);
    for (let j = 0; j < n; j++) sortedScores[j] = (scores[order[j] as number] as number) + 0;
    return { order, sortedScores };
  }

  // Each double becomes a 64-bit unsigned key (two 32-bit words) whose ascending order is descending score:
  // for x ≥ 0 flip every bit but the sign, for x < 0 keep the bits. Adding 0 turns -0 into +0.
  const sortedScores = new Float64Array(n);
  for (let i = 0; i < n; i++) sortedScores[i] = (scores[i] as number) + 0;
  const words = new Uint32Array(sortedScores.buffer);
  let keyLow = new Uint32Array(n);
  let keyHigh = new Uint32Array(n);
  let order = new Uint32Array(n);
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
    order[i] = i;
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
