import type { TrackingScoreDetail } from '@/lib/shared/dto/score-detail-dto';
import type { JsrootApi, RootCanvas, RootGraph } from './jsroot-api';
import { createCanvas } from './root-primitives';

/** ROOT's TH1::kNoStats bit: no statistics box. */
const kNoStats = 1 << 9;

/** Marker colours the submitted tracks cycle through (ROOT colour indices: kRed, kBlue, kGreen+2, kMagenta, …). */
const palette = [2, 4, 418, 6, 7, 800, 880, 860, 820, 632, 600, 416] as const;
/** Hits of tracks with fewer hits than this are drawn small and grey: left-overs, not tracks. */
const minTrackHits = 3;

/**
 * One event's hits as seen along the beam (x–y) or from the side (z–r), coloured by the submitted track: tracks
 * cycle through a palette of 12 colours (one TGraph per colour, so thousands of tracks stay cheap to draw), hits of
 * tracks with fewer than 3 hits are grey. The frame is fixed by an empty histogram drawn first: x and y both over
 * ±(largest |coordinate|, at least 100 mm) for the x–y view, so circles stay round in a square box; z over ±its largest
 * |z| and r from 0 for the r–z view. Null without hits.
 */
export function buildEventDisplayCanvas(api: JsrootApi, input: { display: NonNullable<TrackingScoreDetail['display']>; view: 'xy' | 'rz' }): RootCanvas | null {
  const { display, view } = input;
  const n = display.x.length;
  if (n === 0) return null;
  const sizes = new Map<number, number>();
  for (const t of display.track) sizes.set(t, (sizes.get(t) ?? 0) + 1);
  const xs: number[][] = palette.map(() => []);
  const ys: number[][] = palette.map(() => []);
  const greyX: number[] = [];
  const greyY: number[] = [];
  let colourOf = 0;
  const colours = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const track = display.track[i] as number;
    const x = display.x[i] as number;
    const y = display.y[i] as number;
    const z = display.z[i] as number;
    const [u, v] = view === 'xy' ? [x, y] : [z, Math.hypot(x, y)];
    if ((sizes.get(track) as number) < minTrackHits) {
      greyX.push(u);
      greyY.push(v);
      continue;
    }
    let colour = colours.get(track);
    if (colour === undefined) colours.set(track, (colour = colourOf++ % palette.length));
    (xs[colour] as number[]).push(u);
    (ys[colour] as number[]).push(v);
  }
  const graphs: RootGraph[] = [];
  const add = (u: number[], v: number[], colour: number, size: number, name: string) => {
    if (u.length === 0) return;
    const graph = api.createTGraph(u.length, u, v);
    graph.fName = name;
    graph.fTitle = name;
    graph.fMarkerStyle = 20;
    graph.fMarkerSize = size;
    graph.fMarkerColor = colour;
    graph.fLineColor = colour;
    graphs.push(graph);
  };
  add(greyX, greyY, 17, 0.3, 'unassigned');
  palette.forEach((colour, k) => add(xs[k] as number[], ys[k] as number[], colour, 0.45, `tracks ${k}`));
  const multi = api.createTMultiGraph(...graphs);
  multi.fGraphs.opt = graphs.map(() => 'P');
  const extent = (values: number[]) => Math.max(100, ...values.map((v) => Math.abs(v))) * 1.05;
  const frame = api.createHistogram('TH1D', 1);
  frame.fName = 'frame';
  frame.fTitle = `event ${display.eventId}`;
  frame.fBits |= kNoStats;
  if (view === 'xy') {
    const half = extent([...display.x, ...display.y]);
    frame.fXaxis.fXmin = -half;
    frame.fXaxis.fXmax = half;
    frame.fMinimum = -half;
    frame.fMaximum = half;
    frame.fXaxis.fTitle = 'x [mm]';
    frame.fYaxis.fTitle = 'y [mm]';
  } else {
    const half = extent(display.z);
    frame.fXaxis.fXmin = -half;
    frame.fXaxis.fXmax = half;
    frame.fMinimum = 0;
    frame.fMaximum = extent(display.x.map((x, i) => Math.hypot(x, display.y[i] as number)));
    frame.fXaxis.fTitle = 'z [mm]';
    frame.fYaxis.fTitle = 'r [mm]';
  }
  const canvas = createCanvas(api, [[frame, 'AXIS'], [multi, 'P']], { grid: false });
  canvas.fLeftMargin = 0.16; // room for four-digit millimetre labels and the axis title
  return canvas;
}
