import Link from 'next/link';
import { formatBytes } from '@/app/_components/format';
import { CopyText } from '../../_components/copy-text';
import { VisibilityForm } from '../../_components/visibility-form';
import { getDatasetVersionOr404 } from './get-dataset-version-or-404';

export const dynamic = 'force-dynamic';

const number = (x: number) => x.toLocaleString('en', { maximumFractionDigits: x < 10 ? 3 : 1 });

export default async function DatasetVersionPage({ params }: { params: Promise<{ dataset: string; version: string }> }) {
  const { dataset, version } = await params;
  const { ctx, page } = await getDatasetVersionOr404(dataset, version);
  const base = `/datasets/${page.dataset}/${page.version}`;
  return (
    <article>
      <p>{page.description}</p>
      <p className="notice small">
        New here? <Link href={`${base}/explore`}>Explore the data</Link> to see how each feature looks for signal and background
        {page.hasDisplay ? (
          <>
            , or <Link href={`${base}/display`}>look at single events</Link> in the event display
          </>
        ) : null}
        .
      </p>
      {page.visibility.canManage && <VisibilityForm dataset={page.dataset} version={page.version} isPublic={page.visibility.isPublic} isUsed={page.visibility.isUsedByPublishedChallenge} />}

      <h2 id="cite">How to cite</h2>
      <CopyText label="Plain text" text={page.citation.text} testId="citation-text" />
      <CopyText label="BibTeX" text={page.citation.bibtex} testId="citation-bibtex" isCode />

      <h2 id="sources">Where it came from</h2>
      <p className="small muted">
        Pipeline {page.pipelineVersion}
        {page.luminosityFb !== null ? ` · weights normalised to ${page.luminosityFb} fb⁻¹` : ''} · missing values are written as {page.missingValue}
      </p>
      <div className="table-scroll">
        <table className="table" data-testid="dataset-sources">
          <thead>
            <tr>
              <th>source</th>
              <th>DOI</th>
              <th>sha256</th>
              <th>note</th>
            </tr>
          </thead>
          <tbody>
            {page.sources.map((s, k) => (
              <tr key={`${s.name}-${k}`}>
                <td>{s.name}</td>
                <td>{s.doi ? <a href={`https://doi.org/${s.doi}`}>{s.doi}</a> : '—'}</td>
                <td>{s.sha256 ? <code className="small" title={s.sha256}>{s.sha256.slice(0, 16)}…</code> : '—'}</td>
                <td className="small">{s.note ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <details className="snippets">
        <summary>Recipe (how the version was built)</summary>
        <pre>
          <code data-testid="dataset-recipe">{JSON.stringify(page.recipe, null, 2)}</code>
        </pre>
      </details>

      <h2 id="processes">Processes</h2>
      <p className="small">
        Each training event comes from one physics process. Its weight says how many real collisions it stands for, so the sum of the weights of a
        process is the number of events we expect from it.
      </p>
      {page.training ? (
        <div className="table-scroll">
          <table className="table" data-testid="dataset-processes">
            <thead>
              <tr>
                <th>process</th>
                <th>class</th>
                <th className="num">training events</th>
                <th className="num">expected yield (Σ weights)</th>
              </tr>
            </thead>
            <tbody>
              {page.training.processes.map((p) => (
                <tr key={p.name} data-process={p.name}>
                  <td>{p.name}</td>
                  <td>{p.label === 1 ? 'signal' : p.label === 0 ? 'background' : 'both'}</td>
                  <td className="num">{p.rows.toLocaleString('en')}</td>
                  <td className="num">{number(p.sumOfWeights)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">This version has no table of labelled, weighted training events (train.arrow) to count processes in.</p>
      )}
      <p className="small muted">
        Expected yields of the scored test set: signal {number(page.expectedYields.signal)}, background {number(page.expectedYields.background)}.
      </p>

      <h2 id="files">Files</h2>
      {!ctx.user && (
        <p className="notice small">
          <Link href={`/sign-in?callbackUrl=${base}`}>Sign in</Link> to download the files.
        </p>
      )}
      <div className="table-scroll">
        <table className="table" data-testid="dataset-files">
          <thead>
            <tr>
              <th>file</th>
              <th>role</th>
              <th className="num">rows</th>
              <th className="num">size</th>
              <th>sha256</th>
              <th className="num">downloads</th>
            </tr>
          </thead>
          <tbody>
            {page.files.map((f) => (
              <tr key={f.name} data-file={f.name}>
                <td>
                  {ctx.user ? (
                    <a href={`/api/datasets/${page.dataset}/${page.version}/files/${encodeURIComponent(f.name)}`} download>
                      {f.name}
                    </a>
                  ) : (
                    f.name
                  )}
                </td>
                <td>{f.role}</td>
                <td className="num">{f.rows.toLocaleString('en')}</td>
                <td className="num">{formatBytes(f.sizeBytes)}</td>
                <td>
                  <code className="small" title={f.sha256}>
                    {f.sha256.slice(0, 12)}…
                  </code>
                </td>
                <td className="num" data-testid={`downloads-${f.name}`}>
                  {f.downloads.toLocaleString('en')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {page.variationDetails.length > 0 && (
        <>
          <h2 id="variations">Systematic variations</h2>
          <ul>
            {page.variationDetails.map((v) => (
              <li key={v.name}>
                <code>{v.name}</code> ({v.kind}): {v.description}
              </li>
            ))}
          </ul>
        </>
      )}

      <h2 id="columns">Columns</h2>
      <div className="table-scroll">
        <table className="table" data-testid="dataset-columns">
          <thead>
            <tr>
              <th>column</th>
              <th>unit</th>
              <th>description</th>
            </tr>
          </thead>
          <tbody>
            {page.columns.map((c) => (
              <tr key={c.name}>
                <td>
                  <code>{c.name}</code>
                </td>
                <td>{c.unit}</td>
                <td className="small">{c.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2 id="challenges">Challenges using this version</h2>
      {page.challenges.length === 0 ? (
        <p className="muted">No published challenge uses this version yet.</p>
      ) : (
        <ul data-testid="dataset-challenges">
          {page.challenges.map((c) => (
            <li key={c.slug}>
              <Link href={`/challenges/${c.slug}`}>{c.title}</Link> {c.isDraft && <span className="badge">draft</span>}
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}
