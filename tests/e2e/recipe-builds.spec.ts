import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { e2eDataDir } from './support/e2e-data-dir';
import { signIn } from './support/journeys';

/**
 * From PHYSLITE files to a published challenge without pipeline code: the organiser starts a queued build of a
 * repository recipe on the organiser page, watches it, attaches the finished version to a draft challenge and publishes
 * it. The server's own workers (embedded database) or the cluster's workers (PostgreSQL) run the build.
 */
function generate(out: string, seed: number, dsid: number) {
  const run = spawnSync('npm', ['run', '--silent', 'pipeline', '--', 'generate-physlite', '--events', '4000', '--seed', String(seed), '--dsid', String(dsid), '--out', out], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
}

async function uploadDraft(page: Page, slug: string, title: string, dataset: { id: string; version: string }) {
  const yesterday = new Date(Date.now() - 24 * 3600 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const definition = {
    slug, revision: 1, title, summary: 'H→ττ from PHYSLITE, built by a recipe.', task: 'binary-classification', dataset,
    metrics: [{ id: 'auc', primary: true, precision: 4 }], splits: { publicFraction: 0.4, seed: 7 },
    phases: [{ key: 'open', title: 'Open phase', opensAt: yesterday, closesAt: null, maxPerDay: 10 }],
    pages: { overview: '# H→ττ', evaluation: 'ROC AUC.', data: 'From PHYSLITE.', terms: 'Be fair.' },
  };
  await page.goto('/organise/new');
  await page.getByTestId('definition-file').setInputFiles({ name: 'challenge.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(definition)) });
  await page.getByTestId('upload-definition').click();
  await expect(page).toHaveURL(new RegExp(`/organise/${slug}$`));
  await expect(page.getByTestId('challenge-state')).toHaveText('draft');
}

test('an organiser builds a dataset from PHYSLITE files with a recipe, watches it, attaches it to a draft challenge and publishes it', async ({ page }) => {
  test.setTimeout(420_000);
  const suffix = `${Date.now() % 1_000_000}`;
  const inputs = path.join(e2eDataDir(), 'downloads', 'physlite', 'lep-had');
  for (const [process, seed, dsid] of [['htautau', 1, 346343], ['ztautau', 2, 700360], ['ttbar', 3, 410470]] as const) {
    fs.mkdirSync(path.join(inputs, process), { recursive: true });
    const out = path.join(inputs, process, `${process}.root`);
    if (!fs.existsSync(out)) generate(out, seed, dsid);
  }
  // Generated files carry no CutBookkeepers: the table gives Σw.
  fs.writeFileSync(path.join(inputs, 'dsids.csv'), 'dsid,cross_section_pb,k_factor,filter_efficiency,sum_of_weights,description\n346343,3.0,1,1,4000,ggH tautau\n700360,2000,1,1,4000,Ztautau\n410470,730,1.1,0.54,4000,ttbar\n');

  await signIn(page, 'organiser@hep-arena.local', 'organiser-demo-2026', '/organise');
  /** Starts a build of the lep-had recipe as `version` from the builds page and follows it to the end. */
  const build = async (version: string) => {
    await page.goto('/organise');
    await page.getByTestId('builds-link').click();
    await expect(page.getByTestId('recipe-hzz-4l')).toContainText('H→ZZ*→4ℓ');
    await page.getByTestId('start-build-recipe').selectOption('lep-had');
    await page.getByTestId('start-build-version').fill(version);
    await page.getByTestId('start-build').click();
    await expect(page).toHaveURL(/\/organise\/builds\/[0-9a-f-]{36}$/);
    await expect(page.getByTestId('build-progress')).toContainText('files');
    await expect(page.getByTestId('build-status')).toHaveText('done', { timeout: 300_000 });
    await expect(page.getByTestId('build-progress')).toContainText('3/3 files');
    await expect(page.getByTestId('build-parts')).toContainText('ttbar.root');
    await expect(page.getByTestId('build-version-link')).toHaveText(`physlite-lep-had ${version}`);
    return page.url();
  };

  // The first version gets a draft challenge of its own; the next one is attached to it from its build's page.
  await build(`0.1.${suffix}`);
  const slug = `e2e-recipe-${suffix}`;
  await uploadDraft(page, slug, `Recipe challenge ${suffix}`, { id: 'physlite-lep-had', version: `0.1.${suffix}` });
  await page.goto(await build(`0.2.${suffix}`));
  await page.getByTestId('attach-build-challenge').selectOption(slug);
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByTestId('attach-build').click();
  await expect(page.getByTestId('attach-build-result')).toContainText('Attached');

  await page.goto(`/organise/${slug}`);
  await expect(page.getByTestId('dataset-version')).toContainText(`physlite-lep-had 0.2.${suffix}`);
  await page.getByTestId('publish').click();
  await expect(page.getByTestId('challenge-state')).toHaveText('published');
  // The version's own page: its recipe and Σw sources are in the manifest.
  await page.goto(`/datasets/physlite-lep-had/0.2.${suffix}`);
  await expect(page.locator('body')).toContainText('lep-had');
});
