import { beforeAll, describe, expect, it } from 'vitest';
import type { DisplayEventDto } from '@/lib/shared/display/display-objects';
import { fillHistogram1d } from '@/lib/shared/histograms/fill-histogram-1d';
import { fillHistogram2d } from '@/lib/shared/histograms/fill-histogram-2d';
import { groupTrainingRows } from '@/lib/shared/histograms/group-training-rows';
import type { FeatureHistogramDto } from '@/lib/shared/histograms/histogram-types';
import { buildEtaPhiViewCanvas, buildTransverseViewCanvas } from './build-event-display-canvases';
import { buildFeatureHistogramCanvas } from './build-feature-histogram-canvas';
import { buildHistogram2dCanvas } from './build-histogram-2d-canvas';
import { buildVariationRatioCanvas } from './build-variation-canvases';
import type { JsrootApi, RootCanvas, RootHistogram, RootStack } from './jsroot-api';

// The browser's painters, run by JSROOT's Node batch mode (jsdom) to render the built objects to SVG.
type JsrootModule = JsrootApi & { makeSVG(args: { object: object; option?: string; width: number; height: number }): Promise<string> };
let api: JsrootModule;
beforeAll(async () => {
  api = (await import('jsroot')) as unknown as JsrootModule;
});

const render = (canvas: RootCanvas | null) => {
  if (!canvas) throw new Error('expected a canvas');
  return api.makeSVG({ object: canvas, width: 640, height: 400 });
};

function histogramDto(): FeatureHistogramDto {
  const values = Float64Array.from([1, 2, 2, 3, 3, 3, -25, 8, 4, 4]);
  const weights = Float64Array.from([1, 1, 1, 2, 2, 2, 5, 1, 0.5, 0.5]);
  const labels = Uint8Array.from([0, 0, 0, 1, 1, 1, 0, 0, 1, 0]);
  const groups = groupTrainingRows(labels, ['z', 'z', 'tt', 'h', 'h', 'h', 'z', 'tt', 'h', 'z']);
  const binning = { bins: 5, min: 0, max: 5 };
  return {
    dataset: 'd', version: '1', table: 'train', feature: { name: 'x', unit: 'GeV', description: '' }, missingValue: -25, binning, isDefaultBinning: true,
    processes: fillHistogram1d(values, weights, groups.processes, binning, -25),
    classes: fillHistogram1d(values, weights, groups.classes, binning, -25),
    variation: {
      name: 'up', kind: 'parametrised', description: '', compared: '',
      nominal: fillHistogram1d(values, null, { index: new Uint8Array(10), names: ['all'], labels: [null] }, binning, -25)[0] as FeatureHistogramDto['processes'][number],
      varied: fillHistogram1d(values.map((v) => (v === -25 ? v : v + 1)), null, { index: new Uint8Array(10), names: ['all'], labels: [null] }, binning, -25)[0] as FeatureHistogramDto['processes'][number],
    },
    hist2d: {
      feature: { name: 'y', unit: '', description: '' }, binningX: binning, binningY: { bins: 2, min: 0, max: 10 },
      classes: fillHistogram2d(values, values.map((v) => v * 2), weights, groups.classes, binning, { bins: 2, min: 0, max: 10 }, -25),
    },
  };
}

describe('JSROOT plots of the explorer', () => {
  it('stacks the processes with the signal on top, bin contents = weights, the sentinel nowhere', async () => {
    const canvas = buildFeatureHistogramCanvas(api, histogramDto(), { mode: 'stack', logy: false });
    const stack = canvas?.fPrimitives.arr[0] as RootStack;
    const hists = stack.fHists.arr as RootHistogram[];
    expect(hists.map((h) => h.fName)).toEqual(['tt', 'z', 'h']);
    // z: x = 1 (w 1), 2 (w 1), 4 (w 0.5); the −25 row (w 5) is missing, not in any bin or flow.
    expect(Array.from((hists[1] as RootHistogram).fArray)).toEqual([0, 0, 1, 1, 0, 0.5, 0]);
    expect(hists[2]?.fFillColor).toBe(2);
    const svg = await render(canvas);
    expect(svg).toContain('<svg');
    expect((svg.match(/<path/g) ?? []).length).toBeGreaterThan(5);
  });

  it('normalises each class to unit area in the overlaid view, with log y from the smallest filled bin', async () => {
    const canvas = buildFeatureHistogramCanvas(api, histogramDto(), { mode: 'normalised', logy: true });
    expect(canvas?.fLogy).toBe(1);
    const [background, signal] = canvas?.fPrimitives.arr as RootHistogram[];
    for (const h of [background, signal]) expect(Array.from(h?.fArray ?? []).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(background?.fMinimum).toBeGreaterThan(0);
    await render(canvas);
  });

  it('draws the varied / nominal ratio with Poisson errors and leaves empty nominal bins empty', async () => {
    const canvas = buildVariationRatioCanvas(api, histogramDto());
    const ratio = canvas?.fPrimitives.arr[0] as RootHistogram & { fSumw2: number[] };
    // nominal counts per bin [0,1,2,3,2] (x = 8 overflows); varied = shifted by 1: [0,0,1,2,3].
    expect(Array.from(ratio.fArray).slice(1, 6)).toEqual([0, 0, 0.5, 2 / 3, 1.5]);
    expect(ratio.fSumw2[3]).toBeCloseTo((0.5 * Math.sqrt(1 / 2 + 1 / 1)) ** 2, 12);
    await render(canvas);
  });

  it('fills the TH2 cells at ROOT’s (x, y) positions with under/overflow borders', async () => {
    const dto = histogramDto();
    const canvas = buildHistogram2dCanvas(api, dto, dto.hist2d?.classes[1] as NonNullable<FeatureHistogramDto['hist2d']>['classes'][number]);
    const h = canvas?.fPrimitives.arr[0] as RootHistogram;
    // signal: x = 3 (w 2) ×3 → y = 6 → cell (3, 1); x = 4 (w 0.5) → y = 8 → cell (4, 1). Row stride nx + 2 = 7.
    expect(h.fArray[(1 + 1) * 7 + 3 + 1]).toBe(6);
    expect(h.fArray[(1 + 1) * 7 + 4 + 1]).toBe(0.5);
    expect(Array.from(h.fArray).reduce((a, b) => a + b, 0)).toBe(6.5);
    await render(canvas);
  });
});

describe('JSROOT event display', () => {
  const event: DisplayEventDto = {
    eventId: 42,
    objects: [
      { kind: 'lepton', pt: 30, eta: 0.5, phi: 1, m: 0 },
      { kind: 'tau', pt: 45, eta: -1, phi: -2, m: 0 },
      { kind: 'jet', pt: 80, eta: 2, phi: 0.2, m: 0 },
      { kind: 'met', pt: 25, eta: 0, phi: 3, m: 0 },
    ],
  };

  it('draws every object of the transverse view at (pT cos φ, pT sin φ), MET as an arrow, markers sized by pT', async () => {
    const canvas = buildTransverseViewCanvas(api, event);
    const arr = canvas.fPrimitives.arr as Array<{ _typename: string; fX?: number[]; fY?: number[]; fName?: string; fMarkerSize?: number; fX2?: number; fY2?: number }>;
    const markers = arr.filter((o) => o._typename === 'TGraph' && o.fX?.length === 1);
    expect(markers).toHaveLength(3);
    const jet = markers.find((m) => m.fName?.startsWith('jet'));
    expect(jet?.fX?.[0]).toBeCloseTo(80 * Math.cos(0.2), 9);
    expect(jet?.fName).toBe('jet: pT 80.0 GeV, φ 0.20, η 2.00');
    const lepton = markers.find((m) => m.fName?.startsWith('lepton'));
    expect(jet?.fMarkerSize).toBeGreaterThan(lepton?.fMarkerSize ?? Infinity);
    const arrow = arr.find((o) => o._typename === 'TArrow');
    expect(arrow?.fX2).toBeCloseTo(25 * Math.cos(3), 9);
    const svg = await render(canvas);
    expect(svg).toContain('<svg');
  });

  it('draws the η–φ view with MET as a line at its φ and a large-R jet with its R = 1 circle', async () => {
    const canvas = buildEtaPhiViewCanvas(api, { eventId: 1, objects: [...event.objects, { kind: 'large_r_jet', pt: 500, eta: 0.1, phi: 0.2, m: 170 }, { kind: 'cluster', pt: 100, eta: 0.3, phi: 0.1, m: 0 }] });
    const arr = canvas.fPrimitives.arr as Array<{ _typename: string; fY1?: number; fR1?: number }>;
    expect(arr.find((o) => o._typename === 'TLine')?.fY1).toBe(3);
    expect(arr.find((o) => o._typename === 'TEllipse')?.fR1).toBe(1);
    await render(canvas);
  });
});
