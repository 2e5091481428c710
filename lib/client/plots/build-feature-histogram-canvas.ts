import type { FeatureHistogramDto, HistogramGroupDto } from '@/lib/shared/histograms/histogram-types';
import type { JsrootApi, RootCanvas, RootHistogram } from './jsroot-api';
import { createCanvas, createLegend } from './root-primitives';

/** ROOT's TH1::kNoStats bit: no statistics box. */
const kNoStats = 1 << 9;

/** Fill colours per process, signal-like last (ROOT palette indices: kAzure-9, kOrange-3, kGreen-6, kViolet-9, …; kRed for signal). */
const backgroundColors = [856, 797, 410, 871, 390, 606, 428, 921];
const signalColor = 2;

export type FeaturePlotMode = 'stack' | 'normalised';

function axisTitle(dto: Pick<FeatureHistogramDto, 'feature'>): string {
  return dto.feature.unit && dto.feature.unit !== 'dimensionless' ? `${dto.feature.name} [${dto.feature.unit}]` : dto.feature.name;
}

/** A TH1D over the binning with the group's contents (× scale) and √Σw² errors. */
export function toTh1(api: JsrootApi, dto: Pick<FeatureHistogramDto, 'binning' | 'feature'>, group: HistogramGroupDto, scale = 1): RootHistogram {
  const { bins, min, max } = dto.binning;
  const h = api.createHistogram('TH1D', bins);
  h.fName = group.name;
  // Legends name the groups; a title would be drawn above the frame.
  h.fTitle = '';
  h.fBits |= kNoStats;
  h.fXaxis.fXmin = min;
  h.fXaxis.fXmax = max;
  h.fXaxis.fTitle = axisTitle(dto);
  const sumw2 = new Array<number>(bins + 2).fill(0);
  for (let i = 0; i < bins; i++) {
    h.fArray[i + 1] = (group.weights[i] ?? 0) * scale;
    sumw2[i + 1] = (group.sumw2[i] ?? 0) * scale * scale;
  }
  // Under- and overflow are ROOT's bins 0 and n+1; the missing-value sentinel is not in the histogram at all.
  h.fArray[0] = group.underflow[0] * scale;
  h.fArray[bins + 1] = group.overflow[0] * scale;
  (h as RootHistogram & { fSumw2: number[] }).fSumw2 = sumw2;
  h.fEntries = group.total[1] - group.missing[1];
  return h;
}

/**
 * The main explorer plot: the processes stacked (weighted: the height of the stack is the expected number of events
 * per bin), or the classes overlaid and each normalised to unit area (shapes compared whatever the yields). Null
 * when nothing has weight in range.
 */
export function buildFeatureHistogramCanvas(api: JsrootApi, dto: FeatureHistogramDto, options: { mode: FeaturePlotMode; logy: boolean }): RootCanvas | null {
  const yTitle = options.mode === 'stack' ? 'expected events per bin' : 'fraction of the class per bin';
  if (options.mode === 'stack') {
    const groups = dto.processes.filter((g) => g.total[0] > 0);
    if (groups.length === 0) return null;
    let backgroundIndex = 0;
    const histograms = groups.map((g) => {
      const h = toTh1(api, dto, g);
      const color = g.label === 1 ? signalColor : (backgroundColors[backgroundIndex++ % backgroundColors.length] as number);
      h.fFillColor = color;
      h.fFillStyle = 1001;
      h.fLineColor = 1;
      h.fLineWidth = 1;
      h.fYaxis.fTitle = yTitle;
      return h;
    });
    const stack = api.createTHStack(...histograms);
    stack.fName = 'stack';
    // The axis titles come from the first histogram; a stack title would be drawn above the frame.
    stack.fTitle = '';
    if (options.logy) stack.fMinimum = minimumPositive(histograms) * 0.5;
    const legend = createLegend(api, [0.68, 0.93 - 0.055 * histograms.length, 0.95, 0.93], [...histograms].reverse().map((h) => ({ object: h, label: h.fName, option: 'f' })));
    return createCanvas(api, [[stack, 'hist'], [legend, '']], { logy: options.logy });
  }
  const classes = dto.classes.filter((g) => g.total[0] > 0);
  if (classes.length === 0) return null;
  const histograms = classes.map((g) => {
    const inRange = g.weights.reduce((a, b) => a + b, 0) + g.underflow[0] + g.overflow[0];
    const h = toTh1(api, dto, g, inRange > 0 ? 1 / inRange : 1);
    const color = g.label === 1 ? signalColor : 4;
    h.fLineColor = color;
    h.fLineWidth = 2;
    h.fFillColor = color;
    h.fFillStyle = g.label === 1 ? 3004 : 3005;
    h.fYaxis.fTitle = yTitle;
    return h;
  });
  const first = histograms[0] as RootHistogram;
  const peak = Math.max(...histograms.flatMap((h) => Array.from(h.fArray).slice(1, -1)));
  first.fMaximum = options.logy ? peak * 5 : peak * 1.25;
  first.fMinimum = options.logy ? minimumPositive(histograms) * 0.5 : 0;
  const legend = createLegend(api, [0.7, 0.8, 0.95, 0.93], histograms.map((h) => ({ object: h, label: h.fName, option: 'lf' })));
  return createCanvas(api, [...histograms.map((h, k): [object, string] => [h, k === 0 ? 'hist' : 'hist same']), [legend, '']], { logy: options.logy });
}

function minimumPositive(histograms: RootHistogram[]): number {
  let min = Infinity;
  for (const h of histograms) for (let i = 1; i < h.fArray.length - 1; i++) if ((h.fArray[i] as number) > 0) min = Math.min(min, h.fArray[i] as number);
  return Number.isFinite(min) ? min : 1e-3;
}
