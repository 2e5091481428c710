import { expect, test, type Page } from '@playwright/test';
import { higgsPredictions, sharedParticipant } from './support/journeys';

/**
 * Experience 1 of issue 17: after an upload the status moves queued → scoring → scored (or failed with its reason)
 * without a reload, on the submit page, the training page and My submissions, over server-sent events with polling
 * as the fallback.
 */
const slug = 'higgs-tautau-toy';
// One participant for the whole file (sign-ups are rate-limited); nine uploads stay within the daily limit of 20.
sharedParticipant(test, 'Live');

/** Marks the document, so that a later check can prove the page was never reloaded. */
async function markDocument(page: Page): Promise<void> {
  await page.evaluate(() => ((window as unknown as { __notReloaded: boolean }).__notReloaded = true));
}
async function expectNotReloaded(page: Page): Promise<void> {
  expect(await page.evaluate(() => (window as unknown as { __notReloaded?: boolean }).__notReloaded)).toBe(true);
}

/** Every status the live card showed, recorded in the page as it changes. */
async function recordStatuses(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __statuses: string[] }).__statuses = seen;
    new MutationObserver(() => {
      for (const el of document.querySelectorAll('[data-testid="live-status"]')) {
        const text = el.textContent ?? '';
        if (seen.at(-1) !== text) seen.push(text);
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

async function uploadOnce(page: Page, name: string, description?: string): Promise<void> {
  await page.goto(`/challenges/${slug}/submit`);
  await markDocument(page);
  await recordStatuses(page);
  await page.getByTestId('submit-file-input').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(await higgsPredictions(page.request)) });
  if (description) await page.getByTestId('submit-description').fill(description);
  await page.getByTestId('submit-button').click();
}

test('the submit page follows an upload live over server-sent events, to the scores, without a reload', async ({ page }) => {
  await uploadOnce(page, 'live.csv');
  const card = page.getByTestId('live-submission');
  await expect(card).toHaveAttribute('data-transport', 'sse');
  await expect(card).toHaveAttribute('data-status', 'scored', { timeout: 90_000 });
  await expect(card.getByTestId('score').first()).toContainText(/Best AMS ★:\s*\d+\.\d+ \(\d+\.\d+–\d+\.\d+\)/);
  const seen = await page.evaluate(() => (window as unknown as { __statuses: string[] }).__statuses);
  expect(seen[0]).toMatch(/queued|received|scoring/);
  expect(seen.at(-1)).toBe('scored');
  await expectNotReloaded(page);
});

test('without EventSource the page polls the same endpoint and still sees the entry scored', async ({ page }) => {
  await page.addInitScript(() => {
    // A browser (or proxy) without server-sent events.
    delete (window as unknown as { EventSource?: unknown }).EventSource;
  });
  await uploadOnce(page, 'polled.csv');
  const card = page.getByTestId('live-submission');
  await expect(card).toHaveAttribute('data-transport', 'polling');
  await expect(card).toHaveAttribute('data-status', 'scored', { timeout: 90_000 });
  await expect(card.getByTestId('score').first()).toContainText('Best AMS');
  await expectNotReloaded(page);
});

test('a stream the proxy cuts off falls back to polling', async ({ page }) => {
  // Every event-stream request fails as behind a proxy that does not pass text/event-stream; JSON still works.
  await page.route('**/api/v1/me/submissions/status?**', async (route) => {
    if ((route.request().headers().accept ?? '').includes('text/event-stream')) return route.abort('connectionreset');
    return route.continue();
  });
  await uploadOnce(page, 'proxied.csv');
  const card = page.getByTestId('live-submission');
  await expect(card).toHaveAttribute('data-transport', 'polling', { timeout: 30_000 });
  await expect(card).toHaveAttribute('data-status', 'scored', { timeout: 90_000 });
});

test('My submissions moves rows from queued through scoring to scored, with their scores by name, without a reload', async ({ page }) => {
  await page.goto('/submissions');
  // Four uploads at once: the worker scores one at a time, so some are still waiting when the page opens.
  const origin = new URL(page.url()).origin;
  const ids: string[] = [];
  for (let k = 0; k < 4; k++) {
    const response = await page.request.post(`/api/v1/challenges/${slug}/submissions?fileName=row-${k}.csv`, {
      data: Buffer.from(await higgsPredictions(page.request, 1 - k / 10)),
      headers: { 'content-type': 'text/csv', origin },
    });
    expect(response.status()).toBe(202);
    ids.push(((await response.json()) as { id: string }).id);
  }
  await page.goto('/submissions');
  await markDocument(page);
  const statusOf = (id: string) => page.locator(`[data-testid="submission-row"][data-submission-id="${id}"]`).getByTestId('submission-status');
  const atOpen = await Promise.all(ids.map((id) => statusOf(id).getAttribute('data-status')));
  expect(atOpen.filter((s) => s !== 'scored' && s !== 'failed').length, `statuses when the page opened: ${atOpen.join(', ')}`).toBeGreaterThan(0);
  await expect(page.getByTestId('live-transport')).toHaveAttribute('data-transport', 'sse');
  for (const id of ids) await expect(statusOf(id)).toHaveAttribute('data-status', 'scored', { timeout: 120_000 });
  const row = page.locator(`[data-testid="submission-row"][data-submission-id="${ids.at(-1)}"]`);
  await expect(row.getByTestId('public-scores')).toContainText(/Best AMS ★:\s*\d+\.\d+ \(\d+\.\d+–\d+\.\d+\)/);
  await expect(row.getByTestId('public-scores')).toContainText('ROC AUC');
  await expect(row.getByTestId('public-scores')).not.toContainText('ams_best');
  await expectNotReloaded(page);
});

test('a failure arrives with its reason on the submit page', async ({ page }) => {
  // Scoring failures cannot be provoked from a browser (every file that could fail is refused at upload), so the
  // stream's failure event is played here; the server side of it is tests/integration/live-status.test.ts.
  await page.route('**/api/v1/me/submissions/status?**', async (route) => {
    const id = new URL(route.request().url()).searchParams.get('ids') ?? '';
    const event = (status: string, error: string | null) =>
      `event: status\ndata: ${JSON.stringify({ id, status, error, finishedAt: null, scoredVersion: null, metrics: [], publicValues: {} })}\n\n`;
    await route.fulfill({
      status: 200,
      headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
      body: `${event('queued', null)}${event('scoring', null)}${event('failed', 'Scoring failed: the stored file could not be read; it does not count towards your limit.')}event: done\ndata: {}\n\n`,
    });
  });
  await uploadOnce(page, 'doomed.csv');
  const card = page.getByTestId('live-submission');
  await expect(card).toHaveAttribute('data-status', 'failed');
  await expect(card.getByTestId('live-error')).toContainText('the stored file could not be read');
  await expectNotReloaded(page);
});

test('the training page follows its submission live too', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto(`/challenges/${slug}/train`);
  await markDocument(page);
  await page.getByTestId('subsample').selectOption('0.05');
  await page.getByRole('button', { name: 'Load training data' }).click();
  await expect(page.getByTestId('data-summary')).toBeVisible({ timeout: 120_000 });
  await page.getByTestId('epochs').fill('2');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('predict-submit')).toBeEnabled({ timeout: 180_000 });
  await page.getByTestId('baseline-description').fill('two-epoch TF.js network');
  await page.getByTestId('predict-submit').click();
  const card = page.getByTestId('baseline-submitted').getByTestId('live-submission');
  await expect(card).toHaveAttribute('data-status', 'scored', { timeout: 120_000 });
  await expect(card.getByTestId('score').first()).toContainText('Best AMS');
  await expectNotReloaded(page);
  await page.goto('/submissions');
  await expect(page.getByTestId('submission-description').first()).toHaveText('two-epoch TF.js network');
});

test('the event stream passes the web server as it happens: the first status arrives long before the end', async ({ page }, testInfo) => {
  await page.goto('/submissions');
  const origin = new URL(page.url()).origin;
  const ids: string[] = [];
  // Queued behind each other, so the last one's stream lasts for seconds.
  for (let k = 0; k < 3; k++) {
    const response = await page.request.post(`/api/v1/challenges/${slug}/submissions?fileName=stream-${k}.csv`, {
      data: Buffer.from(await higgsPredictions(page.request, 0.95 - k / 10)),
      headers: { 'content-type': 'text/csv', origin },
    });
    ids.push(((await response.json()) as { id: string }).id);
  }
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const started = Date.now();
  // Node's fetch asks for gzip like a browser does: a compressing or buffering server would hold the events back.
  const response = await fetch(`${testInfo.project.use.baseURL}/api/v1/me/submissions/status?ids=${ids.at(-1)}`, {
    headers: { accept: 'text/event-stream', cookie, 'accept-encoding': 'gzip, deflate, br' },
  });
  expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
  expect(response.headers.get('content-encoding')).toBeNull();
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const arrivals: Array<{ event: string; status?: string; atMs: number }> = [];
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.+)$/m.exec(block)?.[1];
      const data = /^data: (.+)$/m.exec(block)?.[1];
      if (event) arrivals.push({ event, status: data ? (JSON.parse(data) as { status?: string }).status : undefined, atMs: Date.now() - started });
    }
  }
  const first = arrivals[0];
  const last = arrivals.at(-1);
  expect(first?.event).toBe('status');
  expect(['received', 'queued', 'scoring']).toContain(first?.status);
  expect(arrivals.filter((a) => a.event === 'status').at(-1)?.status).toBe('scored');
  expect(last?.event).toBe('done');
  // Streamed: the first status came as soon as the stream opened, well before the end.
  expect((last?.atMs ?? 0) - (first?.atMs ?? 0), JSON.stringify(arrivals)).toBeGreaterThan(500);
});
