import type { JsrootApi, RootCanvas, RootGraph, RootLegend } from './jsroot-api';

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
  canvas.fLeftMargin = 0.12;
  canvas.fRightMargin = 0.04;
  canvas.fTopMargin = 0.05;
  canvas.fBottomMargin = 0.13;
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
