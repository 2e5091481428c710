import 'server-only';
import { eq } from 'drizzle-orm';
import { challenges } from '@/db/schema';
import { AppError } from '@/lib/shared/app-error';
import type { ChallengeChangeDto } from '@/lib/shared/dto/organised-challenge-dto';
import { recordAuditEvent } from '../audit/record-audit-event';
import { syncChallengeDefinition } from '../challenges/sync-challenge-definition';
import type { ServiceContext } from '../context';
import { assertCanCreateChallenges } from './assert-can-create-challenges';
import { checkChallengeDefinition } from './check-challenge-definition';

/**
 * The one path by which organisers create challenges (uploaded JSON and the web form alike): validate the
 * definition, refuse a taken slug, and save it as a draft owned by the caller, with its audit event, in one
 * transaction.
 */
export async function createChallengeDraft(ctx: ServiceContext, definitionInput: unknown, via: 'definition' | 'form'): Promise<ChallengeChangeDto> {
  assertCanCreateChallenges(ctx);
  const { definition } = await checkChallengeDefinition(ctx.db, definitionInput, { user: ctx.user });
  const [taken] = await ctx.db.select({ id: challenges.id }).from(challenges).where(eq(challenges.slug, definition.slug)).limit(1);
  const slugTaken = () =>
    new AppError('CONFLICT', `A challenge with the slug "${definition.slug}" exists already; choose another slug.`, {
      column: 'slug',
      issues: [{ path: 'slug', message: `"${definition.slug}" is taken; choose another slug` }],
    });
  if (taken) throw slugTaken();
  const now = ctx.now();
  const user = ctx.user;
  try {
    await ctx.db.transaction(async (tx) => {
      // createOnly makes a concurrent creation of the same slug fail here instead of overwriting the other one.
      const { id } = await syncChallengeDefinition(tx, definition, { createdBy: user.id, publish: false, createOnly: true, now });
      await recordAuditEvent(tx, {
        actorId: user.id,
        action: 'challenge.create',
        challengeId: id,
        target: `challenge:${definition.slug}`,
        details: { via, revision: definition.revision, dataset: `${definition.dataset.id}@${definition.dataset.version}`, task: definition.task },
        at: now,
      });
    });
  } catch (error) {
    if (error instanceof AppError && error.code === 'CONFLICT') throw slugTaken();
    throw error;
  }
  return { slug: definition.slug, title: definition.title, revision: definition.revision, isDraft: true, isRevisionBumped: false };
}
