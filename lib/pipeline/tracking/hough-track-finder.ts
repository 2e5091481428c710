/**
 * The organiser baseline of the tracking challenges: a Hough transform in helix parameters, greedy and simple.
 *
 * For one event (hits x, y, z in mm and their volume/layer ids; field 2 T along z; one collision vertex):
 *
 * 1. Vertex z0: the mode of the z intercepts of hit pairs on the two innermost pixel barrel layers (volume 8, layers 2
 *    and 4) that are close in φ (|Δφ| < 0.02), in 2 mm bins over [−250, 250] mm, refined by the mean within ±2 mm
 *    (0 when there are no such pairs).
 * 2. Votes: a helix from the beam line with signed curvature c (1/mm) passes a hit at radius r, azimuth φ when its
 *    initial direction is φ0 = φ + asin(c·r/2); its polar direction is η = asinh((z − z0)/s) with s = 2·asin(c·r/2)/c
 *    the transverse arc length. Every hit votes, for each of 64 curvature bins (|c| ≤ 0.0024 /mm, i.e. pT ≥ 0.25 GeV),
 *    in the (c, φ0, η) cell it falls in (256 φ0 bins, 62 η bins over [−3.1, 3.1]); each cell counts its hits and the
 *    distinct detector layers (volume, layer) they are on.
 * 3. Tracks: cells with hits on at least 5 distinct layers that are local maxima in (φ0, η) are taken in order of
 *    distinct layers, then hits; each takes the still unassigned hits whose (φ0, η) at the cell's curvature is within
 *    1.5 bins of the cell centre, and becomes a track if they cover at least 4 distinct layers.
 * 4. Every hit left over is its own track.
 *
 * It is deliberately plain (no fit, no ambiguity resolution); it reconstructs most particles above 1 GeV and loses many
 * soft ones, leaving plenty of room above it.
 */

export type HoughHits = {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  z: ArrayLike<number>;
  volumeId: ArrayLike<number>;
  layerId: ArrayLike<number>;
};

export const HOUGH_BASELINE_PARAMETERS = {
  fieldT: 2,
  curvatureBins: 64,
  maxCurvaturePerMm: 0.0024,
  phiBins: 256,
  etaBins: 62,
  etaMax: 3.1,
  minLayersForPeak: 5,
  minLayersForTrack: 4,
  gatherToleranceBins: 1.5,
  vertex: { binMm: 2, rangeMm: 250, maxDeltaPhi: 0.02, refineMm: 2 },
} as const;

/** Estimates the event's vertex z from pairs of hits on the two innermost pixel barrel layers (see the module comment). */
export function estimateVertexZ(hits: HoughHits): number {
  const { binMm, rangeMm, maxDeltaPhi, refineMm } = HOUGH_BASELINE_PARAMETERS.vertex;
  const inner: number[] = [];
  const outer: number[] = [];
  for (let i = 0; i < hits.x.length; i++) {
    if (hits.volumeId[i] !== 8) continue;
    if (hits.layerId[i] === 2) inner.push(i);
    else if (hits.layerId[i] === 4) outer.push(i);
  }
  if (inner.length === 0 || outer.length === 0) return 0;
  const phiOf = (i: number) => Math.atan2(hits.y[i] as number, hits.x[i] as number);
  const sortedOuter = outer.map((i) => ({ i, phi: phiOf(i) })).sort((a, b) => a.phi - b.phi);
  const bins = new Int32Array(Math.ceil((2 * rangeMm) / binMm));
  const intercepts: number[] = [];
  for (const i of inner) {
    const phi = phiOf(i);
    const r1 = Math.hypot(hits.x[i] as number, hits.y[i] as number);
    const z1 = hits.z[i] as number;
    for (const shift of [-2 * Math.PI, 0, 2 * Math.PI]) {
      let lo = 0;
      let hi = sortedOuter.length;
      const target = phi + shift - maxDeltaPhi;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((sortedOuter[mid]?.phi as number) < target) lo = mid + 1;
        else hi = mid;
      }
      for (let k = lo; k < sortedOuter.length && (sortedOuter[k]?.phi as number) <= phi + shift + maxDeltaPhi; k++) {
        const j = (sortedOuter[k] as { i: number }).i;
        const r2 = Math.hypot(hits.x[j] as number, hits.y[j] as number);
        const z0 = z1 - (r1 * ((hits.z[j] as number) - z1)) / (r2 - r1);
        if (Math.abs(z0) >= rangeMm) continue;
        intercepts.push(z0);
        const bin = Math.floor((z0 + rangeMm) / binMm);
        bins[bin] = (bins[bin] as number) + 1;
      }
    }
  }
  if (intercepts.length === 0) return 0;
  let best = 0;
  for (let b = 1; b < bins.length; b++) if ((bins[b] as number) > (bins[best] as number)) best = b;
  const centre = -rangeMm + (best + 0.5) * binMm;
  let sum = 0;
  let count = 0;
  for (const z0 of intercepts) {
    if (Math.abs(z0 - centre) <= refineMm) {
      sum += z0;
      count++;
    }
  }
  return count > 0 ? sum / count : centre;
}

/**
 * Assigns every hit of one event to a track (track ids 1, 2, … for found tracks, then one id per left-over hit).
 *
 * @example
 * ```ts
 * const trackIds = findTracksByHough({ x, y, z, volumeId, layerId }); // Float64Array, one id per hit
 * ```
 */
export function findTracksByHough(hits: HoughHits): Float64Array {
  const p = HOUGH_BASELINE_PARAMETERS;
  const n = hits.x.length;
  const z0 = estimateVertexZ(hits);
  const nc = p.curvatureBins;
  const nphi = p.phiBins;
  const neta = p.etaBins;
  const curvatures = Float64Array.from({ length: nc }, (_, k) => -p.maxCurvaturePerMm + ((k + 0.5) * 2 * p.maxCurvaturePerMm) / nc);

  // Layer index of each hit (distinct (volume, layer) pairs, at most 64 counted).
  const layerIndex = new Map<number, number>();
  const layerOf = new Int32Array(n);
  const r = new Float64Array(n);
  const phi = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const key = (hits.volumeId[i] as number) * 1000 + (hits.layerId[i] as number);
    let index = layerIndex.get(key);
    if (index === undefined) layerIndex.set(key, (index = layerIndex.size));
    layerOf[i] = index;
    r[i] = Math.hypot(hits.x[i] as number, hits.y[i] as number);
    phi[i] = Math.atan2(hits.y[i] as number, hits.x[i] as number);
  }

  // Continuous (φ0, η) bin coordinates of every hit at every curvature (NaN: the helix cannot reach the hit), the
  // cell each falls in, and per cell its hit count and the layers it covers.
  const cells = nc * nphi * neta;
  const coordinates = new Float32Array(n * nc * 2);
  const cellOf = new Int32Array(n * nc).fill(-1);
  const counts = new Int32Array(cells + 1);
  const maskLow = new Uint32Array(cells);
  const maskHigh = new Uint32Array(cells);
  for (let i = 0; i < n; i++) {
    const ri = r[i] as number;
    const zi = (hits.z[i] as number) - z0;
    const layer = layerOf[i] as number;
    for (let k = 0; k < nc; k++) {
      const c = curvatures[k] as number;
      const a = (c * ri) / 2;
      const at = (i * nc + k) * 2;
      if (a >= 1 || a <= -1) {
        coordinates[at] = Number.NaN;
        continue;
      }
      const turn = Math.asin(a);
      let phi0 = (phi[i] as number) + turn;
      phi0 -= 2 * Math.PI * Math.floor((phi0 + Math.PI) / (2 * Math.PI));
      const cot = zi / Math.max((2 * turn) / c, 1e-6);
      const eta = Math.log(cot + Math.sqrt(cot * cot + 1));
      const u = ((phi0 + Math.PI) / (2 * Math.PI)) * nphi;
      const v = ((eta + p.etaMax) / (2 * p.etaMax)) * neta;
      coordinates[at] = u;
      coordinates[at + 1] = v;
      const e = Math.floor(v);
      if (e < 0 || e >= neta) continue;
      const cell = (k * nphi + Math.min(nphi - 1, Math.floor(u))) * neta + e;
      cellOf[i * nc + k] = cell;
      counts[cell + 1] = (counts[cell + 1] as number) + 1;
      if (layer < 32) maskLow[cell] = (maskLow[cell] as number) | (1 << layer);
      else if (layer < 64) maskHigh[cell] = (maskHigh[cell] as number) | (1 << (layer - 32));
    }
  }
  // counts[cell + 1] holds the hits of cell until the peaks are found; then the counts become list offsets.
  const layersIn = (cell: number) => popcount(maskLow[cell] as number) + popcount(maskHigh[cell] as number);

  // Peaks: enough layers, and no (φ0, η) neighbour at the same curvature with more layers (or as many and more hits).
  const peaks: Array<{ cell: number; layers: number; hits: number }> = [];
  for (let cell = 0; cell < cells; cell++) {
    if ((counts[cell + 1] as number) < p.minLayersForPeak) continue;
    const layers = layersIn(cell);
    if (layers < p.minLayersForPeak) continue;
    const k = Math.floor(cell / (nphi * neta));
    const b = Math.floor(cell / neta) % nphi;
    const e = cell % neta;
    let isMax = true;
    for (let db = -1; db <= 1 && isMax; db++) {
      for (let de = -1; de <= 1; de++) {
        if (db === 0 && de === 0) continue;
        const bb = (b + db + nphi) % nphi;
        const ee = e + de;
        if (ee < 0 || ee >= neta) continue;
        const other = (k * nphi + bb) * neta + ee;
        const otherLayers = layersIn(other);
        const otherHits = counts[other + 1] as number;
        const hits = counts[cell + 1] as number;
        if (otherLayers > layers || (otherLayers === layers && (otherHits > hits || (otherHits === hits && other < cell)))) {
          isMax = false;
          break;
        }
      }
    }
    if (isMax) peaks.push({ cell, layers, hits: counts[cell + 1] as number });
  }
  // Hits of every cell as lists (counting sort), for gathering around a peak.
  for (let cell = 0; cell < cells; cell++) counts[cell + 1] = (counts[cell + 1] as number) + (counts[cell] as number);
  const bucket = new Int32Array(counts[cells] as number);
  const fill = counts.slice(0, cells);
  for (let m = 0; m < n * nc; m++) {
    const cell = cellOf[m] as number;
    if (cell < 0) continue;
    bucket[fill[cell] as number] = Math.floor(m / nc);
    fill[cell] = (fill[cell] as number) + 1;
  }
  peaks.sort((a, b) => b.layers - a.layers || b.hits - a.hits || a.cell - b.cell);

  const trackIds = new Float64Array(n);
  const assigned = new Uint8Array(n);
  let nextTrack = 1;
  const tolerance = p.gatherToleranceBins;
  const seen = new Int32Array(n).fill(-1);
  for (const [peakIndex, peak] of peaks.entries()) {
    const k = Math.floor(peak.cell / (nphi * neta));
    const b = Math.floor(peak.cell / neta) % nphi;
    const e = peak.cell % neta;
    const members: number[] = [];
    let layerLow = 0;
    let layerHigh = 0;
    for (let db = -2; db <= 2; db++) {
      for (let de = -2; de <= 2; de++) {
        if (e + de < 0 || e + de >= neta) continue;
        const cell = (k * nphi + ((b + db + nphi) % nphi)) * neta + e + de;
        for (let m = counts[cell] as number; m < (counts[cell + 1] as number); m++) {
          const i = bucket[m] as number;
          if (assigned[i] || seen[i] === peakIndex) continue;
          seen[i] = peakIndex;
          const at = (i * nc + k) * 2;
          let dphi = (coordinates[at] as number) - (b + 0.5);
          if (dphi > nphi / 2) dphi -= nphi;
          if (dphi < -nphi / 2) dphi += nphi;
          if (Math.abs(dphi) > tolerance || Math.abs((coordinates[at + 1] as number) - (e + 0.5)) > tolerance) continue;
          members.push(i);
          const layer = layerOf[i] as number;
          if (layer < 32) layerLow |= 1 << layer;
          else if (layer < 64) layerHigh |= 1 << (layer - 32);
        }
      }
    }
    if (popcount(layerLow) + popcount(layerHigh) < p.minLayersForTrack) continue;
    for (const i of members) {
      assigned[i] = 1;
      trackIds[i] = nextTrack;
    }
    nextTrack++;
  }
  for (let i = 0; i < n; i++) if (!assigned[i]) trackIds[i] = nextTrack++;
  return trackIds;
}

function popcount(x: number): number {
  let v = x >>> 0;
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
