import { notFound } from 'next/navigation';
import { cache } from 'react';
import { getChallenge } from '@/lib/server/challenges/get-challenge';
import { getRequestContext } from '@/lib/server/request-context';
import { isAppError } from '@/lib/shared/app-error';

/** The challenge DTO for a page, once per request; an unknown slug is a 404. */
export const getChallengeOr404 = cache(async (slug: string) => {
  const ctx = await getRequestContext();
  try {
    return { ctx, challenge: await getChallenge(ctx, slug) };
  } catch (error) {
    if (isAppError(error) && error.code === 'NOT_FOUND') notFound();
    throw error;
  }
});
