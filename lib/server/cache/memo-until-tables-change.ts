import 'server-only';
import { tableChanges, type WatchedTable } from './table-changes';

const maxEntriesPerMemo = 5_000;

/**
 * What `compute()` read from `tables`, kept per process under (`memo`, `key`) until any of those tables is written,
 * by anyone: the database announces every committed write of a watched table (migration 0012), and the memo is
 * dropped when its tables' counters move. Only while this process hears those announcements as they commit, which is
 * the embedded database's case (one process, one connection: a write's announcement is handled before the writer
 * goes on); otherwise, and inside a transaction (whose own writes are not yet announced, and may roll back), every
 * call computes afresh. The stamp is taken before computing, so a write during the computation drops its result at
 * the next call. Results are shared between callers: never mutate them. A failed computation is not kept.
 */
export function memoUntilTablesChange<T>(memo: string, key: string, tables: readonly WatchedTable[], compute: () => Promise<T>, options: { inTransaction?: boolean } = {}): Promise<T> {
  if (!tableChanges.isWatching || options.inTransaction) return compute();
  const stamp = `${tableChanges.everything}:${tables.map((t) => tableChanges.versions.get(t) ?? 0).join(',')}`;
  let entries = tableChanges.memos.get(memo);
  if (!entries) {
    entries = new Map();
    tableChanges.memos.set(memo, entries);
  }
  const hit = entries.get(key);
  if (hit?.stamp === stamp) return hit.value as Promise<T>;
  const value = compute();
  entries.delete(key);
  entries.set(key, { stamp, value });
  const store = entries;
  value.catch(() => {
    if (store.get(key)?.value === value) store.delete(key);
  });
  while (entries.size > maxEntriesPerMemo) {
    const oldest = entries.keys().next().value;
    if (oldest === undefined) break;
    entries.delete(oldest);
  }
  return value;
}
