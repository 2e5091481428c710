import Link from 'next/link';
import { ActionForm } from '@/app/_components/action-form';
import { AutoRefresh } from '@/app/_components/auto-refresh';
import { formatDateTime } from '@/app/_components/format';
import { listBuiltinRecipes } from '@/lib/server/builds/list-builtin-recipes';
import { listRecipeBuilds } from '@/lib/server/builds/list-recipe-builds';
import { OrganiserNotice } from '../_components/organiser-notice';
import { loadOrganiserPage } from '../load-organiser-page';
import { BuildProgressLine, BuildStatusBadge } from './_components/build-progress';
import { startBuildAction } from './actions';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Dataset builds' };

export default async function BuildsPage() {
  const page = await loadOrganiserPage(async (ctx) => ({ recipes: await listBuiltinRecipes(ctx), builds: await listRecipeBuilds(ctx) }));
  if (!page.ok) return <OrganiserNotice code={page.code} message={page.message} callbackUrl="/organise/builds" />;
  const { recipes, builds } = page.data;
  const isActive = builds.some((b) => b.status === 'planning' || b.status === 'running' || b.status === 'merging');
  return (
    <article>
      <AutoRefresh isActive={isActive} intervalMs={2000} />
      <p className="small">
        <Link href="/organise">← My challenges</Link>
      </p>
      <h1>Dataset builds</h1>
      <p className="muted">
        A recipe turns PHYSLITE files into a versioned training set. The workers build it, one job per input file, and
        register the version as yours (private until you publish it); then attach it to a draft challenge. Files are read
        from <code>DATA_DIR/downloads</code>, where <code>npm run pipeline -- fetch physlite</code> puts them.
      </p>
      <section className="panel">
        <h3>Build from a recipe</h3>
        <ActionForm action={startBuildAction} hidden={{}} submitLabel="Start build" pendingLabel="Queuing…" testId="start-build">
          <label>
            recipe
            <select name="recipe" data-testid="start-build-recipe">
              {recipes.map((r) => (
                <option key={r.name} value={r.name}>
                  {r.name} — {r.title}
                </option>
              ))}
            </select>
          </label>
          <label>
            version <input name="version" className="short" placeholder="recipe's" data-testid="start-build-version" />
          </label>
        </ActionForm>
        <table className="table small" data-testid="recipes">
          <thead>
            <tr>
              <th>recipe</th>
              <th>samples (files under DATA_DIR/downloads)</th>
              <th>output</th>
            </tr>
          </thead>
          <tbody>
            {recipes.map((r) => (
              <tr key={r.name} data-testid={`recipe-${r.name}`}>
                <td>
                  <strong>{r.title}</strong>
                  <div className="muted">
                    <code>recipes/{r.name}/recipe.ts</code> → <code>{r.dataset}</code> {r.version}
                  </div>
                </td>
                <td>
                  {r.samples.map((s) => (
                    <div key={s.name}>
                      {s.name} ({s.label === 1 ? 'signal' : 'background'}, {s.process}): <code>{s.files.join(', ')}</code>
                    </div>
                  ))}
                  <div className="muted">DSID table: {r.dsidTable}</div>
                </td>
                <td>
                  {r.features} features, {r.rows}
                  <div className="muted">variations: {r.variations.map((v) => v.name).join(', ') || 'none'}</div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="panel">
        <h3>Builds</h3>
        {builds.length === 0 ? (
          <p className="muted small" data-testid="no-builds">
            No build yet.
          </p>
        ) : (
          <table className="table" data-testid="builds">
            <thead>
              <tr>
                <th>build</th>
                <th>state</th>
                <th>progress</th>
                <th>started</th>
              </tr>
            </thead>
            <tbody>
              {builds.map((b) => (
                <tr key={b.id} data-testid={`build-${b.id}`}>
                  <td>
                    <Link href={`/organise/builds/${b.id}`}>{b.title}</Link>
                    <div className="muted small">
                      {b.recipe} → <code>{b.dataset}</code> {b.version}
                    </div>
                  </td>
                  <td>
                    <BuildStatusBadge status={b.status} />
                  </td>
                  <td>
                    <BuildProgressLine build={b} />
                  </td>
                  <td className="small">{formatDateTime(b.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </article>
  );
}
