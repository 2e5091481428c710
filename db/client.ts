import fs from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { Pool, PoolClient } from 'pg';
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
  /**
   * Runs `setUp` while no other process sets up the same database (migrations, the job queue's schema): web servers
   * and workers may start together, and concurrent schema changes deadlock. A no-op guard on PGlite (one process).
   */
  withSetupLock<T>(setUp: () => Promise<T>): Promise<T>;
  /**
   * Subscribes to `NOTIFY <channel>` (sent with `select pg_notify(channel, payload)`, delivered when its transaction
   * commits) from any process on the same database. On PostgreSQL a connection of its own listens and reconnects
   * when lost; notifications sent while it was away are gone, so `onGap` runs after every reconnection (callers treat
   * it as "anything may have changed"). Returns the function that stops listening.
   */
  listen(channel: string, onNotify: (payload: string) => void, onGap?: () => void): Promise<() => Promise<void>>;
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
  // A connection can die at any time (PostgreSQL restarted, database dropped). node-postgres then emits 'error' on the
  // client, whether idle in the pool or checked out (e.g. inside a transaction), besides failing its query; an 'error'
  // event without a listener is uncaught and takes the whole process down. The pool drops a dead idle client itself
  // (and re-emits its error, already logged here); the next query opens a new connection.
  // A dead checked-out client is released here, with the error so that the pool drops it too: drizzle-orm's
  // transaction() never releases a client whose BEGIN fails, which would otherwise stay counted in the pool for good
  // (fewer usable connections, and `end()` waiting forever). The holder's own release afterwards does nothing.
  const checkedOut = new Set<PoolClient>();
  pool.on('acquire', (client) => checkedOut.add(client));
  pool.on('release', (_error, client) => checkedOut.delete(client));
  pool.on('connect', (client) =>
    client.on('error', (error) => {
      console.error(`[db] a PostgreSQL connection failed: ${error.message}`);
      if (!checkedOut.has(client)) return;
      const release = client.release;
      client.release = () => undefined;
      release(error);
    }),
  );
  pool.on('error', () => undefined);
  const db = drizzle(pool, { schema });
  // A session-level advisory lock on one connection of its own, held while `setUp` runs on any connection.
  const withSetupLock = async <T>(setUp: () => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      await client.query('select pg_advisory_lock(hashtext($1))', ['hep-arena:setup']);
      return await setUp();
    } finally {
      await client.query('select pg_advisory_unlock(hashtext($1))', ['hep-arena:setup']).catch(() => undefined);
      client.release();
    }
  };
  const listen = async (channel: string, onNotify: (payload: string) => void, onGap?: () => void): Promise<() => Promise<void>> => {
    const { Client } = await import('pg');
    let client: InstanceType<typeof Client> | null = null;
    let isStopped = false;
    let retryTimer: ReturnType<typeof setTimeout> | null = null;
    const connect = async (isReconnect: boolean): Promise<void> => {
      const next = new Client({ connectionString: url });
      next.on('notification', (message) => {
        if (message.channel === channel) onNotify(message.payload ?? '');
      });
      next.on('error', (error) => {
        console.error(`[db] the LISTEN ${channel} connection failed: ${error.message}; reconnecting`);
        scheduleReconnect(next);
      });
      next.on('end', () => scheduleReconnect(next));
      await next.connect();
      await next.query(`LISTEN ${quoteIdentifier(channel)}`);
      if (isStopped) {
        await next.end().catch(() => undefined);
        return;
      }
      client = next;
      if (isReconnect) onGap?.();
    };
    const scheduleReconnect = (dead: InstanceType<typeof Client>) => {
      if (isStopped || client !== dead || retryTimer) return;
      client = null;
      void dead.end().catch(() => undefined);
      const attempt = (delayMs: number) => {
        retryTimer = setTimeout(() => {
          retryTimer = null;
          if (isStopped) return;
          connect(true).catch(() => attempt(Math.min(delayMs * 2, 10_000)));
        }, delayMs);
        retryTimer.unref();
      };
      attempt(250);
    };
    await connect(false);
    return async () => {
      isStopped = true;
      if (retryTimer) clearTimeout(retryTimer);
      const current = client as InstanceType<typeof Client> | null;
      client = null;
      await current?.end().catch(() => undefined);
    };
  };
  return {
    db: db as unknown as Database,
    kind: 'postgres',
    url,
    listen,
    sql: {
      async executeSql(text, values) {
        const result = await pool.query(text, values);
        return { rows: result.rows };
      },
    },
    // Web servers and workers may start together: one migrates at a time, the others then find nothing to do.
    migrate: () => withSetupLock(() => migrate(db, { migrationsFolder }).then(() => undefined)),
    withSetupLock,
    close: () => pool.end(),
  };
}

/** A channel name as a SQL identifier (LISTEN takes no parameter). */
function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Whether an error (or one of its causes, as drizzle wraps driver errors) means the database could not be reached
 * or the connection was lost mid-query: PostgreSQL restarting or shutting down (SQLSTATE 57P01-57P03, class 08),
 * a refused or reset socket, or node-postgres's own "Connection terminated" / "not queryable" errors. Such a
 * failure says nothing about the request itself, so callers answer "try again" rather than "something went wrong".
 */
export function isDatabaseUnavailableError(error: unknown): boolean {
  const seen = new Set<unknown>();
  const pending = [error];
  while (pending.length > 0) {
    const current = pending.pop();
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    seen.add(current);
    const { code, message, cause, errors } = current as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string' && (unavailableErrorCodes.has(code) || code.startsWith('08'))) return true;
    if (typeof message === 'string' && unavailableMessage.test(message)) return true;
    pending.push(cause);
    // A refused connection to "localhost" is an AggregateError of one failure per address.
    if (Array.isArray(errors)) pending.push(...errors);
  }
  return false;
}

const unavailableErrorCodes = new Set(['57P01', '57P02', '57P03', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const unavailableMessage = /^Connection terminated|is not queryable|^timeout exceeded when trying to connect/;

/** The embedded database directory is open in another live process (PGlite allows one). */
export class DatabaseInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `the embedded database in ${dataDir} is open in another process (pid ${pid}, e.g. the running server): PGlite allows one process per data directory. Stop that process first, or use its web pages (an admin's /admin page), or run against PostgreSQL.`,
    );
    this.name = 'DatabaseInUseError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Claims an embedded database directory for this process with a lock file beside it (`<dir>.lock`, holding the pid),
 * removed when the process exits. A lock of a live other process refuses with DatabaseInUseError; a dead one's is
 * taken over. PGlite itself does not notice a second opener (stack.md G7), which would corrupt the data.
 */
function releaseDirectory(dataDir: string): void {
  const lockFile = `${dataDir}.lock`;
  try {
    if (fs.readFileSync(lockFile, 'utf8').trim() === String(process.pid)) fs.rmSync(lockFile, { force: true });
  } catch {
    // gone already
  }
}

function claimDirectory(dataDir: string): void {
  const lockFile = `${dataDir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      process.once('exit', () => releaseDirectory(dataDir));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(fs.readFileSync(lockFile, 'utf8').trim());
      if (holder === process.pid) return;
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) throw new DatabaseInUseError(dataDir, holder);
      fs.rmSync(lockFile, { force: true });
    }
  }
  throw new Error(`could not claim the embedded database in ${dataDir} (lock file ${lockFile})`);
}

async function openPglite(dataDir: string | undefined): Promise<DatabaseHandle> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  // PGlite's own mkdir is not recursive.
  if (dataDir) {
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    claimDirectory(dataDir);
    fs.mkdirSync(dataDir, { recursive: true });
  }
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
    withSetupLock: (setUp) => setUp(),
    // One process, one connection: notifications of this very database arrive when their transaction commits.
    async listen(channel, onNotify) {
      const stop = await client.listen(channel, onNotify);
      return () => stop();
    },
    async close() {
      await client.close();
      if (dataDir) releaseDirectory(dataDir);
    },
  };
}
