// GET /api/v1/me/submissions/status?ids=<id>,<id>: the live status of the caller's own (or their team's) submissions.
//   Accept: text/event-stream → server-sent events: `status` (one per submission, then one per change: queued →
//   scoring → scored with its scores, or failed with the reason), `done` once all are final. Otherwise one JSON
//   snapshot, the same objects: the polling fallback of browsers and proxies that cannot keep a stream open.
import { env } from '@/lib/env';
import { withApiRoute } from '@/lib/server/http/with-api-route';
import { getLiveSubmissions } from '@/lib/server/submissions/get-live-submissions';
import { streamLiveSubmissions } from '@/lib/server/submissions/stream-live-submissions';
import { parseRouteQuery } from '@/lib/shared/query/route-queries';

export const dynamic = 'force-dynamic';

export const GET = withApiRoute(async (request, ctx) => {
  const { ids } = parseRouteQuery('/api/v1/me/submissions/status', new URL(request.url).searchParams);
  const wanted = ids.split(',');
  // Checked once here: an anonymous caller gets 401 as JSON, not a stream that fails later.
  const first = await getLiveSubmissions(ctx, wanted);
  if (!(request.headers.get('accept') ?? '').includes('text/event-stream')) {
    return Response.json(first, { headers: { 'cache-control': 'private, no-store' } });
  }
  let isFirst = true;
  const stream = streamLiveSubmissions({
    load: async () => {
      if (!isFirst) return getLiveSubmissions(ctx, wanted);
      isFirst = false;
      return first;
    },
    pollMs: env.LIVE_STATUS_POLL_MS,
    signal: request.signal,
  });
  return new Response(stream, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      // no-transform: no compression or buffering on the way (Next's compression and proxies honour it).
      'cache-control': 'private, no-cache, no-transform',
      'x-accel-buffering': 'no',
    },
  });
});
