'use server';

import { revalidatePath } from 'next/cache';
import { toActionResult } from '@/lib/server/http/to-action-result';
import { rescanDatasetVersions } from '@/lib/server/organiser/rescan-dataset-versions';
import { getRequestContext } from '@/lib/server/request-context';
import type { ActionResult } from '@/lib/shared/action-result';

export async function rescanDatasetsAction(_previous: ActionResult<string> | null, _form: FormData): Promise<ActionResult<string>> {
  const result = await toActionResult(async () => {
    const { found, added } = await rescanDatasetVersions(await getRequestContext());
    if (added.length > 0) return `Registered ${added.join(', ')}; ${found.length} versions in all.`;
    return `No new dataset versions; ${found.length} registered (${found.join(', ') || 'none'}).`;
  });
  if (result.ok) revalidatePath('/organise', 'layout');
  return result;
}
