import path from 'node:path';
import { z } from 'zod';

/**
 * The one place that reads process.env. Parsed once at import so that a bad value fails at start,
 * not at the first request. `.env.example` documents each variable and its default.
 */
const envSchema = z.object({
  DATA_DIR: z.string().min(1).default('.data'),
  DATABASE_URL: z
    .string()
    .regex(/^(postgres(ql)?:\/\/|pglite:\/\/|memory:\/\/)/, {
      error: 'DATABASE_URL must start with postgres://, postgresql://, pglite:// or memory://',
    })
    .optional(),
  NEXTAUTH_SECRET: z.string().min(1).optional(),
  NEXTAUTH_URL: z.string().optional(),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** Poll interval of the in-process scoring worker; short in tests so status changes are quick. */
  SCORING_POLL_SECONDS: z.coerce.number().min(0.5).max(60).default(1),
  /** How often a live status stream (server-sent events) reads its submissions again. */
  LIVE_STATUS_POLL_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
  /** A scoring job still running after this long is expired by the queue and retried (a crashed worker's job). */
  SCORING_JOB_TIMEOUT_SECONDS: z.coerce.number().int().min(2).max(86_400).default(600),
  /** How often the queue expires overdue jobs and the stuck-submission sweep runs. */
  QUEUE_MAINTENANCE_SECONDS: z.coerce.number().int().min(1).max(3_600).default(60),
  /** A queued build step (a file, the plan, the merge) whose worker sent no heartbeat for this long is queued again. */
  RECIPE_BUILD_STALE_SECONDS: z.coerce.number().min(2).max(3_600).default(30),
  /** Seed the demo organiser and participant accounts at start (on by default, for `npm start`). */
  SEED_DEMO_ACCOUNTS: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  /** Whether the web server also runs scoring workers; always true on the embedded database. */
  /** Lets end-to-end tests move the platform clock (POST /api/test/clock). Never set in production. */
  ARENA_TEST_CLOCK: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  RUN_WORKERS: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  /**
   * Reverse proxies (addresses or CIDR ranges, comma-separated) whose X-Forwarded-For is believed when they are the
   * TCP peer. Empty: the peer is the client and X-Forwarded-For is ignored. Rate limits count per client address.
   */
  TRUSTED_PROXIES: z.string().default(''),
  /** Port and interface of the web server (scripts/serve.ts). */
  PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Base URL of CERN Open Data for `pipeline fetch` (a mirror, or a local server in tests). */
  FETCH_CERN_OPENDATA_URL: z.string().url().default('https://opendata.cern.ch'),
  /** Base URL of Zenodo for `pipeline fetch`. */
  FETCH_ZENODO_URL: z.string().url().default('https://zenodo.org'),
});

function emptyToUndefined(source: NodeJS.ProcessEnv): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(source).map(([k, v]) => [k, v === '' ? undefined : v]));
}

const parsed = envSchema.safeParse(emptyToUndefined(process.env));
if (!parsed.success) {
  const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  throw new Error(`Invalid environment:\n${lines.join('\n')}`);
}

export const env = {
  ...parsed.data,
  DATA_DIR: path.resolve(parsed.data.DATA_DIR),
};
export type Env = typeof env;
