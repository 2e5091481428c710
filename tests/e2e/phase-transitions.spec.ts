import path from 'node:path';
import { expect, test } from '@playwright/test';
import { buildHiggsTautauToyDataset } from '@/lib/pipeline/toy/higgs-tautau-toy';
import { e2eDataDir } from './support/e2e-data-dir';
import { downloadCsv, setClock, signIn, signUp, uploadOnSubmitPage, waitForScored } from './support/journeys';

const day = 24 * 3600 * 1000;
const isoSeconds = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

test.afterEach(async ({ request }) => {
  await setClock(request, null);
});

test('daily limits reset at midnight UTC, late files are refused, and the private board appears at the close with intervals and tie groups', async ({ page, browser }, testInfo) => {
  test.setTimeout(300_000);
  const suffix = `${Date.now() % 1_000_000}`;
  const slug = `e2e-clock-${suffix}`;
  // Noon UTC tomorrow, so "today" and "the next day" are unambiguous whatever the real time is.
  const start = new Date(Math.floor(Date.now() / day) * day + 1.5 * day);
  const closesAt = new Date(start.getTime() + 2 * day);
  await setClock(page.request, start);

  // A hidden test set of its own: the private board appears only when every phase scored on a truth has closed, and
  // the built-in H→ττ challenge on version 1.0.0 never closes. The organiser builds a version and rescans.
  const version = `e2e-clock-${suffix}`;
  await buildHiggsTautauToyDataset({ outDir: path.join(e2eDataDir(), 'datasets', 'higgs-tautau-toy', version), seed: 1000 + Number(suffix), trainEvents: 2_000, testEvents: 1_500, version });
  const organiser = await browser.newPage();
  await signIn(organiser, 'organiser@hep-arena.local', 'organiser-demo-2026', '/organise');
  await organiser.getByTestId('rescan-datasets').click();
  await expect(organiser.getByTestId('rescan-datasets-result')).toContainText(`higgs-tautau-toy@${version}`);
  await organiser.goto('/organise/new');
  const definition = {
    slug,
    revision: 1,
    title: `Clocked challenge ${suffix}`,
    summary: 'Phase transitions under the test clock.',
    task: 'binary-classification',
    dataset: { id: 'higgs-tautau-toy', version },
    metrics: [
      { id: 'auc', primary: true, precision: 4 },
      { id: 'ams_best', precision: 3 },
    ],
    splits: { publicFraction: 0.5, seed: 424242 },
    phases: [{ key: 'main', title: 'Main phase', opensAt: isoSeconds(new Date(start.getTime() - day)), closesAt: isoSeconds(closesAt), maxPerDay: 2, maxTotal: 10 }],
    pages: { overview: 'Clocked.', evaluation: 'AUC.', data: 'Toy data.', terms: 'Fair play.' },
  };
  await organiser.getByTestId('definition-file').setInputFiles({ name: 'clocked.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(definition)) });
  await organiser.getByTestId('upload-definition').click();
  await expect(organiser).toHaveURL(new RegExp(`/organise/${slug}$`));
  await organiser.getByTestId('publish').click();
  await expect(organiser.getByTestId('challenge-state')).toHaveText('published');

  const name = await signUp(page, 'Clocked');
  const rows = await downloadCsv(page.request, slug, 'test.csv');
  const csv = (strength: number) =>
    ['id,score', ...rows.map((r, i) => `${r.id},${Math.min(1, Math.max(0, strength * (1 / (1 + Math.abs(Number(r.DER_mass_vis) - 95) / 15)) + ((i * 7919) % 100) / 1000)).toFixed(6)}`)].join('\n') + '\n';

  const first = await uploadOnSubmitPage(page, slug, 'first.csv', csv(1));
  const second = await uploadOnSubmitPage(page, slug, 'second.csv', csv(0.5));
  await waitForScored(page.request, first);
  await waitForScored(page.request, second);

  // The third file of the day is refused, and the page says when the limit resets.
  await page.goto(`/challenges/${slug}/submit`);
  await expect(page.getByTestId('allowance-used-today')).toHaveText('2 of 2');
  await expect(page.getByTestId('allowance-resets-at')).toContainText('00:00 UTC');
  const refused = await page.request.post(`/api/v1/challenges/${slug}/submissions?fileName=third.csv`, {
    data: Buffer.from(csv(0.7)),
    headers: { 'content-type': 'text/csv', origin: new URL(page.url()).origin },
  });
  expect(refused.status()).toBe(429);
  expect(((await refused.json()) as { error: { message: string } }).error.message).toContain('resets at 00:00 UTC');

  // After midnight UTC the count starts again.
  await setClock(page.request, new Date(start.getTime() + 12 * 3600 * 1000 + 60_000));
  await page.goto(`/challenges/${slug}/submit`);
  await expect(page.getByTestId('allowance-used-today')).toHaveText('0 of 2');
  const third = await uploadOnSubmitPage(page, slug, 'third.csv', csv(0.8));
  await waitForScored(page.request, third);

  // While the phase is open the private board is not served, by page or by API.
  expect((await page.request.get(`/api/v1/challenges/${slug}/leaderboard?split=private`)).status()).toBe(403);

  // After the close: late files are refused with the reason, and the private board is public with CIs and tie groups.
  await setClock(page.request, new Date(closesAt.getTime() + 60_000));
  const late = await page.request.post(`/api/v1/challenges/${slug}/submissions?fileName=late.csv`, {
    data: Buffer.from(csv(0.9)),
    headers: { 'content-type': 'text/csv', origin: new URL(page.url()).origin },
  });
  expect(late.status()).toBe(409);
  expect(((await late.json()) as { error: { message: string } }).error.message).toContain('late submissions are not accepted');
  await page.goto(`/challenges/${slug}/submit`);
  await expect(page.getByTestId('submit-closed')).toContainText('closed');

  await page.goto(`/challenges/${slug}/leaderboard?split=private`);
  const row = page.getByTestId('leaderboard-row').filter({ hasText: name });
  await expect(row).toBeVisible();
  await expect(row).toHaveAttribute('data-selection', 'best-public');
  await expect(row.getByTestId('ci').first()).toHaveText(/\d+\.\d+–\d+\.\d+/);
  await expect(row.getByTestId('tie-group')).toHaveText(/^\d+$/);
  const board = (await (await page.request.get(`/api/v1/challenges/${slug}/leaderboard?split=private`)).json()) as { isPrivateRevealed: boolean; rows: unknown[] };
  expect(board.isPrivateRevealed).toBe(true);
  expect(board.rows.length).toBeGreaterThan(0);
  await page.screenshot({ path: testInfo.outputPath('private-board.png'), fullPage: true });
  await organiser.close();
});
