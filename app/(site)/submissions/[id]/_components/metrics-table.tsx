import { MetricWithInterval } from '@/app/_components/metric-with-interval';
import type { MetricValueDto } from '@/lib/shared/dto/leaderboard-dto';
import type { SubmissionDetailDto } from '@/lib/shared/dto/submission-detail-dto';

/**
 * Every metric of one split on the nominal test set and each systematic variation, value with its bootstrap 68 %
 * interval, and the robustness row (relative spread across the variations; smaller is better).
 */
export function MetricsTable({
  split,
  scores,
  metrics,
  variations,
}: {
  split: 'public' | 'private';
  scores: Record<string, Record<string, MetricValueDto>>;
  metrics: SubmissionDetailDto['metrics'];
  variations: SubmissionDetailDto['variations'];
}) {
  const rows = [
    ...variations.filter((v) => scores[v.name]).map((v) => ({ key: v.name, label: v.label, isRobustness: false })),
    ...(scores.systematics ? [{ key: 'systematics', label: 'Robustness (relative spread, lower is better)', isRobustness: true }] : []),
  ];
  return (
    <div className="table-scroll">
      <table className="table" data-testid={`metrics-${split}`}>
        <thead>
          <tr>
            <th>test set</th>
            {metrics.map((m) => (
              <th key={m.id} className="num" title={m.direction === 'maximize' ? 'higher is better' : 'lower is better'}>
                {m.label}
                {m.primary && ' ★'}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} data-testid="metrics-row" data-variation={row.key}>
              <th scope="row" className={row.isRobustness ? 'muted' : undefined}>
                {row.label}
              </th>
              {metrics.map((m) => (
                <td key={m.id} className="num">
                  <MetricWithInterval value={scores[row.key]?.[m.id]} precision={m.precision} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
