import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/client';
import { users } from '@/db/schema';
import { seedDemoAccounts } from '@/lib/server/seed/seed-demo-accounts';
import { createUser } from '@/lib/server/users/create-user';
import { verifyCredentials } from '@/lib/server/users/verify-credentials';
import { openTestDatabase } from '../support/test-database';

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await openTestDatabase();
});
afterAll(async () => {
  await handle?.close();
});

describe('accounts', () => {
  it('stores a bcrypt hash, never the password, and signs in only with the right password', async () => {
    const user = await createUser(handle.db, { email: 'Ada@Example.org', name: 'Ada', password: 'analytical-engine' });
    expect(user).toMatchObject({ email: 'ada@example.org', role: 'participant' });
    const [row] = await handle.db.select().from(users).where(eq(users.id, user.id));
    expect(row?.passwordHash).toMatch(/^\$2[aby]\$10\$/);
    expect(row?.passwordHash).not.toContain('analytical-engine');
    expect(await verifyCredentials(handle.db, 'ada@example.org', 'analytical-engine')).toMatchObject({ id: user.id });
    expect(await verifyCredentials(handle.db, 'ADA@example.org', 'analytical-engine')).toMatchObject({ id: user.id });
    expect(await verifyCredentials(handle.db, 'ada@example.org', 'wrong-password')).toBeNull();
    expect(await verifyCredentials(handle.db, 'nobody@example.org', 'analytical-engine')).toBeNull();
  });

  it('refuses a second account for the same address, whatever its case', async () => {
    await createUser(handle.db, { email: 'grace@example.org', name: 'Grace', password: 'compiler-2026' });
    await expect(createUser(handle.db, { email: 'GRACE@example.org', name: 'G', password: 'compiler-2026' })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('explains what is wrong with a sign-up form', async () => {
    await expect(createUser(handle.db, { email: 'not-an-address', name: 'X', password: 'long-enough' })).rejects.toThrow(/valid e-mail/);
    await expect(createUser(handle.db, { email: 'x@example.org', name: 'X', password: 'short' })).rejects.toThrow(/at least 8 characters/);
  });

  it('seeds one organiser, one participant and one admin demo account, idempotently', async () => {
    const accounts = await seedDemoAccounts(handle.db);
    await seedDemoAccounts(handle.db);
    for (const account of accounts) {
      expect(await verifyCredentials(handle.db, account.email, account.password)).toMatchObject({ role: account.role });
    }
    expect(accounts.map((a) => a.role).sort()).toEqual(['admin', 'organiser', 'participant']);
  });
});
