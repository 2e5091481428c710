import type { TrackingBins } from '@/lib/shared/dto/score-detail-dto';
import type { JsrootApi, RootCanvas, RootGraphAsymmErrors } from './jsroot-api';
import { createCanvas, createLegend, rootColors } from './root-primitives';

/**
 * Tracking efficiency (matched / reconstructable particles) and fake rate (fakes / candidate tracks) per bin of a
 * particle quantity as two TGraphAsymmErrors: the bin as the horizontal bar, the binomial error √(p(1 − p)/n)
 * (clipped to [0, 1]) as the vertical one; empty bins are left out. pT is drawn on a logarithmic axis. Null when every
 * bin is empty.
 */
export function buildTrackingRateCanvas(api: JsrootApi, input: { bins: TrackingBins; variable: 'pt' | 'eta' }): RootCanvas | null {
  const { bins, variable } = input;
  const ratioGraph = (name: string, numerator: number[], denominator: number[], color: number, marker: number): RootGraphAsymmErrors => {
    const graph = api.create('TGraphAsymmErrors');
    graph.fName = name;
    graph.fTitle = name;
    for (let k = 0; k < denominator.length; k++) {
      const n = denominator[k] as number;
      if (n <= 0) continue;
      const lo = bins.edges[k] as number;
      const hi = bins.edges[k + 1] as number;
      const p = (numerator[k] as number) / n;
      const error = Math.sqrt((p * (1 - p)) / n);
      const centre = variable === 'pt' ? Math.sqrt(lo * hi) : (lo + hi) / 2;
      graph.fX.push(centre);
      graph.fY.push(p);
      graph.fEXlow.push(centre - lo);
      graph.fEXhigh.push(hi - centre);
      graph.fEYlow.push(Math.min(error, p));
      graph.fEYhigh.push(Math.min(error, 1 - p));
    }
    graph.fNpoints = graph.fX.length;
    graph.fMarkerStyle = marker;
    graph.fMarkerColor = color;
    graph.fLineColor = color;
    return graph;
  };
  const efficiency = ratioGraph('efficiency', bins.matched, bins.reconstructable, rootColors.blue, 20);
  const fakes = ratioGraph('fake rate', bins.fakes, bins.candidates, rootColors.red, 24);
  const graphs = [efficiency, fakes].filter((g) => g.fNpoints > 0);
  if (graphs.length === 0) return null;
  const multi = api.createTMultiGraph(...graphs);
  multi.fGraphs.opt = graphs.map(() => 'P');
  multi.fTitle = variable === 'pt' ? ';particle p_{T} [GeV];fraction' : ';particle #eta;fraction';
  // Room above 1 for the legend, so it never covers a point.
  multi.fMinimum = 0;
  multi.fMaximum = 1.3;
  const legend = createLegend(
    api,
    [0.15, 0.8, 0.6, 0.93],
    graphs.map((g) => ({ object: g, label: g === efficiency ? 'efficiency' : 'fake rate', option: 'pe' })),
  );
  const canvas = createCanvas(api, [[multi, 'A'], [legend, '']], { grid: true });
  canvas.fLogx = variable === 'pt' ? 1 : 0;
  return canvas;
}
