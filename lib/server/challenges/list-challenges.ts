import 'server-only';
import { asc, countDistinct, count, eq } from 'drizzle-orm';
import { challengeDefinitionSchema } from '@/challenges/schema';
import { challenges, datasetVersions, phases, submissions } from '@/db/schema';
import type { ChallengeSummaryDto } from '@/lib/shared/dto/challenge-dto';
import type { ServiceContext } from '../context';
import { toPhaseDto } from './to-phase-dto';

export async function listChallenges(ctx: ServiceContext): Promise<ChallengeSummaryDto[]> {
  const rows = await ctx.db
    .select({ challenge: challenges, isToy: datasetVersions.isToy })
    .from(challenges)
    .innerJoin(datasetVersions, eq(datasetVersions.id, challenges.datasetVersionId))
    .orderBy(asc(challenges.title));
  const phaseRows = await ctx.db.select().from(phases);
  const stats = await ctx.db
    .select({ challengeId: submissions.challengeId, participants: countDistinct(submissions.userId), total: count() })
    .from(submissions)
    .groupBy(submissions.challengeId);
  const now = ctx.now();
  return rows.map(({ challenge, isToy }) => {
    const definition = challengeDefinitionSchema.parse(challenge.definition);
    const open = phaseRows
      .filter((p) => p.challengeId === challenge.id)
      .map((p) => toPhaseDto(p, now))
      .find((p) => p.state === 'open');
    const stat = stats.find((s) => s.challengeId === challenge.id);
    return {
      slug: challenge.slug,
      title: challenge.title,
      summary: definition.summary,
      task: definition.task,
      isToy,
      openPhase: open ?? null,
      participantCount: stat?.participants ?? 0,
      submissionCount: stat?.total ?? 0,
    };
  });
}
