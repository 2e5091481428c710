import { ScoringError } from './errors';

/**
 * Per-hit weights of the TrackML score, as published with the challenge (trackml-library `trackml/weights.py`;
 * Amrouche et al., "The Tracking Machine Learning challenge: Accuracy phase", arXiv:1904.06778, §4).
 *
 * weight(hit) = w_order(ihit, nhits) · w_pt(pT of its particle), normalised so that an event's weights sum to 1:
 *
 * - w_order: the proposal 10, 8, 6, 5, 3, 3, 3, 5, 6 is stretched over the particle's nhits hits (support k at
 *   position k·(nhits − 1)/8, linear interpolation at 0, 1, …, nhits − 1) and normalised to sum 1 per particle, so
 *   the first and the last hits weigh most. ihit = rank of the hit's |tz − vz| among its particle's hits (average
 *   rank for ties, minus 1, truncated to an integer). nhits < 4 → 0 (short particles do not count); nhits > 20 is
 *   read as 20, and hits with ihit ≥ 20 get 0.
 * - w_pt: 0 below 0.05 GeV, 0.2 up to 0.5 GeV, rising linearly to 1 at 3 GeV, 1 above.
 * - noise hits (particle_id 0) weigh 0.
 */

/** The order-weight proposal along a track (first hit … last hit). */
export const TRACKML_ORDER_PROPOSAL = [10, 8, 6, 5, 3, 3, 3, 5, 6] as const;
/** Particles with fewer hits than this weigh nothing. */
export const TRACKML_MIN_HITS = 4;
/** Longer particles use the order weights of this many hits. */
export const TRACKML_MAX_HITS = 20;

/** numpy.interp on ascending supports (x inside [xp[0], xp[last]]), as the reference uses it. */
function interpolate(x: number, xp: readonly number[], fp: readonly number[]): number {
  const last = xp.length - 1;
  if (x <= (xp[0] as number)) return fp[0] as number;
  if (x >= (xp[last] as number)) return fp[last] as number;
  let j = 0;
  while ((xp[j + 1] as number) < x) j++;
  const x0 = xp[j] as number;
  const x1 = xp[j + 1] as number;
  if (x === x1) return fp[j + 1] as number;
  const slope = ((fp[j + 1] as number) - (fp[j] as number)) / (x1 - x0);
  return slope * (x - x0) + (fp[j] as number);
}

function orderWeightRow(nhits: number): Float64Array {
  const k = TRACKML_ORDER_PROPOSAL.length;
  const supports = Array.from({ length: k }, (_, i) => (i * (nhits - 1)) / (k - 1));
  const row = Float64Array.from({ length: nhits }, (_, i) => interpolate(i, supports, TRACKML_ORDER_PROPOSAL));
  let sum = 0;
  for (const w of row) sum += w;
  for (let i = 0; i < nhits; i++) row[i] = (row[i] as number) / sum;
  return row;
}

const ORDER_ROWS: readonly Float64Array[] = Array.from({ length: TRACKML_MAX_HITS + 1 }, (_, nhits) =>
  nhits < TRACKML_MIN_HITS ? new Float64Array(0) : orderWeightRow(nhits),
);

/**
 * The order weight w_order of hit number `ihit` (0 = closest to the production vertex along z) of a particle with
 * `nhits` hits (see the module comment); each row of 4 … 20 hits sums to 1.
 *
 * Edge cases: nhits < 4 → 0; nhits > 20 → the row of 20; ihit ≥ 20 → 0; ihit < 0, ihit ≥ nhits or a non-integer
 * argument → `ScoringError('INVALID_PARAMETER')`.
 *
 * @example
 * ```ts
 * trackmlOrderWeight(0, 4); // → 0.4110 (10 / (10 + 16/3 + 3 + 6): the first of 4 hits)
 * ```
 */
export function trackmlOrderWeight(ihit: number, nhits: number): number {
  if (!Number.isInteger(ihit) || !Number.isInteger(nhits) || ihit < 0 || ihit >= nhits) {
    throw new ScoringError('INVALID_PARAMETER', `A hit index must be an integer in [0, nhits); found hit ${ihit} of ${nhits}.`);
  }
  if (nhits < TRACKML_MIN_HITS || ihit >= TRACKML_MAX_HITS) return 0;
  return (ORDER_ROWS[Math.min(nhits, TRACKML_MAX_HITS)] as Float64Array)[ihit] as number;
}

/**
 * The transverse-momentum weight w_pt of a particle with transverse momentum `pt` (GeV): numpy.interp(pt, [0.05,
 * 0.5, 3], [0.2, 0.2, 1], left = 0, right = 1).
 *
 * Edge cases: pt < 0.05 → 0; a NaN pt → `ScoringError('NON_FINITE')`.
 *
 * @example
 * ```ts
 * trackmlPtWeight(1.75); // → 0.6
 * ```
 */
export function trackmlPtWeight(pt: number): number {
  if (Number.isNaN(pt)) throw new ScoringError('NON_FINITE', 'A particle transverse momentum must be a number; found NaN.');
  if (pt < 0.05) return 0;
  if (pt > 3) return 1;
  return interpolate(pt, [0.05, 0.5, 3], [0.2, 0.2, 1]);
}

/** One event's hits and particles, for {@link computeTrackmlHitWeights}. */
export type TrackmlWeightInput = {
  /** Particle of each hit: an index into `particleVz`/`particlePt`, or −1 for a noise hit (particle_id 0). */
  particleOfHit: Int32Array;
  /** True z of each hit (truth `tz`, mm). */
  hitTz: ArrayLike<number>;
  /** Production vertex z of each particle (particles `vz`, mm). */
  particleVz: ArrayLike<number>;
  /** Transverse momentum of each particle at production (hypot(px, py), GeV). */
  particlePt: ArrayLike<number>;
};

/**
 * The TrackML weight of every hit of one event (see the module comment), normalised to sum 1 over the event.
 *
 * Reference: trackml-library `trackml/weights.py`, `weight_hits` (the Kaggle truth files' `weight` column).
 *
 * Edge cases: a particle index outside the particle arrays or a non-finite tz, vz or pt →
 * `ScoringError('INVALID_PARAMETER' | 'NON_FINITE')` naming the hit; an event whose weights are all 0 (no particle
 * with 4 hits and pT ≥ 0.05 GeV) → `ScoringError('ZERO_WEIGHT')`.
 *
 * @example
 * ```ts
 * computeTrackmlHitWeights({ particleOfHit: Int32Array.of(0, 0, 0, 0, -1), hitTz: [1, 2, 3, 4, 9], particleVz: [0], particlePt: [5] });
 * // → [0.411, 0.219, 0.123, 0.247, 0]: the 4-hit row (10, 16/3, 3, 6)/24.33, and 0 for the noise hit
 * ```
 */
export function computeTrackmlHitWeights(input: TrackmlWeightInput): Float64Array {
  const { particleOfHit, hitTz, particleVz, particlePt } = input;
  const n = particleOfHit.length;
  const particles = particleVz.length;
  if (hitTz.length !== n) throw new ScoringError('LENGTH_MISMATCH', `Every hit needs a true z; found ${hitTz.length} tz values for ${n} hits.`);
  if (particlePt.length !== particles) {
    throw new ScoringError('LENGTH_MISMATCH', `Every particle needs a vz and a pT; found ${particles} vz and ${particlePt.length} pT values.`);
  }
  // Hits grouped by particle (counting sort), each group then ordered by |tz − vz|.
  const count = new Int32Array(particles + 1);
  for (let i = 0; i < n; i++) {
    const p = particleOfHit[i] as number;
    if (p < -1 || p >= particles || !Number.isInteger(p)) {
      throw new ScoringError('INVALID_PARAMETER', `Hit ${i} names particle ${p}; expected −1 (noise) or an index below ${particles}.`, i);
    }
    if (!Number.isFinite(hitTz[i] as number)) throw new ScoringError('NON_FINITE', `Hit ${i} has a true z of ${hitTz[i]}; expected a finite number.`, i);
    if (p >= 0) count[p + 1] = (count[p + 1] as number) + 1;
  }
  for (let p = 0; p < particles; p++) count[p + 1] = (count[p + 1] as number) + (count[p] as number);
  const start = count.slice();
  const byParticle = new Int32Array(count[particles] as number);
  for (let i = 0; i < n; i++) {
    const p = particleOfHit[i] as number;
    if (p >= 0) {
      byParticle[start[p] as number] = i;
      start[p] = (start[p] as number) + 1;
    }
  }
  const weights = new Float64Array(n);
  let total = 0;
  for (let p = 0; p < particles; p++) {
    const from = count[p] as number;
    const nhits = (count[p + 1] as number) - from;
    if (nhits === 0) continue;
    const vz = particleVz[p] as number;
    const pt = particlePt[p] as number;
    if (!Number.isFinite(vz) || !Number.isFinite(pt)) {
      throw new ScoringError('NON_FINITE', `Particle ${p} has vz ${vz} and pT ${pt}; expected finite numbers.`);
    }
    const wPt = trackmlPtWeight(pt);
    if (nhits < TRACKML_MIN_HITS || wPt === 0) continue;
    const hits = Array.from(byParticle.subarray(from, from + nhits));
    const distance = (i: number) => Math.abs((hitTz[i] as number) - vz);
    hits.sort((a, b) => distance(a) - distance(b) || a - b);
    // Average rank of tied distances (pandas rank(method='average')), minus 1, truncated (astype('i4')).
    for (let k = 0; k < nhits; ) {
      let m = k + 1;
      while (m < nhits && distance(hits[m] as number) === distance(hits[k] as number)) m++;
      const ihit = Math.trunc((k + m - 1) / 2);
      const w = trackmlOrderWeight(ihit, nhits) * wPt;
      for (let j = k; j < m; j++) weights[hits[j] as number] = w;
      k = m;
    }
  }
  for (let i = 0; i < n; i++) total += weights[i] as number;
  if (!(total > 0)) {
    throw new ScoringError('ZERO_WEIGHT', `The event's hits all weigh 0: it needs a particle with at least ${TRACKML_MIN_HITS} hits and pT ≥ 0.05 GeV; found none among ${particles} particles and ${n} hits.`);
  }
  for (let i = 0; i < n; i++) weights[i] = (weights[i] as number) / total;
  return weights;
}
