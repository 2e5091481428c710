import type { FeatureHistogramDto, Histogram2dGroupDto } from '@/lib/shared/histograms/histogram-types';
import type { JsrootApi, RootCanvas } from './jsroot-api';
import { createCanvas } from './root-primitives';

/** One class's weighted 2D histogram of the two chosen features, drawn as colours ("colz"). Null when empty. */
export function buildHistogram2dCanvas(api: JsrootApi, dto: FeatureHistogramDto, group: Histogram2dGroupDto): RootCanvas | null {
  const hist2d = dto.hist2d;
  if (!hist2d || !(group.total[0] > 0)) return null;
  const { binningX, binningY } = hist2d;
  const h = api.createHistogram('TH2D', binningX.bins, binningY.bins);
  h.fName = group.name;
  h.fTitle = '';
  h.fBits |= 1 << 9;
  h.fXaxis.fXmin = binningX.min;
  h.fXaxis.fXmax = binningX.max;
  h.fYaxis.fXmin = binningY.min;
  h.fYaxis.fXmax = binningY.max;
  const title = (f: { name: string; unit: string }) => (f.unit && f.unit !== 'dimensionless' ? `${f.name} [${f.unit}]` : f.name);
  h.fXaxis.fTitle = title(dto.feature);
  h.fYaxis.fTitle = title(hist2d.feature);
  // TH2 content is (nx + 2) × (ny + 2) with under/overflow rows and columns; x varies fastest.
  const nx2 = binningX.bins + 2;
  for (let iy = 0; iy < binningY.bins; iy++) {
    for (let ix = 0; ix < binningX.bins; ix++) h.fArray[(iy + 1) * nx2 + ix + 1] = group.weights[iy * binningX.bins + ix] ?? 0;
  }
  h.fEntries = group.total[1];
  const canvas = createCanvas(api, [[h, 'colz']]);
  canvas.fRightMargin = 0.15;
  return canvas;
}
