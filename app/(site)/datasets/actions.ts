'use server';

import { revalidatePath } from 'next/cache';
import { setDatasetVersionVisibility } from '@/lib/server/datasets/set-dataset-version-visibility';
import { toActionResult } from '@/lib/server/http/to-action-result';
import { getRequestContext } from '@/lib/server/request-context';
import type { ActionResult } from '@/lib/shared/action-result';

const field = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
};

export async function setVersionVisibilityAction(_previous: ActionResult<string> | null, form: FormData): Promise<ActionResult<string>> {
  const result = await toActionResult(async () => {
    const done = await setDatasetVersionVisibility(await getRequestContext(), { dataset: field(form, 'dataset'), version: field(form, 'version'), isPublic: field(form, 'isPublic') === 'true' });
    return done.isPublic ? `${done.dataset} ${done.version} is listed in the public catalogue.` : `${done.dataset} ${done.version} is private again.`;
  });
  if (result.ok) revalidatePath('/datasets', 'layout');
  return result;
}
