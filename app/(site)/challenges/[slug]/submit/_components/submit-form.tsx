'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useRef, useState, type FormEvent } from 'react';
import { LiveSubmissionCard } from '@/app/_components/live/live-submissions';
import type { AppErrorDetails } from '@/lib/shared/app-error';
import { type UploadError, uploadPredictions } from '@/lib/client/upload/upload-predictions';
import type { SubmissionDto } from '@/lib/shared/dto/submission-dto';
import { maxPredictionFileBytes } from '@/lib/shared/formats/prediction-target';
import { maxSubmissionDescriptionLength } from '@/lib/shared/submission-description';

type UploadState =
  | { kind: 'idle' }
  | { kind: 'uploading'; loadedBytes: number; totalBytes: number }
  | { kind: 'checking' }
  | { kind: 'accepted'; submission: SubmissionDto }
  | { kind: 'rejected'; error: UploadError }
  | { kind: 'failed'; message: string };

const ACCEPT = '.csv,.arrow,.feather,.ipc,.parquet,.gz,.zip,text/csv,application/vnd.apache.arrow.file,application/vnd.apache.parquet,application/gzip,application/zip';
const ACCEPT_MODEL = '.onnx,.zip,application/zip';

function formatMiB(bytes: number): string {
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(0)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** Where the problem is, from the error details: file, line or row, column; what was expected and found. */
function ErrorLocation({ details }: { details: AppErrorDetails }) {
  const parts: Array<[string, string]> = [];
  if (details.file) parts.push(['file', details.file]);
  if (typeof details.row === 'number') parts.push([details.file?.toLowerCase().match(/\.csv(\.gz)?$/) ? 'line' : 'row', String(details.row)]);
  if (details.column) parts.push(['column', details.column]);
  if (details.expected) parts.push(['expected', details.expected]);
  if (details.found !== undefined && details.found !== '') parts.push(['found', JSON.stringify(details.found)]);
  if (parts.length === 0) return null;
  return (
    <dl className="error-location" data-testid="submit-error-location">
      {parts.map(([term, value]) => (
        <div key={term} data-testid={`submit-error-${term}`}>
          <dt>{term}</dt>
          <dd>
            <code>{value}</code>
          </dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * Streams the chosen file as the raw request body to the REST endpoint (no form encoding, no copy in memory), with
 * upload progress, then shows the accepted submission or the server's explanation in place.
 */
export function SubmitForm({
  challengeSlug,
  phaseKey,
  isDisabled,
  expectedHeader,
  accepts = 'predictions',
  maxModelBytes = maxPredictionFileBytes,
}: {
  challengeSlug: string;
  /** The phase the page showed as open: the server refuses the file if another phase is open by the time it arrives. */
  phaseKey: string;
  isDisabled: boolean;
  expectedHeader: string;
  /** What the phase takes: a predictions file, a model (ONNX or a TF.js zip, run on the server), or either. */
  accepts?: 'predictions' | 'models' | 'both';
  maxModelBytes?: number;
}) {
  const maxBytes = accepts === 'models' ? maxModelBytes : maxPredictionFileBytes;
  const router = useRouter();
  const [state, setState] = useState<UploadState>({ kind: 'idle' });
  const cancelRef = useRef<(() => void) | null>(null);
  const isBusy = state.kind === 'uploading' || state.kind === 'checking';

  async function upload(file: File, description: string) {
    setState({ kind: 'uploading', loadedBytes: 0, totalBytes: file.size });
    const outcome = await uploadPredictions({
      challengeSlug,
      body: file,
      fileName: file.name,
      phaseKey,
      description,
      ...(accepts === 'models' ? { kind: 'model' as const } : {}),
      onProgress: (loadedBytes, totalBytes) => setState({ kind: 'uploading', loadedBytes, totalBytes }),
      onUploaded: () => setState({ kind: 'checking' }),
      onCancelHandle: (cancel) => (cancelRef.current = cancel),
    });
    cancelRef.current = null;
    if (outcome.ok) {
      setState({ kind: 'accepted', submission: outcome.submission });
      router.refresh();
    } else if (outcome.error.code === 'NETWORK' || outcome.error.code === 'CANCELLED' || outcome.error.code === 'UNREADABLE') {
      setState({ kind: 'failed', message: outcome.error.message });
    } else {
      setState({ kind: 'rejected', error: outcome.error });
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const input = event.currentTarget.elements.namedItem('file');
    const file = input instanceof HTMLInputElement ? input.files?.[0] : undefined;
    const descriptionInput = event.currentTarget.elements.namedItem('description');
    const description = descriptionInput instanceof HTMLInputElement ? descriptionInput.value.trim() : '';
    if (!file || file.size === 0) {
      setState({
        kind: 'rejected',
        error: {
          code: 'INVALID_SUBMISSION',
          message: accepts === 'models' ? 'Choose a model file: an ONNX model (.onnx) or a TF.js model zipped with its weight files (.zip).' : `Choose a non-empty predictions file with the columns ${expectedHeader}.`,
          details: {},
        },
      });
      return;
    }
    if (file.size > maxBytes) {
      setState({
        kind: 'rejected',
        error: {
          code: 'PAYLOAD_TOO_LARGE',
          message: `${file.name} is ${formatMiB(file.size)}; the limit is ${formatMiB(maxBytes)}.${accepts === 'models' ? '' : ' Compress it with gzip or save it as Parquet.'}`,
          details: { file: file.name },
        },
      });
      return;
    }
    void upload(file, description);
  }

  return (
    <form onSubmit={onSubmit} className="form" data-testid="submit-form">
      <label data-testid="predictions-file">
        {accepts === 'models' ? (
          <span>Model file (ONNX, or a TF.js model.json zipped with its weight files)</span>
        ) : (
          <span>
            Predictions file (CSV, Arrow IPC or Parquet, optionally gzipped or alone in a zip; header <code>{expectedHeader}</code>)
            {accepts === 'both' && <> — or a model (ONNX, or a TF.js zip)</>}
          </span>
        )}
        <input
          type="file"
          name="file"
          accept={accepts === 'models' ? ACCEPT_MODEL : accepts === 'both' ? `${ACCEPT},${ACCEPT_MODEL}` : ACCEPT}
          required
          disabled={isBusy}
          data-testid="submit-file-input"
        />
      </label>
      <label>
        <span>
          Description <span className="muted small">(optional: what this entry is, e.g. &quot;BDT, 400 trees, no DER_ features&quot;; shown in My submissions and exports)</span>
        </span>
        <input type="text" name="description" maxLength={maxSubmissionDescriptionLength} disabled={isBusy} autoComplete="off" data-testid="submit-description" />
      </label>
      <div className="row">
        <button type="submit" disabled={isBusy || isDisabled} data-testid="submit-button">
          {state.kind === 'uploading' ? 'Uploading…' : state.kind === 'checking' ? 'Checking…' : 'Submit'}
        </button>
        {state.kind === 'uploading' && (
          <button type="button" className="secondary" onClick={() => cancelRef.current?.()} data-testid="submit-cancel">
            Cancel upload
          </button>
        )}
      </div>
      {state.kind === 'uploading' && (
        <div className="progress" data-testid="submit-progress">
          <progress value={state.loadedBytes} max={Math.max(state.totalBytes, 1)} />
          <span className="small">
            {formatMiB(state.loadedBytes)} of {formatMiB(state.totalBytes)} ({Math.floor((100 * state.loadedBytes) / Math.max(state.totalBytes, 1))} %)
          </span>
        </div>
      )}
      {state.kind === 'checking' && (
        <p className="muted small" data-testid="submit-checking">
          Uploaded; checking every row…
        </p>
      )}
      {state.kind === 'rejected' && (
        <div className="error" role="alert" data-testid="submit-error" data-code={state.error.code}>
          <strong>Rejected — nothing was stored.</strong> {state.error.message}
          <ErrorLocation details={state.error.details} />
        </div>
      )}
      {state.kind === 'failed' && (
        <div className="error" role="alert" data-testid="submit-error" data-code="NETWORK">
          {state.message}
        </div>
      )}
      {state.kind === 'accepted' && (
        <div className="success" role="status" data-testid="submit-ok">
          <div data-testid="submit-result" data-submission-id={state.submission.id} data-status={state.submission.status}>
            Accepted <code>{state.submission.fileName}</code>{' '}
            {state.submission.model
              ? `(a ${state.submission.model.format === 'onnx' ? 'ONNX' : 'TF.js'} model, loaded and run on 16 rows of zeros by ${state.submission.model.runtime}; it runs on the hidden test sets next)`
              : `(${state.submission.rows.toLocaleString('en')} rows)`}
            .{' '}
            <Link href={`/submissions/${state.submission.id}`} data-testid="submission-link">
              Its page
            </Link>{' '}
            has every score and the plots; all your entries are under <Link href="/submissions">My submissions</Link>, the ranking on the{' '}
            <Link href={`/challenges/${challengeSlug}/leaderboard`}>leaderboard</Link>.
          </div>
          <LiveSubmissionCard submission={state.submission} />
        </div>
      )}
    </form>
  );
}
