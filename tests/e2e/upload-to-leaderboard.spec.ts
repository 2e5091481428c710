import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { downloadCsv, massWindowPredictions, signUp, waitForScored } from './support/journeys';

const slug = 'higgs-tautau-toy';

test('a new participant signs up, downloads the test set, uploads predictions and is ranked on the leaderboard', async ({ page }, testInfo) => {
  const name = await signUp(page, 'Student');

  await page.goto(`/challenges/${slug}`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('H→ττ toy');
  await expect(page.locator('.badge.toy').first()).toBeVisible();

  await page.getByTestId('tab-data').click();
  const downloadPromise = page.waitForEvent('download');
  await page.getByTestId('download-test.csv').click();
  const download = await downloadPromise;
  const testCsv = fs.readFileSync((await download.path()) ?? '', 'utf8');
  const predictions = massWindowPredictions(testCsv);
  expect(predictions.split('\n').length).toBeGreaterThan(1000);

  await page.getByRole('link', { name: 'Submit' }).click();
  await page.getByTestId('predictions-file').setInputFiles({ name: 'mass-window.csv', mimeType: 'text/csv', buffer: Buffer.from(predictions) });
  await page.getByRole('button', { name: 'Submit' }).click();
  await expect(page.getByTestId('submit-ok')).toContainText('mass-window.csv');

  await page.goto('/submissions');
  await expect(page.getByTestId('submission-row').first()).toHaveAttribute('data-status', 'scored', { timeout: 60_000 });
  // Scores by the metric's name, with its interval (never the bare id).
  await expect(page.getByTestId('submission-row').first()).toContainText(/Best AMS ★:\s*\d+\.\d+ \(\d+\.\d+–\d+\.\d+\)/);

  await page.goto(`/challenges/${slug}/leaderboard`);
  const row = page.getByTestId('leaderboard').getByRole('row').filter({ hasText: name });
  await expect(row).toBeVisible();
  await expect(row).toContainText(/\d+\.\d{4}/);
  // Every number comes with its bootstrap interval, and the entry has a tie group.
  await expect(row.getByTestId('ci')).toHaveCount(2);
  await expect(row.getByTestId('ci').first()).toHaveText(/^\d+\.\d{4}–\d+\.\d{4}$/);
  await expect(row.getByTestId('tie-group')).toHaveText(/^\d+$/);
  await expect(page.getByText('Private scores stay hidden until the phase closes.')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('leaderboard.png'), fullPage: true });
});

test('a malformed upload is rejected with the line and the problem, and nothing is recorded', async ({ page }) => {
  await signUp(page, 'Typo');
  // Real test ids (the request shares the page's session cookie), so the only fault is the score on line 4.
  const testCsv = await (await page.request.get(`/api/challenges/${slug}/files/test.csv`)).text();
  const ids = testCsv.split('\n').slice(1, 4).map((line) => line.split(',')[0]);
  const bad = `id,score\n${ids[0]},0.5\n${ids[1]},0.25\n${ids[2]},high\n`;
  await page.goto(`/challenges/${slug}/submit`);
  await page.getByTestId('predictions-file').setInputFiles({ name: 'typo.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await page.getByRole('button', { name: 'Submit' }).click();
  const error = page.getByTestId('submit-error');
  await expect(error).toContainText('nothing was stored');
  await expect(error).toContainText('line 4');
  await expect(error).toContainText('"high"');
  await page.goto('/submissions');
  await expect(page.getByText('Nothing submitted yet')).toBeVisible();
});

test('a visitor can browse challenges but must sign in to download or submit', async ({ page, request }) => {
  await page.goto('/');
  await expect(page.getByRole('link', { name: /H→ττ toy/ })).toBeVisible();
  await page.goto(`/challenges/${slug}/submit`);
  await expect(page.getByText('to submit')).toBeVisible();
  const response = await request.get(`/api/challenges/${slug}/files/test.csv`);
  expect(response.status()).toBe(401);
  const truth = await request.get(`/api/challenges/${slug}/files/truth.arrow`);
  expect([401, 404]).toContain(truth.status());
});

test('visitors get the cached board, which takes a new entry within seconds; the participant sees it at once, marked', async ({ page, browser, request }) => {
  test.setTimeout(120_000);
  // A visitor, on a full page load and on a client-side navigation from the overview.
  const visitor = await browser.newPage();
  await visitor.goto(`/challenges/${slug}/leaderboard`);
  await expect(visitor.getByTestId('board-rendered-at')).toBeVisible();
  await expect(visitor.getByTestId('tab-leaderboard')).toHaveAttribute('aria-current', 'page');
  await visitor.goto(`/challenges/${slug}`);
  await visitor.getByTestId('tab-leaderboard').click();
  await expect(visitor.getByTestId('board-rendered-at')).toBeVisible();
  await expect(visitor).toHaveURL(new RegExp(`/challenges/${slug}/leaderboard$`));

  const name = await signUp(page, 'Cached');
  const rows = await downloadCsv(page.request, slug, 'test.csv');
  const csv = ['id,score', ...rows.map((r, i) => `${r.id},${((i * 6271) % 1000) / 1000}`)].join('\n') + '\n';
  const created = await page.request.post(`/api/v1/challenges/${slug}/submissions?fileName=cached.csv`, {
    data: Buffer.from(csv),
    headers: { 'content-type': 'text/csv', origin: new URL(page.url()).origin },
  });
  expect(created.status()).toBe(202);
  await waitForScored(page.request, ((await created.json()) as { id: string }).id);

  // Signed in: the copy every viewer shares, with the participant's own rows added live: the new row is there at
  // once (even before the copy is refreshed), marked as theirs, exactly once; their navigation is filled in too.
  await page.goto(`/challenges/${slug}/leaderboard`);
  await expect(page.getByTestId('board-rendered-at')).toBeVisible();
  await expect(page.locator('tr.you').filter({ hasText: name })).toBeVisible();
  await expect(page.getByTestId('leaderboard-row').filter({ hasText: name })).toHaveCount(1);
  await expect(page.getByTestId('signed-in-as')).toContainText(name);

  // The visitor's copy is refreshed every few seconds: the row appears without anyone signing in, unmarked.
  await expect(async () => {
    await visitor.goto(`/challenges/${slug}/leaderboard`);
    await expect(visitor.getByTestId('leaderboard').getByRole('row').filter({ hasText: name })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(visitor.locator('tr.you')).toHaveCount(0);
  await visitor.close();

  // The API likewise: live for the signed-in participant, a copy at most seconds old for anyone else.
  type Board = { rows: Array<{ userName: string; isYou: boolean }> };
  const mine = (await (await page.request.get(`/api/v1/challenges/${slug}/leaderboard`)).json()) as Board;
  expect(mine.rows.find((r) => r.userName === name)?.isYou).toBe(true);
  await expect(async () => {
    const cached = (await (await request.get(`/api/v1/challenges/${slug}/leaderboard`)).json()) as Board;
    expect(cached.rows.find((r) => r.userName === name)?.isYou).toBe(false);
  }).toPass({ timeout: 30_000 });
});
