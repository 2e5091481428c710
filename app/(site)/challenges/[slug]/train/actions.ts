'use server';

import { revalidatePath } from 'next/cache';
import { toActionResult } from '@/lib/server/http/to-action-result';
import { getRequestContext } from '@/lib/server/request-context';
import { createSubmission } from '@/lib/server/submissions/create-submission';
import type { ActionResult } from '@/lib/shared/action-result';
import type { SubmissionDto } from '@/lib/shared/dto/submission-dto';

/** Submits the predictions of a model trained in the browser, marked as a browser baseline. */
export async function submitBaselineAction(challengeSlug: string, predictionsCsv: string): Promise<ActionResult<SubmissionDto>> {
  const result = await toActionResult(async () =>
    createSubmission(await getRequestContext(), {
      challengeSlug,
      fileName: 'browser-baseline.csv',
      body: new TextEncoder().encode(predictionsCsv),
      source: 'browser-baseline',
    }),
  );
  if (result.ok) {
    revalidatePath(`/challenges/${challengeSlug}`, 'layout');
    revalidatePath('/submissions');
  }
  return result;
}
