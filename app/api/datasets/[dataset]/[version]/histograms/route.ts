// GET /api/datasets/[dataset]/[version]/histograms?feature=…[&bins&min&max][&variation=…][&feature2=…&bins2&min2&max2]:
// histograms of a training-table feature by process and class (compact JSON) for the explorer. Anyone who may see
// the version in the catalogue; 404 names the available features, variations or versions, 400 says what is wrong
// with a binning.
import { getFeatureHistogram } from '@/lib/server/datasets/get-feature-histogram';
import { withApiRoute } from '@/lib/server/http/with-api-route';

export const dynamic = 'force-dynamic';

export const GET = withApiRoute<{ dataset: string; version: string }>(async (request, ctx, { dataset, version }) => {
  const q = new URL(request.url).searchParams;
  const histogram = await getFeatureHistogram(ctx, {
    dataset,
    version,
    feature: q.get('feature') ?? '',
    bins: q.get('bins'),
    min: q.get('min'),
    max: q.get('max'),
    variation: q.get('variation'),
    feature2: q.get('feature2'),
    bins2: q.get('bins2'),
    min2: q.get('min2'),
    max2: q.get('max2'),
  });
  return Response.json(histogram, { headers: { 'cache-control': 'private, max-age=300' } });
});
