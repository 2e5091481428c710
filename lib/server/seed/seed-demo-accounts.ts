import 'server-only';
import type { Database } from '@/db/client';
import type { UserRole } from '@/db/schema';
import { createUser } from '../users/create-user';
import { findUserByEmail } from '../users/find-user-by-email';

/** Demo accounts seeded by `npm start`; the credentials are printed at start and shown in the README. */
export const demoAccounts = [
  { email: 'organiser@hep-arena.local', name: 'Demo Organiser', password: 'organiser-demo-2026', role: 'organiser' },
  { email: 'participant@hep-arena.local', name: 'Demo Participant', password: 'participant-demo-2026', role: 'participant' },
  { email: 'admin@hep-arena.local', name: 'Demo Admin', password: 'admin-demo-2026', role: 'admin' },
] as const satisfies ReadonlyArray<{ email: string; name: string; password: string; role: UserRole }>;

export type SeededDemoAccount = (typeof demoAccounts)[number] & { id: string };

/** Creates the demo accounts that are missing (idempotent) and returns them with their ids. */
export async function seedDemoAccounts(db: Database): Promise<SeededDemoAccount[]> {
  const seeded: SeededDemoAccount[] = [];
  for (const account of demoAccounts) {
    const user = (await findUserByEmail(db, account.email)) ?? (await createUser(db, account, account.role));
    seeded.push({ ...account, id: user.id });
  }
  return seeded;
}
