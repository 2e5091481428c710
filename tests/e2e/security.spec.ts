import { expect, test, type Browser, type Page } from '@playwright/test';
import { pageQueries } from '@/lib/shared/query/route-queries';
import { signIn } from './support/journeys';

const demo = {
  organiser: { email: 'organiser@hep-arena.local', password: 'organiser-demo-2026' },
  participant: { email: 'participant@hep-arena.local', password: 'participant-demo-2026' },
  admin: { email: 'admin@hep-arena.local', password: 'admin-demo-2026' },
};

/** Signs up a fresh account through the form, in its own browser context; returns its page and e-mail. */
async function freshAccount(browser: Browser, prefix: string): Promise<{ page: Page; email: string }> {
  const page = await (await browser.newContext()).newPage();
  const name = `${prefix}${Date.now() % 1_000_000}`;
  const email = `${name.toLowerCase()}@example.org`;
  await page.goto('/sign-up');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Display name').fill(name);
  await page.getByLabel('Password').fill('e2e-password-123');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByTestId('signed-in-as')).toContainText(name);
  return { page, email };
}

/** A second browser holding a copy of the first one's cookies, as an attacker who saved them would. */
async function copyOfCookies(browser: Browser, page: Page): Promise<Page> {
  const context = await browser.newContext();
  await context.addCookies(await page.context().cookies());
  return context.newPage();
}

async function isSignedIn(page: Page): Promise<boolean> {
  await page.goto('/');
  return (await page.getByTestId('signed-in-as').count()) > 0;
}

test('sign-in never redirects to another site, however the callback is spelt', async ({ browser, baseURL }) => {
  const origin = new URL(baseURL ?? '').origin;
  for (const callbackUrl of ['/\\evil.example/', '/\t/evil.example/', '/\\/evil.example/', '//evil.example/', 'https://evil.example/', 'javascript:alert(1)']) {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}`);
    await page.getByLabel('E-mail').fill(demo.participant.email);
    await page.getByLabel('Password').fill(demo.participant.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('signed-in-as')).toBeVisible();
    expect([callbackUrl, new URL(page.url()).origin]).toEqual([callbackUrl, origin]);
    await page.context().close();
  }
  // A path on the site is still followed.
  const page = await (await browser.newContext()).newPage();
  await signIn(page, demo.participant.email, demo.participant.password, '/submissions?x=1');
  await expect(page).toHaveURL(/\/submissions\?x=1$/);
});

test('signing out ends the session on the server: a saved cookie no longer signs anyone in', async ({ browser }) => {
  const { page } = await freshAccount(browser, 'Leaver');
  const attacker = await copyOfCookies(browser, page);
  expect(await isSignedIn(attacker)).toBe(true);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  expect(await isSignedIn(attacker)).toBe(false);
  const api = await attacker.request.get('/api/v1/me/submissions');
  expect(api.status()).toBe(401);
});

test('"sign out everywhere" in the account settings ends every browser\'s session', async ({ browser }) => {
  const { page, email } = await freshAccount(browser, 'Everywhere');
  const phone = await (await browser.newContext()).newPage();
  await signIn(phone, email, 'e2e-password-123');
  await page.goto('/settings');
  await expect(page.getByTestId('session-row')).toHaveCount(2);
  page.on('dialog', (dialog) => dialog.accept());
  await page.getByTestId('sign-out-everywhere').click();
  await expect(page).toHaveURL(/\/sign-in/);
  expect(await isSignedIn(phone)).toBe(false);
  expect(await isSignedIn(page)).toBe(false);
});

test('an admin demotes an organiser and disables an account from the admin page; both apply at the next request', async ({ browser }) => {
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, demo.admin.email, demo.admin.password, '/admin');
  const { page: subject, email } = await freshAccount(browser, 'Promoted');
  const row = () => admin.locator(`[data-testid="admin-user-row"][data-email="${email}"]`);

  await admin.goto(`/admin?q=${encodeURIComponent(email)}`);
  await row().getByRole('combobox').selectOption('organiser');
  await row().getByRole('button', { name: 'Set role' }).click();
  await expect(row().getByRole('status').first()).toContainText('is now organiser');
  await subject.goto('/organise/new');
  await expect(subject.getByTestId('definition-file')).toBeVisible();

  // Demoted while signed in: the same session can no longer create a challenge.
  await admin.goto(`/admin?q=${encodeURIComponent(email)}`);
  await row().getByRole('combobox').selectOption('participant');
  await row().getByRole('button', { name: 'Set role' }).click();
  await expect(row().getByRole('status').first()).toContainText('is now participant');
  await subject.goto('/organise/new');
  await expect(subject.getByTestId('definition-file')).toHaveCount(0);
  await expect(subject.getByText('Only organisers and admins')).toBeVisible();

  admin.on('dialog', (dialog) => dialog.accept());
  await row().getByRole('button', { name: 'Disable' }).click();
  await expect(row().getByRole('button', { name: 'Enable' })).toBeVisible();
  expect(await isSignedIn(subject)).toBe(false);
  const again = await (await browser.newContext()).newPage();
  await again.goto('/sign-in');
  await again.getByLabel('E-mail').fill(email);
  await again.getByLabel('Password').fill('e2e-password-123');
  await again.getByRole('button', { name: 'Sign in' }).click();
  await expect(again.locator('form [role="alert"]')).toContainText('disabled by an administrator');
  const log = await admin.getByTestId('admin-audit-event').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
  expect(log).toEqual(expect.arrayContaining(['user.set-role', 'user.disable']));
});

test('X-Forwarded-For from a client is not believed: a new value buys no new sign-in attempts', async ({ playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  const csrf = async () => ((await (await request.get('/api/auth/csrf')).json()) as { csrfToken: string }).csrfToken;
  const email = `victim${Date.now() % 1_000_000}@example.org`;
  const outcomes: string[] = [];
  for (let i = 0; i < 12; i++) {
    const response = await request.post('/api/auth/callback/credentials?json=true', {
      form: { csrfToken: await csrf(), email, password: `wrong-${i}`, json: 'true' },
      headers: { 'x-forwarded-for': `198.51.100.${i}` },
      maxRedirects: 0,
    });
    // next-auth answers {url} with the error in it (or a redirect to it).
    const body = response.headers()['content-type']?.includes('json') ? ((await response.json()) as { url?: string }).url : response.headers().location;
    outcomes.push(decodeURIComponent(body ?? '').includes('Too many failed sign-in attempts') ? 'limited' : 'wrong');
  }
  expect(outcomes.slice(0, 10)).toEqual(Array(10).fill('wrong'));
  expect(outcomes.slice(10)).toEqual(['limited', 'limited']);
  await request.dispose();
});

test('every page answers a malformed query with 400 and the reason, never 500', async ({ page, request }) => {
  const samples: Record<string, string> = { '[dataset]': 'higgs-tautau-toy', '[version]': '1.0.0', '[slug]': 'higgs-tautau-toy', '[id]': '00000000-0000-4000-8000-000000000000', '[phase]': '_', '[split]': '_', '[page]': '1' };
  for (const [route, shape] of Object.entries(pageQueries)) {
    const path = route.replace(/\[[a-z]+\]/g, (part) => samples[part] ?? part);
    for (const name of Object.keys(shape)) {
      for (const value of ['bogus value', 'x'.repeat(3000), '-1']) {
        const response = await request.get(`${path}?${new URLSearchParams([[name, value]])}`, { maxRedirects: 0 });
        expect([route, name, value.slice(0, 20), response.status()]).not.toContainEqual(500);
        if (name === 'q' || name === 'participant' || name === 'invite' || name === 'callbackUrl' || name === 'error') {
          if (value.length < 3000) continue; // free text: short odd text is a valid search
        }
        expect([route, name, value.slice(0, 20), response.status()]).toEqual([route, name, value.slice(0, 20), 400]);
        expect(await response.text()).toContain(`The query parameter &#34;${name}&#34; must be`);
      }
      const twice = await request.get(`${path}?${name}=a&${name}=b`, { maxRedirects: 0 });
      expect([route, name, twice.status()]).toEqual([route, name, 400]);
    }
  }
  // What the audit sent, on a page behind a sign-in.
  await signIn(page, demo.organiser.email, demo.organiser.password);
  for (const query of ['status=bogus', 'source=nope', 'page=abc', 'page=0']) {
    const response = await page.request.get(`/organise/higgs-tautau-toy/submissions?${query}`);
    expect([query, response.status()]).toEqual([query, 400]);
  }
  const fine = await page.request.get('/organise/higgs-tautau-toy/submissions?status=&source=&page=2&utm_source=mail');
  expect(fine.status()).toBe(200);
});

test('every route handler answers a malformed query with 400 in JSON, never 500', async ({ page }) => {
  await signIn(page, demo.organiser.email, demo.organiser.password);
  const checks: Array<[string, string]> = [
    ['/api/v1/challenges/higgs-tautau-toy/leaderboard', 'split=everything'],
    ['/api/v1/challenges/higgs-tautau-toy/leaderboard', 'phase=../../x'],
    ['/api/v1/me/submissions', 'challenge=NOT A SLUG'],
    ['/challenges/higgs-tautau-toy/leaderboard/export', 'format=xml'],
    ['/challenges/higgs-tautau-toy/leaderboard/export', 'split=a&split=b'],
  ];
  for (const [path, query] of checks) {
    const response = await page.request.get(`${path}?${query}`);
    expect([path, query, response.status()]).toEqual([path, query, 400]);
    expect(((await response.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('The query parameter') });
  }
  const upload = await page.request.post('/api/v1/challenges/higgs-tautau-toy/submissions?baseline=maybe', {
    data: 'id,score\n',
    headers: { 'content-type': 'text/csv', origin: new URL(page.url()).origin },
  });
  expect(upload.status()).toBe(400);
});

test('scripts run only with the request\'s nonce (or, on a cached copy, by hash): no unsafe-inline, no violation on any page', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await signIn(page, demo.organiser.email, demo.organiser.password);
  const nonces = new Set<string>();
  for (const path of ['/', '/challenges/higgs-tautau-toy', '/challenges/higgs-tautau-toy/data', '/submissions', '/settings', '/organise']) {
    const response = await page.goto(path);
    const policy = response?.headers()['content-security-policy'] ?? '';
    const scriptSrc = policy.split(';').find((d) => d.trim().startsWith('script-src')) ?? '';
    expect([path, scriptSrc]).not.toContain('unsafe-inline');
    expect(scriptSrc).toMatch(/'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    nonces.add(/'nonce-([^']+)'/.exec(scriptSrc)?.[1] ?? '');
    // Next's own scripts carry the nonce, and the page is interactive (a client component answered).
    expect(await page.locator('script[nonce]').count()).toBeGreaterThan(0);
  }
  expect(nonces.size).toBe(6);
  // The leaderboard is the copy every viewer shares, signed in too: hashes of its inline scripts, no nonce, and the
  // viewer's navigation filled in by the browser without a violation.
  const shared = await page.goto('/challenges/higgs-tautau-toy/leaderboard');
  expect(shared?.headers()['content-security-policy'] ?? '').toMatch(/script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')+ 'wasm-unsafe-eval'/);
  await expect(page.getByTestId('signed-in-as')).toContainText('organiser');
  // A visitor's cached leaderboard copy: hashes of its own inline scripts, no nonce, still no violation.
  const visitor = await (await browser.newContext()).newPage();
  visitor.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  const cached = await visitor.goto('/challenges/higgs-tautau-toy/leaderboard');
  const cachedPolicy = cached?.headers()['content-security-policy'] ?? '';
  expect(cachedPolicy).toMatch(/script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')+ 'wasm-unsafe-eval'/);
  await expect(visitor.getByRole('heading', { level: 1 })).toBeVisible();
  expect(violations).toEqual([]);
});
