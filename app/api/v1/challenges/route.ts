// GET /api/v1/challenges: the challenges the caller may see (anonymous, session or API token).
import { listChallenges } from '@/lib/server/challenges/list-challenges';
import { withApiRoute } from '@/lib/server/http/with-api-route';

export const dynamic = 'force-dynamic';

export const GET = withApiRoute(async (_request, ctx) => Response.json(await listChallenges(ctx)));
