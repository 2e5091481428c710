// GET /api/v1/me/submissions?challenge=<slug>: the caller's submissions, newest first (sign-in or API token).
import { withApiRoute } from '@/lib/server/http/with-api-route';
import { listMySubmissions } from '@/lib/server/submissions/list-my-submissions';
import { parseRouteQuery } from '@/lib/shared/query/route-queries';

export const dynamic = 'force-dynamic';

export const GET = withApiRoute(async (request, ctx) => {
  const { challenge } = parseRouteQuery('/api/v1/me/submissions', new URL(request.url).searchParams);
  const submissions = await listMySubmissions(ctx);
  return Response.json(challenge ? submissions.filter((s) => s.challengeSlug === challenge) : submissions);
});
