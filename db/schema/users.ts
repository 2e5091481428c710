import { pgEnum, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { id, timestamps } from './_columns';

export const userRoles = ['participant', 'organiser', 'admin'] as const;
export const userRole = pgEnum('user_role', userRoles);

export const users = pgTable(
  'users',
  {
    id: id(),
    /** Stored lower-cased; the unique index is what makes concurrent sign-ups with one address safe. */
    email: text('email').notNull(),
    name: text('name').notNull(),
    /** bcrypt hash; null for accounts that only sign in through OAuth. */
    passwordHash: text('password_hash'),
    role: userRole('role').notNull().default('participant'),
    /** Set by an admin: the account can neither sign in nor use its sessions or API tokens. */
    disabledAt: timestamp('disabled_at', { withTimezone: true, mode: 'date' }),
    ...timestamps,
  },
  (t) => [uniqueIndex('users_email_idx').on(t.email)],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type UserRole = (typeof userRoles)[number];
