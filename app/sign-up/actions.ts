'use server';

import { getDatabase } from '@/lib/server/database';
import { toActionResult } from '@/lib/server/http/to-action-result';
import { createUser } from '@/lib/server/users/create-user';
import type { ActionResult } from '@/lib/shared/action-result';

export async function signUpAction(input: { email: string; name: string; password: string }): Promise<ActionResult<{ email: string }>> {
  return toActionResult(async () => {
    const { db } = await getDatabase();
    const user = await createUser(db, input);
    return { email: user.email };
  });
}
