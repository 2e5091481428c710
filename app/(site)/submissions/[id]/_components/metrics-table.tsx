import { MetricDirection } from '@/app/_components/metric-direction';
import { MetricWithInterval } from '@/app/_components/metric-with-interval';
import { RelativeUncertainty } from '@/app/_components/leaderboard/relative-uncertainty';
import type { MetricValueDto } from '@/lib/shared/dto/leaderboard-dto';
import type { SubmissionDetailDto } from '@/lib/shared/dto/submission-detail-dto';

/**
 * Every metric of one split on the nominal test set and each systematic variation, value with its bootstrap 68 %
 * interval, and the robustness row: the relative systematic uncertainty in percent, written as the leaderboard's Δ
 * columns write it (one formatter, one unit).
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
    ...(scores.systematics ? [{ key: 'systematics', label: 'Robustness Δ (relative systematic uncertainty, smaller is better)', isRobustness: true }] : []),
  ];
  return (
    <div className="table-scroll">
      <table className="table" data-testid={`metrics-${split}`}>
        <thead>
          <tr>
            <th>test set</th>
            {metrics.map((m) => (
              <th key={m.id} className="num" data-testid="metric-header" data-metric={m.id}>
                {m.label} <MetricDirection metric={m} />
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
                <td key={m.id} className="num" data-testid={row.isRobustness ? 'robustness-value' : 'metric-value'} data-metric={m.id}>
                  {row.isRobustness ? <RelativeUncertainty value={scores[row.key]?.[m.id]} /> : <MetricWithInterval value={scores[row.key]?.[m.id]} precision={m.precision} />}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
