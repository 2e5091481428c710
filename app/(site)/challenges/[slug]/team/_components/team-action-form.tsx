'use client';

import { useActionState, type ReactNode } from 'react';
import type { ActionResult } from '@/lib/shared/action-result';

/**
 * One team form (create, join, leave, new invite code): posts to its server action and shows the refusal in words.
 * On success the page re-renders from the server with the new state.
 */
export function TeamActionForm<T>({
  action,
  challengeSlug,
  submitLabel,
  pendingLabel,
  confirmText,
  className = 'form',
  testId,
  children,
}: {
  action: (previous: ActionResult<T> | null, form: FormData) => Promise<ActionResult<T>>;
  challengeSlug: string;
  submitLabel: string;
  pendingLabel: string;
  confirmText?: string;
  className?: string;
  testId?: string;
  children?: ReactNode;
}) {
  const [result, formAction, isPending] = useActionState<ActionResult<T> | null, FormData>(action, null);
  return (
    <form
      action={formAction}
      className={className}
      data-testid={testId}
      onSubmit={(event) => {
        if (confirmText && !window.confirm(confirmText)) event.preventDefault();
      }}
    >
      <input type="hidden" name="challengeSlug" value={challengeSlug} />
      {children}
      <button type="submit" disabled={isPending}>
        {isPending ? pendingLabel : submitLabel}
      </button>
      {result && !result.ok && (
        <p className="error" role="alert" data-testid="team-error">
          {result.error.message}
        </p>
      )}
    </form>
  );
}
