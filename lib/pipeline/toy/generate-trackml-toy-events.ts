import {
  type DetectorSurface,
  moduleIdAt,
  TOY_DETECTOR_ENVELOPE,
  TOY_DETECTOR_FIELD_T,
  TOY_DETECTOR_SURFACES,
} from '@/lib/shared/tracking/trackml-toy-detector';
import { computeTrackmlHitWeights } from '@/scoring/trackml-weights';
import { createRandomStream, type RandomStream } from '../random/random-stream';
import { roundTo4Decimals, type TrackmlEvent } from '../importers/trackml-event';

/**
 * TOY generator of TrackML-style events: charged pions from a beam spot on helices through the toy silicon tracker of
 * lib/shared/tracking/trackml-toy-detector.ts. A sketch with the right structure, NOT a detector simulation:
 *
 * 1. Vertex: x, y ~ N(0, 0.015 mm), z ~ N(0, 55 mm) (the LHC luminous region), one vertex per event (no pile-up).
 * 2. Particles: Poisson(meanParticles) charged pions (q = ±1 with equal odds, m = 139.57 MeV), φ uniform, η uniform in
 *    [−3, 3], pT from a mixture: 75 % soft, pT = 0.15 GeV · U^(−1/2.2) (a power law above 150 MeV, capped at 50 GeV),
 *    25 % hard, log-uniform in [0.5, 20] GeV.
 * 3. Propagation: a helix in the 2 T solenoid (radius R = pT / (0.3 · B), mm and GeV), surface to surface: the next
 *    crossing is the nearest barrel cylinder outwards (within its half-length) or the nearest disk ahead in z (within
 *    its radial extent). Loopers are followed up to their largest radius only (the outgoing half turn), and nothing
 *    leaves the envelope r < 1030 mm, |z| < 3000 mm.
 * 4. Material at every crossing (sensor and support, x/X0 of the system over the cosine of the incidence angle):
 *    multiple scattering as two independent Gaussian kinks of width θ0 from the Highland formula
 *    θ0 = 13.6 MeV/(βcp) · √(x/X0) · (1 + 0.038 ln(x/X0)); energy loss the mean of a minimum-ionising particle in
 *    silicon, 36.2 MeV per X0 (no Landau fluctuations). A particle below 1.01 m stops.
 * 5. Hits: each crossing leaves a hit with the system's efficiency (99 % pixels, 98 % strips); the measured position
 *    is the true one smeared by Gaussians along the module axes (rφ and z on the barrel, rφ and r on the disks: 15 µm
 *    pixels; 25 µm × 0.35 mm short strips; 35 µm × 3.1 mm long strips). Cells: a cluster of ⌈thickness·tan α/pitch⌉
 *    channels along each module axis (at most 16 cells), charge shared with 10 % noise.
 * 6. Noise: Poisson(noiseFraction × real hits) hits uniform over the sensitive area (particle_id 0).
 * 7. Hit ids 1 … N in detector order (volume, layer, module, then z or r, then φ), so ids say nothing about particles;
 *    particle ids are sparse (k·2^31, k = 1, 2, … in a shuffled order: they encode no kinematics); weights are the
 *    published TrackML hit weights (`computeTrackmlHitWeights`).
 *
 * Deterministic: every event draws from its own named stream (seed, event id), so events do not depend on each other.
 */

export const TRACKML_TOY_PARAMETERS = {
  beamSpotSigmaMm: { xy: 0.015, z: 55 },
  etaMax: 3,
  pionMassGeV: 0.13957,
  softFraction: 0.75,
  softPt: { minGeV: 0.15, powerIndex: 2.2, maxGeV: 50 },
  hardPtGeV: [0.5, 20],
  energyLossGeVPerX0: 0.0362,
  highland: { scaleGeV: 0.0136, logTerm: 0.038 },
  maxCellsPerHit: 16,
  particleIdStep: 2 ** 31,
} as const;

export type GenerateTrackmlToyOptions = {
  seed: number;
  eventId: number;
  /** Mean number of charged particles per event. */
  meanParticles: number;
  /** Noise hits per real hit (mean). */
  noiseFraction: number;
};

/** Curvature factor: R[mm] = pT[GeV] / (0.3 · B[T]) · 1000. */
const MM_PER_GEV = 1000 / (0.3 * TOY_DETECTOR_FIELD_T);

type State = { x: number; y: number; z: number; px: number; py: number; pz: number; q: number };
type Crossing = { surface: DetectorSurface; x: number; y: number; z: number; px: number; py: number; pz: number };

const barrels = TOY_DETECTOR_SURFACES.filter((s) => s.kind === 'barrel').sort((a, b) => a.positionMm - b.positionMm);
const disksForward = TOY_DETECTOR_SURFACES.filter((s) => s.kind === 'disk' && s.positionMm > 0).sort((a, b) => a.positionMm - b.positionMm);
const disksBackward = TOY_DETECTOR_SURFACES.filter((s) => s.kind === 'disk' && s.positionMm < 0).sort((a, b) => b.positionMm - a.positionMm);
const EPSILON_MM = 1e-6;

/** Transverse arc length to a point of the circle at angle ψ (see `propagate`), in (0, period]. */
function arcTo(psi: number, phi0: number, kappa: number): number {
  const period = (2 * Math.PI) / Math.abs(kappa);
  let s = (psi - phi0) / kappa;
  s %= period;
  if (s <= EPSILON_MM) s += period;
  return s;
}

/**
 * Follows one particle from its state through the detector and returns the surfaces it crosses, in order, with the
 * state at each crossing (after the material of the previous ones).
 */
function propagate(start: State, random: RandomStream): Crossing[] {
  const crossings: Crossing[] = [];
  let state = start;
  const mass = TRACKML_TOY_PARAMETERS.pionMassGeV;
  for (let step = 0; step < 64; step++) {
    const pt = Math.hypot(state.px, state.py);
    if (pt < 1e-4) break;
    const radius = pt * MM_PER_GEV;
    const kappa = -state.q / radius; // dφ/ds: a positive charge turns clockwise in a field along +z
    const phi0 = Math.atan2(state.py, state.px);
    const cotTheta = state.pz / pt;
    const cx = state.x - Math.sin(phi0) / kappa;
    const cy = state.y + Math.cos(phi0) / kappa;
    const d = Math.hypot(cx, cy);
    // Farthest point of the circle from the beam line: the end of the outgoing half turn.
    const psiFar = Math.atan2(kappa * (d > 0 ? cx / d : 1), -kappa * (d > 0 ? cy / d : 0));
    const sFar = arcTo(psiFar, phi0, kappa);
    const at = (s: number) => {
      const psi = phi0 + kappa * s;
      return { x: cx + Math.sin(psi) / kappa, y: cy - Math.cos(psi) / kappa, z: state.z + s * cotTheta, psi };
    };
    const rNow = Math.hypot(state.x, state.y);
    let best: { s: number; surface: DetectorSurface } | null = null;
    for (const surface of barrels) {
      const rl = surface.positionMm;
      if (rl <= rNow + EPSILON_MM) continue;
      // Intersections of the track circle (centre c, radius R) with the cylinder's circle (centre 0, radius rl).
      if (d + radius < rl || Math.abs(d - radius) > rl || d === 0) break;
      const a = (rl * rl - radius * radius + d * d) / (2 * d);
      const h = Math.sqrt(Math.max(0, rl * rl - a * a));
      let sMin = Infinity;
      for (const sign of [1, -1]) {
        const qx = (a * cx) / d + (sign * h * -cy) / d;
        const qy = (a * cy) / d + (sign * h * cx) / d;
        const psi = Math.atan2(kappa * (qx - cx), -kappa * (qy - cy));
        const s = arcTo(psi, phi0, kappa);
        if (s < sMin) sMin = s;
      }
      if (sMin > sFar + EPSILON_MM) break;
      const z = state.z + sMin * cotTheta;
      if (Math.abs(z) <= surface.extentMm[1]) {
        best = { s: sMin, surface };
        break;
      }
    }
    if (cotTheta !== 0) {
      const disks = cotTheta > 0 ? disksForward : disksBackward;
      for (const surface of disks) {
        const s = (surface.positionMm - state.z) / cotTheta;
        if (s <= EPSILON_MM) continue;
        if (best && s >= best.s) break;
        if (s > sFar) break;
        const p = at(s);
        const r = Math.hypot(p.x, p.y);
        if (r >= surface.extentMm[0] && r <= surface.extentMm[1]) {
          best = { s, surface };
          break;
        }
      }
    }
    if (!best) break;
    const point = at(best.s);
    if (Math.hypot(point.x, point.y) > TOY_DETECTOR_ENVELOPE.radiusMm || Math.abs(point.z) > TOY_DETECTOR_ENVELOPE.halfLengthMm) break;
    // Momentum direction at the crossing: the tangent of the helix.
    const phi = point.psi;
    let px = pt * Math.cos(phi);
    let py = pt * Math.sin(phi);
    let pz = state.pz;
    crossings.push({ surface: best.surface, x: point.x, y: point.y, z: point.z, px, py, pz });

    // Material: multiple scattering and energy loss, then continue from the crossing.
    const p = Math.hypot(pt, pz);
    const normal = best.surface.kind === 'barrel' ? [point.x, point.y, 0] : [0, 0, 1];
    const normalLength = Math.hypot(normal[0] as number, normal[1] as number, normal[2] as number);
    const cosIncidence = Math.abs(((normal[0] as number) * px + (normal[1] as number) * py + (normal[2] as number) * pz) / (normalLength * p));
    const xOverX0 = best.surface.system.radiationLengths / Math.max(cosIncidence, 0.05);
    const energy = Math.hypot(p, mass);
    const beta = p / energy;
    const theta0 = (TRACKML_TOY_PARAMETERS.highland.scaleGeV / (beta * p)) * Math.sqrt(xOverX0) * (1 + TRACKML_TOY_PARAMETERS.highland.logTerm * Math.log(xOverX0));
    const [ux, uy, uz, vx, vy, vz] = orthonormalBasis(px / p, py / p, pz / p);
    const t1 = random.normal(0, theta0);
    const t2 = random.normal(0, theta0);
    let dx = px / p + t1 * ux + t2 * vx;
    let dy = py / p + t1 * uy + t2 * vy;
    let dz = pz / p + t1 * uz + t2 * vz;
    const norm = Math.hypot(dx, dy, dz);
    dx /= norm;
    dy /= norm;
    dz /= norm;
    const energyAfter = energy - TRACKML_TOY_PARAMETERS.energyLossGeVPerX0 * xOverX0;
    if (energyAfter < 1.01 * mass) break;
    const pAfter = Math.sqrt(energyAfter * energyAfter - mass * mass);
    px = pAfter * dx;
    py = pAfter * dy;
    pz = pAfter * dz;
    state = { x: point.x, y: point.y, z: point.z, px, py, pz, q: state.q };
  }
  return crossings;
}

/** Two unit vectors orthogonal to the unit vector (x, y, z) and to each other. */
function orthonormalBasis(x: number, y: number, z: number): [number, number, number, number, number, number] {
  // u = normalize(d × ẑ) unless d is along z; v = d × u.
  let ux = y;
  let uy = -x;
  let uz = 0;
  let n = Math.hypot(ux, uy);
  if (n < 1e-9) {
    ux = 1;
    uy = 0;
    uz = 0;
    n = 1;
  }
  ux /= n;
  uy /= n;
  uz /= n;
  return [ux, uy, uz, y * uz - z * uy, z * ux - x * uz, x * uy - y * ux];
}

/** Module-frame directions of a surface at a point: u along rφ, v along z (barrel) or r (disk), n the normal. */
function moduleFrame(surface: DetectorSurface, x: number, y: number): { u: [number, number, number]; v: [number, number, number]; n: [number, number, number] } {
  const r = Math.hypot(x, y) || 1;
  const radial: [number, number, number] = [x / r, y / r, 0];
  const tangent: [number, number, number] = [-y / r, x / r, 0];
  return surface.kind === 'barrel' ? { u: tangent, v: [0, 0, 1], n: radial } : { u: tangent, v: radial, n: [0, 0, 1] };
}

const dot = (a: readonly number[], b: readonly number[]) => (a[0] as number) * (b[0] as number) + (a[1] as number) * (b[1] as number) + (a[2] as number) * (b[2] as number);

type RawHit = {
  surface: DetectorSurface;
  /** Measured position. */
  x: number;
  y: number;
  z: number;
  /** −1 for noise. */
  particle: number;
  tx: number;
  ty: number;
  tz: number;
  tpx: number;
  tpy: number;
  tpz: number;
  cells: Array<[number, number, number]>;
};

/** Cells of a hit: channel indices along the module axes and a deposited charge per cell. */
function cellsOf(surface: DetectorSurface, x: number, y: number, z: number, direction: [number, number, number], random: RandomStream): Array<[number, number, number]> {
  const { u, v, n } = moduleFrame(surface, x, y);
  const { pitchMm, thicknessMm } = surface.system;
  const dn = Math.max(Math.abs(dot(direction, n)), 0.05);
  const extentU = (thicknessMm * Math.abs(dot(direction, u))) / dn;
  const extentV = (thicknessMm * Math.abs(dot(direction, v))) / dn;
  const count = (extent: number, pitch: number) => Math.max(1, Math.ceil(extent / pitch + random.nextFloat() - 0.5));
  let nu = count(extentU, pitchMm[0]);
  let nv = count(extentV, pitchMm[1]);
  const max = TRACKML_TOY_PARAMETERS.maxCellsPerHit;
  while (nu * nv > max) {
    if (nu >= nv) nu--;
    else nv--;
  }
  // Channel numbers from the position in the module (rφ from the module's φ edge, z or r from its row edge).
  const phi = Math.atan2(y, x) + Math.PI;
  const rowAlong = surface.kind === 'barrel' ? z : Math.hypot(x, y);
  const [lo, hi] = surface.extentMm;
  const rowLength = (hi - lo) / surface.rows;
  const along = rowAlong - lo - Math.floor((rowAlong - lo) / rowLength) * rowLength;
  const radius = surface.kind === 'barrel' ? surface.positionMm : Math.hypot(x, y);
  const row = Math.min(surface.rows - 1, Math.max(0, Math.floor((rowAlong - lo) / rowLength)));
  const inRow = surface.modulesPhi[row] as number;
  const phiWidth = (2 * Math.PI) / inRow;
  const acrossMm = (phi - Math.floor(phi / phiWidth) * phiWidth) * radius;
  const ch0 = Math.floor(acrossMm / pitchMm[0]) - Math.floor((nu - 1) / 2);
  const ch1 = Math.floor(along / pitchMm[1]) - Math.floor((nv - 1) / 2);
  const charge = (0.1 * (thicknessMm / 0.3)) / dn;
  const cells: Array<[number, number, number]> = [];
  for (let i = 0; i < nu; i++) {
    for (let j = 0; j < nv; j++) {
      cells.push([Math.max(0, ch0 + i), Math.max(0, ch1 + j), Math.max(1e-4, (charge / (nu * nv)) * (1 + random.normal(0, 0.1)))]);
    }
  }
  return cells;
}

function smear(surface: DetectorSurface, x: number, y: number, z: number, random: RandomStream): [number, number, number] {
  const { u, v } = moduleFrame(surface, x, y);
  const du = random.normal(0, surface.system.resolutionMm[0]);
  const dv = random.normal(0, surface.system.resolutionMm[1]);
  let mx = x + du * u[0] + dv * v[0];
  let my = y + du * u[1] + dv * v[1];
  let mz = z + du * u[2] + dv * v[2];
  if (surface.kind === 'barrel') {
    // Stay on the cylinder: the rφ offset moves along the tangent; project back to the layer radius.
    const r = Math.hypot(mx, my);
    mx *= surface.positionMm / r;
    my *= surface.positionMm / r;
  } else {
    mz = surface.positionMm;
  }
  return [mx, my, mz];
}

/** Sensitive area of a surface, mm², for placing noise hits. */
function areaOf(surface: DetectorSurface): number {
  const [lo, hi] = surface.extentMm;
  return surface.kind === 'barrel' ? 2 * Math.PI * surface.positionMm * (hi - lo) : Math.PI * (hi * hi - lo * lo);
}
const surfaceAreas = TOY_DETECTOR_SURFACES.map(areaOf);
const totalArea = surfaceAreas.reduce((a, b) => a + b, 0);

function pickSurfaceByArea(random: RandomStream): DetectorSurface {
  let u = random.nextFloat() * totalArea;
  for (let k = 0; k < TOY_DETECTOR_SURFACES.length; k++) {
    u -= surfaceAreas[k] as number;
    if (u < 0) return TOY_DETECTOR_SURFACES[k] as DetectorSurface;
  }
  return TOY_DETECTOR_SURFACES[TOY_DETECTOR_SURFACES.length - 1] as DetectorSurface;
}

function drawPt(random: RandomStream): number {
  const p = TRACKML_TOY_PARAMETERS;
  if (random.nextFloat() < p.softFraction) {
    const u = 1 - random.nextFloat();
    return Math.min(p.softPt.maxGeV, p.softPt.minGeV * u ** (-1 / p.softPt.powerIndex));
  }
  const [lo, hi] = p.hardPtGeV;
  return Math.exp(random.uniform(Math.log(lo), Math.log(hi)));
}

/**
 * Generates one toy event in the TrackML layout (hits, cells, particles, truth), see the module comment.
 *
 * @example
 * ```ts
 * const event = generateTrackmlToyEvent({ seed: 1, eventId: 1000, meanParticles: 300, noiseFraction: 0.1 });
 * event.hits.hitId.length; // → about 3 500
 * ```
 */
export function generateTrackmlToyEvent(options: GenerateTrackmlToyOptions): TrackmlEvent {
  const random = createRandomStream(options.seed, `trackml-toy/event/${options.eventId}`);
  const params = TRACKML_TOY_PARAMETERS;
  const vx = random.normal(0, params.beamSpotSigmaMm.xy);
  const vy = random.normal(0, params.beamSpotSigmaMm.xy);
  const vz = random.normal(0, params.beamSpotSigmaMm.z);
  const particles = Math.max(1, random.poissonExact(options.meanParticles));
  const raw: RawHit[] = [];
  const px = new Float64Array(particles);
  const py = new Float64Array(particles);
  const pz = new Float64Array(particles);
  const q = new Int32Array(particles);
  for (let k = 0; k < particles; k++) {
    const pt = drawPt(random);
    const eta = random.uniform(-params.etaMax, params.etaMax);
    const phi = random.uniform(-Math.PI, Math.PI);
    const charge = random.nextFloat() < 0.5 ? -1 : 1;
    px[k] = pt * Math.cos(phi);
    py[k] = pt * Math.sin(phi);
    pz[k] = pt * Math.sinh(eta);
    q[k] = charge;
    for (const c of propagate({ x: vx, y: vy, z: vz, px: px[k] as number, py: py[k] as number, pz: pz[k] as number, q: charge }, random)) {
      if (random.nextFloat() >= c.surface.system.efficiency) continue;
      const [mx, my, mz] = smear(c.surface, c.x, c.y, c.z, random);
      const p = Math.hypot(c.px, c.py, c.pz);
      raw.push({
        surface: c.surface,
        x: mx,
        y: my,
        z: mz,
        particle: k,
        tx: c.x,
        ty: c.y,
        tz: c.z,
        tpx: c.px,
        tpy: c.py,
        tpz: c.pz,
        cells: cellsOf(c.surface, c.x, c.y, c.z, [c.px / p, c.py / p, c.pz / p], random),
      });
    }
  }
  const noise = random.poissonExact(options.noiseFraction * raw.length);
  for (let k = 0; k < noise; k++) {
    const surface = pickSurfaceByArea(random);
    const [lo, hi] = surface.extentMm;
    const phi = random.uniform(-Math.PI, Math.PI);
    let x: number;
    let y: number;
    let z: number;
    if (surface.kind === 'barrel') {
      x = surface.positionMm * Math.cos(phi);
      y = surface.positionMm * Math.sin(phi);
      z = random.uniform(lo, hi);
    } else {
      const r = Math.sqrt(random.uniform(lo * lo, hi * hi));
      x = r * Math.cos(phi);
      y = r * Math.sin(phi);
      z = surface.positionMm;
    }
    const normal = surface.kind === 'barrel' ? ([x / surface.positionMm, y / surface.positionMm, 0] as [number, number, number]) : ([0, 0, 1] as [number, number, number]);
    raw.push({ surface, x, y, z, particle: -1, tx: x, ty: y, tz: z, tpx: 0, tpy: 0, tpz: 0, cells: cellsOf(surface, x, y, z, normal, random) });
  }

  // Detector order: volume, layer, module, then position; hit ids 1 … N follow it.
  const keyed = raw.map((hit) => ({ hit, module: moduleIdAt(hit.surface, hit.x, hit.y, hit.z), phi: Math.atan2(hit.y, hit.x), along: hit.surface.kind === 'barrel' ? hit.z : Math.hypot(hit.x, hit.y) }));
  keyed.sort(
    (a, b) =>
      a.hit.surface.volumeId - b.hit.surface.volumeId ||
      a.hit.surface.layerId - b.hit.surface.layerId ||
      a.module - b.module ||
      a.along - b.along ||
      a.phi - b.phi,
  );
  const n = keyed.length;
  // Sparse particle ids in a shuffled order, so an id says nothing about when or how the particle was generated.
  const order = random.permutation(particles);
  const particleId = BigInt64Array.from({ length: particles }, (_, k) => BigInt(((order[k] as number) + 1) * params.particleIdStep));
  const nhits = new Int32Array(particles);
  for (const { hit } of keyed) if (hit.particle >= 0) nhits[hit.particle] = (nhits[hit.particle] as number) + 1;

  // Weights from the stored (rounded, float32) values, so they can be recomputed from the files.
  const stored = (value: number) => Math.fround(roundTo4Decimals(value));
  const hitParticle = Int32Array.from(keyed, ({ hit }) => hit.particle);
  const weights = computeTrackmlHitWeights({
    particleOfHit: hitParticle,
    hitTz: Float64Array.from(keyed, ({ hit }) => stored(hit.tz)),
    particleVz: Float64Array.from({ length: particles }, () => stored(vz)),
    particlePt: Float64Array.from({ length: particles }, (_, k) => Math.hypot(stored(px[k] as number), stored(py[k] as number))),
  });

  const cellCount = keyed.reduce((sum, { hit }) => sum + hit.cells.length, 0);
  const cells = { hitId: new Int32Array(cellCount), ch0: new Int32Array(cellCount), ch1: new Int32Array(cellCount), value: new Float32Array(cellCount) };
  let c = 0;
  keyed.forEach(({ hit }, k) => {
    for (const [ch0, ch1, value] of hit.cells) {
      cells.hitId[c] = k + 1;
      cells.ch0[c] = ch0;
      cells.ch1[c] = ch1;
      cells.value[c] = roundTo4Decimals(value);
      c++;
    }
  });
  // Stored to 4 decimals (0.1 µm, 0.1 MeV): far below the resolutions, and CSV text that reads back exactly.
  const f32 = (pick: (hit: RawHit) => number) => Float32Array.from(keyed, ({ hit }) => roundTo4Decimals(pick(hit)));
  const f32Of = (values: ArrayLike<number>) => Float32Array.from(values, roundTo4Decimals);
  return {
    eventId: options.eventId,
    hits: {
      hitId: Int32Array.from({ length: n }, (_, k) => k + 1),
      x: f32((h) => h.x),
      y: f32((h) => h.y),
      z: f32((h) => h.z),
      volumeId: Int32Array.from(keyed, ({ hit }) => hit.surface.volumeId),
      layerId: Int32Array.from(keyed, ({ hit }) => hit.surface.layerId),
      moduleId: Int32Array.from(keyed, ({ module }) => module),
    },
    cells,
    particles: {
      particleId,
      vx: new Float32Array(particles).fill(roundTo4Decimals(vx)),
      vy: new Float32Array(particles).fill(roundTo4Decimals(vy)),
      vz: new Float32Array(particles).fill(roundTo4Decimals(vz)),
      px: f32Of(px),
      py: f32Of(py),
      pz: f32Of(pz),
      q,
      nhits,
    },
    truth: {
      hitId: Int32Array.from({ length: n }, (_, k) => k + 1),
      particleId: BigInt64Array.from(keyed, ({ hit }) => (hit.particle < 0 ? 0n : (particleId[hit.particle] as bigint))),
      tx: f32((h) => h.tx),
      ty: f32((h) => h.ty),
      tz: f32((h) => h.tz),
      tpx: f32((h) => h.tpx),
      tpy: f32((h) => h.tpy),
      tpz: f32((h) => h.tpz),
      weight: weights,
    },
  };
}
