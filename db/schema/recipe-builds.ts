import { index, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './_columns';
import { datasetVersions } from './dataset-versions';
import { users } from './users';

/** planning → running → merging → done | failed; every path ends in a terminal state with a reason. */
export const recipeBuildStatuses = ['planning', 'running', 'merging', 'done', 'failed'] as const;
export const recipeBuildStatus = pgEnum('recipe_build_status', recipeBuildStatuses);

/** A queued dataset build from a recipe: one job plans it, one job per input file builds a part, a final job merges. */
export const recipeBuilds = pgTable(
  'recipe_builds',
  {
    id: id(),
    /** The recipe's name (a built-in recipe, or the module a command line gave). */
    recipe: text('recipe').notNull(),
    /** How workers load the recipe and what the build changes in it (inputs folder, sample files, version, batch size). */
    request: jsonb('request').notNull(),
    dataset: text('dataset').notNull(),
    version: text('version').notNull(),
    title: text('title').notNull(),
    status: recipeBuildStatus('status').notNull().default('planning'),
    /** Why the build failed, naming the file (and entry) where it did. */
    error: text('error'),
    /** Who started it from the organiser page: the version is registered as theirs. Null: the operator (command line). */
    ownerId: uuid('owner_id').references(() => users.id, { onDelete: 'set null' }),
    /** The build's folder relative to DATA_DIR (request, plan, parts). */
    buildDir: text('build_dir').notNull(),
    filesTotal: integer('files_total').notNull().default(0),
    datasetVersionId: uuid('dataset_version_id').references(() => datasetVersions.id, { onDelete: 'set null' }),
    /** Plan and merge steps: the claim of the job running it, its heartbeat and how often it started. */
    stepClaim: uuid('step_claim'),
    stepHeartbeatAt: timestamp('step_heartbeat_at', { withTimezone: true, mode: 'date' }),
    stepAttempts: integer('step_attempts').notNull().default(0),
    stepQueuedAt: timestamp('step_queued_at', { withTimezone: true, mode: 'date' }),
    createdAt: createdAt(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('recipe_builds_status_idx').on(t.status), index('recipe_builds_owner_idx').on(t.ownerId, t.createdAt)],
);

export type RecipeBuild = typeof recipeBuilds.$inferSelect;
export type NewRecipeBuild = typeof recipeBuilds.$inferInsert;
export type RecipeBuildStatus = (typeof recipeBuildStatuses)[number];
