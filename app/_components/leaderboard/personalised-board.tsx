'use client';

import { useEffect, useMemo, useState } from 'react';
import type { LeaderboardDto, LeaderboardEntryDto } from '@/lib/shared/dto/leaderboard-dto';
import { mergeMyRows } from '@/lib/shared/leaderboard/merge-my-rows';
import { LeaderboardTable } from './leaderboard-table';

/**
 * The board copy every viewer shares, with a signed-in viewer's own rows fetched live and put in (marked, newest
 * values, a score newer than the copy included): the board is computed and rendered once for all viewers, and each
 * viewer adds only their few rows.
 */
export function PersonalisedBoard({ board, mineUrl }: { board: LeaderboardDto; mineUrl: string }) {
  const [mine, setMine] = useState<LeaderboardEntryDto[]>([]);
  useEffect(() => {
    let isCurrent = true;
    fetch(mineUrl, { credentials: 'same-origin', cache: 'no-store' })
      .then((response) => (response.ok ? (response.json() as Promise<{ rows: LeaderboardEntryDto[] }>) : { rows: [] }))
      .then((answer) => isCurrent && setMine(answer.rows))
      .catch(() => {});
    return () => {
      isCurrent = false;
    };
  }, [mineUrl, board]);
  const rows = useMemo(() => mergeMyRows(board.rows, mine), [board.rows, mine]);
  if (rows.length === 0) {
    return (
      <p className="muted" data-testid="leaderboard-empty">
        No scored submissions yet — be the first.
      </p>
    );
  }
  return <LeaderboardTable board={{ ...board, rows }} />;
}
