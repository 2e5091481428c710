import { describe, expect, it } from 'vitest';
import { computeRoc, sortByDescendingScore } from './roc';

/** Deterministic generator for test data (mulberry32); tests must not depend on unseeded randomness. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function awkwardScores(n: number, seed: number): Float64Array {
  const random = seededRandom(seed);
  const specials = [0, -0, 1e-310, -1e-310, 1e300, -1e300, 0.5, -0.5, Number.MAX_VALUE, -Number.MAX_VALUE];
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = random();
    if (r < 0.2) scores[i] = specials[Math.floor(random() * specials.length)] as number;
    else if (r < 0.5) scores[i] = Math.round(random() * 50) - 25;
    else scores[i] = (random() - 0.5) * 10 ** Math.floor(random() * 20 - 10);
  }
  return scores;
}

describe('sortByDescendingScore', () => {
  it.each([10, 5000, 70_000])('orders %i scores (radix sort above 4096) as a permutation with non-increasing scores', (n) => {
    const scores = awkwardScores(n, n);
    const { order, sortedScores } = sortByDescendingScore(scores);
    expect(order.length).toBe(n);
    const seen = new Uint8Array(n);
    for (let j = 0; j < n; j++) seen[order[j] as number] = 1;
    expect(seen.every((v) => v === 1)).toBe(true);
    let firstIncrease = -1;
    let firstMisaligned = -1;
    for (let j = 0; j < n; j++) {
      if (j > 0 && firstIncrease < 0 && (sortedScores[j] as number) > (sortedScores[j - 1] as number)) firstIncrease = j;
      if (firstMisaligned < 0 && sortedScores[j] !== scores[order[j] as number]) firstMisaligned = j;
    }
    expect(firstIncrease).toBe(-1);
    expect(firstMisaligned).toBe(-1);
  });

  it('agrees with a comparator sort on the sequence of scores for a large input', () => {
    const scores = awkwardScores(20_000, 7);
    const expected = Array.from(scores, (x) => x + 0).sort((a, b) => b - a);
    expect(Array.from(sortByDescendingScore(scores).sortedScores)).toEqual(expected);
  });

  it('writes -0 as +0 in the sorted scores', () => {
    const scores = new Float64Array(5000).fill(-0);
    expect(Object.is(sortByDescendingScore(scores).sortedScores[0], 0)).toBe(true);
    expect(Object.is(sortByDescendingScore(Float64Array.of(-0, 1)).sortedScores[1], 0)).toBe(true);
  });
});

describe('computeRoc', () => {
  it('makes one point per distinct score with cumulative weights, keeping tie groups together', () => {
    const roc = computeRoc({
      labels: Uint8Array.of(1, 0, 1, 0, 1),
      scores: Float64Array.of(0.9, 0.5, 0.5, 0.1, 0.9),
      weights: Float64Array.of(1, 2, 3, 4, 5),
    });
    expect(Array.from(roc.thresholds)).toEqual([0.9, 0.5, 0.1]);
    expect(Array.from(roc.truePositiveWeight)).toEqual([6, 9, 9]);
    expect(Array.from(roc.falsePositiveWeight)).toEqual([0, 2, 6]);
    expect(roc.totalSignalWeight).toBe(9);
    expect(roc.totalBackgroundWeight).toBe(6);
  });

  it('adds no threshold for a tie group made only of zero-weight rows, like scikit-learn', () => {
    const roc = computeRoc({
      labels: Uint8Array.of(1, 0, 1, 0),
      scores: Float64Array.of(0.9, 0.7, 0.5, 0.1),
      weights: Float64Array.of(1, 0, 1, 1),
    });
    expect(Array.from(roc.thresholds)).toEqual([0.9, 0.5, 0.1]);
  });

  it('treats -0 and +0 as one tie group', () => {
    const roc = computeRoc({ labels: Uint8Array.of(1, 0), scores: Float64Array.of(-0, 0) });
    expect(roc.thresholds.length).toBe(1);
    expect(Object.is(roc.thresholds[0], 0)).toBe(true);
  });
});
