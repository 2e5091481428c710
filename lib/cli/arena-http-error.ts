/** A request the server refused (with its message) or that never reached it; exit code 2. */
export class ArenaHttpError extends Error {
  readonly status: number | null;
  readonly code: string | null;

  constructor(message: string, status: number | null, code: string | null, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ArenaHttpError';
    this.status = status;
    this.code = code;
  }
}
