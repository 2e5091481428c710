import Link from 'next/link';
import type { ChallengeListItemDto } from '@/lib/shared/dto/challenge-view-dto';
import { plural } from './format';

const taskWords: Record<string, string> = {
  'binary-classification': 'classify events (id, score)',
  'interval-estimation': 'estimate μ with an interval per pseudo-experiment',
  'track-assignment': 'assign every hit to a track (event_id, hit_id, track_id)',
};

/** The published challenges (and the caller's drafts), one card each. */
export function ChallengeList({ challenges }: { challenges: ChallengeListItemDto[] }) {
  if (challenges.length === 0) return <p className="muted">No challenge is published yet.</p>;
  return (
    <ul className="cards" data-testid="challenge-list">
      {challenges.map((c) => (
        <li key={c.slug} className="card" data-testid="challenge-card" data-slug={c.slug}>
          <h2>
            <Link href={`/challenges/${c.slug}`}>{c.title}</Link>{' '}
            {c.isToy ? (
              <span className="badge toy">toy data</span>
            ) : (
              <span className="badge real" data-testid="real-data-badge">
                real data
              </span>
            )}{' '}
            {c.isDraft && (
              <span className="badge" data-testid="draft-badge">
                draft
              </span>
            )}
          </h2>
          <p>{c.summary}</p>
          <p className="muted small">
            {c.openPhase ? <span className="badge open">open</span> : <span className="badge">closed</span>} {plural(c.participantCount, 'participant')} ·{' '}
            {plural(c.submissionCount, 'submission')} · {taskWords[c.task] ?? c.task}
          </p>
        </li>
      ))}
    </ul>
  );
}
