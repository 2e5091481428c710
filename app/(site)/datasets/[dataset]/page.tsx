import Link from 'next/link';
import { notFound } from 'next/navigation';
import { plural } from '@/app/_components/format';
import { getDataset } from '@/lib/server/datasets/get-dataset';
import { getRequestContext } from '@/lib/server/request-context';
import { isAppError } from '@/lib/shared/app-error';
import { VersionBadges } from '../_components/version-badges';

export const dynamic = 'force-dynamic';

export default async function DatasetPage({ params }: { params: Promise<{ dataset: string }> }) {
  const { dataset: id } = await params;
  const ctx = await getRequestContext();
  let dataset;
  try {
    dataset = await getDataset(ctx, decodeURIComponent(id));
  } catch (error) {
    if (isAppError(error) && error.code === 'NOT_FOUND') notFound();
    throw error;
  }
  const [latest, previous] = dataset.versions;
  return (
    <article>
      <p className="small">
        <Link href="/datasets">Datasets</Link> /
      </p>
      <h1>{dataset.title}</h1>
      <p className="muted">
        <code>{dataset.id}</code> · {plural(dataset.versions.length, 'version')}
      </p>
      {latest && previous && (
        <p>
          <Link href={`/datasets/${dataset.id}/${latest.version}/compare?with=${encodeURIComponent(previous.version)}`}>
            What changed from {previous.version} to {latest.version}
          </Link>
        </p>
      )}
      <table className="table" data-testid="dataset-versions">
        <thead>
          <tr>
            <th>version</th>
            <th>created</th>
            <th className="num">training events</th>
            <th className="num">features</th>
            <th>variations</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {dataset.versions.map((v) => (
            <tr key={v.version}>
              <td>
                <Link href={`/datasets/${dataset.id}/${v.version}`}>{v.version}</Link> <VersionBadges summary={v} />
              </td>
              <td>{v.createdAt.slice(0, 10)}</td>
              <td className="num">{v.trainRows.toLocaleString('en')}</td>
              <td className="num">{v.featureCount}</td>
              <td>{v.variations.join(', ') || '—'}</td>
              <td>
                <Link href={`/datasets/${dataset.id}/${v.version}/explore`}>explore</Link>
                {v.hasDisplay && (
                  <>
                    {' · '}
                    <Link href={`/datasets/${dataset.id}/${v.version}/display`}>events</Link>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </article>
  );
}
