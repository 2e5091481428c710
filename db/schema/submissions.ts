import { bigint, index, integer, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './_columns';
import { challenges } from './challenges';
import { phases } from './phases';
import { users } from './users';

/** received → queued → scoring → scored | failed; every path ends in a terminal state with a reason. */
export const submissionStatuses = ['received', 'queued', 'scoring', 'scored', 'failed'] as const;
export const submissionStatus = pgEnum('submission_status', submissionStatuses);

/** How the predictions arrived; browser-baseline entries are marked on the leaderboard. */
export const submissionSources = ['upload', 'api', 'browser-baseline'] as const;
export const submissionSource = pgEnum('submission_source', submissionSources);

export const submissions = pgTable(
  'submissions',
  {
    id: id(),
    challengeId: uuid('challenge_id')
      .notNull()
      .references(() => challenges.id, { onDelete: 'cascade' }),
    phaseId: uuid('phase_id')
      .notNull()
      .references(() => phases.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    /** Name the participant gave the file; shown back to them, never used as a path. */
    fileName: text('file_name').notNull(),
    /** sha256 of the uploaded bytes: the key of the content-addressed blob store. */
    sha256: text('sha256').notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    rows: integer('rows').notNull(),
    status: submissionStatus('status').notNull().default('received'),
    source: submissionSource('source').notNull().default('upload'),
    /** Why scoring failed, in words the participant can act on. */
    error: text('error'),
    /** Challenge revision the submission was made against. */
    challengeRevision: integer('challenge_revision').notNull(),
    createdAt: createdAt(),
    queuedAt: timestamp('queued_at', { withTimezone: true, mode: 'date' }),
    scoringStartedAt: timestamp('scoring_started_at', { withTimezone: true, mode: 'date' }),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    index('submissions_phase_user_idx').on(t.phaseId, t.userId, t.createdAt),
    index('submissions_status_idx').on(t.status),
  ],
);

export type Submission = typeof submissions.$inferSelect;
export type NewSubmission = typeof submissions.$inferInsert;
export type SubmissionStatus = (typeof submissionStatuses)[number];
export type SubmissionSource = (typeof submissionSources)[number];
