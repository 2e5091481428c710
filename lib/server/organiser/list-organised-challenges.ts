import 'server-only';
import { and, asc, count, eq, inArray } from 'drizzle-orm';
import { challengeDefinitionSchema } from '@/challenges/schema';
import { challenges, phases, submissions } from '@/db/schema';
import type { OrganisedChallengeSummaryDto } from '@/lib/shared/dto/organised-challenge-dto';
import { toPhaseDto } from '../challenges/to-phase-dto';
import type { ServiceContext } from '../context';
import { assertCanCreateChallenges } from './assert-can-create-challenges';

/** The challenges the caller organises, drafts first (an admin: every challenge). Organisers and admins only. */
export async function listOrganisedChallenges(ctx: ServiceContext): Promise<OrganisedChallengeSummaryDto[]> {
  assertCanCreateChallenges(ctx);
  const rows = await ctx.db
    .select()
    .from(challenges)
    .where(ctx.user.role === 'admin' ? undefined : eq(challenges.createdBy, ctx.user.id))
    .orderBy(asc(challenges.title));
  if (rows.length === 0) return [];
  const ids = rows.map((c) => c.id);
  const phaseRows = await ctx.db.select().from(phases).where(inArray(phases.challengeId, ids));
  const counts = await ctx.db
    .select({ challengeId: submissions.challengeId, n: count() })
    .from(submissions)
    .where(and(inArray(submissions.challengeId, ids), eq(submissions.isBaseline, false)))
    .groupBy(submissions.challengeId);
  const now = ctx.now();
  return rows
    .map((c) => {
      const definition = challengeDefinitionSchema.parse(c.definition);
      const open = phaseRows.filter((p) => p.challengeId === c.id).map((p) => toPhaseDto(p, now)).find((p) => p.state === 'open');
      return {
        slug: c.slug,
        title: c.title,
        task: definition.task,
        revision: c.revision,
        isDraft: c.publishedAt === null,
        publishedAt: c.publishedAt?.toISOString() ?? null,
        dataset: { id: definition.dataset.id, version: definition.dataset.version },
        openPhase: open ?? null,
        submissionCount: counts.find((n) => n.challengeId === c.id)?.n ?? 0,
      };
    })
    .sort((a, b) => Number(b.isDraft) - Number(a.isDraft));
}
