import 'server-only';
import { BoundedPromiseCache } from './bounded-promise-cache';
import { tableChanges, type WatchedTable } from './table-changes';

const maxEntriesPerMemo = 5_000;

/**
 * What `compute()` read from `tables`, kept per process under (`memo`, `key`) until any of those tables is written,
 * by anyone: the database announces every committed write of a watched table (migration 0012), and the memo is
 * dropped when its tables' counters move. Only while this process hears those announcements as they commit, which is
 * the embedded database's case (one process, one connection: a write's announcement is handled before the writer
 * goes on); otherwise, and inside a transaction (whose own writes are not yet announced, and may roll back), every
 * call computes afresh. The stamp is taken before computing, so a write during the computation drops its result at
 * the next call. Results are shared between callers: never mutate them. A failed computation is not kept, and at
 * most the `maxEntriesPerMemo` most recently used results are (BoundedPromiseCache).
 */
export function memoUntilTablesChange<T>(memo: string, key: string, tables: readonly WatchedTable[], compute: () => Promise<T>, options: { inTransaction?: boolean } = {}): Promise<T> {
  if (!tableChanges.isWatching || options.inTransaction) return compute();
  const stamp = `${tableChanges.everything}:${tables.map((t) => tableChanges.versions.get(t) ?? 0).join(',')}`;
  let entries = tableChanges.memos.get(memo);
  if (!entries) {
    entries = new BoundedPromiseCache<unknown>(maxEntriesPerMemo);
    tableChanges.memos.set(memo, entries);
  }
  // The stamp is part of the key: after a write the old result is never asked for again and ages out.
  return entries.get(`${stamp}\0${key}`, compute) as Promise<T>;
}
