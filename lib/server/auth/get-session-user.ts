import 'server-only';
import { getServerSession } from 'next-auth';
import { cache } from 'react';
import type { SessionUser } from '../context';
import { authOptions } from './auth-options';

/**
 * The signed-in user of the current request, or null. Once per request: the layout and the page of one render both ask,
 * and each answer costs a session-cookie decryption and a database lookup (React's request cache; outside a render,
 * every call asks afresh).
 */
export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  const session = await getServerSession(authOptions);
  const user = session?.user;
  if (!user?.id || !user.role || !user.email) return null;
  return { id: user.id, email: user.email, name: user.name ?? user.email, role: user.role };
});
