'use client';

import { useCallback } from 'react';
import type { TrackingBins, TrackingScoreDetail } from '@/lib/shared/dto/score-detail-dto';
import { buildEventDisplayCanvas } from './build-event-display-canvas';
import { buildEventScoresCanvas } from './build-event-scores-canvas';
import { buildTrackingRateCanvas } from './build-tracking-rate-canvas';
import type { JsrootApi } from './jsroot-api';
import { RootPlot } from './root-plot';

/** The TrackML score of each event of the split, with their mean, drawn with JSROOT. */
export function EventScoresPlot({ events }: { events: TrackingScoreDetail['events'] }) {
  const build = useCallback((api: JsrootApi) => buildEventScoresCanvas(api, events), [events]);
  return <RootPlot testId="event-scores-plot" label="TrackML score per event" build={build} emptyMessage="No events in this split." />;
}

/** Efficiency and fake rate against particle pT or η, drawn with JSROOT. */
export function TrackingRatePlot({ bins, variable }: { bins: TrackingBins; variable: 'pt' | 'eta' }) {
  const build = useCallback((api: JsrootApi) => buildTrackingRateCanvas(api, { bins, variable }), [bins, variable]);
  return (
    <RootPlot
      testId={`tracking-rate-${variable}-plot`}
      label={`Efficiency and fake rate against ${variable === 'pt' ? 'pT' : 'η'}`}
      build={build}
      emptyMessage="No particles or tracks to count."
    />
  );
}

/** One event's hits coloured by the submitted track, in the x–y or r–z view, drawn with JSROOT. */
export function EventDisplayPlot({ display, view }: { display: NonNullable<TrackingScoreDetail['display']>; view: 'xy' | 'rz' }) {
  const build = useCallback((api: JsrootApi) => buildEventDisplayCanvas(api, { display, view }), [display, view]);
  return (
    <RootPlot
      testId={`event-display-${view}-plot`}
      label={`Hits of event ${display.eventId} by submitted track, ${view === 'xy' ? 'x–y' : 'r–z'} view`}
      build={build}
      isSquare={view === 'xy'}
      emptyMessage="No hits to show."
    />
  );
}
