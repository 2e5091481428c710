import 'server-only';
import { eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { users, type User } from '@/db/schema';

export async function findUserByEmail(db: Database, email: string): Promise<User | null> {
  const rows = await db.select().from(users).where(eq(users.email, email.toLowerCase())).limit(1);
  return rows[0] ?? null;
}
