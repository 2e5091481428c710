import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { signUp } from './support/journeys';

const slug = 'higgs-tautau-toy';

test('a student trains a TF.js baseline in the browser (offline once loaded), submits it, and it ranks marked as a browser baseline', async ({ page, context }) => {
  const name = await signUp(page, 'Learner');

  await page.goto(`/challenges/${slug}`);
  await page.getByTestId('tab-train').click();
  await expect(page.getByTestId('backend')).toContainText('wasm', { timeout: 60_000 });
  await page.getByTestId('subsample').selectOption('0.05');
  await page.getByRole('button', { name: 'Load training data' }).click();
  await expect(page.getByTestId('data-summary')).toContainText('4,000 training and 1,000 validation events');

  // Everything after the download runs without the network: training and predicting happen in the tab.
  await context.setOffline(true);
  await page.getByTestId('epochs').fill('2');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('validation-metrics')).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId('epoch-status')).toContainText('epoch 2 of 2');
  const status = (await page.getByTestId('epoch-status').textContent()) ?? '';
  const auc = Number(/validation AUC ([0-9.]+)/.exec(status)?.[1]);
  expect(auc).toBeGreaterThan(0.6);
  await expect(page.getByTestId('roc-chart')).toBeVisible();
  // The validation ROC is drawn offline too, in both conventions the submission page offers.
  await expect(page.getByTestId('roc-chart').getByTestId('roc-plot')).toHaveAttribute('data-drawn', 'true');
  await page.getByTestId('roc-axis').selectOption('roc');
  await expect(page.getByTestId('roc-chart').getByTestId('roc-plot')).toHaveAttribute('data-drawn', 'true');
  await context.setOffline(false);

  // The trained model downloads in TF.js format: model.json (topology, weights manifest, standardisation) + weights.
  const downloads: Array<{ name: string; path: string | null }> = [];
  page.on('download', async (d) => downloads.push({ name: d.suggestedFilename(), path: await d.path() }));
  await page.getByRole('button', { name: 'Download model (TF.js)' }).click();
  await expect.poll(() => downloads.map((d) => d.name).sort()).toEqual(['model.json', 'model.weights.bin']);
  await expect.poll(() => downloads.every((d) => d.path !== null)).toBe(true);
  const modelJson = JSON.parse(fs.readFileSync(downloads.find((d) => d.name === 'model.json')?.path ?? '', 'utf8'));
  expect(modelJson.format).toBe('layers-model');
  expect(modelJson.weightsManifest[0].paths).toEqual(['model.weights.bin']);
  expect(modelJson.userDefinedMetadata.features).toHaveLength(28);
  const weightBytes = fs.statSync(downloads.find((d) => d.name === 'model.weights.bin')?.path ?? '').size;
  const declared = modelJson.weightsManifest[0].weights.reduce((n: number, w: { shape: number[] }) => n + 4 * w.shape.reduce((a, b) => a * b, 1), 0);
  expect(weightBytes).toBe(declared);

  await page.getByTestId('predict-submit').click();
  await expect(page.getByTestId('baseline-submitted')).toBeVisible({ timeout: 60_000 });

  await page.goto('/submissions');
  await expect(page.getByTestId('submission-row').first()).toHaveAttribute('data-status', 'scored', { timeout: 60_000 });
  await page.goto(`/challenges/${slug}/leaderboard`);
  const row = page.getByTestId('leaderboard').getByRole('row').filter({ hasText: name });
  await expect(row).toContainText('browser baseline');
  await expect(row).toContainText(/\d+\.\d{4}/);
});

test('the top-tagging baseline, megabytes of predictions over five test sets, is submitted with one click and scored', async ({ page }) => {
  await signUp(page, 'Tagger');
  await page.goto('/challenges/top-tagging-toy/train');
  await expect(page.getByTestId('backend')).toContainText('wasm', { timeout: 60_000 });
  await page.getByTestId('subsample').selectOption('0.05');
  await page.getByRole('button', { name: 'Load training data' }).click();
  await expect(page.getByTestId('data-summary')).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('epochs').fill('1');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('validation-metrics')).toBeVisible({ timeout: 120_000 });
  // The predictions went to the streamed upload endpoint, not into a server action's arguments.
  const upload = page.waitForResponse((response) => response.request().method() === 'POST' && response.url().includes('/api/v1/challenges/top-tagging-toy/submissions'));
  await page.getByTestId('predict-submit').click();
  const answer = await upload;
  expect(new URL(answer.url()).searchParams.get('source')).toBe('browser-baseline');
  expect(answer.status()).toBe(202);
  const accepted = (await answer.json()) as { sizeBytes: number; rows: number; source: string };
  expect(accepted.source).toBe('browser-baseline');
  // One row per event of the nominal test set and of each of the four variations.
  expect(accepted.rows).toBeGreaterThan(5_000);
  expect(accepted.sizeBytes).toBeGreaterThan(1_000_000);
  console.log(`[browser-baseline] top tagging: ${accepted.rows} rows, ${accepted.sizeBytes} bytes streamed`);
  await expect(page.getByTestId('baseline-submitted')).toBeVisible({ timeout: 120_000 });
  await page.goto('/submissions');
  const row = page.getByTestId('submission-row').first();
  await expect(row).toHaveAttribute('data-status', 'scored', { timeout: 120_000 });
  await expect(row).toContainText('browser-baseline.csv');
});
