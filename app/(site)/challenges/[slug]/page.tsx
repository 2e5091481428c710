import { Markdown } from '@/app/_components/markdown';
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
      <Markdown source={challenge.pages.overview} />
      <h2>Terms</h2>
      <Markdown source={challenge.pages.terms.replace(/^##\s*Terms\s*\n/, '')} />
    </article>
  );
}
