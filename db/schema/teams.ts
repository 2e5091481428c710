import { index, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { id, timestamps } from './_columns';
import { challenges } from './challenges';
import { users } from './users';

/**
 * A team competes in one challenge (Kaggle's model): its members share the submission limits, the final
 * selection and one leaderboard row.
 */
export const teams = pgTable(
  'teams',
  {
    id: id(),
    challengeId: uuid('challenge_id')
      .notNull()
      .references(() => challenges.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** Random code that lets a signed-in participant join; rotated by the team owner. */
    inviteCode: text('invite_code').notNull(),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('teams_challenge_name_idx').on(t.challengeId, t.name),
    uniqueIndex('teams_invite_code_idx').on(t.inviteCode),
    index('teams_challenge_idx').on(t.challengeId),
  ],
);

export type Team = typeof teams.$inferSelect;
export type NewTeam = typeof teams.$inferInsert;
