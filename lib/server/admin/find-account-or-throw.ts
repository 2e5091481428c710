import 'server-only';
import type { Database } from '@/db/client';
import type { User } from '@/db/schema';
import { AppError } from '@/lib/shared/app-error';
import { findUserByEmail } from '../users/find-user-by-email';

/** The account with this e-mail address, or NOT_FOUND naming the address. */
export async function findAccountOrThrow(db: Database, email: string): Promise<User> {
  const user = await findUserByEmail(db, email.trim());
  if (!user) throw new AppError('NOT_FOUND', `There is no account with the e-mail address ${email.trim()}.`, { found: email });
  return user;
}
