import Link from 'next/link';
import type { ReactNode } from 'react';
import { TabLinks } from '@/app/_components/tab-links';
import { VersionBadges } from '../../_components/version-badges';
import { getDatasetVersionOr404 } from './get-dataset-version-or-404';

export const dynamic = 'force-dynamic';

export default async function DatasetVersionLayout({ children, params }: { children: ReactNode; params: Promise<{ dataset: string; version: string }> }) {
  const { dataset, version } = await params;
  const { page } = await getDatasetVersionOr404(dataset, version);
  const base = `/datasets/${page.dataset}/${page.version}`;
  const tabs = [
    { label: 'About', href: base, testId: 'dataset-tab-about' },
    { label: 'Explore the data', href: `${base}/explore`, testId: 'dataset-tab-explore' },
    { label: 'Event display', href: `${base}/display`, testId: 'dataset-tab-display' },
    ...(page.otherVersions.length > 0 ? [{ label: 'Compare versions', href: `${base}/compare`, testId: 'dataset-tab-compare' }] : []),
  ];
  return (
    <>
      <section className="challenge-head">
        <p className="small">
          <Link href="/datasets">Datasets</Link> / <Link href={`/datasets/${page.dataset}`}>{page.dataset}</Link> /
        </p>
        <h1>
          {page.title} <VersionBadges summary={page} />
        </h1>
        <p className="muted small">
          <code>{page.dataset}</code> version <code data-testid="dataset-version">{page.version}</code> · licence {page.licence}
          {page.doi ? ` · DOI ${page.doi}` : ''} · {page.trainRows.toLocaleString('en')} training events · {page.featureCount} features
        </p>
        <TabLinks tabs={tabs} />
      </section>
      {children}
    </>
  );
}
