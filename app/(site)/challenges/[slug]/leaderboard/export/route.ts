// GET /challenges/[slug]/leaderboard/export?phase=&split=public|private&format=csv|json: the board as a download,
// through the same service and privacy rules as the page (a private board before its phase closes is refused).
import { z } from 'zod';
import { withApiRoute } from '@/lib/server/http/with-api-route';
import { getLeaderboard } from '@/lib/server/leaderboards/get-leaderboard';
import { getLeaderboardExportFileName, toLeaderboardCsv } from '@/lib/shared/formats/leaderboard-export';

export const dynamic = 'force-dynamic';

const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);

const querySchema = z.object({
  phase: z.preprocess(emptyToUndefined, z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'a phase key (lower-case letters, digits, dashes)' }).optional()),
  split: z.preprocess(emptyToUndefined, z.enum(['public', 'private']).default('public')),
  format: z.preprocess(emptyToUndefined, z.enum(['csv', 'json']).default('csv')),
});

export const GET = withApiRoute<{ slug: string }>(async (request, ctx, { slug }) => {
  const query = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const board = await getLeaderboard(ctx, { challengeSlug: slug, phaseKey: query.phase, split: query.split });
  const headers = {
    'content-disposition': `attachment; filename="${getLeaderboardExportFileName(board, query.format)}"`,
    // The board marks the requester's own rows, so it is never shared between users.
    'cache-control': 'private, no-store',
    'x-content-type-options': 'nosniff',
  };
  if (query.format === 'json') return Response.json(board, { headers });
  return new Response(toLeaderboardCsv(board), { headers: { ...headers, 'content-type': 'text/csv; charset=utf-8' } });
});
