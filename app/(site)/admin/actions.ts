'use server';

import { revalidatePath } from 'next/cache';
import { giveDataset } from '@/lib/server/admin/give-dataset';
import { setUserDisabled } from '@/lib/server/admin/set-user-disabled';
import { setUserRole } from '@/lib/server/admin/set-user-role';
import { grantDataset } from '@/lib/server/datasets/grant-dataset';
import { toActionResult } from '@/lib/server/http/to-action-result';
import { getRequestContext } from '@/lib/server/request-context';
import type { ActionResult } from '@/lib/shared/action-result';

const field = (form: FormData, name: string) => String(form.get(name) ?? '');

async function answer(run: () => Promise<string>): Promise<ActionResult<string>> {
  const result = await toActionResult(run);
  if (result.ok) revalidatePath('/admin');
  return result;
}

export async function setRoleAction(_previous: ActionResult<string> | null, form: FormData): Promise<ActionResult<string>> {
  return answer(async () => {
    const done = await setUserRole(await getRequestContext(), { email: field(form, 'email'), role: field(form, 'role') as never });
    return `${done.email} is now ${done.role} (was ${done.previousRole}); it applies at their next request.`;
  });
}

export async function setDisabledAction(_previous: ActionResult<string> | null, form: FormData): Promise<ActionResult<string>> {
  return answer(async () => {
    const done = await setUserDisabled(await getRequestContext(), { email: field(form, 'email'), isDisabled: field(form, 'disabled') === 'true' });
    return done.isDisabled ? `${done.email} is disabled; ${done.endedSessions} session(s) ended, API tokens refused.` : `${done.email} is enabled again.`;
  });
}

export async function grantDatasetAction(_previous: ActionResult<string> | null, form: FormData): Promise<ActionResult<string>> {
  return answer(async () => {
    const isGranted = field(form, 'revoke') !== 'true';
    const done = await grantDataset(await getRequestContext(), { dataset: field(form, 'dataset'), email: field(form, 'email'), isGranted });
    return `${done.dataset} ${isGranted ? 'granted to' : 'no longer granted to'} ${done.email}${done.changed ? '' : ' (no change)'}.`;
  });
}

export async function giveDatasetAction(_previous: ActionResult<string> | null, form: FormData): Promise<ActionResult<string>> {
  return answer(async () => {
    const done = await giveDataset(await getRequestContext(), { dataset: field(form, 'dataset'), email: field(form, 'email') });
    return `${done.dataset} now belongs to ${done.owner ?? 'the platform (admins only)'}.`;
  });
}
