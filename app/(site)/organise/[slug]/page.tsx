import Link from 'next/link';
import { formatDateTime } from '@/app/_components/format';
import { listAuditEvents } from '@/lib/server/audit/list-audit-events';
import { listDatasetVersions } from '@/lib/server/datasets/list-dataset-versions';
import { getDownloadCounts } from '@/lib/server/organiser/get-download-counts';
import { getOrganisedChallenge } from '@/lib/server/organiser/get-organised-challenge';
import { ActionForm } from '@/app/_components/action-form';
import { OrganiserNotice } from '../_components/organiser-notice';
import { loadOrganiserPage } from '../load-organiser-page';
import {
  closePhaseAction,
  openPhaseAction,
  publishAction,
  rescoreAction,
  updateDefinitionAction,
  updateLimitsAction,
} from './actions';
import { BaselineUploadForm } from './_components/baseline-upload-form';
import { DatasetSwitchForm } from './_components/dataset-switch-form';

export const dynamic = 'force-dynamic';

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }) {
  return { title: `Organise · ${(await params).slug}` };
}

function describeDetails(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' · ');
}

export default async function OrganiseChallengePage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const page = await loadOrganiserPage(async (ctx) => {
    const challenge = await getOrganisedChallenge(ctx, slug);
    const [downloads, audit, datasets] = await Promise.all([getDownloadCounts(ctx, slug), listAuditEvents(ctx, slug), listDatasetVersions(ctx)]);
    return { challenge, downloads, audit, datasets };
  });
  if (!page.ok) return <OrganiserNotice code={page.code} message={page.message} callbackUrl={`/organise/${slug}`} />;
  const { challenge, downloads, audit, datasets } = page.data;
  const hidden = { slug: challenge.slug };
  // Only versions of the challenge's own dataset are offered (another dataset has other pages, columns and truth).
  const versionsOfDataset = datasets.filter((d) => d.dataset === challenge.dataset.id);
  return (
    <article>
      <p className="small">
        <Link href="/organise">← My challenges</Link>
      </p>
      <h1>
        {challenge.title}{' '}
        <span className={challenge.isDraft ? 'badge' : 'badge open'} data-testid="challenge-state">
          {challenge.isDraft ? 'draft' : 'published'}
        </span>
      </h1>
      <p className="muted small">
        <code>{challenge.slug}</code> · {challenge.task} · revision <span data-testid="challenge-revision">{challenge.revision}</span> · scoring version{' '}
        <code>{challenge.scoringVersion}</code> · owner {challenge.ownerName ?? 'none (admins only)'} ·{' '}
        <Link href={`/challenges/${challenge.slug}`} data-testid="public-link">
          public pages
        </Link>{' '}
        · <Link href={`/challenges/${challenge.slug}/leaderboard`}>leaderboard</Link> ·{' '}
        <Link href={`/organise/${challenge.slug}/submissions`} data-testid="submissions-link">
          all {challenge.submissionCount.toLocaleString('en')} submissions
        </Link>
      </p>
      <section className="panel">
        <h3>Visibility</h3>
        <p className="small muted">
          {challenge.isDraft
            ? 'Only you and admins see this draft. Publishing lists it for everyone and opens it for submissions in its open phase.'
            : `Published ${challenge.publishedAt ? `on ${formatDateTime(challenge.publishedAt)}` : ''}: listed for everyone.`}
        </p>
        <ActionForm action={publishAction} hidden={hidden} submitLabel={challenge.isDraft ? 'Publish' : 'Published'} pendingLabel="Publishing…" testId="publish" isDisabled={!challenge.isDraft} />
      </section>

      <section className="panel">
        <h3>Phases</h3>
        <table className="table" data-testid="phases">
          <thead>
            <tr>
              <th>phase</th>
              <th>state</th>
              <th>opens / closes (UTC)</th>
              <th>limits</th>
              <th>entries</th>
              <th>actions</th>
            </tr>
          </thead>
          <tbody>
            {challenge.phases.map((phase) => {
              const phaseHidden = { ...hidden, phaseKey: phase.key };
              return (
                <tr key={phase.key} data-testid={`phase-${phase.key}`}>
                  <td>
                    {phase.title}
                    <div className="muted small">
                      <code>{phase.key}</code>
                    </div>
                  </td>
                  <td>
                    <span className={phase.state === 'open' ? 'badge open' : 'badge'} data-testid={`phase-state-${phase.key}`}>
                      {phase.state}
                    </span>
                  </td>
                  <td className="small">
                    {formatDateTime(phase.opensAt)}
                    <br />
                    {phase.closesAt ? formatDateTime(phase.closesAt) : 'until closed'}
                  </td>
                  <td>
                    <ActionForm action={updateLimitsAction} hidden={phaseHidden} submitLabel="Save limits" testId={`limits-${phase.key}`} isSecondary>
                      <label>
                        per day
                        <input type="number" name="maxPerDay" min="1" step="1" defaultValue={phase.maxPerDay} className="short" data-testid={`limits-${phase.key}-per-day`} />
                      </label>
                      <label>
                        in total
                        <input type="number" name="maxTotal" min="1" step="1" defaultValue={phase.maxTotal ?? ''} placeholder="none" className="short" data-testid={`limits-${phase.key}-total`} />
                      </label>
                    </ActionForm>
                  </td>
                  <td className="small">
                    {phase.submissionCount} in all
                    {phase.pendingCount > 0 && <div>{phase.pendingCount} being scored</div>}
                    {phase.failedCount > 0 && <div className="error">{phase.failedCount} failed</div>}
                    {phase.staleScoredCount > 0 && <div className="warn">{phase.staleScoredCount} scored under an older version</div>}
                  </td>
                  <td>
                    {/* One form whose action follows the state, so its answer survives the re-render that the action causes. */}
                    <ActionForm
                      action={phase.state === 'open' ? closePhaseAction : openPhaseAction}
                      hidden={phaseHidden}
                      submitLabel={phase.state === 'open' ? 'Close now' : phase.state === 'closed' ? 'Reopen' : 'Open now'}
                      testId={`phase-${phase.key}-toggle`}
                      confirmText={
                        phase.state === 'open'
                          ? `Close "${phase.title}" now? Submissions stop and the private leaderboard becomes public at once.`
                          : phase.state === 'closed'
                            ? `Reopen "${phase.title}"? Its private leaderboard, already seen by participants, is hidden again.`
                            : undefined
                      }
                    />
                    <ActionForm action={rescoreAction} hidden={phaseHidden} submitLabel="Rescore" pendingLabel="Queueing…" testId={`rescore-${phase.key}`} isSecondary />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <p className="small muted">
          Rescore recomputes every scored or failed entry of the phase under scoring version <code>{challenge.scoringVersion}</code>; the old scores stay
          stored and shown until the new ones are in.
        </p>
      </section>

      <section className="panel">
        <h3>Dataset</h3>
        <p data-testid="dataset-version">
          {challenge.dataset.title} — <code>{challenge.dataset.id}</code> {challenge.dataset.version}
          {challenge.dataset.isToy && <span className="badge toy">toy data</span>}
        </p>
        {versionsOfDataset.some((d) => d.version !== challenge.dataset.version) ? (
          <DatasetSwitchForm
            slug={challenge.slug}
            dataset={challenge.dataset.id}
            currentVersion={challenge.dataset.version}
            versions={[
              ...(versionsOfDataset.some((d) => d.version === challenge.dataset.version)
                ? []
                : [{ version: challenge.dataset.version, title: challenge.dataset.title, isToy: challenge.dataset.isToy, registeredAt: '' }]),
              ...versionsOfDataset.map((d) => ({ version: d.version, title: d.title, isToy: d.isToy, registeredAt: d.registeredAt })),
            ]}
          />
        ) : (
          <p className="small muted" data-testid="attach-dataset-none">
            {challenge.dataset.id} has no other registered version. Build one with npm run pipeline and rescan on <Link href="/organise">My challenges</Link>;
            to move the challenge to another dataset, edit its definition below.
          </p>
        )}
        <h4>Downloads</h4>
        <table className="table" data-testid="download-counts">
          <thead>
            <tr>
              <th>file</th>
              <th className="num">downloads</th>
              <th className="num">distinct users</th>
            </tr>
          </thead>
          <tbody>
            {downloads.map((d) => (
              <tr key={`${d.version}/${d.fileName}`} data-testid={`downloads-${d.fileName}`}>
                <td>
                  <code>{d.fileName}</code> {!d.isCurrentVersion && <span className="muted small">(version {d.version})</span>}
                </td>
                <td className="num">{d.downloads.toLocaleString('en')}</td>
                <td className="num">{d.distinctUsers.toLocaleString('en')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="panel">
        <h3>Baseline</h3>
        <p className="small muted">
          Upload a reference entry (same format as a participant&apos;s predictions). It is scored like any entry, pinned on the leaderboard, marked as
          a baseline, never ranked and outside the limits.
        </p>
        <BaselineUploadForm challengeSlug={challenge.slug} />
      </section>

      <section className="panel">
        <h3>Definition</h3>
        <p className="small muted">
          Edit the JSON and save to change texts, metrics, splits or phases (upload replaces the whole definition: start from this copy, which has the
          dates and limits in force). When task, dataset, metrics, scoring or splits change the revision goes up by itself.
        </p>
        <ActionForm
          action={updateDefinitionAction}
          hidden={{ ...hidden, baseUpdatedAt: challenge.updatedAt }}
          submitLabel="Save definition"
          pendingLabel="Checking…"
          testId="update-definition"
          isSecondary
        >
          {/* Keyed by the stored version, so the editor shows the current definition after any change. */}
          <textarea key={challenge.updatedAt} name="definitionJson" rows={16} spellCheck={false} defaultValue={challenge.definitionJson} className="code-area" data-testid="definition-editor" />
        </ActionForm>
      </section>

      <section className="panel">
        <h3>Audit log</h3>
        {audit.length === 0 ? (
          <p className="muted small">No organiser action yet.</p>
        ) : (
          <table className="table" data-testid="audit-log">
            <thead>
              <tr>
                <th>when</th>
                <th>who</th>
                <th>action</th>
                <th>details</th>
              </tr>
            </thead>
            <tbody>
              {audit.map((e) => (
                <tr key={e.id} data-testid="audit-event" data-action={e.action}>
                  <td className="small">{formatDateTime(e.createdAt)}</td>
                  <td className="small">{e.actorName ?? 'deleted account'}</td>
                  <td>
                    <code>{e.action}</code> {e.target && <span className="muted small">{e.target}</span>}
                  </td>
                  <td className="small muted">{describeDetails(e.details)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </article>
  );
}
