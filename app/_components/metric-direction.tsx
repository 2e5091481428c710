import type { MetricColumnDto } from '@/lib/shared/dto/challenge-dto';
import { getMetric, isMetricId } from '@/scoring/registry';

/** What "better" means for a metric, from the scoring registry (never assumed by a page). */
export function describeMetricDirection(metric: Pick<MetricColumnDto, 'id' | 'direction'>): { arrow: string; text: string } {
  const target = isMetricId(metric.id) ? getMetric(metric.id).target : undefined;
  if (target !== undefined) return { arrow: `→${target}`, text: `closest to ${target} is better` };
  return metric.direction === 'maximize' ? { arrow: '↑', text: 'higher is better' } : { arrow: '↓', text: 'lower is better' };
}

/** The arrow next to a metric's name: ↑ higher is better, ↓ lower is better, →x closest to x is better. */
export function MetricDirection({ metric }: { metric: Pick<MetricColumnDto, 'id' | 'direction'> }) {
  const { arrow, text } = describeMetricDirection(metric);
  return (
    <span className="direction" title={text} data-testid="metric-direction" data-direction={metric.direction}>
      {arrow}
      <span className="sr-only"> ({text})</span>
    </span>
  );
}

/** The registry's one-sentence description of a metric, or null for an id the registry does not know. */
export function getMetricDescription(id: string): string | null {
  return isMetricId(id) ? getMetric(id).description : null;
}
