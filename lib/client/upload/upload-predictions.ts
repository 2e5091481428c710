import type { AppErrorDetails } from '@/lib/shared/app-error';
import type { SubmissionDto } from '@/lib/shared/dto/submission-dto';

/** The server's refusal as the forms show it: code, sentence, and where (file, line, column, expected vs found). */
export type UploadError = { code: string; message: string; details: AppErrorDetails };

export type UploadOutcome = { ok: true; submission: SubmissionDto } | { ok: false; error: UploadError };

export type UploadPredictionsInput = {
  challengeSlug: string;
  /** A chosen file or predictions made in the browser: sent as the raw request body, never copied into a form. */
  body: Blob;
  fileName: string;
  /** The participant's short note on this entry (empty or left out: none); shown on their pages and in exports. */
  description?: string;
  /** The phase the page showed as open; the server refuses if another one is open by the time the file arrives. */
  phaseKey?: string;
  /** Predictions of the model trained in this browser. */
  isBrowserBaseline?: boolean;
  /** An organiser's reference entry. */
  isOrganiserBaseline?: boolean;
  /** What the body is, where the phase takes both (default: judged by the server from the file). */
  kind?: 'model' | 'predictions';
  onProgress?: (loadedBytes: number, totalBytes: number) => void;
  /** All bytes sent; the server is checking every row. */
  onUploaded?: () => void;
  /** Set to a function that cancels the upload. */
  onCancelHandle?: (cancel: () => void) => void;
};

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

/**
 * The one way the browser uploads predictions (or a model): streamed as the raw body of `POST /api/v1/challenges/<slug>/submissions`
 * (the session cookie identifies the user), with progress, up to the same 1 GiB as any upload. The submit form, the
 * browser baseline and the organiser's baseline all go through here, so none hits a request-body limit of its own.
 */
export function uploadPredictions(input: UploadPredictionsInput): Promise<UploadOutcome> {
  return new Promise((resolve) => {
    const request = new XMLHttpRequest();
    const query = new URLSearchParams({ fileName: input.fileName });
    if (input.description) query.set('description', input.description);
    if (input.phaseKey) query.set('phase', input.phaseKey);
    if (input.isBrowserBaseline) query.set('source', 'browser-baseline');
    if (input.isOrganiserBaseline) query.set('baseline', 'true');
    if (input.kind) query.set('kind', input.kind);
    request.open('POST', `/api/v1/challenges/${encodeURIComponent(input.challengeSlug)}/submissions?${query.toString()}`);
    request.setRequestHeader('content-type', input.body.type || 'application/octet-stream');
    request.setRequestHeader('accept', 'application/json');
    request.upload.onprogress = (event) => input.onProgress?.(event.loaded, event.lengthComputable ? event.total : input.body.size);
    request.upload.onload = () => input.onUploaded?.();
    request.onload = () => {
      if (request.status >= 200 && request.status < 300) {
        try {
          resolve({ ok: true, submission: JSON.parse(request.responseText) as SubmissionDto });
        } catch {
          resolve({ ok: false, error: { code: 'UNREADABLE', message: 'The server accepted the file but its answer was unreadable; check My submissions before uploading again.', details: {} } });
        }
        return;
      }
      resolve({ ok: false, error: parseErrorBody(request.responseText, request.status) });
    };
    request.onerror = () => resolve({ ok: false, error: { code: 'NETWORK', message: 'The upload was interrupted (network error). Check your connection and try again.', details: {} } });
    request.onabort = () => resolve({ ok: false, error: { code: 'CANCELLED', message: 'Upload cancelled. Nothing was stored.', details: {} } });
    input.onCancelHandle?.(() => request.abort());
    input.onProgress?.(0, input.body.size);
    request.send(input.body);
  });
}
