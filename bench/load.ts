/**
 * `npm run bench -- load [--submissions N] [--seconds S] [--connections C]`: the platform under load, on `next start`
 * over loopback (embedded database). Seeds N scored submissions (default 10 000) on the H→ττ toy challenge, then
 * drives the health endpoint (the baseline), the leaderboard API and the leaderboard page with C concurrent clients
 * (default 50) for S seconds each with autocannon, and sends 100 concurrent uploads for one participant. The page is
 * also measured for a signed-in user and the API with a token (both live per request; reported beside the target,
 * not part of it). Prints one
 * JSON report: requests/s, p50/p99 latency, errors, the ratios to the health endpoint (target ≥ 0.3 with zero errors)
 * and whether the daily limit held.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { eq } from 'drizzle-orm';
import higgsTautauToy from '@/challenges/higgs-tautau-toy/challenge';
import { openDatabase } from '@/db/client';
import { challenges, phases, scores, submissions, users } from '@/db/schema';
import { createApiToken } from '@/lib/server/api-tokens/create-api-token';
import { syncChallengeDefinition } from '@/lib/server/challenges/sync-challenge-definition';
import { registerLocalDatasetVersions } from '@/lib/server/datasets/register-local-dataset-versions';
import { currentScoringVersion } from '@/lib/server/scoring/scoring-version';
import { createUser } from '@/lib/server/users/create-user';
import { decodeArrowTable } from '@/lib/shared/arrow';
import { ensureBuiltinDatasets } from '../scripts/ensure-datasets';

const root = path.resolve(__dirname, '..');

function option(args: string[], name: string, fallback: number): number {
  const index = args.indexOf(name);
  const value = index >= 0 ? Number(args[index + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

async function seed(dataDir: string, count: number): Promise<{ token: string; testIds: number[] }> {
  const handle = await openDatabase({ dataDir });
  try {
    await handle.migrate();
    await registerLocalDatasetVersions(handle.db, dataDir);
    await syncChallengeDefinition(handle.db, higgsTautauToy, { publish: true });
    const [challenge] = await handle.db.select().from(challenges).where(eq(challenges.slug, higgsTautauToy.slug));
    const [phase] = await handle.db.select().from(phases).where(eq(phases.challengeId, challenge?.id ?? ''));
    if (!challenge || !phase) throw new Error('the toy challenge did not sync');
    const version = currentScoringVersion(challenge.revision);
    // Participants share one bcrypt hash: they never sign in, they only own entries.
    const participants = 500;
    const hash = '$2b$10$CwTycUXWue0Thq9StjUM0uJ8Q9V0s1wW9q9l3yZ7tq0b1R3uI6y2K';
    const userRows = await handle.db
      .insert(users)
      .values(Array.from({ length: participants }, (_, i) => ({ email: `load-${i}@example.org`, name: `Load participant ${i}`, passwordHash: hash })))
      .returning({ id: users.id });
    const replicas = (value: number) => Array.from({ length: 200 }, (_, k) => value + Math.sin(k * 12.9898 + value) * 0.05);
    for (let start = 0; start < count; start += 500) {
      const batch = Array.from({ length: Math.min(500, count - start) }, (_, j) => start + j);
      const rows = await handle.db
        .insert(submissions)
        .values(
          batch.map((i) => ({
            challengeId: challenge.id,
            phaseId: phase.id,
            userId: userRows[i % participants]?.id ?? '',
            fileName: `seed-${i}.csv`,
            sha256: i.toString(16).padStart(64, '0'),
            sizeBytes: 1_000_000,
            rows: 50_000,
            status: 'scored' as const,
            scoredVersion: version,
            challengeRevision: challenge.revision,
            createdAt: new Date(Date.UTC(2026, 0, 2) + i * 1000),
            finishedAt: new Date(Date.UTC(2026, 0, 2) + i * 1000 + 500),
          })),
        )
        .returning({ id: submissions.id });
      const scoreRows = rows.flatMap((row, j) => {
        const quality = ((start + j) * 7919) % 1000 / 1000;
        return (['public', 'private'] as const).flatMap((split) => [
          { submissionId: row.id, split, variation: 'nominal', metric: 'ams_best', value: 1 + 2 * quality, ciLow: 0.9 + 2 * quality, ciHigh: 1.1 + 2 * quality, replicas: replicas(1 + 2 * quality), replicaCount: 200, scoringVersion: version },
          { submissionId: row.id, split, variation: 'nominal', metric: 'auc', value: 0.6 + 0.3 * quality, ciLow: 0.59 + 0.3 * quality, ciHigh: 0.61 + 0.3 * quality, replicas: null, replicaCount: null, scoringVersion: version },
        ]);
      });
      await handle.db.insert(scores).values(scoreRows);
    }
    const uploader = await createUser(handle.db, { email: 'load-uploader@example.org', name: 'Load uploader', password: 'load-bench-password' });
    const { token } = await createApiToken({ db: handle.db, dataDir, user: uploader, now: () => new Date(), queue: { async enqueueScoring() {} } }, { name: 'load bench' });
    const folder = path.join(dataDir, 'datasets', higgsTautauToy.dataset.id, higgsTautauToy.dataset.version);
    const testIds = Array.from(decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(folder, 'test.arrow')))).columns.id as ArrayLike<number>);
    return { token, testIds };
  } finally {
    await handle.close();
  }
}

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const started = Date.now();
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() - started > timeoutMs) throw new Error(`the server did not answer ${url} within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Signs the bench's uploader in through next-auth's credentials flow and returns the session cookie. */
async function signIn(base: string, email: string, password: string): Promise<string> {
  const csrfResponse = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
  const csrfCookies = csrfResponse.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const response = await fetch(`${base}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookies },
    body: new URLSearchParams({ csrfToken, email, password, json: 'true' }),
  });
  const session = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0] ?? '')
    .find((c) => c.startsWith('next-auth.session-token'));
  if (!session) throw new Error(`signing in as ${email} gave no session cookie (status ${response.status})`);
  return session;
}

function summarise(result: Awaited<ReturnType<typeof autocannon>>) {
  return {
    requestsPerSecond: Math.round(result.requests.average * 10) / 10,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    requests: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

export async function runLoadBench(args: string[]) {
  const count = option(args, '--submissions', 10_000);
  const seconds = option(args, '--seconds', 10);
  const connections = option(args, '--connections', 50);
  const port = option(args, '--port', 3200);
  const dataDir = path.join(root, '.data', 'bench-load');
  fs.rmSync(dataDir, { recursive: true, force: true });
  await ensureBuiltinDatasets(dataDir, (line) => console.error(line));
  console.error(`[load] seeding ${count} scored submissions …`);
  const seeded = await seed(dataDir, count);

  const base = `http://127.0.0.1:${port}`;
  const server = spawn(path.join(root, 'node_modules', '.bin', 'tsx'), [path.join(root, 'scripts', 'start.ts')], {
    cwd: root,
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, NEXTAUTH_URL: base, NEXTAUTH_SECRET: 'load-bench-secret', SEED_DEMO_ACCOUNTS: 'false' },
    // The server's output goes to stderr: stdout is the JSON report only.
    stdio: ['ignore', 2, 2],
    detached: true,
  });
  try {
    await waitForHealth(`${base}/api/health`, 900_000);
    const run = (url: string, headers: Record<string, string> = {}) => autocannon({ url: `${base}${url}`, connections, duration: seconds, headers });
    // One short warm-up per route so that first-request compilation does not count.
    for (const url of ['/api/health', '/api/v1/challenges/higgs-tautau-toy/leaderboard', '/challenges/higgs-tautau-toy/leaderboard']) await fetch(`${base}${url}`);
    console.error(`[load] ${connections} clients × ${seconds} s per route …`);
    const health = summarise(await run('/api/health'));
    const api = summarise(await run('/api/v1/challenges/higgs-tautau-toy/leaderboard'));
    // With a token the board is computed live for the caller (their own rows marked): reported, not a target.
    const apiWithToken = summarise(await run('/api/v1/challenges/higgs-tautau-toy/leaderboard', { authorization: `Bearer ${seeded.token}` }));
    const page = summarise(await run('/challenges/higgs-tautau-toy/leaderboard'));
    // Signed in, the page is rendered per request (the viewer's own rows are marked): reported, not a target.
    const cookie = await signIn(base, 'load-uploader@example.org', 'load-bench-password');
    await fetch(`${base}/challenges/higgs-tautau-toy/leaderboard`, { headers: { cookie } });
    const pageSignedIn = summarise(await run('/challenges/higgs-tautau-toy/leaderboard', { cookie }));

    console.error('[load] 100 concurrent uploads for one participant …');
    const csv = `id,score\n${seeded.testIds.map((id, i) => `${id},${(i % 100) / 100}`).join('\n')}\n`;
    const statuses = await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const response = await fetch(`${base}/api/v1/challenges/higgs-tautau-toy/submissions?fileName=load-${i}.csv`, {
          method: 'POST',
          headers: { authorization: `Bearer ${seeded.token}`, 'content-type': 'text/csv' },
          body: csv,
        });
        await response.arrayBuffer();
        return response.status;
      }),
    );
    const tally = statuses.reduce<Record<string, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {});
    const maxPerDay = higgsTautauToy.phases[0]?.maxPerDay ?? 0;
    const accepted = tally['202'] ?? 0;
    return {
      bench: 'load',
      setup: { seededSubmissions: count, participants: 500, connections, secondsPerRoute: seconds, database: 'PGlite (embedded)', server: 'scripts/serve.ts (Next behind a Node HTTP server) on 127.0.0.1' },
      health,
      leaderboardApi: { ...api, ratioToHealth: Math.round((api.requestsPerSecond / health.requestsPerSecond) * 1000) / 1000, servedAs: 'visitors: cached copy (revalidated every 5 s)' },
      leaderboardApiWithToken: { ...apiWithToken, ratioToHealth: Math.round((apiWithToken.requestsPerSecond / health.requestsPerSecond) * 1000) / 1000, servedAs: 'live per request; not part of the target' },
      leaderboardPage: { ...page, ratioToHealth: Math.round((page.requestsPerSecond / health.requestsPerSecond) * 1000) / 1000, servedAs: 'visitors: cached copy (ISR, revalidated every 5 s)' },
      leaderboardPageSignedIn: { ...pageSignedIn, ratioToHealth: Math.round((pageSignedIn.requestsPerSecond / health.requestsPerSecond) * 1000) / 1000, servedAs: 'rendered per request; not part of the target' },
      uploads: { concurrent: 100, statuses: tally, accepted, maxPerDay, isWithinDailyLimit: accepted <= maxPerDay },
      targets: { ratioToHealth: 0.3, errors: 0 },
      meetsTargets:
        api.errors === 0 && page.errors === 0 && api.requestsPerSecond / health.requestsPerSecond >= 0.3 && page.requestsPerSecond / health.requestsPerSecond >= 0.3 && accepted <= maxPerDay,
    };
  } finally {
    if (server.pid) process.kill(-server.pid, 'SIGTERM');
  }
}
