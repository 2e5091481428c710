import path from 'node:path';

/**
 * The DATA_DIR of the server the e2e suite starts (fresh per run): embedded PGlite by default, PostgreSQL when
 * DATABASE_URL is set. Specs that build a dataset version for the organiser to rescan write it here.
 */
export function e2eDataDir(): string {
  return path.resolve('.data', `e2e-${process.env.DATABASE_URL ? 'postgres' : 'pglite'}`);
}
