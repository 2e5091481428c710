// GET /api/v1/challenges/{slug}/leaderboard?phase=<key>&split=public|private: the board as the web page shows it.
import { withApiRoute } from '@/lib/server/http/with-api-route';
import { getLeaderboardJson } from '@/lib/server/leaderboards/get-leaderboard';
import { AppError } from '@/lib/shared/app-error';

export const dynamic = 'force-dynamic';

export const GET = withApiRoute<{ slug: string }>(async (request, ctx, { slug }) => {
  const query = new URL(request.url).searchParams;
  const split = query.get('split') ?? 'public';
  if (split !== 'public' && split !== 'private') throw new AppError('BAD_REQUEST', `split must be "public" or "private", not "${split}".`);
  const phaseKey = query.get('phase') || undefined;
  const body = await getLeaderboardJson(ctx, { challengeSlug: slug, phaseKey, split });
  return new Response(body, { headers: { 'content-type': 'application/json' } });
});
