/**
 * Why a metric could not be computed. Every code comes with a full-sentence message naming the expected and
 * the found value, so a metric never has to return NaN.
 */
export type ScoringErrorCode =
  | 'LENGTH_MISMATCH'
  | 'NON_FINITE'
  | 'SINGLE_CLASS'
  | 'ZERO_WEIGHT'
  | 'NEGATIVE_WEIGHT'
  | 'INVALID_LABEL'
  | 'EMPTY'
  /** A score outside the range a metric needs (log loss: [0, 1]). */
  | 'OUT_OF_RANGE'
  /** An id (event, hit, particle or track) that is not a non-negative integer, or repeated where it must be unique. */
  | 'INVALID_ID'
  /** A metric parameter (threshold, uncertainty, class column, bootstrap option, …) is not usable. */
  | 'INVALID_PARAMETER';

/**
 * The error thrown by the scoring library when its input cannot be scored.
 *
 * `row` is the 0-based index, in the input arrays, of the first offending element when there is one
 * (callers that know the file line translate it).
 *
 * @example
 * ```ts
 * throw new ScoringError('NON_FINITE', 'Scores must be finite numbers; found NaN at row 3.', 3);
 * ```
 */
export class ScoringError extends Error {
  readonly code: ScoringErrorCode;
  readonly row?: number;

  constructor(code: ScoringErrorCode, message: string, row?: number) {
    super(message);
    this.name = 'ScoringError';
    this.code = code;
    if (row !== undefined) this.row = row;
  }
}

/** Whether `error` was thrown by the scoring library. */
export function isScoringError(error: unknown): error is ScoringError {
  return error instanceof ScoringError;
}
