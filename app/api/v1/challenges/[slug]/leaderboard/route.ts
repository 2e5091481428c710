// GET /api/v1/challenges/{slug}/leaderboard?phase=<key>&split=public|private: the board as the web page shows it.
import { withApiRoute } from '@/lib/server/http/with-api-route';
import { getLeaderboardJson } from '@/lib/server/leaderboards/get-leaderboard';
import { parseRouteQuery } from '@/lib/shared/query/route-queries';

export const dynamic = 'force-dynamic';

export const GET = withApiRoute<{ slug: string }>(async (request, ctx, { slug }) => {
  const query = parseRouteQuery('/api/v1/challenges/[slug]/leaderboard', new URL(request.url).searchParams);
  const body = await getLeaderboardJson(ctx, { challengeSlug: slug, phaseKey: query.phase, split: query.split ?? 'public' });
  return new Response(body, { headers: { 'content-type': 'application/json' } });
});
