'use client';

import { startTransition, useActionState, type FormEvent, type ReactNode } from 'react';
import type { ActionResult } from '@/lib/shared/action-result';
import { ProblemList } from '@/app/_components/problem-list';

export type MessageAction = (previous: ActionResult<string> | null, form: FormData) => Promise<ActionResult<string>>;

/**
 * A small organiser form around one server action that answers with a sentence: hidden fields, optional inputs,
 * one button, and the answer (or the refusal) right below it. Submitted in a transition, so typed values stay in
 * the fields when the server refuses them. Keep it mounted at the same place when the page re-renders after the
 * action (swap its props instead of the element), so the answer stays visible.
 */
export function ActionForm({
  action,
  hidden,
  submitLabel,
  pendingLabel,
  confirmText,
  testId,
  children,
  isSecondary,
  isDisabled,
}: {
  action: MessageAction;
  hidden: Record<string, string>;
  submitLabel: string;
  pendingLabel?: string;
  /** Asked before submitting, for actions that cannot be taken back quietly. */
  confirmText?: string;
  testId: string;
  children?: ReactNode;
  isSecondary?: boolean;
  /** Shown but not usable (e.g. "Published"); the last answer stays visible. */
  isDisabled?: boolean;
}) {
  const [result, dispatch, isPending] = useActionState<ActionResult<string> | null, FormData>(action, null);
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (confirmText && !window.confirm(confirmText)) return;
    const form = new FormData(event.currentTarget);
    startTransition(() => dispatch(form));
  }
  return (
    <form onSubmit={onSubmit} className="action-form" data-testid={`${testId}-form`}>
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <div className="row">
        {children}
        <button type="submit" disabled={isPending || isDisabled} className={isSecondary ? 'secondary' : undefined} data-testid={testId}>
          {isPending ? (pendingLabel ?? 'Working…') : submitLabel}
        </button>
      </div>
      {result?.ok && (
        <p className="success small" role="status" data-testid={`${testId}-result`}>
          {result.data}
        </p>
      )}
      <ProblemList result={result} testId={`${testId}-error`} />
    </form>
  );
}
