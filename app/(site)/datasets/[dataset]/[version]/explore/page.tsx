import { FeatureExplorer } from '@/lib/client/plots/feature-explorer';
import { getDatasetVersionOr404 } from '../get-dataset-version-or-404';
import { ExplorerIntro } from '../../../_components/explorer-intro';

export const dynamic = 'force-dynamic';

export default async function DatasetExplorePage({ params }: { params: Promise<{ dataset: string; version: string }> }) {
  const { dataset, version } = await params;
  const { page } = await getDatasetVersionOr404(dataset, version);
  const features = page.columns.filter((c) => c.isFeature).map(({ name, unit, description }) => ({ name, unit, description }));
  return (
    <article>
      <ExplorerIntro missingValue={page.missingValue} />
      <FeatureExplorer
        dataset={page.dataset}
        version={page.version}
        features={features}
        variations={page.variationDetails.filter((v) => v.hasPublicTable).map((v) => ({ name: v.name, description: v.description }))}
        missingValue={page.missingValue}
      />
    </article>
  );
}
