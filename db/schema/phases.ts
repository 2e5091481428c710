import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { id, timestamps } from './_columns';
import { challenges } from './challenges';

export const phases = pgTable(
  'phases',
  {
    id: id(),
    challengeId: uuid('challenge_id')
      .notNull()
      .references(() => challenges.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    title: text('title').notNull(),
    opensAt: timestamp('opens_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** Null: open-ended. */
    closesAt: timestamp('closes_at', { withTimezone: true, mode: 'date' }),
    /** Submissions per user per UTC day; failed submissions do not count. */
    maxPerDay: integer('max_per_day').notNull(),
    maxTotal: integer('max_total'),
    ...timestamps,
  },
  (t) => [uniqueIndex('phases_challenge_key_idx').on(t.challengeId, t.key), index('phases_challenge_idx').on(t.challengeId)],
);

export type Phase = typeof phases.$inferSelect;
export type NewPhase = typeof phases.$inferInsert;
