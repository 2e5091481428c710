'use client';

import { useCallback } from 'react';
import { buildRocCanvas, type RocAxis, type RocCurve } from './build-roc-canvas';
import type { JsrootApi } from './jsroot-api';
import { RootPlot } from './root-plot';

/** ROC curves (signal efficiency against background rejection or efficiency), drawn with JSROOT. */
export function RocPlot({ curves, axis }: { curves: RocCurve[]; axis: RocAxis }) {
  const build = useCallback((api: JsrootApi) => buildRocCanvas(api, { curves, axis }), [curves, axis]);
  return <RootPlot testId="roc-plot" label="ROC curve" build={build} emptyMessage="No ROC points were stored for this selection." />;
}
