// GET /api/v1/openapi.json[?challenge=<slug>]: the OpenAPI 3.1 document of this API (lib/shared/api), rendered at /docs/api.
import { getOpenApiDocument } from '@/lib/server/api/get-openapi-document';
import { getRequestOrigin } from '@/lib/server/http/get-request-origin';
import { withApiRoute } from '@/lib/server/http/with-api-route';
import { parseRouteQuery } from '@/lib/shared/query/route-queries';

export const dynamic = 'force-dynamic';

export const GET = withApiRoute(async (request, ctx) => {
  const { challenge } = parseRouteQuery('/api/v1/openapi.json', new URL(request.url).searchParams);
  return Response.json(await getOpenApiDocument(ctx, { serverUrl: getRequestOrigin(request), challengeSlug: challenge }));
});
