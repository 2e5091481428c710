import 'server-only';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { ChallengeDefinition } from '@/challenges/schema';
import { challenges } from '@/db/schema';
import { AppError } from '@/lib/shared/app-error';
import type { DatasetSwitchResultDto, RescoreResultDto } from '@/lib/shared/dto/organised-challenge-dto';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { ServiceContext } from '../context';
import { announceBoardChange } from '../leaderboards/announce-board-change';
import { checkChallengeDefinition } from './check-challenge-definition';
import { getOrganisedChallengeOrThrow } from './get-organised-challenge-or-throw';
import { lockChallengeRevision } from './lock-challenge-revision';
import { planDatasetSwitch } from './plan-dataset-switch';
import { rescorePhase } from './rescore-phase';

const inputSchema = z.object({
  slug: z.string().min(1),
  dataset: z.string().min(1).optional(),
  version: z.string().trim().min(1, { error: 'Choose the dataset version to attach.' }),
  /** The token of the plan the organiser was shown (planDatasetSwitch); a plan that is no longer current is refused. */
  planToken: z.string().optional(),
});

/**
 * Carries out the plan of planDatasetSwitch: switches the challenge to another version of its dataset, bumps the
 * revision (the scores mean something new) and hands every scored or failed entry of every phase back to the scoring
 * queue, to be rescored against the new truth (the old scores stay shown until the new ones are in). A version that
 * does not fit (another dataset, a missing task truth, variation or feature column, or other test ids once there are
 * entries) is refused with every reason, as INVALID_CHALLENGE whose issues name the aspect; nothing changes then.
 */
export async function attachDatasetVersion(ctx: ServiceContext, input: { slug: string; dataset?: string; version: string; planToken?: string }): Promise<DatasetSwitchResultDto> {
  const parsed = inputSchema.parse(input);
  const plan = await planDatasetSwitch(ctx, parsed);
  const target = `${plan.to.dataset} ${plan.to.version}`;
  if (plan.problems.length > 0) {
    throw new AppError('INVALID_CHALLENGE', `${target} does not fit "${parsed.slug}": ${plan.problems.map((p) => p.message).join('; ')}. Nothing was changed.`, {
      issues: plan.problems.map((p) => ({ path: `dataset (${p.aspect})`, message: p.message })),
    });
  }
  if (parsed.planToken !== undefined && parsed.planToken !== plan.planToken) {
    throw new AppError('CONFLICT', `The challenge or its entries changed since this plan was shown; check the switch to ${target} again before confirming it.`);
  }
  const { loaded, user } = await getOrganisedChallengeOrThrow(ctx, parsed.slug);
  const current = loaded.definition;
  const before = loaded.challenge.revision;
  const next: ChallengeDefinition = { ...current, dataset: { id: plan.to.dataset, version: plan.to.version }, revision: before + 1 };
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
      target: `dataset:${plan.to.dataset}@${plan.to.version}`,
      details: {
        from: `${current.dataset.id}@${current.dataset.version}`,
        to: `${plan.to.dataset}@${plan.to.version}`,
        revisionBefore: before,
        revision: definition.revision,
        rescored: plan.totalToRescore,
      },
      at: now,
    });
    await announceBoardChange(tx, parsed.slug);
  });
  const rescored: RescoreResultDto[] = [];
  for (const phase of plan.phases.filter((p) => p.toRescore > 0)) rescored.push(await rescorePhase(ctx, { slug: parsed.slug, phaseKey: phase.key }));
  return {
    slug: parsed.slug,
    title: definition.title,
    revision: definition.revision,
    isDraft: loaded.challenge.publishedAt === null,
    isRevisionBumped: true,
    from: `${current.dataset.id} ${current.dataset.version}`,
    to: target,
    rescored,
  };
}
