'use server';

import { headers } from 'next/headers';
import { getDatabase } from '@/lib/server/database';
import { toActionResult } from '@/lib/server/http/to-action-result';
import { signUp } from '@/lib/server/users/sign-up';
import type { ActionResult } from '@/lib/shared/action-result';

export async function signUpAction(input: { email: string; name: string; password: string }): Promise<ActionResult<{ email: string }>> {
  return toActionResult(async () => {
    const { db } = await getDatabase();
    // The first X-Forwarded-For entry is the client as the nearest proxy (or Next itself) saw it.
    const address = (await headers()).get('x-forwarded-for')?.split(',')[0]?.trim() || 'unknown';
    const user = await signUp(db, input, { address, now: new Date() });
    return { email: user.email };
  });
}
