import type { JsrootApi, RootCanvas } from './jsroot-api';
import { createCanvas, createLegend, createLineGraph, rootColors, rootLineStyles } from './root-primitives';

/**
 * The TrackML score of every event of a split as markers (x: event id), with the mean (the challenge score) as a
 * dashed line across them. Null when there are no events.
 */
export function buildEventScoresCanvas(api: JsrootApi, input: { eventId: number[]; score: number[] }): RootCanvas | null {
  const n = input.eventId.length;
  if (n === 0) return null;
  const points = api.createTGraph(n, [...input.eventId], [...input.score]);
  points.fName = 'event_scores';
  points.fTitle = 'event scores';
  points.fMarkerStyle = 20;
  points.fMarkerSize = n > 100 ? 0.5 : 0.9;
  points.fMarkerColor = rootColors.blue;
  points.fLineColor = rootColors.blue;
  const mean = input.score.reduce((a, b) => a + b, 0) / n;
  const first = input.eventId[0] as number;
  const last = input.eventId[n - 1] as number;
  const pad = Math.max(0.5, (last - first) * 0.02);
  const line = createLineGraph(api, [first - pad, last + pad], [mean, mean], { name: `mean ${mean.toFixed(4)}`, color: rootColors.red, lineStyle: rootLineStyles.dashed });
  const multi = api.createTMultiGraph(points, line);
  multi.fGraphs.opt = ['P', 'L'];
  multi.fTitle = ';event id;TrackML score';
  // Room above 1 for the legend, so it never covers a point.
  multi.fMinimum = 0;
  multi.fMaximum = 1.3;
  const legend = createLegend(api, [0.15, 0.8, 0.6, 0.93], [
    { object: points, label: 'score of each event', option: 'p' },
    { object: line, label: `mean = ${mean.toFixed(4)}`, option: 'l' },
  ]);
  return createCanvas(api, [[multi, 'A'], [legend, '']], { grid: true });
}
