'use server';

import { revalidatePath } from 'next/cache';
import { toActionResult } from '@/lib/server/http/to-action-result';
import { getRequestContext } from '@/lib/server/request-context';
import { createTeam } from '@/lib/server/teams/create-team';
import { joinTeam } from '@/lib/server/teams/join-team';
import { leaveTeam } from '@/lib/server/teams/leave-team';
import { rotateInviteCode } from '@/lib/server/teams/rotate-invite-code';
import type { TeamDto } from '@/lib/shared/dto/team-dto';
import type { ActionResult } from '@/lib/shared/action-result';

type TeamActionResult = ActionResult<TeamDto | { teamName: string; isDissolved: boolean }>;

function revalidateChallenge(slug: FormDataEntryValue | null) {
  if (typeof slug === 'string') revalidatePath(`/challenges/${slug}`, 'layout');
  revalidatePath('/submissions');
}

export async function createTeamAction(_previous: TeamActionResult | null, form: FormData): Promise<TeamActionResult> {
  const result = await toActionResult(async () => createTeam(await getRequestContext(), { challengeSlug: form.get('challengeSlug'), name: form.get('name') }));
  if (result.ok) revalidateChallenge(form.get('challengeSlug'));
  return result;
}

export async function joinTeamAction(_previous: TeamActionResult | null, form: FormData): Promise<TeamActionResult> {
  const result = await toActionResult(async () => joinTeam(await getRequestContext(), { inviteCode: form.get('inviteCode') }));
  if (result.ok) revalidateChallenge(form.get('challengeSlug'));
  return result;
}

export async function leaveTeamAction(_previous: TeamActionResult | null, form: FormData): Promise<TeamActionResult> {
  const result = await toActionResult(async () => leaveTeam(await getRequestContext(), { challengeSlug: form.get('challengeSlug') }));
  if (result.ok) revalidateChallenge(form.get('challengeSlug'));
  return result;
}

export async function rotateInviteCodeAction(_previous: TeamActionResult | null, form: FormData): Promise<TeamActionResult> {
  const result = await toActionResult(async () => rotateInviteCode(await getRequestContext(), { challengeSlug: form.get('challengeSlug') }));
  if (result.ok) revalidateChallenge(form.get('challengeSlug'));
  return result;
}
