import type { DisplayEventDto, DisplayObjectDto, DisplayObjectKind } from '@/lib/shared/display/display-objects';
import type { JsrootApi, RootCanvas, RootGraph } from './jsroot-api';
import { createCanvas, createLegend } from './root-primitives';

/** How each kind of object looks: ROOT marker style and colour, and the name students read in the legend. */
export const OBJECT_STYLES: Record<DisplayObjectKind, { marker: number; color: number; label: string }> = {
  lepton: { marker: 20, color: 2, label: 'lepton (e or μ)' },
  electron: { marker: 20, color: 2, label: 'electron' },
  muon: { marker: 21, color: 6, label: 'muon' },
  tau: { marker: 23, color: 8, label: 'hadronic τ' },
  jet: { marker: 21, color: 4, label: 'jet' },
  large_r_jet: { marker: 24, color: 1, label: 'large-R jet' },
  cluster: { marker: 20, color: 797, label: 'calorimeter cluster' },
  met: { marker: 1, color: 6, label: 'missing pT (MET)' },
};

const kNoStats = 1 << 9;

/** One sentence with an object's values, shown when the pointer is on its marker. */
export function describeObject(o: DisplayObjectDto): string {
  const style = OBJECT_STYLES[o.kind];
  const base = `${style.label}: pT ${o.pt.toFixed(1)} GeV, φ ${o.phi.toFixed(2)}`;
  if (o.kind === 'met') return base;
  return `${base}, η ${o.eta.toFixed(2)}${o.m > 0 ? `, m ${o.m.toFixed(1)} GeV` : ''}`;
}

/** Marker size grows with √pT relative to the hardest object of the event, so soft objects stay visible. */
function markerSize(pt: number, maxPt: number, kind: DisplayObjectKind): number {
  const base = kind === 'cluster' ? 0.4 : 0.9;
  return base + (kind === 'cluster' ? 1.2 : 1.8) * Math.sqrt(Math.max(0, pt) / Math.max(maxPt, 1e-9));
}

function frame(api: JsrootApi, x: [number, number, string], y: [number, number, string]) {
  const h = api.createHistogram('TH2D', 10, 10);
  h.fName = 'frame';
  h.fTitle = '';
  h.fBits |= kNoStats;
  [h.fXaxis.fXmin, h.fXaxis.fXmax, h.fXaxis.fTitle] = x;
  [h.fYaxis.fXmin, h.fYaxis.fXmax, h.fYaxis.fTitle] = y;
  return h;
}

function point(api: JsrootApi, o: DisplayObjectDto, x: number, y: number, maxPt: number): RootGraph {
  const style = OBJECT_STYLES[o.kind];
  const g = api.createTGraph(1, [x], [y]);
  g.fName = describeObject(o);
  g.fTitle = g.fName;
  g.fMarkerStyle = style.marker;
  g.fMarkerColor = style.color;
  g.fMarkerSize = markerSize(o.pt, maxPt, o.kind);
  g.fLineColor = style.color;
  return g;
}

/** One legend entry per kind present, with a marker of fixed size (the drawn ones vary with pT), on a white box. */
function legendFor(api: JsrootApi, kinds: DisplayObjectKind[]) {
  const entries = kinds.map((k) => {
    const style = OBJECT_STYLES[k];
    const proxy = api.createTGraph(1, [0], [0]);
    proxy.fMarkerStyle = style.marker;
    proxy.fMarkerColor = style.color;
    proxy.fMarkerSize = k === 'cluster' ? 0.8 : 1.2;
    proxy.fLineColor = style.color;
    proxy.fLineStyle = k === 'met' ? 2 : 1;
    proxy.fLineWidth = 3;
    return { object: proxy, label: style.label, option: k === 'met' ? 'l' : 'p' };
  });
  const legend = createLegend(api, [0.15, 0.93 - 0.055 * entries.length, 0.47, 0.93], entries);
  legend.fFillStyle = 1001;
  legend.fTextSize = 0.035;
  (legend as typeof legend & { fFillColor: number }).fFillColor = 0;
  return legend;
}

const kindsOf = (event: DisplayEventDto) => [...new Set(event.objects.map((o) => o.kind))];

/**
 * The transverse view (x–y plane, looking along the beam): each object a line from the collision point to
 * (pT cos φ, pT sin φ) with a marker at its tip, MET a dashed arrow. Axis lengths are momenta in GeV.
 */
export function buildTransverseViewCanvas(api: JsrootApi, event: DisplayEventDto): RootCanvas {
  const maxPt = Math.max(1, ...event.objects.map((o) => o.pt));
  const reach = maxPt * 1.15;
  const primitives: Array<[object, string]> = [[frame(api, [-reach, reach, 'p_{x} [GeV]'], [-reach, reach, 'p_{y} [GeV]']), 'axis']];
  for (const o of event.objects) {
    const x = o.pt * Math.cos(o.phi);
    const y = o.pt * Math.sin(o.phi);
    const style = OBJECT_STYLES[o.kind];
    if (o.kind === 'met') {
      // TArrow and TEllipse have no constructor in JSROOT's create(); a TLine base brings the TObject methods (TestBit).
      const arrow = Object.assign(api.create('TLine'), {
        _typename: 'TArrow', fName: describeObject(o), fTitle: describeObject(o), fX1: 0, fY1: 0, fX2: x, fY2: y, fArrowSize: 0.02, fAngle: 40, fOption: '|>',
        fLineColor: style.color, fLineStyle: 2, fLineWidth: 3, fFillColor: style.color, fFillStyle: 1001,
      });
      primitives.push([arrow, '']);
      continue;
    }
    if (o.kind !== 'cluster') {
      const line = api.createTGraph(2, [0, x], [0, y]);
      line.fName = `${o.kind} direction`;
      line.fLineColor = style.color;
      line.fLineWidth = o.kind === 'large_r_jet' ? 3 : 2;
      primitives.push([line, 'L']);
    }
    const marker = point(api, o, x, y, maxPt);
    primitives.push([marker, 'P']);
  }
  primitives.push([legendFor(api, kindsOf(event)), '']);
  const canvas = createCanvas(api, primitives);
  canvas.fLeftMargin = 0.14;
  return canvas;
}

/**
 * The η–φ view (the detector unrolled: η along the beam, φ around it): one marker per object sized by pT, large-R
 * jets with their R = 1.0 circle, MET a dashed line at its φ (it has no η).
 */
export function buildEtaPhiViewCanvas(api: JsrootApi, event: DisplayEventDto): RootCanvas {
  const maxPt = Math.max(1, ...event.objects.filter((o) => o.kind !== 'met').map((o) => o.pt));
  const etas = event.objects.filter((o) => o.kind !== 'met').map((o) => o.eta);
  const etaMax = Math.max(2.7, ...etas.map((e) => Math.abs(e) + 0.3));
  const primitives: Array<[object, string]> = [[frame(api, [-etaMax, etaMax, '#eta'], [-Math.PI, Math.PI, '#phi [rad]']), 'axis']];
  for (const o of event.objects) {
    const style = OBJECT_STYLES[o.kind];
    if (o.kind === 'met') {
      const line = api.create('TLine');
      line.fX1 = -etaMax;
      line.fX2 = etaMax;
      line.fY1 = o.phi;
      line.fY2 = o.phi;
      line.fLineColor = style.color;
      line.fLineStyle = 2;
      line.fLineWidth = 3;
      primitives.push([line, '']);
      continue;
    }
    if (o.kind === 'large_r_jet') {
      primitives.push([
        Object.assign(api.create('TLine'), { _typename: 'TEllipse', fName: 'R = 1.0', fX1: o.eta, fY1: o.phi, fR1: 1, fR2: 1, fPhimin: 0, fPhimax: 360, fTheta: 0, fLineColor: style.color, fLineStyle: 2, fLineWidth: 1, fFillColor: 0, fFillStyle: 0 }),
        '',
      ]);
    }
    const marker = point(api, o, o.eta, o.phi, maxPt);
    primitives.push([marker, 'P']);
  }
  primitives.push([legendFor(api, kindsOf(event)), '']);
  return createCanvas(api, primitives);
}
