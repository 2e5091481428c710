import Link from 'next/link';
import { notFound } from 'next/navigation';
import { maxFinalSelections } from '@/challenges/schema';
import { getLeaderboard } from '@/lib/server/leaderboards/get-leaderboard';
import type { ServiceContext } from '@/lib/server/context';
import { isAppError } from '@/lib/shared/app-error';
import type { ChallengeViewDto } from '@/lib/shared/dto/challenge-view-dto';
import type { LeaderboardDto } from '@/lib/shared/dto/leaderboard-dto';
import { BoardSwitcher } from './board-switcher';
import { LeaderboardTable } from './leaderboard-table';
import { PersonalisedBoard } from './personalised-board';

const rowsPerPage = 100;

/**
 * The requested board. Without an explicit split, a closed phase shows its private board (the final standings) and
 * an open one its public board. Asking for a private board before its phase closes shows the public one with a
 * note (the service refuses the private one); an unknown phase is a 404.
 */
async function loadBoard(ctx: ServiceContext, challengeSlug: string, phaseKey: string | undefined, split: 'public' | 'private' | undefined) {
  try {
    const board = await getLeaderboard(ctx, { challengeSlug, phaseKey, split: split ?? 'public' });
    if (split === undefined && board.isPrivateRevealed) {
      return { board: await getLeaderboard(ctx, { challengeSlug, phaseKey: board.phaseKey, split: 'private' }), isPrivateRefused: false };
    }
    return { board, isPrivateRefused: false };
  } catch (error) {
    if (isAppError(error) && error.code === 'NOT_FOUND') notFound();
    if (isAppError(error) && error.code === 'FORBIDDEN' && split === 'private') {
      return { board: await getLeaderboard(ctx, { challengeSlug, phaseKey, split: 'public' }), isPrivateRefused: true };
    }
    throw error;
  }
}

/**
 * What a split holds, in the task's own unit: a share of the test events for classification, a share of the
 * pseudo-experiment sets (each set whole, all its pseudo-experiments on one side) for signal-strength intervals.
 */
function splitShare(challenge: ChallengeViewDto, split: 'public' | 'private'): string {
  const percent = Math.round((split === 'public' ? challenge.publicFraction : 1 - challenge.publicFraction) * 100);
  return challenge.task === 'interval-estimation' ? `${percent} % of the pseudo-experiment sets, each set whole` : `${percent} % of the test events`;
}

function exportHref(base: string, board: LeaderboardDto, format: 'csv' | 'json'): string {
  const query = new URLSearchParams({ phase: board.phaseKey, split: board.split, format });
  return `${base}/export?${query.toString()}`;
}

/**
 * One page of a leaderboard with its phase tabs, explanation, paging and exports: the same for the per-request page
 * of signed-in users and the cached one of visitors.
 */
export async function LeaderboardView({
  ctx,
  challenge,
  phaseKey,
  split: requestedSplit,
  page,
  isSharedCopy = false,
}: {
  ctx: ServiceContext;
  challenge: ChallengeViewDto;
  phaseKey: string | undefined;
  split: 'public' | 'private' | undefined;
  /** 1-based; a page past the end is a 404 (so that the visitors' cached copies stay bounded in number). */
  page: number;
  /** The copy every viewer shares: a signed-in viewer's own rows are added in the browser. */
  isSharedCopy?: boolean;
}) {
  const { board, isPrivateRefused } = await loadBoard(ctx, challenge.slug, phaseKey, requestedSplit);
  const phase = challenge.phases.find((p) => p.key === board.phaseKey);
  const base = `/challenges/${challenge.slug}/leaderboard`;
  const primary = board.metrics[0];
  const rankedCount = board.rows.filter((r) => r.rank !== null).length;
  // Long boards are shown a page at a time (the export has every row); your own rows are always shown.
  const pageCount = Math.max(1, Math.ceil(board.rows.length / rowsPerPage));
  if (page > pageCount) notFound();
  const pageRows = board.rows.filter((row, index) => Math.floor(index / rowsPerPage) + 1 === page || row.isYou);
  const pageHref = (n: number) => {
    const params = new URLSearchParams({ phase: board.phaseKey, split: board.split, page: String(n) });
    return `${base}?${params.toString()}`;
  };
  return (
    <article>
      <h2>
        {board.phaseTitle} · {board.split === 'private' ? 'private' : 'public'} leaderboard
      </h2>
      <BoardSwitcher board={board} base={base} closesAt={phase?.closesAt ?? null} now={ctx.now()} />
      {isPrivateRefused && (
        <p className="notice" data-testid="private-refused">
          The private leaderboard of {board.phaseTitle} is not revealed yet; showing the public board.
        </p>
      )}
      <p className="muted small">
        {board.split === 'public' ? (
          <>
            Scored on the public split ({splitShare(challenge, 'public')}); each participant&apos;s or team&apos;s best entry by{' '}
            {primary?.label ?? 'the primary metric'}.
          </>
        ) : (
          <>
            Scored on the private split ({splitShare(challenge, 'private')}). Each participant or team
            is represented by the best of their final selections (up to {maxFinalSelections}, chosen on the submission pages,
            marked <em>selected</em>); without a selection, their best public entry stands in (<em>best public fallback</em>).
          </>
        )}{' '}
        Below each value: its 68 % bootstrap interval (16th–84th percentile of {challenge.scoring.bootstrapReplicas} resamplings
        shared by all entries). Entries in one tie group cannot be told apart from the group&apos;s leader at 95 % confidence; the
        range under a rank is the set of ranks the bootstrap allows. Organiser baselines are pinned for reference and not
        ranked.{' '}
        {board.robustnessMetrics.length > 0 && (
          <>
            Δ columns: relative systematic uncertainty over {board.variations.map((v) => v.label).join(', ')} (
            <Link href={`/challenges/${challenge.slug}/evaluation#robustness`}>recipe</Link>); smaller is better, not used for the
            rank.{' '}
          </>
        )}
        {board.isPrivateRevealed ? 'The phase is closed.' : 'Private scores stay hidden until the phase closes.'}
      </p>
      {isSharedCopy ? (
        <PersonalisedBoard
          board={{ ...board, rows: pageRows }}
          mineUrl={`/api/v1/challenges/${challenge.slug}/leaderboard/mine?${new URLSearchParams({ phase: board.phaseKey, split: board.split }).toString()}`}
        />
      ) : board.rows.length === 0 ? (
        <p className="muted" data-testid="leaderboard-empty">
          No scored submissions yet — be the first.
        </p>
      ) : (
        <LeaderboardTable board={{ ...board, rows: pageRows }} />
      )}
      {pageCount > 1 && (
        <p className="small" data-testid="leaderboard-pages">
          Page {page} of {pageCount} ({rowsPerPage} rows each{pageRows.some((r) => r.isYou) ? '; your rows always shown' : ''}):{' '}
          {page > 1 && <Link href={pageHref(page - 1)}>previous</Link>}
          {page > 1 && page < pageCount && ' · '}
          {page < pageCount && <Link href={pageHref(page + 1)}>next</Link>}
        </p>
      )}
      <p className="small">
        Download this board ({rankedCount} ranked {rankedCount === 1 ? 'entry' : 'entries'}):{' '}
        <a href={exportHref(base, board, 'csv')} download data-testid="export-csv">
          CSV
        </a>{' '}
        ·{' '}
        <a href={exportHref(base, board, 'json')} download data-testid="export-json">
          JSON
        </a>
      </p>
    </article>
  );
}
