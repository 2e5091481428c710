import type { AppErrorCode, AppErrorDetails } from './app-error';

export type ActionResult<T = undefined> =
  | { ok: true; data: T }
  | { ok: false; error: { code: AppErrorCode; message: string; details: AppErrorDetails } };
