import Link from 'next/link';
import { listDatasets } from '@/lib/server/datasets/list-datasets';
import { getRequestContext } from '@/lib/server/request-context';

/** An unknown (or hidden) dataset or version: say so and list what there is. */
export default async function DatasetNotFound() {
  const datasets = await listDatasets(await getRequestContext());
  return (
    <article data-testid="dataset-not-found">
      <h1>No such dataset or version</h1>
      <p>There is no dataset or version at this address that you can see. Available datasets:</p>
      <ul>
        {datasets.map((d) => (
          <li key={d.id}>
            <Link href={`/datasets/${d.id}`}>{d.id}</Link>: versions{' '}
            {d.versions.map((v, k) => (
              <span key={v.version}>
                {k > 0 && ', '}
                <Link href={`/datasets/${d.id}/${v.version}`}>{v.version}</Link>
              </span>
            ))}
          </li>
        ))}
      </ul>
    </article>
  );
}
