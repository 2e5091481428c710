'use client';

import { useState, type ReactNode } from 'react';

/**
 * On phones the board shows rank, name and the primary metric; this button (shown only there) brings the other
 * columns in, scrolling inside the table. On wide screens every column is always shown.
 */
export function BoardColumns({ extraColumns, children }: { extraColumns: number; children: ReactNode }) {
  const [isAll, setIsAll] = useState(false);
  return (
    <div className="leaderboard-wrap" data-columns={isAll ? 'all' : 'key'} data-testid="leaderboard-wrap">
      <button type="button" className="board-columns-toggle secondary" aria-pressed={isAll} onClick={() => setIsAll((all) => !all)} data-testid="board-columns-toggle">
        {isAll ? 'Rank, name and primary metric only' : `Show all columns (${extraColumns} more)`}
      </button>
      {children}
    </div>
  );
}
