import 'server-only';
import { getServerSession } from 'next-auth';
import type { SessionUser } from '../context';
import { authOptions } from './auth-options';

export async function getSessionUser(): Promise<SessionUser | null> {
  const session = await getServerSession(authOptions);
  const user = session?.user;
  if (!user?.id || !user.role || !user.email) return null;
  return { id: user.id, email: user.email, name: user.name ?? user.email, role: user.role };
}
