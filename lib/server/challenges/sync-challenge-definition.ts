import 'server-only';
import { and, eq } from 'drizzle-orm';
import type { ChallengeDefinition } from '@/challenges/schema';
import type { Database } from '@/db/client';
import { challenges, datasetVersions, phases } from '@/db/schema';
import { AppError } from '@/lib/shared/app-error';

/**
 * Creates or updates a challenge and its phases from a validated definition. The dataset version it names must
 * be registered. Phases are matched by key, so dates and limits can change without losing submissions.
 */
export async function syncChallengeDefinition(db: Database, definition: ChallengeDefinition): Promise<{ id: string }> {
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
  return db.transaction(async (tx) => {
    const values = { slug: definition.slug, title: definition.title, revision: definition.revision, definition, datasetVersionId };
    const [row] = await tx
      .insert(challenges)
      .values(values)
      .onConflictDoUpdate({ target: challenges.slug, set: { ...values, updatedAt: new Date() } })
      .returning({ id: challenges.id });
    if (!row) throw new AppError('INTERNAL', `Challenge "${definition.slug}" could not be saved.`);
    for (const phase of definition.phases) {
      const phaseValues = {
        challengeId: row.id,
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
        .onConflictDoUpdate({ target: [phases.challengeId, phases.key], set: { ...phaseValues, updatedAt: new Date() } });
    }
    return { id: row.id };
  });
}
