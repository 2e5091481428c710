import type { MetricValueDto } from '@/lib/shared/dto/leaderboard-dto';

/** 0.0342 → "3.42 %"; an unbounded shift (a rejection that became infinite on a variation) → "∞". */
export function formatRelativePercent(value: number | null): string {
  if (value === null) return '—';
  if (value === Infinity) return '∞';
  const percent = value * 100;
  return `${percent.toFixed(percent >= 100 ? 0 : percent >= 10 ? 1 : 2)} %`;
}

/** A robustness cell: the relative systematic uncertainty with its bootstrap interval underneath. */
export function RelativeUncertainty({ value }: { value: MetricValueDto | undefined }) {
  if (!value || value.value === null) return <>—</>;
  return (
    <>
      {formatRelativePercent(value.value)}
      {value.ciLow !== null && value.ciHigh !== null && (
        <div className="muted small ci" data-testid="robustness-ci">
          {formatRelativePercent(value.ciLow)}–{formatRelativePercent(value.ciHigh)}
        </div>
      )}
    </>
  );
}
