import Link from 'next/link';
import { redirect } from 'next/navigation';
import { maxFinalSelections } from '@/challenges/schema';
import { formatBytes, formatDateTime } from '@/app/_components/format';
import { LiveScores, LiveStatus, LiveSubmissions, ScoreList } from '@/app/_components/live/live-submissions';
import { listChallenges } from '@/lib/server/challenges/list-challenges';
import { getRequestContext } from '@/lib/server/request-context';
import { listMySubmissions } from '@/lib/server/submissions/list-my-submissions';
import { parseRouteQuery } from '@/lib/shared/query/route-queries';
import { isTerminalStatus } from '@/lib/shared/dto/submission-status-dto';
import { FinalSelectionToggle } from './_components/final-selection-toggle';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'My submissions' };

const statuses = ['received', 'queued', 'scoring', 'scored', 'failed'] as const;

export default async function MySubmissionsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await getRequestContext();
  if (!ctx.user) redirect('/sign-in?callbackUrl=/submissions');
  const filter = parseRouteQuery('/submissions', await searchParams);
  const [submissions, challenges] = await Promise.all([listMySubmissions(ctx, filter), listChallenges(ctx)]);
  const moving = submissions.filter((s) => !isTerminalStatus(s.status)).map((s) => s.id);
  // The current final selection per phase, as the checkboxes edit it (at most maxFinalSelections each).
  const phaseKeyOf = (s: { challengeSlug: string; phaseKey: string }) => `${s.challengeSlug}/${s.phaseKey}`;
  const selectedByPhase = new Map<string, string[]>();
  for (const s of submissions) {
    if (!s.isFinal || !s.canSelectFinal) continue;
    selectedByPhase.set(phaseKeyOf(s), [...(selectedByPhase.get(phaseKeyOf(s)) ?? []), s.id]);
  }
  const exportQuery = (format: 'csv' | 'json') =>
    new URLSearchParams({ ...(filter.challenge ? { challenge: filter.challenge } : {}), ...(filter.status ? { status: filter.status } : {}), format }).toString();
  const isFiltered = filter.challenge !== undefined || filter.status !== undefined;
  return (
    <article>
      <h1>My submissions</h1>
      <p className="muted small">
        Your entries and your teams&apos;. Tick up to {maxFinalSelections} scored entries per phase for the private leaderboard; without a choice, your
        best public entry is used. Statuses change here by themselves while entries are scored.
      </p>
      <form className="row filters" method="get" action="/submissions" data-testid="submission-filters">
        <label>
          challenge
          <select name="challenge" defaultValue={filter.challenge ?? ''} data-testid="filter-challenge">
            <option value="">all challenges</option>
            {challenges.map((c) => (
              <option key={c.slug} value={c.slug}>
                {c.title}
              </option>
            ))}
          </select>
        </label>
        <label>
          status
          <select name="status" defaultValue={filter.status ?? ''} data-testid="filter-status">
            <option value="">any status</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="secondary" data-testid="filter-apply">
          Filter
        </button>
        {isFiltered && (
          <Link href="/submissions" className="small">
            show all
          </Link>
        )}
      </form>
      {submissions.length === 0 ? (
        <p className="muted" data-testid="no-submissions">
          {isFiltered ? (
            <>
              No submission matches this filter. <Link href="/submissions">Show all</Link>.
            </>
          ) : (
            <>
              Nothing submitted yet. Pick a <Link href="/challenges">challenge</Link>, download its data and upload your predictions.
            </>
          )}
        </p>
      ) : (
        <LiveSubmissions ids={moving}>
          <div className="table-scroll">
            <table className="table my-submissions" data-testid="my-submissions">
              <thead>
                <tr>
                  <th>submitted</th>
                  <th>challenge</th>
                  <th>file and description</th>
                  <th>status</th>
                  <th>public scores (68 % interval)</th>
                  <th>private scores</th>
                  <th>final</th>
                </tr>
              </thead>
              <tbody>
                {submissions.map((s) => (
                  <tr key={s.id} data-testid="submission-row" data-submission-id={s.id} data-status={s.status} data-final={s.isFinal ? 'true' : 'false'}>
                    <td className="small">{formatDateTime(s.createdAt)}</td>
                    <td>
                      <Link href={`/challenges/${s.challengeSlug}`}>{s.challengeTitle}</Link>
                      <div className="muted small">phase {s.phaseKey}</div>
                    </td>
                    <td>
                      <Link href={s.href} data-testid="submission-link">
                        <code>{s.fileName}</code>
                      </Link>
                      {s.description && (
                        <div className="description" data-testid="submission-description">
                          {s.description}
                        </div>
                      )}
                      <div className="muted small">
                        {s.rows.toLocaleString('en')} rows · {formatBytes(s.sizeBytes)}
                        {!s.isOwn && <> · by {s.submitterName}</>}
                        {s.teamName && <> · team {s.teamName}</>}
                      </div>
                    </td>
                    <td>
                      <LiveStatus id={s.id} status={s.status} error={s.error} />
                    </td>
                    <td className="small" data-testid="public-scores">
                      <LiveScores id={s.id} metrics={s.metrics} values={s.publicValues} />
                    </td>
                    <td className="small" data-testid="private-scores">
                      {s.privateValues ? <ScoreList metrics={s.metrics} values={s.privateValues} /> : <span className="muted">hidden until the phase closes</span>}
                    </td>
                    <td>
                      {s.canSelectFinal ? (
                        <FinalSelectionToggle
                          challengeSlug={s.challengeSlug}
                          phaseKey={s.phaseKey}
                          submissionId={s.id}
                          selectedIds={selectedByPhase.get(phaseKeyOf(s)) ?? []}
                          maxSelections={maxFinalSelections}
                          variant="checkbox"
                        />
                      ) : (
                        s.isFinal && (
                          <span className="badge selected" data-testid="final-badge">
                            final
                          </span>
                        )
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </LiveSubmissions>
      )}
      <p className="small">
        Download {isFiltered ? 'these' : 'all your'} submissions with their descriptions and scores:{' '}
        <a href={`/submissions/export?${exportQuery('csv')}`} download data-testid="export-my-csv">
          CSV
        </a>{' '}
        ·{' '}
        <a href={`/submissions/export?${exportQuery('json')}`} download data-testid="export-my-json">
          JSON
        </a>
      </p>
    </article>
  );
}
