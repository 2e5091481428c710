import type { FeatureHistogramDto } from '@/lib/shared/histograms/histogram-types';
import type { JsrootApi, RootCanvas, RootHistogram } from './jsroot-api';
import { toTh1 } from './build-feature-histogram-canvas';
import { createCanvas, createLegend } from './root-primitives';

type Variation = NonNullable<FeatureHistogramDto['variation']>;

/** Scale that makes each histogram's in-range content comparable: 1 for the same events, 1/N per sample otherwise. */
function scales(variation: Variation): [number, number] {
  if (variation.kind === 'parametrised') return [1, 1];
  const total = (g: Variation['nominal']) => Math.max(1, g.total[0] - g.missing[0]);
  return [1 / total(variation.nominal), 1 / total(variation.varied)];
}

/** Nominal and varied test-set histograms of the feature overlaid (unweighted event counts). */
export function buildVariationOverlayCanvas(api: JsrootApi, dto: FeatureHistogramDto, logy: boolean): RootCanvas | null {
  const variation = dto.variation;
  if (!variation) return null;
  const [sn, sv] = scales(variation);
  const nominal = toTh1(api, dto, { ...variation.nominal, name: 'nominal test set' }, sn);
  const varied = toTh1(api, dto, { ...variation.varied, name: variation.name }, sv);
  nominal.fLineColor = 1;
  nominal.fLineWidth = 2;
  varied.fLineColor = 2;
  varied.fLineWidth = 2;
  varied.fLineStyle = 2;
  const yTitle = variation.kind === 'parametrised' ? 'test events per bin' : 'fraction of the sample per bin';
  nominal.fYaxis.fTitle = yTitle;
  const peak = Math.max(...Array.from(nominal.fArray).slice(1, -1), ...Array.from(varied.fArray).slice(1, -1));
  nominal.fMaximum = logy ? peak * 5 : peak * 1.2;
  if (logy) nominal.fMinimum = 0.5 * Math.max(1e-6, Math.min(...Array.from(nominal.fArray).slice(1, -1).filter((v) => v > 0)));
  const legend = createLegend(api, [0.62, 0.8, 0.95, 0.93], [
    { object: nominal, label: 'nominal', option: 'l' },
    { object: varied, label: variation.name, option: 'l' },
  ]);
  return createCanvas(api, [[nominal, 'hist'], [varied, 'hist same'], [legend, '']], { logy });
}

/**
 * The ratio panel: varied / nominal per bin with its statistical error (both Poisson counts; bins empty in the
 * nominal are left at 0 with no error), around a line at 1.
 */
export function buildVariationRatioCanvas(api: JsrootApi, dto: FeatureHistogramDto): RootCanvas | null {
  const variation = dto.variation;
  if (!variation) return null;
  const [sn, sv] = scales(variation);
  const ratio = api.createHistogram('TH1D', dto.binning.bins);
  ratio.fName = 'ratio';
  ratio.fTitle = '';
  ratio.fBits |= 1 << 9;
  ratio.fXaxis.fXmin = dto.binning.min;
  ratio.fXaxis.fXmax = dto.binning.max;
  ratio.fXaxis.fTitle = dto.feature.unit && dto.feature.unit !== 'dimensionless' ? `${dto.feature.name} [${dto.feature.unit}]` : dto.feature.name;
  ratio.fYaxis.fTitle = `${variation.name} / nominal`;
  const sumw2 = new Array<number>(dto.binning.bins + 2).fill(0);
  let low = 1;
  let high = 1;
  for (let i = 0; i < dto.binning.bins; i++) {
    const n = (variation.nominal.weights[i] ?? 0) * sn;
    const v = (variation.varied.weights[i] ?? 0) * sv;
    if (!(n > 0)) continue;
    const r = v / n;
    // Relative errors of two independent counts added in quadrature.
    const relative = Math.sqrt(1 / Math.max(1, variation.nominal.entries[i] ?? 0) + 1 / Math.max(1, variation.varied.entries[i] ?? 0));
    ratio.fArray[i + 1] = r;
    sumw2[i + 1] = (r * relative) ** 2;
    if (v > 0) {
      low = Math.min(low, r * (1 - relative));
      high = Math.max(high, r * (1 + relative));
    }
  }
  (ratio as RootHistogram & { fSumw2: number[] }).fSumw2 = sumw2;
  ratio.fEntries = dto.binning.bins;
  const span = Math.max(0.02, Math.min(1, Math.max(1 - low, high - 1)));
  ratio.fMinimum = 1 - span * 1.2;
  ratio.fMaximum = 1 + span * 1.2;
  ratio.fMarkerStyle = 20;
  ratio.fMarkerSize = 0.7;
  ratio.fLineColor = 2;
  ratio.fMarkerColor = 2;
  const one = api.create('TLine');
  one.fX1 = dto.binning.min;
  one.fX2 = dto.binning.max;
  one.fY1 = 1;
  one.fY2 = 1;
  one.fLineStyle = 2;
  one.fLineColor = 14;
  return createCanvas(api, [[ratio, 'E1 P'], [one, '']], { grid: true });
}
