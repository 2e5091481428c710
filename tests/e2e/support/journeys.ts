import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { expect, type APIRequestContext, type Page } from '@playwright/test';

/** Signs up a fresh participant through the form and returns their display name. */
export async function signUp(page: Page, prefix: string): Promise<string> {
  const name = `${prefix}${Date.now() % 1_000_000}`;
  await page.goto('/sign-up');
  await page.getByLabel('E-mail').fill(`${name.toLowerCase()}@example.org`);
  await page.getByLabel('Display name').fill(name);
  await page.getByLabel('Password').fill('e2e-password-123');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByTestId('signed-in-as')).toContainText(name);
  return name;
}

export async function signIn(page: Page, email: string, password: string, callbackUrl = '/'): Promise<void> {
  await page.goto(`/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('signed-in-as')).toBeVisible();
}

/** A CSV table as rows of named fields (the dataset exports have no quoted fields). */
export function parseCsv(text: string): Array<Record<string, string>> {
  const [header, ...lines] = text.trim().split('\n');
  const names = (header ?? '').split(',');
  return lines.map((line) => {
    const fields = line.split(',');
    return Object.fromEntries(names.map((n, i) => [n, fields[i] ?? '']));
  });
}

export async function downloadCsv(request: APIRequestContext, slug: string, file: string): Promise<Array<Record<string, string>>> {
  const response = await request.get(`/api/v1/challenges/${slug}/files/${encodeURIComponent(file)}`);
  expect(response.status(), `download of ${file}`).toBe(200);
  return parseCsv(await response.text());
}

/** Polls the REST status endpoint (with the page's session) until the submission is scored or failed. */
export async function waitForScored(request: APIRequestContext, submissionId: string): Promise<Record<string, unknown>> {
  let last: Record<string, unknown> = {};
  await expect(async () => {
    const response = await request.get(`/api/v1/submissions/${submissionId}`);
    expect(response.status()).toBe(200);
    last = (await response.json()) as Record<string, unknown>;
    expect(['scored', 'failed']).toContain(last.status);
  }).toPass({ timeout: 90_000, intervals: [500, 1000] });
  expect(last.status, String(last.error ?? '')).toBe('scored');
  return last;
}

/** Moves the platform clock (test-only endpoint; the e2e server runs with ARENA_TEST_CLOCK=true). */
export async function setClock(request: APIRequestContext, at: Date | null): Promise<void> {
  const response = await request.post('/api/test/clock', { data: { at: at ? at.toISOString() : null } });
  expect(response.status()).toBe(200);
}

/** Uploads a file through the submit page and returns the new submission's id from the result link. */
export async function uploadOnSubmitPage(page: Page, slug: string, name: string, content: string): Promise<string> {
  await page.goto(`/challenges/${slug}/submit`);
  await page.getByTestId('submit-file-input').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(content) });
  await page.getByTestId('submit-button').click();
  const result = page.getByTestId('submit-result');
  await expect(result).toContainText(name);
  const href = await result.getByRole('link').first().getAttribute('href');
  const id = href?.split('/').pop() ?? '';
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  return id;
}

/** Scores each event of a downloaded test CSV by how close its visible mass is to the Higgs peak: weak but real. */
export function massWindowPredictions(testCsv: string): string {
  const rows = parseCsv(testCsv);
  expect(rows[0]).toHaveProperty('id');
  expect(rows[0]).toHaveProperty('DER_mass_vis');
  const out = ['id,score', ...rows.map((r) => `${r.id},${(1 / (1 + Math.abs(Number(r.DER_mass_vis) - 95) / 15)).toFixed(6)}`)];
  return `${out.join('\n')}\n`;
}

/** Waits for a child process to end and returns its exit code and everything it wrote. */
export function outputOf(child: ChildProcess): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk) => (stdout += chunk));
    child.stderr?.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs the arena CLI the way `npm run arena` does, against the test server. */
export function runArena(args: string[], env: { url: string; token: string }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // The way `npm run arena` runs it: the precompiled bundle (rebuilt first if a source changed).
  return outputOf(
    spawn(process.execPath, [path.resolve('scripts', 'cli.mjs'), 'lib/cli/arena.ts', ...args], {
      env: { ...process.env, ARENA_URL: env.url, ARENA_TOKEN: env.token },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
}

/** The mass-window tagger of the top-tagging toy on the nominal test set and every varied one (Arrow files). */
export async function topTaggingPredictions(request: APIRequestContext): Promise<string> {
  const { tableFromIPC } = await import('apache-arrow');
  const slug = 'top-tagging-toy';
  const challenge = (await (await request.get(`/api/v1/challenges/${slug}`)).json()) as { scoring: { variations: { name: string }[] } };
  const lines = ['variation,id,score'];
  for (const table of ['nominal', ...challenge.scoring.variations.map((v) => v.name)]) {
    const file = table === 'nominal' ? 'test.arrow' : `test@${table}.arrow`;
    const response = await request.get(`/api/v1/challenges/${slug}/files/${encodeURIComponent(file)}`);
    expect(response.status(), file).toBe(200);
    const arrow = tableFromIPC(await response.body());
    const ids = arrow.getChild('id')?.toArray() as ArrayLike<number>;
    const mass = arrow.getChild('fjet_m')?.toArray() as ArrayLike<number>;
    for (let i = 0; i < ids.length; i++) lines.push(`${table},${ids[i]},${(1 / (1 + Math.abs((mass[i] ?? 0) / 1000 - 173) / 25)).toFixed(6)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A counting estimate of μ with a ±0.8 interval for every pseudo-experiment of the signal-strength toy. */
export async function intervalPredictions(request: APIRequestContext): Promise<string> {
  const events = await downloadCsv(request, 'higgs-signal-strength-toy', 'pseudo_experiments.csv');
  const counts = new Map<string, number>();
  for (const e of events) counts.set(e.pe_id ?? '', (counts.get(e.pe_id ?? '') ?? 0) + 1);
  const mean = [...counts.values()].reduce((a, b) => a + b, 0) / counts.size;
  const lines = ['pe_id,mu_hat,delta_mu_hat,p16,p84'];
  for (const [peId, n] of counts) {
    const muHat = Math.max(0.1, Math.min(3, 1 + (n - mean) / Math.sqrt(mean)));
    lines.push(`${peId},${muHat.toFixed(4)},0.8,${(muHat - 0.8).toFixed(4)},${(muHat + 0.8).toFixed(4)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Predictions for the H→ττ toy's test set: the mass window, scaled by `factor` so that entries differ. */
export async function higgsPredictions(request: APIRequestContext, factor = 1): Promise<string> {
  const rows = await downloadCsv(request, 'higgs-tautau-toy', 'test.csv');
  return ['id,score', ...rows.map((r) => `${r.id},${Math.min(1, factor / (1 + Math.abs(Number(r.DER_mass_vis) - 95) / 15)).toFixed(6)}`)].join('\n') + '\n';
}

/** Creates an API token on the settings page and returns it. */
export async function createToken(page: Page, name: string): Promise<string> {
  await page.goto('/settings/tokens');
  await page.getByTestId('token-name').fill(name);
  await page.getByRole('button', { name: 'Create token' }).click();
  const token = ((await page.getByTestId('new-token').textContent()) ?? '').trim();
  expect(token).toMatch(/^ha_/);
  return token;
}

/**
 * One fresh participant shared by the tests of a spec file (sign-ups are rate-limited per address, 20 an hour, and the
 * whole suite runs from one address): signed up once in `beforeAll`, then every test's page starts signed in as them.
 * Use as `const shared = sharedParticipant(test, 'Prefix')`, then `shared.name()` in a test.
 */
export function sharedParticipant(
  t: { beforeAll: (fn: (args: { browser: import('@playwright/test').Browser }, info: import('@playwright/test').TestInfo) => Promise<void>) => void; use: (fixtures: Record<string, unknown>) => void },
  prefix: string,
): { name: () => string } {
  let name = '';
  let statePath = '';
  t.beforeAll(async ({ browser }, info) => {
    const page = await browser.newPage();
    name = await signUp(page, prefix);
    statePath = info.outputPath(`${prefix.toLowerCase()}-session.json`);
    await page.context().storageState({ path: statePath });
    await page.close();
  });
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern.
  t.use({ storageState: async ({}, use: (path: string) => Promise<void>) => use(statePath) });
  return { name: () => name };
}
