'use client';

import { signIn } from 'next-auth/react';
import { useState } from 'react';
import { toSameOriginPath } from '@/lib/shared/same-origin-path';

export function SignInForm({ callbackUrl, initialError }: { callbackUrl: string; initialError: string | null }) {
  const [error, setError] = useState<string | null>(initialError);
  const [isPending, setIsPending] = useState(false);
  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setIsPending(true);
    setError(null);
    const form = new FormData(event.currentTarget);
    const result = await signIn('credentials', {
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
      redirect: false,
    });
    setIsPending(false);
    if (!result || result.error) {
      // next-auth reports a refused password as "CredentialsSignin"; anything else is our own message (rate limit).
      setError(result?.error && result.error !== 'CredentialsSignin' ? result.error : 'Sign-in failed: wrong e-mail or password.');
      return;
    }
    // Checked again where it is followed, so no path into this form can redirect off the site.
    window.location.assign(toSameOriginPath(callbackUrl));
  }
  return (
    <form onSubmit={onSubmit} className="form">
      <label>
        E-mail
        <input name="email" type="email" autoComplete="email" required />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      <button type="submit" disabled={isPending}>
        {isPending ? 'Signing in…' : 'Sign in'}
      </button>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
