import { Markdown } from '@/app/_components/markdown';
import { TrackerFigure } from './_components/tracker-figure';
import { getChallengeOr404 } from './get-challenge-or-404';

export const dynamic = 'force-dynamic';

export default async function ChallengeOverviewPage({ params }: { params: Promise<{ slug: string }> }) {
  const { challenge } = await getChallengeOr404((await params).slug);
  return (
    <article>
      {challenge.dataset.id === 'trackml-toy' && <TrackerFigure />}
      <Markdown source={challenge.pages.overview} />
      <h2>Terms</h2>
      <Markdown source={challenge.pages.terms.replace(/^##\s*Terms\s*\n/, '')} />
    </article>
  );
}
