'use client';

import { signIn } from 'next-auth/react';
import { useState } from 'react';
import { signUpAction } from '../actions';

export function SignUpForm() {
  const [error, setError] = useState<string | null>(null);
  const [isPending, setIsPending] = useState(false);
  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setIsPending(true);
    setError(null);
    const form = new FormData(event.currentTarget);
    const input = { email: String(form.get('email') ?? ''), name: String(form.get('name') ?? ''), password: String(form.get('password') ?? '') };
    const result = await signUpAction(input);
    if (!result.ok) {
      setIsPending(false);
      setError(result.error.message);
      return;
    }
    const signedIn = await signIn('credentials', { email: input.email, password: input.password, redirect: false });
    setIsPending(false);
    if (!signedIn || signedIn.error) {
      setError('Your account was created, but signing in failed; try the sign-in page.');
      return;
    }
    // The home page then says what to do next.
    window.location.assign('/?welcome=true');
  }
  return (
    <form onSubmit={onSubmit} className="form">
      <label>
        E-mail
        <input name="email" type="email" autoComplete="email" required />
      </label>
      <label>
        Display name (shown on leaderboards)
        <input name="name" type="text" autoComplete="nickname" required maxLength={80} />
      </label>
      <label>
        Password (at least 8 characters)
        <input name="password" type="password" autoComplete="new-password" required minLength={8} />
      </label>
      <button type="submit" disabled={isPending}>
        {isPending ? 'Creating…' : 'Create account'}
      </button>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
