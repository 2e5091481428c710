import { beforeAll, describe, expect, it } from 'vitest';
import { buildEventDisplayCanvas } from './build-event-display-canvas';
import { buildEventScoresCanvas } from './build-event-scores-canvas';
import { buildTrackingRateCanvas } from './build-tracking-rate-canvas';
import type { JsrootApi, RootCanvas, RootGraph, RootGraphAsymmErrors, RootHistogram, RootMultiGraph } from './jsroot-api';

// The same painters as in the browser, run by JSROOT's Node batch mode (jsdom) to render the built objects to SVG.
type JsrootModule = JsrootApi & { makeSVG(args: { object: object; option?: string; width: number; height: number }): Promise<string> };
let api: JsrootModule;

beforeAll(async () => {
  api = (await import('jsroot')) as unknown as JsrootModule;
});

const render = (canvas: RootCanvas | null) => {
  if (!canvas) throw new Error('expected a canvas');
  return api.makeSVG({ object: canvas, width: 640, height: 400 });
};
const graphsOf = <T,>(canvas: RootCanvas | null, at = 0) => (canvas?.fPrimitives.arr[at] as RootMultiGraph).fGraphs.arr as T[];

describe('JSROOT plots of a tracking submission', () => {
  it('draws the score of each event with their mean', async () => {
    const canvas = buildEventScoresCanvas(api, { eventId: [1020, 1023, 1030], score: [0.9, 0.6, 0.75] });
    const [points, mean] = graphsOf<RootGraph>(canvas);
    expect(points?.fX).toEqual([1020, 1023, 1030]);
    expect(mean?.fY).toEqual([0.75, 0.75]);
    const svg = await render(canvas);
    expect(svg).toContain('mean = 0.7500');
    expect(svg).not.toMatch(/NaN/);
    expect(buildEventScoresCanvas(api, { eventId: [], score: [] })).toBeNull();
  });

  it('draws efficiency and fake rate per bin with binomial errors, pT on a log axis, empty bins left out', async () => {
    const bins = { edges: [0.1, 1, 10, 100], reconstructable: [10, 0, 4], matched: [5, 0, 4], candidates: [8, 2, 0], fakes: [2, 1, 0] };
    const canvas = buildTrackingRateCanvas(api, { bins, variable: 'pt' });
    expect(canvas?.fLogx).toBe(1);
    const [efficiency, fakes] = graphsOf<RootGraphAsymmErrors>(canvas);
    expect(efficiency?.fY).toEqual([0.5, 1]);
    expect(efficiency?.fX[0]).toBeCloseTo(Math.sqrt(0.1), 12);
    expect(efficiency?.fEYlow[0]).toBeCloseTo(Math.sqrt(0.025), 12);
    expect(efficiency?.fEYhigh[1]).toBe(0);
    expect(fakes?.fY).toEqual([0.25, 0.5]);
    const svg = await render(canvas);
    expect(svg).toContain('efficiency');
    expect(svg).toContain('fake rate');
    const eta = buildTrackingRateCanvas(api, { bins: { ...bins, edges: [-1, 0, 1, 2] }, variable: 'eta' });
    expect(eta?.fLogx).toBe(0);
    expect(graphsOf<RootGraph>(eta)[0]?.fX).toEqual([-0.5, 1.5]);
    expect(buildTrackingRateCanvas(api, { bins: { edges: [0, 1], reconstructable: [0], matched: [0], candidates: [0], fakes: [0] }, variable: 'eta' })).toBeNull();
  });

  it('colours one event’s hits by submitted track in the x–y and r–z views, left-over hits grey', async () => {
    const display = {
      eventId: 1020,
      x: [30, 60, 90, -30, -60, -90, 5],
      y: [0, 1, 3, 0, -1, -3, 5],
      z: [10, 20, 30, -10, -20, -30, 0],
      track: [0, 0, 0, 1, 1, 1, 2],
      hits: 7,
      tracks: 3,
    };
    const xy = buildEventDisplayCanvas(api, { display, view: 'xy' });
    // An empty frame histogram first fixes equal x and y ranges; the hits are drawn on it.
    const frame = xy?.fPrimitives.arr[0] as RootHistogram;
    expect([frame.fXaxis.fXmin, frame.fXaxis.fXmax, frame.fMinimum, frame.fMaximum]).toEqual([-105, 105, -105, 105]);
    expect(xy?.fPrimitives.opt).toEqual(['AXIS', 'P']);
    const graphs = graphsOf<RootGraph>(xy, 1);
    expect(graphs.map((g) => g.fX.length)).toEqual([1, 3, 3]);
    expect(graphs[0]?.fMarkerColor).toBe(17);
    expect(graphs[1]?.fMarkerColor).not.toBe(graphs[2]?.fMarkerColor);
    const rz = buildEventDisplayCanvas(api, { display, view: 'rz' });
    const rzGraphs = graphsOf<RootGraph>(rz, 1);
    expect((rz?.fPrimitives.arr[0] as RootHistogram).fMinimum).toBe(0);
    expect(rzGraphs[1]?.fX).toEqual([10, 20, 30]);
    expect(rzGraphs[1]?.fY[2]).toBeCloseTo(Math.hypot(90, 3), 12);
    expect(await render(xy)).toContain('x [mm]');
    expect(await render(rz)).toContain('r [mm]');
  });
});
