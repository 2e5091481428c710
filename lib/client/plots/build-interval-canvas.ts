import type { JsrootApi, RootCanvas, RootGraph } from './jsroot-api';
import { createAxisFrame, createCanvas, createLegend, paddedRange, rootColors } from './root-primitives';

/**
 * The submitted interval of each pseudo-experiment as a TGraphAsymmErrors: μ̂ with error bars down to p16 and up to
 * p84, ordered by μ̂. A bound on the wrong side of μ̂ (an inverted or off-centre interval) draws as a zero-length
 * bar on that side. True μ markers are added only when the server sent them (after the phase closed).
 */
export function buildIntervalCanvas(api: JsrootApi, input: { muHat: number[]; p16: number[]; p84: number[]; muTrue: number[] | null }): RootCanvas | null {
  const n = input.muHat.length;
  if (n === 0) return null;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (input.muHat[a] as number) - (input.muHat[b] as number));

  const intervals = api.create('TGraphAsymmErrors');
  intervals.fName = 'intervals';
  intervals.fTitle = 'intervals';
  order.forEach((i, rank) => {
    const muHat = input.muHat[i] as number;
    intervals.fX.push(rank + 1);
    intervals.fY.push(muHat);
    intervals.fEXlow.push(0);
    intervals.fEXhigh.push(0);
    intervals.fEYlow.push(Math.max(0, muHat - (input.p16[i] as number)));
    intervals.fEYhigh.push(Math.max(0, (input.p84[i] as number) - muHat));
  });
  intervals.fNpoints = n;
  intervals.fMarkerStyle = 20;
  intervals.fMarkerSize = n > 150 ? 0.4 : 0.7;
  intervals.fMarkerColor = rootColors.blue;
  intervals.fLineColor = rootColors.blue;

  const graphs: RootGraph[] = [intervals];
  const entries: Array<{ object: object; label: string; option: string }> = [{ object: intervals, label: '#hat{#mu} with [p16, p84]', option: 'pe' }];
  if (input.muTrue && input.muTrue.length === n) {
    const muTrue = input.muTrue;
    const truth = api.createTGraph(
      n,
      order.map((_, rank) => rank + 1),
      order.map((i) => muTrue[i] as number),
    );
    truth.fName = 'mu_true';
    truth.fTitle = 'mu_true';
    truth.fMarkerStyle = 29;
    truth.fMarkerSize = n > 150 ? 0.6 : 1;
    truth.fMarkerColor = rootColors.red;
    truth.fLineColor = rootColors.red;
    graphs.push(truth);
    entries.push({ object: truth, label: '#mu_{true}', option: 'p' });
  }
  const multi = api.createTMultiGraph(...graphs);
  multi.fGraphs.opt = graphs.map(() => 'P');
  const [xMin, xMax] = paddedRange([1, n]);
  multi.fHistogram = createAxisFrame(api, { xMin, xMax, titles: { x: 'pseudo-experiment (ordered by #hat{#mu})', y: '#mu' } });
  const legend = createLegend(api, [0.16, 0.93 - 0.08 * entries.length, 0.55, 0.93], entries);
  return createCanvas(api, [[multi, 'A'], [legend, '']], { grid: true });
}
