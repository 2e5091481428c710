import { notFound } from 'next/navigation';
import { ChallengeHeader } from '@/app/_components/challenge-header';
import { LeaderboardView } from '@/app/_components/leaderboard/leaderboard-view';
import { RefreshWhenStale } from '@/app/_components/refresh-when-stale';
import { getChallenge } from '@/lib/server/challenges/get-challenge';
import { getVisitorContext } from '@/lib/server/request-context';
import { isAppError } from '@/lib/shared/app-error';
import { fromPublicBoardParams } from '@/lib/shared/board-query';

/**
 * A leaderboard as every viewer gets it, rendered once and served from Next's cache (incremental static
 * regeneration): re-rendered in the background at most every `revalidate` seconds, so a thousand viewers cost one
 * render. The rewrites of next.config.ts send every viewer here from /challenges/<slug>/leaderboard; a signed-in
 * viewer's own rows are fetched live by the page and marked (PersonalisedBoard), so their new score shows at once.
 */
export const revalidate = 5;
export const dynamicParams = true;

/** None at build time (the database is not there yet): each board is rendered on its first visit. */
export function generateStaticParams() {
  return [];
}

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }) {
  const challenge = await getChallenge(await getVisitorContext(), (await params).slug).catch(() => null);
  return { title: challenge ? `Leaderboard · ${challenge.title}` : 'Leaderboard' };
}

export default async function PublicBoardPage({ params }: { params: Promise<{ slug: string; phase: string; split: string; page: string }> }) {
  const { slug, ...rest } = await params;
  const query = fromPublicBoardParams(rest);
  if (!query) notFound();
  const ctx = await getVisitorContext();
  const challenge = await getChallenge(ctx, slug).catch((error: unknown) => {
    if (isAppError(error) && error.code === 'NOT_FOUND') notFound();
    throw error;
  });
  const renderedAt = ctx.now().toISOString();
  return (
    <>
      <ChallengeHeader challenge={challenge} currentHref={`/challenges/${challenge.slug}/leaderboard`} />
      <LeaderboardView ctx={ctx} challenge={challenge} phaseKey={query.phase} split={query.split} page={query.page} isSharedCopy />
      <p className="small muted" data-testid="board-rendered-at">
        As of {renderedAt.replace('T', ' ').slice(0, 19)} UTC (a copy refreshed every {revalidate} s; signed in, your own entries are
        added live and marked).
      </p>
      <RefreshWhenStale renderedAt={renderedAt} maxAgeSeconds={2 * revalidate} />
    </>
  );
}
