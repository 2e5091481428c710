'use client';

import { useOptimistic, useState, useTransition } from 'react';
import { selectFinalSubmissionsAction } from '../actions';

/**
 * Puts one submission into, or takes it out of, its phase's final selection. `selectedIds` is the selection the page
 * showed (the caller's team or the caller alone); the new selection replaces it as a whole on the server, which
 * enforces the limit, the deadline and ownership again. The box changes at once; a change the server refuses (or one
 * that cannot be made, like a third final) snaps back with the reason beside it, never silently.
 */
export function FinalSelectionToggle({
  challengeSlug,
  phaseKey,
  submissionId,
  selectedIds,
  maxSelections,
  variant,
}: {
  challengeSlug: string;
  phaseKey: string;
  submissionId: string;
  selectedIds: string[];
  maxSelections: number;
  variant: 'checkbox' | 'button';
}) {
  const [isPending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [optimisticIds, setOptimisticIds] = useOptimistic(selectedIds);
  const isSelected = optimisticIds.includes(submissionId);
  const isFull = !isSelected && optimisticIds.length >= maxSelections;
  const fullHint = `You already selected ${maxSelections} final submissions for this phase; unselect one of them first.`;

  const toggle = () => {
    setError(null);
    setNotice(null);
    if (isFull) {
      setError(fullHint);
      return;
    }
    const next = isSelected ? optimisticIds.filter((id) => id !== submissionId) : [...optimisticIds, submissionId];
    startTransition(async () => {
      setOptimisticIds(next);
      const result = await selectFinalSubmissionsAction({ challengeSlug, phaseKey, submissionIds: next });
      if (!result.ok) {
        setError(`Not saved: ${result.error.message}`);
        return;
      }
      const isNowSelected = result.data.submissionIds.includes(submissionId);
      if (isNowSelected !== next.includes(submissionId)) setError('Not saved: the server kept the previous selection. Reload the page and try again.');
      else setNotice(isNowSelected ? 'Selected as final.' : 'Removed from the final selection.');
    });
  };

  const message = (
    <>
      {error && (
        <div className="error small" role="alert" data-testid="final-selection-error">
          {error}
        </div>
      )}
      {notice && !error && (
        <div className="muted small" role="status" data-testid="final-selection-saved">
          {notice}
        </div>
      )}
    </>
  );
  if (variant === 'checkbox') {
    return (
      <>
        <label className="small" title={isFull ? fullHint : `Use this entry on the private leaderboard (at most ${maxSelections} per phase)`}>
          <input
            type="checkbox"
            checked={isSelected}
            disabled={isPending}
            aria-disabled={isFull}
            onChange={toggle}
            data-testid="final-checkbox"
            aria-label={isSelected ? 'Selected as final; clear to unselect' : 'Select as final'}
          />{' '}
          final
        </label>
        {message}
      </>
    );
  }
  return (
    <div>
      <button type="button" className={isSelected ? 'secondary' : undefined} disabled={isPending} aria-disabled={isFull} onClick={toggle} data-testid="final-toggle">
        {isPending ? 'Saving…' : isSelected ? 'Remove from final selection' : 'Select as final'}
      </button>{' '}
      <span className="muted small">
        {isFull ? fullHint : `${optimisticIds.length} of ${maxSelections} final submissions selected for this phase.`}
      </span>
      {message}
    </div>
  );
}
