import 'server-only';
import { and, count, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { ChallengeDefinition } from '@/challenges/schema';
import { phases, submissions } from '@/db/schema';
import { AppError } from '@/lib/shared/app-error';
import { datasetManifestSchema } from '@/lib/shared/dataset-manifest';
import type { ChallengeChangeDto } from '@/lib/shared/dto/organised-challenge-dto';
import { recordAuditEvent } from '../audit/record-audit-event';
import { syncChallengeDefinition } from '../challenges/sync-challenge-definition';
import type { ServiceContext } from '../context';
import { checkChallengeDefinition } from './check-challenge-definition';
import { checkDatasetFit } from './check-dataset-fit';
import { getOrganisedChallengeOrThrow } from './get-organised-challenge-or-throw';
import { lockChallengeRevision } from './lock-challenge-revision';
import { parseDefinitionJson } from './parse-definition-json';
import { announceBoardChange } from '../leaderboards/announce-board-change';

const inputSchema = z.object({
  slug: z.string().min(1),
  definitionJson: z.string().max(2_000_000, { error: 'The definition file is larger than 2 MB; keep large data out of it.' }),
  /** updatedAt of the copy the organiser edited (OrganisedChallengeDto.updatedAt); a later change is a CONFLICT. */
  baseUpdatedAt: z.iso.datetime({ offset: true }).optional(),
});

/** The parts of a definition that change what a score means: any change needs a new revision and a rescore. */
const scoringFields = ['task', 'dataset', 'metrics', 'scoring', 'splits'] as const;

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Replaces a challenge's definition with an edited one (same slug). The revision never goes down, and it goes up
 * by itself when the task, dataset, metrics, scoring or splits change, even if the file kept the old number: every
 * score records the revision it was computed for, so old scores stay until the organiser rescores. Phases are
 * matched by key; a phase left out of the file is deleted if nobody submitted to it, and refused otherwise. The task
 * cannot change once there are submissions (their files would no longer fit), nor the dataset to one that does not fit
 * (checkDatasetFit: task truth, variations, feature columns, and test ids once there are entries). With `baseUpdatedAt`, an edit of a
 * copy that is no longer current is refused instead of silently undoing the changes made since.
 */
export async function updateChallengeDefinition(
  ctx: ServiceContext,
  input: { slug: string; definitionJson: string; baseUpdatedAt?: string },
): Promise<ChallengeChangeDto> {
  const { slug, definitionJson, baseUpdatedAt } = inputSchema.parse(input);
  const { loaded, user } = await getOrganisedChallengeOrThrow(ctx, slug);
  if (baseUpdatedAt && Date.parse(baseUpdatedAt) !== loaded.challenge.updatedAt.getTime()) {
    throw new AppError(
      'CONFLICT',
      `"${loaded.definition.title}" changed after you loaded this copy (at ${loaded.challenge.updatedAt.toISOString()}, e.g. a phase opened or closed); reload the page and make your edit on the current definition.`,
    );
  }
  const { definition: next, datasetVersion } = await checkChallengeDefinition(ctx.db, parseDefinitionJson(definitionJson), { user, currentDataset: loaded.definition.dataset });
  const current = loaded.definition;
  if (next.slug !== slug) {
    throw new AppError('INVALID_CHALLENGE', `The definition is for "${next.slug}", not "${slug}"; a challenge's slug cannot change (create a new challenge instead).`, {
      issues: [{ path: 'slug', message: `must stay "${slug}"` }],
    });
  }
  const perPhase = await ctx.db
    .select({ phaseId: submissions.phaseId, n: count() })
    .from(submissions)
    .where(eq(submissions.challengeId, loaded.challenge.id))
    .groupBy(submissions.phaseId);
  const submissionCount = perPhase.reduce((sum, p) => sum + p.n, 0);
  if (next.task !== current.task && submissionCount > 0) {
    throw new AppError('CONFLICT', `"${current.title}" has ${submissionCount} submissions for ${current.task}; the task cannot change now. Create a new challenge instead.`, {
      issues: [{ path: 'task', message: `must stay ${current.task}: there are submissions` }],
    });
  }
  // A new dataset (version) must fit the challenge as a switch on the organiser page must (see checkDatasetFit).
  if (next.task === current.task && stableJson(next.dataset) !== stableJson(current.dataset)) {
    const manifest = datasetManifestSchema.parse(datasetVersion.manifest);
    const fit = await checkDatasetFit(ctx.dataDir, loaded, { definition: next, datasetVersion, manifest }, submissionCount);
    if (fit.problems.length > 0) {
      throw new AppError('INVALID_CHALLENGE', `dataset ${next.dataset.id} ${next.dataset.version} does not fit "${current.title}": ${fit.problems.map((p) => p.message).join('; ')}.`, {
        issues: fit.problems.map((p) => ({ path: `dataset (${p.aspect})`, message: p.message })),
      });
    }
  }
  const nextKeys = new Set(next.phases.map((p) => p.key));
  const removed = loaded.phases.filter((p) => !nextKeys.has(p.key));
  const removedWithEntries = removed.filter((p) => perPhase.some((s) => s.phaseId === p.id && s.n > 0));
  if (removedWithEntries.length > 0) {
    const keys = removedWithEntries.map((p) => `"${p.key}"`).join(', ');
    throw new AppError('CONFLICT', `Phase ${keys} has submissions and cannot be removed; keep it in the definition (you may close it).`, {
      issues: removedWithEntries.map((p) => ({ path: 'phases', message: `phase "${p.key}" has submissions and cannot be removed` })),
    });
  }

  const changed = scoringFields.filter((field) => stableJson(next[field]) !== stableJson(current[field]));
  const otherChanges = (['title', 'summary', 'phases', 'pages'] as const).filter((field) => stableJson(next[field]) !== stableJson(current[field]));
  const before = loaded.challenge.revision;
  const revision = Math.max(next.revision, changed.length > 0 ? before + 1 : before);
  const definition: ChallengeDefinition = { ...next, revision };
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    await announceBoardChange(tx, slug);
    await lockChallengeRevision(tx, loaded.challenge.id, loaded.challenge.revision, loaded.challenge.updatedAt);
    if (removed.length > 0) {
      await tx.delete(phases).where(and(eq(phases.challengeId, loaded.challenge.id), inArray(phases.id, removed.map((p) => p.id))));
    }
    await syncChallengeDefinition(tx, definition, { publish: false, now });
    await recordAuditEvent(tx, {
      actorId: user.id,
      action: 'challenge.update',
      challengeId: loaded.challenge.id,
      target: `challenge:${slug}`,
      details: { revisionBefore: before, revision, changed, otherChanges, removedPhases: removed.map((p) => p.key), fileRevision: next.revision },
      at: now,
    });
  });
  return { slug, title: definition.title, revision, isDraft: loaded.challenge.publishedAt === null, isRevisionBumped: revision > before };
}
