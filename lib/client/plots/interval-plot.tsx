'use client';

import { useCallback } from 'react';
import type { IntervalScoreDetail } from '@/lib/shared/dto/score-detail-dto';
import { buildIntervalCanvas } from './build-interval-canvas';
import type { JsrootApi } from './jsroot-api';
import { RootPlot } from './root-plot';

/** The submitted interval of each pseudo-experiment, ordered by μ̂ (true μ once revealed), drawn with JSROOT. */
export function IntervalPlot({ pe }: { pe: IntervalScoreDetail['pe'] }) {
  const build = useCallback((api: JsrootApi) => buildIntervalCanvas(api, pe), [pe]);
  return <RootPlot testId="interval-plot" label="Submitted intervals per pseudo-experiment" build={build} emptyMessage="No pseudo-experiments in this selection." />;
}
