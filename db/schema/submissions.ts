import { bigint, boolean, index, integer, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './_columns';
import { challenges } from './challenges';
import { phases } from './phases';
import { teams } from './teams';
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
    /** The submitter's team in this challenge, if any: limits, final selection and the board row are per team. */
    teamId: uuid('team_id').references(() => teams.id, { onDelete: 'set null' }),
    /** Name the participant gave the file; shown back to them, never used as a path. */
    fileName: text('file_name').notNull(),
    /** The participant's short note on what this entry is (web, API or CLI), shown to them, their team and the organisers. */
    description: text('description'),
    /** sha256 of the uploaded bytes: the key of the content-addressed blob store. */
    sha256: text('sha256').notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    rows: integer('rows').notNull(),
    status: submissionStatus('status').notNull().default('received'),
    source: submissionSource('source').notNull().default('upload'),
    /** Why scoring failed, in words the participant can act on. */
    error: text('error'),
    /** Chosen for the private board (at most 2 per participant or team); none chosen → the best public entry. */
    isFinal: boolean('is_final').notNull().default(false),
    /** An organiser's reference entry: pinned and marked on the board, never ranked. */
    isBaseline: boolean('is_baseline').notNull().default(false),
    /** The scoring version whose score rows are current (older versions stay stored after a rescore). */
    scoredVersion: text('scored_version'),
    /** Challenge revision the submission was made against. */
    challengeRevision: integer('challenge_revision').notNull(),
    createdAt: createdAt(),
    queuedAt: timestamp('queued_at', { withTimezone: true, mode: 'date' }),
    scoringStartedAt: timestamp('scoring_started_at', { withTimezone: true, mode: 'date' }),
    /** Renewed every few seconds by the worker scoring it; a stale one means the worker died (see recover-stuck-submissions). */
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true, mode: 'date' }),
    /** Times scoring started; a submission whose worker died this often ends failed instead of being tried again. */
    scoringAttempts: integer('scoring_attempts').notNull().default(0),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    index('submissions_phase_user_idx').on(t.phaseId, t.userId, t.createdAt),
    index('submissions_status_idx').on(t.status),
    index('submissions_phase_team_idx').on(t.phaseId, t.teamId, t.createdAt),
    // The leaderboard cache asks for the newest finished score of a phase on every request: an index-only lookup.
    index('submissions_phase_status_finished_idx').on(t.phaseId, t.status, t.finishedAt),
    // A failed upload checks that no submission points at the stored file before deleting it.
    index('submissions_sha256_idx').on(t.sha256),
  ],
);

export type Submission = typeof submissions.$inferSelect;
export type NewSubmission = typeof submissions.$inferInsert;
export type SubmissionStatus = (typeof submissionStatuses)[number];
export type SubmissionSource = (typeof submissionSources)[number];
