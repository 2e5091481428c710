import 'server-only';
import { AppError } from '@/lib/shared/app-error';
import type { ChallengeViewDto } from '@/lib/shared/dto/challenge-view-dto';
import type { ServiceContext } from '../context';
import { canOrganise } from './can-organise';
import { getChallengeStats } from './get-challenge-stats';
import { getChallengeOrThrow } from './get-challenge-or-throw';
import { toMetricColumns } from './to-metric-columns';
import { toPhaseDto } from './to-phase-dto';

/** A challenge as its pages show it. A draft is NOT_FOUND for anyone but its organisers and admins. */
export async function getChallenge(ctx: ServiceContext, slug: string): Promise<ChallengeViewDto> {
  const { challenge, definition, phases, manifest } = await getChallengeOrThrow(ctx.db, slug);
  const isOrganiser = canOrganise(ctx.user, challenge);
  if (!challenge.publishedAt && !isOrganiser) throw new AppError('NOT_FOUND', `There is no challenge "${slug}".`);
  const now = ctx.now();
  const phaseDtos = phases.map((p) => toPhaseDto(p, now));
  const stats = await getChallengeStats(ctx.db, challenge.id);
  return {
    slug: definition.slug,
    title: definition.title,
    summary: definition.summary,
    task: definition.task,
    isToy: manifest.isToy,
    revision: definition.revision,
    isDraft: challenge.publishedAt === null,
    canOrganise: isOrganiser,
    openPhase: phaseDtos.find((p) => p.state === 'open') ?? null,
    participantCount: stats.participants,
    submissionCount: stats.total,
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
      columns: manifest.columns.filter((c) => manifest.featureColumns.includes(c.name)).map(({ name, unit, description }) => ({ name, unit, description })),
      variations: (manifest.variations ?? [])
        .filter((v) => manifest.files.some((f) => f.name === `test@${v.name}.arrow` && !f.serverOnly))
        .map(({ name, description }) => ({ name, description })),
      missingValue: manifest.missingValue,
      expectedYields: manifest.expectedYields,
      downloads: manifest.files
        .filter((f) => !f.serverOnly && !f.role.startsWith('truth'))
        .map((f) => ({ name: f.name, role: f.role === 'train' || f.role === 'test' ? f.role : 'export', format: f.format, sizeBytes: f.sizeBytes, rows: f.rows, sha256: f.sha256 })),
    },
  };
}
