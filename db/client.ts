import fs from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { Pool } from 'pg';
import * as schema from './schema';

/**
 * The one place a database connection is built. PGlite (embedded PostgreSQL) under `<dataDir>/pglite` when no
 * URL is given, `memory://` for throwaway test databases, and PostgreSQL for `postgres://…` URLs.
 * Both engines take the same schema and the same drizzle-kit migrations.
 */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

/** A minimal SQL runner for pg-boss (its `db` option), so the queue runs on either engine. */
export type SqlExecutor = {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
};

export type DatabaseHandle = {
  db: Database;
  kind: 'pglite' | 'postgres';
  /** A pg-boss executor on the same engine; on PostgreSQL pg-boss opens its own pool from `url` instead. */
  sql: SqlExecutor;
  url: string | null;
  migrate(): Promise<void>;
  close(): Promise<void>;
};

export type OpenDatabaseOptions = {
  /** postgres://…, pglite://<dir>, memory://, or undefined for `<dataDir>/pglite`. */
  url?: string;
  dataDir: string;
};

// Resolved from the working directory: inside a Next bundle import.meta.url points into .next/, not db/.
export const migrationsFolder = path.resolve('db', 'migrations');

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const url = options.url ?? '';
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return openPostgres(url);
  if (url === 'memory://') return openPglite(undefined);
  const dir = url.startsWith('pglite://') ? url.slice('pglite://'.length) : path.join(options.dataDir, 'pglite');
  return openPglite(path.resolve(dir));
}

async function openPostgres(url: string): Promise<DatabaseHandle> {
  const { Pool } = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const { migrate } = await import('drizzle-orm/node-postgres/migrator');
  const pool: Pool = new Pool({ connectionString: url, max: 10 });
  // An idle connection can die (PostgreSQL restarted, database dropped); the pool replaces it on the next query.
  // Without a listener that error would be uncaught and take the whole process down.
  pool.on('error', (error) => console.error(`[db] an idle PostgreSQL connection failed: ${error.message}`));
  const db = drizzle(pool, { schema });
  return {
    db: db as unknown as Database,
    kind: 'postgres',
    url,
    sql: {
      async executeSql(text, values) {
        const result = await pool.query(text, values);
        return { rows: result.rows };
      },
    },
    // Web servers and workers may start together: one migrates at a time, the others then find nothing to do.
    async migrate() {
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock(hashtext($1))', ['hep-arena:migrations']);
        await migrate(drizzle(client, { schema }), { migrationsFolder });
      } finally {
        await client.query('select pg_advisory_unlock(hashtext($1))', ['hep-arena:migrations']).catch(() => undefined);
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

async function openPglite(dataDir: string | undefined): Promise<DatabaseHandle> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  // PGlite's own mkdir is not recursive.
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
  const client: PGlite = dataDir ? new PGlite(dataDir) : new PGlite();
  await client.waitReady;
  const db = drizzle(client, { schema });
  return {
    db: db as unknown as Database,
    kind: 'pglite',
    url: null,
    sql: {
      async executeSql(text, values) {
        if (values && values.length > 0) {
          const result = await client.query(text, values);
          return { rows: result.rows };
        }
        // pg-boss sends multi-statement strings (its own schema migrations) without parameters.
        const results = await client.exec(text);
        return { rows: results[results.length - 1]?.rows ?? [] };
      },
    },
    migrate: () => migrate(db, { migrationsFolder }),
    close: () => client.close(),
  };
}
