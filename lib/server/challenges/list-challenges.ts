import 'server-only';
import { and, asc, count, countDistinct, eq, inArray, isNotNull, or, type SQL } from 'drizzle-orm';
import { challengeDefinitionSchema } from '@/challenges/schema';
import { challenges, datasetVersions, phases, submissions } from '@/db/schema';
import type { ChallengeListItemDto } from '@/lib/shared/dto/challenge-view-dto';
import type { ServiceContext } from '../context';
import { canOrganise } from './can-organise';
import { toPhaseDto } from './to-phase-dto';

/** Which challenges the viewer may see: every published one, plus the drafts they organise (admins: all drafts). */
function visibleTo(user: ServiceContext['user']): SQL | undefined {
  if (user?.role === 'admin') return undefined;
  if (user?.role === 'organiser') return or(isNotNull(challenges.publishedAt), eq(challenges.createdBy, user.id));
  return isNotNull(challenges.publishedAt);
}

/** Published challenges for everyone, and the viewer's own drafts (marked), by title. */
export async function listChallenges(ctx: ServiceContext): Promise<ChallengeListItemDto[]> {
  const rows = await ctx.db
    .select({ challenge: challenges, isToy: datasetVersions.isToy })
    .from(challenges)
    .innerJoin(datasetVersions, eq(datasetVersions.id, challenges.datasetVersionId))
    .where(visibleTo(ctx.user))
    .orderBy(asc(challenges.title));
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.challenge.id);
  const phaseRows = await ctx.db.select().from(phases).where(inArray(phases.challengeId, ids));
  const stats = await ctx.db
    .select({ challengeId: submissions.challengeId, participants: countDistinct(submissions.userId), total: count() })
    .from(submissions)
    .where(and(inArray(submissions.challengeId, ids), eq(submissions.isBaseline, false)))
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
      isDraft: challenge.publishedAt === null,
      canOrganise: canOrganise(ctx.user, challenge),
    };
  });
}
