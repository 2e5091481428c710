import 'server-only';
import { sql } from 'drizzle-orm';
import { getDatabase } from '../database';

export async function checkHealth(): Promise<{ ok: boolean; database: 'pglite' | 'postgres' | null; error?: string }> {
  try {
    const handle = await getDatabase();
    await handle.db.execute(sql`select 1`);
    return { ok: true, database: handle.kind };
  } catch (error) {
    console.error('[hep-arena] health check failed', error);
    return { ok: false, database: null, error: 'database unavailable' };
  }
}
