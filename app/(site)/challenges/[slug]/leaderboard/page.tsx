import { LeaderboardView } from '@/app/_components/leaderboard/leaderboard-view';
import { parseRouteQuery } from '@/lib/shared/query/route-queries';
import { getChallengeOr404 } from '../get-challenge-or-404';
import { challengePageMetadata } from '../challenge-page-metadata';

export const dynamic = 'force-dynamic';

export function generateMetadata({ params }: { params: Promise<{ slug: string }> }) {
  return challengePageMetadata(params, 'Leaderboard');
}

/**
 * The leaderboard rendered for one request (the viewer's rows marked and always shown), for the addresses the rewrites
 * of next.config.ts do not send to the copy every viewer shares (app/(public)/public-boards): pages past the cached
 * range. Everyone else, signed in or not, gets that copy, with a signed-in viewer's own rows added by the browser.
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
