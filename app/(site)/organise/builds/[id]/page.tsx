import Link from 'next/link';
import { ActionForm } from '@/app/_components/action-form';
import { AutoRefresh } from '@/app/_components/auto-refresh';
import { formatDateTime } from '@/app/_components/format';
import { getRecipeBuild } from '@/lib/server/builds/get-recipe-build';
import { listDatasetVersions } from '@/lib/server/datasets/list-dataset-versions';
import { listOrganisedChallenges } from '@/lib/server/organiser/list-organised-challenges';
import { OrganiserNotice } from '../../_components/organiser-notice';
import { loadOrganiserPage } from '../../load-organiser-page';
import { BuildProgressLine, BuildStatusBadge } from '../_components/build-progress';
import { attachBuildAction } from '../actions';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Dataset build' };

export default async function BuildPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const page = await loadOrganiserPage(async (ctx) => {
    const build = await getRecipeBuild(ctx, id);
    if (build.status !== 'done' || !build.datasetVersion) return { build, targets: [] };
    const [versions, challenges] = await Promise.all([listDatasetVersions(ctx), listOrganisedChallenges(ctx)]);
    const version = versions.find((v) => v.dataset === build.datasetVersion?.dataset && v.version === build.datasetVersion?.version);
    // Only drafts on the same dataset (a switch is to another version of a challenge's own dataset; moving a challenge
    // to another dataset is an edit of its definition). Drafts already on this version stay listed, so that the form
    // (and its answer) stays in place after attaching.
    const targets = challenges.filter((c) => c.isDraft && c.dataset.id === build.datasetVersion?.dataset && version?.tasks.includes(c.task as (typeof version.tasks)[number]));
    return { build, targets };
  });
  if (!page.ok) return <OrganiserNotice code={page.code} message={page.message} callbackUrl={`/organise/builds/${id}`} />;
  const { build, targets } = page.data;
  const isActive = build.status === 'planning' || build.status === 'running' || build.status === 'merging';
  return (
    <article>
      <AutoRefresh isActive={isActive} intervalMs={2000} />
      <p className="small">
        <Link href="/organise/builds">← Dataset builds</Link>
      </p>
      <h1>
        {build.title} <BuildStatusBadge status={build.status} />
      </h1>
      <p className="muted small">
        recipe <code>{build.recipe}</code> → <code>{build.dataset}</code> {build.version} · queued {formatDateTime(build.createdAt)}
        {build.finishedAt && ` · finished ${formatDateTime(build.finishedAt)}`}
      </p>
      <p>
        <BuildProgressLine build={build} />
      </p>
      {build.error && (
        <p className="error" role="alert" data-testid="build-error">
          {build.error}
        </p>
      )}
      {build.status === 'done' && build.datasetVersion && (
        <section className="panel" data-testid="build-done">
          <h3>Version</h3>
          <p>
            <Link href={`/datasets/${build.datasetVersion.dataset}/${build.datasetVersion.version}`} data-testid="build-version-link">
              {build.datasetVersion.dataset} {build.datasetVersion.version}
            </Link>{' '}
            is registered as yours (private until you publish it in the catalogue).
          </p>
          {targets.length > 0 ? (
            <ActionForm action={attachBuildAction} hidden={{ dataset: build.datasetVersion.dataset, version: build.datasetVersion.version }} submitLabel="Attach" testId="attach-build" confirmText="Attach this version to the challenge? Its revision goes up.">
              <label>
                draft challenge
                <select name="slug" data-testid="attach-build-challenge">
                  {targets.map((c) => (
                    <option key={c.slug} value={c.slug}>
                      {c.title} ({c.slug}){c.dataset.id === build.datasetVersion?.dataset && c.dataset.version === build.datasetVersion?.version ? ' — uses this version' : ''}
                    </option>
                  ))}
                </select>
              </label>
            </ActionForm>
          ) : (
            <p className="small muted">
              None of your draft challenges is on dataset <code>{build.datasetVersion.dataset}</code> with a task this version can
              score. <Link href="/organise/new">Create one</Link> with dataset <code>{build.datasetVersion.dataset}</code> version{' '}
              <code>{build.datasetVersion.version}</code>; later versions of the dataset can then be attached to it here.
            </p>
          )}
        </section>
      )}
      <section className="panel">
        <h3>Files</h3>
        <table className="table small" data-testid="build-parts">
          <thead>
            <tr>
              <th>#</th>
              <th>sample</th>
              <th>file</th>
              <th>state</th>
              <th className="num">events</th>
              <th className="num">selected</th>
              <th>worker</th>
            </tr>
          </thead>
          <tbody>
            {build.parts.map((p) => (
              <tr key={p.index} data-testid={`build-part-${p.index}`}>
                <td>{p.index}</td>
                <td>
                  {p.variation ? `${p.variation}: ` : ''}
                  {p.sample}
                </td>
                <td>
                  <code>{p.file}</code>
                  {p.error && <div className={p.status === 'failed' ? 'error' : 'muted'}>{p.error}</div>}
                </td>
                <td>
                  {p.status}
                  {p.attempts > 1 && <span className="muted"> (attempt {p.attempts})</span>}
                </td>
                <td className="num">
                  {p.entriesDone.toLocaleString('en')}
                  {p.entriesTotal !== null && `/${p.entriesTotal.toLocaleString('en')}`}
                </td>
                <td className="num">{p.selectedEvents?.toLocaleString('en') ?? ''}</td>
                <td className="muted">{p.worker ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {build.parts.length === 0 && <p className="muted small">Planning: the worker lists the recipe's input files.</p>}
      </section>
    </article>
  );
}
