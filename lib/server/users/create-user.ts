import 'server-only';
import bcrypt from 'bcryptjs';
import { z } from 'zod';
import type { Database } from '@/db/client';
import { users, type UserRole } from '@/db/schema';
import { AppError } from '@/lib/shared/app-error';
import type { SessionUser } from '../context';

export const signUpInputSchema = z.object({
  email: z.email({ error: 'Enter a valid e-mail address.' }).max(254),
  name: z.string().trim().min(1, { error: 'Enter a display name.' }).max(80, { error: 'Display names are at most 80 characters.' }),
  password: z.string().min(8, { error: 'Passwords need at least 8 characters.' }).max(200),
});

export const bcryptRounds = 10;

/**
 * Creates an account. Sign-up always makes a participant; organiser and admin roles are given by seeding or an
 * admin (`role` is for those callers only).
 */
export async function createUser(db: Database, input: unknown, role: UserRole = 'participant'): Promise<SessionUser> {
  const parsed = signUpInputSchema.safeParse(input);
  if (!parsed.success) {
    throw new AppError('BAD_REQUEST', parsed.error.issues.map((i) => i.message).join(' '), {
      column: String(parsed.error.issues[0]?.path[0] ?? ''),
    });
  }
  const email = parsed.data.email.toLowerCase();
  const passwordHash = await bcrypt.hash(parsed.data.password, bcryptRounds);
  const inserted = await db
    .insert(users)
    .values({ email, name: parsed.data.name, passwordHash, role })
    .onConflictDoNothing({ target: users.email })
    .returning({ id: users.id, email: users.email, name: users.name, role: users.role });
  const user = inserted[0];
  if (!user) throw new AppError('CONFLICT', `An account for ${email} exists already; sign in instead.`, { column: 'email' });
  return user;
}
