import type { MetricValueDto } from '@/lib/shared/dto/leaderboard-dto';

/**
 * The one way a score is written for people, on every page, in the CLI and in the text of exports: a metric value at
 * its challenge's precision, and a robustness (a relative systematic uncertainty) in percent. Machine exports
 * (CSV, JSON) keep the full-precision numbers; these strings are what humans read.
 */

/** A metric value: fixed precision, ∞ / −∞ for an unbounded value, — when there is none. */
export function formatMetricValue(value: number | null | undefined, precision: number): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (value === Infinity) return '∞';
  if (value === -Infinity) return '−∞';
  return value.toFixed(precision);
}

/** A bootstrap interval "low–high" at the value's precision, or null when the value has none. */
export function formatMetricInterval(value: Pick<MetricValueDto, 'ciLow' | 'ciHigh'> | undefined, precision: number): string | null {
  if (!value || value.ciLow === null || value.ciHigh === null) return null;
  return `${formatMetricValue(value.ciLow, precision)}–${formatMetricValue(value.ciHigh, precision)}`;
}

/**
 * A robustness, always in percent: 0.0428 → "4.28 %" (two decimals below 10 %, one below 100 %, none above), ∞ for an
 * unbounded shift (a rejection that became infinite on a variation), — when there is none.
 */
export function formatRelativePercent(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (value === Infinity) return '∞';
  const percent = value * 100;
  return `${percent.toFixed(percent >= 100 ? 0 : percent >= 10 ? 1 : 2)} %`;
}

/** A robustness interval "0.97–7.59 %" (one unit sign, at the end), or null when there is none. */
export function formatRelativePercentInterval(value: Pick<MetricValueDto, 'ciLow' | 'ciHigh'> | undefined): string | null {
  if (!value || value.ciLow === null || value.ciHigh === null) return null;
  const strip = (text: string) => text.replace(/ %$/, '');
  return `${strip(formatRelativePercent(value.ciLow))}–${formatRelativePercent(value.ciHigh)}`;
}
