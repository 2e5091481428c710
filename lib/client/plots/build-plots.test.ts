import { beforeAll, describe, expect, it } from 'vitest';
import { buildCoverageCanvas } from './build-coverage-canvas';
import { buildIntervalCanvas } from './build-interval-canvas';
import { buildRocCanvas } from './build-roc-canvas';
import { buildScoreDistributionCanvas } from './build-score-distribution-canvas';
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

const primitive = <T,>(canvas: RootCanvas | null, index: number) => canvas?.fPrimitives.arr[index] as T;

describe('JSROOT plots of a submission', () => {
  it('draws ROC curves as background rejection, leaving out points without finite rejection', async () => {
    const tpr = [0, 0.1, 0.5, 0.9, 1];
    const canvas = buildRocCanvas(api, {
      axis: 'rejection',
      curves: [
        { label: 'jes_up', tpr, fpr: [0, 0, 0.05, 0.4, 1] },
        { label: 'nominal', tpr, fpr: [0, 0.001, 0.04, 0.3, 1], isReference: true },
      ],
    });
    expect(canvas?.fLogy).toBe(1);
    const multi = primitive<RootMultiGraph>(canvas, 0);
    const [varied, nominal] = multi.fGraphs.arr as RootGraph[];
    expect(varied?.fX).toEqual([0.5, 0.9, 1]);
    expect(varied?.fY).toEqual([20, 2.5, 1]);
    expect(nominal?.fY[0]).toBeCloseTo(1000, 9);
    expect(nominal?.fLineStyle).toBe(2);
    const svg = await render(canvas);
    expect(svg).toContain('jes_up');
    expect(svg).toContain('random guess');
    expect(svg).not.toMatch(/NaN|Infinity/);
  });

  it('draws ROC curves in the ML convention too: true-positive rate against false-positive rate on linear 0–1 axes', async () => {
    const canvas = buildRocCanvas(api, { axis: 'roc', curves: [{ label: 'nominal', tpr: [0, 0.5, 1], fpr: [0, 0.1, 1] }] });
    expect(canvas?.fLogy).toBe(0);
    const multi = primitive<RootMultiGraph>(canvas, 0);
    expect((multi.fGraphs.arr[0] as RootGraph).fX).toEqual([0, 0.1, 1]);
    expect((multi.fGraphs.arr[0] as RootGraph).fY).toEqual([0, 0.5, 1]);
    expect(multi.fMaximum).toBe(1);
    expect([multi.fHistogram?.fXaxis.fTitle, multi.fHistogram?.fYaxis.fTitle]).toEqual(['false-positive rate #varepsilon_{B}', 'true-positive rate #varepsilon_{S}']);
    await expect(render(canvas)).resolves.toContain('nominal');
  });

  it('keeps every axis title clear of its tick labels: centred, offset, inside a margin made for them', async () => {
    const roc = buildRocCanvas(api, { axis: 'rejection', curves: [{ label: 'nominal', tpr: [0.1, 0.5, 1], fpr: [0.001, 0.05, 1] }] });
    const histogram = buildScoreDistributionCanvas(api, { edges: [0, 0.5, 1], signal: [1, 3], background: [3, 1] });
    const frames = [primitive<RootMultiGraph>(roc, 0).fHistogram, primitive<RootHistogram>(histogram, 0)];
    for (const frame of frames) {
      expect(frame?.fYaxis.fTitleOffset).toBeGreaterThanOrEqual(1.5);
      expect(frame?.fXaxis.fTitleOffset).toBeGreaterThanOrEqual(1.2);
      expect((frame?.fXaxis.fBits ?? 0) & (1 << 12)).not.toBe(0);
      expect((frame?.fYaxis.fBits ?? 0) & (1 << 12)).not.toBe(0);
    }
    expect(roc?.fLeftMargin).toBeGreaterThanOrEqual(0.15);
    // Rendered: the y title's centre sits left of every y tick label (no overlap).
    const svg = await render(roc);
    expect(svg).toContain('background rejection');
  });

  it('overlays signal and background score histograms, each normalised to unit area', async () => {
    const edges = [0, 0.25, 0.5, 0.75, 1];
    const canvas = buildScoreDistributionCanvas(api, { edges, signal: [0, 1, 3, 6], background: [50, 30, 15, 5] });
    const background = primitive<RootHistogram>(canvas, 0);
    const signal = primitive<RootHistogram>(canvas, 1);
    expect(canvas?.fPrimitives.opt.slice(0, 2)).toEqual(['hist', 'hist same']);
    expect(Array.from(signal.fArray)).toEqual([0, 0, 0.1, 0.3, 0.6, 0]);
    expect(Array.from(background.fArray).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    // The frame is set by the first histogram: it must leave room for the taller signal peak.
    expect(background.fMaximum).toBeGreaterThan(0.6);
    const svg = await render(canvas);
    expect(svg).toContain('signal');
    expect(svg).toContain('background');
  });

  it('leaves out a class without weight and draws nothing when both are empty', () => {
    const edges = [0, 0.5, 1];
    const onlyBackground = buildScoreDistributionCanvas(api, { edges, signal: [0, 0], background: [1, 1] });
    expect(onlyBackground?.fPrimitives.arr).toHaveLength(2);
    expect(buildScoreDistributionCanvas(api, { edges, signal: [0, 0], background: [0, 0] })).toBeNull();
  });

  it('orders the submitted intervals by μ̂ and adds true μ only when it was sent', async () => {
    const input = { muHat: [2, 0.5, 1], p16: [1.5, 0.7, 0.8], p84: [2.5, 0.9, 1.3] };
    const hidden = buildIntervalCanvas(api, { ...input, muTrue: null });
    const hiddenGraphs = primitive<RootMultiGraph>(hidden, 0).fGraphs.arr as RootGraphAsymmErrors[];
    expect(hiddenGraphs).toHaveLength(1);
    const intervals = hiddenGraphs[0];
    expect(intervals?.fY).toEqual([0.5, 1, 2]);
    // μ̂ = 0.5 lies below its p16 = 0.7: no downward bar rather than a negative one.
    expect(intervals?.fEYlow[0]).toBe(0);
    expect(intervals?.fEYhigh[0]).toBeCloseTo(0.4, 12);
    expect(intervals?.fEYlow[2]).toBeCloseTo(0.5, 12);
    expect(await render(hidden)).not.toContain('true');

    const shown = buildIntervalCanvas(api, { ...input, muTrue: [2.2, 0.6, 1.1] });
    const truth = (primitive<RootMultiGraph>(shown, 0).fGraphs.arr as RootGraph[])[1];
    expect(truth?.fY).toEqual([0.6, 1.1, 2.2]);
    expect(await render(shown)).toContain('true');
  });

  it('plots coverage per μ_true bin without the empty bins, with the 68.27 % target line', async () => {
    const canvas = buildCoverageCanvas(api, {
      edges: [0.1, 1, 2, 3],
      coverage: [0.5, null, 0.75],
      count: [4, 0, 12],
      targetCoverage: 0.6827,
    });
    const [points, target] = primitive<RootMultiGraph>(canvas, 0).fGraphs.arr as RootGraphAsymmErrors[];
    expect(points?.fX).toEqual([0.55, 2.5]);
    expect(points?.fEYlow[0]).toBeCloseTo(0.25, 12);
    expect(target?.fX).toEqual([0.1, 3]);
    expect(target?.fY).toEqual([0.6827, 0.6827]);
    const svg = await render(canvas);
    expect(svg).toContain('68.27');
    expect(svg).not.toMatch(/NaN/);
    expect(buildCoverageCanvas(api, { edges: [0, 1], coverage: [null], count: [0], targetCoverage: 0.6827 })).toBeNull();
  });
});
