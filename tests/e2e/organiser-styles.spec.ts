import { expect, test } from '@playwright/test';
import { signIn } from './support/journeys';

/** One definition per challenge style, each on the dataset of its built-in toy, published by an organiser without code. */
const styles = [
  {
    style: 'classification',
    task: 'binary-classification',
    dataset: { id: 'higgs-tautau-toy', version: '1.0.0' },
    metrics: [{ id: 'ams_best', primary: true }, { id: 'auc' }],
    scoring: {},
    columns: 'id,score',
  },
  {
    style: 'top tagging with systematics',
    task: 'binary-classification',
    dataset: { id: 'top-tagging-toy', version: '1.0.0' },
    metrics: [{ id: 'rejection_at_0.5', primary: true }, { id: 'auc' }],
    scoring: {
      variations: [
        { name: 'ces_up', group: 'cluster', pairedWith: 'ces_down', label: 'Cluster energy scale up' },
        { name: 'ces_down', group: 'cluster', label: 'Cluster energy scale down' },
      ],
    },
    columns: 'variation,id,score',
  },
  {
    style: 'signal strength',
    task: 'interval-estimation',
    dataset: { id: 'higgs-signal-strength-toy', version: '1.0.0' },
    metrics: [{ id: 'quantile_score', primary: true }, { id: 'coverage' }],
    scoring: {},
    columns: 'pe_id,mu_hat,delta_mu_hat,p16,p84',
  },
];

for (const s of styles) {
  test(`an organiser publishes a ${s.style} challenge from a definition file and a participant sees how to submit`, async ({ page, browser }) => {
    const suffix = `${Date.now() % 1_000_000}`;
    const slug = `e2e-${s.dataset.id}-${suffix}`;
    const title = `Organised ${s.style} ${suffix}`;
    await signIn(page, 'organiser@hep-arena.local', 'organiser-demo-2026', '/organise/new');
    const definition = {
      slug,
      revision: 1,
      title,
      summary: `A ${s.style} challenge published in an end-to-end test.`,
      task: s.task,
      dataset: s.dataset,
      metrics: s.metrics,
      scoring: s.scoring,
      splits: { publicFraction: 0.5, seed: 777 },
      phases: [{ key: 'open', title: 'Open phase', opensAt: '2026-01-01T00:00:00Z', closesAt: null, maxPerDay: 5 }],
      pages: { overview: `# ${title}`, evaluation: 'See the metrics.', data: 'Download the files below.', terms: 'Fair play.' },
    };
    await page.getByTestId('definition-file').setInputFiles({ name: 'challenge.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(definition)) });
    await page.getByTestId('upload-definition').click();
    await expect(page).toHaveURL(new RegExp(`/organise/${slug}$`));
    await page.getByTestId('publish').click();
    await expect(page.getByTestId('challenge-state')).toHaveText('published');

    const visitorContext = await browser.newContext();
    const visitor = await visitorContext.newPage();
    // The demo participant (sign-ups are rate-limited per address and the whole suite runs from one).
    await signIn(visitor, 'participant@hep-arena.local', 'participant-demo-2026');
    await visitor.goto('/');
    await visitor.getByRole('link', { name: title }).click();
    await visitor.getByTestId('tab-submit').click();
    await expect(visitor.getByTestId('expected-columns')).toContainText(s.columns);
    await visitorContext.close();
  });
}
