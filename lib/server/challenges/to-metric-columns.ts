import type { ChallengeDefinition } from '@/challenges/schema';
import type { MetricColumnDto } from '@/lib/shared/dto/challenge-dto';
import { describeMetricDirection, getMetric } from '@/scoring/registry';

/** Leaderboard columns, primary metric first; the sort direction always comes from the scoring registry. */
export function toMetricColumns(definition: ChallengeDefinition): MetricColumnDto[] {
  const columns = definition.metrics.map((m) => {
    const metric = getMetric(m.id);
    const { arrow, text } = describeMetricDirection(metric);
    return {
      id: m.id,
      label: metric.label,
      direction: metric.direction,
      target: metric.target ?? null,
      directionText: text,
      directionArrow: arrow,
      primary: m.primary,
      precision: m.precision,
    };
  });
  return columns.sort((a, b) => Number(b.primary) - Number(a.primary));
}
