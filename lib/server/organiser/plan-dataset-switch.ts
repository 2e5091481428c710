import 'server-only';
import crypto from 'node:crypto';
import { and, count, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { ChallengeDefinition } from '@/challenges/schema';
import { submissions } from '@/db/schema';
import { AppError } from '@/lib/shared/app-error';
import { datasetManifestSchema } from '@/lib/shared/dataset-manifest';
import type { DatasetSwitchPlanDto } from '@/lib/shared/dto/organised-challenge-dto';
import type { LoadedChallenge } from '../challenges/get-challenge-or-throw';
import { toPhaseDto } from '../challenges/to-phase-dto';
import type { ServiceContext } from '../context';
import { checkChallengeDefinition } from './check-challenge-definition';
import { checkDatasetFit } from './check-dataset-fit';
import { getOrganisedChallengeOrThrow } from './get-organised-challenge-or-throw';

const inputSchema = z.object({
  slug: z.string().min(1),
  /** Defaults to the challenge's current dataset: a switch is to another version of the same dataset. */
  dataset: z.string().min(1).optional(),
  version: z.string().trim().min(1, { error: 'Choose the dataset version to switch to.' }),
});

/**
 * The plan of switching a challenge to another version of its dataset, for the organiser to read before confirming:
 * whether it fits (see checkDatasetFit; another dataset altogether is refused here, since its pages, columns and
 * truth describe other data), the revision it leads to, and per phase the entries that are rescored. Nothing changes.
 * A dataset the caller may not attach is FORBIDDEN before anything about it is said.
 */
export async function planDatasetSwitch(ctx: ServiceContext, input: { slug: string; dataset?: string; version: string }): Promise<DatasetSwitchPlanDto> {
  const parsed = inputSchema.parse(input);
  const { loaded, user } = await getOrganisedChallengeOrThrow(ctx, parsed.slug);
  return buildPlan(ctx, loaded, user, { id: parsed.dataset ?? loaded.definition.dataset.id, version: parsed.version });
}

async function buildPlan(
  ctx: ServiceContext,
  loaded: LoadedChallenge,
  user: NonNullable<ServiceContext['user']>,
  target: { id: string; version: string },
): Promise<DatasetSwitchPlanDto> {
  const current = loaded.definition;
  if (target.id === current.dataset.id && target.version === current.dataset.version) {
    throw new AppError('CONFLICT', `"${current.title}" uses ${target.id} ${target.version} already.`);
  }
  const next: ChallengeDefinition = { ...current, dataset: target, revision: loaded.challenge.revision + 1 };
  // Registered, attachable by this user (FORBIDDEN otherwise), carries the task's and variations' truth.
  const { datasetVersion } = await checkChallengeDefinition(ctx.db, next, { user, currentDataset: current.dataset });
  const manifest = datasetManifestSchema.parse(datasetVersion.manifest);

  const counts = await ctx.db
    .select({ phaseId: submissions.phaseId, status: submissions.status, n: count() })
    .from(submissions)
    .where(and(eq(submissions.challengeId, loaded.challenge.id), inArray(submissions.status, ['received', 'queued', 'scoring', 'scored', 'failed'])))
    .groupBy(submissions.phaseId, submissions.status);
  const entryCount = counts.reduce((sum, c) => sum + c.n, 0);
  const fit =
    target.id !== current.dataset.id
      ? {
          problems: [
            {
              aspect: 'dataset' as const,
              message: `${target.id} is another dataset than ${current.dataset.id}: only versions of ${current.dataset.id} can be switched to here (its pages, columns and truth describe other data; to move the challenge to another dataset, edit its definition)`,
            },
          ],
          notes: [],
        }
      : await checkDatasetFit(ctx.dataDir, loaded, { definition: next, datasetVersion, manifest }, entryCount);
  const now = ctx.now();
  const phases = loaded.phases.map((phase) => {
    const of = (statuses: string[]) => counts.filter((c) => c.phaseId === phase.id && statuses.includes(c.status)).reduce((sum, c) => sum + c.n, 0);
    return { key: phase.key, title: phase.title, state: toPhaseDto(phase, now).state, toRescore: of(['scored', 'failed']), pending: of(['received', 'queued', 'scoring']) };
  });
  const planToken = crypto
    .createHash('sha256')
    .update(JSON.stringify([loaded.challenge.id, loaded.challenge.revision, loaded.challenge.updatedAt.toISOString(), target, datasetVersion.id]))
    .digest('hex')
    .slice(0, 32);
  return {
    slug: current.slug,
    from: { dataset: current.dataset.id, version: current.dataset.version },
    to: { dataset: target.id, version: target.version, title: datasetVersion.title },
    problems: fit.problems,
    notes: fit.notes,
    revisionAfter: next.revision,
    phases,
    totalToRescore: phases.reduce((sum, p) => sum + p.toRescore, 0),
    planToken,
  };
}
