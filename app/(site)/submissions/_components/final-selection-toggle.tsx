'use client';

import { useState, useTransition } from 'react';
import { selectFinalSubmissionsAction } from '../actions';

/**
 * Puts one submission into, or takes it out of, its phase's final selection. `selectedIds` is the selection the page
 * showed (the caller's team or the caller alone); the new selection replaces it as a whole on the server, which
 * enforces the limit, the deadline and ownership again.
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
  const isSelected = selectedIds.includes(submissionId);
  const isFull = !isSelected && selectedIds.length >= maxSelections;
  const fullHint = `You already selected ${maxSelections} final submissions for this phase; unselect one first.`;

  const toggle = () => {
    setError(null);
    const next = isSelected ? selectedIds.filter((id) => id !== submissionId) : [...selectedIds, submissionId];
    startTransition(async () => {
      const result = await selectFinalSubmissionsAction({ challengeSlug, phaseKey, submissionIds: next });
      if (!result.ok) setError(result.error.message);
    });
  };

  const message = error && (
    <div className="error small" role="alert" data-testid="final-selection-error">
      {error}
    </div>
  );
  if (variant === 'checkbox') {
    return (
      <>
        <label className="small" title={isFull ? fullHint : `Use this entry on the private leaderboard (at most ${maxSelections} per phase)`}>
          <input
            type="checkbox"
            checked={isSelected}
            disabled={isPending || isFull}
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
      <button type="button" className={isSelected ? 'secondary' : undefined} disabled={isPending || isFull} onClick={toggle} data-testid="final-toggle">
        {isPending ? 'Saving…' : isSelected ? 'Remove from final selection' : 'Select as final'}
      </button>{' '}
      <span className="muted small">
        {isFull ? fullHint : `${selectedIds.length} of ${maxSelections} final submissions selected for this phase.`}
      </span>
      {message}
    </div>
  );
}
