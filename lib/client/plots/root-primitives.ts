import type { JsrootApi, RootCanvas, RootGraph, RootHistogram, RootLegend } from './jsroot-api';

/** ROOT colour indices used by every plot: kBlack, kRed, kBlue, kGray+1. */
export const rootColors = { black: 1, red: 2, blue: 4, gray: 14 } as const;

/** ROOT line styles. */
export const rootLineStyles = { solid: 1, dashed: 2, dotted: 3 } as const;

/** A canvas whose primitives are drawn in order by one `draw` call (the first one makes the frame and axes). */
export function createCanvas(api: JsrootApi, primitives: Array<[object, string]>, options: { logy?: boolean; grid?: boolean } = {}): RootCanvas {
  const canvas = api.create('TCanvas');
  canvas.fLogy = options.logy ? 1 : 0;
  canvas.fGridx = options.grid ? 1 : 0;
  canvas.fGridy = options.grid ? 1 : 0;
  // Room for the tick labels and, beyond them, the axis titles (see styleAxisTitles).
  canvas.fLeftMargin = 0.16;
  canvas.fRightMargin = 0.04;
  canvas.fTopMargin = 0.05;
  canvas.fBottomMargin = 0.15;
  for (const [obj, option] of primitives) canvas.fPrimitives.Add(obj, option);
  return canvas;
}

/** A legend box at NDC coordinates [x1, y1, x2, y2]; `option` per entry: "l" line, "f" fill, "p" marker, "e" error. */
export function createLegend(api: JsrootApi, box: [number, number, number, number], entries: Array<{ object: object; label: string; option: string }>): RootLegend {
  const legend = api.create('TLegend');
  [legend.fX1NDC, legend.fY1NDC, legend.fX2NDC, legend.fY2NDC] = box;
  legend.fTextSize = 0.04;
  legend.fTextAlign = 12;
  legend.fBorderSize = 0;
  legend.fFillStyle = 0;
  for (const { object, label, option } of entries) {
    const entry = api.create('TLegendEntry');
    entry.fObject = object;
    entry.fLabel = label;
    entry.fOption = option;
    legend.fPrimitives.Add(entry);
  }
  return legend;
}

/** A line graph through (x, y) in one colour and style. */
export function createLineGraph(api: JsrootApi, x: number[], y: number[], style: { name: string; color: number; lineStyle?: number; lineWidth?: number }): RootGraph {
  const graph = api.createTGraph(x.length, x, y);
  graph.fName = style.name;
  graph.fTitle = style.name;
  graph.fLineColor = style.color;
  graph.fLineStyle = style.lineStyle ?? rootLineStyles.solid;
  graph.fLineWidth = style.lineWidth ?? 2;
  graph.fMarkerColor = style.color;
  graph.fFillStyle = 0;
  return graph;
}

/** TAxis::kCenterTitle. */
const kCenterTitle = 1 << 12;

/**
 * Axis titles centred along their axis and set off from the tick labels: at ROOT's default offset the titles of a
 * small canvas run into the labels (long ones like "1/ε_B" also off its end).
 */
export function styleAxisTitles(histogram: RootHistogram, titles: { x: string; y: string }): RootHistogram {
  histogram.fXaxis.fTitle = titles.x;
  histogram.fYaxis.fTitle = titles.y;
  histogram.fXaxis.fTitleOffset = 1.25;
  histogram.fYaxis.fTitleOffset = 1.6;
  histogram.fXaxis.fBits |= kCenterTitle;
  histogram.fYaxis.fBits |= kCenterTitle;
  return histogram;
}

/**
 * The frame of a TMultiGraph (given as its fHistogram) spanning [xMin, xMax] with styled axis titles; the y range is
 * the multigraph's fMinimum/fMaximum, or what JSROOT finds in the graphs when those are unset.
 */
export function createAxisFrame(api: JsrootApi, input: { xMin: number; xMax: number; titles: { x: string; y: string } }): RootHistogram {
  const frame = api.createHistogram('TH1D', 100);
  frame.fName = 'frame';
  frame.fTitle = '';
  frame.fXaxis.fXmin = input.xMin;
  frame.fXaxis.fXmax = input.xMax;
  return styleAxisTitles(frame, input.titles);
}

/** [min − 5 %, max + 5 %] of the values, as JSROOT pads a frame, or [0, 1] without values. */
export function paddedRange(values: number[]): [number, number] {
  if (values.length === 0) return [0, 1];
  const min = Math.min(...values);
  const max = Math.max(...values);
  const pad = max > min ? 0.05 * (max - min) : 0.5;
  return [min - pad, max + pad];
}
