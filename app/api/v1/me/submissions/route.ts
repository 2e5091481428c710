// GET /api/v1/me/submissions?challenge=<slug>&status=<status>: the caller's submissions (and their teams'), newest
// first, with metric names, intervals and descriptions (sign-in or API token).
import { withApiRoute } from '@/lib/server/http/with-api-route';
import { listMySubmissions } from '@/lib/server/submissions/list-my-submissions';
import { parseRouteQuery } from '@/lib/shared/query/route-queries';

export const dynamic = 'force-dynamic';

export const GET = withApiRoute(async (request, ctx) => {
  const { challenge, status } = parseRouteQuery('/api/v1/me/submissions', new URL(request.url).searchParams);
  return Response.json(await listMySubmissions(ctx, { challenge, status }));
});
