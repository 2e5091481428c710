import Link from 'next/link';
import { listOrganisedChallenges } from '@/lib/server/organiser/list-organised-challenges';
import { ActionForm } from '@/app/_components/action-form';
import { OrganiserNotice } from './_components/organiser-notice';
import { rescanDatasetsAction } from './actions';
import { loadOrganiserPage } from './load-organiser-page';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'My challenges (organise)' };

export default async function OrganisePage() {
  const page = await loadOrganiserPage((ctx) => listOrganisedChallenges(ctx));
  if (!page.ok) return <OrganiserNotice code={page.code} message={page.message} callbackUrl="/organise" />;
  const challenges = page.data;
  return (
    <article>
      <h1>My challenges</h1>
      <p className="muted">
        Drafts are visible to you and admins only until you publish them. <Link href="/organise/new" className="button" data-testid="new-challenge">New challenge</Link>
      </p>
      {challenges.length === 0 ? (
        <p className="muted" data-testid="no-challenges">
          You organise no challenge yet. Create one from a definition file or with the form.
        </p>
      ) : (
        <table className="table" data-testid="organised-challenges">
          <thead>
            <tr>
              <th>challenge</th>
              <th>state</th>
              <th>dataset</th>
              <th>open phase</th>
              <th className="num">submissions</th>
            </tr>
          </thead>
          <tbody>
            {challenges.map((c) => (
              <tr key={c.slug} data-testid={`organised-${c.slug}`}>
                <td>
                  <Link href={`/organise/${c.slug}`}>{c.title}</Link>
                  <div className="muted small">
                    <code>{c.slug}</code> · revision {c.revision} · {c.task}
                  </div>
                </td>
                <td>{c.isDraft ? <span className="badge">draft</span> : <span className="badge open">published</span>}</td>
                <td className="small">
                  {c.dataset.id} {c.dataset.version}
                </td>
                <td className="small">{c.openPhase ? c.openPhase.title : <span className="muted">none</span>}</td>
                <td className="num">{c.submissionCount.toLocaleString('en')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <section className="panel">
        <h3>Datasets</h3>
        <p className="small muted">
          Built a new dataset version with <code>npm run pipeline</code> into <code>DATA_DIR/datasets/&lt;dataset&gt;/&lt;version&gt;</code>? Rescan to
          register it without restarting the server (every file is checked against its manifest&apos;s sha256).
        </p>
        <ActionForm action={rescanDatasetsAction} hidden={{}} submitLabel="Rescan datasets" pendingLabel="Scanning…" testId="rescan-datasets" isSecondary />
        <p className="small muted">
          Or <Link href="/organise/builds" data-testid="builds-link">build a dataset from a recipe</Link> on the workers, from PHYSLITE files in <code>DATA_DIR/downloads</code>.
        </p>
      </section>
    </article>
  );
}
