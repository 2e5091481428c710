import type { JsrootApi, RootCanvas, RootGraph } from './jsroot-api';
import { createAxisFrame, createCanvas, createLegend, createLineGraph, rootColors, rootLineStyles } from './root-primitives';

export type RocCurve = { label: string; tpr: number[]; fpr: number[]; isReference?: boolean };

/**
 * The two conventions every ROC plot offers (the submission page and the training page alike):
 * "rejection", background rejection 1/ε_B against signal efficiency ε_S on a log scale (the HEP convention, the one
 * the rejection metrics are read off); "roc", true-positive rate ε_S against false-positive rate ε_B (the usual ML
 * curve, whose area is the AUC).
 */
export type RocAxis = 'rejection' | 'roc';

export const rocAxisOptions: ReadonlyArray<{ value: RocAxis; label: string }> = [
  { value: 'rejection', label: 'background rejection 1/εB vs signal efficiency εS (HEP, log scale)' },
  { value: 'roc', label: 'true-positive rate εS vs false-positive rate εB (ROC, area = AUC)' },
];

const palette = [rootColors.blue, rootColors.red, 8, 6, 7, 28];

/**
 * The ROC curves as a TMultiGraph, in either convention of {@link RocAxis}, with the random-guess line (ε_B = ε_S) for
 * scale. Reference curves are black and dashed. Points with ε_B = 0 have no finite rejection and are left out of the
 * rejection view. Null when no curve has a point.
 */
export function buildRocCanvas(api: JsrootApi, input: { curves: RocCurve[]; axis: RocAxis }): RootCanvas | null {
  const isRejection = input.axis === 'rejection';
  const graphs: Array<{ graph: RootGraph; label: string; isReference: boolean }> = [];
  for (const curve of input.curves) {
    const x: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < Math.min(curve.tpr.length, curve.fpr.length); i++) {
      const tpr = curve.tpr[i] as number;
      const fpr = curve.fpr[i] as number;
      if (isRejection && (fpr <= 0 || tpr <= 0)) continue;
      x.push(isRejection ? tpr : fpr);
      y.push(isRejection ? 1 / fpr : tpr);
    }
    if (x.length === 0) continue;
    const color = curve.isReference ? rootColors.black : (palette[graphs.filter((g) => !g.isReference).length % palette.length] as number);
    const lineStyle = curve.isReference ? rootLineStyles.dashed : rootLineStyles.solid;
    graphs.push({ graph: createLineGraph(api, x, y, { name: curve.label, color, lineStyle }), label: curve.label, isReference: curve.isReference ?? false });
  }
  if (graphs.length === 0) return null;

  const randomX = isRejection ? Array.from({ length: 50 }, (_, i) => (i + 1) / 50) : [0, 1];
  const random = createLineGraph(api, randomX, isRejection ? randomX.map((x) => 1 / x) : randomX, {
    name: 'random guess',
    color: rootColors.gray,
    lineStyle: rootLineStyles.dotted,
    lineWidth: 2,
  });
  const multi = api.createTMultiGraph(...graphs.map((g) => g.graph), random);
  multi.fGraphs.opt = multi.fGraphs.arr.map(() => 'L');
  multi.fHistogram = createAxisFrame(api, {
    xMin: 0,
    xMax: 1,
    titles: isRejection
      ? { x: 'signal efficiency #varepsilon_{S}', y: 'background rejection 1/#varepsilon_{B}' }
      : { x: 'false-positive rate #varepsilon_{B}', y: 'true-positive rate #varepsilon_{S}' },
  });
  if (!isRejection) {
    multi.fMinimum = 0;
    multi.fMaximum = 1;
  }
  const rows = graphs.length + 1;
  // Clear of the curves: top right above the falling rejection curve, bottom right under a rising ROC curve.
  const legend = createLegend(
    api,
    isRejection ? [0.55, 0.93 - 0.07 * rows, 0.94, 0.93] : [0.5, 0.2, 0.94, 0.2 + 0.07 * rows],
    [...graphs.map((g) => ({ object: g.graph, label: g.label, option: 'l' })), { object: random, label: 'random guess', option: 'l' }],
  );
  return createCanvas(api, [[multi, 'A'], [legend, '']], { logy: isRejection, grid: !isRejection });
}
