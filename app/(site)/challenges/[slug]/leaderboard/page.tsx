import { LeaderboardView } from '@/app/_components/leaderboard/leaderboard-view';
import { parseRouteQuery } from '@/lib/shared/query/route-queries';
import { getChallengeOr404 } from '../get-challenge-or-404';
import { challengePageMetadata } from '../challenge-page-metadata';

export const dynamic = 'force-dynamic';

export function generateMetadata({ params }: { params: Promise<{ slug: string }> }) {
  return challengePageMetadata(params, 'Leaderboard');
}

/**
 * The leaderboard as a signed-in user sees it (their rows marked and always shown). Visitors without a session are
 * served the cached copy of app/(public)/public-boards instead (see the rewrites in next.config.ts).
 */
export default async function LeaderboardPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { ctx, challenge } = await getChallengeOr404((await params).slug);
  const query = parseRouteQuery('/challenges/[slug]/leaderboard', await searchParams);
  return <LeaderboardView ctx={ctx} challenge={challenge} phaseKey={query.phase} split={query.split} page={query.page ?? 1} />;
}
