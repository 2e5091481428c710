'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import type { SubmissionDto } from '@/lib/shared/dto/submission-dto';

type State = { kind: 'idle' } | { kind: 'uploading' } | { kind: 'done'; submission: SubmissionDto } | { kind: 'refused'; message: string };

/**
 * The organiser's reference entry: the file goes, streamed, to the same upload endpoint as a participant's
 * (`?baseline=true`), so its size is bounded by the upload limit, not by a form post's.
 */
export function BaselineUploadForm({ slug }: { slug: string }) {
  const router = useRouter();
  const [state, setState] = useState<State>({ kind: 'idle' });
  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const input = event.currentTarget.elements.namedItem('file');
    const file = input instanceof HTMLInputElement ? input.files?.[0] : undefined;
    if (!file || file.size === 0) {
      setState({ kind: 'refused', message: 'Choose the predictions file of your reference entry.' });
      return;
    }
    setState({ kind: 'uploading' });
    try {
      const query = new URLSearchParams({ fileName: file.name, baseline: 'true' });
      const response = await fetch(`/api/v1/challenges/${encodeURIComponent(slug)}/submissions?${query.toString()}`, {
        method: 'POST',
        headers: { 'content-type': file.type || 'application/octet-stream', accept: 'application/json' },
        body: file,
      });
      const body = (await response.json().catch(() => null)) as (SubmissionDto & { error?: { message?: string } }) | null;
      if (!response.ok || !body) {
        setState({ kind: 'refused', message: body?.error?.message ?? `The server answered ${response.status}; nothing was stored.` });
        return;
      }
      setState({ kind: 'done', submission: body });
      router.refresh();
    } catch {
      setState({ kind: 'refused', message: 'The upload was interrupted (network error); nothing was stored.' });
    }
  }
  return (
    <form onSubmit={onSubmit} className="action-form" data-testid="baseline-form">
      <div className="row">
        <label>
          predictions file
          <input type="file" name="file" required data-testid="baseline-file" />
        </label>
        <button type="submit" disabled={state.kind === 'uploading'} data-testid="baseline">
          {state.kind === 'uploading' ? 'Checking…' : 'Upload baseline'}
        </button>
      </div>
      {state.kind === 'done' && (
        <p className="success small" role="status" data-testid="baseline-result">
          Baseline {state.submission.fileName} accepted ({state.submission.rows.toLocaleString('en')} rows, {state.submission.status}); it is pinned on the
          leaderboard, marked and unranked.
        </p>
      )}
      {state.kind === 'refused' && (
        <div className="error" role="alert" data-testid="baseline-error">
          {state.message}
        </div>
      )}
    </form>
  );
}
