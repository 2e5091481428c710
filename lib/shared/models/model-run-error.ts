/**
 * Why a model run failed, in the four classes a participant sees beside a failed model submission (and the
 * `predict` CLI prints): the run took longer than the phase allows, needed more memory than it allows, produced
 * outputs that are not probabilities (the first offending row is named), or the runtime itself reported an error.
 */
export const modelFailureKinds = ['TIMEOUT', 'OUT_OF_MEMORY', 'BAD_OUTPUT', 'RUNTIME_ERROR'] as const;
export type ModelFailureKind = (typeof modelFailureKinds)[number];

export type ModelRunErrorDetails = {
  /** The test set being predicted ("nominal" or a variation name), or the features file of the predict CLI. */
  table?: string;
  /** 1-based row of that table with the first offending output (BAD_OUTPUT). */
  row?: number;
  /** The event id of that row, when known. */
  id?: number;
  expected?: string;
  found?: string;
};

export class ModelRunError extends Error {
  readonly kind: ModelFailureKind;
  readonly details: ModelRunErrorDetails;

  constructor(kind: ModelFailureKind, message: string, details: ModelRunErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ModelRunError';
    this.kind = kind;
    this.details = details;
  }
}

export function isModelRunError(error: unknown): error is ModelRunError {
  return error instanceof ModelRunError;
}

/** The reason stored on a failed submission and printed by the CLI: `<KIND>: <message>`. */
export function describeModelRunError(error: ModelRunError): string {
  return `${error.kind}: ${error.message}`;
}
