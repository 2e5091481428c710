import type { MetricValueDto } from '@/lib/shared/dto/leaderboard-dto';
import { formatMetricInterval, formatMetricValue } from '@/lib/shared/formats/metric-format';

/** A metric value with its bootstrap interval underneath; ∞ for an unbounded rejection, — when missing. */
export function MetricWithInterval({ value, precision }: { value: MetricValueDto | undefined; precision: number }) {
  if (!value || value.value === null) return <>—</>;
  const interval = formatMetricInterval(value, precision);
  return (
    <>
      <span data-testid="value">{formatMetricValue(value.value, precision)}</span>
      {interval && (
        <div className="muted small ci" data-testid="ci">
          {interval}
        </div>
      )}
    </>
  );
}
