// GET /api/datasets/[dataset]/[version]/display: the events of the version's events@display table (training events
// only, no labels or weights) with their objects, for the event display. 404 says when the version has no such table.
import { getDisplayEvents } from '@/lib/server/datasets/get-display-events';
import { withApiRoute } from '@/lib/server/http/with-api-route';

export const dynamic = 'force-dynamic';

export const GET = withApiRoute<{ dataset: string; version: string }>(async (_request, ctx, { dataset, version }) =>
  Response.json(await getDisplayEvents(ctx, { dataset, version }), { headers: { 'cache-control': 'private, max-age=300' } }),
);
