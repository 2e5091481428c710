'use server';

import { revalidatePath } from 'next/cache';
import type { ServiceContext } from '@/lib/server/context';
import { toActionResult } from '@/lib/server/http/to-action-result';
import { attachDatasetVersion } from '@/lib/server/organiser/attach-dataset-version';
import { closePhase } from '@/lib/server/organiser/close-phase';
import { openPhase } from '@/lib/server/organiser/open-phase';
import { planDatasetSwitch } from '@/lib/server/organiser/plan-dataset-switch';
import { publishChallenge } from '@/lib/server/organiser/publish-challenge';
import { rescorePhase } from '@/lib/server/organiser/rescore-phase';
import { updateChallengeDefinition } from '@/lib/server/organiser/update-challenge-definition';
import { updatePhaseLimits } from '@/lib/server/organiser/update-phase-limits';
import { getRequestContext } from '@/lib/server/request-context';
import type { ActionResult } from '@/lib/shared/action-result';
import type { DatasetSwitchPlanDto, DatasetSwitchResultDto } from '@/lib/shared/dto/organised-challenge-dto';

const field = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
};

/** Runs one organiser service for the challenge named in the form and refreshes its organiser and public pages. */
async function runForChallenge(form: FormData, work: (ctx: ServiceContext, slug: string) => Promise<string>): Promise<ActionResult<string>> {
  const slug = field(form, 'slug');
  const result = await toActionResult(async () => work(await getRequestContext(), slug));
  if (result.ok) {
    revalidatePath(`/organise/${slug}`, 'layout');
    revalidatePath(`/challenges/${slug}`, 'layout');
    revalidatePath('/');
  }
  return result;
}

export async function publishAction(_previous: ActionResult<string> | null, form: FormData): Promise<ActionResult<string>> {
  return runForChallenge(form, async (ctx, slug) => {
    const done = await publishChallenge(ctx, { slug });
    return `"${done.title}" is published: it is listed for everyone and takes submissions in its open phase.`;
  });
}

/** The plan of switching to another version of the dataset, shown before anything changes. */
export async function planDatasetSwitchAction(input: { slug: string; version: string }): Promise<ActionResult<DatasetSwitchPlanDto>> {
  return toActionResult(async () => planDatasetSwitch(await getRequestContext(), input));
}

/** Carries out the plan the organiser was shown (refused if it is no longer current) and rescores the entries. */
export async function attachDatasetAction(input: { slug: string; version: string; planToken: string }): Promise<ActionResult<DatasetSwitchResultDto>> {
  const result = await toActionResult(async () => attachDatasetVersion(await getRequestContext(), input));
  if (result.ok) {
    revalidatePath(`/organise/${input.slug}`, 'layout');
    revalidatePath(`/challenges/${input.slug}`, 'layout');
  }
  return result;
}

export async function openPhaseAction(_previous: ActionResult<string> | null, form: FormData): Promise<ActionResult<string>> {
  return runForChallenge(form, async (ctx, slug) => {
    const phase = await openPhase(ctx, { slug, phaseKey: field(form, 'phaseKey') });
    return `"${phase.title}" is open${phase.closesAt ? ` until ${phase.closesAt}` : ' until you close it'}.`;
  });
}

export async function closePhaseAction(_previous: ActionResult<string> | null, form: FormData): Promise<ActionResult<string>> {
  return runForChallenge(form, async (ctx, slug) => {
    const phase = await closePhase(ctx, { slug, phaseKey: field(form, 'phaseKey') });
    return phase.isPrivateRevealed
      ? `"${phase.title}" closed at ${phase.closesAt}; its private leaderboard is now public.`
      : `"${phase.title}" closed at ${phase.closesAt}; its private leaderboard stays hidden until every phase scored on the same hidden test set has closed.`;
  });
}

export async function updateLimitsAction(_previous: ActionResult<string> | null, form: FormData): Promise<ActionResult<string>> {
  return runForChallenge(form, async (ctx, slug) => {
    const phase = await updatePhaseLimits(ctx, { slug, phaseKey: field(form, 'phaseKey'), maxPerDay: field(form, 'maxPerDay'), maxTotal: field(form, 'maxTotal') });
    return `Limits of "${phase.title}": ${phase.maxPerDay} per day, ${phase.maxTotal === null ? 'no total limit' : `${phase.maxTotal} in total`}.`;
  });
}

export async function rescoreAction(_previous: ActionResult<string> | null, form: FormData): Promise<ActionResult<string>> {
  return runForChallenge(form, async (ctx, slug) => {
    const done = await rescorePhase(ctx, { slug, phaseKey: field(form, 'phaseKey') });
    return `Rescoring ${done.enqueued} submission${done.enqueued === 1 ? '' : 's'} under scoring version ${done.scoringVersion}.`;
  });
}

export async function updateDefinitionAction(_previous: ActionResult<string> | null, form: FormData): Promise<ActionResult<string>> {
  return runForChallenge(form, async (ctx, slug) => {
    const file = form.get('definitionFile');
    const definitionJson = file instanceof File && file.size > 0 ? await file.text() : field(form, 'definitionJson');
    const done = await updateChallengeDefinition(ctx, { slug, definitionJson, baseUpdatedAt: field(form, 'baseUpdatedAt') || undefined });
    return done.isRevisionBumped
      ? `Saved as revision ${done.revision}: metrics, scoring, splits or data changed, so rescore each phase to bring the scores up to date.`
      : `Saved (revision ${done.revision}; the scores stay valid).`;
  });
}
