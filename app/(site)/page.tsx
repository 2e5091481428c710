import Link from 'next/link';
import { plural } from '@/app/_components/format';
import { listChallenges } from '@/lib/server/challenges/list-challenges';
import { getRequestContext } from '@/lib/server/request-context';

export const dynamic = 'force-dynamic';

export default async function ChallengesPage() {
  const challenges = await listChallenges(await getRequestContext());
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
      {challenges.length === 0 && <p className="muted">No challenge is published yet.</p>}
      <ul className="cards">
        {challenges.map((c) => (
          <li key={c.slug} className="card">
            <h2>
              <Link href={`/challenges/${c.slug}`}>{c.title}</Link>{' '}
              {c.isToy ? <span className="badge toy">toy data</span> : <span className="badge real" data-testid="real-data-badge">real data</span>}{' '}
              {c.isDraft && <span className="badge" data-testid="draft-badge">draft</span>}
            </h2>
            <p>{c.summary}</p>
            <p className="muted small">
              {c.openPhase ? <span className="badge open">open</span> : <span className="badge">closed</span>} {plural(c.participantCount, 'participant')} ·{' '}
              {plural(c.submissionCount, 'submission')} · {c.task}
            </p>
          </li>
        ))}
      </ul>
    </>
  );
}
