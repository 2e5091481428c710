import Link from 'next/link';
import { notFound } from 'next/navigation';
import { diffDatasetVersions } from '@/lib/server/datasets/diff-dataset-versions';
import { isAppError } from '@/lib/shared/app-error';
import { parseRouteQuery } from '@/lib/shared/query/route-queries';
import { getDatasetVersionOr404 } from '../get-dataset-version-or-404';

export const dynamic = 'force-dynamic';

const value = (x: number | null) => (x === null ? '—' : x.toLocaleString('en', { maximumFractionDigits: 3 }));

export default async function DatasetComparePage({ params, searchParams }: { params: Promise<{ dataset: string; version: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { dataset, version } = await params;
  const { ctx, page } = await getDatasetVersionOr404(dataset, version);
  const base = `/datasets/${page.dataset}/${page.version}/compare`;
  const other = parseRouteQuery('/datasets/[dataset]/[version]/compare', await searchParams).with ?? page.otherVersions.at(-1);
  if (!other) {
    return <p className="muted">{page.dataset} has no other version you can see to compare with.</p>;
  }
  let diff;
  try {
    diff = await diffDatasetVersions(ctx, { dataset: page.dataset, from: other, to: page.version });
  } catch (error) {
    if (isAppError(error) && error.code === 'NOT_FOUND') notFound();
    throw error;
  }
  const nothing = <p className="muted small">No change.</p>;
  return (
    <article data-testid="dataset-diff">
      <p className="row">
        Compare {page.version} with:{' '}
        {page.otherVersions.map((v) => (
          <Link key={v} href={`${base}?with=${encodeURIComponent(v)}`} aria-current={v === other ? 'page' : undefined}>
            {v}
          </Link>
        ))}
      </p>
      <h2>
        From {diff.from} to {diff.to}
      </h2>
      <h3>Rows</h3>
      <table className="table" data-testid="diff-rows">
        <thead>
          <tr>
            <th>table</th>
            <th className="num">{diff.from}</th>
            <th className="num">{diff.to}</th>
          </tr>
        </thead>
        <tbody>
          {diff.rows.map((r) => (
            <tr key={r.table}>
              <td>{r.table}</td>
              <td className="num">{value(r.from)}</td>
              <td className="num">{value(r.to)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Columns</h3>
      {diff.columns.added.length + diff.columns.removed.length + diff.columns.changed.length === 0 ? (
        nothing
      ) : (
        <ul className="diff-list" data-testid="diff-columns">
          {diff.columns.added.map((c) => (
            <li key={`+${c}`}>added <code>{c}</code></li>
          ))}
          {diff.columns.removed.map((c) => (
            <li key={`-${c}`}>removed <code>{c}</code></li>
          ))}
          {diff.columns.changed.map((c) => (
            <li key={`~${c.name}`}>
              <code>{c.name}</code>: {c.from} → {c.to}
            </li>
          ))}
        </ul>
      )}
      <h3>Recipe</h3>
      {diff.recipe.length === 0 ? (
        nothing
      ) : (
        <table className="table" data-testid="diff-recipe">
          <tbody>
            {diff.recipe.map((r) => (
              <tr key={r.path}>
                <td>
                  <code>{r.path}</code>
                </td>
                <td className="small">{r.from ?? '—'}</td>
                <td className="small">{r.to ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Sources</h3>
      {diff.sources.added.length + diff.sources.removed.length + diff.sources.changed.length === 0 ? (
        nothing
      ) : (
        <ul className="diff-list" data-testid="diff-sources">
          {diff.sources.added.map((s) => (
            <li key={`+${s}`}>added {s}</li>
          ))}
          {diff.sources.removed.map((s) => (
            <li key={`-${s}`}>removed {s}</li>
          ))}
          {diff.sources.changed.map((s) => (
            <li key={`~${s.name}`}>
              {s.name}: {s.from} → {s.to}
            </li>
          ))}
        </ul>
      )}
      <h3>Processes (training set)</h3>
      {diff.processes.length === 0 ? (
        nothing
      ) : (
        <table className="table" data-testid="diff-processes">
          <thead>
            <tr>
              <th>process</th>
              <th className="num">events {diff.from}</th>
              <th className="num">events {diff.to}</th>
              <th className="num">Σ weights {diff.from}</th>
              <th className="num">Σ weights {diff.to}</th>
            </tr>
          </thead>
          <tbody>
            {diff.processes.map((p) => (
              <tr key={p.name}>
                <td>{p.name}</td>
                <td className="num">{value(p.from?.rows ?? null)}</td>
                <td className="num">{value(p.to?.rows ?? null)}</td>
                <td className="num">{value(p.from?.sumOfWeights ?? null)}</td>
                <td className="num">{value(p.to?.sumOfWeights ?? null)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {diff.other.length > 0 && (
        <>
          <h3>Other fields</h3>
          <ul className="diff-list" data-testid="diff-other">
            {diff.other.map((o) => (
              <li key={o.field}>
                {o.field}: {o.from} → {o.to}
              </li>
            ))}
          </ul>
        </>
      )}
    </article>
  );
}
