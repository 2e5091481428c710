// GET /api/datasets/[dataset]/[version]/histograms?feature=…[&bins&min&max][&variation=…][&feature2=…&bins2&min2&max2]:
// histograms of a training-table feature by process and class (compact JSON) for the explorer. Anyone who may see
// the version in the catalogue; 404 names the available features, variations or versions, 400 says what is wrong
// with a binning.
import { getFeatureHistogram } from '@/lib/server/datasets/get-feature-histogram';
import { withApiRoute } from '@/lib/server/http/with-api-route';
import { parseRouteQuery } from '@/lib/shared/query/route-queries';

export const dynamic = 'force-dynamic';

export const GET = withApiRoute<{ dataset: string; version: string }>(async (request, ctx, { dataset, version }) => {
  const q = parseRouteQuery('/api/datasets/[dataset]/[version]/histograms', new URL(request.url).searchParams);
  const histogram = await getFeatureHistogram(ctx, {
    dataset,
    version,
    feature: q.feature ?? '',
    bins: q.bins ?? null,
    min: q.min ?? null,
    max: q.max ?? null,
    variation: q.variation ?? null,
    feature2: q.feature2 ?? null,
    bins2: q.bins2 ?? null,
    min2: q.min2 ?? null,
    max2: q.max2 ?? null,
  });
  return Response.json(histogram, { headers: { 'cache-control': 'private, max-age=300' } });
});
