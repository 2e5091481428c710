import { ChallengeList } from '@/app/_components/challenge-list';
import { listChallenges } from '@/lib/server/challenges/list-challenges';
import { getRequestContext } from '@/lib/server/request-context';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Challenges' };

/** Every challenge, where the header's "Challenges" leads. */
export default async function ChallengesIndexPage() {
  const challenges = await listChallenges(await getRequestContext());
  return (
    <>
      <section className="hero">
        <h1>Challenges</h1>
        <p className="muted">Each has its data, its evaluation, a submission page, a leaderboard with uncertainties and, for classification, a baseline you can train in the browser.</p>
      </section>
      <ChallengeList challenges={challenges} />
    </>
  );
}
