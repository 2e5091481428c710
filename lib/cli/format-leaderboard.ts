import type { LeaderboardDto, MetricValueDto } from '@/lib/shared/dto/leaderboard-dto';
import { formatMetricInterval, formatMetricValue, formatRelativePercent, formatRelativePercentInterval } from '@/lib/shared/formats/metric-format';
import { formatTable } from './format-table';

/**
 * `arena leaderboard`: rank, tie group, name, every metric as value (68 % interval) with its direction arrow from the
 * scoring registry, the robustness Δ of each metric in percent (as on the web page), entries. Baselines are listed
 * without a rank; your own row is marked with "*".
 */
export function formatLeaderboard(board: LeaderboardDto): string {
  const title = `${board.challengeSlug} · ${board.phaseTitle} (${board.phaseKey}) · ${board.split} leaderboard`;
  const note = board.split === 'public' && !board.isPrivateRevealed ? '\nPrivate scores stay hidden until the phase closes.' : '';
  if (board.rows.length === 0) return `${title}\n\nNo scored entries yet.${note}`;
  const headers = [
    'rank',
    'tie',
    'name',
    ...board.metrics.map((m) => `${m.label} ${m.directionArrow}${m.primary ? ' ★' : ''}`),
    ...board.robustnessMetrics.map((m) => `Δ${m.label} syst. ↓`),
    'entries',
  ];
  const rows = board.rows.map((row) => [
    row.rank === null ? '—' : String(row.rank),
    row.tieGroup === null ? '' : String(row.tieGroup),
    `${row.isYou ? '* ' : ''}${row.userName}${row.isBaseline ? ' (baseline)' : ''}${row.isBrowserBaseline ? ' (browser baseline)' : ''}`,
    ...board.metrics.map((m) => withInterval(row.values[m.id], m.precision)),
    ...board.robustnessMetrics.map((m) => robustness(row.robustness[m.id])),
    String(row.entries),
  ]);
  const metricCount = board.metrics.length + board.robustnessMetrics.length;
  const numeric = [0, 1, ...Array.from({ length: metricCount }, (_, i) => i + 3), metricCount + 3];
  const legend = board.metrics.map((m) => `${m.directionArrow} ${m.label}: ${m.directionText}`);
  if (board.robustnessMetrics.length > 0) legend.push('Δ: relative systematic uncertainty over the variations, smaller is better');
  return `${title}\n\n${formatTable(headers, rows, numeric)}\n\n${legend.join('\n')}${note}`;
}

function withInterval(value: MetricValueDto | undefined, precision: number): string {
  if (!value || value.value === null) return '—';
  const interval = formatMetricInterval(value, precision);
  return interval ? `${formatMetricValue(value.value, precision)} (${interval})` : formatMetricValue(value.value, precision);
}

function robustness(value: MetricValueDto | undefined): string {
  if (!value || value.value === null) return '—';
  const interval = formatRelativePercentInterval(value);
  return interval ? `${formatRelativePercent(value.value)} (${interval})` : formatRelativePercent(value.value);
}
