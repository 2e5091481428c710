import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import { maxFinalSelections } from '@/challenges/schema';
import type { Metadata } from 'next';
import { cache } from 'react';
import { formatBytes, formatDateTime } from '@/app/_components/format';
import { LiveStatus, LiveSubmissions } from '@/app/_components/live/live-submissions';
import { getRequestContext } from '@/lib/server/request-context';
import { getSubmissionDetail } from '@/lib/server/submissions/get-submission-detail';
import { listMySubmissions } from '@/lib/server/submissions/list-my-submissions';
import { isAppError } from '@/lib/shared/app-error';
import { FinalSelectionToggle } from '../_components/final-selection-toggle';
import { MetricsTable } from './_components/metrics-table';
import { SubmissionPlots } from './_components/submission-plots';

export const dynamic = 'force-dynamic';

/** The detail once per request, for the title and the page; a stranger's or unknown id is a 404 either way. */
const loadDetail = cache(async (id: string) => {
  const ctx = await getRequestContext();
  if (!ctx.user) return { ctx, detail: null };
  const detail = await getSubmissionDetail(ctx, id).catch((error: unknown) => {
    if (isAppError(error) && error.code === 'NOT_FOUND') notFound();
    throw error;
  });
  return { ctx, detail };
});

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { detail } = await loadDetail((await params).id);
  return { title: detail ? `${detail.fileName} · ${detail.challengeTitle}` : 'Submission' };
}

const sourceLabels = { upload: 'web upload', api: 'HTTP API', 'browser-baseline': 'baseline trained in the browser' } as const;

export default async function SubmissionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { ctx, detail } = await loadDetail(id);
  // Every id sends an anonymous visitor to sign in, so the redirect says nothing about whether this one exists.
  if (!detail) redirect(`/sign-in?callbackUrl=${encodeURIComponent(`/submissions/${id}`)}`);
  // The selection the toggle edits: the caller's (or their team's) current final entries in this phase.
  const selectedIds = detail.canSelectFinal
    ? (await listMySubmissions(ctx, { challenge: detail.challengeSlug, limit: 1000 }))
        .filter((s) => s.challengeSlug === detail.challengeSlug && s.phaseKey === detail.phaseKey && s.isFinal && s.canSelectFinal)
        .map((s) => s.id)
    : [];
  const isActive = detail.status === 'received' || detail.status === 'queued' || detail.status === 'scoring';
  const isClosed = detail.phaseState === 'closed';

  return (
    <LiveSubmissions ids={isActive ? [detail.id] : []}>
    <article data-testid="submission-detail">
      <p className="muted small">
        <Link href="/submissions">My submissions</Link> ·{' '}
        <Link href={`/challenges/${detail.challengeSlug}/leaderboard?phase=${encodeURIComponent(detail.phaseKey)}`}>leaderboard</Link>
      </p>
      <h1>
        <code>{detail.fileName}</code>{' '}
        {detail.isFinal && (
          <span className="badge selected" data-testid="final-badge">
            final
          </span>
        )}{' '}
        {detail.isBaseline && <span className="badge baseline">organiser baseline</span>}
      </h1>
      {detail.description && (
        <p className="description" data-testid="submission-description">
          {detail.description}
        </p>
      )}

      <section className="panel">
        <dl className="facts">
          <div>
            <dt>status</dt>
            <dd>
              <LiveStatus id={detail.id} status={detail.status} error={detail.error} />
            </dd>
          </div>
          <div>
            <dt>challenge</dt>
            <dd>
              <Link href={`/challenges/${detail.challengeSlug}`}>{detail.challengeTitle}</Link>
            </dd>
          </div>
          <div>
            <dt>phase</dt>
            <dd>
              {detail.phaseTitle} <span className="muted small">({detail.phaseState})</span>
            </dd>
          </div>
          <div>
            <dt>submitted by</dt>
            <dd>
              {detail.submitterName}
              {detail.teamName && <span className="muted"> · team {detail.teamName}</span>}
            </dd>
          </div>
          <div>
            <dt>submitted</dt>
            <dd>
              {formatDateTime(detail.createdAt)}
              {detail.finishedAt && <span className="muted small"> · finished {formatDateTime(detail.finishedAt)}</span>}
            </dd>
          </div>
          <div>
            <dt>source</dt>
            <dd>{sourceLabels[detail.source]}</dd>
          </div>
          {detail.model ? (
            <>
              <div>
                <dt>model</dt>
                <dd data-testid="submission-model">
                  {detail.model.format === 'onnx' ? 'ONNX' : 'TF.js'} · {formatBytes(detail.model.sizeBytes)} ·{' '}
                  <span className="muted small">{detail.model.runtime}</span>
                </dd>
              </div>
              <div>
                <dt>inference</dt>
                <dd data-testid="submission-inference">
                  {detail.model.msPerThousandEvents !== null && detail.model.events !== null ? (
                    <>
                      {detail.model.msPerThousandEvents.toFixed(2)} ms per 1 000 events{' '}
                      <span className="muted small">
                        ({detail.model.events.toLocaleString('en')} events
                        {detail.model.peakMemoryBytes ? `, peak memory ${formatBytes(detail.model.peakMemoryBytes)}` : ''})
                      </span>
                    </>
                  ) : detail.model.failureKind ? (
                    <span className="error small">run failed: {detail.model.failureKind}</span>
                  ) : (
                    <span className="muted">not run yet</span>
                  )}
                </dd>
              </div>
            </>
          ) : (
            <div>
              <dt>file</dt>
              <dd>
                {detail.rows.toLocaleString('en')} rows · {formatBytes(detail.sizeBytes)}
              </dd>
            </div>
          )}
          <div>
            <dt>sha256</dt>
            <dd>
              <code className="small" style={{ wordBreak: 'break-all' }} data-testid="submission-sha256">
                {detail.sha256}
              </code>
            </dd>
          </div>
          <div>
            <dt>scoring version</dt>
            <dd>{detail.scoredVersion ? <code>{detail.scoredVersion}</code> : <span className="muted">not scored yet</span>}</dd>
          </div>
        </dl>
        {detail.canSelectFinal ? (
          <FinalSelectionToggle
            challengeSlug={detail.challengeSlug}
            phaseKey={detail.phaseKey}
            submissionId={detail.id}
            selectedIds={selectedIds}
            maxSelections={maxFinalSelections}
            variant="button"
          />
        ) : (
          detail.isFinal && <p className="muted small">Selected for the private leaderboard{isClosed ? '; the selection closed with the phase.' : '.'}</p>
        )}
      </section>

      <h2>Scores</h2>
      {!detail.scores.public && !detail.scores.private ? (
        <p className="muted">
          {detail.status === 'failed' ? 'This submission was not scored.' : 'Scores appear here once scoring has finished.'}
        </p>
      ) : (
        <>
          {(['public', 'private'] as const).map((split) => {
            const scores = detail.scores[split];
            return (
              <section key={split}>
                <h3>{split === 'public' ? 'Public split' : 'Private split'}</h3>
                {scores ? (
                  <MetricsTable split={split} scores={scores} metrics={detail.metrics} variations={detail.variations} />
                ) : (
                  <p className="muted small" data-testid={`${split}-hidden`}>
                    {split === 'private' && detail.privateHiddenReason ? detail.privateHiddenReason : 'No scores for this split.'}
                  </p>
                )}
              </section>
            );
          })}
          <p className="muted small">Each value shows its bootstrap 68 % interval underneath; ★ marks the primary metric.</p>
        </>
      )}

      {detail.status === 'scored' && (
        <>
          <h2>Plots</h2>
          <SubmissionPlots details={detail.details} variations={detail.variations} />
        </>
      )}
    </article>
    </LiveSubmissions>
  );
}
