import { expect, test, type Locator, type Page } from '@playwright/test';
import { countDrawnPixels } from './support/count-drawn-pixels';
import { signIn } from './support/journeys';

/**
 * Datasets as first-class pages (issue 16): a student browses the catalogue, copies a citation, draws histograms with
 * a variation's ratio panel, and steps through events, on a desktop and on a phone-width screen. Every plot is
 * checked to have drawn (a screenshot with thousands of coloured pixels), not only to exist.
 */

async function expectDrawn(plot: Locator, what: string, minimumColoured = 500) {
  await expect(plot).toHaveAttribute('data-drawn', 'true');
  const pixels = countDrawnPixels(await plot.screenshot());
  expect(pixels.coloured, `${what}: coloured pixels (${JSON.stringify(pixels)})`).toBeGreaterThan(minimumColoured);
  return pixels;
}

test('browse the catalogue, read where a dataset came from and copy its citation', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/');
  await page.getByTestId('nav-datasets').click();
  await expect(page).toHaveURL(/\/datasets$/);
  const card = page.getByTestId('dataset-card-higgs-tautau-toy');
  await expect(card).toContainText('toy data');
  await card.getByRole('link').first().click();
  await expect(page).toHaveURL(/\/datasets\/higgs-tautau-toy\/1\.0\.0$/);
  await expect(page.getByTestId('dataset-version')).toHaveText('1.0.0');
  // Processes with row counts and yields, files with sizes and download counts, never a truth file.
  const processes = page.getByTestId('dataset-processes');
  for (const p of ['htautau', 'ztautau', 'ttbar']) await expect(processes.locator(`tr[data-process="${p}"]`)).toBeVisible();
  await expect(page.getByTestId('dataset-files')).toContainText('train.arrow');
  await expect(page.getByTestId('dataset-files')).not.toContainText('truth');
  await expect(page.getByTestId('dataset-sources')).toContainText('higgs-tautau-toy generator');
  await expect(page.getByTestId('dataset-challenges')).toContainText('H→ττ');

  const bibtex = (await page.getByTestId('citation-bibtex-value').textContent()) ?? '';
  expect(bibtex).toMatch(/^@misc\{higgs-tautau-toy_1\.0\.0,/);
  await page.getByTestId('citation-bibtex-copy').click();
  await expect(page.getByTestId('citation-bibtex-copy')).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(bibtex);
  await page.getByTestId('citation-text-copy').click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await page.getByTestId('citation-text-value').textContent());

  // A signed-in download is counted on the page.
  await signIn(page, 'participant@hep-arena.local', 'participant-demo-2026', '/datasets/higgs-tautau-toy/1.0.0');
  const before = Number(await page.getByTestId('downloads-test.csv').textContent());
  const response = await page.request.get('/api/datasets/higgs-tautau-toy/1.0.0/files/test.csv');
  expect(response.status()).toBe(200);
  await page.reload();
  await expect(page.getByTestId('downloads-test.csv')).toHaveText(String(before + 1));
});

test('draw a histogram stacked and normalised, rebin it, and a variation with its ratio panel', async ({ page }) => {
  await page.goto('/challenges/top-tagging-toy');
  // Students first: "explore the data" comes before "train in your browser" on the overview.
  const start = page.getByTestId('start-here');
  const links = await start.getByRole('link').evaluateAll((elements) => elements.map((e) => e.getAttribute('data-testid')));
  expect(links).toEqual(['start-explore', 'start-train']);
  await start.getByTestId('start-explore').click();
  await expect(page).toHaveURL(/\/challenges\/top-tagging-toy\/data#explore$/);
  const explorer = page.getByTestId('feature-explorer');
  await explorer.getByTestId('explorer-feature').selectOption('fjet_m');
  const main = explorer.getByTestId('explorer-main-plot');
  await expectDrawn(main, 'stacked histogram');
  await explorer.getByTestId('explorer-mode').selectOption('normalised');
  await expectDrawn(main, 'normalised histogram');
  await explorer.getByTestId('explorer-logy').check();
  await expectDrawn(main, 'log-y histogram');

  await explorer.getByTestId('explorer-bins').fill('25');
  await explorer.getByTestId('explorer-min').fill('0');
  await explorer.getByTestId('explorer-max').fill('300000');
  await explorer.getByTestId('explorer-apply').click();
  await expect(explorer.getByTestId('explorer-bins')).toHaveValue('25');
  await expectDrawn(main, 'rebinned histogram');

  await explorer.getByTestId('explorer-variation').selectOption('ces_up');
  const panel = explorer.getByTestId('explorer-variation-panel');
  await expect(panel.getByTestId('explorer-variation-compared')).toContainText('unweighted, because test labels and weights are hidden');
  await expectDrawn(panel.getByTestId('explorer-variation-plot'), 'variation overlay', 200);
  await expectDrawn(panel.getByTestId('explorer-ratio-plot'), 'ratio panel', 50);

  // A bad binning is refused with the reason.
  await explorer.getByTestId('explorer-bins').fill('5000');
  await explorer.getByTestId('explorer-apply').click();
  await expect(explorer.getByTestId('explorer-error')).toContainText('more than 1,000 bins');

  // Exports: PNG, SVG and the histogram's ROOT JSON.
  await explorer.getByTestId('explorer-bins').fill('25');
  await explorer.getByTestId('explorer-apply').click();
  await expect(main).toHaveAttribute('data-drawn', 'true');
  for (const [format, pattern] of [['png', /\.png$/], ['svg', /\.svg$/], ['json', /\.root\.json$/]] as const) {
    const [download] = await Promise.all([page.waitForEvent('download'), explorer.getByTestId(`explorer-main-plot-export-${format}`).click()]);
    expect(download.suggestedFilename()).toMatch(pattern);
    const text = await download.createReadStream().then(async (stream) => {
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    });
    if (format === 'png') expect(countDrawnPixels(text).coloured).toBeGreaterThan(500);
    if (format === 'svg') expect(text.toString('utf8')).toContain('<svg');
    if (format === 'json') expect(text.toString('utf8')).toContain('"_typename"');
  }

  // 2D per class.
  await explorer.getByTestId('explorer-feature2').selectOption('fjet_pt');
  const twoD = explorer.getByTestId('explorer-2d-panel');
  await expectDrawn(twoD.getByTestId('explorer-2d-signal'), '2D signal');
  await expectDrawn(twoD.getByTestId('explorer-2d-background'), '2D background');
});

async function stepAndCheck(page: Page, views: string[]) {
  const seen: string[] = [];
  for (let step = 0; step < 5; step++) {
    const display = page.getByTestId('event-display');
    const id = (await page.getByTestId('display-event-id').textContent()) ?? '';
    seen.push(id);
    await expect(page).toHaveURL(new RegExp(`[?&]event=${id}$`));
    for (const view of views) await expectDrawn(display.getByTestId(view), `${view} of event ${id}`, 20);
    if (step % 2 === 0) await page.getByTestId('display-next').click();
    else await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('display-event-id')).not.toHaveText(id);
  }
  expect(new Set(seen).size).toBe(5);
  return seen;
}

test('step through five events in both views, jump to one and open its shareable link', async ({ page }) => {
  await page.goto('/datasets/higgs-tautau-toy/1.0.0/display');
  const seen = await stepAndCheck(page, ['display-transverse', 'display-eta-phi']);
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('display-event-id')).toHaveText(seen[4] as string);
  await expect(page.getByTestId('display-objects')).toContainText('tau');
  await expect(page.getByTestId('display-objects')).toContainText('met');

  await page.getByTestId('display-jump').fill(seen[2] as string);
  await page.getByTestId('display-jump-go').click();
  await expect(page.getByTestId('display-event-id')).toHaveText(seen[2] as string);
  await page.getByTestId('display-jump').fill('99999999');
  await page.getByTestId('display-jump-go').click();
  await expect(page.getByTestId('display-notice')).toContainText('There is no event 99999999');

  // Hovering a marker shows the object's values (JSROOT's tooltip): scan the η–φ view until one appears.
  const etaPhi = page.getByTestId('display-eta-phi');
  await etaPhi.scrollIntoViewIfNeeded();
  const box = await etaPhi.boundingBox();
  let hint = '';
  const hover = async (x: number, y: number) => {
    await page.mouse.move(x, y);
    const text = (await etaPhi.textContent()) ?? '';
    const at = text.search(/: pT [\d.]+ GeV, φ/);
    if (at >= 0) hint = text.slice(at - 20, at + 40);
  };
  // First where the drawing's paths start (markers among them), then, if none answers, a scan of the whole view.
  const starts = await etaPhi.evaluate((view) =>
    [...view.querySelectorAll('path')].flatMap((path) => {
      const ctm = path.getScreenCTM();
      const match = /^M\s*(-?[\d.]+)[ ,]\s*(-?[\d.]+)/.exec(path.getAttribute('d') ?? '');
      if (!ctm || !match) return [];
      const point = new DOMPoint(Number(match[1]), Number(match[2])).matrixTransform(ctm);
      return [{ x: point.x, y: point.y }];
    }),
  );
  for (const { x, y } of starts) if (!hint && box && x > box.x && x < box.x + box.width && y > box.y && y < box.y + box.height) await hover(x, y);
  for (let x = 40; box && x < box.width - 10 && !hint; x += 8) {
    for (let y = 15; y < box.height - 30 && !hint; y += 8) await hover(box.x + x, box.y + y);
  }
  expect(hint).toMatch(/(lepton \(e or μ\)|hadronic τ|jet): pT [\d.]+ GeV, φ -?[\d.]+, η -?[\d.]+/);

  const shared = page.url();
  const other = await page.context().newPage();
  await other.goto(shared);
  await expect(other.getByTestId('display-event-id')).toHaveText(seen[2] as string);
  await expectDrawn(other.getByTestId('display-eta-phi'), 'shared event', 20);
  await other.close();

  // The top-tagging toy draws a large-R jet and its clusters.
  await page.goto('/datasets/top-tagging-toy/1.0.0/display');
  await expectDrawn(page.getByTestId('display-eta-phi'), 'large-R jet η–φ', 20);
  await expect(page.getByTestId('display-objects')).toContainText('large r jet');
});

test('explorer and display work at phone width', async ({ browser }) => {
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await phone.goto('/datasets/higgs-tautau-toy/1.0.0/explore');
  const main = phone.getByTestId('explorer-main-plot');
  await expectDrawn(main, 'phone explorer');
  const box = await main.boundingBox();
  expect(box?.width ?? 999).toBeLessThanOrEqual(390);
  // Nothing wider than the screen: no horizontal scrolling of the page.
  expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await phone.goto('/datasets/higgs-tautau-toy/1.0.0/display');
  await stepAndCheck(phone, ['display-transverse']);
  expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await phone.close();
});

test('unknown names answer 404 with the available ones, bad binnings 400 with the reason', async ({ request, page }) => {
  const feature = await request.get('/api/datasets/higgs-tautau-toy/1.0.0/histograms?feature=nope');
  expect(feature.status()).toBe(404);
  expect(((await feature.json()) as { error: { message: string } }).error.message).toContain('available features: PRI_lep_pt');
  const variation = await request.get('/api/datasets/top-tagging-toy/1.0.0/histograms?feature=fjet_m&variation=jes_up');
  expect(variation.status()).toBe(404);
  expect(((await variation.json()) as { error: { message: string } }).error.message).toContain('available variations: ces_up, ces_down, cer, cpos');
  const version = await request.get('/api/datasets/higgs-tautau-toy/2.0.0/histograms?feature=PRI_met');
  expect(version.status()).toBe(404);
  expect(((await version.json()) as { error: { message: string } }).error.message).toContain('available versions: 1.0.0');
  const bins = await request.get('/api/datasets/higgs-tautau-toy/1.0.0/histograms?feature=PRI_met&bins=1001');
  expect(bins.status()).toBe(400);
  const range = await request.get('/api/datasets/higgs-tautau-toy/1.0.0/histograms?feature=PRI_met&min=5&max=1');
  expect(range.status()).toBe(400);
  expect(((await range.json()) as { error: { message: string } }).error.message).toContain('min (5) must be smaller than max (1)');
  // The signal-strength toy keeps no objects: its display says what it needs.
  await page.goto('/datasets/higgs-signal-strength-toy/1.0.0/display');
  await expect(page.getByTestId('display-missing')).toContainText('The event display needs an events@display table');
  const missingPage = await page.goto('/datasets/no-such-dataset');
  expect(missingPage?.status()).toBe(404);
  await expect(page.getByTestId('dataset-not-found')).toContainText('higgs-tautau-toy');
});

test('the dataset owner chooses whether a version is listed; others see no such control', async ({ page, browser }) => {
  await signIn(page, 'organiser@hep-arena.local', 'organiser-demo-2026', '/datasets/higgs-tautau-toy/1.0.0');
  const panel = page.getByTestId('dataset-visibility');
  await expect(panel).toContainText('listed in the public catalogue');
  await panel.getByTestId('dataset-visibility-toggle').click();
  await expect(panel.getByTestId('dataset-visibility-toggle-result')).toContainText('is private again');
  await page.reload();
  await expect(page.getByTestId('dataset-visibility')).toContainText('This version is private');
  // A published challenge uses it, so visitors still find it.
  const visitor = await browser.newPage();
  await visitor.goto('/datasets');
  await expect(visitor.getByTestId('dataset-card-higgs-tautau-toy')).toBeVisible();
  await visitor.goto('/datasets/higgs-tautau-toy/1.0.0');
  await expect(visitor.getByTestId('dataset-visibility')).toHaveCount(0);
  await visitor.close();
  await page.getByTestId('dataset-visibility-toggle').click();
  await expect(page.getByTestId('dataset-visibility-toggle-result')).toContainText('is listed in the public catalogue');
});
