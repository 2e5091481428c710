import Link from 'next/link';
import higgsTautauToy from '@/challenges/higgs-tautau-toy/challenge';
import { challengeTasks, metricTaskOf } from '@/challenges/schema';
import { listDatasetVersions } from '@/lib/server/datasets/list-dataset-versions';
import { describeMetricDirection, metricRegistry } from '@/scoring/registry';
import { OrganiserNotice } from '../_components/organiser-notice';
import { loadOrganiserPage } from '../load-organiser-page';
import { ChallengeForm, type MetricOption } from './_components/challenge-form';
import { DefinitionUploadForm } from './_components/definition-upload-form';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'New challenge' };

export default async function NewChallengePage() {
  const page = await loadOrganiserPage((ctx) => listDatasetVersions(ctx));
  if (!page.ok) return <OrganiserNotice code={page.code} message={page.message} callbackUrl="/organise/new" />;
  const metrics: MetricOption[] = Object.values(metricRegistry).map((m) => ({
    id: m.id,
    label: m.label,
    task: challengeTasks.find((task) => metricTaskOf[task] === m.task) ?? 'binary-classification',
    direction: describeMetricDirection(m).text,
  }));
  const { pages: _pages, ...exampleWithoutPages } = higgsTautauToy;
  const example = JSON.stringify({ ...exampleWithoutPages, slug: 'my-challenge', pages: { overview: '…', evaluation: '…', data: '…', terms: '…' } }, null, 2);
  return (
    <article>
      <p className="small">
        <Link href="/organise">← My challenges</Link>
      </p>
      <h1>New challenge</h1>
      <p className="muted">
        A new challenge starts as a draft that only you (and admins) see; publish it from its page when it is ready. It needs a
        registered dataset version: {page.data.length === 0 ? 'none is registered yet — build one with npm run pipeline and rescan.' : page.data.map((d) => `${d.dataset} ${d.version}`).join(', ')}.
      </p>
      <section className="panel">
        <h3>Upload a definition file</h3>
        <p className="small muted">
          The same JSON format as the built-in challenges (<code>challenges/schema.ts</code>): slug, revision, title, summary, task, dataset,
          metrics (one primary), scoring, splits, phases and markdown pages. Every problem is listed by its path.
        </p>
        <DefinitionUploadForm example={example} />
      </section>
      <section className="panel">
        <h3>…or fill in the form</h3>
        <ChallengeForm datasets={page.data} metrics={metrics} />
      </section>
    </article>
  );
}
