import { defineConfig } from '@playwright/test';
import { e2eDataDir } from './tests/e2e/support/e2e-data-dir';

/**
 * E2E against the real server started the way `npm start` starts it, on a fresh DATA_DIR: embedded PGlite by
 * default, PostgreSQL when DATABASE_URL is set (CI runs both), there with three separate scoring workers. Debian
 * chromium; Playwright cannot download browsers.
 */
const port = Number(process.env.E2E_PORT ?? 3100);
const engine = process.env.DATABASE_URL ? 'postgres' : 'pglite';
const dataDir = e2eDataDir();
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL,
    browserName: 'chromium',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    acceptDownloads: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  webServer: {
    // On PostgreSQL, the topology of "Run at scale": a web server that only enqueues and three scoring workers.
    command: `rm -rf "${dataDir}" && node_modules/.bin/tsx scripts/${engine === 'postgres' ? 'start-cluster.ts --workers 3' : 'start.ts'}`,
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 600_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      NEXTAUTH_URL: baseURL,
      NEXTAUTH_SECRET: 'e2e-secret-not-for-production',
      SCORING_POLL_SECONDS: '0.5',
      // Journeys through phase transitions and daily limits move the platform clock (POST /api/test/clock).
      ARENA_TEST_CLOCK: 'true',
      ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
    },
  },
});
