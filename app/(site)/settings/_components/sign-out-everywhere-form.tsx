'use client';

import { useActionState, useEffect } from 'react';
import type { ActionResult } from '@/lib/shared/action-result';
import { signOutEverywhereAction } from '../actions';

/** Ends every session of the account; this browser then goes to the sign-in page, since its session ended too. */
export function SignOutEverywhereForm() {
  const [result, action, isPending] = useActionState<ActionResult<{ ended: number }> | null, FormData>(signOutEverywhereAction, null);
  useEffect(() => {
    if (result?.ok) window.location.assign('/sign-in?callbackUrl=/settings');
  }, [result]);
  return (
    <form
      action={action}
      onSubmit={(event) => {
        if (!window.confirm('Sign out on every browser and device, this one included?')) event.preventDefault();
      }}
    >
      <button type="submit" disabled={isPending} data-testid="sign-out-everywhere">
        {isPending ? 'Signing out…' : 'Sign out everywhere'}
      </button>
      {result && !result.ok && (
        <p className="error small" role="alert">
          {result.error.message}
        </p>
      )}
      {result?.ok && (
        <p className="success small" role="status" data-testid="sign-out-everywhere-result">
          Ended {result.data.ended} session(s).
        </p>
      )}
    </form>
  );
}
