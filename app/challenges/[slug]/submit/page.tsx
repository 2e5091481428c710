import Link from 'next/link';
import { getChallengeOr404 } from '../get-challenge-or-404';
import { SubmitForm } from './_components/submit-form';

export const dynamic = 'force-dynamic';

export default async function SubmitPage({ params }: { params: Promise<{ slug: string }> }) {
  const { ctx, challenge } = await getChallengeOr404((await params).slug);
  if (!ctx.user) {
    return (
      <p className="notice">
        <Link href={`/sign-in?callbackUrl=/challenges/${challenge.slug}/submit`}>Sign in</Link> or{' '}
        <Link href="/sign-up">create an account</Link> to submit.
      </p>
    );
  }
  if (!challenge.openPhase) return <p className="notice">This challenge has no open phase; submissions are closed.</p>;
  return (
    <article>
      <h2>Submit predictions</h2>
      <p>
        One row per test event: <code>id,score</code> with a score in [0, 1] for every one of the test ids, in any order. The
        file is checked at once; a rejected file is not stored and does not count. Accepted files are scored on the public
        and private splits within seconds. Limit: {challenge.openPhase.maxPerDay} per day (UTC); failed submissions do not
        count.
      </p>
      <SubmitForm challengeSlug={challenge.slug} />
    </article>
  );
}
