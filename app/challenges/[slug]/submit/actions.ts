'use server';

import { revalidatePath } from 'next/cache';
import { toActionResult } from '@/lib/server/http/to-action-result';
import { getRequestContext } from '@/lib/server/request-context';
import { createSubmission } from '@/lib/server/submissions/create-submission';
import type { ActionResult } from '@/lib/shared/action-result';
import { AppError } from '@/lib/shared/app-error';
import type { SubmissionDto } from '@/lib/shared/dto/submission-dto';

export async function submitPredictionsAction(_previous: ActionResult<SubmissionDto> | null, form: FormData): Promise<ActionResult<SubmissionDto>> {
  const result = await toActionResult(async () => {
    const ctx = await getRequestContext();
    const file = form.get('file');
    const challengeSlug = form.get('challengeSlug');
    if (!(file instanceof File) || file.size === 0) throw new AppError('INVALID_SUBMISSION', 'Choose a CSV file with header id,score to upload.');
    return createSubmission(ctx, { challengeSlug, fileName: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
  });
  if (result.ok) {
    revalidatePath(`/challenges/${result.data.challengeSlug}`, 'layout');
    revalidatePath('/submissions');
  }
  return result;
}
