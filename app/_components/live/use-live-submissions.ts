'use client';

import { useEffect, useRef, useState } from 'react';
import { isTerminalStatus, type LiveSubmissionDto } from '@/lib/shared/dto/submission-status-dto';

/** How the page learns about changes: a server-sent event stream, or (without one) a request every few seconds. */
export type LiveTransport = 'idle' | 'sse' | 'polling';

const pollIntervalMs = 2000;
/** EventSource reconnects by itself; after this many failures in a row the page polls instead. */
const maxStreamFailures = 3;

function statusUrl(ids: readonly string[]): string {
  return `/api/v1/me/submissions/status?ids=${ids.map(encodeURIComponent).join(',')}`;
}

/**
 * Follows the given submissions until each is scored or failed: over server-sent events when the browser and the
 * network allow, else by polling the same endpoint for JSON. `onChange` sees every new state (the first one
 * included), so a page can refresh what it rendered on the server once a submission is final.
 */
export function useLiveSubmissions(ids: readonly string[], onChange?: (submission: LiveSubmissionDto, previous: LiveSubmissionDto | undefined) => void) {
  const [byId, setById] = useState<ReadonlyMap<string, LiveSubmissionDto>>(new Map());
  const [transport, setTransport] = useState<LiveTransport>('idle');
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const key = [...ids].sort().join(',');

  useEffect(() => {
    const followed = key ? key.split(',') : [];
    if (followed.length === 0) return;
    let isStopped = false;
    let source: EventSource | null = null;
    let pollTimer: ReturnType<typeof setTimeout> | null = null;
    const known = new Map<string, LiveSubmissionDto>();
    const accept = (submission: LiveSubmissionDto) => {
      const previous = known.get(submission.id);
      known.set(submission.id, submission);
      setById(new Map(known));
      onChangeRef.current?.(submission, previous);
    };
    const allFinal = () => followed.every((id) => {
      const s = known.get(id);
      return s !== undefined && isTerminalStatus(s.status);
    });

    const poll = async () => {
      if (isStopped) return;
      try {
        const response = await fetch(statusUrl(followed), { headers: { accept: 'application/json' }, cache: 'no-store' });
        if (response.ok) {
          for (const submission of (await response.json()) as LiveSubmissionDto[]) {
            const previous = known.get(submission.id);
            if (!previous || previous.status !== submission.status || previous.error !== submission.error || previous.scoredVersion !== submission.scoredVersion) accept(submission);
          }
        }
      } catch {
        // Offline for a moment: try again at the next tick.
      }
      if (!isStopped && !allFinal()) pollTimer = setTimeout(() => void poll(), pollIntervalMs);
    };
    const startPolling = () => {
      source?.close();
      source = null;
      setTransport('polling');
      void poll();
    };

    if (typeof EventSource !== 'function') {
      startPolling();
    } else {
      let failures = 0;
      source = new EventSource(statusUrl(followed));
      setTransport('sse');
      source.addEventListener('status', (event) => {
        failures = 0;
        accept(JSON.parse((event as MessageEvent<string>).data) as LiveSubmissionDto);
      });
      source.addEventListener('done', () => {
        source?.close();
        source = null;
      });
      source.onerror = () => {
        if (isStopped || !source) return;
        failures += 1;
        // CLOSED: the server refused the stream (an error status or a proxy that does not pass it); otherwise the
        // browser is reconnecting, which we allow a few times before falling back to polling.
        if (source.readyState === EventSource.CLOSED || failures >= maxStreamFailures) startPolling();
      };
    }
    return () => {
      isStopped = true;
      source?.close();
      if (pollTimer) clearTimeout(pollTimer);
    };
  }, [key]);

  return { byId, transport };
}
