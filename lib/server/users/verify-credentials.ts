import 'server-only';
import bcrypt from 'bcryptjs';
import type { Database } from '@/db/client';
import { AppError } from '@/lib/shared/app-error';
import type { SessionUser } from '../context';
import { findUserByEmail } from './find-user-by-email';

// A real hash to compare against when the address is unknown, so response time does not reveal which accounts exist.
const unknownUserHash = '$2b$10$CwTycUXWue0Thq9StjUM0uJ8Q9V0s1wW9q9l3yZ7tq0b1R3uI6y2K';

/**
 * Returns the user when e-mail and password match, else null (never says which of the two was wrong). A disabled
 * account with the right password is refused with FORBIDDEN, saying so: its owner needs to know whom to ask.
 */
export async function verifyCredentials(db: Database, email: string, password: string): Promise<SessionUser | null> {
  const user = await findUserByEmail(db, email);
  const ok = await bcrypt.compare(password, user?.passwordHash ?? unknownUserHash);
  if (!user || !user.passwordHash || !ok) return null;
  if (user.disabledAt) throw new AppError('FORBIDDEN', 'This account has been disabled by an administrator; contact the platform\'s administrators to have it enabled.');
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}
