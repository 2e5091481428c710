import type { LeaderboardDto, MetricValueDto } from '@/lib/shared/dto/leaderboard-dto';
import { formatTable } from './format-table';

/**
 * `arena leaderboard`: rank, tie group, name, every metric as value [68 % interval], entries. Baselines are listed
 * without a rank; your own row is marked with "*".
 */
export function formatLeaderboard(board: LeaderboardDto): string {
  const title = `${board.challengeSlug} · ${board.phaseTitle} (${board.phaseKey}) · ${board.split} leaderboard`;
  const note = board.split === 'public' && !board.isPrivateRevealed ? '\nPrivate scores stay hidden until the phase closes.' : '';
  if (board.rows.length === 0) return `${title}\n\nNo scored entries yet.${note}`;
  const headers = ['rank', 'tie', 'name', ...board.metrics.map((m) => `${m.label}${m.primary ? ' ★' : ''}`), 'entries'];
  const rows = board.rows.map((row) => [
    row.rank === null ? '—' : String(row.rank),
    row.tieGroup === null ? '' : String(row.tieGroup),
    `${row.isYou ? '* ' : ''}${row.userName}${row.isBaseline ? ' (baseline)' : ''}${row.isBrowserBaseline ? ' (browser baseline)' : ''}`,
    ...board.metrics.map((m) => withInterval(row.values[m.id], m.precision)),
    String(row.entries),
  ]);
  const numeric = [0, 1, ...board.metrics.map((_, i) => i + 3), board.metrics.length + 3];
  return `${title}\n\n${formatTable(headers, rows, numeric)}${note}`;
}

function withInterval(value: MetricValueDto | undefined, precision: number): string {
  if (!value || value.value === null) return '—';
  const main = Number.isFinite(value.value) ? value.value.toFixed(precision) : '∞';
  if (value.ciLow === null || value.ciHigh === null) return main;
  return `${main} [${value.ciLow.toFixed(precision)}, ${value.ciHigh.toFixed(precision)}]`;
}
