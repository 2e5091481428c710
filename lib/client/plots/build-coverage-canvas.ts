import type { JsrootApi, RootCanvas } from './jsroot-api';
import { createAxisFrame, createCanvas, createLegend, createLineGraph, paddedRange, rootColors, rootLineStyles } from './root-primitives';

/**
 * Coverage per bin of true μ as a TGraphAsymmErrors (horizontal bar: the bin; vertical: the binomial error
 * sqrt(c(1 − c)/n), clipped to [0, 1]) with the target coverage as a dashed line across the range. Empty bins (null
 * coverage) are left out; null when every bin is empty.
 */
export function buildCoverageCanvas(
  api: JsrootApi,
  input: { edges: number[]; coverage: (number | null)[]; count: number[]; targetCoverage: number },
): RootCanvas | null {
  const points = api.create('TGraphAsymmErrors');
  points.fName = 'coverage';
  points.fTitle = 'coverage';
  input.coverage.forEach((c, k) => {
    const lo = input.edges[k];
    const hi = input.edges[k + 1];
    const n = input.count[k] ?? 0;
    if (c === null || lo === undefined || hi === undefined || n <= 0) return;
    const error = Math.sqrt((c * (1 - c)) / n);
    points.fX.push((lo + hi) / 2);
    points.fY.push(c);
    points.fEXlow.push((hi - lo) / 2);
    points.fEXhigh.push((hi - lo) / 2);
    points.fEYlow.push(Math.min(error, c));
    points.fEYhigh.push(Math.min(error, 1 - c));
  });
  points.fNpoints = points.fX.length;
  if (points.fNpoints === 0) return null;
  points.fMarkerStyle = 20;
  points.fMarkerColor = rootColors.blue;
  points.fLineColor = rootColors.blue;

  const from = input.edges[0] as number;
  const to = input.edges.at(-1) as number;
  const percent = (input.targetCoverage * 100).toFixed(2);
  const target = createLineGraph(api, [from, to], [input.targetCoverage, input.targetCoverage], {
    name: `target ${percent} %`,
    color: rootColors.red,
    lineStyle: rootLineStyles.dashed,
  });
  const multi = api.createTMultiGraph(points, target);
  multi.fGraphs.opt = ['P', 'L'];
  const [xMin, xMax] = paddedRange([from, to]);
  multi.fHistogram = createAxisFrame(api, { xMin, xMax, titles: { x: '#mu_{true}', y: 'coverage of [p16, p84]' } });
  multi.fMinimum = 0;
  multi.fMaximum = 1.05;
  const legend = createLegend(api, [0.55, 0.16, 0.94, 0.32], [
    { object: points, label: 'coverage per #mu_{true} bin', option: 'pe' },
    { object: target, label: `target ${percent} %`, option: 'l' },
  ]);
  return createCanvas(api, [[multi, 'A'], [legend, '']], { grid: true });
}
