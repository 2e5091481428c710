import Link from 'next/link';

/** What a visitor who may not organise sees instead of an organiser page. */
export function OrganiserNotice({ code, message, callbackUrl }: { code: 'UNAUTHENTICATED' | 'FORBIDDEN'; message: string; callbackUrl: string }) {
  return (
    <article className="narrow">
      <h1>Organiser pages</h1>
      {code === 'UNAUTHENTICATED' ? (
        <p className="notice" data-testid="organiser-sign-in">
          <Link href={`/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}`}>Sign in</Link> with an organiser account to run challenges.
        </p>
      ) : (
        <p className="error" role="alert" data-testid="organiser-forbidden">
          {message}
        </p>
      )}
      <p className="muted small">
        Back to the <Link href="/">challenges</Link>.
      </p>
    </article>
  );
}
