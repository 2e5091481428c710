import Link from 'next/link';
import { plural } from '@/app/_components/format';
import { listDatasets } from '@/lib/server/datasets/list-datasets';
import { getRequestContext } from '@/lib/server/request-context';
import { VersionBadges } from './_components/version-badges';

export const dynamic = 'force-dynamic';

export default async function DatasetCataloguePage() {
  const datasets = await listDatasets(await getRequestContext());
  return (
    <>
      <section className="hero">
        <h1>Datasets</h1>
        <p className="muted">
          Every dataset behind the challenges, with where it came from and how to cite it. Look at any feature by physics process, compare systematic
          variations and step through real events, before you train anything.
        </p>
      </section>
      {datasets.length === 0 && <p className="muted">No dataset is published yet.</p>}
      <ul className="cards" data-testid="dataset-catalogue">
        {datasets.map((d) => {
          const latest = d.versions[0];
          return (
            <li key={d.id} className="card" data-testid={`dataset-card-${d.id}`}>
              <h2>
                <Link href={latest ? `/datasets/${d.id}/${latest.version}` : `/datasets/${d.id}`}>{d.title}</Link>{' '}
                {latest && <VersionBadges summary={latest} />}
              </h2>
              <p className="small">{latest?.description}</p>
              <p className="muted small">
                <code>{d.id}</code> · {plural(d.versions.length, 'version')} ({d.versions.map((v) => v.version).join(', ')}) · licence {latest?.licence}
                {latest?.doi ? ` · DOI ${latest.doi}` : ''} · {latest ? `${plural(latest.trainRows, 'training event')}, ${plural(latest.featureCount, 'feature')}` : ''}
                {latest?.hasDisplay ? ' · event display' : ''}
              </p>
            </li>
          );
        })}
      </ul>
    </>
  );
}
