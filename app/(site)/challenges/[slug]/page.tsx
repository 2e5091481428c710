import Link from 'next/link';
import { Markdown } from '@/app/_components/markdown';
import { TrackerFigure } from './_components/tracker-figure';
import { getChallengeOr404 } from './get-challenge-or-404';
import { challengePageMetadata } from './challenge-page-metadata';

export const dynamic = 'force-dynamic';

export function generateMetadata({ params }: { params: Promise<{ slug: string }> }) {
  return challengePageMetadata(params);
}

export default async function ChallengeOverviewPage({ params }: { params: Promise<{ slug: string }> }) {
  const { challenge } = await getChallengeOr404((await params).slug);
  return (
    <article>
      {challenge.dataset.id === 'trackml-toy' && <TrackerFigure />}
      <nav className="notice start-here" aria-label="Where to start" data-testid="start-here">
        <strong>New to this challenge?</strong> First{' '}
        <Link href={`/challenges/${challenge.slug}/data#explore`} data-testid="start-explore">
          explore the data
        </Link>{' '}
        (what each feature looks like for signal and background), then{' '}
        <Link href={`/challenges/${challenge.slug}/train`} data-testid="start-train">
          train in your browser
        </Link>
        .
      </nav>
      <Markdown source={challenge.pages.overview} />
      <h2>Terms</h2>
      <Markdown source={challenge.pages.terms.replace(/^##\s*Terms\s*\n/, '')} />
    </article>
  );
}
