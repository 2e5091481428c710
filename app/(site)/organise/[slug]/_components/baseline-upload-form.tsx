'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { uploadPredictions } from '@/lib/client/upload/upload-predictions';
import { maxPredictionFileBytes } from '@/lib/shared/formats/prediction-target';

type State = { kind: 'idle' } | { kind: 'busy'; label: string } | { kind: 'done'; message: string } | { kind: 'refused'; message: string };

/**
 * The organiser's reference entry, streamed to the upload endpoint like any participant's file (up to the same 1 GiB),
 * with progress; the answer shows in place.
 */
export function BaselineUploadForm({ challengeSlug }: { challengeSlug: string }) {
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
    if (file.size > maxPredictionFileBytes) {
      setState({ kind: 'refused', message: `${file.name} is larger than the ${Math.round(maxPredictionFileBytes / 2 ** 20)} MiB limit of any upload; compress it with gzip.` });
      return;
    }
    const outcome = await uploadPredictions({
      challengeSlug,
      body: file,
      fileName: file.name,
      isOrganiserBaseline: true,
      onProgress: (loaded, total) => setState({ kind: 'busy', label: `Uploading… ${Math.floor((100 * loaded) / Math.max(total, 1))} %` }),
      onUploaded: () => setState({ kind: 'busy', label: 'Checking…' }),
    });
    if (!outcome.ok) {
      setState({ kind: 'refused', message: outcome.error.message });
      return;
    }
    const s = outcome.submission;
    setState({ kind: 'done', message: `Baseline ${s.fileName} accepted (${s.rows.toLocaleString('en')} rows, ${s.status}); it is pinned on the leaderboard, marked and unranked.` });
    router.refresh();
  }
  return (
    <form onSubmit={onSubmit} className="action-form" data-testid="baseline-form">
      <div className="row">
        <label>
          predictions file
          <input type="file" name="file" required data-testid="baseline-file" />
        </label>
        <button type="submit" disabled={state.kind === 'busy'} data-testid="baseline">
          {state.kind === 'busy' ? state.label : 'Upload baseline'}
        </button>
      </div>
      {state.kind === 'done' && (
        <p className="success small" role="status" data-testid="baseline-result">
          {state.message}
        </p>
      )}
      {state.kind === 'refused' && (
        <p className="error small" role="alert" data-testid="baseline-error">
          {state.message}
        </p>
      )}
    </form>
  );
}
