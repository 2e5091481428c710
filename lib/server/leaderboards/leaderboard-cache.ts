import 'server-only';
import type { LeaderboardEntryDto } from '@/lib/shared/dto/leaderboard-dto';

/** Board rows with who owns them, so "you" can be marked per viewer without recomputing the board. */
export type CachedBoard = Array<LeaderboardEntryDto & { ownerUserId: string; competitorKey: string }>;

/**
 * Per-process cache of computed boards, keyed by phase, split and challenge revision and valid while the phase's
 * newest finished score (`marker`) is unchanged. Changes that move no score (a team's name, a join) show within
 * `maxAgeMs`. Each web server keeps its own; nothing here is shared state.
 */
const maxAgeMs = 10_000;
const maxBoards = 200;
const state = globalThis as typeof globalThis & { __hepArenaBoards?: Map<string, { marker: string; at: number; rows: CachedBoard }> };
const boards = (state.__hepArenaBoards ??= new Map());

export function readCachedBoard(key: string, marker: string): CachedBoard | null {
  const entry = boards.get(key);
  if (!entry || entry.marker !== marker || Date.now() - entry.at > maxAgeMs) return null;
  return entry.rows;
}

export function writeCachedBoard(key: string, marker: string, rows: CachedBoard): CachedBoard {
  boards.delete(key);
  boards.set(key, { marker, at: Date.now(), rows });
  while (boards.size > maxBoards) {
    const oldest = boards.keys().next().value;
    if (oldest === undefined) break;
    boards.delete(oldest);
  }
  return rows;
}
