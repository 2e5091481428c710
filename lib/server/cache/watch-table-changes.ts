import 'server-only';
import type { DatabaseHandle } from '@/db/client';
import { markTableChanged, tableChanges, tableChangeChannel } from './table-changes';

/**
 * Turns on this process's memos of database reads (memoUntilTablesChange) by listening to the announcements of every
 * committed write of a watched table. Only on the embedded database, where this is the one process and a
 * transaction's announcements are handled as it commits, before the writer goes on; on PostgreSQL other processes
 * write too and their announcements arrive a moment later on another connection, so reads there stay live. Returns
 * the function that stops watching (and forgets everything memoised).
 */
export async function watchTableChanges(handle: Pick<DatabaseHandle, 'kind' | 'listen'>): Promise<() => Promise<void>> {
  if (handle.kind !== 'pglite') return async () => {};
  const stop = await handle.listen(tableChangeChannel, (table) => markTableChanged(table || null), () => markTableChanged(null));
  markTableChanged(null);
  tableChanges.isWatching = true;
  return async () => {
    tableChanges.isWatching = false;
    markTableChanged(null);
    tableChanges.memos.clear();
    await stop();
  };
}
