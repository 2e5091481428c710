import 'server-only';
import type { ActionResult } from '@/lib/shared/action-result';
import { toAppError } from './to-error-response';

/** Runs a service for a server action and turns expected failures into a value the form can show. */
export async function toActionResult<T>(run: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await run() };
  } catch (error) {
    const appError = toAppError(error);
    return { ok: false, error: { code: appError.code, message: appError.message, details: appError.details } };
  }
}
