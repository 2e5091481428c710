import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './_columns';
import { users } from './users';

/**
 * One row per signed-in browser. The session cookie (a signed JWT) carries only this row's id; every request looks
 * the row and its user up, so signing out, "sign out everywhere", a role change and a disabled account all take
 * effect at the next request.
 */
export const userSessions = pgTable(
  'user_sessions',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The browser, as it named itself at sign-in (shown in account settings). */
    userAgent: text('user_agent'),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('user_sessions_user_idx').on(t.userId)],
);

export type UserSession = typeof userSessions.$inferSelect;
