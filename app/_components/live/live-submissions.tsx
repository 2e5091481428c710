'use client';

import { useRouter } from 'next/navigation';
import { createContext, useContext, useRef, type ReactNode } from 'react';
import type { MetricColumnDto } from '@/lib/shared/dto/challenge-dto';
import type { MetricValueDto } from '@/lib/shared/dto/leaderboard-dto';
import type { SubmissionStatusDto } from '@/lib/shared/dto/submission-dto';
import { isTerminalStatus, type LiveSubmissionDto } from '@/lib/shared/dto/submission-status-dto';
import { formatMetricInterval, formatMetricValue } from '@/lib/shared/formats/metric-format';
import { useLiveSubmissions, type LiveTransport } from './use-live-submissions';

const LiveContext = createContext<{ byId: ReadonlyMap<string, LiveSubmissionDto>; transport: LiveTransport }>({ byId: new Map(), transport: 'idle' });

/**
 * Follows the submissions of a server-rendered page that are not final yet (one stream for the whole page) and, when
 * one of them becomes final, re-renders the page from the server (no reload), so that everything around the status
 * (final selection, private scores, plots) catches up. The status and scores below change at once.
 */
export function LiveSubmissions({ ids, children }: { ids: string[]; children: ReactNode }) {
  const router = useRouter();
  const refreshed = useRef(new Set<string>());
  const live = useLiveSubmissions(ids, (submission) => {
    if (!isTerminalStatus(submission.status) || refreshed.current.has(submission.id)) return;
    refreshed.current.add(submission.id);
    router.refresh();
  });
  return (
    <LiveContext.Provider value={live}>
      <span hidden data-testid="live-transport" data-transport={live.transport} />
      {children}
    </LiveContext.Provider>
  );
}

const statusWords: Record<SubmissionStatusDto, string> = {
  received: 'received',
  queued: 'queued',
  scoring: 'scoring',
  scored: 'scored',
  failed: 'failed',
};

/** A submission's status as it changes, with the reason of a failure. */
export function LiveStatus({ id, status, error, testId = 'submission-status' }: { id: string; status: SubmissionStatusDto; error: string | null; testId?: string }) {
  const live = useContext(LiveContext).byId.get(id);
  const current = live?.status ?? status;
  const reason = live ? live.error : error;
  return (
    <>
      <span className={`status status-${current}`} data-testid={testId} data-status={current} aria-live="polite">
        {statusWords[current]}
      </span>
      {!isTerminalStatus(current) && <span className="muted small"> · updates by itself</span>}
      {reason && (
        <div className="error small" data-testid="submission-error">
          {reason}
        </div>
      )}
    </>
  );
}

/** Public scores by metric name with their intervals, primary first; they appear when scoring ends. */
export function LiveScores({ id, metrics, values }: { id: string; metrics: MetricColumnDto[]; values: Record<string, MetricValueDto> }) {
  const live = useContext(LiveContext).byId.get(id);
  return <ScoreList metrics={live?.metrics.length ? live.metrics : metrics} values={live?.scoredVersion ? live.publicValues : values} />;
}

/** Metric name, value and 68 % interval, one per line, primary first. */
export function ScoreList({ metrics, values }: { metrics: MetricColumnDto[]; values: Record<string, MetricValueDto> }) {
  const shown = metrics.filter((m) => values[m.id]);
  if (shown.length === 0) return null;
  return (
    <dl className="score-list" data-testid="score-list">
      {shown.map((m) => {
        const value = values[m.id];
        const interval = formatMetricInterval(value, m.precision);
        return (
          <div key={m.id} data-testid="score" data-metric={m.id}>
            <dt title={m.directionText}>
              {m.label}
              {m.primary && ' ★'}:
            </dt>
            <dd>
              {formatMetricValue(value?.value, m.precision)}
              {interval && <span className="muted ci"> ({interval})</span>}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}

/**
 * One just-submitted entry followed live (the submit and training pages): its status moving from queued through
 * scoring to scored, or failed with the reason, then its public scores.
 */
export function LiveSubmissionCard({ submission, children }: { submission: { id: string; status: SubmissionStatusDto; error: string | null }; children?: ReactNode }) {
  const live = useLiveSubmissions([submission.id]);
  const current = live.byId.get(submission.id);
  const status = current?.status ?? submission.status;
  return (
    <div className="live-card" data-testid="live-submission" data-submission-id={submission.id} data-status={status} data-transport={live.transport}>
      <p>
        Status{' '}
        <span className={`status status-${status}`} data-testid="live-status" aria-live="polite">
          {statusWords[status]}
        </span>
        {!isTerminalStatus(status) && <span className="muted small"> · updates by itself, no need to reload</span>}
      </p>
      {current?.error && (
        <p className="error small" data-testid="live-error">
          {current.error}
        </p>
      )}
      {current && status === 'scored' && <ScoreList metrics={current.metrics} values={current.publicValues} />}
      {children}
    </div>
  );
}
