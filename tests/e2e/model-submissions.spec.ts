import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { createToken, parseCsv, runArena, signIn, signUp, waitForScored } from './support/journeys';

const slug = 'top-tagging-model-toy';
const organiser = { email: 'organiser@hep-arena.local', password: 'organiser-demo-2026' };

test('the browser baseline submits its TF.js model in a model phase; the server runs it on hidden test data and agrees with the browser to 1e-5', async ({ page, browser }) => {
  test.setTimeout(300_000);
  const name = await signUp(page, 'ModelStudent');

  // The participant never gets the test features of a model phase.
  expect((await page.request.get(`/api/v1/challenges/${slug}/files/test.arrow`)).status()).toBe(404);
  expect((await page.request.get(`/api/v1/challenges/${slug}/files/test@hidden_ces.arrow`)).status()).toBe(404);

  await page.goto(`/challenges/${slug}/train`);
  await expect(page.getByTestId('backend')).toContainText(/wasm|webgl|cpu/, { timeout: 60_000 });
  await page.getByTestId('subsample').selectOption('0.25');
  await page.getByRole('button', { name: 'Load training data' }).click();
  await expect(page.getByTestId('data-summary')).toContainText('19 features');
  await page.getByTestId('epochs').fill('2');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('validation-metrics')).toBeVisible({ timeout: 120_000 });
  await page.getByTestId('submit-model').click();
  await expect(page.getByTestId('baseline-submitted')).toContainText('the model', { timeout: 60_000 });
  // The model's run is followed live, like a predictions file: queued → scoring → scored with its scores, no reload.
  const liveCard = page.getByTestId('baseline-submitted').getByTestId('live-submission');
  await expect(liveCard).toHaveAttribute('data-status', 'scored', { timeout: 120_000 });
  await expect(liveCard.locator('[data-testid="score"][data-metric="rejection_at_0.5"]')).toBeVisible();

  const mine = (await (await page.request.get('/api/v1/me/submissions')).json()) as Array<{ id: string; challengeSlug: string; model?: unknown }>;
  const submitted = mine.find((s) => s.challengeSlug === slug);
  expect(submitted).toBeTruthy();
  const detail = await waitForScored(page.request, submitted?.id ?? '');
  expect((detail.model as { format: string }).format).toBe('tfjs');
  // Without a typed description the model says what network it is.
  expect(detail.description).toMatch(/^TF\.js network /);
  expect((detail.variations as Array<{ name: string }>).map((v) => v.name)).toContain('hidden_ces');

  // The organiser may see the hidden test features and the run's per-event predictions.
  const organiserContext = await browser.newContext();
  const organiserPage = await organiserContext.newPage();
  await signIn(organiserPage, organiser.email, organiser.password);
  const testArrow = await organiserPage.request.get(`/api/v1/challenges/${slug}/files/test.arrow`);
  expect(testArrow.status()).toBe(200);
  const testArrowBytes = Buffer.from(await testArrow.body());
  const serverPredictions = await organiserPage.request.get(`/api/v1/submissions/${submitted?.id}/predictions`);
  expect(serverPredictions.status()).toBe(200);
  const server = new Map(
    parseCsv(await serverPredictions.text())
      .filter((r) => r.variation === 'nominal')
      .map((r) => [r.id, Number(r.score)]),
  );
  await organiserContext.close();

  // The participant's browser runs the same model on those features (the organiser hands the file over here).
  await page.getByTestId('predict-features-input').setInputFiles({ name: 'test.arrow', mimeType: 'application/vnd.apache.arrow.file', buffer: testArrowBytes });
  const downloadPromise = page.waitForEvent('download');
  await page.getByTestId('download-browser-predictions').click();
  const browserCsv = fs.readFileSync((await (await downloadPromise).path()) ?? '', 'utf8');
  const browserRows = parseCsv(browserCsv);
  expect(browserRows.length).toBe(server.size);
  let worst = 0;
  for (const row of browserRows) worst = Math.max(worst, Math.abs(Number(row.score) - (server.get(row.id ?? '') ?? Number.NaN)));
  expect(worst).toBeLessThanOrEqual(1e-5);

  await page.goto(`/challenges/${slug}/leaderboard`);
  const boardRow = page.getByTestId('leaderboard').getByRole('row').filter({ hasText: name });
  await expect(boardRow).toContainText('browser baseline');
  await expect(boardRow.getByTestId('model-time')).toContainText(/\d+\.\d\d ms/);
  await expect(boardRow.getByTestId('model-size')).toContainText(/\d/);
});

test('a participant submits a PyTorch export from the CLI and sees it ranked; a model with the wrong output is refused on the submit page', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  const baseURL = testInfo.project.use.baseURL ?? '';
  const name = await signUp(page, 'ModelCli');
  const token = await createToken(page, `models-${Date.now() % 100000}`);

  const submitted = await runArena(['submit', '--challenge', slug, '--model', 'tests/fixtures/models/pytorch-mlp.onnx', '--wait', '--timeout', '120'], { url: baseURL, token });
  expect(submitted.stderr).toContain('Accepted model');
  expect(submitted.code, submitted.stderr).toBe(0);
  expect(submitted.stdout).toMatch(/model pytorch-mlp\.onnx \(onnx, [\d,]+ bytes, api\); ran [\d,]+ events at \d+\.\d\d ms per 1000/);
  expect(submitted.stdout).toContain('Public scores:');

  await page.goto(`/challenges/${slug}/leaderboard`);
  const boardRow = page.getByTestId('leaderboard').getByRole('row').filter({ hasText: name });
  await expect(boardRow.getByTestId('model-size')).toContainText(/KiB|bytes|B/);

  await page.goto(`/challenges/${slug}/submit`);
  await expect(page.getByTestId('model-input-columns')).toContainText('fjet_C2, fjet_D2');
  // A model uploaded on the submit page carries its description and its run is followed live to the scores.
  await page.getByTestId('submit-file-input').setInputFiles(path.resolve('tests/fixtures/models/pytorch-mlp.onnx'));
  await page.getByTestId('submit-description').fill('PyTorch MLP, 2 hidden layers');
  await page.getByTestId('submit-button').click();
  await expect(page.getByTestId('submit-result')).toContainText('ONNX');
  const liveCard = page.getByTestId('submit-ok').getByTestId('live-submission');
  await expect(liveCard).toHaveAttribute('data-status', 'scored', { timeout: 120_000 });
  await expect(liveCard.locator('[data-testid="score"][data-metric="rejection_at_0.5"]')).toBeVisible();
  const uploaded = (await (await page.request.get(`/api/v1/me/submissions?challenge=${slug}`)).json()) as Array<{ id: string; description: string | null }>;
  const described = uploaded.find((s) => s.description === 'PyTorch MLP, 2 hidden layers');
  expect(described?.id).toBe(await liveCard.getAttribute('data-submission-id'));
  expect(((await waitForScored(page.request, described?.id ?? '')).model as { format: string }).format).toBe('onnx');
  await page.goto(`/challenges/${slug}/submit`);
  await page.getByTestId('submit-file-input').setInputFiles(path.resolve('tests/fixtures/models/wrong-output-shape.onnx'));
  await page.getByTestId('submit-button').click();
  await expect(page.getByTestId('submit-error')).toContainText('output has shape [16, 3]');
  await expect(page.getByTestId('submit-error')).toHaveAttribute('data-code', 'INVALID_SUBMISSION');
});
