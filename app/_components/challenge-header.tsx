import { formatDateTime, plural } from './format';
import { TabLinks } from './tab-links';
import { findBrowserModelTraining, findBrowserTrainingFiles } from '@/lib/shared/browser-training';
import type { ChallengeViewDto } from '@/lib/shared/dto/challenge-view-dto';

/** Title, state and tabs of a challenge, above each of its pages. */
export function ChallengeHeader({ challenge, currentHref }: { challenge: ChallengeViewDto; currentHref?: string }) {
  const base = `/challenges/${challenge.slug}`;
  const tabs = [
    { label: 'Overview', href: base, testId: 'tab-overview' },
    { label: 'Evaluation', href: `${base}/evaluation`, testId: 'tab-evaluation' },
    { label: 'Data', href: `${base}/data`, testId: 'tab-data' },
    { label: 'Submit', href: `${base}/submit`, testId: 'tab-submit' },
    { label: 'Team', href: `${base}/team`, testId: 'tab-team' },
    // Only where it works: a classification challenge with Arrow training and test sets (or, where the phase takes
    // models, an Arrow training set: the model is submitted and run on the server).
    ...(findBrowserModelTraining(challenge) || findBrowserTrainingFiles(challenge) ? [{ label: 'Train in your browser', href: `${base}/train`, testId: 'tab-train' }] : []),
    { label: 'Leaderboard', href: `${base}/leaderboard`, testId: 'tab-leaderboard' },
    ...(challenge.canOrganise ? [{ label: 'Organise', href: `/organise/${challenge.slug}`, testId: 'tab-organise' }] : []),
  ];
  return (
    <section className="challenge-head">
      <h1>
        {challenge.title} {challenge.isToy ? (
          <span className="badge toy" title="Generated toy data, not ATLAS simulation">toy data</span>
        ) : (
          <span className="badge real" title="Real open data (see the data page for its source and licence)">real data</span>
        )}
      </h1>
      {challenge.isDraft && (
        <p className="notice" data-testid="draft-banner">
          Draft: only you and the platform admins see this challenge until it is published on its organiser page.
        </p>
      )}
      <p className="muted">{challenge.summary}</p>
      <p className="small muted">
        {challenge.openPhase ? (
          <>
            <span className="badge open">{challenge.openPhase.title}</span> open
            {challenge.openPhase.closesAt ? ` until ${formatDateTime(challenge.openPhase.closesAt)}` : ', no closing date yet'} ·{' '}
            {challenge.openPhase.maxPerDay} submissions per day
          </>
        ) : (
          <span className="badge">no open phase</span>
        )}{' '}
        · {plural(challenge.participantCount, 'participant')} · {plural(challenge.submissionCount, 'submission')}
      </p>
      <TabLinks tabs={tabs} currentHref={currentHref} />
    </section>
  );
}
