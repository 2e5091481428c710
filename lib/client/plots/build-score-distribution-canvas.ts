import type { JsrootApi, RootCanvas, RootHistogram } from './jsroot-api';
import { createCanvas, createLegend, rootColors, styleAxisTitles } from './root-primitives';

/** ROOT's TH1::kNoStats bit: no statistics box. */
const kNoStats = 1 << 9;

/**
 * Signal and background score distributions overlaid as two TH1D on the stored bin edges, each normalised to unit
 * area (fraction of the class's weight per bin), so the shapes compare whatever the yields. A class without weight is
 * left out; null when both are empty.
 */
export function buildScoreDistributionCanvas(api: JsrootApi, input: { edges: number[]; signal: number[]; background: number[] }): RootCanvas | null {
  const bins = input.edges.length - 1;
  if (bins < 1) return null;
  const classes = [
    { name: 'background', values: input.background, color: rootColors.blue, fillStyle: 3005 },
    { name: 'signal', values: input.signal, color: rootColors.red, fillStyle: 3004 },
  ];
  const histograms: Array<{ histogram: RootHistogram; label: string }> = [];
  for (const c of classes) {
    const total = c.values.reduce((sum, v) => sum + v, 0);
    if (!(total > 0)) continue;
    const h = api.createHistogram('TH1D', bins);
    h.fName = c.name;
    h.fTitle = '';
    h.fBits |= kNoStats;
    h.fXaxis.fXmin = input.edges[0] as number;
    h.fXaxis.fXmax = input.edges[bins] as number;
    if (!isEvenlySpaced(input.edges)) h.fXaxis.fXbins = [...input.edges];
    styleAxisTitles(h, { x: 'score', y: 'fraction of class weight per bin' });
    // fArray[0] and fArray[bins + 1] are ROOT's under- and overflow bins.
    for (let i = 0; i < bins; i++) h.fArray[i + 1] = (c.values[i] ?? 0) / total;
    h.fEntries = bins;
    h.fLineColor = c.color;
    h.fLineWidth = 2;
    h.fFillColor = c.color;
    h.fFillStyle = c.fillStyle;
    histograms.push({ histogram: h, label: c.name });
  }
  const first = histograms[0];
  if (!first) return null;
  // The first histogram sets the frame: make room for the taller of the two and for the legend.
  first.histogram.fMinimum = 0;
  first.histogram.fMaximum = 1.2 * Math.max(...histograms.flatMap((h) => Array.from(h.histogram.fArray)));
  const legend = createLegend(
    api,
    [0.4, 0.8, 0.64, 0.93],
    histograms.map((h) => ({ object: h.histogram, label: h.label, option: 'lf' })),
  );
  return createCanvas(api, [...histograms.map((h, k): [object, string] => [h.histogram, k === 0 ? 'hist' : 'hist same']), [legend, '']]);
}

function isEvenlySpaced(edges: number[]): boolean {
  const step = ((edges.at(-1) as number) - (edges[0] as number)) / (edges.length - 1);
  return edges.every((e, i) => Math.abs(e - ((edges[0] as number) + i * step)) <= 1e-9 * Math.max(1, Math.abs(e)));
}
