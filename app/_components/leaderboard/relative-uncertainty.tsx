import type { MetricValueDto } from '@/lib/shared/dto/leaderboard-dto';
import { formatRelativePercent, formatRelativePercentInterval } from '@/lib/shared/formats/metric-format';

/**
 * A robustness cell, on the leaderboard and on the submission page alike: the relative systematic uncertainty in
 * percent with its bootstrap interval underneath.
 */
export function RelativeUncertainty({ value }: { value: MetricValueDto | undefined }) {
  if (!value || value.value === null) return <>—</>;
  const interval = formatRelativePercentInterval(value);
  return (
    <>
      <span data-testid="robustness-text">{formatRelativePercent(value.value)}</span>
      {interval && (
        <div className="muted small ci" data-testid="robustness-ci">
          {interval}
        </div>
      )}
    </>
  );
}
