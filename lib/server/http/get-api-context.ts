import 'server-only';
import { env } from '@/lib/env';
import { AppError } from '@/lib/shared/app-error';
import { authenticateApiToken } from '../api-tokens/authenticate-api-token';
import { getSessionUser } from '../auth/get-session-user';
import { platformNow } from '../clock';
import type { ServiceContext } from '../context';
import { getDatabase } from '../database';
import { getScoringQueue } from '../jobs/get-scoring-queue';

/** How the caller proved who they are: `source` of an API submission depends on it. */
export type ApiAuthMethod = 'token' | 'session' | 'anonymous';

export type ApiContext = ServiceContext & { authMethod: ApiAuthMethod };

const stateChangingMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The context of an API request. `Authorization: Bearer <token>` identifies the user by API token; a bad token is
 * refused outright (never retried as a cookie session). Without the header the next-auth session cookie is used,
 * so the browser can call the same endpoints; a state-changing request on a cookie session must then come from this
 * site (Origin, else Referer, naming the request's host), which is what stops cross-site request forgery.
 */
export async function getApiContext(request: Request): Promise<ApiContext> {
  const { db } = await getDatabase();
  const base = { db, dataDir: env.DATA_DIR, now: platformNow, queue: getScoringQueue() };
  const authorization = request.headers.get('authorization');
  if (authorization !== null) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match?.[1]) {
      throw new AppError('UNAUTHENTICATED', 'The Authorization header must read "Bearer <token>" with an API token from Settings → API tokens.');
    }
    const user = await authenticateApiToken(db, match[1], platformNow());
    if (!user) throw new AppError('UNAUTHENTICATED', 'The API token is invalid or has been revoked; create a new one under Settings → API tokens.');
    return { ...base, user, authMethod: 'token' };
  }
  // No session cookie, no session: skip next-auth (which also needs a Next request scope) for anonymous callers.
  const user = hasSessionCookie(request) ? await getSessionUser() : null;
  if (!user) return { ...base, user: null, authMethod: 'anonymous' };
  if (stateChangingMethods.has(request.method.toUpperCase()) && !isSameSite(request)) {
    throw new AppError('FORBIDDEN', 'cross-site request refused: a signed-in browser request that changes data must come from this site (Origin or Referer header). Scripts should use an API token.');
  }
  return { ...base, user, authMethod: 'session' };
}

function hasSessionCookie(request: Request): boolean {
  return /(?:^|;\s*)(?:__Secure-)?next-auth\.session-token(?:\.\d+)?=/.test(request.headers.get('cookie') ?? '');
}

function isSameSite(request: Request): boolean {
  const source = request.headers.get('origin') ?? request.headers.get('referer');
  if (!source || source === 'null') return false;
  let sourceHost: string;
  try {
    sourceHost = new URL(source).host.toLowerCase();
  } catch {
    return false;
  }
  // Behind a proxy Host may be the internal name; X-Forwarded-Host is a custom header a cross-site page cannot send.
  const hosts = [request.headers.get('x-forwarded-host'), request.headers.get('host'), safeHost(request.url)];
  return hosts.some((host) => host !== null && host.split(',')[0]?.trim().toLowerCase() === sourceHost);
}

function safeHost(url: string): string | null {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}
