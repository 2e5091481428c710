'use server';

import { revalidatePath } from 'next/cache';
import { toActionResult } from '@/lib/server/http/to-action-result';
import { getRequestContext } from '@/lib/server/request-context';
import { selectFinalSubmissions } from '@/lib/server/submissions/select-final-submissions';
import type { ActionResult } from '@/lib/shared/action-result';

/** Replaces the caller's final selection for one phase (the service checks who may choose what, and when). */
export async function selectFinalSubmissionsAction(input: {
  challengeSlug: string;
  phaseKey: string;
  submissionIds: string[];
}): Promise<ActionResult<{ challengeSlug: string; phaseKey: string; submissionIds: string[] }>> {
  const result = await toActionResult(async () => selectFinalSubmissions(await getRequestContext(), input));
  if (result.ok) {
    revalidatePath('/submissions', 'layout');
    revalidatePath(`/challenges/${result.data.challengeSlug}/leaderboard`);
  }
  return result;
}
