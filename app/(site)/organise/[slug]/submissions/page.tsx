import Link from 'next/link';
import { formatDateTime } from '@/app/_components/format';
import { formatMetricValue } from '@/lib/shared/formats/metric-format';
import { getOrganisedChallenge } from '@/lib/server/organiser/get-organised-challenge';
import { listChallengeSubmissions } from '@/lib/server/organiser/list-challenge-submissions';
import type { SubmissionDto, SubmissionStatusDto } from '@/lib/shared/dto/submission-dto';
import { OrganiserNotice } from '../../_components/organiser-notice';
import { loadOrganiserPage } from '../../load-organiser-page';
import { parseRouteQuery } from '@/lib/shared/query/route-queries';

const submissionStatuses = ['received', 'queued', 'scoring', 'scored', 'failed'] as const satisfies readonly SubmissionStatusDto[];
const submissionSources = ['upload', 'api', 'browser-baseline'] as const satisfies readonly SubmissionDto['source'][];

export const dynamic = 'force-dynamic';
export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }) {
  return { title: `All submissions · ${(await params).slug}` };
}


export default async function ChallengeSubmissionsPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { slug } = await params;
  const filters = parseRouteQuery('/organise/[slug]/submissions', await searchParams);
  const page = await loadOrganiserPage(async (ctx) => {
    const challenge = await getOrganisedChallenge(ctx, slug);
    const list = await listChallengeSubmissions(ctx, {
      slug,
      phaseKey: filters.phase,
      status: filters.status,
      participant: filters.participant,
      source: filters.source,
      page: filters.page,
    });
    return { challenge, list };
  });
  if (!page.ok) return <OrganiserNotice code={page.code} message={page.message} callbackUrl={`/organise/${slug}/submissions`} />;
  const { challenge, list } = page.data;
  const pages = Math.max(1, Math.ceil(list.total / list.pageSize));
  const linkTo = (n: number) => {
    const query = new URLSearchParams(Object.entries({ ...filters, page: String(n) }).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));
    return `/organise/${slug}/submissions?${query.toString()}`;
  };
  return (
    <article>
      <p className="small">
        <Link href={`/organise/${slug}`}>← {challenge.title}</Link>
      </p>
      <h1>Submissions</h1>
      <form method="get" className="filters panel" data-testid="submission-filters">
        <label>
          phase
          <select name="phase" defaultValue={filters.phase ?? ''} data-testid="filter-phase">
            <option value="">all</option>
            {challenge.phases.map((p) => (
              <option key={p.key} value={p.key}>
                {p.title}
              </option>
            ))}
          </select>
        </label>
        <label>
          status
          <select name="status" defaultValue={filters.status ?? ''} data-testid="filter-status">
            <option value="">all</option>
            {submissionStatuses.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          participant (name or e-mail contains)
          <input type="text" name="participant" defaultValue={filters.participant ?? ''} data-testid="filter-participant" />
        </label>
        <label>
          source
          <select name="source" defaultValue={filters.source ?? ''} data-testid="filter-source">
            <option value="">all</option>
            {submissionSources.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" data-testid="apply-filters">
          Filter
        </button>
        <Link href={`/organise/${slug}/submissions`} className="small">
          clear
        </Link>
      </form>
      <p className="muted small" data-testid="submission-total">
        {list.total.toLocaleString('en')} matching submission{list.total === 1 ? '' : 's'}
      </p>
      {list.rows.length > 0 && (
        <table className="table" data-testid="organiser-submissions">
          <thead>
            <tr>
              <th>submitted</th>
              <th>participant</th>
              <th>phase</th>
              <th>file</th>
              <th>status</th>
              <th>source</th>
              <th className="num">{list.primaryMetric.label} (public)</th>
            </tr>
          </thead>
          <tbody>
            {list.rows.map((s) => (
              <tr key={s.id} data-testid="organiser-submission-row" data-status={s.status}>
                <td className="small">
                  <Link href={`/submissions/${s.id}`}>{formatDateTime(s.createdAt)}</Link>
                </td>
                <td>
                  {s.participantName}
                  {s.teamName && <span className="muted small"> · team {s.teamName}</span>}
                  <div className="muted small">{s.participantEmail}</div>
                </td>
                <td className="small">{s.phaseKey}</td>
                <td>
                  <code>{s.fileName}</code>
                  {s.isBaseline && <span className="badge baseline">baseline</span>}
                  {s.isFinal && <span className="badge">final</span>}
                </td>
                <td>
                  <span className={`status status-${s.status}`}>{s.status}</span>
                  {s.error && <div className="error small">{s.error}</div>}
                </td>
                <td className="small">{s.source}</td>
                <td className="num">{formatMetricValue(s.primaryPublicValue, list.primaryMetric.precision)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pages > 1 && (
        <p className="pager small">
          {list.page > 1 && <Link href={linkTo(list.page - 1)}>← newer</Link>}
          <span>
            page {list.page} of {pages}
          </span>
          {list.page < pages && <Link href={linkTo(list.page + 1)}>older →</Link>}
        </p>
      )}
    </article>
  );
}
