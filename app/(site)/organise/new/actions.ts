'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { toActionResult } from '@/lib/server/http/to-action-result';
import { createChallengeFromDefinition } from '@/lib/server/organiser/create-challenge-from-definition';
import { createChallengeFromForm } from '@/lib/server/organiser/create-challenge-from-form';
import { getRequestContext } from '@/lib/server/request-context';
import type { ActionResult } from '@/lib/shared/action-result';
import { AppError } from '@/lib/shared/app-error';
import type { ChallengeChangeDto } from '@/lib/shared/dto/organised-challenge-dto';
import { readChallengeForm } from './read-challenge-form';

/** On success the organiser lands on the new draft's page; a refusal stays on the form with its problems. */
function finish(result: ActionResult<ChallengeChangeDto>): ActionResult<ChallengeChangeDto> {
  if (!result.ok) return result;
  revalidatePath('/organise');
  redirect(`/organise/${result.data.slug}`);
}

export async function createFromDefinitionAction(_previous: ActionResult<ChallengeChangeDto> | null, form: FormData): Promise<ActionResult<ChallengeChangeDto>> {
  return finish(
    await toActionResult(async () => {
      const file = form.get('definitionFile');
      const pasted = form.get('definitionJson');
      const definitionJson = file instanceof File && file.size > 0 ? await file.text() : typeof pasted === 'string' ? pasted : '';
      if (definitionJson.trim() === '') throw new AppError('INVALID_CHALLENGE', 'Choose a definition file (JSON) or paste one.');
      return createChallengeFromDefinition(await getRequestContext(), { definitionJson });
    }),
  );
}

export async function createFromFormAction(_previous: ActionResult<ChallengeChangeDto> | null, form: FormData): Promise<ActionResult<ChallengeChangeDto>> {
  return finish(await toActionResult(async () => createChallengeFromForm(await getRequestContext(), readChallengeForm(form))));
}
