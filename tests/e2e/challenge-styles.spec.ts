import { expect, test } from '@playwright/test';
import { tableFromIPC } from 'apache-arrow';
import { downloadCsv, signUp, uploadOnSubmitPage, waitForScored } from './support/journeys';

test('top tagging: a participant scores every varied test set and sees the systematic robustness and the ROC curve', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  const slug = 'top-tagging-toy';
  const name = await signUp(page, 'Tagger');
  const challenge = (await (await page.request.get(`/api/v1/challenges/${slug}`)).json()) as {
    task: string;
    scoring: { variations: { name: string }[] };
    submission: { columns: string[] };
  };
  expect(challenge.task).toBe('binary-classification');
  expect(challenge.submission.columns).toEqual(['variation', 'id', 'score']);
  const variations = challenge.scoring.variations.map((v) => v.name);
  expect(variations.length).toBeGreaterThanOrEqual(3);

  // A simple mass-window tagger applied to the nominal test set and to each varied one (Arrow files).
  const lines = ['variation,id,score'];
  for (const table of ['nominal', ...variations]) {
    const file = table === 'nominal' ? 'test.arrow' : `test@${table}.arrow`;
    const response = await page.request.get(`/api/v1/challenges/${slug}/files/${encodeURIComponent(file)}`);
    expect(response.status(), file).toBe(200);
    const arrow = tableFromIPC(await response.body());
    const ids = arrow.getChild('id')?.toArray() as ArrayLike<number>;
    const mass = arrow.getChild('fjet_m')?.toArray() as ArrayLike<number>;
    expect(ids.length).toBeGreaterThan(100);
    for (let i = 0; i < ids.length; i++) {
      lines.push(`${table},${ids[i]},${(1 / (1 + Math.abs((mass[i] ?? 0) / 1000 - 173) / 25)).toFixed(6)}`);
    }
  }
  const id = await uploadOnSubmitPage(page, slug, 'mass-window.csv', `${lines.join('\n')}\n`);
  await waitForScored(page.request, id);

  await page.goto(`/submissions/${id}`);
  await expect(page.getByTestId('roc-plot')).toHaveAttribute('data-drawn', 'true', { timeout: 60_000 });
  await expect(page.getByTestId('score-distribution-plot')).toHaveAttribute('data-drawn', 'true');

  await page.goto(`/challenges/${slug}/leaderboard`);
  const row = page.getByTestId('leaderboard-row').filter({ hasText: name });
  await expect(row).toBeVisible();
  await expect(row.getByTestId('metric-value').first()).toContainText(/\d/);
  await expect(row.getByTestId('robustness-value').first()).toContainText(/\d/);
  await expect(row.getByTestId('tie-group')).toHaveText(/^\d+$/);
  await page.screenshot({ path: testInfo.outputPath('top-tagging-leaderboard.png'), fullPage: true });
});

test('signal strength: a participant submits one interval per pseudo-experiment and sees the coverage plot', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  const slug = 'higgs-signal-strength-toy';
  const name = await signUp(page, 'Fitter');
  const events = await downloadCsv(page.request, slug, 'pseudo_experiments.csv');
  const counts = new Map<string, number>();
  for (const e of events) counts.set(e.pe_id ?? '', (counts.get(e.pe_id ?? '') ?? 0) + 1);
  expect(counts.size).toBeGreaterThan(10);
  // A counting estimate: μ grows with the number of events; a wide interval around it.
  const mean = [...counts.values()].reduce((a, b) => a + b, 0) / counts.size;
  const lines = ['pe_id,mu_hat,delta_mu_hat,p16,p84'];
  for (const [peId, n] of counts) {
    const muHat = Math.max(0.1, Math.min(3, 1 + (n - mean) / Math.sqrt(mean)));
    lines.push(`${peId},${muHat.toFixed(4)},0.8,${(muHat - 0.8).toFixed(4)},${(muHat + 0.8).toFixed(4)}`);
  }
  const id = await uploadOnSubmitPage(page, slug, 'counting.csv', `${lines.join('\n')}\n`);
  await waitForScored(page.request, id);

  await page.goto(`/submissions/${id}`);
  await expect(page.getByTestId('coverage-plot')).toHaveAttribute('data-drawn', 'true', { timeout: 60_000 });
  await expect(page.getByTestId('interval-plot')).toHaveAttribute('data-drawn', 'true');

  await page.goto(`/challenges/${slug}/leaderboard`);
  const row = page.getByTestId('leaderboard-row').filter({ hasText: name });
  await expect(row).toBeVisible();
  await expect(row.getByTestId('ci').first()).toHaveText(/[-\d.]+–[-\d.]+/);
  await page.screenshot({ path: testInfo.outputPath('signal-strength-leaderboard.png'), fullPage: true });
});
