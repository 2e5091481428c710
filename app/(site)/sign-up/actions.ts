'use server';

import { headers } from 'next/headers';
import { getDatabase } from '@/lib/server/database';
import { CLIENT_ADDRESS_HEADER } from '@/lib/server/http/client-address';
import { toActionResult } from '@/lib/server/http/to-action-result';
import { signUp } from '@/lib/server/users/sign-up';
import type { ActionResult } from '@/lib/shared/action-result';

export async function signUpAction(input: { email: string; name: string; password: string }): Promise<ActionResult<{ email: string }>> {
  return toActionResult(async () => {
    const { db } = await getDatabase();
    // The web server resolved the client from the TCP peer (X-Forwarded-For only from TRUSTED_PROXIES).
    const address = (await headers()).get(CLIENT_ADDRESS_HEADER) ?? 'unknown';
    const user = await signUp(db, input, { address, now: new Date() });
    return { email: user.email };
  });
}
