import type { MetricValueDto } from '@/lib/shared/dto/leaderboard-dto';
import { formatMetric } from './format';

/** A leaderboard number with its bootstrap interval underneath; ∞ for an unbounded rejection, — when missing. */
export function MetricWithInterval({ value, precision }: { value: MetricValueDto | undefined; precision: number }) {
  if (!value || value.value === null) return <>—</>;
  return (
    <>
      {formatMetric(value.value, precision)}
      {value.ciLow !== null && value.ciHigh !== null && (
        <div className="muted small ci" data-testid="ci">
          {formatMetric(value.ciLow, precision)}–{formatMetric(value.ciHigh, precision)}
        </div>
      )}
    </>
  );
}
