import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { buildHiggsTautauToyDataset } from '@/lib/pipeline/toy/higgs-tautau-toy';
import { e2eDataDir } from './support/e2e-data-dir';
import { createToken, higgsPredictions, intervalPredictions, runArena, sharedParticipant, signIn, signUp, topTaggingPredictions, waitForScored } from './support/journeys';

/** Bugs 1–5 of issue 17, each as a participant, a student or an organiser meets it. */

async function submitViaApi(page: Page, slug: string, fileName: string, csv: string, description?: string): Promise<string> {
  const query = new URLSearchParams({ fileName, ...(description ? { description } : {}) });
  const response = await page.request.post(`/api/v1/challenges/${slug}/submissions?${query.toString()}`, {
    data: Buffer.from(csv),
    headers: { 'content-type': 'text/csv', origin: new URL(page.url()).origin },
  });
  expect(response.status(), await response.text()).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

test.describe('as one participant', () => {
  const participant = sharedParticipant(test, 'Day');

test('bug 1: the robustness of an entry reads the same, in %, on its page and on the leaderboard', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto('/');
  const name = participant.name();
  const id = await submitViaApi(page, 'top-tagging-toy', 'robust.csv', await topTaggingPredictions(page.request));
  await waitForScored(page.request, id);

  await page.goto('/challenges/top-tagging-toy/leaderboard');
  const row = page.getByTestId('leaderboard-row').filter({ hasText: name });
  const boardCell = row.locator('[data-testid="robustness-value"][data-metric="rejection_at_0.5"]');
  const boardValue = (await boardCell.getByTestId('robustness-text').textContent()) ?? '';
  const boardInterval = (await boardCell.getByTestId('robustness-ci').textContent()) ?? '';
  expect(boardValue).toMatch(/^\d+(\.\d+)? %$/);
  expect(boardInterval).toMatch(/^[\d.]+–[\d.]+ %$/);

  await page.goto(`/submissions/${id}`);
  const pageCell = page.getByTestId('metrics-public').locator('[data-testid="metrics-row"][data-variation="systematics"] [data-testid="robustness-value"][data-metric="rejection_at_0.5"]');
  await expect(pageCell.getByTestId('robustness-text')).toHaveText(boardValue);
  await expect(pageCell.getByTestId('robustness-ci')).toHaveText(boardInterval);
});

test('bug 2: coverage is "closest to 0.6827 is better" on the pages and in the CLI, never "lower is better"', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  const token = await createToken(page, 'coverage');
  const id = await submitViaApi(page, 'higgs-signal-strength-toy', 'intervals.csv', await intervalPredictions(page.request));
  await waitForScored(page.request, id);

  await page.goto('/challenges/higgs-signal-strength-toy/evaluation');
  await expect(page.locator('[data-testid="metric-row"][data-metric="coverage"] [data-testid="direction-text"]')).toHaveText('closest to 0.6827 is better');
  await page.goto(`/submissions/${id}`);
  await expect(page.locator('[data-testid="metric-header"][data-metric="coverage"] [data-testid="metric-direction"]')).toHaveAttribute('title', 'closest to 0.6827 is better');

  const { code, stdout } = await runArena(['status', id], { url: testInfo.project.use.baseURL ?? '', token });
  expect(code).toBe(0);
  const coverageLine = stdout.split('\n').find((line) => line.includes('Coverage')) ?? '';
  expect(coverageLine).toContain('closest to 0.6827 is better');
  expect(coverageLine).not.toContain('lower is better');
  const board = await runArena(['leaderboard', '--challenge', 'higgs-signal-strength-toy'], { url: testInfo.project.use.baseURL ?? '', token });
  expect(board.stdout).toContain('→0.6827 Coverage: closest to 0.6827 is better');
});

test('bug 4: a new score reaches the first signed-out visitor at once, with no refresh of the page', async ({ page, browser }) => {
  test.setTimeout(240_000);
  // A visitor without JavaScript sees exactly the first paint (no client refresh can hide a stale copy).
  const visitor = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  const board = '/challenges/higgs-tautau-toy/leaderboard';
  await visitor.goto(board);
  await visitor.goto(board); // the cached copy now exists on this server
  const name = participant.name();
  await expect(visitor.getByTestId('leaderboard-row').filter({ hasText: name })).toHaveCount(0);
  await page.goto('/');
  const id = await submitViaApi(page, 'higgs-tautau-toy', 'fresh.csv', await higgsPredictions(page.request, 0.97));
  await waitForScored(page.request, id);
  const first = await visitor.goto(board);
  expect(await first?.text()).toContain(name);
  await expect(visitor.getByTestId('leaderboard-row').filter({ hasText: name })).toBeVisible();
  // The visitors' cached API copy too.
  const api = await (await browser.newContext()).request.get('/api/v1/challenges/higgs-tautau-toy/leaderboard');
  expect(((await api.json()) as { rows: { userName: string }[] }).rows.map((r) => r.userName)).toContain(name);
});

});

test('bug 3: an organiser switches only to a version of the same dataset that fits, after seeing the rescore plan', async ({ page, browser }) => {
  test.setTimeout(300_000);
  const suffix = `${Date.now() % 1_000_000}`;
  const datasets = path.join(e2eDataDir(), 'datasets', 'higgs-tautau-toy');
  const base = { trainEvents: 1_000, testEvents: 800 };
  // v1 and v2: the same events (same seed and ids); v3: other events with other test ids.
  for (const [version, seed, testEvents] of [[`sw1-${suffix}`, 5, 800], [`sw2-${suffix}`, 5, 800], [`sw3-${suffix}`, 6, 700]] as const) {
    await buildHiggsTautauToyDataset({ outDir: path.join(datasets, version), seed, ...base, testEvents, version });
  }
  await signIn(page, 'organiser@hep-arena.local', 'organiser-demo-2026', '/organise');
  await page.getByTestId('rescan-datasets').click();
  await expect(page.getByTestId('rescan-datasets-result')).toContainText(`sw3-${suffix}`);
  const slug = `e2e-switch-${suffix}`;
  const yesterday = new Date(Date.now() - 24 * 3600 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const definition = {
    slug,
    revision: 1,
    title: `Switch ${suffix}`,
    summary: 'Dataset switch test.',
    task: 'binary-classification',
    dataset: { id: 'higgs-tautau-toy', version: `sw1-${suffix}` },
    metrics: [{ id: 'auc', primary: true, precision: 4 }],
    splits: { publicFraction: 0.5, seed: 1 },
    phases: [{ key: 'open', title: 'Open phase', opensAt: yesterday, closesAt: null, maxPerDay: 10 }],
    pages: { overview: '# Overview', evaluation: 'AUC.', data: 'Toy.', terms: 'Fair.' },
  };
  await page.goto('/organise/new');
  await page.getByTestId('definition-file').setInputFiles({ name: 'c.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(definition)) });
  await page.getByTestId('upload-definition').click();
  await expect(page).toHaveURL(new RegExp(`/organise/${slug}$`));
  await page.getByTestId('publish').click();
  await expect(page.getByTestId('publish-result')).toContainText('is published');

  // A participant's entry, which any switch must be able to rescore (the demo participant: sign-ups are rate-limited).
  const participant = await (await browser.newContext()).newPage();
  await signIn(participant, 'participant@hep-arena.local', 'participant-demo-2026');
  const testCsv = await (await participant.request.get(`/api/v1/challenges/${slug}/files/test.csv`)).text();
  const ids = testCsv.trim().split('\n').slice(1).map((line) => line.split(',')[testCsv.split('\n')[0]?.split(',').indexOf('id') ?? 0]);
  await participant.goto(`/challenges/${slug}`);
  const entry = await submitViaApi(participant, slug, 'p.csv', ['id,score', ...ids.map((id, k) => `${id},${(k % 7) / 7}`)].join('\n') + '\n');
  await waitForScored(participant.request, entry);

  await page.goto(`/organise/${slug}`);
  const select = page.getByTestId('attach-dataset-version');
  // Only versions of this challenge's own dataset, the current one preselected.
  await expect(select).toHaveValue(`sw1-${suffix}`);
  const options = await select.locator('option').allTextContents();
  expect(options.some((o) => o.includes('top tagging') || o.includes('signal-strength'))).toBe(false);
  expect(options.find((o) => o.startsWith(`sw1-${suffix}`))).toContain('(current)');

  await select.selectOption(`sw3-${suffix}`);
  await page.getByTestId('attach-dataset-check').click();
  const plan = page.getByTestId('attach-dataset-plan');
  await expect(plan).toHaveAttribute('data-fits', 'false');
  await expect(plan.getByTestId('attach-dataset-problem')).toHaveAttribute('data-aspect', 'test-ids');
  await expect(plan.getByTestId('attach-dataset-problem')).toContainText('700 ids instead of 800');
  await expect(page.getByTestId('attach-dataset-confirm')).toHaveCount(0);

  await select.selectOption(`sw2-${suffix}`);
  await page.getByTestId('attach-dataset-check').click();
  await expect(plan).toHaveAttribute('data-fits', 'true');
  await expect(plan).toContainText('The test ids are the same');
  await expect(page.getByTestId('rescore-plan-phase')).toHaveAttribute('data-count', '1');
  await page.getByTestId('attach-dataset-confirm').click();
  await expect(page.getByTestId('attach-dataset-result')).toContainText(`Switched from higgs-tautau-toy sw1-${suffix} to higgs-tautau-toy sw2-${suffix}`);
  await expect(page.getByTestId('attach-dataset-result')).toContainText('Rescoring 1 entries');
  await expect(page.getByTestId('challenge-revision')).toHaveText('2');
  await participant.goto(`/challenges/${slug}/data`);
  await expect(participant.getByText(`version sw2-${suffix}`)).toBeVisible();
});

test('bug 5: titles, navigation, tabs, favicon, data formats, help paths and texts', async ({ page, request }) => {
  test.setTimeout(240_000);
  // Every page its own title.
  const titles = new Map<string, string>();
  for (const url of ['/', '/challenges', '/challenges/higgs-tautau-toy', '/challenges/higgs-tautau-toy/data', '/challenges/higgs-tautau-toy/evaluation', '/challenges/higgs-tautau-toy/leaderboard', '/challenges/top-tagging-toy', '/sign-in', '/sign-up']) {
    await page.goto(url);
    const title = await page.title();
    expect(title, url).not.toBe('HEP Arena');
    expect([...titles.values()], `${url}: ${title}`).not.toContain(title);
    titles.set(url, title);
  }
  expect(titles.get('/challenges/higgs-tautau-toy/data')).toMatch(/^Data · H→ττ toy/);

  // "Challenges" leads to the list of challenges, not the home page.
  await page.goto('/');
  await page.getByTestId('nav-challenges').click();
  await expect(page).toHaveURL(/\/challenges$/);
  for (const slug of ['higgs-tautau-toy', 'top-tagging-toy', 'higgs-signal-strength-toy']) await expect(page.locator(`[data-testid="challenge-card"][data-slug="${slug}"]`)).toBeVisible();
  await expect(page.getByTestId('nav-challenges')).toHaveAttribute('aria-current', 'page');

  // Tabs only where they work: no training tab for the signal-strength challenge.
  await page.goto('/challenges/higgs-signal-strength-toy');
  await expect(page.getByTestId('tab-leaderboard')).toBeVisible();
  await expect(page.getByTestId('tab-train')).toHaveCount(0);
  await page.goto('/challenges/higgs-tautau-toy');
  await expect(page.getByTestId('tab-train')).toBeVisible();

  const icon = await request.get('/favicon.ico');
  expect(icon.status()).toBe(200);
  expect(icon.headers()['content-type']).toMatch(/image\/(x-icon|vnd\.microsoft\.icon)/);
  expect((await icon.body()).subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));

  // Parquet is offered for every dataset, as the data pages say.
  await signIn(page, 'participant@hep-arena.local', 'participant-demo-2026');
  for (const slug of ['higgs-tautau-toy', 'top-tagging-toy', 'higgs-signal-strength-toy']) {
    await page.goto(`/challenges/${slug}/data`);
    const parquet = page.locator('a[data-testid$=".parquet"]');
    expect(await parquet.count(), slug).toBeGreaterThan(0);
    const file = (await parquet.first().textContent()) ?? '';
    const response = await page.request.get(`/api/v1/challenges/${slug}/files/${encodeURIComponent(file)}`);
    expect(response.status(), file).toBe(200);
    expect((await response.body()).subarray(0, 4).toString()).toBe('PAR1');
  }

  // "Settings → API tokens", as every help text says, is where the header and the tabs lead.
  await page.goto('/challenges/higgs-tautau-toy/data');
  await expect(page.getByRole('link', { name: 'Settings → API tokens' })).toHaveAttribute('href', '/settings/tokens');
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('settings-tab-tokens').click();
  await expect(page).toHaveURL(/\/settings\/tokens$/);
  await expect(page.getByRole('heading', { name: 'API tokens' })).toBeVisible();
  await expect(page.getByTestId('settings-tab-tokens')).toHaveAttribute('aria-current', 'page');

  // The quantile score is defined once; the signal-strength board says how it is split.
  await page.goto('/challenges/higgs-signal-strength-toy/evaluation');
  expect((await page.locator('article').textContent())?.match(/−ln\(\(w \+/g)?.length).toBe(1);
  await page.goto('/challenges/higgs-signal-strength-toy/leaderboard');
  await expect(page.getByText('50 % of the pseudo-experiment sets, each set whole')).toBeVisible();
  await expect(page.getByText('of test events')).toHaveCount(0);
});

test('bug 5: a third final says why it did not stick; an invite names its team; a new account is told what to do next', async ({ page, browser }) => {
  test.setTimeout(240_000);
  // Right after sign-up the home page says what to do next.
  await signUp(page, 'Newcomer');
  await expect(page).toHaveURL(/\?welcome=true$/);
  await expect(page.getByTestId('next-steps')).toContainText('your account is ready');
  await expect(page.getByTestId('next-steps').getByRole('link', { name: 'Settings → API tokens' })).toBeVisible();

  const ids: string[] = [];
  for (let k = 0; k < 3; k++) ids.push(await submitViaApi(page, 'higgs-tautau-toy', `final-${k}.csv`, await higgsPredictions(page.request, 1 - k / 20)));
  for (const id of ids) await waitForScored(page.request, id);
  await page.goto('/submissions?challenge=higgs-tautau-toy');
  const box = (id: string) => page.locator(`[data-testid="submission-row"][data-submission-id="${id}"]`).getByTestId('final-checkbox');
  await box(ids[0] ?? '').check();
  await expect(box(ids[0] ?? '')).toBeChecked();
  await box(ids[1] ?? '').check();
  await expect(box(ids[1] ?? '')).toBeChecked();
  await box(ids[2] ?? '').click();
  const third = page.locator(`[data-testid="submission-row"][data-submission-id="${ids[2]}"]`);
  await expect(third.getByTestId('final-selection-error')).toContainText('You already selected 2 final submissions for this phase; unselect one of them first.');
  await expect(box(ids[2] ?? '')).not.toBeChecked();

  // An invite link says which team it joins.
  await page.goto('/challenges/top-tagging-toy/team');
  await page.getByTestId('create-team').getByRole('textbox').fill(`Crew ${Date.now() % 10_000}`);
  await page.getByTestId('create-team').getByRole('button').click();
  const teamName = (await page.getByTestId('team-name').textContent()) ?? '';
  const link = (await page.getByTestId('invite-link').textContent()) ?? '';
  const guest = await browser.newPage();
  await signUp(guest, 'Guest');
  await guest.goto(link);
  await expect(guest.getByTestId('team-invite')).toContainText(`You are invited to join team ${teamName}`);
  await expect(guest.getByTestId('team-invite')).toHaveAttribute('data-team', teamName);
  await guest.getByRole('button', { name: `Join team ${teamName}` }).click();
  await expect(guest.getByTestId('team-name')).toHaveText(teamName);
});
