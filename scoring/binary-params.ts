import { ScoringError } from './errors';
import { DEFAULT_BINARY_PARAMS, type BinaryMetricParams } from './types';

/** {@link BinaryMetricParams} with defaults filled in and every value checked. */
export type ResolvedBinaryParams = {
  threshold: number;
  backgroundRelativeUncertainty: number;
  bReg: number;
  /** The submitted class column, or undefined to select score ≥ threshold. */
  classes: Uint8Array | undefined;
};

/**
 * Fills in the defaults of {@link BinaryMetricParams} and checks the values for an input of `n` events.
 *
 * @throws {ScoringError} `INVALID_PARAMETER` for a non-finite threshold, a negative or non-finite r or bReg, or a
 *   class column of another length or with a value other than 0 and 1 (naming its row).
 * @example
 * ```ts
 * resolveBinaryParams({ threshold: 0.7 }, 100); // → { threshold: 0.7, backgroundRelativeUncertainty: 0, bReg: 10, classes: undefined }
 * ```
 */
export function resolveBinaryParams(params: BinaryMetricParams | undefined, n: number): ResolvedBinaryParams {
  const threshold = params?.threshold ?? DEFAULT_BINARY_PARAMS.threshold;
  const backgroundRelativeUncertainty =
    params?.backgroundRelativeUncertainty ?? DEFAULT_BINARY_PARAMS.backgroundRelativeUncertainty;
  const bReg = params?.bReg ?? DEFAULT_BINARY_PARAMS.bReg;
  if (!Number.isFinite(threshold)) {
    throw new ScoringError('INVALID_PARAMETER', `The selection threshold must be a finite number; found ${threshold}.`);
  }
  if (!(Number.isFinite(backgroundRelativeUncertainty) && backgroundRelativeUncertainty >= 0)) {
    throw new ScoringError(
      'INVALID_PARAMETER',
      `The background relative uncertainty r must be a finite number ≥ 0; found ${backgroundRelativeUncertainty}.`,
    );
  }
  if (!(Number.isFinite(bReg) && bReg >= 0)) {
    throw new ScoringError('INVALID_PARAMETER', `The AMS regularisation bReg must be a finite number ≥ 0; found ${bReg}.`);
  }
  const classes = params?.classes;
  if (classes !== undefined) {
    if (classes.length !== n) {
      throw new ScoringError(
        'INVALID_PARAMETER',
        `The class column must have one value per event; expected ${n} classes, found ${classes.length}.`,
      );
    }
    for (let i = 0; i < n; i++) {
      const value = classes[i] as number;
      if (value > 1) {
        throw new ScoringError('INVALID_PARAMETER', `Classes must be 0 or 1; found ${value} at row ${i}.`, i);
      }
    }
  }
  return { threshold, backgroundRelativeUncertainty, bReg, classes };
}
