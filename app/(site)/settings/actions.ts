'use server';

import { toActionResult } from '@/lib/server/http/to-action-result';
import { getRequestContext } from '@/lib/server/request-context';
import { signOutEverywhere } from '@/lib/server/users/sign-out-everywhere';
import type { ActionResult } from '@/lib/shared/action-result';

export async function signOutEverywhereAction(_previous: ActionResult<{ ended: number }> | null, _form: FormData): Promise<ActionResult<{ ended: number }>> {
  return toActionResult(async () => signOutEverywhere(await getRequestContext()));
}
