import 'server-only';
import { countDistinct, count, eq } from 'drizzle-orm';
import { submissions } from '@/db/schema';
import type { ChallengeDto } from '@/lib/shared/dto/challenge-dto';
import type { ServiceContext } from '../context';
import { getChallengeOrThrow } from './get-challenge-or-throw';
import { toMetricColumns } from './to-metric-columns';
import { toPhaseDto } from './to-phase-dto';

export async function getChallenge(ctx: ServiceContext, slug: string): Promise<ChallengeDto> {
  const { challenge, definition, phases, manifest } = await getChallengeOrThrow(ctx.db, slug);
  const now = ctx.now();
  const phaseDtos = phases.map((p) => toPhaseDto(p, now));
  const [stats] = await ctx.db
    .select({ participants: countDistinct(submissions.userId), total: count() })
    .from(submissions)
    .where(eq(submissions.challengeId, challenge.id));
  return {
    slug: definition.slug,
    title: definition.title,
    summary: definition.summary,
    task: definition.task,
    isToy: manifest.isToy,
    revision: definition.revision,
    openPhase: phaseDtos.find((p) => p.state === 'open') ?? null,
    participantCount: stats?.participants ?? 0,
    submissionCount: stats?.total ?? 0,
    pages: definition.pages,
    phases: phaseDtos,
    metrics: toMetricColumns(definition),
    publicFraction: definition.splits.publicFraction,
    scoring: definition.scoring,
    dataset: {
      id: manifest.dataset,
      version: manifest.version,
      title: manifest.title,
      licence: manifest.licence,
      citation: manifest.citation,
      featureColumns: manifest.featureColumns,
      missingValue: manifest.missingValue,
      expectedYields: manifest.expectedYields,
      downloads: manifest.files
        .filter((f) => !f.serverOnly && !f.role.startsWith('truth'))
        .map((f) => ({ name: f.name, role: f.role === 'train' || f.role === 'test' ? f.role : 'export', format: f.format, sizeBytes: f.sizeBytes, rows: f.rows, sha256: f.sha256 })),
    },
  };
}
