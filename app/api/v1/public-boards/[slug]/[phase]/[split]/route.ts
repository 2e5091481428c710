// GET /api/v1/public-boards/{slug}/{phase|_}/{split|_}: the visitors' cached copy of
// /api/v1/challenges/{slug}/leaderboard, which the rewrites of next.config.ts send requests without a session or token
// to. Rendered once and served from Next's cache, re-rendered in the background at most every 5 s.
import { toErrorResponse } from '@/lib/server/http/to-error-response';
import { getLeaderboardJson } from '@/lib/server/leaderboards/get-leaderboard';
import { getVisitorContext } from '@/lib/server/request-context';
import { AppError } from '@/lib/shared/app-error';
import { fromPublicBoardParams } from '@/lib/shared/board-query';

export const revalidate = 5;
export const dynamicParams = true;

/** None at build time (the database is not there yet): each board is rendered on its first request. */
export function generateStaticParams() {
  return [];
}

export async function GET(_request: Request, { params }: { params: Promise<{ slug: string; phase: string; split: string }> }) {
  const { slug, phase, split } = await params;
  try {
    const query = fromPublicBoardParams({ phase, split, page: '1' });
    if (!query) throw new AppError('NOT_FOUND', 'There is no such leaderboard.');
    const body = await getLeaderboardJson(await getVisitorContext(), { challengeSlug: slug, phaseKey: query.phase, split: query.split ?? 'public' });
    return new Response(body, { headers: { 'content-type': 'application/json' } });
  } catch (error) {
    return toErrorResponse(error);
  }
}
