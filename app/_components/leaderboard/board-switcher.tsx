import Link from 'next/link';
import { formatDateTime, formatRelative } from '@/app/_components/format';
import type { LeaderboardDto } from '@/lib/shared/dto/leaderboard-dto';

/** Without a split, the page picks the phase's default board (private once revealed, else public). */
function boardHref(base: string, phaseKey: string, split?: 'public' | 'private'): string {
  return `${base}?phase=${encodeURIComponent(phaseKey)}${split ? `&split=${split}` : ''}`;
}

/**
 * Phase tabs (one board per phase) and the public/private switch. The private board is offered only once its phase
 * has closed; before that the switch says when it will be revealed.
 */
export function BoardSwitcher({
  board,
  base,
  closesAt,
  now,
}: {
  board: LeaderboardDto;
  base: string;
  /** Closing time of the board's phase; null when an organiser closes it by hand. */
  closesAt: string | null;
  now: Date;
}) {
  return (
    <div className="board-switcher">
      {board.phases.length > 1 && (
        <nav className="subtabs" aria-label="Phases" data-testid="phase-tabs">
          {board.phases.map((phase) => (
            <Link
              key={phase.key}
              href={boardHref(base, phase.key)}
              aria-current={phase.key === board.phaseKey ? 'page' : undefined}
              data-testid="phase-tab"
              data-phase={phase.key}
              data-state={phase.state}
            >
              {phase.title} <span className={`badge ${phase.state === 'open' ? 'open' : ''}`}>{phase.state}</span>
            </Link>
          ))}
        </nav>
      )}
      <nav className="subtabs" aria-label="Split" data-testid="split-switch">
        <Link href={boardHref(base, board.phaseKey, 'public')} aria-current={board.split === 'public' ? 'page' : undefined} data-testid="split-public">
          Public
        </Link>
        {board.isPrivateRevealed ? (
          <Link href={boardHref(base, board.phaseKey, 'private')} aria-current={board.split === 'private' ? 'page' : undefined} data-testid="split-private">
            Private
          </Link>
        ) : (
          <span className="muted small" data-testid="private-locked">
            Private board: revealed when the phase closes
            {closesAt ? (
              <>
                {' '}
                at {formatDateTime(closesAt)} ({formatRelative(closesAt, now)})
              </>
            ) : (
              ' (no closing date set yet)'
            )}
            .
          </span>
        )}
      </nav>
    </div>
  );
}
