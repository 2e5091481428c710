// GET /challenges/[slug]/leaderboard/export?phase=&split=public|private&format=csv|json: the board as a download,
// through the same service and privacy rules as the page (a private board before its phase closes is refused).
import { withApiRoute } from '@/lib/server/http/with-api-route';
import { getLeaderboard } from '@/lib/server/leaderboards/get-leaderboard';
import { getLeaderboardExportFileName, toLeaderboardCsv } from '@/lib/shared/formats/leaderboard-export';
import { parseRouteQuery } from '@/lib/shared/query/route-queries';

export const dynamic = 'force-dynamic';

export const GET = withApiRoute<{ slug: string }>(async (request, ctx, { slug }) => {
  const query = parseRouteQuery('/challenges/[slug]/leaderboard/export', new URL(request.url).searchParams);
  const format = query.format ?? 'csv';
  const board = await getLeaderboard(ctx, { challengeSlug: slug, phaseKey: query.phase, split: query.split ?? 'public' });
  const headers = {
    'content-disposition': `attachment; filename="${getLeaderboardExportFileName(board, format)}"`,
    // The board marks the requester's own rows, so it is never shared between users.
    'cache-control': 'private, no-store',
    'x-content-type-options': 'nosniff',
  };
  if (format === 'json') return Response.json(board, { headers });
  return new Response(toLeaderboardCsv(board), { headers: { ...headers, 'content-type': 'text/csv; charset=utf-8' } });
});
