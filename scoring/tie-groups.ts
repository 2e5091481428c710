
/** One leaderboard entry: its full-sample value and its values on the shared bootstrap replicas. */
export type TieGroupEntry = { key: string; value: number; replicaValues: Float64Array };

/** Where an entry stands, see {@link pairedTieGroups}. */
export type TieGroupRank = {
  key: string;
  /** 1-based position in the strict order (best first). */
  rank: number;
  /** 1-based tie group; entries of one group are statistically tied with the group's first entry. */
  group: number;
  /** [1 + entries significantly better, N − entries significantly worse]: the ranks the data allow. */
  rankInterval: [number, number];
};

/**
 * Ranks leaderboard entries with statistical ties, from a paired bootstrap (replica r of every entry must come
 * from the same resampling, as `bootstrapBinaryMetrics` guarantees).
 *
 * - Order: by value, best first ('maximize': descending, 'minimize': ascending); equal values by key, so the
 *   order is deterministic. `rank` = position (1-based).
 * - Pairwise relation: for entries A, B, d_r = o(A_r) − o(B_r) with o the oriented value (x for 'maximize', −x
 *   for 'minimize'); A is *significantly better* than B when the 2.5th percentile of d is > 0, worse when the
 *   97.5th is < 0, and *tied* when [P2.5, P97.5] contains 0 (percentiles: linear interpolation, see `percentile`;
 *   d_r = 0 when both values are equal, including equal infinities).
 * - Groups (leader rule): walking down the order, an entry joins the current group when it is tied with the
 *   group's first entry (its leader), and otherwise starts a new group. So every member is indistinguishable
 *   from its group's best, and group numbers increase down the board.
 * - Rank interval: [1 + #entries significantly better, N − #entries significantly worse].
 *
 * Cost O(N²·B) for N entries and B replicas (only the sign of each percentile is needed, see {@link percentileSign}).
 *
 * Edge cases: no entries → []; NaN values, replica arrays of different lengths or of length 0 → `RangeError`.
 *
 * @example
 * ```ts
 * pairedTieGroups([{ key: 'a', value: 0.9, replicaValues: ra }, { key: 'b', value: 0.89, replicaValues: rb }], 'maximize');
 * // → [{ key: 'a', rank: 1, group: 1, rankInterval: [1, 2] }, { key: 'b', rank: 2, group: 1, rankInterval: [1, 2] }]
 * ```
 */
export function pairedTieGroups(entries: readonly TieGroupEntry[], direction: 'maximize' | 'minimize'): TieGroupRank[] {
  const m = entries.length;
  if (m === 0) return [];
  const replicas = (entries[0] as TieGroupEntry).replicaValues.length;
  if (replicas === 0) throw new RangeError('Tie groups need at least one bootstrap replica per entry; found 0.');
  for (const entry of entries) {
    if (Number.isNaN(entry.value)) throw new RangeError(`Entry "${entry.key}" has value NaN; expected a number.`);
    if (entry.replicaValues.length !== replicas) {
      throw new RangeError(
        `Every entry needs the same replicas; expected ${replicas} replica values for "${entry.key}", found ${entry.replicaValues.length}.`,
      );
    }
    for (let r = 0; r < replicas; r++) {
      if (Number.isNaN(entry.replicaValues[r] as number)) {
        throw new RangeError(`Entry "${entry.key}" has a NaN value at replica ${r}.`);
      }
    }
  }
  const sign = direction === 'maximize' ? 1 : -1;
  const order = entries
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => compareOriented(sign * b.entry.value, sign * a.entry.value) || (a.entry.key < b.entry.key ? -1 : a.entry.key > b.entry.key ? 1 : 0))
    .map(({ entry }) => entry);

  // relation[i][j] for i < j (positions in `order`): 1 = i significantly better, -1 = significantly worse, 0 = tied.
  const relation = new Int8Array(m * m);
  const differences = new Float64Array(replicas);
  for (let i = 0; i < m; i++) {
    const a = (order[i] as TieGroupEntry).replicaValues;
    for (let j = i + 1; j < m; j++) {
      const b = (order[j] as TieGroupEntry).replicaValues;
      for (let r = 0; r < replicas; r++) {
        const x = a[r] as number;
        const y = b[r] as number;
        differences[r] = x === y ? 0 : sign * (x - y);
      }
      const outcome = percentileSign(differences, 2.5) > 0 ? 1 : percentileSign(differences, 97.5) < 0 ? -1 : 0;
      relation[i * m + j] = outcome;
      relation[j * m + i] = -outcome;
    }
  }

  const result: TieGroupRank[] = [];
  let group = 0;
  let leader = -1;
  for (let i = 0; i < m; i++) {
    if (leader < 0 || relation[leader * m + i] !== 0) {
      group++;
      leader = i;
    }
    let better = 0;
    let worse = 0;
    for (let j = 0; j < m; j++) {
      if (j === i) continue;
      const outcome = relation[j * m + i] as number;
      if (outcome === 1) better++;
      else if (outcome === -1) worse++;
    }
    result.push({ key: (order[i] as TieGroupEntry).key, rank: i + 1, group, rankInterval: [1 + better, m - worse] });
  }
  return result;
}

/** Orders oriented values descending-compatible: equal infinities compare equal. */
function compareOriented(a: number, b: number): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

/**
 * The sign (−1, 0, 1) of `percentile(sorted values, p)`, exactly, in one pass and without sorting. The percentile
 * interpolates between the order statistics x[k] and x[k+1] (see `percentile`); its sign is theirs when they
 * share one, and when they straddle zero they are the largest negative / smallest non-negative value (or zero),
 * which the pass records, so the same interpolation is evaluated on them.
 */
export function percentileSign(values: ArrayLike<number>, p: number): -1 | 0 | 1 {
  const m = values.length;
  let negatives = 0;
  let zeros = 0;
  let largestNegative = -Infinity;
  let smallestPositive = Infinity;
  for (let i = 0; i < m; i++) {
    const v = values[i] as number;
    if (v < 0) {
      negatives++;
      if (v > largestNegative) largestNegative = v;
    } else if (v === 0) zeros++;
    else if (v < smallestPositive) smallestPositive = v;
  }
  // Class of the i-th smallest value: −1 negative, 0 zero, 1 positive.
  const classOf = (i: number): -1 | 0 | 1 => (i < negatives ? -1 : i < negatives + zeros ? 0 : 1);
  const h = ((m - 1) * p) / 100;
  const below = Math.floor(h);
  const lowClass = classOf(below);
  if (h === below || below + 1 >= m) return lowClass;
  const highClass = classOf(below + 1);
  if (lowClass === highClass) return lowClass;
  // Straddling: x[below] is the last of its class and x[below + 1] the first of the next.
  const low = lowClass === -1 ? largestNegative : 0;
  const high = highClass === 1 ? smallestPositive : 0;
  // The interpolation of percentile(), step for step, so that the sign is the one it would give.
  if (!Number.isFinite(low) || !Number.isFinite(high)) return low === -Infinity ? -1 : 1;
  const value = low + (h - below) * (high - low);
  return value > 0 ? 1 : value < 0 ? -1 : 0;
}
