'use client';

import { useCallback } from 'react';
import type { IntervalScoreDetail } from '@/lib/shared/dto/score-detail-dto';
import { buildCoverageCanvas } from './build-coverage-canvas';
import type { JsrootApi } from './jsroot-api';
import { RootPlot } from './root-plot';

/** Coverage per bin of true μ with the 68.27 % target line, drawn with JSROOT. */
export function CoveragePlot({ coverageByMu, targetCoverage }: { coverageByMu: IntervalScoreDetail['coverageByMu']; targetCoverage: number }) {
  const build = useCallback(
    (api: JsrootApi) => buildCoverageCanvas(api, { edges: coverageByMu.edges, coverage: coverageByMu.coverage, count: coverageByMu.count, targetCoverage }),
    [coverageByMu, targetCoverage],
  );
  return <RootPlot testId="coverage-plot" label="Coverage per true μ bin" build={build} emptyMessage="No pseudo-experiments in this selection." />;
}
