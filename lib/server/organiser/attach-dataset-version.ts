import 'server-only';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { ChallengeDefinition } from '@/challenges/schema';
import { challenges } from '@/db/schema';
import { AppError } from '@/lib/shared/app-error';
import type { ChallengeChangeDto } from '@/lib/shared/dto/organised-challenge-dto';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { ServiceContext } from '../context';
import { checkChallengeDefinition } from './check-challenge-definition';
import { getOrganisedChallengeOrThrow } from './get-organised-challenge-or-throw';
import { lockChallengeRevision } from './lock-challenge-revision';

const inputSchema = z.object({
  slug: z.string().min(1),
  /** Defaults to the challenge's current dataset: switching to another version of it is the usual case. */
  dataset: z.string().min(1).optional(),
  version: z.string().trim().min(1, { error: 'Choose the dataset version to attach.' }),
});

/**
 * Switches the challenge to another registered dataset version (which must carry the truth its task and
 * variations are scored against) and bumps the revision, because the scores mean something new. Existing scores
 * stay until the organiser rescores; entries whose ids the new test set lacks then fail with the reason.
 */
export async function attachDatasetVersion(ctx: ServiceContext, input: { slug: string; dataset?: string; version: string }): Promise<ChallengeChangeDto> {
  const parsed = inputSchema.parse(input);
  const { loaded, user } = await getOrganisedChallengeOrThrow(ctx, parsed.slug);
  const current = loaded.definition;
  const target = { id: parsed.dataset ?? current.dataset.id, version: parsed.version };
  if (target.id === current.dataset.id && target.version === current.dataset.version) {
    throw new AppError('CONFLICT', `"${current.title}" uses ${target.id} ${target.version} already.`);
  }
  const before = loaded.challenge.revision;
  const next: ChallengeDefinition = { ...current, dataset: target, revision: before + 1 };
  const { definition, datasetVersion } = await checkChallengeDefinition(ctx.db, next, { user, currentDataset: current.dataset });
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    await lockChallengeRevision(tx, loaded.challenge.id, loaded.challenge.revision, loaded.challenge.updatedAt);
    await tx
      .update(challenges)
      .set({ definition, revision: definition.revision, datasetVersionId: datasetVersion.id, updatedAt: now })
      .where(eq(challenges.id, loaded.challenge.id));
    await recordAuditEvent(tx, {
      actorId: user.id,
      action: 'challenge.attach-dataset',
      challengeId: loaded.challenge.id,
      target: `dataset:${target.id}@${target.version}`,
      details: { from: `${current.dataset.id}@${current.dataset.version}`, to: `${target.id}@${target.version}`, revisionBefore: before, revision: definition.revision },
      at: now,
    });
  });
  return { slug: parsed.slug, title: definition.title, revision: definition.revision, isDraft: loaded.challenge.publishedAt === null, isRevisionBumped: true };
}
