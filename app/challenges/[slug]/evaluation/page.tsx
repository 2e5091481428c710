import { Markdown } from '@/app/_components/markdown';
import { getChallengeOr404 } from '../get-challenge-or-404';

export const dynamic = 'force-dynamic';

export default async function ChallengeEvaluationPage({ params }: { params: Promise<{ slug: string }> }) {
  const { challenge } = await getChallengeOr404((await params).slug);
  return (
    <article>
      <Markdown source={challenge.pages.evaluation} />
      <h2>Metrics on the leaderboard</h2>
      <table className="table">
        <thead>
          <tr>
            <th>metric</th>
            <th>id</th>
            <th>better is</th>
          </tr>
        </thead>
        <tbody>
          {challenge.metrics.map((m) => (
            <tr key={m.id}>
              <td>
                {m.label} {m.primary && <span className="badge">primary</span>}
              </td>
              <td>
                <code>{m.id}</code>
              </td>
              <td>{m.direction === 'maximize' ? 'higher' : 'lower'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </article>
  );
}
