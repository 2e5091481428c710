import { formatDateTime } from '@/app/_components/format';
import { MetricWithInterval } from '@/app/_components/metric-with-interval';
import { getLeaderboard } from '@/lib/server/leaderboards/get-leaderboard';
import { getChallengeOr404 } from '../get-challenge-or-404';

export const dynamic = 'force-dynamic';

export default async function LeaderboardPage({ params }: { params: Promise<{ slug: string }> }) {
  const { ctx, challenge } = await getChallengeOr404((await params).slug);
  const board = await getLeaderboard(ctx, { challengeSlug: challenge.slug });
  return (
    <article>
      <h2>Public leaderboard</h2>
      <p className="muted small">
        Scored on the public split ({Math.round(challenge.publicFraction * 100)} % of test events); each participant&apos;s best
        entry by {board.metrics[0]?.label}. Below each value: its 68 % bootstrap interval (16th–84th percentile of{' '}
        {challenge.scoring.bootstrapReplicas} resamplings shared by all entries). Entries in one tie group cannot be told
        apart from the group&apos;s leader at 95 % confidence.{' '}
        {board.isPrivateRevealed ? 'The phase is closed.' : 'Private scores stay hidden until the phase closes.'}
      </p>
      {board.rows.length === 0 ? (
        <p className="muted">No scored submissions yet — be the first.</p>
      ) : (
        <table className="table" data-testid="leaderboard">
          <thead>
            <tr>
              <th title="Position by the primary metric; below it, the ranks the paired bootstrap allows">#</th>
              <th title="Entries in one group are statistically tied with the group's first entry (95 % interval of paired bootstrap differences contains 0)">
                tie group
              </th>
              <th>participant</th>
              {board.metrics.map((m) => (
                <th key={m.id} className="num" title={`${m.direction === 'maximize' ? 'higher' : 'lower'} is better`}>
                  {m.label} {m.direction === 'maximize' ? '↑' : '↓'}
                </th>
              ))}
              <th className="num">entries</th>
              <th>submitted</th>
            </tr>
          </thead>
          <tbody>
            {board.rows.map((row) => (
              <tr key={row.submissionId} className={row.isYou ? 'you' : undefined}>
                <td>
                  {row.rank}
                  {row.rankInterval && row.rankInterval[0] !== row.rankInterval[1] && (
                    <div className="muted small" data-testid="rank-interval">
                      {row.rankInterval[0]}–{row.rankInterval[1]}
                    </div>
                  )}
                </td>
                <td>
                  {row.tieGroup !== null ? (
                    <span className={`tie-group tie-group-${((row.tieGroup - 1) % 4) + 1}`} data-testid="tie-group">
                      {row.tieGroup}
                    </span>
                  ) : (
                    '—'
                  )}
                </td>
                <td>
                  {row.userName} {row.isYou && <span className="badge">you</span>}{' '}
                  {row.isBrowserBaseline && (
                    <span className="badge baseline" title="Trained in the browser with the platform's TF.js baseline">
                      browser baseline
                    </span>
                  )}
                </td>
                {board.metrics.map((m) => (
                  <td key={m.id} className="num">
                    <MetricWithInterval value={row.values[m.id]} precision={m.precision} />
                  </td>
                ))}
                <td className="num">{row.entries}</td>
                <td className="small">{formatDateTime(row.submittedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}
