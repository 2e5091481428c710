import { notFound } from 'next/navigation';
import { cache } from 'react';
import { getDatasetVersionPage } from '@/lib/server/datasets/get-dataset-version-page';
import { getRequestContext } from '@/lib/server/request-context';
import { isAppError } from '@/lib/shared/app-error';

/** The version page DTO, once per request; an unknown or hidden dataset or version is a 404 listing what exists. */
export const getDatasetVersionOr404 = cache(async (dataset: string, version: string) => {
  const ctx = await getRequestContext();
  try {
    return { ctx, page: await getDatasetVersionPage(ctx, { dataset: decodeURIComponent(dataset), version: decodeURIComponent(version) }) };
  } catch (error) {
    if (isAppError(error) && error.code === 'NOT_FOUND') notFound();
    throw error;
  }
});
