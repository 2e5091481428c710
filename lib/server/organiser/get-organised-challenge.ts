import 'server-only';
import { count, eq, sql } from 'drizzle-orm';
import { users, submissions } from '@/db/schema';
import type { OrganisedChallengeDto } from '@/lib/shared/dto/organised-challenge-dto';
import { getMetric } from '@/scoring/registry';
import { toPhaseDto } from '../challenges/to-phase-dto';
import type { ServiceContext } from '../context';
import { getOrganisedChallengeOrThrow } from './get-organised-challenge-or-throw';
import { currentScoringVersion } from '../scoring/scoring-version';

/**
 * What the organiser page of a challenge shows: state (draft or published), revision and scoring version, dataset,
 * metrics, and per phase its dates, limits and how many entries are scored under an older version (a rescore
 * brings them up to date), failed or still pending. Organisers and admins only.
 */
export async function getOrganisedChallenge(ctx: ServiceContext, slug: string): Promise<OrganisedChallengeDto> {
  const { loaded } = await getOrganisedChallengeOrThrow(ctx, slug);
  const { challenge, definition, manifest } = loaded;
  const scoringVersion = currentScoringVersion(challenge.revision);
  const perPhase = await ctx.db
    .select({
      phaseId: submissions.phaseId,
      total: count(),
      stale: sql<number>`count(*) filter (where ${submissions.status} = 'scored' and ${submissions.scoredVersion} is distinct from ${scoringVersion})`.mapWith(Number),
      failed: sql<number>`count(*) filter (where ${submissions.status} = 'failed')`.mapWith(Number),
      pending: sql<number>`count(*) filter (where ${submissions.status} in ('received', 'queued', 'scoring'))`.mapWith(Number),
    })
    .from(submissions)
    .where(eq(submissions.challengeId, challenge.id))
    .groupBy(submissions.phaseId);
  const [owner] = challenge.createdBy ? await ctx.db.select({ name: users.name }).from(users).where(eq(users.id, challenge.createdBy)).limit(1) : [];
  const now = ctx.now();
  const phases = loaded.phases.map((p) => {
    const stat = perPhase.find((s) => s.phaseId === p.id);
    return { ...toPhaseDto(p, now), submissionCount: stat?.total ?? 0, staleScoredCount: stat?.stale ?? 0, failedCount: stat?.failed ?? 0, pendingCount: stat?.pending ?? 0 };
  });
  return {
    slug: challenge.slug,
    title: definition.title,
    summary: definition.summary,
    task: definition.task,
    revision: challenge.revision,
    isDraft: challenge.publishedAt === null,
    publishedAt: challenge.publishedAt?.toISOString() ?? null,
    ownerName: owner?.name ?? null,
    scoringVersion,
    dataset: { id: manifest.dataset, version: manifest.version, title: manifest.title, isToy: manifest.isToy },
    metrics: definition.metrics.map((m) => ({ id: m.id, label: getMetric(m.id).label, primary: m.primary })),
    phases,
    submissionCount: phases.reduce((sum, p) => sum + p.submissionCount, 0),
    definitionJson: JSON.stringify(definition, null, 2),
    updatedAt: challenge.updatedAt.toISOString(),
  };
}
