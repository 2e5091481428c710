import 'server-only';
import { openDatabase, type DatabaseHandle } from '@/db/client';
import { env } from '@/lib/env';

const globalForDb = globalThis as unknown as { __hepArenaDb?: Promise<DatabaseHandle> };

/**
 * The process-wide database handle, migrated on first open. PGlite allows one process per data directory, so
 * the server (instrumentation.ts) is the only process that opens the embedded database.
 */
export function getDatabase(): Promise<DatabaseHandle> {
  globalForDb.__hepArenaDb ??= (async () => {
    const handle = await openDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR });
    await handle.migrate();
    return handle;
  })();
  return globalForDb.__hepArenaDb;
}
