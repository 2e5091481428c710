import Link from 'next/link';
import { ChallengeList } from '@/app/_components/challenge-list';
import { listChallenges } from '@/lib/server/challenges/list-challenges';
import { getRequestContext } from '@/lib/server/request-context';
import { listMySubmissions } from '@/lib/server/submissions/list-my-submissions';
import { parseRouteQuery } from '@/lib/shared/query/route-queries';

export const dynamic = 'force-dynamic';
export const metadata = { title: { absolute: 'HEP Arena · machine-learning challenges on particle-physics open data' } };

/** What a new participant does next, until their first submission (and right after signing up). */
function NextSteps({ name, isWelcome, firstSlug }: { name: string; isWelcome: boolean; firstSlug: string | null }) {
  const challengeHref = firstSlug ? `/challenges/${firstSlug}` : '/challenges';
  return (
    <section className="panel next-steps" data-testid="next-steps">
      <h3>{isWelcome ? `Welcome, ${name}: your account is ready.` : 'Your next steps'}</h3>
      <ol>
        <li>
          Pick a <Link href="/challenges">challenge</Link> and read its <strong>Overview</strong> and <strong>Evaluation</strong> (how entries are ranked).
        </li>
        <li>
          Download the data from its <strong>Data</strong> tab (Arrow, Parquet, CSV or ROOT, with loading snippets), or{' '}
          <Link href={firstSlug ? `${challengeHref}/train` : '/challenges'}>train a baseline in your browser</Link> without installing anything.
        </li>
        <li>
          Upload your predictions on the <strong>Submit</strong> tab; the status moves from queued to scored by itself, and your entry appears on the{' '}
          <strong>Leaderboard</strong> with its uncertainty.
        </li>
        <li>
          From scripts: create a token under <Link href="/settings/tokens">Settings → API tokens</Link> and use the HTTP API or{' '}
          <code>npm run arena</code>.
        </li>
      </ol>
    </section>
  );
}

export default async function ChallengesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await getRequestContext();
  const { welcome } = parseRouteQuery('/', await searchParams);
  const challenges = await listChallenges(ctx);
  const hasSubmitted = ctx.user ? (await listMySubmissions(ctx, { limit: 1 })).length > 0 : true;
  const realDataCount = challenges.filter((c) => !c.isToy).length;
  return (
    <>
      <section className="hero">
        <h1>Challenges</h1>
        {/* The tagline says what is actually served: real data only when a listed challenge has some. */}
        <p className="muted" data-testid="tagline">
          {realDataCount > 0
            ? 'Real ATLAS open data and seeded toys in, honest uncertainty-aware rankings out.'
            : 'Seeded toy data in (real releases go in with the pipeline), honest uncertainty-aware rankings out.'}{' '}
          Download the data, train anything, upload a score per event.
        </p>
      </section>
      {ctx.user && (welcome === true || !hasSubmitted) && <NextSteps name={ctx.user.name} isWelcome={welcome === true} firstSlug={challenges.find((c) => c.openPhase)?.slug ?? null} />}
      <ChallengeList challenges={challenges} />
    </>
  );
}
