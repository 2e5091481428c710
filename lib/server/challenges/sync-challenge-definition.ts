import 'server-only';
import { and, eq, inArray } from 'drizzle-orm';
import type { ChallengeDefinition } from '@/challenges/schema';
import type { Database } from '@/db/client';
import { auditEvents, challenges, datasetVersions, phases } from '@/db/schema';
import { AppError } from '@/lib/shared/app-error';
import { definitionEditActions } from '../audit/definition-edit-actions';

export type SyncChallengeOptions = {
  /** Owner of a newly created challenge; an existing challenge keeps its owner (or takes this one if it has none). */
  createdBy?: string | null;
  /**
   * Publish at once. Defaults to true (built-ins and test factories); false creates a draft that only its organisers
   * and admins see. An existing challenge is never unpublished by a sync.
   */
  publish?: boolean;
  /** Refuse with CONFLICT when the slug is taken, instead of updating that challenge (organisers creating one). */
  createOnly?: boolean;
  /**
   * Built-ins at server start: when organisers changed the challenge in the web UI (an edit in its audit log) and the
   * file's revision is not higher than the stored one, keep their version and take only title, summary and pages
   * from the file.
   */
  keepOrganiserEdits?: boolean;
  now?: Date;
};

export type SyncChallengeResult = { id: string; outcome: 'created' | 'updated' | 'kept-organiser-edits'; revision: number };

/**
 * Creates or updates a challenge and its phases from a validated definition. The dataset version it names must
 * be registered. Phases are matched by key, so dates and limits can change without losing submissions. Pass a
 * transaction as `db` to make the sync part of a larger change (it then runs in a savepoint).
 */
export async function syncChallengeDefinition(db: Database, definition: ChallengeDefinition, options: SyncChallengeOptions = {}): Promise<SyncChallengeResult> {
  const dataset = await db
    .select({ id: datasetVersions.id })
    .from(datasetVersions)
    .where(and(eq(datasetVersions.dataset, definition.dataset.id), eq(datasetVersions.version, definition.dataset.version)))
    .limit(1);
  const datasetVersionId = dataset[0]?.id;
  if (!datasetVersionId) {
    throw new AppError(
      'INVALID_CHALLENGE',
      `Challenge "${definition.slug}" needs dataset ${definition.dataset.id} version ${definition.dataset.version}, which is not registered.`,
    );
  }
  const now = options.now ?? new Date();
  const publish = options.publish ?? true;
  return db.transaction(async (tx) => {
    const [existing] = await tx.select().from(challenges).where(eq(challenges.slug, definition.slug)).limit(1);
    const taken = () => new AppError('CONFLICT', `A challenge with the slug "${definition.slug}" exists already; choose another slug.`, { column: 'slug' });
    if (existing && options.createOnly) throw taken();

    if (existing && options.keepOrganiserEdits && definition.revision <= existing.revision) {
      const edits = await tx
        .select({ id: auditEvents.id })
        .from(auditEvents)
        .where(and(eq(auditEvents.challengeId, existing.id), inArray(auditEvents.action, [...definitionEditActions])))
        .limit(1);
      if (edits.length > 0) {
        const stored = existing.definition as ChallengeDefinition;
        const merged = { ...stored, title: definition.title, summary: definition.summary, pages: definition.pages };
        await tx
          .update(challenges)
          .set({ title: definition.title, definition: merged, updatedAt: now, createdBy: existing.createdBy ?? options.createdBy ?? null, publishedAt: existing.publishedAt ?? (publish ? now : null) })
          .where(eq(challenges.id, existing.id));
        return { id: existing.id, outcome: 'kept-organiser-edits' as const, revision: existing.revision };
      }
    }

    const values = { slug: definition.slug, title: definition.title, revision: definition.revision, definition, datasetVersionId };
    let id: string;
    if (existing) {
      await tx
        .update(challenges)
        .set({ ...values, createdBy: existing.createdBy ?? options.createdBy ?? null, publishedAt: existing.publishedAt ?? (publish ? now : null), updatedAt: now })
        .where(eq(challenges.id, existing.id));
      id = existing.id;
    } else {
      const [row] = await tx
        .insert(challenges)
        .values({ ...values, createdBy: options.createdBy ?? null, publishedAt: publish ? now : null, createdAt: now, updatedAt: now })
        .onConflictDoNothing({ target: challenges.slug })
        .returning({ id: challenges.id });
      if (!row) throw taken();
      id = row.id;
    }
    for (const phase of definition.phases) {
      const phaseValues = {
        challengeId: id,
        key: phase.key,
        title: phase.title,
        opensAt: new Date(phase.opensAt),
        closesAt: phase.closesAt ? new Date(phase.closesAt) : null,
        maxPerDay: phase.maxPerDay,
        maxTotal: phase.maxTotal,
      };
      await tx
        .insert(phases)
        .values(phaseValues)
        .onConflictDoUpdate({ target: [phases.challengeId, phases.key], set: { ...phaseValues, updatedAt: now } });
    }
    return { id, outcome: existing ? ('updated' as const) : ('created' as const), revision: definition.revision };
  });
}
