import { bigint, index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { recipeBuilds } from './recipe-builds';

/** queued → running → done | failed; a part whose worker died goes back to queued (see recover-stuck-builds). */
export const recipeBuildPartStatuses = ['queued', 'running', 'done', 'failed'] as const;
export const recipeBuildPartStatus = pgEnum('recipe_build_part_status', recipeBuildPartStatuses);

/** One input file of a queued build, processed by one job on any worker. */
export const recipeBuildParts = pgTable(
  'recipe_build_parts',
  {
    buildId: uuid('build_id')
      .notNull()
      .references(() => recipeBuilds.id, { onDelete: 'cascade' }),
    partIndex: integer('part_index').notNull(),
    sample: text('sample').notNull(),
    /** The alternative-sample variation the file belongs to, or null for the nominal samples. */
    variation: text('variation'),
    /** The file's name as shown (its path or URL is in the build's plan). */
    file: text('file').notNull(),
    status: recipeBuildPartStatus('status').notNull().default('queued'),
    entriesDone: bigint('entries_done', { mode: 'number' }).notNull().default(0),
    entriesTotal: bigint('entries_total', { mode: 'number' }),
    selectedEvents: bigint('selected_events', { mode: 'number' }),
    /** The job holding the part (a retried job with an older claim leaves it alone) and the worker it runs on. */
    claim: uuid('claim'),
    worker: text('worker'),
    attempts: integer('attempts').notNull().default(0),
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true, mode: 'date' }),
    queuedAt: timestamp('queued_at', { withTimezone: true, mode: 'date' }),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
    error: text('error'),
  },
  (t) => [primaryKey({ columns: [t.buildId, t.partIndex] }), index('recipe_build_parts_status_idx').on(t.status)],
);

export type RecipeBuildPart = typeof recipeBuildParts.$inferSelect;
export type RecipeBuildPartStatus = (typeof recipeBuildPartStatuses)[number];
