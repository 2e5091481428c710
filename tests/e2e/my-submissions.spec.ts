import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { createToken, higgsPredictions, intervalPredictions, outputOf, signUp, waitForScored } from './support/journeys';

/** The environment without npm's INIT_CWD of an outer `npm run`, so that the npm started here sets its own. */
function withoutInitCwd(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  delete copy.INIT_CWD;
  return copy;
}


/**
 * Experience 3 of issue 17: My submissions shows metric names with their intervals, filters by challenge and status,
 * and every upload (web, API, CLI) may carry a short description, shown on the page and in the exports.
 */
function runArena(args: string[], env: { url: string; token: string }, cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // From another folder, with a relative --file, as a participant types it: npm starts the CLI in the project
  // folder and says where the command was typed (INIT_CWD).
  return outputOf(
    spawn('npm', ['--prefix', path.resolve('.'), 'run', '--silent', 'arena', '--', ...args], {
      cwd,
      env: withoutInitCwd({ ...process.env, ARENA_URL: env.url, ARENA_TOKEN: env.token }),
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
}

test('descriptions from the web form, the API and the CLI show on My submissions, the submission page and the export; filters narrow the list', async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  await signUp(page, 'Describer');
  const token = await createToken(page, 'describer');

  // Web: the submit form's description field.
  await page.goto('/challenges/higgs-tautau-toy/submit');
  await page.getByTestId('submit-file-input').setInputFiles({ name: 'web.csv', mimeType: 'text/csv', buffer: Buffer.from(await higgsPredictions(page.request)) });
  await page.getByTestId('submit-description').fill('web: mass window around 95 GeV');
  await page.getByTestId('submit-button').click();
  const webId = (await page.getByTestId('submit-result').getAttribute('data-submission-id')) ?? '';

  // API: ?description= with a token.
  const api = await page.request.post('/api/v1/challenges/higgs-signal-strength-toy/submissions?fileName=api.csv&description=api%3A%20counting%20estimate', {
    data: Buffer.from(await intervalPredictions(page.request)),
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
  });
  expect(api.status()).toBe(202);
  const apiId = ((await api.json()) as { id: string }).id;

  // CLI: --description, the file given relative to the folder the command runs in.
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'arena-e2e-'));
  fs.writeFileSync(path.join(folder, 'cli.csv'), await higgsPredictions(page.request, 0.8));
  const cli = await runArena(['submit', '--challenge', 'higgs-tautau-toy', '--file', 'cli.csv', '--description', 'cli: scaled window', '--wait'], { url: testInfo.project.use.baseURL ?? '', token }, folder);
  fs.rmSync(folder, { recursive: true, force: true });
  expect(cli.code, cli.stderr).toBe(0);
  expect(cli.stdout).toContain('description cli: scaled window');
  const cliId = /Submission ([0-9a-f-]{36})/.exec(cli.stdout)?.[1] ?? '';
  for (const id of [webId, apiId, cliId]) await waitForScored(page.request, id);

  await page.goto('/submissions');
  const rowOf = (id: string) => page.locator(`[data-testid="submission-row"][data-submission-id="${id}"]`);
  await expect(rowOf(webId).getByTestId('submission-description')).toHaveText('web: mass window around 95 GeV');
  await expect(rowOf(apiId).getByTestId('submission-description')).toHaveText('api: counting estimate');
  await expect(rowOf(cliId).getByTestId('submission-description')).toHaveText('cli: scaled window');
  // Scores by metric name with their 68 % interval, not by id.
  await expect(rowOf(apiId).getByTestId('public-scores')).toContainText(/Quantile score ★:\s*-?\d+\.\d+ \(-?\d+\.\d+–-?\d+\.\d+\)/);
  await expect(rowOf(apiId).getByTestId('public-scores')).toContainText('Coverage');
  await expect(rowOf(apiId).getByTestId('public-scores')).not.toContainText('quantile_score');

  // Filters: by challenge, by status, both; the export follows them.
  await page.getByTestId('filter-challenge').selectOption('higgs-signal-strength-toy');
  await page.getByTestId('filter-apply').click();
  await expect(page).toHaveURL(/challenge=higgs-signal-strength-toy/);
  await expect(page.getByTestId('submission-row')).toHaveCount(1);
  await expect(rowOf(apiId)).toBeVisible();
  await page.getByTestId('filter-challenge').selectOption('higgs-tautau-toy');
  await page.getByTestId('filter-status').selectOption('failed');
  await page.getByTestId('filter-apply').click();
  await expect(page.getByTestId('no-submissions')).toContainText('No submission matches this filter');
  await page.getByTestId('filter-status').selectOption('scored');
  await page.getByTestId('filter-apply').click();
  await expect(page.getByTestId('submission-row')).toHaveCount(2);

  const download = page.waitForEvent('download');
  await page.getByTestId('export-my-csv').click();
  const csv = fs.readFileSync((await (await download).path()) ?? '', 'utf8');
  expect(csv.split('\r\n')[0]).toContain('description');
  expect(csv).toContain('web: mass window around 95 GeV');
  expect(csv).toContain('cli: scaled window');
  expect(csv).not.toContain('api: counting estimate');
  expect(csv).toMatch(/,public,ams_best,Best AMS,higher is better,/);

  await page.goto(`/submissions/${apiId}`);
  await expect(page.getByTestId('submission-description')).toHaveText('api: counting estimate');
  const bad = await page.request.get('/submissions?status=finished');
  expect(bad.status()).toBe(400);
});
