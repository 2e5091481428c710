import 'server-only';
import { ZodError } from 'zod';
import { isDatabaseUnavailableError } from '@/db/client';
import { AppError, httpStatusByCode, isAppError } from '@/lib/shared/app-error';

/** Maps any error to a JSON response; unexpected errors are logged with their cause and never shown raw. */
export function toErrorResponse(error: unknown): Response {
  const appError = toAppError(error);
  return Response.json(
    { error: { code: appError.code, message: appError.message, details: appError.details } },
    { status: httpStatusByCode[appError.code] },
  );
}

export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    return new AppError('BAD_REQUEST', `${issue?.path.join('.') || 'input'}: ${issue?.message ?? 'invalid'}`);
  }
  const reference = crypto.randomUUID();
  if (isDatabaseUnavailableError(error)) {
    console.error(`[hep-arena] database unavailable ${reference}`, error);
    return new AppError('UNAVAILABLE', `The database cannot be reached at the moment (reference ${reference}). Please try again in a minute.`);
  }
  console.error(`[hep-arena] unexpected error ${reference}`, error);
  return new AppError('INTERNAL', `Something went wrong on our side (reference ${reference}). Please try again.`);
}
