import Link from 'next/link';
import type { ReactNode } from 'react';
import { plural } from '@/app/_components/format';
import { getChallengeOr404 } from './get-challenge-or-404';

export const dynamic = 'force-dynamic';

export default async function ChallengeLayout({ children, params }: { children: ReactNode; params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { challenge } = await getChallengeOr404(slug);
  const base = `/challenges/${challenge.slug}`;
  const tabs = [
    ['Overview', base],
    ['Evaluation', `${base}/evaluation`],
    ['Data', `${base}/data`],
    ['Submit', `${base}/submit`],
    ['Train in your browser', `${base}/train`],
    ['Leaderboard', `${base}/leaderboard`],
  ] as const;
  return (
    <>
      <section className="challenge-head">
        <h1>
          {challenge.title} {challenge.isToy && <span className="badge toy" title="Generated toy data, not ATLAS simulation">toy data</span>}
        </h1>
        <p className="muted">{challenge.summary}</p>
        <p className="small muted">
          {challenge.openPhase ? (
            <>
              <span className="badge open">{challenge.openPhase.title}</span> open
              {challenge.openPhase.closesAt ? ` until ${challenge.openPhase.closesAt.slice(0, 10)}` : ', no closing date yet'} ·{' '}
              {challenge.openPhase.maxPerDay} submissions per day
            </>
          ) : (
            <span className="badge">no open phase</span>
          )}{' '}
          · {plural(challenge.participantCount, 'participant')} · {plural(challenge.submissionCount, 'submission')}
        </p>
        <nav className="tabs">
          {tabs.map(([label, href]) => (
            <Link key={href} href={href}>
              {label}
            </Link>
          ))}
        </nav>
      </section>
      {children}
    </>
  );
}
