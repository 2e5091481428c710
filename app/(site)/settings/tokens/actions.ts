'use server';

import { revalidatePath } from 'next/cache';
import { createApiToken } from '@/lib/server/api-tokens/create-api-token';
import type { ApiTokenDto, CreatedApiTokenDto } from '@/lib/shared/dto/api-token-dto';
import { revokeApiToken } from '@/lib/server/api-tokens/revoke-api-token';
import { toActionResult } from '@/lib/server/http/to-action-result';
import { getRequestContext } from '@/lib/server/request-context';
import type { ActionResult } from '@/lib/shared/action-result';

export async function createApiTokenAction(_previous: ActionResult<CreatedApiTokenDto> | null, form: FormData): Promise<ActionResult<CreatedApiTokenDto>> {
  const result = await toActionResult(async () => createApiToken(await getRequestContext(), { name: form.get('name') }));
  if (result.ok) revalidatePath('/settings/tokens');
  return result;
}

export async function revokeApiTokenAction(_previous: ActionResult<ApiTokenDto> | null, form: FormData): Promise<ActionResult<ApiTokenDto>> {
  const result = await toActionResult(async () => revokeApiToken(await getRequestContext(), { tokenId: form.get('tokenId') }));
  if (result.ok) revalidatePath('/settings/tokens');
  return result;
}
