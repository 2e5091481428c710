// GET /api/v1/challenges/{slug}/starting-kit.ipynb: the challenge's starter Jupyter notebook (lib/shared/starting-kit),
// for anyone who can see the challenge; the notebook itself asks for an API token to download and submit.
import { getStartingKit } from '@/lib/server/challenges/get-starting-kit';
import { getRequestOrigin } from '@/lib/server/http/get-request-origin';
import { withApiRoute } from '@/lib/server/http/with-api-route';
import { parseRouteQuery } from '@/lib/shared/query/route-queries';

export const dynamic = 'force-dynamic';

export const GET = withApiRoute<{ slug: string }>(async (request, ctx, { slug }) => {
  parseRouteQuery('/api/v1/challenges/[slug]/starting-kit.ipynb', new URL(request.url).searchParams);
  const { fileName, notebook } = await getStartingKit(ctx, { challengeSlug: slug, origin: getRequestOrigin(request) });
  return new Response(`${JSON.stringify(notebook, null, 1)}\n`, {
    headers: { 'content-type': 'application/x-ipynb+json', 'content-disposition': `attachment; filename="${fileName}"`, 'cache-control': 'private, no-store' },
  });
});
