import { EventDisplay } from '@/lib/client/plots/event-display';
import { NO_DISPLAY_TABLE_MESSAGE } from '@/lib/server/datasets/get-display-events';
import { parseRouteQuery } from '@/lib/shared/query/route-queries';
import { getDatasetVersionOr404 } from '../get-dataset-version-or-404';

export const dynamic = 'force-dynamic';

export default async function DatasetDisplayPage({ params, searchParams }: { params: Promise<{ dataset: string; version: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { dataset, version } = await params;
  const { page } = await getDatasetVersionOr404(dataset, version);
  const eventParam = parseRouteQuery('/datasets/[dataset]/[version]/display', await searchParams).event;
  const initial = eventParam !== undefined ? Number(eventParam) : null;
  return (
    <article>
      <div className="small">
        <p>
          An <strong>event</strong> is one bunch crossing in which the detector saw particles come out of the collision. The{' '}
          <strong>transverse view</strong> looks along the beam: each line points where an object flew, its length is its transverse momentum pT. The
          dashed arrow is the <strong>missing transverse momentum</strong> (MET): momentum that must have been carried away by something invisible, such
          as neutrinos. The <strong>η–φ view</strong> unrolls the detector: φ goes around the beam, η along it (η = 0 is straight out sideways). Bigger
          markers mean larger pT. Hover over a marker to read its values.
        </p>
        <p className="muted">These are training events of this version: a sample of at most a few hundred, with no labels.</p>
      </div>
      {page.hasDisplay ? (
        <EventDisplay dataset={page.dataset} version={page.version} initialEventId={initial} />
      ) : (
        <p className="notice" data-testid="display-missing">
          {NO_DISPLAY_TABLE_MESSAGE}
        </p>
      )}
    </article>
  );
}
