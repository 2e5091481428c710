'use client';

import { useCallback } from 'react';
import type { BinaryScoreDetail } from '@/lib/shared/dto/score-detail-dto';
import { buildScoreDistributionCanvas } from './build-score-distribution-canvas';
import type { JsrootApi } from './jsroot-api';
import { RootPlot } from './root-plot';

/** Signal and background score distributions, each normalised to unit area, drawn with JSROOT. */
export function ScoreDistributionPlot({ histogram }: { histogram: BinaryScoreDetail['histogram'] }) {
  const build = useCallback((api: JsrootApi) => buildScoreDistributionCanvas(api, histogram), [histogram]);
  return <RootPlot testId="score-distribution-plot" label="Score distributions per class" build={build} emptyMessage="No scored events in this selection." />;
}
