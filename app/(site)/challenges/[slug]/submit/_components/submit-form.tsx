'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useRef, useState, type FormEvent } from 'react';
import { LiveSubmissionCard } from '@/app/_components/live/live-submissions';
import type { AppErrorDetails } from '@/lib/shared/app-error';
import type { SubmissionDto } from '@/lib/shared/dto/submission-dto';
import { maxPredictionFileBytes } from '@/lib/shared/formats/prediction-target';
import { maxSubmissionDescriptionLength } from '@/lib/shared/submission-description';

type UploadError = { code: string; message: string; details: AppErrorDetails };

type UploadState =
  | { kind: 'idle' }
  | { kind: 'uploading'; loadedBytes: number; totalBytes: number }
  | { kind: 'checking' }
  | { kind: 'accepted'; submission: SubmissionDto }
  | { kind: 'rejected'; error: UploadError }
  | { kind: 'failed'; message: string };

const ACCEPT = '.csv,.arrow,.feather,.ipc,.parquet,.gz,text/csv,application/vnd.apache.arrow.file,application/vnd.apache.parquet,application/gzip';

function formatMiB(bytes: number): string {
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(0)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function parseErrorBody(text: string, status: number): UploadError {
  try {
    const body = JSON.parse(text) as { error?: Partial<UploadError> };
    if (body.error?.message) return { code: body.error.code ?? 'ERROR', message: body.error.message, details: body.error.details ?? {} };
  } catch {
    // Not JSON (a proxy's error page): fall through to a message built from the status.
  }
  const message =
    status === 413
      ? 'The file is larger than the server accepts. Compress it with gzip or submit a smaller table.'
      : `The server answered ${status} without an explanation. Nothing was stored; please try again.`;
  return { code: status === 413 ? 'PAYLOAD_TOO_LARGE' : 'ERROR', message, details: {} };
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
}: {
  challengeSlug: string;
  /** The phase the page showed as open: the server refuses the file if another phase is open by the time it arrives. */
  phaseKey: string;
  isDisabled: boolean;
  expectedHeader: string;
}) {
  const router = useRouter();
  const [state, setState] = useState<UploadState>({ kind: 'idle' });
  const requestRef = useRef<XMLHttpRequest | null>(null);
  const isBusy = state.kind === 'uploading' || state.kind === 'checking';

  function upload(file: File, description: string) {
    const request = new XMLHttpRequest();
    requestRef.current = request;
    const query = new URLSearchParams({ fileName: file.name, phase: phaseKey, ...(description ? { description } : {}) });
    request.open('POST', `/api/v1/challenges/${encodeURIComponent(challengeSlug)}/submissions?${query.toString()}`);
    request.setRequestHeader('content-type', file.type || 'application/octet-stream');
    request.setRequestHeader('accept', 'application/json');
    request.upload.onprogress = (event) => {
      setState({ kind: 'uploading', loadedBytes: event.loaded, totalBytes: event.lengthComputable ? event.total : file.size });
    };
    request.upload.onload = () => setState({ kind: 'checking' });
    request.onload = () => {
      requestRef.current = null;
      if (request.status >= 200 && request.status < 300) {
        try {
          setState({ kind: 'accepted', submission: JSON.parse(request.responseText) as SubmissionDto });
        } catch {
          setState({ kind: 'failed', message: 'The server accepted the file but its answer was unreadable; check My submissions before uploading again.' });
        }
        router.refresh();
        return;
      }
      setState({ kind: 'rejected', error: parseErrorBody(request.responseText, request.status) });
    };
    request.onerror = () => {
      requestRef.current = null;
      setState({ kind: 'failed', message: 'The upload was interrupted (network error). Check your connection and try again.' });
    };
    request.onabort = () => {
      requestRef.current = null;
      setState({ kind: 'failed', message: 'Upload cancelled. Nothing was stored.' });
    };
    setState({ kind: 'uploading', loadedBytes: 0, totalBytes: file.size });
    request.send(file);
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
        error: { code: 'INVALID_SUBMISSION', message: `Choose a non-empty predictions file with the columns ${expectedHeader}.`, details: {} },
      });
      return;
    }
    if (file.size > maxPredictionFileBytes) {
      setState({
        kind: 'rejected',
        error: {
          code: 'PAYLOAD_TOO_LARGE',
          message: `${file.name} is ${formatMiB(file.size)}; the limit is ${formatMiB(maxPredictionFileBytes)}. Compress it with gzip or save it as Parquet.`,
          details: { file: file.name },
        },
      });
      return;
    }
    upload(file, description);
  }

  return (
    <form onSubmit={onSubmit} className="form" data-testid="submit-form">
      <label data-testid="predictions-file">
        <span>
          Predictions file (CSV, Arrow IPC or Parquet, optionally gzipped; header <code>{expectedHeader}</code>)
        </span>
        <input type="file" name="file" accept={ACCEPT} required disabled={isBusy} data-testid="submit-file-input" />
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
          <button type="button" className="secondary" onClick={() => requestRef.current?.abort()} data-testid="submit-cancel">
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
            Accepted <code>{state.submission.fileName}</code> ({state.submission.rows.toLocaleString('en')} rows).{' '}
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
