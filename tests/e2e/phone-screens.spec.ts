import { expect, test, type Browser, type Page } from '@playwright/test';
import { pageQueries } from '@/lib/shared/query/route-queries';
import { signIn, topTaggingPredictions, waitForScored } from './support/journeys';

/**
 * Experience 2 of issue 17: at 390 px no page scrolls sideways. The header folds into a menu, the tab bar scrolls
 * within itself, and the leaderboard keeps rank, name and primary metric in view with the other columns one tap
 * away. Every page of the route table (lib/shared/query/route-queries.ts) is opened, as the role that can see it.
 */
const phone = { width: 390, height: 844 };
// Every kind of challenge: classification (toy, with variations, real data), signal strength, models, tracking.
const slugs = ['higgs-tautau-toy', 'top-tagging-toy', 'higgs-signal-strength-toy', 'higgsml-2014-sample', 'top-tagging-model-toy', 'trackml-toy'];
/** Dataset versions of the catalogue, with a version to compare each with (or none). */
const datasetVersions = [
  { dataset: 'top-tagging-toy', version: '1.0.0', compareWith: '1.0.0-models' },
  { dataset: 'higgs-tautau-toy', version: '1.0.0', compareWith: null },
  { dataset: 'higgs-signal-strength-toy', version: '1.0.0', compareWith: null },
  { dataset: 'higgsml-2014', version: '1.0.0-sample', compareWith: null },
  { dataset: 'trackml-toy', version: '1.0.0', compareWith: null },
];
const accounts = {
  participant: { email: 'participant@hep-arena.local', password: 'participant-demo-2026' },
  organiser: { email: 'organiser@hep-arena.local', password: 'organiser-demo-2026' },
  admin: { email: 'admin@hep-arena.local', password: 'admin-demo-2026' },
} as const;
type Role = keyof typeof accounts | 'visitor';

/** Each page route → the addresses opened for it and by whom. */
function addresses(route: string, submissionId: string, buildId: string): Array<{ url: string; role: Role }> {
  const perSlug = (path: string, role: Role) => slugs.map((slug) => ({ url: path.replace('[slug]', slug), role }));
  switch (route) {
    case '/admin':
      return [{ url: '/admin', role: 'admin' }];
    case '/organise':
    case '/organise/new':
    case '/organise/builds':
      return [{ url: route, role: 'organiser' }];
    case '/organise/builds/[id]':
      return [{ url: `/organise/builds/${buildId}`, role: 'organiser' }];
    case '/organise/[slug]':
    case '/organise/[slug]/submissions':
      return perSlug(route, 'organiser');
    case '/settings':
    case '/settings/tokens':
    case '/submissions':
      return [{ url: route, role: 'participant' }];
    case '/submissions/[id]':
      return [{ url: `/submissions/${submissionId}`, role: 'participant' }];
    case '/public-boards/[slug]/[phase]/[split]/[page]':
      return slugs.map((slug) => ({ url: `/public-boards/${slug}/_/_/1`, role: 'visitor' as const }));
    case '/datasets/[dataset]':
      return [...new Set(datasetVersions.map((d) => d.dataset))].map((dataset) => ({ url: `/datasets/${dataset}`, role: 'visitor' as const }));
    case '/datasets/[dataset]/[version]':
    case '/datasets/[dataset]/[version]/explore':
    case '/datasets/[dataset]/[version]/display':
      return datasetVersions.map(({ dataset, version }) => ({ url: route.replace('[dataset]', dataset).replace('[version]', version), role: 'participant' as const }));
    case '/datasets/[dataset]/[version]/compare':
      return datasetVersions
        .filter((d) => d.compareWith)
        .map(({ dataset, version, compareWith }) => ({ url: `/datasets/${dataset}/${version}/compare?with=${compareWith}`, role: 'participant' as const }));
    case '/docs/api':
      return [
        { url: '/docs/api', role: 'visitor' },
        { url: '/docs/api?challenge=top-tagging-toy', role: 'participant' },
      ];
    default:
      if (route.includes('[slug]')) return [...perSlug(route, 'visitor'), ...perSlug(route, 'participant')];
      // A new route with parameters needs its addresses above; opened literally it would only test a 404 page.
      expect(route, 'a page route with parameters the phone test does not fill in').not.toContain('[');
      return [
        { url: route, role: 'visitor' },
        { url: route, role: 'participant' },
      ];
  }
}

/** A page of `role` at phone size (signed in at desktop size, where the header shows who is signed in). */
async function phonePage(browser: Browser, role: Role): Promise<Page> {
  const context = await browser.newContext({ hasTouch: true });
  const page = await context.newPage();
  if (role !== 'visitor') await signIn(page, accounts[role].email, accounts[role].password);
  await page.setViewportSize(phone);
  return page;
}

/** The element's box lies within the phone's width (it may be further down the page). */
async function expectWithinWidth(page: Page, locator: ReturnType<Page['locator']>, label: string): Promise<void> {
  const box = await locator.boundingBox();
  expect(box, label).not.toBeNull();
  expect(box?.x ?? -1, `${label} left edge`).toBeGreaterThanOrEqual(0);
  expect((box?.x ?? 0) + (box?.width ?? 0), `${label} right edge`).toBeLessThanOrEqual(phone.width);
}

async function expectNoSidewaysScroll(page: Page, label: string): Promise<void> {
  const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, body: document.body.scrollWidth, inner: window.innerWidth }));
  expect(widths.scroll, `${label}: document ${widths.scroll} px wide in a ${widths.inner} px window`).toBeLessThanOrEqual(widths.inner);
  expect(widths.body, `${label}: body`).toBeLessThanOrEqual(widths.inner);
}

test('no page scrolls sideways at 390 px, whoever opens it', async ({ browser }) => {
  test.setTimeout(600_000);
  const pages = new Map<Role, Page>();
  for (const role of ['visitor', 'participant', 'organiser', 'admin'] as const) pages.set(role, await phonePage(browser, role));
  const participant = pages.get('participant') as Page;
  // A scored entry on the board with the most columns (metrics and robustness), whose page is opened too.
  const origin = new URL(participant.url()).origin;
  const created = await participant.request.post('/api/v1/challenges/top-tagging-toy/submissions?fileName=phone.csv&description=mass window', {
    data: Buffer.from(await topTaggingPredictions(participant.request)),
    headers: { 'content-type': 'text/csv', origin },
  });
  expect(created.status()).toBe(202);
  const submissionId = ((await created.json()) as { id: string }).id;
  await waitForScored(participant.request, submissionId);

  // A recipe build's page: started here (without its input files it ends failed, its long error message on the page).
  const organiser = pages.get('organiser') as Page;
  await organiser.goto('/organise/builds');
  await organiser.getByTestId('start-build-recipe').selectOption('lep-had');
  await organiser.getByTestId('start-build-version').fill(`phone-${Date.now()}`);
  await organiser.getByTestId('start-build').click();
  await expect(organiser).toHaveURL(/\/organise\/builds\/[0-9a-f-]{36}$/);
  const buildId = new URL(organiser.url()).pathname.split('/').at(-1) as string;

  const routes = Object.keys(pageQueries);
  expect(routes.length).toBeGreaterThan(15);
  const queue = routes.flatMap((route) => addresses(route, submissionId, buildId));
  // Four pages at a time: most of a page's time is the wait for the network to fall quiet, not the server's work.
  const idle = new Map<Role, Page[]>([...pages].map(([role, page]) => [role, [page]]));
  const lane = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const { url, role } = next;
      const page = idle.get(role)?.pop() ?? (await phonePage(browser, role));
      const response = await page.goto(url);
      expect(response?.status() ?? 0, `${role} ${url}`).toBeLessThan(500);
      // Plots and late content settle first.
      await page.waitForLoadState('networkidle').catch(() => undefined);
      await expectNoSidewaysScroll(page, `${role} ${url}`);
      idle.get(role)?.push(page);
    }
  };
  await Promise.all(Array.from({ length: 4 }, lane));
});

test('on a phone the header folds into a menu and the tab bar scrolls within itself', async ({ browser }) => {
  const page = await phonePage(browser, 'participant');
  await page.goto('/challenges/top-tagging-toy');
  const links = page.getByTestId('nav-links');
  await expect(page.getByTestId('nav-toggle')).toBeVisible();
  await expect(links).toBeHidden();
  await page.getByTestId('nav-toggle').click();
  await expect(links).toBeVisible();
  await expect(page.getByTestId('nav-submissions')).toBeVisible();
  await expectNoSidewaysScroll(page, 'open menu');
  await page.getByTestId('nav-challenges').click();
  await expect(page).toHaveURL(/\/challenges$/);
  await expect(links).toBeHidden();

  await page.goto('/challenges/top-tagging-toy');
  const tabs = page.locator('nav.tabs');
  const box = await tabs.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth, overflow: getComputedStyle(el).overflowX }));
  expect(box.overflow).toBe('auto');
  expect(box.scroll).toBeGreaterThan(box.client);
  // The last tab is reached by scrolling the bar, not the page.
  await page.getByTestId('tab-leaderboard').scrollIntoViewIfNeeded();
  await expect(page.getByTestId('tab-leaderboard')).toBeInViewport();
  await expectNoSidewaysScroll(page, 'tab bar');
  await page.getByTestId('tab-leaderboard').click();
  await expect(page).toHaveURL(/leaderboard/);

  // On a wide screen the links are in the header row and there is no menu button.
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(page.getByTestId('nav-toggle')).toBeHidden();
  await expect(page.getByTestId('nav-submissions')).toBeVisible();
});

test('on a phone the leaderboard shows rank, name and primary metric, and the other columns one tap away', async ({ browser }) => {
  const page = await phonePage(browser, 'visitor');
  await page.goto('/challenges/top-tagging-toy/leaderboard');
  const row = page.getByTestId('leaderboard-row').first();
  await expect(row).toBeVisible();
  await row.scrollIntoViewIfNeeded();
  const primary = row.locator('[data-testid="metric-value"][data-metric="rejection_at_0.5"]');
  await expect(primary).toBeVisible();
  await expectWithinWidth(page, row.getByTestId('leaderboard-rank'), 'rank');
  await expectWithinWidth(page, row.locator('td').nth(2), 'name');
  await expectWithinWidth(page, primary, 'primary metric');
  await expect(row.locator('[data-testid="metric-value"][data-metric="auc"]')).toBeHidden();
  await expect(row.getByTestId('robustness-value').first()).toBeHidden();
  await expect(row.getByTestId('entry-count')).toBeHidden();
  await expectNoSidewaysScroll(page, 'board');

  await page.getByTestId('board-columns-toggle').click();
  await expect(row.locator('[data-testid="metric-value"][data-metric="auc"]')).toBeVisible();
  await expect(row.getByTestId('robustness-value').first()).toBeVisible();
  await expect(row.getByTestId('entry-count')).toBeAttached();
  // All columns scroll inside the table, never the page.
  await expectNoSidewaysScroll(page, 'board with all columns');
  await page.getByTestId('board-columns-toggle').click();
  await expect(row.getByTestId('robustness-value').first()).toBeHidden();
});
