import 'server-only';
import { AppError } from '@/lib/shared/app-error';
import { buildStartingKitNotebook, type Notebook } from '@/lib/shared/starting-kit/build-starting-kit-notebook';
import type { ServiceContext } from '../context';
import { getChallenge } from './get-challenge';

/**
 * The starting-kit notebook of a challenge, generated from its definition and dataset version. A challenge the caller
 * cannot see is `NOT_FOUND`, exactly as the challenge itself (getChallenge decides).
 */
export async function getStartingKit(ctx: ServiceContext, input: { challengeSlug: string; origin: string }): Promise<{ fileName: string; notebook: Notebook }> {
  const challenge = await getChallenge(ctx, input.challengeSlug);
  const primary = challenge.metrics.find((m) => m.primary) ?? challenge.metrics[0];
  if (!primary) throw new AppError('INTERNAL', `Challenge "${challenge.slug}" has no metrics.`);
  const notebook = buildStartingKitNotebook({
    slug: challenge.slug,
    title: challenge.title,
    task: challenge.task as 'binary-classification' | 'interval-estimation',
    origin: input.origin,
    files: challenge.dataset.downloads.map((d) => d.name),
    featureColumns: challenge.dataset.featureColumns,
    missingValue: challenge.dataset.missingValue,
    variations: (challenge.scoring.variations ?? []).map((v) => v.name),
    primaryMetric: { id: primary.id, label: primary.label },
    isToy: challenge.isToy,
    licence: challenge.dataset.licence,
  });
  return { fileName: `${challenge.slug}-starting-kit.ipynb`, notebook };
}
