import Link from 'next/link';
import { redirect } from 'next/navigation';
import { AutoRefresh } from '@/app/_components/auto-refresh';
import { formatBytes, formatDateTime } from '@/app/_components/format';
import { getRequestContext } from '@/lib/server/request-context';
import { listMySubmissions } from '@/lib/server/submissions/list-my-submissions';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'My submissions' };

export default async function MySubmissionsPage() {
  const ctx = await getRequestContext();
  if (!ctx.user) redirect('/sign-in?callbackUrl=/submissions');
  const submissions = await listMySubmissions(ctx);
  const isActive = submissions.some((s) => s.status !== 'scored' && s.status !== 'failed');
  return (
    <article>
      <AutoRefresh isActive={isActive} />
      <h1>My submissions</h1>
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
            </tr>
          </thead>
          <tbody>
            {submissions.map((s) => (
              <tr key={s.id} data-testid="submission-row" data-status={s.status}>
                <td className="small">{formatDateTime(s.createdAt)}</td>
                <td>
                  <Link href={`/challenges/${s.challengeSlug}`}>{s.challengeTitle}</Link>
                  <div className="muted small">phase {s.phaseKey}</div>
                </td>
                <td>
                  <code>{s.fileName}</code>
                  <div className="muted small">
                    {s.rows.toLocaleString('en')} rows · {formatBytes(s.sizeBytes)}
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
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}
