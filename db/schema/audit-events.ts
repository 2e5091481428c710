import { index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './_columns';
import { challenges } from './challenges';
import { users } from './users';

/** Append-only record of organiser and admin actions (create challenge, open/close phase, rescore, …). */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: id(),
    actorId: uuid('actor_id').references(() => users.id, { onDelete: 'set null' }),
    /** e.g. "challenge.create", "phase.close", "phase.rescore", "token.revoke". */
    action: text('action').notNull(),
    challengeId: uuid('challenge_id').references(() => challenges.id, { onDelete: 'set null' }),
    /** What the action touched, e.g. "phase:<id>". */
    target: text('target'),
    details: jsonb('details').notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index('audit_events_challenge_idx').on(t.challengeId, t.createdAt)],
);

export type AuditEvent = typeof auditEvents.$inferSelect;
