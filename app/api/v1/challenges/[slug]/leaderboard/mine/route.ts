// GET /api/v1/challenges/{slug}/leaderboard/mine?phase=<key>&split=public|private: only the caller's own rows of a
// board, live (sign-in or API token). The leaderboard page every viewer shares adds them, marked, to its cached copy.
import { withApiRoute } from '@/lib/server/http/with-api-route';
import { getMyLeaderboardRows } from '@/lib/server/leaderboards/get-leaderboard';
import { AppError } from '@/lib/shared/app-error';
import { parseRouteQuery } from '@/lib/shared/query/route-queries';

export const dynamic = 'force-dynamic';

export const GET = withApiRoute<{ slug: string }>(async (request, ctx, { slug }) => {
  const query = parseRouteQuery('/api/v1/challenges/[slug]/leaderboard/mine', new URL(request.url).searchParams);
  if (!ctx.user) throw new AppError('UNAUTHENTICATED', 'Sign in, or send an API token, to see your own rows of a leaderboard.');
  const mine = await getMyLeaderboardRows(ctx, { challengeSlug: slug, phaseKey: query.phase, split: query.split ?? 'public' });
  return Response.json(mine, { headers: { 'cache-control': 'private, no-store' } });
});
