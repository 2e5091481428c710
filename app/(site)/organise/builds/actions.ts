'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { startRecipeBuild } from '@/lib/server/builds/start-recipe-build';
import { toActionResult } from '@/lib/server/http/to-action-result';
import { attachDatasetVersion } from '@/lib/server/organiser/attach-dataset-version';
import { getRequestContext } from '@/lib/server/request-context';
import type { ActionResult } from '@/lib/shared/action-result';

const field = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
};

/** Starts a queued build of a repository recipe and opens its progress page. */
export async function startBuildAction(_previous: ActionResult<string> | null, form: FormData): Promise<ActionResult<string>> {
  let id = '';
  const result = await toActionResult(async () => {
    id = (await startRecipeBuild(await getRequestContext(), { recipe: field(form, 'recipe'), version: field(form, 'version') || undefined })).id;
    return `Build ${id} queued.`;
  });
  if (!result.ok) return result;
  revalidatePath('/organise/builds');
  redirect(`/organise/builds/${id}`);
}

/** Attaches a finished build's version to one of the organiser's challenges (the challenge's revision goes up). */
export async function attachBuildAction(_previous: ActionResult<string> | null, form: FormData): Promise<ActionResult<string>> {
  const slug = field(form, 'slug');
  const result = await toActionResult(async () => {
    const done = await attachDatasetVersion(await getRequestContext(), { slug, dataset: field(form, 'dataset'), version: field(form, 'version') });
    return `Attached to "${done.title}" (revision ${done.revision}); publish it on its organiser page when it is ready.`;
  });
  if (result.ok) {
    revalidatePath(`/organise/${slug}`, 'layout');
    revalidatePath('/organise/builds', 'layout');
  }
  return result;
}
