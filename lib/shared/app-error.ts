/**
 * The one error type for failures a user can act on. `message` is a full sentence that says what was
 * wrong and where (file, row, column, expected vs found); `details` carries the same facts for machines.
 */
export type AppErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'INVALID_SUBMISSION'
  | 'INVALID_DATASET'
  | 'INVALID_CHALLENGE'
  | 'PHASE_CLOSED'
  | 'LIMIT_REACHED'
  | 'RATE_LIMITED'
  | 'PAYLOAD_TOO_LARGE'
  | 'SCORING_FAILED'
  /** A dependency (the database) could not be reached for a moment; the same request may succeed when retried. */
  | 'UNAVAILABLE'
  | 'INTERNAL';

export const httpStatusByCode = {
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_SUBMISSION: 422,
  INVALID_DATASET: 422,
  INVALID_CHALLENGE: 422,
  PHASE_CLOSED: 409,
  LIMIT_REACHED: 429,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
  SCORING_FAILED: 500,
  UNAVAILABLE: 503,
  INTERNAL: 500,
} as const satisfies Record<AppErrorCode, number>;

export type AppErrorDetails = {
  file?: string;
  row?: number;
  column?: string;
  expected?: string;
  found?: string;
  [key: string]: unknown;
};

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly details: AppErrorDetails;

  constructor(code: AppErrorCode, message: string, details: AppErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
