import Link from 'next/link';
import { redirect } from 'next/navigation';
import { maxFinalSelections } from '@/challenges/schema';
import { AutoRefresh } from '@/app/_components/auto-refresh';
import { formatBytes, formatDateTime } from '@/app/_components/format';
import { getRequestContext } from '@/lib/server/request-context';
import { listMySubmissions } from '@/lib/server/submissions/list-my-submissions';
import { FinalSelectionToggle } from './_components/final-selection-toggle';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'My submissions' };

export default async function MySubmissionsPage() {
  const ctx = await getRequestContext();
  if (!ctx.user) redirect('/sign-in?callbackUrl=/submissions');
  const submissions = await listMySubmissions(ctx);
  const isActive = submissions.some((s) => s.status !== 'scored' && s.status !== 'failed');
  // The current final selection per phase, as the checkboxes edit it (at most maxFinalSelections each).
  const phaseKeyOf = (s: { challengeSlug: string; phaseKey: string }) => `${s.challengeSlug}/${s.phaseKey}`;
  const selectedByPhase = new Map<string, string[]>();
  for (const s of submissions) {
    if (!s.isFinal || !s.canSelectFinal) continue;
    selectedByPhase.set(phaseKeyOf(s), [...(selectedByPhase.get(phaseKeyOf(s)) ?? []), s.id]);
  }
  return (
    <article>
      <AutoRefresh isActive={isActive} />
      <h1>My submissions</h1>
      <p className="muted small">
        Your entries and your teams&apos;. Tick up to {maxFinalSelections} scored entries per phase for the private leaderboard; without a choice, your
        best public entry is used.
      </p>
      {submissions.length === 0 ? (
        <p className="muted">
          Nothing submitted yet. Pick a <Link href="/">challenge</Link>.
        </p>
      ) : (
        <table className="table" data-testid="my-submissions">
          <thead>
            <tr>
              <th>submitted</th>
              <th>challenge</th>
              <th>file</th>
              <th>status</th>
              <th>public scores</th>
              <th>private scores</th>
              <th>final</th>
            </tr>
          </thead>
          <tbody>
            {submissions.map((s) => (
              <tr key={s.id} data-testid="submission-row" data-status={s.status} data-final={s.isFinal ? 'true' : 'false'}>
                <td className="small">{formatDateTime(s.createdAt)}</td>
                <td>
                  <Link href={`/challenges/${s.challengeSlug}`}>{s.challengeTitle}</Link>
                  <div className="muted small">phase {s.phaseKey}</div>
                </td>
                <td>
                  <Link href={s.href} data-testid="submission-link">
                    <code>{s.fileName}</code>
                  </Link>
                  <div className="muted small">
                    {s.rows.toLocaleString('en')} rows · {formatBytes(s.sizeBytes)}
                    {!s.isOwn && <> · by {s.submitterName}</>}
                    {s.teamName && <> · team {s.teamName}</>}
                  </div>
                </td>
                <td>
                  <span className={`status status-${s.status}`}>{s.status}</span>
                  {s.error && <div className="error small">{s.error}</div>}
                </td>
                <td className="small">
                  {Object.entries(s.publicScores).map(([metric, value]) => (
                    <div key={metric}>
                      {metric}: {value.toFixed(4)}
                    </div>
                  ))}
                </td>
                <td className="small muted">
                  {s.privateScores
                    ? Object.entries(s.privateScores).map(([metric, value]) => (
                        <div key={metric}>
                          {metric}: {value.toFixed(4)}
                        </div>
                      ))
                    : 'hidden until the phase closes'}
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
      )}
    </article>
  );
}
