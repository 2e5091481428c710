import { notFound } from 'next/navigation';
import type { ServiceContext } from '@/lib/server/context';
import { getRequestContext } from '@/lib/server/request-context';
import { isAppError } from '@/lib/shared/app-error';

export type OrganiserPageResult<T> = { ok: true; data: T; ctx: ServiceContext } | { ok: false; code: 'UNAUTHENTICATED' | 'FORBIDDEN'; message: string };

/**
 * Runs an organiser page's services: an unknown challenge (or someone else's draft) is a 404, and a visitor who
 * may not organise gets a message to show instead of a crash.
 */
export async function loadOrganiserPage<T>(load: (ctx: ServiceContext) => Promise<T>): Promise<OrganiserPageResult<T>> {
  const ctx = await getRequestContext();
  try {
    return { ok: true, data: await load(ctx), ctx };
  } catch (error) {
    if (isAppError(error)) {
      if (error.code === 'NOT_FOUND') notFound();
      if (error.code === 'UNAUTHENTICATED' || error.code === 'FORBIDDEN') return { ok: false, code: error.code, message: error.message };
    }
    throw error;
  }
}
