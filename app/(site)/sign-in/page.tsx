import Link from 'next/link';
import { parseRouteQuery } from '@/lib/shared/query/route-queries';
import { toSameOriginPath } from '@/lib/shared/same-origin-path';
import { SignInForm } from './_components/sign-in-form';

export const metadata = { title: 'Sign in' };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { callbackUrl, error } = parseRouteQuery('/sign-in', await searchParams);
  // Only same-site paths, parsed as the browser will parse them: an open redirect would be a phishing aid.
  const target = toSameOriginPath(callbackUrl);
  return (
    <article className="narrow">
      <h1>Sign in</h1>
      <SignInForm callbackUrl={target} initialError={error ? 'Sign-in failed: wrong e-mail or password.' : null} />
      <p className="muted small">
        No account yet? <Link href="/sign-up">Sign up</Link>.
      </p>
    </article>
  );
}
