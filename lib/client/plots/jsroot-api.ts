/**
 * The part of the JSROOT 7 API the plots use, typed by hand: jsroot ships no typings, and the browser gets it at run
 * time from a URL (see load-jsroot.ts), so nothing here imports it. Field names are ROOT's own (TGraph::fX, …).
 */
export type RootList = { arr: unknown[]; opt: string[]; Add(obj: unknown, opt?: string): void };

export type RootAttributes = {
  fLineColor: number;
  fLineStyle: number;
  fLineWidth: number;
  fFillColor: number;
  fFillStyle: number;
  fMarkerColor: number;
  fMarkerStyle: number;
  fMarkerSize: number;
};

export type RootAxis = { fTitle: string; fNbins: number; fXmin: number; fXmax: number; fXbins: number[]; fTitleOffset: number; fBits: number };

export type RootHistogram = RootAttributes & {
  _typename: string;
  fName: string;
  fTitle: string;
  fBits: number;
  fXaxis: RootAxis;
  fYaxis: RootAxis;
  fArray: Float64Array;
  fEntries: number;
  fMaximum: number;
  fMinimum: number;
};

export type RootGraph = RootAttributes & {
  _typename: string;
  fName: string;
  fTitle: string;
  fNpoints: number;
  fX: number[];
  fY: number[];
};

export type RootGraphAsymmErrors = RootGraph & { fEXlow: number[]; fEXhigh: number[]; fEYlow: number[]; fEYhigh: number[] };

export type RootMultiGraph = {
  _typename: string;
  fName: string;
  fTitle: string;
  fGraphs: RootList;
  fMinimum: number;
  fMaximum: number;
  /** The frame (axes, titles) the graphs are drawn in; JSROOT makes one when absent. */
  fHistogram?: RootHistogram;
};

export type RootLegendEntry = { _typename: string; fObject: unknown; fLabel: string; fOption: string };

export type RootLegend = {
  _typename: string;
  fX1NDC: number;
  fY1NDC: number;
  fX2NDC: number;
  fY2NDC: number;
  fTextSize: number;
  fTextAlign: number;
  fBorderSize: number;
  fFillStyle: number;
  fPrimitives: RootList;
};

export type RootCanvas = {
  _typename: string;
  fLogx: number;
  fLogy: number;
  fGridx: number;
  fGridy: number;
  fLeftMargin: number;
  fRightMargin: number;
  fTopMargin: number;
  fBottomMargin: number;
  fPrimitives: RootList;
};

export type RootHistogram2D = RootHistogram & { fZaxis: RootAxis; fContour: number[] };

export type RootStack = { _typename: string; fName: string; fTitle: string; fHists: RootList; fMaximum: number; fMinimum: number };

export type RootLine = RootAttributes & { _typename: string; fX1: number; fY1: number; fX2: number; fY2: number };

export type JsrootApi = {
  version: string;
  create(typename: 'TCanvas'): RootCanvas;
  create(typename: 'TLegend'): RootLegend;
  create(typename: 'TLegendEntry'): RootLegendEntry;
  create(typename: 'TGraphAsymmErrors'): RootGraphAsymmErrors;
  create(typename: 'TLine'): RootLine;
  createHistogram(typename: 'TH1D', nbinsx: number): RootHistogram;
  createHistogram(typename: 'TH2D', nbinsx: number, nbinsy: number): RootHistogram2D;
  createTHStack(...histograms: RootHistogram[]): RootStack;
  /** ROOT JSON of an object (the format TBufferJSON reads back). */
  toJSON(obj: object, spacing?: number): string;
  createTGraph(npoints: number, x?: number[], y?: number[]): RootGraph;
  createTMultiGraph(...graphs: RootGraph[]): RootMultiGraph;
  /** Draws into `dom` (superimposes when something is drawn there already; call `cleanup` first to replace). */
  draw(dom: HTMLElement, obj: object, option?: string): Promise<unknown>;
  cleanup(dom: HTMLElement): unknown;
  /** Redraws the drawing in `dom` at the element's current size. */
  resize(dom: HTMLElement): unknown;
};
