import type { LeaderboardEntryDto } from '@/lib/shared/dto/leaderboard-dto';

/**
 * The rows of a shared board copy with the viewer's own live rows put in: a row of theirs that the copy shows is
 * replaced by the live one (marked `isYou`, newest values), and one the copy does not show (a score newer than the copy,
 * or a row on another page) is inserted before the first ranked row the copy ranks as low or lower (its live rank
 * wins over the copy's), else at the end.
 */
export function mergeMyRows(rows: readonly LeaderboardEntryDto[], mine: readonly LeaderboardEntryDto[]): LeaderboardEntryDto[] {
  if (mine.length === 0) return [...rows];
  const live = new Map(mine.map((row) => [row.submissionId, { ...row, isYou: true }]));
  const merged = rows.map((row) => live.get(row.submissionId) ?? row);
  const shown = new Set(rows.map((row) => row.submissionId));
  for (const row of live.values()) {
    if (shown.has(row.submissionId)) continue;
    const at = row.rank === null ? -1 : merged.findIndex((other) => other.rank !== null && other.rank >= (row.rank as number));
    if (at < 0) merged.push(row);
    else merged.splice(at, 0, row);
  }
  return merged;
}
