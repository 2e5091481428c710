import type { JsrootApi, RootCanvas, RootGraph } from './jsroot-api';
import { createCanvas, createLegend, createLineGraph, rootColors, rootLineStyles } from './root-primitives';

export type RocCurve = { label: string; tpr: number[]; fpr: number[]; isReference?: boolean };

/** "rejection": 1/ε_B against ε_S on a log scale (the HEP convention); "fpr": ε_B against ε_S. */
export type RocAxis = 'rejection' | 'fpr';

const palette = [rootColors.blue, rootColors.red, 8, 6, 7, 28];

/**
 * The ROC curves as a TMultiGraph of signal efficiency (true-positive rate) against background rejection 1/ε_B or
 * the false-positive rate ε_B, with the random-guess line (ε_B = ε_S) for scale. Reference curves are black and dashed. Points
 * with ε_B = 0 have no finite rejection and are left out of the rejection view. Null when no curve has a point.
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
      x.push(tpr);
      y.push(isRejection ? 1 / fpr : fpr);
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
  multi.fTitle = isRejection
    ? ';signal efficiency #varepsilon_{S};background rejection 1/#varepsilon_{B}'
    : ';signal efficiency #varepsilon_{S};background efficiency #varepsilon_{B}';
  if (!isRejection) {
    multi.fMinimum = 0;
    multi.fMaximum = 1;
  }
  const rows = graphs.length + 1;
  const legend = createLegend(
    api,
    isRejection ? [0.55, 0.93 - 0.07 * rows, 0.94, 0.93] : [0.16, 0.93 - 0.07 * rows, 0.55, 0.93],
    [...graphs.map((g) => ({ object: g.graph, label: g.label, option: 'l' })), { object: random, label: 'random guess', option: 'l' }],
  );
  return createCanvas(api, [[multi, 'A'], [legend, '']], { logy: isRejection, grid: !isRejection });
}
