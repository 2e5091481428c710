import fs from 'node:fs';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { signIn } from './support/journeys';

async function signInAsOrganiser(page: Page) {
  await signIn(page, 'organiser@hep-arena.local', 'organiser-demo-2026', '/organise');
  await expect(page.getByTestId('signed-in-as')).toContainText('organiser');
}

/** A definition on the toy dataset the server registers at start, with a phase that opened yesterday. */
function definition(slug: string, title: string) {
  const yesterday = new Date(Date.now() - 24 * 3600 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    slug,
    revision: 1,
    title,
    summary: 'An end-to-end test challenge on the toy H→ττ data.',
    task: 'binary-classification',
    dataset: { id: 'higgs-tautau-toy', version: '1.0.0' },
    metrics: [
      { id: 'auc', primary: true, precision: 4 },
      { id: 'ams_best', precision: 3 },
    ],
    splits: { publicFraction: 0.4, seed: 12345 },
    phases: [{ key: 'open', title: 'Open phase', opensAt: yesterday, closesAt: null, maxPerDay: 10 }],
    pages: { overview: '# Overview\nFind the Higgs.', evaluation: 'ROC AUC ranks.', data: 'The toy data.', terms: 'Be fair.' },
  };
}

async function isListedForVisitors(browser: Browser, title: string): Promise<boolean> {
  const context = await browser.newContext();
  const visitor = await context.newPage();
  await visitor.goto('/');
  const listed = (await visitor.getByRole('link', { name: title }).count()) > 0;
  await context.close();
  return listed;
}

test('an organiser uploads a definition, fixes its errors, publishes it, adds a baseline, closes the phase and rescores', async ({ page, browser }, testInfo) => {
  const suffix = `${Date.now() % 1_000_000}`;
  const slug = `e2e-uploaded-${suffix}`;
  const title = `Uploaded challenge ${suffix}`;
  await signInAsOrganiser(page);

  // The built-in challenge belongs to the demo organiser.
  await expect(page.getByTestId('organised-higgs-tautau-toy')).toBeVisible();
  await page.getByTestId('new-challenge').click();
  await expect(page).toHaveURL(/\/organise\/new$/);

  // A broken definition: the phase closes before it opens. Every problem is shown in place, by its path.
  const broken = { ...definition(slug, title), phases: [{ key: 'open', title: 'Open phase', opensAt: '2026-01-10T00:00:00Z', closesAt: '2020-01-01T00:00:00Z', maxPerDay: 10 }] };
  await page.getByTestId('definition-file').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(broken)) });
  await page.getByTestId('upload-definition').click();
  await expect(page.getByTestId('definition-error')).toContainText('phases.0.closesAt: closesAt must be after opensAt');
  const typo = { ...definition(slug, title), metrics: [{ id: 'auc', primary: true, precison: 4 }] };
  await page.getByTestId('definition-file').setInputFiles({ name: 'typo.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(typo)) });
  await page.getByTestId('upload-definition').click();
  await expect(page.getByTestId('definition-error')).toContainText('metrics.0.precison: unknown field; did you mean "precision"?');

  // The fixed file creates a draft that visitors cannot see.
  await page.getByTestId('definition-file').setInputFiles({ name: 'challenge.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(definition(slug, title))) });
  await page.getByTestId('upload-definition').click();
  await expect(page).toHaveURL(new RegExp(`/organise/${slug}$`));
  await expect(page.getByTestId('challenge-state')).toHaveText('draft');
  expect(await isListedForVisitors(browser, title)).toBe(false);

  await page.getByTestId('publish').click();
  await expect(page.getByTestId('publish-result')).toContainText('is published');
  await expect(page.getByTestId('challenge-state')).toHaveText('published');
  expect(await isListedForVisitors(browser, title)).toBe(true);
  await expect(page.getByTestId('phase-state-open')).toHaveText('open');

  // A reference entry: a constant score for every test id, uploaded as a baseline.
  const testCsv = await (await page.request.get(`/api/challenges/${slug}/files/test.csv`)).text();
  const [header, ...lines] = testCsv.trim().split('\n');
  const idIndex = (header ?? '').split(',').indexOf('id');
  expect(idIndex).toBeGreaterThanOrEqual(0);
  const ids = lines.map((line) => line.split(',')[idIndex]);
  const baseline = ['id,score', ...ids.map((id) => `${id},0.5`)].join('\n') + '\n';
  await page.getByTestId('baseline-file').setInputFiles({ name: 'constant-baseline.csv', mimeType: 'text/csv', buffer: Buffer.from(baseline) });
  await page.getByTestId('baseline').click();
  await expect(page.getByTestId('baseline-result')).toContainText('constant-baseline.csv');

  await expect(page.getByTestId('submissions-link')).toHaveAttribute('href', `/organise/${slug}/submissions`);
  await page.goto(`/organise/${slug}/submissions`);
  const row = page.getByTestId('organiser-submission-row').filter({ hasText: 'constant-baseline.csv' });
  await expect(async () => {
    await page.reload();
    await expect(row).toHaveAttribute('data-status', 'scored', { timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
  await expect(row).toContainText('baseline');
  await page.getByTestId('filter-status').selectOption('failed');
  await page.getByTestId('apply-filters').click();
  await expect(page.getByTestId('submission-total')).toHaveText('0 matching submissions');
  await page.goto(`/organise/${slug}`);

  // Closing the phase; the dialog asks first. The built-in challenge is scored on the same hidden test set and stays
  // open, so the private board stays hidden (hidden-truth.test.ts covers the rule).
  page.on('dialog', (dialog) => dialog.accept());
  await expect(page.getByTestId('phase-open-toggle')).toHaveText('Close now');
  await page.getByTestId('phase-open-toggle').click();
  await expect(page.getByTestId('phase-open-toggle-result')).toContainText('private leaderboard stays hidden until every phase scored on the same hidden test set has closed');
  await expect(page.getByTestId('phase-open-toggle')).toHaveText('Reopen');
  await expect(page.getByTestId('phase-state-open')).toHaveText('closed');

  await page.getByTestId('rescore-open').click();
  await expect(page.getByTestId('rescore-open-result')).toHaveText(/^Rescoring 1 submission under scoring version \d+\.r1\.$/);

  const actions = await page.getByTestId('audit-event').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
  expect(actions).toEqual(expect.arrayContaining(['challenge.create', 'challenge.publish', 'phase.close', 'phase.rescore']));
  await page.screenshot({ path: testInfo.outputPath('organiser-challenge.png'), fullPage: true });
});

test('an organiser creates a challenge with the form, and a refused field keeps what was typed', async ({ page }) => {
  const suffix = `${Date.now() % 1_000_000}`;
  const slug = `e2e-form-${suffix}`;
  await signInAsOrganiser(page);
  await page.goto('/organise/new');
  await page.getByTestId('form-title').fill(`Form challenge ${suffix}`);
  await page.getByTestId('form-slug').fill(slug);
  await page.getByTestId('form-summary').fill('Made with the web form in an end-to-end test.');
  await page.getByTestId('form-task').selectOption('binary-classification');
  await page.getByTestId('form-dataset').selectOption('higgs-tautau-toy@1.0.0');
  await page.getByTestId('form-metric-auc').check();
  await page.getByTestId('form-primary-metric').selectOption('auc');
  await page.getByTestId('form-phase-0-opens').fill('2026-01-10T00:00');
  await page.getByTestId('form-phase-0-closes').fill('2026-01-05T00:00');
  await page.getByTestId('form-phase-0-per-day').fill('3');
  await page.getByTestId('create-from-form').click();
  await expect(page.getByTestId('field-error-phases.0.closesAt')).toContainText('closesAt must be after opensAt');
  await expect(page.getByTestId('form-title')).toHaveValue(`Form challenge ${suffix}`);

  await page.getByTestId('form-phase-0-closes').fill('');
  await page.getByTestId('create-from-form').click();
  await expect(page).toHaveURL(new RegExp(`/organise/${slug}$`));
  await expect(page.getByTestId('challenge-state')).toHaveText('draft');
  await expect(page.getByTestId('phase-open')).toContainText('Open phase');
  await expect(page.getByTestId('audit-event').filter({ hasText: 'challenge.create' })).toContainText('via: form');
  await expect(page.getByTestId('definition-editor')).toHaveValue(/"primary": true/);

  await page.getByTestId('limits-open-per-day').fill('7');
  await page.getByTestId('limits-open').click();
  await expect(page.getByTestId('limits-open-result')).toContainText('7 per day');
});

test('participants are told the organiser pages are not for them', async ({ page }) => {
  await signIn(page, 'participant@hep-arena.local', 'participant-demo-2026', '/organise');
  await expect(page.getByTestId('organiser-forbidden')).toContainText('Only organisers and admins');
  await page.goto('/organise/higgs-tautau-toy');
  await expect(page.getByTestId('organiser-forbidden')).toContainText('Only the organisers of "higgs-tautau-toy"');
});

test('an organiser baseline larger than a server action takes (80 MB) streams to the upload endpoint and is accepted', async ({ page }, testInfo) => {
  await signInAsOrganiser(page);
  const testCsv = await (await page.request.get('/api/challenges/higgs-tautau-toy/files/test.csv')).text();
  const [header, ...lines] = testCsv.trim().split('\n');
  const idIndex = (header ?? '').split(',').indexOf('id');
  const ids = lines.map((line) => line.split(',')[idIndex]);
  // Valid scores written long (0.5 followed by zeros), so the file passes 80 MB with one line per test id.
  const padding = '0'.repeat(Math.min(60_000, Math.ceil(80_000_000 / ids.length)));
  const file = testInfo.outputPath('large-baseline.csv');
  const out = fs.createWriteStream(file);
  out.write('id,score\n');
  for (const id of ids) out.write(`${id},0.5${padding}\n`);
  await new Promise((resolve) => out.end(resolve));
  expect(fs.statSync(file).size).toBeGreaterThan(80_000_000);
  await page.goto('/organise/higgs-tautau-toy');
  await page.getByTestId('baseline-file').setInputFiles(file);
  await page.getByTestId('baseline').click();
  await expect(page.getByTestId('baseline-result')).toContainText('large-baseline.csv', { timeout: 180_000 });
  await expect(page.getByTestId('baseline-result')).toContainText(`${ids.length.toLocaleString('en')} rows`);
});
