import { AppError } from '@/lib/shared/app-error';

/** Runs `run` and returns the AppError it throws; fails the test when it throws nothing or something else. */
export function appErrorOf(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError, nothing was thrown');
}
