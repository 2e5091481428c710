import 'server-only';
import type { LeaderboardEntryDto } from '@/lib/shared/dto/leaderboard-dto';

/** Board rows with who owns them, so "you" can be marked per viewer without recomputing the board. */
export type CachedBoard = Array<LeaderboardEntryDto & { ownerUserId: string; competitorKey: string }>;

/**
 * Per-process cache of computed boards, keyed by phase, split and challenge revision and valid while the phase's
 * newest finished score (`marker`) is unchanged. Changes that move no score (a team's name, a join) show within
 * `maxAgeMs`. Each web server keeps its own; nothing here is shared state.
 */
const maxAgeMs = 30_000;
const maxBoards = 200;
const state = globalThis as typeof globalThis & { __hepArenaBoards?: Map<string, { marker: string; at: number; rows: Promise<CachedBoard> }> };
const boards = (state.__hepArenaBoards ??= new Map());
const refreshing = new Set<string>();

/**
 * The cached board for `key` while `marker` is unchanged (refreshed in the background once older than the maximum
 * age), else `compute()`. Concurrent requests that miss share one
 * computation (50 clients arriving together compute the board once, not 50 times); a failed one is not kept.
 */
export function getCachedBoard(key: string, marker: string, compute: () => Promise<CachedBoard>): Promise<CachedBoard> {
  const entry = boards.get(key);
  if (entry && entry.marker === marker) {
    // Past its age the board is recomputed in the background while requests keep getting the current one.
    if (Date.now() - entry.at > maxAgeMs && !refreshing.has(key)) {
      refreshing.add(key);
      compute()
        .then((fresh) => {
          if (boards.get(key) === entry) boards.set(key, { marker, at: Date.now(), rows: Promise.resolve(fresh) });
        })
        .catch((error) => console.error(`[leaderboard] refreshing ${key} failed`, error))
        .finally(() => refreshing.delete(key));
    }
    return entry.rows;
  }
  const rows = compute();
  boards.delete(key);
  boards.set(key, { marker, at: Date.now(), rows });
  rows.catch(() => {
    if (boards.get(key)?.rows === rows) boards.delete(key);
  });
  while (boards.size > maxBoards) {
    const oldest = boards.keys().next().value;
    if (oldest === undefined) break;
    boards.delete(oldest);
  }
  return rows;
}
