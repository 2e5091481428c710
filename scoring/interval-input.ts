import { ScoringError } from './errors';

/**
 * Aligned per-pseudo-experiment arrays of a signal-strength (μ) interval task: element i of each array describes
 * pseudo-experiment (PE) i. All values finite.
 */
export type IntervalScoringInput = {
  /** True μ of each PE (hidden from participants). */
  muTrue: Float64Array;
  /** Submitted point estimate μ̂. */
  muHat: Float64Array;
  /** Submitted uncertainty Δμ̂ on μ̂. */
  deltaMuHat: Float64Array;
  /** Submitted 16th percentile of μ. */
  p16: Float64Array;
  /** Submitted 84th percentile of μ. */
  p84: Float64Array;
  /** Set of each PE (FAIR-Universe: one set per true μ); omitted = one set. Finite numbers. */
  setIds?: ArrayLike<number>;
};

/** The PEs grouped by set: distinct set ids ascending, and the set index (0-based) of each PE. */
export type IntervalSets = {
  /** Distinct set ids, ascending. */
  ids: Float64Array;
  /** setOf[i] = index into `ids` of PE i. */
  setOf: Uint32Array;
  /** Number of PEs per set. */
  sizes: Float64Array;
};

const COLUMNS = ['muTrue', 'muHat', 'deltaMuHat', 'p16', 'p84'] as const;
/**
 * Largest accepted |value|: squares of squares of differences stay finite, so no metric overflows to NaN. Uploads are
 * checked against the same bound (lib/shared/formats/column-spec.ts), so a file the scorer would refuse is refused
 * when it arrives.
 */
export const MAX_INTERVAL_MAGNITUDE = 1e50;

/**
 * Checks an interval input: arrays of equal length (`LENGTH_MISMATCH`), at least one PE (`EMPTY`), every value
 * finite (`NON_FINITE`) and at most 1e50 in magnitude (`OUT_OF_RANGE`), each naming the array and the first
 * offending row; then groups the PEs by set.
 *
 * @throws {ScoringError} with one of the codes above.
 * @example
 * ```ts
 * validateIntervalInput(input); // → { ids: [0, 1], setOf: [0, 0, 1, …], sizes: [100, 100] }
 * ```
 */
export function validateIntervalInput(input: IntervalScoringInput): IntervalSets {
  const n = input.muTrue.length;
  for (const name of COLUMNS) {
    const column = input[name];
    if (column.length !== n) {
      throw new ScoringError('LENGTH_MISMATCH', `Every interval array must have one value per pseudo-experiment; expected ${n} values in ${name}, found ${column.length}.`);
    }
  }
  if (input.setIds !== undefined && input.setIds.length !== n) {
    throw new ScoringError('LENGTH_MISMATCH', `Set ids must have one value per pseudo-experiment; expected ${n}, found ${input.setIds.length}.`);
  }
  if (n === 0) {
    throw new ScoringError('EMPTY', 'Cannot score an empty interval input; expected at least one pseudo-experiment, found 0.');
  }
  for (const name of COLUMNS) {
    const column = input[name];
    for (let i = 0; i < n; i++) {
      const value = column[i] as number;
      if (!Number.isFinite(value)) {
        throw new ScoringError('NON_FINITE', `Values of ${name} must be finite numbers; found ${value} at row ${i}.`, i);
      }
      if (Math.abs(value) > MAX_INTERVAL_MAGNITUDE) {
        throw new ScoringError('OUT_OF_RANGE', `Values of ${name} must be at most 1e50 in magnitude (squares must not overflow); found ${value} at row ${i}.`, i);
      }
    }
  }
  return groupSets(input.setIds, n);
}

function groupSets(setIds: ArrayLike<number> | undefined, n: number): IntervalSets {
  const setOf = new Uint32Array(n);
  if (setIds === undefined) return { ids: Float64Array.of(0), setOf, sizes: Float64Array.of(n) };
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(setIds[i] as number)) {
      throw new ScoringError('NON_FINITE', `Set ids must be finite numbers; found ${setIds[i]} at row ${i}.`, i);
    }
  }
  const ids = Float64Array.from(new Set(Array.from(setIds, (v) => v + 0))).sort();
  const indexOf = new Map<number, number>();
  ids.forEach((id, k) => indexOf.set(id, k));
  const sizes = new Float64Array(ids.length);
  for (let i = 0; i < n; i++) {
    const k = indexOf.get((setIds[i] as number) + 0) as number;
    setOf[i] = k;
    sizes[k] = (sizes[k] as number) + 1;
  }
  return { ids, setOf, sizes };
}
