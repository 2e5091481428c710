import 'server-only';
import type { BoundedPromiseCache } from './bounded-promise-cache';

/** The tables whose every write is announced on `tableChangeChannel` (migration 0012's statement triggers). */
export type WatchedTable = 'users' | 'user_sessions' | 'api_tokens' | 'challenges' | 'phases' | 'dataset_versions' | 'submissions';

/** The channel on which the triggers name each table written, when the writing transaction commits. */
export const tableChangeChannel = 'hep_arena_tables';

type State = {
  /** Set while this process hears every write as it commits (see watchTableChanges); caching is off otherwise. */
  isWatching: boolean;
  /** A counter per table, raised by each announced write. */
  versions: Map<string, number>;
  /** Raised when anything may have changed unheard (watching started, stopped or lost its connection). */
  everything: number;
  /** memoUntilTablesChange's results, per memo, keyed by the tables' counters and the key. */
  memos: Map<string, BoundedPromiseCache<unknown>>;
};

/**
 * Per-process state, on globalThis: Next loads the server's instrumentation (which watches) and each route (which
 * reads) as separate module graphs, and they must share one set of counters.
 */
const holder = globalThis as typeof globalThis & { __hepArenaTableChanges?: State };
export const tableChanges: State = (holder.__hepArenaTableChanges ??= { isWatching: false, versions: new Map(), everything: 0, memos: new Map() });

/** Records that `table` was written (null: anything may have been). */
export function markTableChanged(table: string | null): void {
  if (table === null) tableChanges.everything++;
  else tableChanges.versions.set(table, (tableChanges.versions.get(table) ?? 0) + 1);
}
