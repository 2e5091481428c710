import { pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './_columns';
import { challenges } from './challenges';
import { teams } from './teams';
import { users } from './users';

/** Membership; a participant belongs to at most one team per challenge (the unique index makes joins race-free). */
export const teamMembers = pgTable(
  'team_members',
  {
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    /** Denormalised from the team so that "one team per challenge" is a unique index. */
    challengeId: uuid('challenge_id')
      .notNull()
      .references(() => challenges.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** "owner" (created the team; may rotate the invite code) or "member". */
    role: text('role').notNull().default('member'),
    joinedAt: createdAt(),
  },
  (t) => [uniqueIndex('team_members_challenge_user_idx').on(t.challengeId, t.userId), uniqueIndex('team_members_team_user_idx').on(t.teamId, t.userId)],
);

export type TeamMember = typeof teamMembers.$inferSelect;
