import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { parseCsv, runArena, signIn, signUp, uploadOnSubmitPage, waitForScored } from './support/journeys';

const slug = 'trackml-toy';

/**
 * A participant's own (crude) track finder: hits grouped by the direction from the beam line, φ in 0.04 rad bins and
 * the polar angle in 0.08 bins of η, per event. It finds straight, hard tracks and splits curved soft ones: a real
 * but weak answer.
 */
function clusterByDirection(hitsCsv: string): { csv: string; rows: number } {
  const hits = parseCsv(hitsCsv);
  const lines = ['event_id,hit_id,track_id'];
  for (const h of hits) {
    const x = Number(h.x);
    const y = Number(h.y);
    const z = Number(h.z);
    const phiBin = Math.floor((Math.atan2(y, x) + Math.PI) / 0.04);
    const etaBin = Math.floor((Math.asinh(z / Math.hypot(x, y)) + 5) / 0.08);
    lines.push(`${h.event_id},${h.hit_id},${phiBin * 1000 + etaBin}`);
  }
  return { csv: `${lines.join('\n')}\n`, rows: hits.length };
}

test('tracking: a participant downloads the toy events, clusters the hits, uploads the assignments and sees the TrackML score with its interval, the plots and the pinned baseline', async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  const name = await signUp(page, 'Tracker');

  const challenge = (await (await page.request.get(`/api/v1/challenges/${slug}`)).json()) as { task: string; submission: { columns: string[] }; files: { name: string }[] };
  expect(challenge.task).toBe('track-assignment');
  expect(challenge.submission.columns).toEqual(['event_id', 'hit_id', 'track_id']);
  expect(challenge.files.map((f) => f.name)).toEqual(expect.arrayContaining(['train_hits.csv', 'train_truth.csv', 'train_particles.csv', 'test_hits.csv', 'test_hits.arrow', 'baseline_submission.csv']));
  expect(challenge.files.map((f) => f.name)).not.toContain('truth_tracks.arrow');
  expect((await page.request.get(`/api/v1/challenges/${slug}/files/truth_tracks.arrow`)).status()).toBe(404);

  // The pages explain the detector (with the figure) and the score.
  await page.goto(`/challenges/${slug}`);
  await expect(page.getByTestId('tracker-figure')).toBeVisible();
  await expect(page.getByText('toy data', { exact: true }).first()).toBeVisible();
  await page.goto(`/challenges/${slug}/evaluation`);
  await expect(page.getByTestId('trackml-score-formula')).toBeVisible();
  await expect(page.getByTestId('trackml-order-weights')).toBeVisible();

  const download = await page.request.get(`/api/v1/challenges/${slug}/files/test_hits.csv`);
  expect(download.status()).toBe(200);
  const { csv, rows } = clusterByDirection(await download.text());
  expect(rows).toBeGreaterThan(1000);
  const id = await uploadOnSubmitPage(page, slug, 'direction-clusters.csv', csv);
  const scored = await waitForScored(page.request, id);
  expect(scored.rows).toBe(rows);

  await page.goto(`/submissions/${id}`);
  const publicScores = page.getByTestId('metrics-public');
  await expect(publicScores).toContainText('TrackML score');
  for (const plot of ['event-scores-plot', 'tracking-rate-pt-plot', 'tracking-rate-eta-plot', 'event-display-xy-plot', 'event-display-rz-plot']) {
    await expect(page.getByTestId(plot), plot).toHaveAttribute('data-drawn', 'true', { timeout: 60_000 });
  }
  await page.screenshot({ path: testInfo.outputPath('tracking-submission.png'), fullPage: true });

  await page.goto(`/challenges/${slug}/leaderboard`);
  const row = page.getByTestId('leaderboard-row').filter({ hasText: name });
  await expect(row).toBeVisible();
  await expect(row.getByTestId('metric-value').first()).toContainText(/0\.\d{4}/);
  await expect(row.getByTestId('ci').first()).toHaveText(/[\d.]+–[\d.]+/);
  await expect(row.getByTestId('tie-group')).toHaveText(/^\d+$/);
  // The organiser's Hough baseline, seeded at start, is pinned and scored like any entry: here it beats the crude clusters.
  const baseline = page.locator('[data-testid="leaderboard-row"][data-baseline="true"]');
  await expect(baseline).toHaveCount(1);
  await expect(baseline.getByTestId('baseline-badge')).toBeVisible();
  const value = async (locator: typeof row) => Number((await locator.getByTestId('metric-value').first().textContent())?.match(/\d\.\d+/)?.[0]);
  expect(await value(baseline)).toBeGreaterThan(await value(row));
  await page.screenshot({ path: testInfo.outputPath('tracking-leaderboard.png'), fullPage: true });

  // A file with a hit missing is refused at once, naming the hit.
  const missing = csv.split('\n').slice(0, -2).join('\n');
  await page.goto(`/challenges/${slug}/submit`);
  await page.getByTestId('submit-file-input').setInputFiles({ name: 'short.csv', mimeType: 'text/csv', buffer: Buffer.from(`${missing}\n`) });
  await page.getByTestId('submit-button').click();
  await expect(page.getByTestId('submit-error')).toContainText(/short\.csv is missing 1 of the \d+ hits/);
});

test('tracking: the arena CLI submits track assignments with an API token and prints the TrackML score with its interval', async ({ page, request }, testInfo) => {
  test.setTimeout(240_000);
  const baseURL = testInfo.project.use.baseURL ?? '';
  // The demo participant: sign-ups are rate-limited per address, and the whole suite runs from one.
  await signIn(page, 'participant@hep-arena.local', 'participant-demo-2026');
  await page.goto('/settings/tokens');
  await page.getByTestId('token-name').fill('tracking');
  await page.getByRole('button', { name: 'Create token' }).click();
  const token = ((await page.getByTestId('new-token').textContent()) ?? '').trim();
  const baselineCsv = await request.get(`/api/v1/challenges/${slug}/files/baseline_submission.csv`, { headers: { authorization: `Bearer ${token}` } });
  expect(baselineCsv.status()).toBe(200);
  const file = testInfo.outputPath('hough.csv');
  fs.writeFileSync(file, await baselineCsv.text());
  const submitted = await runArena(['submit', '--challenge', slug, '--file', file, '--wait', '--timeout', '150'], { url: baseURL, token });
  expect(submitted.code, `${submitted.stdout}\n${submitted.stderr}`).toBe(0);
  expect(submitted.stdout).toContain('status scored');
  expect(submitted.stdout).toMatch(/TrackML score\s+\d\.\d{4}\s+\d\.\d{4}–\d\.\d{4}/);
});

test('tracking: the challenge pages open for a visitor and never name the server-only truth', async ({ request }) => {
  for (const page of ['', '/data', '/evaluation', '/submit', '/leaderboard', '/team']) {
    const response = await request.get(`/challenges/${slug}${page}`);
    expect(response.status(), page).toBe(200);
    const html = await response.text();
    expect(html, page).not.toContain('truth_tracks');
  }
  const data = await (await request.get(`/challenges/${slug}/data`)).text();
  for (const file of ['train_hits.arrow', 'train_truth.csv', 'test_hits.csv', 'baseline_submission.csv']) expect(data).toContain(file);
  expect(data).toContain('event_id,hit_id,track_id');
  // Downloads need an account.
  expect((await request.get(`/api/v1/challenges/${slug}/files/test_hits.csv`)).status()).toBe(401);
});
