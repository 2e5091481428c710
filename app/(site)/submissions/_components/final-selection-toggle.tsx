'use client';

import { useEffect, useState, useSyncExternalStore } from 'react';
import { selectFinalSubmissionsAction } from '../actions';

/**
 * The final selection of one phase as this browser tab knows it, shared by every toggle of the phase (the rows of My
 * submissions, a submission page): changed at once by a click, sent to the server one change at a time in click
 * order, each carrying the whole selection as it stands then, so quick clicks on several rows never overwrite each
 * other. `confirmed` is what the server last accepted; a refused change falls back to it.
 */
type SelectionStore = { ids: string[]; confirmed: string[]; pending: number; chain: Promise<void>; listeners: Set<() => void> };
const stores = new Map<string, SelectionStore>();

function storeOf(key: string, serverIds: string[]): SelectionStore {
  let store = stores.get(key);
  if (!store) {
    store = { ids: serverIds, confirmed: serverIds, pending: 0, chain: Promise.resolve(), listeners: new Set() };
    stores.set(key, store);
  }
  return store;
}

function publish(store: SelectionStore, ids: string[]): void {
  store.ids = ids;
  for (const listener of store.listeners) listener();
}

const sameIds = (a: string[], b: string[]) => a.length === b.length && a.every((id) => b.includes(id));

/**
 * Puts one submission into, or takes it out of, its phase's final selection. `selectedIds` is the selection the page
 * was rendered with (the caller's team or the caller alone); the server replaces the selection as a whole and
 * enforces the limit, the deadline and ownership again. The box changes at once; a change the server refuses (or
 * one that cannot be made, like a third final) snaps back with the reason beside it, never silently.
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
  const store = storeOf(`${challengeSlug}/${phaseKey}`, selectedIds);
  const ids = useSyncExternalStore(
    (listener) => {
      store.listeners.add(listener);
      return () => store.listeners.delete(listener);
    },
    () => store.ids,
    () => selectedIds,
  );
  // A fresh server render (after a change, or a reload) is the truth again once nothing is on its way.
  useEffect(() => {
    if (store.pending > 0) return;
    store.confirmed = selectedIds;
    if (!sameIds(store.ids, selectedIds)) publish(store, selectedIds);
  }, [store, selectedIds]);
  const [isSaving, setIsSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const isSelected = ids.includes(submissionId);
  const isFull = !isSelected && ids.length >= maxSelections;
  const fullHint = `You already selected ${maxSelections} final submissions for this phase; unselect one of them first.`;

  const toggle = () => {
    setError(null);
    setNotice(null);
    if (isFull) {
      setError(fullHint);
      return;
    }
    const next = isSelected ? store.ids.filter((id) => id !== submissionId) : [...store.ids, submissionId];
    publish(store, next);
    store.pending += 1;
    setIsSaving(true);
    store.chain = store.chain.then(async () => {
      try {
        const result = await selectFinalSubmissionsAction({ challengeSlug, phaseKey, submissionIds: next });
        if (!result.ok) {
          setError(`Not saved: ${result.error.message}`);
          publish(store, store.confirmed);
          return;
        }
        store.confirmed = result.data.submissionIds;
        const isNowSelected = result.data.submissionIds.includes(submissionId);
        if (isNowSelected !== next.includes(submissionId)) setError('Not saved: the server kept the previous selection. Reload the page and try again.');
        else setNotice(isNowSelected ? 'Selected as final.' : 'Removed from the final selection.');
      } catch {
        setError('Not saved: the network failed. Check your connection and try again.');
        publish(store, store.confirmed);
      } finally {
        store.pending -= 1;
        if (store.pending === 0) publish(store, store.confirmed);
        setIsSaving(false);
      }
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
            onChange={toggle}
            data-testid="final-checkbox"
            data-saving={isSaving ? 'true' : undefined}
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
      <button type="button" className={isSelected ? 'secondary' : undefined} onClick={toggle} data-testid="final-toggle">
        {isSaving ? 'Saving…' : isSelected ? 'Remove from final selection' : 'Select as final'}
      </button>{' '}
      <span className="muted small">
        {isFull ? fullHint : `${ids.length} of ${maxSelections} final submissions selected for this phase.`}
      </span>
      {message}
    </div>
  );
}
