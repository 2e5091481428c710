import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { downloadCsv, signIn, signUp, waitForScored } from './support/journeys';

/**
 * Every page of app/, opened by an anonymous visitor and by a participant who is neither the owner of the submission
 * shown nor an organiser: no page fails, none links a truth file or shows a private board while the phase is open,
 * another participant's submission is a 404, and the organiser pages refuse. (The route handlers are tried with every
 * role, including an organiser of another challenge, in tests/integration/route-privacy.test.ts.)
 */
const slug = 'higgs-tautau-toy';

function listPages(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return listPages(full);
    // Route groups such as (site) are not part of the address.
    return entry.name === 'page.tsx' ? [path.relative('app', path.dirname(full)).split(path.sep).filter((part) => !/^\(.*\)$/.test(part)).join('/')] : [];
  });
}

/** Page route (folder under app/) → the URL this suite opens for it. */
const pages = (submissionId: string): Record<string, string> => ({
  '': '/',
  admin: '/admin',
  challenges: '/challenges',
  'challenges/[slug]': `/challenges/${slug}`,
  'challenges/[slug]/data': `/challenges/${slug}/data`,
  'challenges/[slug]/evaluation': `/challenges/${slug}/evaluation`,
  'challenges/[slug]/leaderboard': `/challenges/${slug}/leaderboard?split=private`,
  'challenges/[slug]/submit': `/challenges/${slug}/submit`,
  'challenges/[slug]/team': `/challenges/${slug}/team`,
  'challenges/[slug]/train': `/challenges/${slug}/train`,
  organise: '/organise',
  'organise/new': '/organise/new',
  'organise/[slug]': `/organise/${slug}`,
  'organise/[slug]/submissions': `/organise/${slug}/submissions`,
  settings: '/settings',
  'settings/tokens': '/settings/tokens',
  'sign-in': '/sign-in',
  'sign-up': '/sign-up',
  submissions: '/submissions',
  'submissions/[id]': `/submissions/${submissionId}`,
  // The visitors' cached copy of a board (proxy.ts rewrites to it); opened directly here too.
  'public-boards/[slug]/[phase]/[split]/[page]': `/public-boards/${slug}/_/private/1`,
});

async function expectNothingPrivate(page: Page, url: string) {
  const response = await page.goto(url);
  const status = response?.status() ?? 0;
  expect(status, url).toBeLessThan(500);
  const html = await page.content();
  expect(html, url).not.toMatch(/truth(_pe)?(@[\w.-]+)?\.arrow/);
  expect(html, url).not.toContain('owner-secret.csv');
  return status;
}

test('no page shows truth, private boards or other people’s submissions to visitors and participants', async ({ page, browser }) => {
  test.setTimeout(240_000);
  // The demo participant's submission is the one nobody else may open.
  const owner = await browser.newPage();
  await signIn(owner, 'participant@hep-arena.local', 'participant-demo-2026');
  const rows = await downloadCsv(owner.request, slug, 'test.csv');
  const csv = ['id,score', ...rows.map((r, i) => `${r.id},${((i * 7919) % 1000) / 1000}`)].join('\n') + '\n';
  const created = await owner.request.post(`/api/v1/challenges/${slug}/submissions?fileName=owner-secret.csv`, {
    data: Buffer.from(csv),
    headers: { 'content-type': 'text/csv', origin: new URL(owner.url()).origin },
  });
  expect(created.status()).toBe(202);
  const submissionId = ((await created.json()) as { id: string }).id;
  await waitForScored(owner.request, submissionId);
  await owner.close();

  const urls = pages(submissionId);
  expect(listPages('app').sort()).toEqual(Object.keys(urls).sort());

  for (const [route, url] of Object.entries(urls)) {
    await expectNothingPrivate(page, url);
    if (route === 'challenges/[slug]/leaderboard') await expect(page.getByTestId('private-refused').or(page.getByTestId('private-locked')).first()).toBeVisible();
  }

  await signUp(page, 'Onlooker');
  for (const [route, url] of Object.entries(urls)) {
    const status = await expectNothingPrivate(page, url);
    if (route === 'submissions/[id]') expect(status).toBe(404);
    if (route.startsWith('organise')) await expect(page.getByTestId('organiser-forbidden')).toBeVisible();
    if (route === 'admin') await expect(page.getByTestId('admin-refused')).toBeVisible();
    if (route === 'challenges/[slug]/leaderboard') await expect(page.getByTestId('private-refused').or(page.getByTestId('private-locked')).first()).toBeVisible();
  }
});

test('every page and API answer carries the security headers', async ({ page, request }) => {
  for (const url of ['/', `/challenges/${slug}/leaderboard`, '/sign-in']) {
    const headers = (await page.goto(url))?.headers() ?? {};
    expect(headers['content-security-policy'], url).toContain("frame-ancestors 'none'");
    expect(headers['content-security-policy'], url).toContain("object-src 'none'");
    expect(headers['x-content-type-options'], url).toBe('nosniff');
    expect(headers['x-frame-options'], url).toBe('DENY');
  }
  const api = await request.get('/api/v1/challenges');
  expect(api.headers()['x-content-type-options']).toBe('nosniff');
  expect(api.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
});

test('an address is locked out after ten failed sign-ins, with the reason shown', async ({ page }) => {
  const email = `nobody-${Date.now()}@example.org`;
  await page.goto('/sign-in');
  for (let attempt = 1; attempt <= 11; attempt++) {
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill(`wrong-${attempt}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.locator('p.error[role=alert]');
    await expect(alert).toContainText(attempt <= 10 ? 'wrong e-mail or password' : 'Too many failed sign-in attempts');
  }
});
