import { spawn } from 'node:child_process';
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

/** Runs the arena CLI the way `npm run arena` does, against the test server. */
export function runArena(args: string[], env: { url: string; token: string }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // The way `npm run arena` runs it: the precompiled bundle (rebuilt first if a source changed).
    const child = spawn(process.execPath, [path.resolve('scripts', 'cli.mjs'), 'lib/cli/arena.ts', ...args], {
      env: { ...process.env, ARENA_URL: env.url, ARENA_TOKEN: env.token },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
