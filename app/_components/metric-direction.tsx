import type { MetricColumnDto } from '@/lib/shared/dto/challenge-dto';
import { getMetric, isMetricId } from '@/scoring/registry';

type DirectionOf = Pick<MetricColumnDto, 'direction' | 'directionArrow' | 'directionText'>;

/** The arrow next to a metric's name (↑ higher, ↓ lower, →x closest to x is better), from the scoring registry. */
export function MetricDirection({ metric }: { metric: DirectionOf }) {
  return (
    <span className="direction" title={metric.directionText} data-testid="metric-direction" data-direction={metric.direction}>
      {metric.directionArrow}
      <span className="sr-only"> ({metric.directionText})</span>
    </span>
  );
}

/** The registry's one-sentence description of a metric, or null for an id the registry does not know. */
export function getMetricDescription(id: string): string | null {
  return isMetricId(id) ? getMetric(id).description : null;
}
