// GET /submissions/export?challenge=&status=&format=csv|json: "My submissions" as a download, with the same filters
// as the page, each entry's description, and every public (and, once revealed, private) score with its interval.
import { withApiRoute } from '@/lib/server/http/with-api-route';
import { listMySubmissions } from '@/lib/server/submissions/list-my-submissions';
import { getMySubmissionsExportFileName, toMySubmissionsCsv } from '@/lib/shared/formats/my-submissions-export';
import { parseRouteQuery } from '@/lib/shared/query/route-queries';

export const dynamic = 'force-dynamic';

export const GET = withApiRoute(async (request, ctx) => {
  const { challenge, status, format = 'csv' } = parseRouteQuery('/submissions/export', new URL(request.url).searchParams);
  const submissions = await listMySubmissions(ctx, { challenge, status, limit: 10_000 });
  const headers = {
    'content-disposition': `attachment; filename="${getMySubmissionsExportFileName({ challenge, status }, format)}"`,
    'cache-control': 'private, no-store',
  };
  if (format === 'json') return Response.json(submissions, { headers });
  return new Response(toMySubmissionsCsv(submissions), { headers: { ...headers, 'content-type': 'text/csv; charset=utf-8' } });
});
