// GET /api/v1/challenges/{slug}: phases, metrics, task, predictions columns and files with download URLs.
import { getChallenge } from '@/lib/server/challenges/get-challenge';
import { getRequestOrigin } from '@/lib/server/http/get-request-origin';
import { withApiRoute } from '@/lib/server/http/with-api-route';
import { toChallengeResource } from '../../_lib/to-challenge-resource';

export const dynamic = 'force-dynamic';

export const GET = withApiRoute<{ slug: string }>(async (request, ctx, { slug }) =>
  Response.json(toChallengeResource(await getChallenge(ctx, slug), getRequestOrigin(request))),
);
